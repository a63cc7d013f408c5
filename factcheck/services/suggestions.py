"""Machine suggestions: page furniture set aside and check-worthy claims proposed on intake.

The extraction engine (factcheck.extraction) is pure. ``propose`` runs it, with no database and
outside any transaction: on a long article it is the slow part, and a transaction open meanwhile
would hold SQLite's single writer lock (every other write of the newsroom waiting) or, on
PostgreSQL, its rows' locks. ``add_suggestions`` then stores what was proposed, in bulk, audited,
inside the caller's (short) transaction.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, select

from factcheck.errors import NotFound
from factcheck.extraction import FurnitureLine, Suggestion, find_furniture, suggest_claims
from factcheck.models import Article, ArticleStatus, Claim, ClaimStatus, Revision, User
from factcheck.security.permissions import Action
from factcheck.services import audit, bulk
from factcheck.services.anchoring import anchor_at
from factcheck.services.context import Context
from factcheck.services.db import transaction
from factcheck.services.workflow import DERIVED_ARTICLE_STATES, ensure_open_for_changes

# A suggestion that shares more than this much of its span with an existing claim is a duplicate.
_DUPLICATE_OVERLAP = 0.5


def furniture_of(text: str) -> list[dict[str, Any]]:
    return [{"start": f.start, "end": f.end, "text": f.text, "reason": f.reason} for f in find_furniture(text)]


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


@dataclass(frozen=True)
class Proposed:
    """One suggestion of the engine, ready to store: the new claim's columns (but its article and
    revision) and what its ``claim.suggested`` event records, all worked out before any transaction."""

    values: dict[str, Any]
    changes: audit.EncodedChanges  # encoded here, outside the transaction that stores it

    @property
    def start(self) -> int:
        return int(self.values["start"])

    @property
    def end(self) -> int:
        return int(self.values["end"])


# The fields of a new claim its ``claim.suggested`` event records (as ``claims.insert_claim`` does).
_AUDITED = ("quote", "start", "end", "status", "statement", "claimant", "via", "kind", "score")


def _proposed(text: str, suggestion: Suggestion) -> Proposed:
    anchor = anchor_at(text, suggestion.start, suggestion.end)
    values = {"quote": anchor.exact, "prefix": anchor.prefix, "suffix": anchor.suffix, "start": anchor.start,
              "end": anchor.end, "status": ClaimStatus.SUGGESTED.value, "statement": anchor.exact,
              "claimant": suggestion.claimant, "via": list(suggestion.via), "kind": suggestion.kind,
              "score": round(suggestion.score, 3), "version": 1}
    return Proposed(values, audit.encode_changes(audit.created({key: values[key] for key in _AUDITED})))


def propose(text: str, furniture: Sequence[dict[str, Any]], within: list[tuple[int, int]] | None = None,
            ) -> list[Proposed]:
    """The engine's suggestions for ``text`` with its furniture set aside (optionally only those
    touching the spans ``within``), in text order, none a duplicate of another. Pure: no database."""
    lines = [FurnitureLine(**line) for line in furniture]
    found = sorted(suggest_claims(text, furniture=lines), key=lambda s: s.start)
    if within is not None:
        spans = sorted(within)
        found = [s for s in found if _touches(s.start, s.end, spans)]
    return [_proposed(text, s) for s in _fresh(found, [])]


def _touches(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps one of ``spans`` (sorted, not overlapping each other, as
    ``TextMap.changed_spans`` gives them): only the last span starting before ``end`` can."""
    index = bisect_left(spans, (end, end)) - 1
    return index >= 0 and _overlap(start, end, *spans[index]) > 0


def _fresh(found: Sequence[Any], claims: list[tuple[int, int]]) -> list[Any]:
    """The items of ``found`` (in text order, each with ``start`` and ``end``) that share no more
    than half their span with one of ``claims`` or with an item kept before them. A sweep along the
    text: only the spans still open at an item's start are compared, so a long article with
    thousands of suggestions costs a pass, not a comparison of every pair."""
    claims = sorted(claims)
    kept: list[Any] = []
    open_spans: list[tuple[int, int]] = []
    next_claim = 0
    for item in found:
        start, end = item.start, item.end
        while next_claim < len(claims) and claims[next_claim][0] < end:
            open_spans.append(claims[next_claim])
            next_claim += 1
        open_spans = [span for span in open_spans if span[1] > start]
        if any(_overlap(start, end, s, e) > _DUPLICATE_OVERLAP * (end - start) for s, e in open_spans):
            continue
        kept.append(item)
        open_spans.append((start, end))
    return kept


def add_suggestions(ctx: Context, *, actor: User | None, article: Article, revision: Revision,
                    within: list[tuple[int, int]] | None = None, proposed: list[Proposed] | None = None) -> int:
    """Store suggestions for ``revision`` as suggested claims, skipping passages that are already
    claims, dismissed ones included; runs in the caller's transaction. ``proposed`` is what
    ``propose`` made for this revision's text beforehand, outside the transaction; without it the
    engine runs here (optionally only on the spans ``within``)."""
    if proposed is None:
        proposed = propose(revision.text, revision.furniture, within)
    if not proposed:
        return 0
    session = ctx.session
    existing = [(start, end) for start, end in session.execute(select(Claim.start, Claim.end).where(
        Claim.article_id == article.id, Claim.revision_id == revision.id))]
    fresh: list[Proposed] = _fresh(proposed, existing) if existing else proposed
    if not fresh:
        return 0
    # One driver executemany (pipelined on PostgreSQL) instead of a flush per claim: on a long
    # article these are thousands of rows, and the transaction must stay short (an ORM flush sends
    # one statement per row on SQLite; a multi-row INSERT ... RETURNING is slow to bind and plan on
    # PostgreSQL). The ids are read back by span, which _fresh made unique among this revision's
    # claims; should another writer add a suggestion of the very same span at the same moment,
    # the newer id is taken: the two are the same passage.
    table = cast(Table, Claim.__table__)
    bulk.insert_rows(session, table, [p.values for p in fresh],
                     common={"article_id": article.id, "revision_id": revision.id})
    ids: dict[tuple[int, int], int] = {}
    for claim_id, start, end in session.execute(
            select(table.c.id, table.c.start, table.c.end)
            .where(table.c.revision_id == revision.id, table.c.status == ClaimStatus.SUGGESTED)
            .order_by(table.c.id)):
        ids[start, end] = claim_id
    audit.record_many(ctx, actor=actor, action="claim.suggested", object_type="claim", article_id=article.id,
                      objects=[(ids[p.start, p.end], p.changes) for p in fresh])
    # The claims were inserted around the ORM: a collection loaded before must be read again.
    session.expire(article, ["claims"])
    _suggestions_unsettle(ctx, article, actor)
    return len(fresh)


def _suggestions_unsettle(ctx: Context, article: Article, actor: User | None) -> None:
    """What ``articles.refresh_status`` would find after suggestions were added, without loading
    every claim: a suggested claim is unsettled, so an article whose status follows its claims is
    now in check."""
    if article.status in DERIVED_ARTICLE_STATES and article.status != ArticleStatus.IN_CHECK:
        before = article.status
        article.status = ArticleStatus.IN_CHECK
        audit.record(
            ctx, actor=actor, action="article.status_changed", object_type="article", object_id=article.id,
            article_id=article.id, changes=audit.diff({"status": before}, {"status": article.status}),
        )


def restore_furniture(ctx: Context, *, actor: User, article: Article, index: int) -> int:
    """Bring a set-aside line back into the article; returns how many claims it adds as suggestions."""
    ctx.require(actor, Action.ARTICLE_REVISE, article)
    ensure_open_for_changes(article)
    revision = article.current_revision
    if revision is None or not 0 <= index < len(revision.furniture):
        raise NotFound("That set-aside line does not exist (any more).")
    before = list(revision.furniture)
    line = before[index]
    # A new list, so SQLAlchemy sees the JSON column change.
    after = before[:index] + before[index + 1:]
    proposed = propose(revision.text, after, within=[(line["start"], line["end"])])
    with transaction(ctx.session):
        revision.furniture = after
        audit.record(
            ctx, actor=actor, action="revision.furniture_restored", object_type="revision",
            object_id=revision.id, article_id=article.id,
            changes={"furniture": {"before": line, "after": None}},
        )
        return add_suggestions(ctx, actor=actor, article=article, revision=revision, proposed=proposed)
