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
