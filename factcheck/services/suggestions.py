"""Machine suggestions: page furniture set aside and check-worthy claims proposed on intake.

The extraction engine (factcheck.extraction) is pure; this module stores what it finds and
audits it, inside the transaction of the write that triggered it.
"""
from __future__ import annotations

from typing import Any

from factcheck.errors import NotFound
from factcheck.extraction import FurnitureLine, find_furniture, suggest_claims
from factcheck.models import Article, ClaimStatus, Revision, User
from factcheck.security.permissions import Action
from factcheck.services import audit
from factcheck.services.anchoring import anchor_at
from factcheck.services.articles import refresh_status
from factcheck.services.claims import insert_claim
from factcheck.services.context import Context
from factcheck.services.db import transaction
from factcheck.services.workflow import ensure_open_for_changes

# A suggestion that shares more than this much of its span with an existing claim is a duplicate.
_DUPLICATE_OVERLAP = 0.5


def furniture_of(text: str) -> list[dict[str, Any]]:
    return [{"start": f.start, "end": f.end, "text": f.text, "reason": f.reason} for f in find_furniture(text)]


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def add_suggestions(ctx: Context, *, actor: User | None, article: Article, revision: Revision,
                    within: list[tuple[int, int]] | None = None) -> int:
    """Store the engine's suggestions for ``revision`` (optionally only those touching the spans
    ``within``) as suggested claims, skipping passages that are already claims, dismissed ones
    included. Runs in the caller's transaction."""
    furniture = [FurnitureLine(**line) for line in revision.furniture]
    existing = [(c.start, c.end) for c in article.claims if c.revision_id == revision.id]
    added = 0
    for suggestion in suggest_claims(revision.text, furniture=furniture):
        if within is not None and not any(_overlap(suggestion.start, suggestion.end, *span) for span in within):
            continue
        length = suggestion.end - suggestion.start
        if any(_overlap(suggestion.start, suggestion.end, s, e) > _DUPLICATE_OVERLAP * length for s, e in existing):
            continue
        insert_claim(ctx, actor, article, anchor_at(revision.text, suggestion.start, suggestion.end),
                     ClaimStatus.SUGGESTED, "claim.suggested", claimant=suggestion.claimant, via=suggestion.via,
                     kind=suggestion.kind, score=round(suggestion.score, 3))
        existing.append((suggestion.start, suggestion.end))
        added += 1
    if added:
        refresh_status(ctx, article, actor)
    return added


def restore_furniture(ctx: Context, *, actor: User, article: Article, index: int) -> int:
    """Bring a set-aside line back into the article; returns how many claims it adds as suggestions."""
    ctx.require(actor, Action.ARTICLE_REVISE, article)
    ensure_open_for_changes(article)
    revision = article.current_revision
    if revision is None or not 0 <= index < len(revision.furniture):
        raise NotFound("That set-aside line does not exist (any more).")
    with transaction(ctx.session):
        before = list(revision.furniture)
        line = before[index]
        # A new list, so SQLAlchemy sees the JSON column change.
        revision.furniture = before[:index] + before[index + 1:]
        audit.record(
            ctx, actor=actor, action="revision.furniture_restored", object_type="revision",
            object_id=revision.id, article_id=article.id,
            changes={"furniture": {"before": line, "after": None}},
        )
        return add_suggestions(ctx, actor=actor, article=article, revision=revision,
                               within=[(line["start"], line["end"])])
