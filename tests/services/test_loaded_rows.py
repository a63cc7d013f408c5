"""Rows made into the session's objects (``loaded_rows``): a new instance is left in the state the ORM's
own ``make_transient_to_detached`` and ``Session.add`` would leave it, which ``persistent`` no longer
calls (issue 15)."""
from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.orm import make_transient_to_detached

from factcheck.extensions import db
from factcheck.models import Job
from factcheck.services import loaded_rows

_JOB_COLUMNS = loaded_rows.Columns(Job)
_JOB = select(*loaded_rows.select_columns(_JOB_COLUMNS))


def _state(instance) -> dict:
    state = inspect(instance)
    return {"key": state.key, "expired_attributes": set(state.expired_attributes), "unloaded": set(state.unloaded),
            "committed_state": dict(state.committed_state), "modified": state.modified, "expired": state.expired,
            "dict": {k: v for k, v in state.dict.items() if k != "_sa_instance_state"}}


def test_a_new_instance_is_what_make_transient_to_detached_makes_and_loads_what_it_lacks(make):
    editor = make.user("editor")
    db.session.add(Job(kind="import", payload=b"the upload", created_by=editor, params={"n": 1}))
    db.session.commit()
    editor_id = editor.id
    db.session.expunge_all()
    row = db.session.connection().execute(_JOB).one()

    loaded = loaded_rows.persistent(db.session, _JOB_COLUMNS, row)
    by_the_orm = Job.__mapper__.class_manager.new_instance()
    by_the_orm.__dict__.update(_JOB_COLUMNS.values(row))
    make_transient_to_detached(by_the_orm)

    assert _state(loaded) == _state(by_the_orm)
    assert "payload" in inspect(loaded).expired_attributes  # the deferred column, loaded on access
    assert inspect(loaded).persistent and db.session.get(Job, loaded.id) is loaded
    assert loaded_rows.persistent(db.session, _JOB_COLUMNS, row) is loaded
    assert loaded.payload == b"the upload"
    assert loaded.created_by is not None and loaded.created_by.id == editor_id  # a relationship, loaded lazily
    assert not db.session.dirty
