"""The signed-in user's row, kept per process on SQLite while nothing has been committed to the database
(``users.session_user``, ``unchanged.kept_while_unchanged_in``: issue 15), and never past a change.

The attacks are played as another server would play them: a second app on the same database (its own
engine, pool and watch, as another gunicorn worker or instance has), or raw SQL through a connection of
its own. Whatever it commits — the account deactivated, its sessions ended, a role given or taken —
the very next request through the first app is refused or sees the new roles, on SQLite (where the row
is kept) and on PostgreSQL (where it is read on every request)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from factcheck import create_app, jobs
from factcheck.extensions import db
from factcheck.models import User, UserSession
from factcheck.services import users
from tests.conftest import Client, base_config
from tests.support.factories import Factory

PAGE = "/account/password"


def _user_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if "user_sessions.token_hash" in s]


@pytest.fixture
def other_app(app: Flask, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """Another instance of the app on the same database: its own engine, pool and watch."""
    other = create_app(base_config(database_url, tmp_path / "audit_checkpoints.jsonl"))
    other.test_client_class = Client
    yield other
    jobs.shutdown(other)
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def raw_sql(database_url: str) -> Iterator:
    """Statements committed through a connection of their own, outside any app."""
    engine = sa.create_engine(database_url)

    def run(statement: str, **params) -> None:
        with engine.begin() as connection:
            connection.execute(sa.text(statement), params)

    yield run
    engine.dispose()


def _signed_in(client: Client, user: User) -> Client:
    response = client.submit("/login", {"email": user.email, "password": Factory.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def _refused(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_repeated_page_reads_the_user_once_while_nothing_is_committed(app, database_url, login_as, count_queries,
                                                                        raw_sql, make):
    """SQLite: the second view of a page reads no user; a commit by another connection (here a rename of
    someone else) makes the next view read it again. PostgreSQL: one statement on every view."""
    client = login_as("editor")
    someone = make.user("checker")
    client.get(PAGE)
    with count_queries() as seen:
        assert client.get(PAGE).status_code == 200
    sqlite = database_url.startswith("sqlite")
    assert len(_user_statements(seen)) == (0 if sqlite else 1), seen
    raw_sql("UPDATE users SET display_name = 'Someone Else' WHERE id = :id", id=someone.id)
    with count_queries() as seen:
        assert client.get(PAGE).status_code == 200
    assert len(_user_statements(seen)) == 1, seen
    with count_queries() as seen:
        assert client.get(PAGE).status_code == 200
    assert len(_user_statements(seen)) == (0 if sqlite else 1), seen


@pytest.mark.parametrize("by", ["raw SQL", "another app"])
def test_an_account_deactivated_elsewhere_is_refused_on_its_next_request(app, other_app, raw_sql, make, login_as, by):
    admin = make.user("admin")
    editor = make.user("editor")
    client = login_as(editor)
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE).status_code == 200  # kept on SQLite
    if by == "raw SQL":
        raw_sql("UPDATE users SET is_active_account = false WHERE id = :id", id=editor.id)
    else:
        other = _signed_in(other_app.test_client(), admin)
        assert other.submit(f"/users/{editor.id}/deactivate").status_code == 302
    assert _refused(client.get(PAGE))


@pytest.mark.parametrize("by", ["raw SQL", "another app"])
def test_sessions_ended_elsewhere_are_refused_on_their_next_request(app, other_app, raw_sql, make, login_as, by):
    """'Sign out everywhere' from another device served by another app, or the sessions revoked by SQL."""
    editor = make.user("editor")
    client = login_as(editor)
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE).status_code == 200
    if by == "raw SQL":
        raw_sql("UPDATE user_sessions SET revoked_at = created_at WHERE user_id = :id", id=editor.id)
    else:
        other = _signed_in(other_app.test_client(), editor)
        assert other.submit("/account/sign-out-everywhere").status_code == 302
    assert _refused(client.get(PAGE))


@pytest.mark.parametrize("by", ["raw SQL", "another app"])
def test_a_role_given_or_taken_elsewhere_is_seen_on_the_next_request(app, other_app, raw_sql, make, login_as, by):
    """A checker made a manager may open the dashboard on the very next request; made a checker again,
    is refused it on the next."""
    admin = make.user("admin")
    checker = make.user("checker")
    client = login_as(checker)
    assert client.get("/dashboard").status_code == 403
    assert client.get("/dashboard").status_code == 403  # kept on SQLite
    other = _signed_in(other_app.test_client(), admin)

    def set_roles(roles: list[str]) -> None:
        if by == "raw SQL":
            raw_sql("DELETE FROM user_roles WHERE user_id = :id", id=checker.id)
            for role in roles:
                raw_sql("INSERT INTO user_roles (user_id, role) VALUES (:id, :role)", id=checker.id, role=role)
        else:
            assert other.submit(f"/users/{checker.id}/roles", {f"u{checker.id}-roles": roles}).status_code == 302

    set_roles(["checker", "manager"])
    assert client.get("/dashboard").status_code == 200
    assert client.get("/dashboard").status_code == 200
    set_roles(["checker"])
    assert client.get("/dashboard").status_code == 403


def test_a_write_of_the_requests_own_not_committed_is_seen(app, make, login_as):
    """The watch sees only commits: with the session's own revocation not committed, the kept row is not
    given (the row is read on the session's connection, which sees its own write)."""
    editor = make.user("editor")
    editor_id = editor.id
    client = login_as(editor)
    with client.session_transaction() as cookie_session:
        token = cookie_session["_user_id"]
    db.session.remove()
    assert users.session_user(db.session(), token) is not None
    db.session.remove()
    assert users.session_user(db.session(), token) is not None  # kept on SQLite
    db.session.remove()
    session = db.session()
    session.execute(sa.update(UserSession).where(UserSession.user_id == editor_id)
                    .values(revoked_at=sa.func.current_timestamp()))
    assert users.session_user(session, token) is None
    session.rollback()
    assert users.session_user(session, token) is not None
    db.session.remove()
