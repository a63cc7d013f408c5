"""Security headers on every answer, and pages that need nothing the Content-Security-Policy forbids
(issue 11, point 5). No browser: the answers and the HTML are checked as a browser would read them."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask

from factcheck import create_app
from factcheck.extensions import db
from factcheck.views import CONTENT_SECURITY_POLICY
from tests.conftest import base_config
from tests.security.test_hostile_input import GETS, World

POLICY = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "object-src": "'none'", "base-uri": "'none'", "frame-ancestors": "'none'", "form-action": "'self'",
}


def _policy(header: str | None) -> dict[str, str]:
    assert header, "no Content-Security-Policy"
    parts = [part.strip().split(None, 1) for part in header.split(";") if part.strip()]
    return {name: value for name, value in parts}


def _assert_headers(response, *, production: bool = False) -> None:
    assert _policy(response.headers.get("Content-Security-Policy")) == POLICY
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.get("Referrer-Policy") in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}
    hsts = response.headers.get("Strict-Transport-Security")
    if production:
        assert hsts is not None and "max-age=31536000" in hsts
    else:
        assert hsts is None


class _InlineCode(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block: inline scripts, event handler
    attributes, style attributes and <style> elements, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.problems.append("<style>")
        # A JSON-LD block is data: browsers never execute it, and CSP does not apply to it.
        if tag == "script" and not names.get("src") and names.get("type") != "application/ld+json":
            self.problems.append("inline <script>")


def _inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.problems


def test_every_page_has_the_headers_and_no_inline_code(app, make, login_as):
    world = World(app, make, login_as)
    world.make.final_claim(reviewer=world.admin)  # the report then carries a JSON-LD block
    seen = 0
    for endpoint, (role, build, _params) in sorted(GETS.items()):
        url = build(world)
        db.session.commit()
        client = world.anonymous if role == "anonymous" else world.clients[role]
        response = client.get(url)
        assert response.status_code < 400, (endpoint, response.status_code)
        _assert_headers(response)
        if response.mimetype == "text/html":
            assert _inline_code(response.get_data(as_text=True)) == [], endpoint
            seen += 1
        response.close()
    assert seen >= 15
    report = world.clients["admin"].get(f"/articles/{world.make.final_claim(reviewer=world.admin).article_id}/report")
    assert '<script type="application/ld+json">' in report.get_data(as_text=True)


def test_the_inline_code_check_can_fail():
    assert _inline_code('<p style="color:red">x</p><script>alert(1)</script><a href="javascript:x" onclick="y">') == [
        "<p style=…>", "inline <script>", "<a href=javascript:…>", "<a onclick=…>"]
    assert _inline_code('<style>p{}</style><script src="/static/js/app.js"></script>') == ["<style>"]


def test_error_answers_have_the_headers_too(app, login_as):
    app.add_url_rule("/test-boom", "test_boom", lambda: 1 / 0)
    client = login_as("editor")
    for url, status in [("/nowhere", 404), ("/claims/99999999999999999999", 404), ("/test-boom", 500),
                        ("/healthz?x=%FF", 200)]:
        response = client.get(url)
        assert response.status_code == status, url
        _assert_headers(response)
    refused = client.post("/articles/new", data={"title": "no token"})  # CSRF refusal
    assert refused.status_code == 400
    _assert_headers(refused)
    moved = client.get("/")
    assert moved.status_code == 302
    _assert_headers(moved)


def test_htmx_is_told_not_to_inject_its_styles(client):
    page = client.get("/login").get_data(as_text=True)
    assert '"includeIndicatorStyles":false' in page
    assert "; ".join(f"{name} {value}" for name, value in POLICY.items()) == CONTENT_SECURITY_POLICY


@pytest.fixture
def production_app(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setenv("FACTCHECK_ENV", "Production")
    monkeypatch.setenv("FACTCHECK_SECRET_KEY", "p" * 48)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    config = base_config(database_url)
    del config["SECRET_KEY"]
    app = create_app(config)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_production_adds_hsts_and_serves_no_debugger(production_app):
    assert production_app.config["ENV_NAME"] == "production" and not production_app.debug
    client = production_app.test_client()
    login = client.get("/login", base_url="https://localhost")
    assert login.status_code == 200
    _assert_headers(login, production=True)
    for path in ("/console", "/console?__debugger__=yes&cmd=resource&f=style.css", "/?__debugger__=yes&cmd=printpin"):
        response = client.get(path, base_url="https://localhost")
        # Flask's own answers: the sign-in redirect or the 404 page, never the debugger's.
        assert response.status_code in (302, 404), path
        assert b"Werkzeug" not in response.data and b"debugger.js" not in response.data
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/login")
        _assert_headers(response, production=True)
