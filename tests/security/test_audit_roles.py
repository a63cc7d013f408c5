"""Two database roles: the tables' owner runs the migrations; the application runs as a role that
may only INSERT and SELECT on audit_events (`flask --app factcheck db-roles grant-runtime ROLE`).
Played as an attacker who has the application's database password: nothing they run can change,
delete or empty the audit log, nor set its triggers aside."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from factcheck import create_app
from factcheck.extensions import db
from factcheck.models import AuditEvent, User
from factcheck.services import users
from tests.conftest import base_config
from tests.support.context import ctx

PASSWORD = "runtime role password"


@pytest.fixture
def runtime_role(app: Flask) -> Iterator[str]:
    """A login role of this test's own (roles are global to the server), dropped afterwards."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("database roles are a PostgreSQL matter")
    schema = db.session.scalar(sa.text("SELECT current_schema()"))
    role = f"{schema}_runtime"[:63]
    db.session.rollback()
    with db.engine.begin() as connection:
        connection.execute(sa.text(f'DROP ROLE IF EXISTS "{role}"'))
        connection.execute(sa.text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{PASSWORD}'"))
    yield role
    db.session.rollback()
    with db.engine.begin() as connection:
        connection.execute(sa.text(f'DROP OWNED BY "{role}"'))
        connection.execute(sa.text(f'DROP ROLE "{role}"'))


def _as_role(role: str, tmp_path: Path) -> Flask:
    """The application as deployed: connected as the runtime role (same database and schema)."""
    url = db.engine.url.set(username=role, password=PASSWORD).render_as_string(hide_password=False)
    return create_app(base_config(url, tmp_path / "runtime_checkpoints.jsonl"))


def test_grant_runtime_prints_the_statements(app, runtime_role):
    result = app.test_cli_runner().invoke(args=["db-roles", "grant-runtime", runtime_role])
    assert result.exit_code == 0, result.output
    assert f'GRANT SELECT, INSERT ON {db.session.scalar(sa.text("SELECT current_schema()"))}.audit_events' in result.output
    assert "REVOKE ALL ON ALL TABLES" in result.output
    assert "GRANT SELECT, INSERT, UPDATE, DELETE" in result.output and "claims" in result.output
    # Printed only: the role can still not read anything.
    assert not db.session.scalar(sa.text("SELECT has_table_privilege(:role, 'audit_events', 'SELECT')"),
                                 {"role": runtime_role})


def test_grant_runtime_refuses_a_role_no_grant_can_limit(app):
    if db.engine.dialect.name != "postgresql":
        result = app.test_cli_runner().invoke(args=["db-roles", "grant-runtime", "anyone", "--apply"])
        assert result.exit_code != 0 and "PostgreSQL" in result.output
        return
    owner = db.session.scalar(sa.text("SELECT current_user"))
    result = app.test_cli_runner().invoke(args=["db-roles", "grant-runtime", owner, "--apply"])
    assert result.exit_code != 0 and "no GRANT can limit it" in result.output


def test_the_runtime_role_can_append_and_read_but_not_rewrite_the_log(app, runtime_role, tmp_path):
    applied = app.test_cli_runner().invoke(args=["db-roles", "grant-runtime", runtime_role, "--apply"])
    assert applied.exit_code == 0 and "Applied" in applied.output, applied.output

    runtime_app = _as_role(runtime_role, tmp_path)
    with runtime_app.app_context():
        assert db.session.scalar(sa.text("SELECT current_user")) == runtime_role
        # INSERT (a service write records its event) and SELECT (verification) work.
        users.create_user(ctx(), actor=None, actor_label="cli", email="new@example.test", password="long password 1",
                          roles=["checker"])
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1
        verified = runtime_app.test_cli_runner().invoke(args=["audit", "verify"])
        assert verified.exit_code == 0 and "1 events verified" in verified.output, verified.output
        db.session.rollback()
        # Normal rights elsewhere: the role may change an ordinary row.
        with db.engine.begin() as connection:
            connection.execute(sa.text("UPDATE users SET display_name = 'Renamed'"))
        assert db.session.scalar(select(User.display_name)) == "Renamed"

        for statement, refusal in [
            ("UPDATE audit_events SET actor_label = 'someone else'", "permission denied"),
            ("DELETE FROM audit_events", "permission denied"),
            ("TRUNCATE audit_events", "permission denied"),
            ("ALTER TABLE audit_events DISABLE TRIGGER USER", "must be owner"),
            ("DROP TRIGGER audit_events_append_only ON audit_events", "must be owner"),
            ("UPDATE alembic_version SET version_num = 'x'", "permission denied"),
        ]:
            with pytest.raises(DBAPIError, match=refusal), db.engine.begin() as connection:
                connection.execute(sa.text(statement))
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 2  # the event and its verification
        db.session.remove()
        db.engine.dispose()
