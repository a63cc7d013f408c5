"""A pooled PostgreSQL connection is pinged before use only after it sat idle (factcheck.pool_ping):
a connection the server dropped while it idled is replaced before the request sees it, and one
checked in moments ago is trusted, so a busy app pays no round trip for a ping (issue 15)."""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from factcheck import create_app
from factcheck.extensions import db
from tests.conftest import base_config


def _app(url: str, tmp_path: Path, idle_seconds: float) -> Flask:
    return create_app({**base_config(url, tmp_path / "audit_checkpoints.jsonl"),
                       "POOL_PING_AFTER_IDLE_SECONDS": idle_seconds})


@pytest.fixture
def make_app(postgres_schema: str, tmp_path: Path) -> Iterator:
    made: list[Flask] = []

    def make(idle_seconds: float) -> Flask:
        app = _app(postgres_schema, tmp_path, idle_seconds)
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def _drop_the_pooled_connection(app: Flask, postgres_url: str) -> None:
    """The server ends the backend of the one connection in the app's pool, as a restart would."""
    with app.app_context():
        with db.engine.connect() as connection:
            pid = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        assert db.engine.pool.checkedin() == 1
    admin = sa.create_engine(postgres_url.split("?")[0])
    try:
        with admin.connect() as connection:
            assert connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
            for _ in range(100):  # the backend goes away asynchronously
                if not connection.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                                          {"pid": pid}).scalar():
                    break
                time.sleep(0.02)
    finally:
        admin.dispose()


def test_a_connection_dropped_while_idle_is_replaced_before_the_request_uses_it(make_app, postgres_schema):
    app = make_app(idle_seconds=0.0)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    _drop_the_pooled_connection(app, postgres_schema)
    reply = client.get("/healthz")
    assert (reply.status_code, reply.get_json()) == (200, {"status": "ok", "database": "ok"})


def test_a_connection_used_moments_ago_is_not_pinged_and_a_drop_costs_one_answer(make_app, postgres_schema):
    """The trade-off, played: with no ping the request on the dropped connection fails (the page's
    503; a signed-in page says nothing was saved), and the pool is renewed for the next one."""
    app = make_app(idle_seconds=3600.0)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    _drop_the_pooled_connection(app, postgres_schema)
    failed = client.get("/healthz")
    assert (failed.status_code, failed.get_json()) == (503, {"status": "error", "database": "error"})
    assert client.get("/healthz").status_code == 200


def test_only_server_connections_are_pinged_and_only_by_this(make_app, tmp_path, sqlite_template):
    """SQLAlchemy's own pre-ping (a round trip on every checkout) is off; PostgreSQL's pool has the
    idle ping, a SQLite file's none."""
    server = make_app(idle_seconds=5.0)
    local = _app(f"sqlite:///{sqlite_template}", tmp_path, 5.0)
    for app, listeners in ((server, 1), (local, 0)):
        assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is False
        with app.app_context():
            assert len(db.engine.pool.dispatch.checkout) == listeners
            db.engine.dispose()
