"""Reading an article for its page: the article, its current revision, its claims and their assignees.
No writes here."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, literal, null, select, union_all
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from factcheck.errors import NotFound
from factcheck.models import Article, Claim, Revision, User
from factcheck.services import driver_sql, lean_untyped, loaded_rows
from factcheck.services.context import DbSession
from factcheck.services.users import CHECKERS, Checker

# Built once, the article's id a bound parameter: building the statements and their cache keys on every
# request, and ``selectinload``'s per-path loader machinery, cost more than running them (issue 15).
# The article with its current revision: the columns the ORM's ``joinedload`` selects, read on the
# session's connection and made into the session's objects (``loaded_rows``, as the claim page's are;
# the ORM's execution and loading path cost about twice the statement).
_ARTICLE_COLUMNS, _REVISION_COLUMNS = loaded_rows.Columns(Article), loaded_rows.Columns(Revision)
_ARTICLE = (select(*loaded_rows.select_columns(_ARTICLE_COLUMNS, _REVISION_COLUMNS))
            .outerjoin(Revision, Revision.id == Article.current_revision_id)
            .where(Article.id == bindparam("article_id")))
# In the relationship's order (``Article.claims``): the same claims, in the same order, as the ORM gives.
_CLAIMS = (select(Claim).options(joinedload(Claim.assignee))
           .where(Claim.article_id == bindparam("article_id")).order_by(Claim.start, Claim.id))


class _ClaimColumns(NamedTuple):
    id: int
    revision_id: int
    start: int
    end: int
    quote: str
    statement: str
    claimant: str | None
    via: list[str]
    kind: str
    score: float | None
    status: str
    priority: str
    due_date: date | None
    assignee_id: int | None
    assignee_name: str | None
    verdict: str | None
    proposed_by_id: int | None
    finalized_at: datetime | None
    resolution: str | None
    text_changed: bool
    changed_from: str | None
    version: int
    article_status: str


class ArticleClaim(_ClaimColumns):
    """A claim as the article page shows it (its card, its mark in the text, whether it blocks approval)
    and as ``claims.ActionsByKind.of_row`` reads it: the columns of one statement, not an ORM object (an
    article's twenty claims with their assignees, built as objects, were a fifth of the page)."""

    __slots__ = ()
    # The model's own wording, so the card and the claim page cannot differ.
    label = Claim.label


_CLAIM_ROWS = (select(Claim.id, Claim.revision_id, Claim.start, Claim.end, Claim.quote, Claim.statement,
                      Claim.claimant, Claim.via, Claim.kind, Claim.score, Claim.status, Claim.priority,
                      Claim.due_date, Claim.assignee_id, User.display_name.label("assignee_name"), Claim.verdict,
                      Claim.proposed_by_id, Claim.finalized_at, Claim.resolution, Claim.text_changed,
                      Claim.changed_from, Claim.version)
               .outerjoin(User, User.id == Claim.assignee_id)
               .where(Claim.article_id == bindparam("article_id")).order_by(Claim.start, Claim.id))


def article(session: DbSession, article_id: int) -> Article:
    """The article with its current revision (404 when there is none); its claims are not loaded."""
    session = loaded_rows.own_session(session)
    session.flush()  # what the session's autoflush would have done: the row sees the request's changes
    # On the driver (``driver_sql.run_lean``: compiled once, no cache key walked, no result built):
    # through SQLAlchemy's execution and result the one row cost about as much as making its objects.
    rows = driver_sql.run_lean(session.connection(), _ARTICLE, {"article_id": article_id})
    row = rows[0] if rows else None
    if row is None:
        raise NotFound("There is no such article.")
    found: Article = loaded_rows.persistent(session, _ARTICLE_COLUMNS, row)
    loaded_rows.set_loaded(found, "current_revision", loaded_rows.persistent(session, _REVISION_COLUMNS, row))
    return found


def load(session: DbSession, article_id: int) -> Article:
    """The article with its current revision and its claims (with their assignees) loaded, for the steps
    taken from its page, in two statements (404 when there is none)."""
    found = article(session, article_id)
    # As the ORM's own loaders do, a collection this session already holds (with any change not yet
    # flushed) is kept.
    if "claims" not in found.__dict__:
        claims = list(session.scalars(_CLAIMS, {"article_id": article_id}))
        set_committed_value(found, "claims", claims)
        for claim in claims:
            # Each claim's article is this one: set, not looked up in the identity map claim by claim.
            if "article" not in claim.__dict__:
                set_committed_value(claim, "article", found)
    return found


def claim_rows(session: DbSession, shown: Article) -> list[ArticleClaim]:
    """The article's claims as its page shows them, in the order of ``Article.claims``."""
    status = shown.status
    # On the session's connection, in its transaction: a Core statement needs none of the ORM session's
    # execution machinery, which cost more than reading the rows (issue 15). The flush is what the
    # session's autoflush would have done: the rows see the request's own changes.
    session.flush()
    rows, typed = lean_untyped.untyped(session.connection(), _CLAIM_ROWS, {"article_id": shown.id})
    return [_claim(row, typed, status) for row in rows]


def _claim(row: Any, typed: driver_sql.Processors, status: str) -> ArticleClaim:
    """A claim's row from the driver (its first ``_CLAIM_WIDTH`` columns) typed as SQLAlchemy types it
    (``typed``: the processors of the columns that need one, such as SQLite's dates and JSON)."""
    if not typed:
        return ArticleClaim._make((*row[:_CLAIM_WIDTH], status))
    items = list(row[:_CLAIM_WIDTH])
    for position, processor in typed:
        items[position] = processor(items[position])
    items.append(status)
    return ArticleClaim._make(items)


# The claims' rows and, after them, the active checkers (the assignment choices of a viewer who may
# assign) in one statement: each a row of the same columns, the claims' part 0 and the checkers' part 1,
# a checker's name and e-mail in the last two (issue 15: the checkers' own statement was a tenth of the
# page). Ordered as each is alone: the claims by their place, the checkers by name.
_WHO_CHECKS = CHECKERS.order_by(None).subquery()
_CLAIM_PART = _CLAIM_ROWS.order_by(None).add_columns(
    literal(0).label("part"), null().label("checker_name"), null().label("checker_email"))
_CHECKER_PART = select(_WHO_CHECKS.c.id, *[null()] * (len(_ClaimColumns._fields) - 2),
                       literal(1), _WHO_CHECKS.c.display_name, _WHO_CHECKS.c.email)
_BOTH = union_all(_CLAIM_PART, _CHECKER_PART)
_CLAIMS_AND_CHECKERS = _BOTH.order_by(_BOTH.selected_columns.part, _BOTH.selected_columns.start,
                                      _BOTH.selected_columns.checker_name, _BOTH.selected_columns.id)
_CLAIM_WIDTH = len(_ClaimColumns._fields) - 1  # the columns of the statement before ``part``


def claims_and_checkers(session: DbSession, shown: Article) -> tuple[list[ArticleClaim], list[Checker]]:
    """``claim_rows`` and ``users.checkers``, in one statement."""
    status = shown.status
    session.flush()
    # On the driver (``driver_sql``: compiled once, no cache key walked per execution), and only the
    # claims' columns typed: reading the union's fifty-odd rows through SQLAlchemy's result, every
    # column of every row processed and looked up by name, was a sixth of the page (issue 15).
    rows, typed = lean_untyped.untyped(session.connection(), _CLAIMS_AND_CHECKERS, {"article_id": shown.id})
    typed = tuple(item for item in typed if item[0] < _CLAIM_WIDTH)
    claims, checkers = [], []
    for row in rows:
        if row[_CLAIM_WIDTH]:  # the part: a checker's row
            checkers.append(Checker(row[0], row[_CLAIM_WIDTH + 1], row[_CLAIM_WIDTH + 2]))
        else:
            claims.append(_claim(row, typed, status))
    return claims, checkers
