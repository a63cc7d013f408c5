"""Two people saving the same evidence at the same moment, from the same version.

Both pass the early version check (neither has committed yet); the row lock taken in the write's
transaction lets one through, and the other, checking the version again under that lock once the
first has committed, is told of the conflict and changes nothing. PostgreSQL only: there writers
run side by side; SQLite lets one writer in at a time, so the second cannot get that far.
"""
from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event, func, select

from factcheck.errors import EditConflict
from factcheck.extensions import db
from factcheck.models import AuditEvent, Evidence, User
from factcheck.services import audit, evidence
from factcheck.services.context import Context
from tests.support.context import ctx

SOURCE = {"url": "https://example.org/minutes", "stance": "supports"}


def _pid(session: sa.orm.Session) -> int:
    return session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


def _blocked_by(waiting: int, holding: int, *, within: float = 8.0) -> bool:
    """Whether the backend ``waiting`` comes to wait for a lock that ``holding`` has (seen from a
    connection of its own)."""
    deadline = time.monotonic() + within
    with db.engine.connect() as watcher:
        while time.monotonic() < deadline:
            if holding in watcher.execute(sa.text("SELECT pg_blocking_pids(:pid)"), {"pid": waiting}).scalar_one():
                return True
            time.sleep(0.02)
    return False


def test_two_sessions_saving_one_version_make_one_edit_and_one_conflict(app: Flask, make):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time; the race needs writers side by side (PostgreSQL)")
    checker, editor = make.user("checker"), make.user("editor")
    claim = make.assigned_claim(checker)
    item = evidence.add_evidence(ctx(), actor=checker, claim=claim, title="Council minutes", **SOURCE)
    evidence_id, version = item.id, evidence.version_of(item)
    checker_id, editor_id = checker.id, editor.id
    db.session.commit()
    runtime = app.extensions["factcheck"]
    first, second = sa.orm.Session(db.engine), sa.orm.Session(db.engine)
    first_pid, second_pid = _pid(first), _pid(second)
    outcome: dict[str, Any] = {}

    def save(session: sa.orm.Session, user_id: int, title: str) -> str:
        try:
            evidence.edit_evidence(Context.of(session, runtime), actor=session.get(User, user_id),
                                   evidence=session.get(Evidence, evidence_id), expected_version=version,
                                   title=title, **SOURCE)
        except EditConflict as conflict:
            return f"conflict: {conflict.details['current']['title']}"
        except Exception as error:  # anything else is a failure of the test, reported below
            return repr(error)
        return "saved"

    def second_save() -> None:
        outcome["second"] = save(second, editor_id, "Minutes of the council")

    racer = threading.Thread(target=second_save, name="second")

    def hold_the_lock(_conn, _cursor, statement: str, *_args) -> None:
        """The first has the row lock (its SELECT … FOR UPDATE has run) and has not committed: the
        second starts now, passes the early check on what is committed, and must wait for the lock."""
        if threading.current_thread() is threading.main_thread() and "FOR UPDATE" in statement \
                and "waited" not in outcome:
            racer.start()
            outcome["waited"] = _blocked_by(second_pid, first_pid)

    event.listen(db.engine, "after_cursor_execute", hold_the_lock)
    try:
        outcome["first"] = save(first, checker_id, "Council minutes, 12 March")
        if racer.ident is not None:
            racer.join(timeout=30)
    finally:
        event.remove(db.engine, "after_cursor_execute", hold_the_lock)
        first.close()
        second.close()
    assert "waited" in outcome, "the first save took no row lock"
    assert not racer.is_alive()
    assert outcome == {"waited": True, "first": "saved", "second": "conflict: Council minutes, 12 March"}, outcome

    db.session.expire_all()
    assert db.session.get(Evidence, evidence_id).title == "Council minutes, 12 March"
    edits = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "evidence.edited")
    assert db.session.scalar(edits) == 1
    assert audit.verify(ctx()).intact
