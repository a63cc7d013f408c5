"""On PostgreSQL a GET request reads without a transaction until it writes (factcheck.read_requests):
no BEGIN before its first statement and no ROLLBACK after its last, two round trips a page (issue 15).
What each request sends is read from libpq's own trace of the protocol (PQtrace), not from SQLAlchemy:
psycopg's BEGIN never passes through SQLAlchemy's events.

SQLite is left as it was: its driver sends no BEGIN before a read in the first place."""
from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event, func, select

from factcheck import create_app
from factcheck.extensions import db
from factcheck.models import AuditEvent, Note, Notification
from factcheck.read_requests import plain_read, reading_without_transaction
from factcheck.services.db import transaction
from tests.conftest import Client, base_config

# One message of the trace: "F" (to the server) or "B", its length, its type, its fields (a statement's
# text may span lines).
_MESSAGE = re.compile(r"^(?=[FB]\t\d+\t)", re.MULTILINE)
_SENT = re.compile(r'F\t\d+\t(?:Query|Parse)\t\s*(?:"[^"]*" )?"(.*)"', re.DOTALL)
_PREPARED = re.compile(r'F\t\d+\tBind\t\s*"[^"]*" "_pg3_\d+"')
TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK"}


@pytest.fixture
def on_postgres(app: Flask) -> Flask:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's driver sends no BEGIN before a read: there is nothing to leave out")
    return app


@contextmanager
def wire(app: Flask) -> Iterator[list[str]]:
    """The statements the app's connections send to the server meanwhile, in order, as libpq traces
    them: simple queries (psycopg's BEGIN, COMMIT, ROLLBACK), statements parsed, and prepared ones
    run again (as ``prepared``)."""
    from psycopg.pq import Trace

    sent: list[str] = []
    with tempfile.TemporaryDirectory() as folder, open(Path(folder) / "trace", "w") as out:
        def checkout(driver: Any, _record: Any, _proxy: Any) -> None:
            driver.pgconn.trace(out.fileno())
            driver.pgconn.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS | Trace.REGRESS_MODE)

        def checkin(driver: Any, _record: Any) -> None:
            if driver is not None and not driver.closed:
                driver.pgconn.untrace()

        engine = _engine(app)
        event.listen(engine, "checkout", checkout, insert=True)  # before the pool ping's
        event.listen(engine, "checkin", checkin)
        try:
            yield sent
        finally:
            event.remove(engine, "checkout", checkout)
            event.remove(engine, "checkin", checkin)
            out.flush()
            text = (Path(folder) / "trace").read_text()
            for message in _MESSAGE.split(text):
                if (found := _SENT.match(message)) is not None:
                    sent.append(found.group(1))
                elif _PREPARED.match(message) is not None:
                    sent.append("prepared")


def _engine(app: Flask) -> sa.Engine:
    with app.app_context():
        return db.engine


def _words(sent: list[str]) -> list[str]:
    return [statement.split(None, 1)[0].upper() if statement.strip() else "" for statement in sent]


def _signed_in(app: Flask, user: Any) -> Client:
    from tests.support.factories import Factory

    app.test_client_class = Client
    client = app.test_client()
    assert client.submit("/login", {"email": user.email, "password": Factory.PASSWORD}).status_code == 302
    return client  # type: ignore[return-value]


def test_read_only_pages_send_no_begin_and_no_rollback(on_postgres, make, login_as):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(make.user("editor"))
    for path in ("/healthz", "/articles", f"/claims/{claim.id}", "/claims", "/dashboard"):
        client.get(path)  # the pool's first connection, the statements' first runs
        with wire(on_postgres) as sent:
            assert client.get(path).status_code in (200, 403), path
        assert sent and set(_words(sent)) <= {"SELECT", "PREPARED"}, (path, sent)


def test_with_the_setting_off_every_page_pays_begin_and_rollback(on_postgres, make, tmp_path):
    """The same page, on an app whose reads run in a transaction as before: the two round trips the
    setting saves, seen on the wire (so the test above would see them if they were sent)."""
    url = on_postgres.config["SQLALCHEMY_DATABASE_URI"]
    before = create_app({**base_config(url, tmp_path / "checkpoints.jsonl"), "FACTCHECK_READS_WITHOUT_TRANSACTION": False})
    editor = make.user("editor")
    make.article(editor)
    try:
        client = _signed_in(before, editor)
        for path in ("/healthz", "/articles"):
            with wire(before) as sent:
                assert client.get(path).status_code == 200
            words = _words(sent)
            assert words[0] == "BEGIN" and words[-1] == "ROLLBACK" and words.count("BEGIN") == 1, (path, sent)
    finally:
        with before.app_context():
            db.engine.dispose()


def test_a_pool_ping_sends_one_statement_and_leaves_no_transaction_open(on_postgres, make, tmp_path):
    """A connection idle long enough is pinged on checkout (factcheck.pool_ping): in autocommit
    (SQLAlchemy's psycopg ping), so no transaction is left open and the page after it reads without one."""
    url = on_postgres.config["SQLALCHEMY_DATABASE_URI"]
    pinging = create_app({**base_config(url, tmp_path / "checkpoints.jsonl"), "POOL_PING_AFTER_IDLE_SECONDS": 0.0})
    make.article(make.user("editor"))
    try:
        client = pinging.test_client()
        client.get("/healthz")
        with wire(pinging) as sent:
            assert client.get("/healthz").status_code == 200
        # The ping (psycopg's is an empty statement), then the page's own.
        assert sent == [";", "SELECT 1"], sent
    finally:
        with pinging.app_context():
            db.engine.dispose()


def test_a_claim_page_that_marks_notifications_read_commits_them_with_their_audit_event(on_postgres, make, login_as):
    """The claim page's one write (opening a claim reads its notifications): the UPDATE and the audit
    event go in one transaction, BEGIN before the first of them and COMMIT after the last; the page's
    reads before and after it go without."""
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    assert db.session.scalar(select(func.count()).where(Notification.user_id == checker.id,
                                                        Notification.read_at.is_(None))) == 1
    with wire(on_postgres) as sent:
        assert client.get(f"/claims/{claim.id}").status_code == 200
    words = _words(sent)
    assert words.count("BEGIN") == 1 and words.count("COMMIT") == 1 and "ROLLBACK" not in words, sent
    begin, commit = words.index("BEGIN"), words.index("COMMIT")
    inside = sent[begin + 1:commit]
    assert any(s.startswith("UPDATE notifications") for s in inside), sent
    assert any(s.startswith("INSERT INTO audit_events") for s in inside), sent
    assert not any(w in ("UPDATE", "INSERT", "DELETE") for w in words[:begin] + words[commit + 1:]), sent
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(Notification.user_id == checker.id,
                                                        Notification.read_at.is_(None))) == 0
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "notifications.read",
                                                        AuditEvent.object_id == claim.id)) == 1


@contextmanager
def _audit_refuses(action: str) -> Iterator[None]:
    """The database refuses to record an audit event of ``action`` (a trigger of this test's own),
    as it would refuse any statement that fails halfway through a unit of work."""
    statements = [
        "CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'refused by the test'; END $$",
        f"CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW "
        f"WHEN (NEW.action = '{action}') EXECUTE FUNCTION test_refuse_audit()",
    ]
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    try:
        yield
    finally:
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TRIGGER test_refuse_audit ON audit_events"))
            connection.execute(sa.text("DROP FUNCTION test_refuse_audit()"))


def test_a_get_whose_write_fails_halfway_leaves_nothing_done(on_postgres, make, login_as):
    """The claim page's UPDATE of the notifications ran; its audit event is refused: the UPDATE is
    rolled back with it (a statement run outside a transaction would have stayed)."""
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    with _audit_refuses("notifications.read"), wire(on_postgres) as sent:
        assert client.get(f"/claims/{claim.id}").status_code == 500
    words = _words(sent)
    assert "UPDATE" in words and words.index("BEGIN") < words.index("UPDATE") < words.index("ROLLBACK"), sent
    assert "COMMIT" not in words
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(Notification.user_id == checker.id,
                                                        Notification.read_at.is_(None))) == 1
    assert not db.session.scalar(select(func.count()).where(AuditEvent.action == "notifications.read"))
    assert client.get(f"/claims/{claim.id}").status_code == 200  # and the next opening reads them
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(Notification.user_id == checker.id,
                                                        Notification.read_at.is_(None))) == 0


def test_writes_outside_a_unit_of_work_are_one_transaction_too(on_postgres, make):
    """A GET whose code writes without ``services.db.transaction``: the transaction starts before its
    first write, so a later statement that fails takes the earlier writes back with it."""
    editor = make.user("editor")
    article = make.article(editor)
    article_id, title = article.id, article.title
    db.session.rollback()  # the test's own reads above were outside the request
    with on_postgres.test_request_context("/", method="GET"):
        session = db.session
        assert session.scalar(select(func.count(Note.id))) == 0
        assert reading_without_transaction(session.connection())
        session.execute(sa.text("UPDATE articles SET title = 'changed' WHERE id = :id"), {"id": article_id})
        assert not reading_without_transaction(session.connection())
        with pytest.raises(sa.exc.IntegrityError):
            session.execute(sa.text("INSERT INTO articles (id) VALUES (:id)"), {"id": article_id})
        session.rollback()
        db.session.remove()
    db.session.expire_all()
    assert db.session.execute(sa.text("SELECT title FROM articles WHERE id = :id"), {"id": article_id}).scalar() == title


def test_a_unit_of_work_in_a_get_runs_its_reads_in_its_transaction(on_postgres, make):
    """``services.db.transaction`` starts the transaction on entry: a read in the block (a check the
    write relies on) is in it, as on a POST; after the commit the request reads without one again."""
    make.article(make.user("editor"))
    db.session.rollback()
    with on_postgres.test_request_context("/", method="GET"), wire(on_postgres) as sent:
        session = db.session
        assert session.scalar(select(func.count(Note.id))) == 0
        assert reading_without_transaction(session.connection())
        with transaction(session):
            assert not reading_without_transaction(session.connection())
            session.execute(sa.text("SELECT count(*) FROM articles"))
            session.execute(sa.text("UPDATE articles SET title = title"))
        assert session.execute(sa.text("SELECT count(*) FROM articles")).scalar() == 1
        assert reading_without_transaction(session.connection())
        db.session.remove()
    assert _words(sent) == ["SELECT", "BEGIN", "SELECT", "UPDATE", "COMMIT", "SELECT"], sent


def test_a_post_still_runs_in_one_transaction_from_its_first_statement(on_postgres, make, login_as):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    client.get(f"/claims/{claim.id}")
    with wire(on_postgres) as sent:
        assert client.submit(f"/claims/{claim.id}/notes", {"body": "Called the council press office."}).status_code == 302
    words = _words(sent)
    assert words[0] == "BEGIN" and "COMMIT" in words, sent
    note = words.index("INSERT") if "INSERT" in words else -1
    assert 0 < note < words.index("COMMIT"), sent


def _pool_states(app: Flask) -> list[tuple[str, bool]]:
    """The server's state of every connection in the app's pool, and whether the driver is back to
    its default (not autocommit)."""
    with app.app_context():
        pool = db.engine.pool
        records = list(pool._pool.queue)  # type: ignore[attr-defined]
    drivers = [record.dbapi_connection for record in records if record.dbapi_connection is not None]
    admin = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"].split("?")[0])
    try:
        with admin.connect() as connection:
            states = []
            for driver in drivers:
                state = connection.execute(sa.text("SELECT state FROM pg_stat_activity WHERE pid = :pid"),
                                           {"pid": driver.info.backend_pid}).scalar()
                states.append((state, driver.autocommit))
            return states
    finally:
        admin.dispose()


def test_connections_come_back_to_the_pool_idle_and_in_the_drivers_default(on_postgres, make, login_as):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    assert client.get(f"/claims/{claim.id}").status_code == 200  # writes (notifications read), commits
    assert client.get("/articles").status_code == 200  # only reads
    with _audit_refuses("note.added"):
        client.submit(f"/claims/{claim.id}/notes", {"body": "Refused."})
    assert client.get("/healthz").status_code == 200
    states = _pool_states(on_postgres)
    assert states and all(state == ("idle", False) for state in states), states


@pytest.mark.parametrize(("statement", "plain"), [
    ("SELECT users.id FROM users WHERE users.id = %(id)s", True),
    ("  SELECT 1", True),
    ("select count(*) from claims", True),
    ("SELECT claims.id FROM claims WHERE claims.id = %(id)s FOR UPDATE", False),
    ("SELECT id FROM outgoing_emails ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", False),
    ("SELECT id FROM claims FOR NO KEY UPDATE", False),
    ("SELECT id FROM claims FOR SHARE", False),
    ("SELECT pg_advisory_xact_lock(%(key)s)", False),
    ("SELECT set_config('x.y', '1', true)", False),
    ("SELECT nextval('claims_id_seq')", False),
    ("INSERT INTO notes (body) VALUES (%(body)s)", False),
    ("UPDATE notifications SET read_at = now()", False),
    ("DELETE FROM claim_presence", False),
    ("WITH gone AS (DELETE FROM notes RETURNING id) SELECT count(*) FROM gone", False),
    ("SAVEPOINT sa_savepoint_1", False),
    ("SET LOCAL lock_timeout = '1s'", False),
])
def test_only_plain_reads_run_outside_a_transaction(statement, plain):
    assert plain_read(statement) is plain
