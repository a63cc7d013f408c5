"""The running counts the dashboard reads (``running_counts``, kept by the triggers of migration
``0015_running_counts`` in the transaction of every write to claims and articles).

The statements here read a few rows per day, status and checker, so their cost follows the period's
length and the number of checkers, not the number of claims. ``recount`` counts the same figures
afresh from the claims and articles with the app's own definitions (the workflow's groups of states),
and ``stored`` reads what the triggers kept: the two must always be equal, which the tests check
after every kind of write and an operator can check on a live database (``check``).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, bindparam, case, func, literal, select, union_all
from sqlalchemy.engine import Connection

from factcheck.models import Article, Claim, ClaimStatus, RunningCount
from factcheck.models.running_count import NO_DAY, NO_USER
from factcheck.services.workflow import SETTLED, WITH_CHECKER

RC = RunningCount
CREATED, FINAL, DUE, HELD, ARTICLE = "created", "final", "due", "held", "article"
# The key of a count: (kind, day, value, user id).
Key = tuple[str, date, str, int]

DAY_FROM = bindparam("day_from", type_=Date())
DAY_TO = bindparam("day_to", type_=Date())  # inclusive
TODAY = bindparam("today", type_=Date())


# ---- what the dashboard reads --------------------------------------------------------------------

def period_counts() -> Any:
    """(kind, value, claims): the claims brought in from ``day_from`` to ``day_to`` by the status they
    have now (kind ``created``), and those made final in those days by verdict (``final``)."""
    return (select(RC.kind, RC.value, func.sum(RC.n).label("claims"))
            .where(RC.kind.in_((CREATED, FINAL)), RC.day >= DAY_FROM, RC.day <= DAY_TO)
            .group_by(RC.kind, RC.value).having(func.sum(RC.n) != 0))


def overdue_total() -> Any:
    """The unsettled claims due before ``today``."""
    return select(func.coalesce(func.sum(RC.n), 0)).where(RC.kind == DUE, RC.day < TODAY).scalar_subquery()


def held_by_checker(statuses: tuple[str, ...]) -> Any:
    """(user id, claims held in each of ``statuses``…, of those due before ``today``): one row per
    checker holding any. Both kinds are read as day ranges of the primary key (``held`` counts are on
    ``NO_DAY``, which is before every today) and summed per checker, so the rows are the checkers."""
    def summed(kind: str, value: str | None = None) -> Any:
        return func.sum(case((RC.kind == kind, RC.n) if value is None else
                             ((RC.kind == kind) & (RC.value == value), RC.n), else_=0))
    return (select(RC.user_id, *(summed(HELD, status).label(status) for status in statuses),
                   summed(DUE).label("overdue"))
            .where(RC.kind.in_((DUE, HELD)), RC.day < TODAY, RC.user_id != NO_USER)
            .group_by(RC.user_id))


def articles_in(status: str) -> Any:
    """The articles with ``status``, as a scalar subquery."""
    return (select(func.coalesce(func.sum(RC.n), 0))
            .where(RC.kind == ARTICLE, RC.day == NO_DAY, RC.value == status, RC.user_id == NO_USER)
            .scalar_subquery())


# ---- kept right --------------------------------------------------------------------------------

def _utc_day(column: Any, dialect: str) -> Any:
    if dialect == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def _fresh(dialect: str) -> Any:
    """Every count as COUNT(*) of the claims and articles it stands for, by the app's definitions."""
    settled = [s.value for s in SETTLED]
    held = [s.value for s in WITH_CHECKER]
    holder = case((Claim.status.in_(held), func.coalesce(Claim.assignee_id, NO_USER)), else_=NO_USER)

    def counted(kind: str, day: Any, value: Any, user: Any, table: Any, *where: Any) -> Any:
        return (select(literal(kind).label("kind"), day.label("day"), value.label("value"), user.label("user_id"),
                       func.count().label("n"))
                .select_from(table).where(*where).group_by(day, value, user))

    no_day = literal(NO_DAY, Date())
    return union_all(
        counted(CREATED, _utc_day(Claim.created_at, dialect), Claim.status, literal(NO_USER), Claim),
        counted(FINAL, _utc_day(Claim.finalized_at, dialect), func.coalesce(Claim.verdict, ""), literal(NO_USER),
                Claim, Claim.status == ClaimStatus.FINAL.value, Claim.finalized_at.is_not(None)),
        counted(DUE, Claim.due_date, literal(""), holder, Claim,
                Claim.status.not_in(settled), Claim.due_date.is_not(None)),
        counted(HELD, no_day, Claim.status, Claim.assignee_id, Claim,
                Claim.status.in_(held), Claim.assignee_id.is_not(None)),
        counted(ARTICLE, no_day, Article.status, literal(NO_USER), Article),
    )


def _keyed(rows: Iterable[Any]) -> dict[Key, int]:
    counts: dict[Key, int] = {}
    for kind, day, value, user_id, n in rows:
        if isinstance(day, datetime):
            day = day.date()
        elif isinstance(day, str):  # SQLite's date() is text
            day = date.fromisoformat(day)
        if n:
            counts[kind, day, value, int(user_id)] = int(n)
    return counts


def recount(connection: Connection) -> dict[Key, int]:
    """The counts as they should be, counted now."""
    return _keyed(connection.execute(_fresh(connection.dialect.name)).all())


def stored(connection: Connection) -> dict[Key, int]:
    """The counts as the triggers kept them (a zero is no count)."""
    return _keyed(connection.execute(select(RC.kind, RC.day, RC.value, RC.user_id, RC.n).where(RC.n != 0)).all())


def check(connection: Connection) -> dict[Key, tuple[int, int]]:
    """The keys whose kept count differs from a fresh count: key -> (kept, fresh). Empty when right."""
    fresh, kept = recount(connection), stored(connection)
    return {key: (kept.get(key, 0), fresh.get(key, 0))
            for key in fresh.keys() | kept.keys() if kept.get(key, 0) != fresh.get(key, 0)}

