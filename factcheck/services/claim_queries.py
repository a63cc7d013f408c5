"""Reading claims: queues, the claims list, and the claim page. No writes here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import joinedload, selectinload

from factcheck.errors import NotFound
from factcheck.models import PRIORITY_RANK, Claim, Evidence, Note, Notification, User
from factcheck.models import ClaimStatus as S
from factcheck.services.context import DbSession
from factcheck.services.workflow import CHECKER_TO_DO, UNSETTLED


def overdue_condition(today: date) -> Any:
    """Past its due date and still to be settled: the one definition the dashboard and the claims
    list share."""
    return and_(Claim.due_date < today, Claim.status.in_([s.value for s in UNSETTLED]))


def _priority_order() -> Any:
    return case({p.value: rank for p, rank in PRIORITY_RANK.items()}, value=Claim.priority, else_=9)


# A queue page shows the most urgent part; the claims list pages through the rest.
QUEUE_LIMIT = 100


@dataclass(frozen=True)
class Queue:
    claims: list[Claim]
    total: int


def my_queue(session: DbSession, user: User, limit: int | None = None) -> Queue:
    """Work assigned to a checker, most urgent first (due date, then priority). A queue longer than
    ``limit`` shows its most urgent part; the claims list pages through the rest."""
    limit = limit or QUEUE_LIMIT
    mine = (Claim.assignee_id == user.id, Claim.status.in_([s.value for s in CHECKER_TO_DO]))
    stmt = (
        select(Claim)
        .options(joinedload(Claim.article))
        .where(*mine)
        .order_by(Claim.due_date.is_(None), Claim.due_date, _priority_order(), Claim.id)
        .limit(limit)
    )
    claims = list(session.scalars(stmt))
    # Counted every time, so the page's statements do not depend on how long the queue is.
    total = session.scalar(select(func.count(Claim.id)).where(*mine)) or 0
    return Queue(claims, total)


@dataclass(frozen=True)
class NavCounts:
    unread: int = 0
    my_queue: int = 0
    review_queue: int = 0


def nav_counts(session: DbSession, user: User, *, queue: bool, review: bool) -> NavCounts:
    """The navigation's badges in one statement: unread notifications, and the claims waiting in the
    viewer's queue and in the review queue when they see those links."""
    statement = _NAV_STATEMENTS.get((queue, review))
    if statement is None:
        statement = _NAV_STATEMENTS[queue, review] = _nav_statement(queue, review)
    row = session.execute(statement, {"user_id": user.id}).one()
    return NavCounts(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0))


# Every signed-in page runs it: built once per process for each of the four kinds of viewer, the user
# a bound parameter (building the expression cost more than running it on SQLite, issue 15).
_NAV_STATEMENTS: dict[tuple[bool, bool], Any] = {}


def _nav_statement(queue: bool, review: bool) -> Any:
    from sqlalchemy import bindparam

    def count(*where: Any) -> Any:
        return select(func.count()).select_from(Claim).where(*where).scalar_subquery()

    user_id: Any = bindparam("user_id")
    zero = literal(0)
    unread = (select(func.count()).select_from(Notification)
              .where(Notification.user_id == user_id, Notification.read_at.is_(None)).scalar_subquery())
    mine = count(Claim.assignee_id == user_id, Claim.status.in_([s.value for s in CHECKER_TO_DO])) if queue else zero
    waiting = count(Claim.status == S.PROPOSED) if review else zero
    return select(unread, mine, waiting)


def review_queue(session: DbSession, limit: int | None = None) -> Queue:
    """Proposed verdicts waiting for an editor, oldest first."""
    limit = limit or QUEUE_LIMIT
    waiting = Claim.status == S.PROPOSED
    stmt = (
        select(Claim)
        .options(joinedload(Claim.article), joinedload(Claim.proposed_by), joinedload(Claim.assignee))
        .where(waiting)
        .order_by(Claim.proposed_at, Claim.id)
        .limit(limit)
    )
    claims = list(session.scalars(stmt))
    total = session.scalar(select(func.count(Claim.id)).where(waiting)) or 0
    return Queue(claims, total)


def claims_by_id(session: DbSession, ids: list[int]) -> list[Claim]:
    """The claims with these ids that exist, in id order, with their articles (for bulk actions)."""
    if not ids:
        return []
    return list(session.scalars(select(Claim).options(joinedload(Claim.article))
                                .where(Claim.id.in_(ids)).order_by(Claim.id)))


def load_claim_page(session: DbSession, claim_id: int) -> Claim:
    claim = session.scalar(
        select(Claim)
        .where(Claim.id == claim_id)
        .options(
            joinedload(Claim.article), joinedload(Claim.assignee), joinedload(Claim.proposed_by),
            joinedload(Claim.reviewed_by),
            selectinload(Claim.evidence).options(joinedload(Evidence.added_by), joinedload(Evidence.removed_by)),
            selectinload(Claim.notes).joinedload(Note.author),
        )
    )
    if claim is None:
        raise NotFound("There is no such claim.")
    return claim


@dataclass(frozen=True)
class ClaimFilters:
    status: str | None = None
    assignee_id: int | None = None
    article_id: int | None = None
    verdict: str | None = None
    overdue: bool = False
    unassigned: bool = False


@dataclass(frozen=True)
class ClaimPage:
    claims: list[Claim]
    next_before_id: int | None


def list_claims(session: DbSession, filters: ClaimFilters, *, before_id: int | None = None, limit: int = 50,
                today: date | None = None) -> ClaimPage:
    """Newest first, keyset-paged on the id: page 2,000 costs what page 1 does, and the number of
    queries is the same whatever the page holds (joined loads, no per-row lazy loads)."""
    stmt = (
        select(Claim)
        .options(joinedload(Claim.article), joinedload(Claim.assignee))
        .order_by(Claim.id.desc())
        .limit(limit + 1)
    )
    if before_id is not None:
        stmt = stmt.where(Claim.id < before_id)
    if filters.status:
        stmt = stmt.where(Claim.status == filters.status)
    if filters.assignee_id is not None:
        stmt = stmt.where(Claim.assignee_id == filters.assignee_id)
    if filters.unassigned:
        stmt = stmt.where(Claim.assignee_id.is_(None))
    if filters.article_id is not None:
        stmt = stmt.where(Claim.article_id == filters.article_id)
    if filters.verdict:
        stmt = stmt.where(Claim.verdict == filters.verdict)
    if filters.overdue:
        stmt = stmt.where(overdue_condition(today or date.today()))
    rows = list(session.scalars(stmt).unique())
    claims = rows[:limit]
    return ClaimPage(claims, claims[-1].id if len(rows) > limit and claims else None)
