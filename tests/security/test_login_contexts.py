"""Flask-Login's request-time steps as security/login.py runs them (the request's contexts read once
instead of through Flask's proxies, issue 15) do exactly what Flask-Login's own do: for each case the
same request is answered by both, and the user, the session and the cookies sent must be the same."""
from __future__ import annotations

from importlib.metadata import version
from typing import Any

import flask_login
import pytest
from flask import g
from flask.globals import _cv_request
from flask_login import LoginManager

from factcheck.extensions import login_manager
from factcheck.security import login
from tests.support.factories import Factory

# The test client's agent, which the signed-in sessions below were opened with.
CLIENT_AGENT = {"User-Agent": f"Werkzeug/{version('werkzeug')}"}
OTHER_AGENT = {"User-Agent": "Another browser/1.0"}


def _signed_in(client, user, remember: bool = False) -> tuple[dict[str, Any], str | None]:
    data = {"email": user.email, "password": Factory.PASSWORD, **({"remember": "y"} if remember else {})}
    assert client.submit("/login", data).status_code == 302
    with client.session_transaction() as session:
        kept = dict(session)
    cookie = client.get_cookie("remember_token")
    return kept, cookie.value if cookie else None


def _outcome(app, load: Any, session_data: dict[str, Any], cookies: dict[str, str], headers: dict[str, str]):
    cookie_header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    headers = {**CLIENT_AGENT, **headers, **({"Cookie": cookie_header} if cookie_header else {})}
    with app.test_request_context("/account/password", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        session = _cv_request.get().session
        session.update(session_data)
        session.modified = session.accessed = False
        load()
        user = g._login_user
        return (None if user.is_anonymous else user.id, dict(session), session.modified, session.accessed)


def _both(app, session_data, cookies=None, headers=None):
    theirs = _outcome(app, lambda: LoginManager._load_user(login_manager), session_data, cookies or {}, headers or {})
    ours = _outcome(app, login_manager._load_user, session_data, cookies or {}, headers or {})
    return theirs, ours


def test_the_repeated_steps_are_installed_for_the_release_they_repeat(app):
    assert flask_login.__version__ == login._PORTED_FROM
    assert login_manager._load_user.func is login._load_user
    assert any(getattr(hook, "func", None) is login._update_remember_cookie for hook in app.after_request_funcs[None])


@pytest.mark.parametrize("protection", ["basic", "strong"])
def test_the_user_loaded_is_flask_logins(app, client, new_client, make, protection):
    app.config["SESSION_PROTECTION"] = protection
    user = make.user("editor")
    signed_in, _ = _signed_in(client, user)
    _, remembered = _signed_in(new_client(), user, remember=True)
    cases = [
        ({}, {}, {}),  # never signed in
        ({"csrf_token": "abc", "_fresh": True}, {}, {}),  # signed out, with a form shown
        (signed_in, {}, {}),
        (signed_in, {}, OTHER_AGENT),  # the cookie sent by another browser
        ({"_fresh": False}, {"remember_token": remembered}, {}),  # back with only the remember cookie
        ({"_remember": "clear"}, {"remember_token": remembered}, {}),
        ({}, {}, {"Authorization": "Bearer something"}),
        ({**signed_in, "_user_id": "not a session token"}, {}, {}),
    ]
    outcomes = []
    for session_data, cookies, headers in cases:
        theirs, ours = _both(app, session_data, cookies, headers)
        assert ours == theirs, (session_data, cookies, headers)
        outcomes.append(ours)
    assert outcomes[0][0] is None and outcomes[2][0] == user.id and outcomes[7][0] is None
    if protection == "strong":  # a session from elsewhere is emptied, whatever cookie comes with it
        assert outcomes[3][0] is None and outcomes[3][1].get("_remember") == "clear"
        assert outcomes[4][0] is None
    else:
        assert outcomes[3][0] == user.id and outcomes[3][1]["_fresh"] is False
        assert outcomes[4][0] == user.id


def _after_hook(app, hook: Any, session_data: dict[str, Any]):
    with app.test_request_context("/queue"):
        session = _cv_request.get().session
        session.update(session_data)
        session.modified = session.accessed = False
        response = hook(app.response_class("ok"))
        return (sorted(response.headers.getlist("Set-Cookie")), dict(session), session.modified, session.accessed)


@pytest.mark.parametrize("refresh", [False, True])
def test_the_remember_cookie_is_written_and_cleared_as_flask_login_does(app, client, make, refresh):
    app.config["REMEMBER_COOKIE_REFRESH_EACH_REQUEST"] = refresh
    signed_in, _ = _signed_in(client, make.user("checker"))
    ours = next(hook for hook in app.after_request_funcs[None] if getattr(hook, "func", None) is login._update_remember_cookie)
    for session_data in ({}, {"csrf_token": "abc"}, signed_in, {**signed_in, "_remember": "set"},
                         {"_remember": "clear"}, {"_remember": "set"}):
        theirs = _after_hook(app, login_manager._update_remember_cookie, session_data)
        assert _after_hook(app, ours, session_data) == theirs, session_data
    assert _after_hook(app, ours, {"_remember": "clear"})[0][0].startswith("remember_token=;")
