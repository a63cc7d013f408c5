"""JSON logs with request ids (issue 12, point 5), read from a real gunicorn started from
gunicorn.conf.py: every line is a JSON object, every request has exactly one access line (method,
path, status, duration, the signed-in user's id and the request id), the app's own lines carry the
id of the request they belong to, and that id is the response's X-Request-ID and the audit event's."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from factcheck import create_app
from factcheck.extensions import db
from factcheck.models import AuditEvent
from factcheck.services import idempotency
from tests.conftest import app_environment, base_config
from tests.ops.support import PROJECT_ROOT, Browser, Reply, Server
from tests.support.context import ctx
from tests.support.factories import Factory
from tests.support.html_forms import form_posting_to


def _request_id(reply: Reply) -> str:
    found = {name.lower(): value for name, value in reply.headers.items()}.get("x-request-id")
    assert found, reply.headers
    return found


def test_gunicorn_writes_one_json_access_line_per_request_with_user_and_request_id(tmp_path: Path,
                                                                                  sqlite_template: Path) -> None:
    path = tmp_path / "logs.sqlite3"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    app = create_app(base_config(url))
    with app.app_context():
        make = Factory(ctx())
        checker = make.user("checker")
        claim_id, checker_id, email = make.assigned_claim(checker).id, checker.id, checker.email
        db.session.remove()
        db.engine.dispose()

    server = Server({**app_environment(url), "FACTCHECK_SECRET_KEY": "log-test", "FACTCHECK_LOG_FORMAT": "json",
                     "FACTCHECK_WORKERS": "1", "FACTCHECK_THREADS": "2"}, tmp_path / "gunicorn.log")
    try:
        server.start()
        server.wait_ready()
        browser = Browser()
        login_page = browser.get(server.url + "/login")
        signed_in = browser.sign_in(server.url, email, Factory.PASSWORD)
        assert signed_in.status == 302
        page_url = f"/claims/{claim_id}"
        page = browser.get(server.url + page_url)
        data = form_posting_to(page.text, f"{page_url}/notes").data(body="Logged, once.")
        assert data[idempotency.FIELD]
        posted = browser.request(server.url + f"{page_url}/notes", data)
        retried = browser.request(server.url + f"{page_url}/notes", data)  # the same submission again
        assert posted.status == retried.status == 302
        assert server.process is not None
        exit_status = server.stop()  # SIGTERM: a graceful shutdown
    finally:
        server.stop()
    assert exit_status == 0, server.log()

    lines = [line for line in server.log_path.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    access = [r for r in records if r["logger"] == "gunicorn.access"]
    by_id: dict[str, list[dict]] = {}
    for record in access:
        by_id.setdefault(record["request_id"], []).append(record)

    expected = [(login_page, "GET", "/login", 200, None), (signed_in, "POST", "/login", 302, checker_id),
                (page, "GET", page_url, 200, checker_id), (posted, "POST", f"{page_url}/notes", 302, checker_id),
                (retried, "POST", f"{page_url}/notes", 302, checker_id)]
    for reply, method, request_path, status, user_id in expected:
        lines_of_request = by_id.get(_request_id(reply), [])
        assert len(lines_of_request) == 1, (request_path, lines_of_request)  # logged once
        line = lines_of_request[0]
        assert (line["method"], line["path"], line["status"], line["user_id"]) == (method, request_path, status,
                                                                                 user_id), line
        assert isinstance(line["duration_ms"], int) and line["duration_ms"] >= 0
        assert line["level"] == "info" and line["time"].endswith("Z")

    # The note's audit event and the app's own line about the retry name their requests' ids.
    with app.app_context():
        note_event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "note.added")).one()
        assert note_event.request_id == _request_id(posted)
        db.session.remove()
        db.engine.dispose()
    app_lines = [r for r in records if r["logger"] == app.logger.name]
    assert any(r.get("request_id") == _request_id(retried) and "already carried out" in r["message"]
               for r in app_lines), app_lines
    # gunicorn's own lines are JSON too, shutdown included.
    assert any(r["logger"] == "gunicorn.error" and "Shutting down" in r["message"] for r in records)


def test_other_processes_log_json_lines_when_asked(tmp_path: Path, sqlite_template: Path) -> None:
    """``flask run``, the commands and the worker log plain text unless FACTCHECK_LOG_FORMAT=json."""
    path = tmp_path / "cli.sqlite3"
    shutil.copyfile(sqlite_template, path)
    script = ("from factcheck import create_app\n"
              "app = create_app()\n"
              "app.logger.warning('from the app, %s', 'outside gunicorn')\n")
    env = {**app_environment(f"sqlite:///{path}"), "FACTCHECK_SECRET_KEY": "x", "PATH": "/usr/bin:/bin"}
    as_json = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True,
                             timeout=120, env={**env, "FACTCHECK_LOG_FORMAT": "json"})
    assert as_json.returncode == 0, as_json.stderr
    record = json.loads(as_json.stderr.strip().splitlines()[-1])
    assert record["message"] == "from the app, outside gunicorn" and record["level"] == "warning"
    as_text = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True,
                             timeout=120, env=env)
    assert as_text.returncode == 0, as_text.stderr
    last = as_text.stderr.strip().splitlines()[-1]
    assert last.endswith("from the app, outside gunicorn") and not last.startswith("{")
