"""The manager's dashboard: throughput, turnaround, overdue work, workload and the approval gate.

Every figure is one aggregate query (GROUP BY, or a window over the period's durations), so the
number of queries, and the rows each returns, do not grow with the number of claims or events.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Integer, and_, case, cast, func, select
from sqlalchemy.orm import joinedload, load_only

from factcheck.models import Article, ArticleStatus, Claim, ClaimStatus, Role, User, UserRole
from factcheck.security.permissions import Action
from factcheck.services.articles import blocking_condition
from factcheck.services.claim_queries import overdue_condition
from factcheck.services.context import Context, DbSession
from factcheck.services.workflow import WITH_CHECKER

S = ClaimStatus
# Workload columns, in workflow order.
WORKLOAD_STATES = tuple(s for s in ClaimStatus if s in WITH_CHECKER)
AT_THE_GATE = (ArticleStatus.IN_CHECK, ArticleStatus.READY)
DEFAULT_DAYS = 30
LIST_LIMIT = 20


@dataclass(frozen=True)
class Period:
    date_from: date  # inclusive, UTC
    date_to: date  # inclusive, UTC

    @classmethod
    def last_days(cls, days: int = DEFAULT_DAYS, today: date | None = None) -> Period:
        today = today or datetime.now(UTC).date()
        return cls(today - timedelta(days=days - 1), today)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time.min, tzinfo=UTC)

    @property
    def end(self) -> datetime | None:
        """Exclusive end; None when the period runs to the end of the calendar."""
        if self.date_to >= date.max:
            return None
        return datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=UTC)

    def contains(self, column: Any) -> Any:
        return and_(column >= self.start, column < self.end) if self.end else column >= self.start


@dataclass(frozen=True)
class Turnaround:
    """From a claim's first assignment (or its taking from the pool) to its accepted verdict, for claims
    made final in the period."""
    count: int
    median_seconds: float | None
    p90_seconds: float | None


@dataclass
class Workload:
    user_id: int
    name: str
    counts: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class WaitingArticle:
    article: Article
    unsettled: int


@dataclass
class Dashboard:
    period: Period
    today: date
    claims_by_status: list[tuple[str, int]] = field(default_factory=list)
    verdicts: list[tuple[str, int]] = field(default_factory=list)
    turnaround: Turnaround = Turnaround(0, None, None)
    overdue_count: int = 0
    overdue: list[Claim] = field(default_factory=list)
    workload: list[Workload] = field(default_factory=list)
    gate: list[tuple[str, int]] = field(default_factory=list)
    waiting: list[WaitingArticle] = field(default_factory=list)

    @property
    def finalized(self) -> int:
        return sum(count for _verdict, count in self.verdicts)


def summary(ctx: Context, *, viewer: User, period: Period | None = None, today: date | None = None) -> Dashboard:
    ctx.require(viewer, Action.DASHBOARD_READ)
    session = ctx.session
    today = today or ctx.now().date()
    period = period or Period.last_days(today=today)
    board = Dashboard(period, today)
    board.claims_by_status = _claims_by_status(session, period)
    board.verdicts = _verdicts(session, period, ctx.settings.verdict_scale)
    board.turnaround = turnaround(session, period)
    board.overdue_count, board.overdue = _overdue(session, today)
    board.workload = _workload(session, today)
    board.gate, board.waiting = _gate(session, blocking_condition(ctx.settings))
    return board


def _claims_by_status(session: DbSession, period: Period) -> list[tuple[str, int]]:
    """Claims brought in during the period, by the status they have now (in workflow order)."""
    rows = dict(session.execute(
        select(Claim.status, func.count()).where(period.contains(Claim.created_at)).group_by(Claim.status)
    ).all())
    return [(status.value, rows[status.value]) for status in ClaimStatus if status.value in rows]


def _verdicts(session: DbSession, period: Period, scale: tuple[str, ...]) -> list[tuple[str, int]]:
    """Verdicts made final during the period, in the order of the verdict scale."""
    rows = dict(session.execute(
        select(Claim.verdict, func.count())
        .where(Claim.status == S.FINAL, period.contains(Claim.finalized_at))
        .group_by(Claim.verdict)
    ).all())
    ordered = [verdict for verdict in scale if verdict in rows] + sorted(v for v in rows if v not in scale and v)
    return [(verdict, rows[verdict]) for verdict in ordered]


def _durations(session: DbSession, period: Period) -> Any:
    """One row per claim made final in the period that went to a checker: seconds from its first
    assignment. Both times are on the claim (``first_assigned_at`` is set by the assigning steps), so
    this reads the period's final claims off one index instead of joining them with the audit log."""
    seconds: Any
    if session.get_bind().dialect.name == "postgresql":
        seconds = func.extract("epoch", Claim.finalized_at - Claim.first_assigned_at)
    else:
        seconds = (func.julianday(Claim.finalized_at) - func.julianday(Claim.first_assigned_at)) * 86400.0
    return (
        select(seconds.label("seconds"))
        .where(Claim.status == S.FINAL, period.contains(Claim.finalized_at), Claim.first_assigned_at.is_not(None))
        .subquery()
    )


def turnaround(session: DbSession, period: Period) -> Turnaround:
    """Median and 90th percentile (linear interpolation, like percentile_cont) in one query."""
    durations = _durations(session, period)
    if session.get_bind().dialect.name == "postgresql":
        count, median, p90 = session.execute(select(
            func.count(),
            func.percentile_cont(0.5).within_group(durations.c.seconds),
            func.percentile_cont(0.9).within_group(durations.c.seconds),
        ).select_from(durations)).one()
        return Turnaround(count, _float(median), _float(p90))
    # SQLite has no percentile_cont: rank the durations and keep only the rows around each percentile.
    ranked = select(
        durations.c.seconds,
        (func.row_number().over(order_by=durations.c.seconds) - 1).label("pos"),
        func.count().over().label("n"),
    ).subquery()
    wanted = []
    for p in (0.5, 0.9):
        rank = p * (ranked.c.n - 1)
        floor = cast(rank, Integer)
        wanted.append(and_(ranked.c.pos >= floor, ranked.c.pos <= floor + 1))
    rows = session.execute(select(ranked.c.pos, ranked.c.n, ranked.c.seconds).where(wanted[0] | wanted[1])).all()
    if not rows:
        return Turnaround(0, None, None)
    n = rows[0].n
    by_pos = {row.pos: float(row.seconds) for row in rows}
    return Turnaround(n, _interpolate(by_pos, 0.5, n), _interpolate(by_pos, 0.9, n))


def _interpolate(by_pos: dict[int, float], p: float, n: int) -> float:
    rank = p * (n - 1)
    low = int(rank)
    high = min(low + 1, n - 1)
    return by_pos[low] + (by_pos[high] - by_pos[low]) * (rank - low)


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def _overdue(session: DbSession, today: date) -> tuple[int, list[Claim]]:
    overdue = overdue_condition(today)
    count = session.scalar(select(func.count()).select_from(Claim).where(overdue)) or 0
    # Only what the list shows: the claim's label, due date and status, its article's title, its checker.
    first = list(session.scalars(
        select(Claim).options(
            load_only(Claim.article_id, Claim.quote, Claim.statement, Claim.text_changed, Claim.status,
                      Claim.due_date, Claim.assignee_id),
            joinedload(Claim.article).load_only(Article.title),
            joinedload(Claim.assignee).load_only(User.display_name),
        ).where(overdue).order_by(Claim.due_date, Claim.id).limit(LIST_LIMIT)
    ))
    return count, first


def _workload(session: DbSession, today: date) -> list[Workload]:
    """Every active checker with their open claims by status (none is a row too: idle people show).
    The claims are counted per checker and status first (an index-only scan of (status, assignee,
    due date)), then joined with the checkers: the join sees at most checkers × 3 rows."""
    counts = (
        select(Claim.assignee_id, Claim.status, func.count().label("claims"),
               func.sum(case((Claim.due_date < today, 1), else_=0)).label("overdue"))
        .where(Claim.status.in_([s.value for s in WORKLOAD_STATES]), Claim.assignee_id.is_not(None))
        .group_by(Claim.assignee_id, Claim.status)
        .subquery()
    )
    rows = session.execute(
        select(User.id, User.display_name, counts.c.status, counts.c.claims, counts.c.overdue)
        .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == Role.CHECKER.value))
        .outerjoin(counts, counts.c.assignee_id == User.id)
        .where(User.is_active_account.is_(True))
    ).all()
    people: dict[int, Workload] = {}
    for user_id, name, status, count, overdue in rows:  # at most (checkers × 3) rows
        person = people.setdefault(user_id, Workload(user_id, name, {s.value: 0 for s in WORKLOAD_STATES}, 0))
        if status is not None:
            person.counts[status] = count
            person.overdue += int(overdue or 0)
    return sorted(people.values(), key=lambda w: (-w.total, w.name))


def _gate(session: DbSession, blocking: Any) -> tuple[list[tuple[str, int]], list[WaitingArticle]]:
    counts = dict(session.execute(
        select(Article.status, func.count()).where(Article.status.in_([s.value for s in AT_THE_GATE]))
        .group_by(Article.status)
    ).all())
    unsettled = (
        select(func.count(Claim.id))
        .where(Claim.article_id == Article.id, blocking)
        .correlate(Article).scalar_subquery()
    )
    waiting = [
        WaitingArticle(article, count) for article, count in session.execute(
            select(Article, unsettled).options(load_only(Article.title, Article.status, Article.updated_at))
            .where(Article.status.in_([s.value for s in AT_THE_GATE]))
            .order_by(Article.status.desc(), Article.updated_at, Article.id).limit(LIST_LIMIT)
        ).all()
    ]
    return [(status.value, counts.get(status.value, 0)) for status in AT_THE_GATE], waiting
