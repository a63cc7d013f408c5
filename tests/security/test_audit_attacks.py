"""Issue 10, point 1, played as the attacker: someone who can rewrite the database (the tables' owner,
or anyone who got its password) tries to empty, cut short or rewrite the audit log so that
`flask --app factcheck audit verify` still says "intact". Each attack runs on SQLite and PostgreSQL
through the real stack; verification goes through the CLI runner, as an operator would run it.
"""
from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from factcheck.extensions import db
from factcheck.models import AuditEvent
from factcheck.services import audit
from factcheck.services.checkpoints import FileCheckpoints
from factcheck.services.db import transaction
from tests.support.context import ctx


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory):
    """A real Redis of this test process's own, on a Unix socket (no port to clash with anyone)."""
    import shutil
    import subprocess
    import time

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("the Redis checkpoint tests need redis-server (apt-get install redis-server)")
    folder = tmp_path_factory.mktemp("redis")
    socket = folder / "redis.sock"
    process = subprocess.Popen([binary, "--port", "0", "--unixsocket", str(socket), "--save", "",
                                "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
    for _ in range(100):
        if socket.exists():
            break
        time.sleep(0.05)
    yield f"unix://{socket}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server: str):
    import redis

    yield redis_server
    redis.Redis.from_url(redis_server).flushall()


def _write_events(n: int) -> None:
    """``n`` events, each committed on its own, as ``n`` separate requests would."""
    for i in range(n):
        with transaction(db.session):
            audit.record(ctx(), actor=None, actor_label="system", action="test.event", object_type="test",
                         object_id=i)


def _ids() -> list[int]:
    return list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


@pytest.fixture
def owner(app: Flask):
    """The attacker with the owner's rights: set the append-only triggers aside, run SQL. On
    PostgreSQL the owner disables them (ALTER TABLE … DISABLE TRIGGER USER, TRUNCATE's included)
    and they are enabled again afterwards; SQLite has no disabling, so they are dropped (each test
    has its own SQLite file)."""
    db.session.rollback()  # the test's open read would block the DDL on PostgreSQL

    def disable_triggers() -> None:
        db.session.rollback()
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
            else:
                connection.execute(sa.text("DROP TRIGGER audit_events_no_update"))
                connection.execute(sa.text("DROP TRIGGER audit_events_no_delete"))

    def run(statement: str, **params) -> None:
        db.session.rollback()
        with db.engine.begin() as connection:
            connection.execute(sa.text(statement), params)

    run.disable_triggers = disable_triggers  # type: ignore[attr-defined]
    yield run
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE audit_events ENABLE TRIGGER USER"))


def _verify(app: Flask) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def _checkpoint_line_count(app: Flask) -> int:
    path = app.config["FACTCHECK_AUDIT_CHECKPOINT_FILE"]
    with open(path, encoding="utf-8") as lines:
        return sum(1 for _ in lines)


# ---- TRUNCATE ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("statement", ["TRUNCATE audit_events", "TRUNCATE users CASCADE",
                                       "TRUNCATE audit_events RESTART IDENTITY"])
def test_truncate_is_refused_on_postgresql(app, statement):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE is refused by the row trigger (test_audit.py)")
    _write_events(3)
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(sa.text(statement))
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 3
    code, output = _verify(app)
    assert code == 0 and "3 events verified" in output


# ---- a truncated table -------------------------------------------------------------------------------

def test_an_emptied_table_is_never_intact_when_a_checkpoint_exists(app, owner):
    _write_events(12)
    head = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    head_id, head_seq = head.id, head.seq
    owner.disable_triggers()
    if db.engine.dialect.name == "postgresql":
        owner("TRUNCATE audit_events")
    else:
        owner("DELETE FROM audit_events")
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0
    code, output = _verify(app)
    assert code == 1, output
    assert "no events" in output and "truncated" in output
    assert f"event {head_id} (seq {head_seq}" in output
    # The failed verification is itself recorded (the log starts again at seq 1) and says the same.
    recorded = audit.last_verification(db.session)
    assert recorded.seq == 1 and recorded.changes["intact"]["after"] is False
    assert _verify(app)[0] == 1  # and the next verification still fails: the checkpoint's head is higher


def test_an_empty_log_without_a_checkpoint_is_intact(app):
    """The other side: a new installation has no checkpoint and nothing was lost."""
    code, output = _verify(app)
    assert code == 0 and "0 events verified" in output


# ---- a deleted tail ----------------------------------------------------------------------------------

def test_a_deleted_tail_is_named(app, owner):
    _write_events(30)
    ids = _ids()
    owner.disable_triggers()
    owner("DELETE FROM audit_events WHERE id > :keep", keep=ids[-11])
    assert _ids() == ids[:-10]
    code, output = _verify(app)
    assert code == 1, output
    assert f"checkpointed head, event {ids[-1]} (seq 30" in output
    assert "ends at seq 20" in output and "last 10 events were deleted" in output


def test_a_deleted_tail_is_named_from_redis_too(app, owner, redis_url):
    from factcheck.services import checkpoints

    runtime = app.extensions["factcheck"]
    runtime.checkpoints = checkpoints.from_config({"FACTCHECK_REDIS_URL": redis_url,
                                                   "FACTCHECK_AUDIT_CHECKPOINT_REDIS_KEY": "test:audit:head"})
    _write_events(15)
    ids = _ids()
    stored = runtime.checkpoints.highest()
    assert (stored.id, stored.seq) == (ids[-1], 15)
    owner.disable_triggers()
    owner("DELETE FROM audit_events WHERE id > :keep", keep=ids[-11])
    code, output = _verify(app)
    assert code == 1 and f"event {ids[-1]} (seq 15" in output and "last 10 events were deleted" in output


# ---- a middle row changed ----------------------------------------------------------------------------

def test_a_changed_middle_row_is_named(app, owner):
    _write_events(20)
    target = _ids()[9]
    owner.disable_triggers()
    owner("UPDATE audit_events SET actor_label = 'someone else' WHERE id = :id", id=target)
    code, output = _verify(app)
    assert code == 1
    assert f"BROKEN at event {target}" in output and "altered" in output


# ---- a chain recomputed without the key -------------------------------------------------------------

def _rewrite_from(position: int, owner, *, alg: str, key: bytes | None) -> int:
    """The attacker rewrites the ``position``-th event and recomputes every later hash and link, with
    plain SHA-256 (``alg`` 'sha256') or HMAC with a key of their own. Returns the rewritten event's id."""
    rows = list(db.session.execute(select(*AuditEvent.__table__.c).order_by(AuditEvent.id)))
    owner.disable_triggers()
    prev = rows[position - 1].prev_hash
    for index, row in enumerate(rows[position - 1:]):
        event = SimpleNamespace(**row._asdict())
        if index == 0:
            event.actor_label = "someone else"
        event.prev_hash, event.hash_alg = prev, alg
        event.hash = prev = audit.compute_hash(event, key)
        # The hash column is unique: park the old value first so no two rows hold one for a moment.
        owner("UPDATE audit_events SET actor_label = :label, prev_hash = :prev, hash = :hash, hash_alg = :alg "
              "WHERE id = :id", label=event.actor_label, prev=event.prev_hash, hash=event.hash, alg=alg, id=row.id)
    db.session.expire_all()
    return rows[position - 1].id


@pytest.mark.parametrize(("alg", "key", "problem"), [
    ("sha256", None, "downgrade"),
    ("hmac-sha256", b"the attacker's own key", "without the audit key"),
])
def test_a_chain_recomputed_without_the_key_is_caught(app, owner, alg, key, problem):
    _write_events(25)
    target = _rewrite_from(10, owner, alg=alg, key=key)
    # The rewrite is consistent in itself: every link holds.
    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    code, output = _verify(app)
    assert code == 1
    assert f"BROKEN at event {target}" in output and problem in output


def test_a_whole_chain_recomputed_as_unkeyed_is_caught_by_the_checkpoint(app, owner):
    """Rewriting from the very first event with plain SHA-256 leaves no keyed event to betray the
    downgrade; the head anchored outside the database still does."""
    _write_events(12)
    _rewrite_from(1, owner, alg="sha256", key=None)
    code, output = _verify(app)
    assert code == 1
    assert "is not the checkpointed event" in output and "rewritten" in output


def test_an_intact_keyed_chain_verifies(app):
    _write_events(5)
    code, output = _verify(app)
    assert code == 0 and "5 events verified" in output and "checkpoint at seq 5" in output


def test_the_wrong_key_in_the_configuration_fails_verification(app):
    """A key that is not the one the chain was written with proves nothing about it."""
    from tests.support.context import configure

    _write_events(3)
    configure(app, audit_key=b"another key")
    code, output = _verify(app)
    assert code == 1 and "BROKEN at event" in output and "without the audit key" in output


# ---- the checkpoints ---------------------------------------------------------------------------------

def test_each_commit_that_wrote_events_anchors_its_head(app):
    _write_events(3)
    assert _checkpoint_line_count(app) == 3
    # Two events in one transaction: one checkpoint, the higher head.
    with transaction(db.session):
        audit.record(ctx(), actor=None, action="test.one", object_type="test", object_id=1)
        last = audit.record(ctx(), actor=None, action="test.two", object_type="test", object_id=2)
    assert _checkpoint_line_count(app) == 4
    highest = FileCheckpoints(app.config["FACTCHECK_AUDIT_CHECKPOINT_FILE"]).highest()
    assert (highest.id, highest.hash, highest.seq) == (last.id, last.hash, 5)
    # A transaction rolled back anchors nothing.
    audit.record(ctx(), actor=None, action="test.rolled_back", object_type="test", object_id=3)
    db.session.rollback()
    assert _checkpoint_line_count(app) == 4


def test_the_verifier_takes_the_highest_checkpoint_of_several_writers(app):
    """Two processes append to one checkpoint file, not necessarily in order: the highest seq wins."""
    _write_events(4)
    path = app.config["FACTCHECK_AUDIT_CHECKPOINT_FILE"]
    with open(path, encoding="utf-8") as written:
        lines = written.read().splitlines()
    with open(path, "w", encoding="utf-8") as out:  # the second process's lines came in late
        out.write("\n".join([lines[0], lines[3], lines[1], lines[2], '{"id": 9, "has']) + "\n")
    highest = FileCheckpoints(path).highest()
    assert highest.seq == 4 and highest.id == _ids()[-1]
    assert _verify(app)[0] == 0


def test_the_redis_store_keeps_only_the_highest_head(redis_url):
    from factcheck.services.checkpoints import Head, RedisCheckpoints

    store = RedisCheckpoints(redis_url, "test:audit:only-higher")
    assert store.highest() is None
    store.record(Head(7, "a" * 64, 7))
    store.record(Head(5, "b" * 64, 5))  # a slower writer, finishing late
    assert store.highest() == Head(7, "a" * 64, 7)
    store.record(Head(8, "c" * 64, 8))
    assert store.highest() == Head(8, "c" * 64, 8)


# ---- exports carry the head -------------------------------------------------------------------------

def test_an_archive_cut_short_is_caught(app, login_as, tmp_path):
    _write_events(6)
    manager = login_as("manager")
    body = manager.get("/audit/export.jsonl").get_data(as_text=True)
    lines = body.splitlines()
    checkpoint = json.loads(lines[-1])["checkpoint"]
    assert checkpoint["head"]["id"] == json.loads(lines[-2])["id"] and checkpoint["events"] == len(lines) - 1
    runner = app.test_cli_runner()
    path = tmp_path / "audit.jsonl"

    def check(text: str, *options: str) -> tuple[int, str]:
        path.write_text(text)
        result = runner.invoke(args=["audit", "verify-archive", str(path), *options])
        return result.exit_code, result.output

    code, output = check(body)
    assert code == 0 and "checkpoint at seq" in output
    # The last three events dropped, the checkpoint line kept: the count and the head disagree.
    code, output = check("\n".join([*lines[:-4], lines[-1]]) + "\n", "--offline")
    assert code == 1 and "counts" in output
    # The checkpoint line dropped too: the file ends without one.
    code, output = check("\n".join(lines[:-4]) + "\n", "--offline")
    assert code == 1 and "without its checkpoint line" in output
    # The checkpoint line rewritten to match the shorter file: its MAC no longer holds.
    new_last = json.loads(lines[-5])
    forged = dict(checkpoint, events=len(lines) - 4, head={k: new_last[k] for k in ("id", "hash", "seq")})
    code, output = check("\n".join([*lines[:-4], json.dumps({"checkpoint": forged})]) + "\n", "--offline")
    assert code == 1 and "MAC" in output


def test_the_csv_export_ends_with_the_checkpoint(app, login_as):
    _write_events(2)
    body = login_as("manager").get("/audit/export.csv").get_data(as_text=True)
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[-1]["id"] == "checkpoint"
    checkpoint = json.loads(rows[-1]["changes"])
    assert checkpoint["head"]["hash"] == rows[-2]["hash"] == rows[-1]["hash"]
    assert checkpoint["events"] == len(rows) - 1


# ---- "Verify now" ------------------------------------------------------------------------------------

def test_verify_now_on_the_audit_page_names_the_missing_tail(app, owner, login_as):
    _write_events(14)
    ids = _ids()
    manager = login_as("manager")
    owner.disable_triggers()
    owner("DELETE FROM audit_events WHERE id > :keep", keep=ids[-4])
    page = manager.submit("/audit/verify", follow_redirects=True).get_data(as_text=True)
    assert "Chain BROKEN" in page or "BROKEN" in page
    assert "is missing" in page and "were deleted" in page


# ---- an existing log from before the key -------------------------------------------------------------

def _legacy_hash(row: dict) -> str:
    """How events were hashed before migration 0005: plain SHA-256 of the canonical payload."""
    payload = {k: row[k] for k in ("created_at", "actor_id", "actor_label", "action", "object_type", "object_id",
                                   "article_id", "changes", "request_id", "ip_address", "prev_hash")}
    payload["created_at"] = payload["created_at"].isoformat()
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":"),
                                     ensure_ascii=False).encode()).hexdigest()


def test_a_log_from_before_the_key_keeps_verifying_and_continues_keyed(app, clock):
    from flask_migrate import downgrade, upgrade

    db.session.rollback()
    downgrade(revision="0004_gate_checks_text")
    prev = "0" * 64
    with db.engine.begin() as connection:
        for i in range(4):
            row = {"created_at": clock(), "actor_id": None, "actor_label": "system", "action": "legacy.event",
                   "object_type": "test", "object_id": i, "article_id": None, "changes": {"n": i},
                   "request_id": None, "ip_address": None, "prev_hash": prev}
            row["hash"] = prev = _legacy_hash(row)
            # Only the columns the table had then (the typed table, so times and JSON are stored as the app would).
            connection.execute(sa.insert(AuditEvent.__table__).values(**row))
    upgrade()
    legacy = list(db.session.execute(select(AuditEvent.hash_alg, AuditEvent.seq).order_by(AuditEvent.id)))
    assert legacy == [("sha256", 1), ("sha256", 2), ("sha256", 3), ("sha256", 4)]
    _write_events(3)
    keyed = list(db.session.execute(select(AuditEvent.hash_alg, AuditEvent.seq).order_by(AuditEvent.id)))[4:]
    assert keyed == [("hmac-sha256", 5), ("hmac-sha256", 6), ("hmac-sha256", 7)]
    code, output = _verify(app)
    assert code == 0 and "7 events verified" in output


def test_a_failing_checkpoint_store_neither_undoes_the_write_nor_passes_verification(app, tmp_path, caplog):
    """The change is committed before the head is anchored: a store that fails then is logged, and
    the write stands. Verification cannot read it either, and says so instead of skipping it."""
    unusable = tmp_path / "not-a-file"
    unusable.mkdir()
    app.extensions["factcheck"].checkpoints = FileCheckpoints(unusable)
    with caplog.at_level("ERROR", logger="factcheck.services.audit"):
        _write_events(2)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 2
    assert "could not anchor the audit head" in caplog.text
    code, output = _verify(app)
    assert code == 1 and "cannot be read" in output


def test_an_event_in_a_rolled_back_savepoint_is_not_anchored(app):
    _write_events(1)
    with transaction(db.session):
        savepoint = db.session.begin_nested()
        audit.record(ctx(), actor=None, action="test.undone", object_type="test", object_id=1)
        savepoint.rollback()

    assert _checkpoint_line_count(app) == 1
    assert _verify(app)[0] == 0


def test_several_processes_append_and_the_highest_checkpoint_wins(app):
    """Two real processes (the command line, as two workers would) append to one log and one
    checkpoint file at the same time; afterwards the log verifies against the highest head."""
    import os
    import subprocess
    import sys

    _write_events(1)
    db.session.rollback()
    env = {**os.environ, "FACTCHECK_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
           "FACTCHECK_AUDIT_KEY": app.config["FACTCHECK_AUDIT_KEY"],
           "FACTCHECK_AUDIT_CHECKPOINT_FILE": app.config["FACTCHECK_AUDIT_CHECKPOINT_FILE"]}
    script = ("from factcheck import create_app\n"
              "from factcheck.cli import cli_context\n"
              "from factcheck.services import audit\n"
              "from factcheck.services.db import transaction\n"
              "app = create_app()\n"
              "with app.app_context():\n"
              "    for i in range(10):\n"
              "        ctx = cli_context()\n"
              "        with transaction(ctx.session):\n"
              "            audit.record(ctx, actor=None, action='test.process', object_type='test', object_id=i)\n")
    workers = [subprocess.Popen([sys.executable, "-c", script], env=env, cwd=str(Path(__file__).parents[2]))
               for _ in range(2)]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    assert _checkpoint_line_count(app) == 21
    highest = FileCheckpoints(app.config["FACTCHECK_AUDIT_CHECKPOINT_FILE"]).highest()
    assert highest.seq == 21 and highest.id == _ids()[-1]
    code, output = _verify(app)
    assert code == 0 and "21 events verified" in output
