"""The audit trail: one event per write, hash-chained, append-only, verifiable."""
from __future__ import annotations

import itertools
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from factcheck.extensions import db
from factcheck.models import GENESIS_HASH, AuditEvent
from factcheck.services import audit
from tests.support.context import ctx


@pytest.fixture
def tamper(app):
    """A connection on which the append-only triggers are gone, as an attacker with DDL rights would
    have it. Afterwards the schema is rebuilt by the migrations (PostgreSQL keeps it across tests)."""
    db.session.rollback()  # the test's own open read would otherwise block the DDL on PostgreSQL
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("DROP TRIGGER audit_events_append_only ON audit_events"))
        else:
            connection.execute(sa.text("DROP TRIGGER audit_events_no_update"))
            connection.execute(sa.text("DROP TRIGGER audit_events_no_delete"))

    def run(statement: str, **params) -> None:
        with db.engine.begin() as connection:
            connection.execute(sa.text(statement), params)

    yield run
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        from flask_migrate import downgrade, upgrade

        downgrade(revision="base")
        upgrade()


def test_events_form_a_hash_chain(make):
    make.final_claim()
    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert len(events) > 5
    assert events[0].prev_hash == GENESIS_HASH
    for previous, event in itertools.pairwise(events):
        assert event.prev_hash == previous.hash
        assert event.hash == audit.compute_hash(event, ctx().settings.audit_key)
    assert audit.verify(ctx()).intact


def test_events_record_before_and_after(make):
    claim = make.assigned_claim()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "claim.assigned"))
    assert event.changes["status"] == {"before": "open", "after": "assigned"}
    assert event.changes["assignee_id"] == {"before": None, "after": claim.assignee_id}
    assert event.article_id == claim.article_id and event.object_id == claim.id


def test_requests_stamp_request_id_and_ip(make, login_as):
    article = make.article()
    editor = login_as("editor")
    editor.submit(f"/articles/{article.id}/claims", {"quote": "The line will cost 210 million euros"},
                  headers={"X-Request-ID": "req-abc-123"}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "claim.created"))
    assert event.request_id == "req-abc-123"
    assert event.ip_address == "203.0.113.9"
    assert event.actor_id == editor.user.id


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET action = 'x'",
    "DELETE FROM audit_events",
])
def test_triggers_refuse_update_and_delete(make, statement):
    make.article()
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(sa.text(statement))
    assert audit.verify(ctx()).intact


def test_verify_names_the_altered_event(app, make, tamper):
    make.final_claim()
    target = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id).offset(3).limit(1))
    tamper("UPDATE audit_events SET actor_label = 'someone else' WHERE id = :id", id=target)
    report = audit.verify(ctx())
    assert not report.intact and report.first_broken_id == target and "altered" in report.problem
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at event {target}" in result.output


def test_verify_names_the_event_after_a_deleted_one(app, make, tamper):
    make.final_claim()
    ids = list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))
    tamper("DELETE FROM audit_events WHERE id = :id", id=ids[4])
    report = audit.verify(ctx())
    assert not report.intact and report.first_broken_id == ids[5]
    assert report.count == 4


THREADS, EVENTS_EACH = 4, 10


def test_concurrent_writers_cannot_fork_the_chain(app, make):
    """Parallel transactions each append, all starting together; the chain stays one line."""
    make.article()
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def writer(n: int) -> None:
        with app.app_context():
            try:
                start.wait(timeout=10)
                for i in range(EVENTS_EACH):
                    for _attempt in range(50):
                        try:
                            audit.record(ctx(), actor=None, action="test.parallel", object_type="test",
                                         object_id=n * 100 + i)
                            db.session.commit()
                            break
                        except sa.exc.OperationalError:  # SQLite: the other writer holds the lock
                            db.session.rollback()
                    else:
                        raise AssertionError("could not write")
            except BaseException as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "test.parallel")) == THREADS * EVENTS_EACH
    prev_hashes = list(db.session.scalars(select(AuditEvent.prev_hash)))
    assert len(prev_hashes) == len(set(prev_hashes))
    report = audit.verify(ctx())
    assert report.intact and report.count == len(prev_hashes)
    # Every writer anchored its own commits, in whatever order they finished: the highest is the head.
    assert report.checkpoint == report.head and report.head.seq == len(prev_hashes)


def test_the_database_refuses_a_second_event_on_the_same_link(make):
    """Even a writer that skipped the chain lock cannot fork the chain: prev_hash is unique."""
    make.article()
    last = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    fork = AuditEvent(created_at=last.created_at, actor_label="x", action="test.fork", object_type="test",
                      changes={}, prev_hash=last.prev_hash, hash="f" * 64)
    db.session.add(fork)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert audit.verify(ctx()).intact


def test_cli_verify_records_its_result(app, make):
    make.article()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output
    event = audit.last_verification(db.session)
    assert event.actor_id is None and event.actor_label == "cli"
    assert event.changes["intact"]["after"] is True and event.changes["count"]["after"] == 3  # user, article, revision
    assert audit.verify(ctx()).count == 4


def test_cli_verify_records_a_broken_chain_too(app, make, tamper):
    make.final_claim()
    target = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id).offset(2).limit(1))
    tamper("UPDATE audit_events SET changes = '{}' WHERE id = :id", id=target)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    event = audit.last_verification(db.session)
    assert event.changes["intact"]["after"] is False and event.changes["first_broken_id"]["after"] == target
