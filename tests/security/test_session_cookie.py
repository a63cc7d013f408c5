"""The session cookie is read and written with a serializer made once for the app's keys
(factcheck/security/sessions.py, issue 15): rotating the secret key still ends every session not
signed with a key the app accepts, and a page that changes nothing sends no new cookie."""
from __future__ import annotations


def test_a_page_that_changes_nothing_sends_no_cookie(login_as):
    client = login_as("editor")
    client.get("/articles")
    response = client.get("/articles")
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []
    # The page read the session, so caches must key it by the cookie, as Flask says it.
    assert response.headers.getlist("Vary") == ["Cookie"]


def test_a_view_s_own_vary_keeps_its_values_and_gains_cookie(app, login_as):
    from flask import Response, session

    @app.get("/test-vary")
    def _varies() -> Response:
        session.get("anything")
        return Response("ok", headers={"Vary": "Accept-Language"})

    response = login_as("editor").get("/test-vary")
    assert response.headers.getlist("Set-Cookie") == []
    assert response.headers.getlist("Vary") == ["Accept-Language, Cookie"]


def test_a_new_secret_key_ends_the_sessions_signed_with_the_old_one(app, login_as):
    client = login_as("editor")
    assert client.get("/articles").status_code == 200
    old = app.secret_key
    app.secret_key = "another secret key entirely, at least thirty-two characters"
    try:
        response = client.get("/articles")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    finally:
        app.secret_key = old


def test_the_old_key_among_the_fallbacks_keeps_them(app, login_as):
    client = login_as("editor")
    old = app.secret_key
    app.secret_key = "another secret key entirely, at least thirty-two characters"
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    try:
        assert client.get("/articles").status_code == 200
    finally:
        app.secret_key = old
        app.config["SECRET_KEY_FALLBACKS"] = []


def test_a_cookie_read_before_still_expires_with_the_session_lifetime(app, login_as):
    """A cookie already checked is remembered (issue 15), its age still checked on every request."""
    from datetime import timedelta

    client = login_as("editor")
    assert client.get("/articles").status_code == 200
    assert client.get("/articles").status_code == 200  # the same cookie again: the remembered one
    lifetime = app.permanent_session_lifetime
    app.permanent_session_lifetime = timedelta(seconds=-1)  # every cookie is now too old
    try:
        response = client.get("/articles")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    finally:
        app.permanent_session_lifetime = lifetime


def test_a_remembered_session_is_not_shared_between_requests(login_as):
    """Each request gets its own session: a flash added by one is not seen by a request that sends
    the cookie from before it."""
    client = login_as("editor")
    client.get("/articles")
    cookie = client.get_cookie("session").value
    response = client.submit("/notifications/read")
    assert response.status_code == 302
    other = login_as("editor")
    other.set_cookie("session", cookie)
    page = other.get("/articles").get_data(as_text=True)
    assert "marked as read" not in page
    assert "marked as read" in client.get("/articles").get_data(as_text=True)


def test_a_sessions_form_token_is_signed_once_and_accepted(login_as):
    client = login_as("manager")
    first = client.get("/account/password").get_data(as_text=True)
    second = client.get("/account/password").get_data(as_text=True)
    token = first.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert token in second  # the same signed token, not signed anew each request
    assert client.post("/audit/verify", data={"csrf_token": token}).status_code == 302
