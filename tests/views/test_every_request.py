"""What every request pays, done once where it can be (issue 15, eleventh round): the cookies parsed
once per Cookie header, Flask-Login's session identifier worked out once per address and agent, the
header's links worked out once per set of roles. Each must give exactly what it replaced."""
from __future__ import annotations

import re

import pytest
from flask_login.utils import _create_identifier
from werkzeug.sansio.http import parse_cookie

from factcheck.extensions import db
from factcheck.security import login
from factcheck.services import users
from tests.support.context import ctx

_COOKIE_HEADERS = ["", "a=1", "a=1; b=2; a=3", 'session="quoted; value"; theme=dark', "x=" + "y" * 5000]


def test_the_cookies_are_those_werkzeug_parses_for_each_header(app):
    for header in _COOKIE_HEADERS * 2:  # the second time from what was kept
        environ = {"HTTP_COOKIE": header} if header else {}
        with app.test_request_context("/", environ_base=environ) as request_context:
            cookies = request_context.request.cookies
            expected = parse_cookie(header, cls=request_context.request.dict_storage_class)
            assert list(cookies.items(multi=True)) == list(expected.items(multi=True))
            assert type(cookies) is type(expected)


def test_a_request_cannot_change_the_cookies_another_request_is_given(app):
    with app.test_request_context("/", environ_base={"HTTP_COOKIE": "a=1"}) as first:
        cookies = first.request.cookies
        with pytest.raises(TypeError):
            cookies["a"] = "2"  # type: ignore[index]
    with app.test_request_context("/", environ_base={"HTTP_COOKIE": "a=1"}) as second:
        assert second.request.cookies["a"] == "1"


def test_a_changed_session_cookie_is_read_anew(make, login_as):
    client = login_as(make.user("checker"))
    assert client.get("/queue").status_code == 200
    client.submit("/logout")
    assert client.get("/queue").status_code == 302  # the new cookie (signed out), not the kept one


def test_the_session_identifier_is_flask_logins_for_each_address_and_agent(app):
    cases = [
        {"REMOTE_ADDR": "10.0.0.1", "HTTP_USER_AGENT": "Firefox"},
        {"REMOTE_ADDR": "10.0.0.1", "HTTP_USER_AGENT": "Chrome"},
        {"REMOTE_ADDR": "10.0.0.2", "HTTP_USER_AGENT": "Firefox"},
        {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 10.0.0.1", "HTTP_USER_AGENT": "Firefox"},
        {"REMOTE_ADDR": "10.0.0.1"},
        {},
    ]
    seen = set()
    for environ in cases * 2:  # the second time from what was kept
        with app.test_request_context("/", environ_base=environ):
            identifier = login._session_identifier()
            assert identifier == _create_identifier()
            seen.add(identifier)
    assert len(seen) == len(cases)


def test_a_session_sent_from_another_agent_is_no_longer_fresh(make, login_as):
    """Flask-Login's basic session protection, through the kept identifiers."""
    client = login_as(make.user("editor"))
    assert client.get("/articles").status_code == 200
    with client.session_transaction() as session:
        assert session.get("_fresh") is True
    assert client.get("/articles", headers={"User-Agent": "another browser"}).status_code == 200
    with client.session_transaction() as session:
        assert session.get("_fresh") is False


_LINKS = {"My queue": 'href="/queue"', "Review queue": 'href="/review"', "Dashboard": 'href="/dashboard"',
          "Audit log": 'href="/audit"', "Users": 'href="/users"', "Webhooks": 'href="/webhooks"'}


def _links(html: str) -> set[str]:
    nav = re.search(r'<nav aria-label="Main" class="main-nav">(.*?)</nav>', html, re.S)
    assert nav, html
    return {name for name, link in _LINKS.items() if link in nav.group(1)}


def test_the_headers_links_follow_each_persons_roles(make, login_as):
    expected = {
        ("checker",): {"My queue"},
        ("editor",): {"Review queue"},
        ("manager",): {"Dashboard", "Audit log"},
        ("admin",): {"Review queue", "Dashboard", "Audit log", "Users", "Webhooks"},
        ("checker", "manager"): {"My queue", "Dashboard", "Audit log"},
    }
    for _ in range(2):  # the second time from what was kept
        for roles, links in expected.items():
            client = login_as(make.user(*roles))
            assert _links(client.get("/notifications").get_data(as_text=True)) == links, roles


def test_the_headers_links_follow_a_change_of_roles_on_the_next_page(make, login_as):
    admin = make.user("admin")
    checker = make.user("checker")
    client = login_as(checker)
    assert _links(client.get("/notifications").get_data(as_text=True)) == {"My queue"}
    users.set_roles(ctx(), actor=admin, user=checker, roles=["checker", "manager"])
    db.session.commit()
    assert _links(client.get("/notifications").get_data(as_text=True)) == {"My queue", "Dashboard", "Audit log"}
