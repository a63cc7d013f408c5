"""The dashboard's running counts (migration 0015_running_counts) against a fresh COUNT(*), after
every kind of write the app makes: through the services, the pages' bulk steps and imports, sessions
writing side by side, and the migration's fill of a database that already has claims."""
from __future__ import annotations

import shutil
import threading
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, select

from factcheck import backup, create_app
from factcheck.errors import EditConflict, InvalidTransition
from factcheck.extensions import db
from factcheck.models import Article, Claim, RunningCount, User
from factcheck.models.running_count import NO_DAY
from factcheck.services import claims, dashboard, revisions, running_counts
from factcheck.services import evidence as evidence_service
from factcheck.services.context import Context
from factcheck.services.dashboard import Period
from tests.conftest import TEST_AUDIT_KEY, base_config
from tests.support.context import configure, ctx
from tests.support.factories import ARTICLE_TEXT, FIRST_CLAIM, SECOND_CLAIM

PASTED = ("Harbour plan passes\n"
          "The mayor said the harbour plan will create 4,000 jobs by 2030.\n"
          "Unemployment in the city fell to 6.1 percent last year, according to the statistics office.\n"
          "The port handled 12 million tonnes of cargo in 2023, the port authority said.\n")


def exact() -> dict[running_counts.Key, int]:
    """The kept counts, after checking each against a fresh count (the session's writes flushed)."""
    db.session.flush()
    connection = db.session.connection()
    assert running_counts.check(connection) == {}
    return running_counts.stored(connection)


def _kinds(counts: dict[running_counts.Key, int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for (kind, _day, _value, _user), n in counts.items():
        totals[kind] = totals.get(kind, 0) + n
    return totals


def test_every_step_of_the_workflow_keeps_the_counts(make, clock):
    editor, ann, bob = make.user("editor"), make.user("checker"), make.user("checker")
    assert exact() == {}
    article = make.article(editor)
    first = claims.add_claim(ctx(), actor=editor, article=article, quote=FIRST_CLAIM)
    second = claims.add_claim(ctx(), actor=editor, article=article, quote=SECOND_CLAIM)
    assert _kinds(exact()) == {"created": 2, "article": 1}
    claims.assign(ctx(), actor=editor, claim=first, assignee=ann, due_date=date(2024, 3, 5))
    assert exact()[running_counts.HELD, NO_DAY, "assigned", ann.id] == 1
    claims.assign(ctx(), actor=editor, claim=first, assignee=bob, due_date=date(2024, 3, 8))  # reassigned
    counts = exact()
    assert (running_counts.HELD, NO_DAY, "assigned", ann.id) not in counts
    assert counts[running_counts.DUE, date(2024, 3, 8), "", bob.id] == 1
    claims.start_work(ctx(), actor=bob, claim=first)
    evidence_service.add_evidence(ctx(), actor=bob, claim=first, url="https://example.org/minutes",
                                  title="Minutes", stance="supports")
    claims.propose_verdict(ctx(), actor=bob, claim=first, verdict="false", rationale="No.")
    exact()
    claims.return_verdict(ctx(), actor=editor, claim=first, note="Look again.")  # back to in progress
    assert exact()[running_counts.HELD, NO_DAY, "in_progress", bob.id] == 1
    claims.propose_verdict(ctx(), actor=bob, claim=first, verdict="false", rationale="Still no.")
    clock.set(clock.now + timedelta(days=2))
    claims.accept_verdict(ctx(), actor=editor, claim=first)
    counts = exact()
    assert counts[running_counts.FINAL, clock.now.date(), "false", 0] == 1
    assert (running_counts.DUE, date(2024, 3, 8), "", bob.id) not in counts  # settled: due no more
    claims.dismiss(ctx(), actor=editor, claim=second, reason="Not checkable.")
    exact()
    claims.resolve(ctx(), actor=editor, claim=first, resolution="kept_with_attribution", note="Attributed.")
    exact()
    # A new revision changes the final claim's words: it goes back to its checker.
    revisions.revise(ctx(), actor=editor, article=article,
                     text=ARTICLE_TEXT.replace("27 to 4", "26 to 5"))
    exact()
    db.session.refresh(first)
    assert first.status != "final"
    # Words that are gone orphan the claim.
    revisions.revise(ctx(), actor=editor, article=article, text="Lakeside council approves new tram line\n"
                     "The line will cost 210 million euros, according to the transport office.\n")
    exact()
    db.session.commit()
    exact()


def test_the_pages_bulk_steps_and_imports_keep_the_counts(make, login_as, app):
    configure(app, checker_pool=True)
    editor, checker = make.user("editor"), make.user("checker")
    client = login_as(editor)
    response = client.submit("/articles/new", {"title": "Harbour plan", "text": PASTED, "outlet": "Test Wire"})
    assert response.status_code == 302, response.get_data(as_text=True)
    suggested = list(db.session.scalars(select(Claim).where(Claim.status == "suggested")))
    assert len(suggested) >= 2  # inserted around the ORM, in bulk
    assert exact()[running_counts.CREATED, suggested[0].created_at.date(), "suggested", 0] == len(suggested)
    for claim in suggested:
        claims.accept_suggestion(ctx(), actor=editor, claim=claim)
    db.session.commit()
    exact()
    response = client.submit("/claims/bulk-assign", {
        "claim_ids": [c.id for c in suggested[:2]], "assignee_id": checker.id, "priority": "urgent",
        "due_date": "2031-05-01"})
    assert response.status_code == 302
    db.session.expire_all()
    assert exact()[running_counts.HELD, NO_DAY, "assigned", checker.id] == 2
    if len(suggested) > 2:
        claims.take_from_pool(ctx(), actor=make.user("checker"), claim=db.session.get(Claim, suggested[2].id))
        exact()


def test_deleting_an_article_takes_its_claims_out_of_the_counts(make):
    claim = make.final_claim()
    make.assigned_claim(due_date=date(2024, 3, 1))
    assert _kinds(exact())["final"] == 1
    db.session.execute(delete(Article).where(Article.id == claim.article_id))  # its claims by the cascade
    db.session.expire_all()
    counts = exact()
    assert "final" not in _kinds(counts) and _kinds(counts)["created"] == 1


def _session_writes(app: Flask, work: list[Any]) -> list[str]:
    """Each item of ``work`` (a function of a context) in a session and thread of its own, all
    started together; what each ended with."""
    runtime = app.extensions["factcheck"]
    outcomes = ["" for _ in work]
    start = threading.Barrier(len(work))

    def run(index: int, job: Any) -> None:
        with app.app_context():
            session = sa.orm.Session(db.engine)
            try:
                start.wait()
                job(Context.of(session, runtime), session)
                session.commit()
                outcomes[index] = "saved"
            except (EditConflict, InvalidTransition) as refused:
                session.rollback()
                outcomes[index] = f"refused: {type(refused).__name__}"
            except sa.exc.OperationalError as busy:  # SQLite's one writer, past its wait
                session.rollback()
                outcomes[index] = f"busy: {busy.orig}"
            finally:
                session.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def test_sessions_writing_side_by_side_keep_the_counts(app, make):
    editor = make.user("editor")
    checkers = [make.user("checker") for _ in range(3)]
    articles_made = [make.article(editor) for _ in range(3)]
    pairs = [(claims.add_claim(ctx(), actor=editor, article=a, quote=FIRST_CLAIM).id,
              claims.add_claim(ctx(), actor=editor, article=a, quote=SECOND_CLAIM).id) for a in articles_made]
    contested = make.assigned_claim(checkers[0], editor=editor, due_date=date(2024, 3, 3)).id
    ids = {"editor": editor.id, "checkers": [c.id for c in checkers]}
    db.session.commit()

    def bulk(n: int):
        def job(context: Context, session: sa.orm.Session) -> None:
            # Every session assigns to the same checker and day: they share the count rows.
            claims.bulk_assign(context, actor=session.get(User, ids["editor"]),
                               claims=[session.get(Claim, i) for i in pairs[n]],
                               assignee=session.get(User, ids["checkers"][1]), due_date=date(2024, 3, 9))
        return job

    def reassign(context: Context, session: sa.orm.Session) -> None:
        claims.assign(context, actor=session.get(User, ids["editor"]), claim=session.get(Claim, contested),
                      assignee=session.get(User, ids["checkers"][2]), due_date=date(2024, 3, 4))

    def start(context: Context, session: sa.orm.Session) -> None:
        claims.start_work(context, actor=session.get(User, ids["checkers"][0]), claim=session.get(Claim, contested))

    outcomes = _session_writes(app, [bulk(0), bulk(1), bulk(2), reassign, start])
    assert all(o == "saved" or o.startswith(("refused", "busy")) for o in outcomes), outcomes
    db.session.expire_all()
    counts = exact()
    held_by_second = sum(n for (kind, _d, _v, user), n in counts.items()
                         if kind == running_counts.HELD and user == ids["checkers"][1])
    assert held_by_second == 2 * outcomes[:3].count("saved")
    assert outcomes[:3].count("saved") >= 1


def test_the_migration_counts_what_is_already_there(app, make):
    checker = make.user("checker")
    make.final_claim(verdict="false")
    make.assigned_claim(checker, due_date=date(2024, 3, 1))
    make.claim()
    db.session.commit()
    expected = exact()
    db.session.remove()
    downgrade(revision="0014_assigned_by")
    upgrade()
    assert exact() == expected
    assert set(_kinds(expected)) == {"created", "final", "due", "held", "article"}


def test_the_dashboard_s_figures_are_fresh_counts(make, clock):
    """The figures the dashboard reads from the running counts, against COUNT(*) of the claims."""
    manager, editor = make.user("manager"), make.user("editor")
    ann, bob = make.user("checker"), make.user("checker")
    for checker, due in ((ann, date(2024, 3, 1)), (ann, date(2024, 3, 12)), (bob, date(2024, 3, 2))):
        make.assigned_claim(checker, editor=editor, due_date=due)
    claim = make.proposed_claim(bob, due_date=date(2024, 2, 20))
    clock.set(clock.now + timedelta(days=1))
    claims.accept_verdict(ctx(), actor=editor, claim=claim)
    make.claim()
    today = date(2024, 3, 10)
    board = dashboard.summary(ctx(), viewer=manager, period=Period(date(2024, 3, 1), date(2024, 3, 31)), today=today)
    session = db.session

    def count(*where: Any) -> int:
        return session.scalar(select(sa.func.count()).select_from(Claim).where(*where)) or 0

    assert board.overdue_count == count(Claim.due_date < today, Claim.status.not_in(["final", "dismissed"])) == 2
    for person in board.workload:
        held = Claim.assignee_id == person.user_id
        assert person.counts == {s: count(held, Claim.status == s) for s in ("assigned", "in_progress", "proposed")}
        assert person.overdue == count(held, Claim.status.in_(["assigned", "in_progress", "proposed"]),
                                       Claim.due_date < today)
    # Claims come in at the database's time; the services' clock made the verdict final in March 2024.
    brought_in = dashboard.summary(ctx(), viewer=manager, period=Period.last_days(today=date.today()), today=today)
    assert dict(brought_in.claims_by_status) == {s: count(Claim.status == s) for s in ("open", "assigned", "final")}
    assert board.verdicts == [("verified", 1)]
    assert dict(board.gate)["in_check"] == session.scalar(
        select(sa.func.count()).select_from(Article).where(Article.status == "in_check"))
    assert session.scalar(select(sa.func.count()).select_from(RunningCount).where(RunningCount.n < 0)) == 0


def test_on_sqlite_a_statement_s_journal_is_kept_in_memory(app):
    """A status change fires the counts' trigger, and SQLite then keeps a statement journal: a
    temporary file opened for every such statement unless temporary storage is memory."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("a SQLite setting")
    assert db.session.execute(sa.text("PRAGMA temp_store")).scalar() == 2  # MEMORY


def test_a_restored_backup_counts_its_claims_once(app, make, tmp_path, sqlite_template):
    """The counts are not in the archive: restoring the claims and articles counts them again."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("one round trip is enough (tests/ops/test_backup.py goes through PostgreSQL)")
    make.final_claim(verdict="false")
    make.assigned_claim(make.user("checker"), due_date=date(2024, 3, 1))
    db.session.commit()
    expected = exact()
    archive = tmp_path / "newsroom.zip"
    backup.export(db.engine, archive)
    target = tmp_path / "restored.sqlite3"
    shutil.copyfile(sqlite_template, target)
    restored = create_app(base_config(f"sqlite:///{target}"))
    with restored.app_context():
        backup.import_archive(db.session, archive, audit_key=TEST_AUDIT_KEY.encode())
        assert exact() == expected
        db.session.remove()
        db.engine.dispose()
