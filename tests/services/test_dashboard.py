"""The manager's dashboard figures, each one aggregate query."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from factcheck.errors import PermissionDenied
from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services import articles, claims, dashboard
from factcheck.services import evidence as evidence_service
from factcheck.services.claim_queries import overdue_condition
from factcheck.services.dashboard import Period
from tests.support.context import ctx
from tests.support.factories import SECOND_CLAIM

MARCH = Period(date(2024, 3, 1), date(2024, 3, 31))


def _percentile(values: list[float], p: float) -> float:
    """percentile_cont: linear interpolation between the closest ranks."""
    ordered = sorted(values)
    rank = p * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _finalize_after(make, clock, hours: float, verdict: str = "verified") -> None:
    """A claim assigned at the clock's time and made final ``hours`` later."""
    claim = make.proposed_claim(verdict=verdict)  # assigned (and worked on) at the clock's time
    assigned_at = clock.now
    reviewer = make.user("editor")
    clock.set(assigned_at + timedelta(hours=hours))
    claims.accept_verdict(ctx(), actor=reviewer, claim=claim)


def test_only_managers_and_admins_see_it(make):
    for role in ("checker", "editor"):
        with pytest.raises(PermissionDenied):
            dashboard.summary(ctx(), viewer=make.user(role))
    assert dashboard.summary(ctx(), viewer=make.user("admin")).turnaround.count == 0


@pytest.mark.parametrize("hours", [[5.0], [1, 2, 3, 5, 8, 13], [30, 1.5, 2, 100, 7, 7, 3, 48, 0.25, 12, 6]])
def test_turnaround_median_and_90th_percentile(make, clock, hours):
    for h in hours:
        _finalize_after(make, clock, h)
    figures = dashboard.turnaround(db.session, MARCH)
    assert figures.count == len(hours)
    assert figures.median_seconds == pytest.approx(_percentile([h * 3600 for h in hours], 0.5), abs=0.5)
    assert figures.p90_seconds == pytest.approx(_percentile([h * 3600 for h in hours], 0.9), abs=0.5)


def test_turnaround_counts_from_the_first_assignment_and_only_in_the_period(make, clock):
    editor = make.user("editor")
    checker = make.user("checker")
    claim = make.assigned_claim(checker, editor=editor)  # first assignment: now
    clock.set(clock.now + timedelta(hours=2))
    claims.assign(ctx(), actor=editor, claim=claim, assignee=checker)  # reassigned: does not restart it
    evidence_service.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/a", title="A",
                                  stance="supports")
    claims.propose_verdict(ctx(), actor=checker, claim=claim, verdict="false", rationale="No.")
    clock.set(clock.now + timedelta(hours=2))
    claims.accept_verdict(ctx(), actor=make.user("editor"), claim=claim)
    figures = dashboard.turnaround(db.session, MARCH)
    assert figures.count == 1 and figures.median_seconds == pytest.approx(4 * 3600, abs=1)
    assert dashboard.turnaround(db.session, Period(date(2024, 4, 1), date(2024, 4, 30))).count == 0


def test_statuses_verdicts_overdue_workload_and_gate(make, clock):
    manager = make.user("manager")
    ann, bob, idle = make.user("checker"), make.user("checker"), make.user("checker")
    editor = make.user("editor")
    late = make.assigned_claim(ann, editor=editor)
    claims.assign(ctx(), actor=editor, claim=late, assignee=ann, due_date=date(2024, 3, 2))
    article = late.article
    second = claims.add_claim(ctx(), actor=editor, article=article, quote=SECOND_CLAIM)
    claims.assign(ctx(), actor=editor, claim=second, assignee=bob, due_date=date(2024, 3, 20))
    claims.start_work(ctx(), actor=bob, claim=second)
    _finalize_after(make, clock, 1, verdict="false")
    _finalize_after(make, clock, 1, verdict="verified")
    _finalize_after(make, clock, 1, verdict="false")
    board = dashboard.summary(ctx(), viewer=manager, period=Period.last_days(today=date.today()),
                              today=date(2024, 3, 10))
    assert dict(board.claims_by_status) == {"assigned": 1, "in_progress": 1, "final": 3}
    assert [status for status, _ in board.claims_by_status] == ["assigned", "in_progress", "final"]
    assert dict(board.verdicts) == {}  # made final in March 2024, by the services' clock
    march = dashboard.summary(ctx(), viewer=manager, period=MARCH, today=date(2024, 3, 10))
    assert march.verdicts == [("verified", 1), ("false", 2)]  # in the order of the verdict scale
    assert march.finalized == 3
    assert march.overdue_count == 1 and [c.id for c in march.overdue] == [late.id]
    workload = {w.name: w for w in march.workload}
    assert workload[ann.display_name].counts == {"assigned": 1, "in_progress": 0, "proposed": 0}
    assert workload[ann.display_name].overdue == 1
    assert workload[bob.display_name].counts["in_progress"] == 1 and workload[bob.display_name].overdue == 0
    assert workload[idle.display_name].total == 0
    gate = dict(march.gate)
    assert gate["in_check"] == 3 and gate["ready"] == 1  # a "false" verdict waits for its resolution
    waiting = {row.id: row.unsettled for row in march.waiting}
    assert waiting[article.id] == 2


def test_an_approved_article_leaves_the_gate(make):
    manager = make.user("manager")
    claim = make.final_claim()
    assert dict(dashboard.summary(ctx(), viewer=manager).gate)["ready"] == 1
    articles.approve(ctx(), actor=make.user("editor"), article=claim.article)
    assert dict(dashboard.summary(ctx(), viewer=manager).gate) == {"in_check": 0, "ready": 0}


def test_periods(make):
    period = Period.last_days(30, today=date(2024, 3, 31))
    assert (period.date_from, period.date_to) == (date(2024, 3, 2), date(2024, 3, 31))
    assert period.start == datetime(2024, 3, 2, tzinfo=UTC)
    assert period.end == datetime(2024, 4, 1, tzinfo=UTC)
    assert Period(date.min, date.max).end is None


def test_the_overdue_list_is_the_overdue_claims_most_overdue_first(make):
    """Checked against ``overdue_condition`` itself: on SQLite the list spells the status differently
    (``+status``, to walk the due-date index), and must still pick the same claims."""
    manager, editor, checker = make.user("manager"), make.user("editor"), make.user("checker")
    for days in (-3, -1, -3, 0, 2):
        make.assigned_claim(checker, editor=editor, due_date=date(2024, 3, 10) + timedelta(days))
    make.final_claim(checker=checker, due_date=date(2024, 3, 1))  # past its date, but settled
    board = dashboard.summary(ctx(), viewer=manager, period=MARCH, today=date(2024, 3, 10))
    expected = db.session.execute(select(Claim.id).where(overdue_condition(date(2024, 3, 10)))
                                  .order_by(Claim.due_date, Claim.id)).scalars().all()
    assert [row.id for row in board.overdue] == expected and board.overdue_count == len(expected) == 3
    first = board.overdue[0]
    claim = db.session.get(Claim, first.id)
    assert (first.checker, first.article_title, first.article_id, first.label, first.status, first.due_date) == (
        checker.display_name, claim.article.title, claim.article_id, claim.label, claim.status, date(2024, 3, 7))


def _summary_plan(make, picks) -> str:
    """SQLite's plan of the one statement of the dashboard's summary that ``picks`` chooses."""
    make.assigned_claim()
    seen: list[tuple[str, object]] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        if picks(statement):
            seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        dashboard.summary(ctx(), viewer=make.user("manager"), today=date(2024, 3, 10))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", on_execute)
    [(statement, parameters)] = seen
    with db.engine.connect() as connection:
        return " | ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}",
                                                                          parameters))  # type: ignore[arg-type]


def test_on_sqlite_the_overdue_list_walks_the_due_date_index(app, make):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is checked on SQLite (PostgreSQL picks the index by itself)")
    plan = _summary_plan(make, lambda statement: "ORDER BY claims.due_date" in statement)
    assert "ix_claims_due_date_id_status" in plan and "TEMP B-TREE" not in plan, plan


def test_on_sqlite_the_workload_reads_the_running_counts_not_the_claims(app, make):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is checked on SQLite")
    plan = _summary_plan(make, lambda statement: "user_roles" in statement and "running_counts" in statement)
    # Two day ranges of the counts' primary key (what checkers hold, what of it is overdue), one row
    # per checker: nothing that grows with the claims.
    assert "SEARCH running_counts USING PRIMARY KEY (kind=? AND day<?)" in plan, plan
    assert "claims" not in plan, plan


def _five_statements(board: dashboard.Dashboard) -> dashboard.Dashboard:
    """The figures of ``board``'s period and day as the five statements read them, one each."""
    session, settings = db.session, ctx().settings
    period, today = board.period, board.today
    separate = dashboard.Dashboard(period, today)
    separate.claims_by_status, separate.verdicts = dashboard._period_counts(session, period, settings.verdict_scale)
    separate.turnaround = dashboard.turnaround(session, period)
    separate.overdue_count, separate.overdue = dashboard._overdue(session, today)
    separate.workload = dashboard._workload(session, today)
    separate.gate, separate.waiting = dashboard._gate(session, settings)
    return separate


def test_on_postgresql_the_figures_are_read_in_one_statement(make, clock):
    """PostgreSQL reads the five selects in one statement (their rows as JSON): the figures, their
    order and their types are those of the five statements, for a period with an end and one without."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite reads a statement each (no round trips to save)")
    manager, editor = make.user("manager"), make.user("editor")
    ann, bob = make.user("checker"), make.user("checker")
    ann.display_name = 'Ann "<b>O\'Neil</b>" & Ünal\n'
    for hours, verdict in ((1.25, "false"), (7, "verified"), (0.001, "misleading"), (30, "false")):
        _finalize_after(make, clock, hours, verdict=verdict)
    for days, checker in ((-3, ann), (-1, bob), (-3, ann), (0, bob), (2, ann)):
        claim = make.assigned_claim(checker, editor=editor, due_date=date(2024, 3, 10) + timedelta(days))
    claim.article.title = "Tram <script>'line'</script> \\ \"approved\" — ✓"
    claims.start_work(ctx(), actor=bob, claim=make.assigned_claim(bob, editor=editor))
    db.session.flush()
    dashboard.summary(ctx(), viewer=manager)  # the viewer and their roles loaded again after the commits
    seen: list[str] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    for period in (MARCH, Period(date(2024, 3, 5), date.max), Period(date(2030, 1, 1), date(2030, 1, 2))):
        sa.event.listen(db.engine, "before_cursor_execute", on_execute)
        try:
            board = dashboard.summary(ctx(), viewer=manager, period=period, today=date(2024, 3, 10))
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", on_execute)
        assert len(seen) == 1, [statement[:60] for statement in seen]
        seen.clear()
        separate = _five_statements(board)
        assert repr(board) == repr(separate)
        assert [type(value) for value in (board.overdue[0].due_date, board.waiting[0].updated_at)] == [
            type(separate.overdue[0].due_date), type(separate.waiting[0].updated_at)]
        assert board.waiting[0].updated_at.tzinfo is UTC
    march = dashboard.summary(ctx(), viewer=manager, period=MARCH, today=date(2024, 3, 10))
    assert march.turnaround.count == 4 and march.turnaround.median_seconds == pytest.approx(4.125 * 3600, abs=0.5)
    assert [row.id for row in march.overdue] == [row.id for row in _five_statements(march).overdue]
    assert len(march.overdue) == 3 and march.overdue_count == 3


def _overdue_titles(board: dashboard.Dashboard) -> list[str]:
    return [row.article_title for row in board.overdue]


def _one_overdue_claim(make):
    """A manager, an editor, a checker and one claim overdue, with the board as the manager first reads it."""
    manager, editor, checker = make.user("manager"), make.user("editor"), make.user("checker")
    claim = make.assigned_claim(checker, editor=editor)
    claims.assign(ctx(), actor=editor, claim=claim, assignee=checker, due_date=date(2020, 1, 1))
    first = dashboard.summary(ctx(), viewer=manager)
    assert first.overdue_count == 1
    return manager, editor, checker, claim, first


def test_on_sqlite_the_figures_are_kept_until_anything_is_written(make, count_queries):
    """SQLite: the figures of an unchanged database are given again without a statement; a write
    through the app, one committed by another connection (another worker, the command line) and one not
    committed yet each show at the next reading, and a write rolled back leaves no trace."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL reads its one statement every time")
    manager, editor, checker, claim, first = _one_overdue_claim(make)
    with count_queries() as seen:
        again = dashboard.summary(ctx(), viewer=manager)
    assert again == first and not seen, seen
    # Through the app: its transaction commits on the session's connection.
    claims.assign(ctx(), actor=editor, claim=claim, assignee=checker, due_date=date(2099, 1, 1))
    assert dashboard.summary(ctx(), viewer=manager).overdue_count == 0
    claims.assign(ctx(), actor=editor, claim=claim, assignee=checker, due_date=date(2020, 1, 1))
    assert _overdue_titles(dashboard.summary(ctx(), viewer=manager)) == ["Tram line approved"]
    # Committed by a connection the app knows nothing of.
    path = db.engine.url.database
    other = sa.create_engine(f"sqlite:///{path}")
    with other.begin() as connection:
        connection.execute(sa.text("UPDATE articles SET title = 'Renamed elsewhere'"))
    other.dispose()
    assert _overdue_titles(dashboard.summary(ctx(), viewer=manager)) == ["Renamed elsewhere"]
    # Written on the session's connection and not committed: read afresh, and not kept past the rollback.
    db.session.execute(sa.update(Claim).where(Claim.id == claim.id).values(due_date=date(2099, 1, 1)))
    assert dashboard.summary(ctx(), viewer=manager).overdue_count == 0
    db.session.rollback()
    assert dashboard.summary(ctx(), viewer=manager).overdue_count == 1
    # Another day, another period: each read for itself.
    tomorrow = dashboard.summary(ctx(), viewer=manager, today=date.today() + timedelta(days=1))
    assert tomorrow.today == date.today() + timedelta(days=1)
    assert tomorrow.period != first.period


def test_on_sqlite_a_database_in_memory_is_read_every_time(count_queries):
    """No second connection can watch a database in memory: its figures are read at every view."""
    from sqlalchemy.pool import StaticPool

    from factcheck.services import unchanged

    engine = sa.create_engine("sqlite://", poolclass=StaticPool)
    reads = []
    with engine.connect() as connection:
        for _ in range(2):
            unchanged.kept_while_unchanged(connection, "key", lambda: reads.append(1))
    assert len(reads) == 2
    engine.dispose()


def test_on_postgresql_the_board_is_kept_while_the_audit_log_s_newest_event_is_the_same(make, count_queries):
    """PostgreSQL: the board is given again while no event has been committed since it was read (its
    one statement then reads only the newest event); a write through the app (its event) shows at the
    next reading, and a write of the session's own transaction not committed yet is read, not kept,
    and gone after its rollback."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps its figures by PRAGMA data_version")
    manager, editor, checker, claim, first = _one_overdue_claim(make)
    with count_queries() as seen:
        again = dashboard.summary(ctx(), viewer=manager)
    assert again is first and len(seen) == 1, seen
    claims.assign(ctx(), actor=editor, claim=claim, assignee=checker, due_date=date(2099, 1, 1))
    moved = dashboard.summary(ctx(), viewer=manager)
    assert moved.overdue_count == 0 and moved is not first
    assert dashboard.summary(ctx(), viewer=manager) is moved
    # Not committed: the transaction's own write is in the figures, which are not kept.
    db.session.execute(sa.update(Claim).where(Claim.id == claim.id).values(due_date=date(2020, 1, 1)))
    own = dashboard.summary(ctx(), viewer=manager)
    assert own.overdue_count == 1
    assert dashboard.summary(ctx(), viewer=manager) is not own
    db.session.rollback()
    assert dashboard.summary(ctx(), viewer=manager) is moved
    # The period and the day are the board's key.
    other_day = dashboard.summary(ctx(), viewer=manager, today=date.today() + timedelta(days=1))
    assert other_day is not moved and other_day.today == date.today() + timedelta(days=1)


def test_on_postgresql_the_board_s_statement_is_planned_once_per_connection(make):
    """The kept board's statement has the code's constants written in, so PostgreSQL plans the
    prepared statement once for all views (a generic plan) instead of at every view: on a large
    newsroom a constant left as a parameter (a LIMIT, a kind of count) made the generic plan look
    dearer than those made for the values, and every view was planned afresh. Its only parameters
    are the period, the day and the kept hash."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's plan cache")
    for open_ended in (False, True):
        statement = dashboard._together(open_ended, ctx().settings).statement
        assert set(statement.compile(dialect=db.engine.dialect).params) == {
            "period_start", "period_end", "day_from", "day_to", "today", "kept_newest"} - (
            {"period_end"} if open_ended else set())
    manager = make.user("manager")
    db.session.commit()
    for _ in range(20):  # psycopg prepares it at its fifth run; PostgreSQL plans five runs for their values
        dashboard.summary(ctx(), viewer=manager)
    [(generic, custom)] = db.session.execute(sa.text(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%part_0.newest%'"
        " AND statement LIKE '%running_counts%'")).all()
    assert generic >= 5 and custom <= 5, (generic, custom)
