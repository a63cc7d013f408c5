"""New revisions of an article's text, and what they do to its claims (DESIGN §3).

Text is never edited in place: a revision is a new row. Every claim is carried to the new text.
A claim whose words are unchanged just moves. One whose words changed is flagged; if it was
proposed or final it goes back to in_progress, because its verdict was about other words. One
whose words are gone is orphaned, for an editor to resolve. An approved or published article goes
back to in_check. Passages that are new in this revision get claim suggestions.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from factcheck.errors import InvalidTransition, NotFound, ValidationFailed
from factcheck.models import Article, Claim, Revision, User
from factcheck.security.permissions import Action
from factcheck.services import audit
from factcheck.services.anchoring import anchor_at
from factcheck.services.articles import check_text, move, refresh_status
from factcheck.services.claims import recorded
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction
from factcheck.services.notifications import notify
from factcheck.services.reanchoring import Outcome, Reanchored, TextMap
from factcheck.services.suggestions import Proposed, add_suggestions, furniture_of, propose
from factcheck.services.workflow import (
    HAS_VERDICT,
    LOCKED_ARTICLE_STATES,
    ArticleEvent,
    ClaimEvent,
    ClaimStatus,
)


@dataclass
class RevisionReport:
    revision: Revision
    moved: list[Claim] = field(default_factory=list)
    changed: list[Claim] = field(default_factory=list)
    orphaned: list[Claim] = field(default_factory=list)
    suggested: int = 0


def _anchor_fields(claim: Claim) -> dict[str, Any]:
    return {"revision_id": claim.revision_id, "start": claim.start, "end": claim.end, "quote": claim.quote}


def revise(ctx: Context, *, actor: User, article: Article, text: str) -> RevisionReport:
    ctx.require(actor, Action.ARTICLE_REVISE, article)
    text = check_text(ctx.settings, text)
    old = article.current_revision
    if old is not None and text == old.text:
        raise ValidationFailed("The text is the same as the current revision's; nothing to save.")
    # The slow part first, before any transaction opens: comparing the texts, finding where each
    # claim goes and proposing claims for the new passages. It reads the old text, which never
    # changes (a revision is never edited), and the claims' anchors on it; a claim added to the
    # old revision meanwhile is carried inside the transaction, where the claims are read again.
    text_map = TextMap(old.text if old else "", text)
    carried = {_anchor_key(claim): text_map.carry(claim.start, claim.end, claim.quote)
               for claim in article.claims if old is not None and claim.revision_id == old.id}
    furniture = furniture_of(text)
    proposed = propose(text, furniture, within=text_map.changed_spans())
    try:
        with transaction(ctx.session):
            return _store(ctx, actor, article, old, text, furniture, text_map, carried, proposed)
    except IntegrityError:
        # Two revisions of the same one at once: (article, number) is unique, so the later one lands here.
        ctx.session.refresh(article)
        if article.current_revision_id != (old.id if old else None):
            raise _revised_meanwhile(article) from None
        raise


def _anchor_key(claim: Claim) -> tuple[int, int, int, str]:
    return claim.id, claim.start, claim.end, claim.quote


def _revised_meanwhile(article: Article) -> InvalidTransition:
    return InvalidTransition("Someone saved a new revision of this article while yours was being prepared; "
                        "open the article again and make your change on its current text.",
                        article_id=article.id)


def _store(ctx: Context, actor: User, article: Article, old: Revision | None, text: str,
           furniture: list[dict[str, Any]], text_map: TextMap, carried: dict[tuple[int, int, int, str], Reanchored],
           proposed: list[Proposed]) -> RevisionReport:
    """The writes of ``revise``, in its transaction, from what it worked out beforehand."""
    session = ctx.session
    # What this revision was made from must still be the current one (optimistic: a revision saved
    # meanwhile would make this one undo it). The article is read again for it, its claims too.
    session.refresh(article, attribute_names=["current_revision_id", "status"])
    if article.current_revision_id != (old.id if old else None):
        raise _revised_meanwhile(article)
    on_old = list(session.scalars(select(Claim).where(Claim.revision_id == old.id).order_by(Claim.start)
                                  .execution_options(populate_existing=True))) if old is not None else []
    revision = Revision(
        article_id=article.id, number=(old.number + 1) if old else 1, text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(), created_by_id=actor.id, furniture=furniture,
        created_at=ctx.now(),
    )
    session.add(revision)
    session.flush()
    article.current_revision_id = revision.id
    article.current_revision = revision
    audit.record(ctx, actor=actor, action="revision.created", object_type="revision", object_id=revision.id,
                 article_id=article.id,
                 changes=audit.created({"number": revision.number, "sha256": revision.sha256, "length": len(text),
                                        "previous_sha256": old.sha256 if old else None,
                                        "furniture_lines": len(revision.furniture)}))
    report = RevisionReport(revision)
    for claim in on_old:
        outcome = carried.get(_anchor_key(claim)) or text_map.carry(claim.start, claim.end, claim.quote)
        _carry(ctx, actor, claim, revision, outcome, report)
    if article.status in LOCKED_ARTICLE_STATES:
        move(ctx, actor, article, ArticleEvent.REOPEN, "article.reopened")
    refresh_status(ctx, article, actor)
    report.suggested = add_suggestions(ctx, actor=actor, article=article, revision=revision, proposed=proposed)
    return report


def _carry(ctx: Context, actor: User, claim: Claim, revision: Revision, carried: Reanchored,
           report: RevisionReport) -> None:
    if carried.outcome is Outcome.GONE:
        if claim.status == ClaimStatus.DISMISSED:
            return  # a dismissed passage that is gone needs nothing more
        with recorded(ctx, actor, claim, "claim.orphaned", ClaimEvent.ORPHAN, also=_anchor_fields):
            report.orphaned.append(claim)
        return
    if carried.outcome is Outcome.SAME:
        action, event, bucket = "claim.reanchored", None, report.moved
    else:
        event = ClaimEvent.TEXT_CHANGED if claim.status in HAS_VERDICT else None
        action, bucket = "claim.text_changed", report.changed
    old_quote = claim.quote
    with recorded(ctx, actor, claim, action, event, also=_anchor_fields):
        anchor = anchor_at(revision.text, carried.start, carried.end)
        claim.revision_id, claim.start, claim.end = revision.id, anchor.start, anchor.end
        claim.quote, claim.prefix, claim.suffix = anchor.exact, anchor.prefix, anchor.suffix
        if carried.outcome is Outcome.CHANGED:
            if event is not None and claim.assignee_id:
                notify(ctx, recipient=claim.assignee_id, kind="claim_reopened", actor=actor, claim=claim,
                       message=f"Revision {revision.number} changed the words of claim {claim.id}; "
                               "its verdict is back in progress.")
            claim.changed_from = claim.changed_from or old_quote
            if claim.statement == old_quote:  # never reworded by an editor: it follows the text
                claim.statement = anchor.exact
            claim.text_changed = True
            if event is not None:
                claim.resolution = None
        bucket.append(claim)


_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "removed" or "added"
    text: str


def diff_segments(old: str, new: str) -> list[Segment]:
    """A word-level comparison of two texts, for the revision page (escaped by the template)."""
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(old_tokens[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(old_tokens[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(new_tokens[j1:j2])))
    return segments


def get_revision(session: DbSession, article: Article, number: int) -> Revision:
    revision = session.scalar(select(Revision).where(Revision.article_id == article.id, Revision.number == number))
    if revision is None:
        raise NotFound("There is no such revision of this article.")
    return revision
