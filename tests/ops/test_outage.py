"""Honest failures (issue 12, point 5): with the database or Redis down, pages answer 503 with a
friendly page rendered without the database and a Retry-After header, for people signed out and
signed in, through gunicorn as in production; /readyz says which service is down."""
from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from factcheck import create_app
from factcheck.extensions import db
from tests.conftest import Client, base_config
from tests.ops.support import Browser, Reply, Server, csrf_token, free_port, redis_db_of_this_worker, redis_url
from tests.support.context import ctx
from tests.support.factories import Factory

SECRET = "outage-test-secret"
UNREACHABLE_POSTGRES = "postgresql://postgres@127.0.0.1:1/test"
FRIENDLY = "factcheck is temporarily unavailable"


def _assert_friendly_503(reply: Reply, *, saving: bool = False) -> None:
    assert reply.status == 503, (reply.status, reply.text[:800])
    assert reply.headers.get("Retry-After") == "30"
    assert FRIENDLY in reply.text and "Internal Server Error" not in reply.text
    assert ("not saved" in reply.text) is saving


def _sign_in_elsewhere(tmp_path: Path, sqlite_template: Path) -> tuple[str, str]:
    """A session cookie and a form token made before "the outage": a person signs in on a working
    app with the same secret key (the cookie is all the outage server gets from that sign-in)."""
    path = tmp_path / "before-outage.sqlite3"
    shutil.copyfile(sqlite_template, path)
    app = create_app({**base_config(f"sqlite:///{path}"), "SECRET_KEY": SECRET})
    app.test_client_class = Client
    with app.app_context():
        user = Factory(ctx()).user("editor")
        client = app.test_client()
        assert client.submit("/login", {"email": user.email, "password": Factory.PASSWORD}).status_code == 302
        token = client.csrf_token()
        cookie = client.get_cookie("session")
        assert cookie is not None
        db.session.remove()
        db.engine.dispose()
    return cookie.value, token


@pytest.fixture
def server_in_outage(tmp_path: Path) -> Iterator[Server]:
    """gunicorn (gunicorn.conf.py, wsgi:app) whose PostgreSQL and Redis are both unreachable."""
    server = Server({"FACTCHECK_DATABASE_URL": UNREACHABLE_POSTGRES, "FACTCHECK_SECRET_KEY": SECRET,
                     "FACTCHECK_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
                     "FACTCHECK_WORKERS": "1", "FACTCHECK_THREADS": "2"}, tmp_path / "gunicorn.log")
    try:
        server.start()
        server.wait_ready(path="/readyz", status=503)
        yield server
    finally:
        server.stop()


def test_database_and_redis_down_give_503_with_the_friendly_page(server_in_outage: Server, tmp_path: Path,
                                                                  sqlite_template: Path) -> None:
    server = server_in_outage
    cookie, token = _sign_in_elsewhere(tmp_path, sqlite_template)

    ready = Browser().get(server.url + "/readyz")
    assert ready.status == 503
    assert json.loads(ready.text) == {"status": "error", "database": "error", "redis": "error",
                                      "jobs": "unknown (Redis does not answer)"}

    # Signed out: the sign-in page needs neither the database nor Redis; signing in needs both.
    visitor = Browser()
    login_page = visitor.get(server.url + "/login")
    assert login_page.status == 200
    signing_in = visitor.request(server.url + "/login", {"csrf_token": csrf_token(login_page.text),
                                                         "email": "editor@example.test", "password": "x"})
    _assert_friendly_503(signing_in, saving=True)

    # Signed in: loading the user from the session needs the database; the error page must not.
    person = Browser()
    headers = {"Cookie": f"session={cookie}"}
    # (/no-such-page: the 404 page shows who is signed in, so it too becomes the 503 page.)
    for path in ("/", "/articles", "/claims", "/claims/1", "/queue", "/no-such-page"):
        _assert_friendly_503(person.get(server.url + path, headers=headers))
    page = person.get(server.url + "/articles?page=2", headers=headers)
    assert 'href="/articles?page=2">Try again' in page.text
    saving = person.request(server.url + "/articles/1/claims", {"csrf_token": token, "quote": "x"}, headers=headers)
    _assert_friendly_503(saving, saving=True)

    as_json = person.get(server.url + "/articles", headers={**headers, "Accept": "application/json"})
    assert as_json.status == 503 and as_json.headers.get("Retry-After") == "30"
    assert json.loads(as_json.text)["status"] == 503

    # The log says what happened, as JSON lines, each with its request id.
    lines = [json.loads(line) for line in server.log_path.read_text().splitlines() if line.startswith("{")]
    unavailable = [line for line in lines if line.get("message", "").startswith("Service unavailable")]
    assert unavailable and all(line.get("request_id") for line in unavailable)
    assert any(line.get("status") == 503 and line.get("path") == "/articles" and line.get("request_id")
               for line in lines if line["logger"] == "gunicorn.access")


def _app(database_url: str, **config: object) -> Flask:
    return create_app({**base_config(database_url), "SECRET_KEY": SECRET, **config})


def _get(app: Flask, path: str, cookie: str | None = None) -> TestResponse:
    """One request to ``app``, whose database connections are closed afterwards."""
    client = app.test_client()
    if cookie is not None:
        client.set_cookie("session", cookie)
    try:
        return client.get(path)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_sqlite_database_gone_gives_503_to_a_signed_in_person(tmp_path: Path, sqlite_template: Path) -> None:
    cookie, _ = _sign_in_elsewhere(tmp_path, sqlite_template)
    response = _get(_app(f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite3'}"), "/articles", cookie)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert FRIENDLY in response.get_data(as_text=True)


def _redis_configured(database_url: str, redis_url: str) -> Flask:
    return _app(database_url, FACTCHECK_REDIS_URL=redis_url, RATELIMIT_STORAGE_URI=redis_url)


def test_readyz_reports_each_service(app: Flask, database_url: str) -> None:
    # The database works in every case here (SQLite, and PostgreSQL when configured).
    assert app.test_client().get("/readyz").get_json() == {"status": "ok", "database": "ok",
                                                          "redis": "not configured", "jobs": "threads of this process"}
    down = _get(_redis_configured(database_url, f"redis://127.0.0.1:{free_port()}/0"), "/readyz")
    assert (down.status_code, down.get_json()) == (503, {"status": "error", "database": "ok", "redis": "error",
                                                               "jobs": "threads of this process"})
    # /healthz is liveness: Redis being down does not make the process look dead.
    assert _get(_redis_configured(database_url, f"redis://127.0.0.1:{free_port()}/0"), "/healthz").status_code == 200


def test_readyz_with_redis_up(app: Flask, database_url: str) -> None:
    up = _get(_redis_configured(database_url, redis_url(redis_db_of_this_worker())), "/readyz")
    assert (up.status_code, up.get_json()) == (200, {"status": "ok", "database": "ok", "redis": "ok",
                                                            "jobs": "threads of this process"})


def test_redis_down_refuses_sign_in_with_503_but_signed_in_pages_work(tmp_path: Path, sqlite_template: Path) -> None:
    path = tmp_path / "redis-down.sqlite3"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    working = _redis_configured(url, redis_url(redis_db_of_this_worker()))
    working.test_client_class = Client
    with working.app_context():
        email = Factory(ctx()).user("editor").email
        client = working.test_client()
        assert client.submit("/login", {"email": email, "password": Factory.PASSWORD}).status_code == 302
        cookie = client.get_cookie("session")
        assert cookie is not None
        db.session.remove()
        db.engine.dispose()

    down = _redis_configured(url, f"redis://127.0.0.1:{free_port()}/0")
    down.test_client_class = Client
    with down.app_context():
        signed_in = down.test_client()
        signed_in.set_cookie("session", cookie.value)
        assert signed_in.get("/articles").status_code == 200
        visitor = down.test_client()
        refused = visitor.submit("/login", {"email": email, "password": Factory.PASSWORD})
        assert refused.status_code == 503 and refused.headers["Retry-After"] == "30"
        assert FRIENDLY in refused.get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()
