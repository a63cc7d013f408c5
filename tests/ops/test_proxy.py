"""Behind a reverse proxy (docs/deploy.md): with FACTCHECK_TRUSTED_PROXIES=1 gunicorn.conf.py wraps
the app in ProxyFix, so the audit log and the access log record the client's address from
X-Forwarded-For; without it, a client cannot choose its address by sending that header."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from factcheck import create_app
from factcheck.extensions import db
from factcheck.models import AuditEvent
from tests.conftest import base_config
from tests.ops.support import Browser, Server, csrf_token
from tests.support.context import ctx
from tests.support.factories import Factory

CLIENT = "203.0.113.7"


@pytest.mark.parametrize(("trusted", "recorded"), [("1", CLIENT), ("0", "127.0.0.1")])
def test_client_address_comes_from_the_proxy_only_when_trusted(tmp_path: Path, sqlite_template: Path,
                                                                trusted: str, recorded: str) -> None:
    path = tmp_path / "proxy.sqlite3"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    app = create_app(base_config(url))
    with app.app_context():
        user = Factory(ctx()).user("editor")
        email = user.email
        db.session.remove()
        db.engine.dispose()

    server = Server({"FACTCHECK_DATABASE_URL": url, "FACTCHECK_SECRET_KEY": "proxy-test",
                     "FACTCHECK_TRUSTED_PROXIES": trusted, "FACTCHECK_WORKERS": "1", "FACTCHECK_THREADS": "2"},
                    tmp_path / "gunicorn.log")
    try:
        server.start()
        server.wait_ready()
        browser = Browser()
        headers = {"X-Forwarded-For": CLIENT, "X-Forwarded-Proto": "https"}
        page = browser.get(server.url + "/login", headers=headers)
        signed_in = browser.request(server.url + "/login", {"csrf_token": csrf_token(page.text), "email": email,
                                                            "password": Factory.PASSWORD},
                                    # Over HTTPS, Flask-WTF also wants the page the form came from.
                                    headers={**headers, "Referer": f"https://127.0.0.1:{server.port}/login"})
        assert signed_in.status == 302, signed_in.text[:500]
    finally:
        server.stop()

    with app.app_context():
        login = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "auth.login")).one()
        assert login.ip_address == recorded
        db.session.remove()
        db.engine.dispose()
    access = [json.loads(line) for line in server.log_path.read_text().splitlines()
              if line.startswith("{") and '"gunicorn.access"' in line]
    logins = [line for line in access if line["path"] == "/login"]
    assert len(logins) == 2 and all(line["remote_addr"] == recorded for line in logins)
