"""The manager's dashboard: throughput, turnaround, overdue work, workload and the approval gate.

Every figure is an aggregate read with the figures beside it in one statement where they share it
(five statements in all), so the number of queries, and the rows each returns, do not grow with the
number of claims or events. The counts (the period's claims by status and its verdicts, the overdue
claims, each checker's claims, the articles at the gate) are sums of the running counts that the
database keeps per day, status and checker (``services.running_counts``): their cost follows the
period's days and the checkers, not the claims. The turnaround's percentiles still read the period's
final claims, and the two lists read their 20 rows off an index.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from typing import Any
from typing import cast as cast_type

from sqlalchemy import (
    Column,
    Date,
    Integer,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import ColumnElement, UnaryExpression

from factcheck.models import Article, ArticleStatus, Claim, ClaimStatus, Role, User, UserRole
from factcheck.models.base import UTCDateTime
from factcheck.security.permissions import Action
from factcheck.services import built, driver_sql, running_counts, unchanged
from factcheck.services.articles import blocking_condition
from factcheck.services.claim_queries import overdue_condition
from factcheck.services.context import Context, DbSession
from factcheck.services.workflow import WITH_CHECKER
from factcheck.settings import Settings

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


@dataclass(frozen=True, slots=True)
class OverdueClaim:
    """A row of the overdue list: the columns it shows, not an ORM claim with its article and checker."""
    id: int
    label: str
    status: str
    due_date: date
    article_id: int
    article_title: str
    checker: str | None  # None: nobody is assigned


@dataclass(frozen=True, slots=True)
class WaitingArticle:
    id: int
    title: str
    status: str
    updated_at: datetime
    unsettled: int


@dataclass
class Dashboard:
    period: Period
    today: date
    claims_by_status: list[tuple[str, int]] = field(default_factory=list)
    verdicts: list[tuple[str, int]] = field(default_factory=list)
    turnaround: Turnaround = Turnaround(0, None, None)
    overdue_count: int = 0
    overdue: list[OverdueClaim] = field(default_factory=list)
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
    # The flush is what autoflush would have done; then the statements run on the connection itself.
    session.flush()
    connection = session.connection()
    settings = ctx.settings
    # The same figures until the database changes (``unchanged``: SQLite says when; on PostgreSQL the
    # audit log's newest event does). The figures depend on nothing else but the period, the day and the
    # two settings that the statements and their reading follow.
    key = ("dashboard", period, today, settings.verdict_scale, settings.verdicts_needing_resolution)
    if connection.dialect.name == "postgresql":
        return _in_one_statement(connection, board, settings, key)
    return unchanged.kept_while_unchanged(connection, key, lambda: _one_by_one(connection, board, settings))


def _one_by_one(connection: Connection, board: Dashboard, settings: Settings) -> Dashboard:
    """``summary``'s five selects, a statement each (SQLite, where a statement is no round trip), on
    the connection that the session holds: looked up once, not through the session's proxy for each
    statement with a flush before each (that plumbing cost more than two of the statements took to
    run). The same statements and readers as ``_period_counts``, ``turnaround``, ``_overdue``,
    ``_workload`` and ``_gate``, which stay for the tests that compare them with PostgreSQL's one
    statement."""
    period, today = board.period, board.today
    period_counts, ranks, overdue, workload, gate = _sqlite_statements(connection.dialect.name, period.end is None,
                                                                       settings)
    run, on_the_day = driver_sql.run_lean, {"today": today}
    board.claims_by_status, board.verdicts = _read_period_counts(
        run(connection, period_counts, {"day_from": period.date_from, "day_to": period.date_to}),
        settings.verdict_scale)
    board.turnaround = _read_ranks(run(connection, ranks, _period_params(period)))
    board.overdue_count, board.overdue = _read_overdue(run(connection, overdue, on_the_day))
    board.workload = _read_workload(run(connection, workload, on_the_day))
    board.gate, board.waiting = _read_gate(run(connection, gate, {}))
    return board


_SQLITE: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _sqlite_statements(dialect: str, open_ended: bool, settings: Settings) -> tuple[Any, ...]:
    """The five statements of ``_one_by_one``, built once per shape (the dialect, a period without an
    end, the verdicts that need a resolution): the statements ``_statement`` keeps for the five
    functions, looked up once for all five."""
    key = (dialect, open_ended, settings.verdicts_needing_resolution)
    statements = _SQLITE.get(key)
    if statements is None:
        period = Period(date.min, date.max) if open_ended else Period(date.min, date.min)
        statements = _SQLITE[key] = tuple(built.constant_lists(statement) for statement in (
            running_counts.period_counts(), _ranks(dialect, period), _overdue_list(dialect == "sqlite"),
            _workload_select(), _waiting(settings)))
    return statements


def _in_one_statement(connection: Connection, board: Dashboard, settings: Settings, key: Any) -> Dashboard:
    """``summary``'s five selects read in one statement (PostgreSQL): the same selects, each one's rows
    a JSON array of the one row (``driver_sql.together``). Every statement was a round trip to the
    server, and on PostgreSQL each cost the page more in the driver, SQLAlchemy and the wait than the
    server's work on its few rows; SQLite has no round trip and keeps a statement each. The statement
    reads the five only when the audit log's newest event is not the one the board kept for ``key``
    was read with (``unchanged.read_together``); else that board is given again."""
    period, today = board.period, board.today
    selects = _together(period.end is None, settings)
    kept = unchanged.kept_for(connection, key)
    try:
        probe, (period_rows, turnaround_rows, overdue_rows, workload_rows, gate_rows) = unchanged.read_together(
            connection, selects, {**_period_params(period), "day_from": period.date_from,
                                       "day_to": period.date_to, "today": today}, kept)
    except unchanged.Unchanged as same:
        kept_board: Dashboard = same.value
        return kept_board
    board.claims_by_status, board.verdicts = _read_period_counts(period_rows, settings.verdict_scale)
    [(count, median, p90)] = turnaround_rows
    board.turnaround = Turnaround(count, _float(median), _float(p90))
    board.overdue_count, board.overdue = _read_overdue(overdue_rows)
    board.workload = _read_workload(workload_rows)
    board.gate, board.waiting = _read_gate(gate_rows)
    return unchanged.keep(connection, key, probe, board)


_TOGETHER: dict[tuple[Any, ...], driver_sql.Together] = {}


def _together(open_ended: bool, settings: Settings) -> driver_sql.Together:
    """The five selects of PostgreSQL's dashboard as one statement, built once per shape (a period
    without an end; the verdicts that need a resolution, a setting)."""
    key = (open_ended, settings.verdicts_needing_resolution)
    selects = _TOGETHER.get(key)
    if selects is None:
        period = Period(date.min, date.max) if open_ended else Period(date.min, date.min)
        written = unchanged.constants_written
        selects = _TOGETHER[key] = unchanged.gated(
            (written(running_counts.period_counts()), None),
            (written(_percentiles("postgresql", period)), None),
            (written(_overdue_list(sqlite=False)), lambda rows: (rows.c.due_date, rows.c.id)),
            (_workload_select(written=True), None),
            (written(_waiting(settings)), lambda rows: (rows.c.status.desc(), rows.c.updated_at, rows.c.id)),
        )
    return selects


def _period_params(period: Period) -> dict[str, Any]:
    return {"period_start": period.start, "period_end": period.end}


# ---- the statements, built once ---------------------------------------------------------------------
# Building a statement and its cache key took SQLAlchemy longer than running it (0.5–1 ms each on a
# small newsroom, nine a page), so each is built once per process, database dialect and shape, with
# the period and the day as parameters given at every execution. Only the shape is kept: no figure.

_START = bindparam("period_start", type_=UTCDateTime())
_END = bindparam("period_end", type_=UTCDateTime())
_TODAY = bindparam("today", type_=Date())


def _statement(session: DbSession, build: Callable[[], Any], *shape: Any) -> Any:
    """``build()``, built once for the session's dialect and ``shape`` (every value it depends on)."""
    return built.once(lambda *_shape: build(), build.__qualname__, session.get_bind().dialect.name, *shape)


def _within(column: Any, period: Period) -> Any:
    """``period.contains(column)`` with the period's bounds as parameters."""
    return and_(column >= _START, column < _END) if period.end else column >= _START


def _run(session: DbSession, statement: Any, period: Period | None = None, today: date | None = None,
         days: Period | None = None) -> list[Any]:
    """``statement`` with the period's bounds as times (``period``) or as days (``days``), and the day."""
    params: dict[str, Any] = {}
    if period is not None:
        params.update(period_start=period.start, period_end=period.end)
    if days is not None:
        params.update(day_from=days.date_from, day_to=days.date_to)
    if today is not None:
        params["today"] = today
    # On the driver, compiled once (driver_sql): aggregates need none of the ORM session's execution
    # machinery, nor a cache key walked at every view. The flush is what autoflush would have done.
    session.flush()
    return driver_sql.run_lean(session.connection(), statement, params)


def _period_counts(session: DbSession, period: Period,
                   scale: tuple[str, ...]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Claims brought in during the period by the status they have now (in workflow order), and the
    verdicts made final during it (in the order of the verdict scale): one statement for both, over
    the running counts of the period's days (at most days × statuses rows, however many claims)."""
    return _read_period_counts(_run(session, _statement(session, running_counts.period_counts), days=period), scale)


def _read_period_counts(rows: list[Any],
                        scale: tuple[str, ...]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    statuses: dict[str, int] = {}
    verdicts: dict[str, int] = {}
    for kind, value, count in rows:
        (statuses if kind == running_counts.CREATED else verdicts)[value] = int(count)
    ordered = [verdict for verdict in scale if verdict in verdicts] + sorted(
        v for v in verdicts if v not in scale and v)
    return ([(status, statuses[status]) for status in _STATUS_ORDER if status in statuses],
            [(verdict, verdicts[verdict]) for verdict in ordered])


_STATUS_ORDER = tuple(status.value for status in ClaimStatus)


def _durations(dialect: str, period: Period) -> Any:
    """One row per claim made final in the period that went to a checker: seconds from its first
    assignment. Both times are on the claim (``first_assigned_at`` is set by the assigning steps), so
    this reads the period's final claims off one index instead of joining them with the audit log."""
    seconds: Any
    if dialect == "postgresql":
        seconds = func.extract("epoch", Claim.finalized_at - Claim.first_assigned_at)
    else:
        seconds = (func.julianday(Claim.finalized_at) - func.julianday(Claim.first_assigned_at)) * 86400.0
    return (
        select(seconds.label("seconds"))
        .where(Claim.status == S.FINAL, _within(Claim.finalized_at, period), Claim.first_assigned_at.is_not(None))
        .subquery()
    )


def turnaround(session: DbSession, period: Period) -> Turnaround:
    """Median and 90th percentile (linear interpolation, like percentile_cont) in one query."""
    dialect = session.get_bind().dialect.name

    def percentiles() -> Any:
        return _percentiles(dialect, period)

    if dialect == "postgresql":
        [(count, median, p90)] = _run(session, _statement(session, percentiles, period.end is None), period)
        return Turnaround(count, _float(median), _float(p90))

    def ranks() -> Any:
        return _ranks(dialect, period)

    return _read_ranks(_run(session, _statement(session, ranks, period.end is None), period))


def _ranks(dialect: str, period: Period) -> Any:
    """SQLite has no percentile_cont: rank the durations and keep only the rows around each percentile."""
    durations = _durations(dialect, period)
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
    return select(ranked.c.pos, ranked.c.n, ranked.c.seconds).where(wanted[0] | wanted[1])


def _read_ranks(rows: list[Any]) -> Turnaround:
    if not rows:
        return Turnaround(0, None, None)
    n = rows[0].n
    by_pos = {row.pos: float(row.seconds) for row in rows}
    return Turnaround(n, _interpolate(by_pos, 0.5, n), _interpolate(by_pos, 0.9, n))


def _percentiles(dialect: str, period: Period) -> Any:
    """PostgreSQL's turnaround: the count, the median and the 90th percentile in one row."""
    durations = _durations(dialect, period)
    return select(
        func.count(),
        func.percentile_cont(0.5).within_group(durations.c.seconds),
        func.percentile_cont(0.9).within_group(durations.c.seconds),
    ).select_from(durations)


def _interpolate(by_pos: dict[int, float], p: float, n: int) -> float:
    rank = p * (n - 1)
    low = int(rank)
    high = min(low + 1, n - 1)
    return by_pos[low] + (by_pos[high] - by_pos[low]) * (rank - low)


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def _overdue(session: DbSession, today: date) -> tuple[int, list[OverdueClaim]]:
    sqlite = session.get_bind().dialect.name == "sqlite"

    def overdue_list() -> Any:
        return _overdue_list(sqlite)

    return _read_overdue(_run(session, _statement(session, overdue_list), today=today))


def _overdue_list(sqlite: bool) -> Any:
    overdue = _overdue_on_the_day()
    # Every row carries the count (an uncorrelated subquery of the running counts: run once); no
    # row, no overdue claim.
    count = running_counts.overdue_total()
    if sqlite:
        overdue = _without_status_index(overdue)
    # Only what the list shows: the claim's label, due date and status, its article's title, its checker.
    return (select(Claim.id, Claim.quote, Claim.statement, Claim.text_changed, Claim.status, Claim.due_date,
                   Claim.article_id, Article.title, User.display_name, count.label("overdue_count"))
            .join(Article, Article.id == Claim.article_id).outerjoin(User, User.id == Claim.assignee_id)
            .where(overdue).order_by(Claim.due_date, Claim.id).limit(LIST_LIMIT))


def _read_overdue(rows: list[Any]) -> tuple[int, list[OverdueClaim]]:
    return (rows[0].overdue_count if rows else 0,
            [OverdueClaim(row.id, _claim_label(row), row.status, row.due_date, row.article_id, row.title,
                          row.display_name) for row in rows])


def _overdue_on_the_day() -> Any:
    """``overdue_condition`` (the one definition the claims list shares) with the day as a parameter.
    It compares the due date with the value it is given, so a bound parameter serves as well as a date
    (the cast only tells the type checker so)."""
    return overdue_condition(cast_type(date, _TODAY))


def _claim_label(row: Any) -> str:
    """``Claim.label`` (one rule for every page) of a row holding the columns it reads."""
    label: str = Claim.label.fget(row)  # type: ignore[attr-defined]
    return label


def _without_status_index(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """The same condition with the claim's status written ``+status``, which SQLite cannot look up in an
    index. Offered ``status IN (…)``, SQLite reads every unsettled claim from a status index and sorts
    them all (the list then grows with the open work: 0.2 → 2.7 ms from 312 to 5,000 claims); without
    it, it walks ``ix_claims_due_date_id_status`` in the list's order and stops at the 20th.
    PostgreSQL picks that index by itself."""
    status = Claim.__table__.c.status
    plus = UnaryExpression(status, operator=operators.custom_op("+"), type_=status.type)

    def replace(element: Any, **_kw: Any) -> Any:
        # The ORM hands the column over annotated (a copy that knows its entity): compare what it is.
        return plus if isinstance(element, Column) and element.table is status.table and element.name == "status" \
            else None
    return visitors.replacement_traverse(condition, {}, replace)


def _workload(session: DbSession, today: date) -> list[Workload]:
    """Every active checker with their open claims by status (none is a row too: idle people show),
    from the running counts: one row per checker, however many claims they hold."""
    def workload() -> Any:
        return _workload_select()

    return _read_workload(_run(session, _statement(session, workload), today=today))


_STATES = tuple(state.value for state in WORKLOAD_STATES)


def _workload_select(written: bool = False) -> Any:
    """``written``: the code's constants written into the SQL (``unchanged.constants_written``), the
    counts' before they are joined (the ORM's join of a select rewritten afterwards loses its left side)."""
    held = running_counts.held_by_checker(_STATES)
    checker: Any = Role.CHECKER.value
    if written:
        held = unchanged.constants_written(held)
        checker = literal_column(f"'{checker}'") if checker.isalpha() else checker
    counts = held.subquery()
    return (
        select(User.id, User.display_name, *(counts.c[state] for state in _STATES), counts.c.overdue)
        .select_from(User)  # named: a literal in the join's condition leaves the ORM no left side to infer
        .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == checker))
        .outerjoin(counts, counts.c.user_id == User.id)
        .where(User.is_active_account.is_(True))
    )


def _read_workload(rows: list[Any]) -> list[Workload]:
    """The checkers, most open claims first, then by name. Sorted as plain tuples of the counts and
    their sum, each person's sum taken once (a row per checker: 39 on the bench's newsroom)."""
    states = _STATES
    people = []
    for user_id, name, *held, overdue in rows:
        counts = [int(n or 0) for n in held]
        people.append((-sum(counts), name, user_id, counts, overdue))
    people.sort(key=_BY_LOAD_AND_NAME)
    return [Workload(user_id, name, dict(zip(states, counts, strict=True)), int(overdue or 0))
            for _total, name, user_id, counts, overdue in people]


_BY_LOAD_AND_NAME = itemgetter(0, 1)


def _gate(session: DbSession, settings: Settings) -> tuple[list[tuple[str, int]], list[WaitingArticle]]:
    """The articles at the gate, counted by status, and the 20 that wait longest with their unsettled
    claims: one statement, every row carrying the counts (uncorrelated subqueries, run once; no row,
    no article at the gate)."""
    def waiting() -> Any:
        return _waiting(settings)

    return _read_gate(_run(session, _statement(session, waiting, settings.verdicts_needing_resolution)))


def _waiting(settings: Settings) -> Any:
    unsettled = (
        select(func.count(Claim.id))
        .where(Claim.article_id == Article.id, blocking_condition(settings))
        .correlate(Article).scalar_subquery()
    )
    # The 20 articles are picked first and only theirs are counted: counting in the same statement
    # as the sort counted the unsettled claims of every article at the gate.
    order = (Article.status.desc(), Article.updated_at, Article.id)
    picked = (select(Article.id).where(Article.status.in_([s.value for s in AT_THE_GATE]))
              .order_by(*order).limit(LIST_LIMIT).subquery())
    counts = [running_counts.articles_in(status.value) for status in AT_THE_GATE]
    return (select(Article.id, Article.title, Article.status, Article.updated_at, unsettled, *counts)
            .join(picked, picked.c.id == Article.id).order_by(*order))


def _read_gate(rows: list[Any]) -> tuple[list[tuple[str, int]], list[WaitingArticle]]:
    counts = rows[0][-len(AT_THE_GATE):] if rows else (0,) * len(AT_THE_GATE)
    return ([(status.value, count) for status, count in zip(AT_THE_GATE, counts, strict=True)],
            [WaitingArticle(*row[:5]) for row in rows])
