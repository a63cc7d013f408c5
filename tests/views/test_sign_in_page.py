"""The sign-in form a GET shows to someone signed out: rendered once per app and mount point, the
CSRF token and a new idempotency key written into it for each request (views/auth.py, issue 15)."""
from __future__ import annotations

import re

from tests.support.factories import Factory

HIDDEN = re.compile(r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)">'
                    r'<input type="hidden" name="idempotency_key" value="([^"]+)">')


def _hidden(page: str) -> tuple[str, str]:
    found = HIDDEN.findall(page)
    assert len(found) == 1, page
    return found[0]


def _without_key(page: str) -> str:
    return re.sub(r'(name="idempotency_key" value=)"[^"]+"', r'\1"KEY"', page)


def test_the_kept_page_is_the_rendered_page_with_this_requests_token_and_a_new_key(app, client):
    first = client.get("/login")
    kept = client.get("/login")  # the kept copy, made by the first showing
    app.jinja_env.auto_reload = True  # as in development: every showing rendered from the templates
    rendered = client.get("/login")
    assert first.status_code == kept.status_code == rendered.status_code == 200
    pages = [response.get_data(as_text=True) for response in (first, kept, rendered)]
    assert _without_key(pages[1]) == _without_key(pages[2])
    tokens, keys = zip(*map(_hidden, pages), strict=True)
    assert len(set(tokens)) == 1  # the session's token, the same on every showing
    assert len(set(keys)) == 3  # a new key each time
    for response in (kept, rendered):
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert response.headers["X-Frame-Options"] == "DENY" and response.headers["X-Request-ID"]


def test_the_kept_pages_token_signs_in_and_another_sessions_does_not(client, new_client, make):
    user = make.user("editor")
    token, key = _hidden(client.get("/login").get_data(as_text=True))
    other = new_client()
    other.get("/login")
    refused = other.post("/login", data={"csrf_token": token, "email": user.email, "password": Factory.PASSWORD})
    assert refused.status_code == 400
    signed_in = client.post("/login", data={"csrf_token": token, "idempotency_key": key, "email": user.email,
                                            "password": Factory.PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/login").status_code == 302  # signed in: no form, sent on


def test_a_message_waiting_in_the_session_is_shown_once(client, make):
    client.get("/login")  # the kept copy exists before the message comes
    assert client.get("/queue").status_code == 302
    page = client.get("/login").get_data(as_text=True)
    assert "Please sign in to continue." in page
    _hidden(page)
    assert "Please sign in to continue." not in client.get("/login").get_data(as_text=True)

    user = make.user("checker")
    client.submit("/login", {"email": user.email, "password": Factory.PASSWORD})
    client.submit("/logout")
    page = client.get("/login").get_data(as_text=True)
    assert "You have been signed out." in page
    assert "You have been signed out." not in client.get("/login").get_data(as_text=True)


def test_each_mount_point_has_its_own_kept_page(client):
    mounted = client.get("/login", base_url="http://localhost/newsroom").get_data(as_text=True)
    assert 'href="/newsroom/static/css/app.css' in mounted and 'href="/newsroom/"' in mounted
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/static/css/app.css' in page and "/newsroom" not in page
