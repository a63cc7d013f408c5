"""Flask-Login wiring: how a session cookie becomes a user, and ``can`` for the templates."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import flask_login
from flask import Flask, current_app
from flask.globals import _cv_app, _cv_request
from flask_login import LoginManager
from flask_login.config import AUTH_HEADER_NAME, COOKIE_NAME, SESSION_KEYS
from flask_login.signals import session_protected, user_accessed
from flask_login.utils import _create_identifier

from factcheck.extensions import db, login_manager
from factcheck.models import User
from factcheck.security.permissions import Action, can
from factcheck.services import users


def _can(user: User | None, action: Action | str, obj: Any = None) -> bool:
    return can(user, action, obj, settings=current_app.extensions["factcheck"].settings)


V = TypeVar("V", bound=Callable[..., Any])


def without_layout(view: V) -> V:
    """Mark a view whose GET answers without the layout (a fragment, JSON): its signed-in user is read
    without the navigation's badges, which nothing on it shows."""
    view.answers_without_layout = True  # type: ignore[attr-defined]
    return view


def _shows_layout() -> bool:
    """Whether this request's answer may show the layout's header: a GET of a view not marked
    ``without_layout`` (a form sent answers with a redirect, or with its page again, which then
    reads the badges itself)."""
    request_context = _cv_request.get(None)  # has_request_context() and the proxies, in one lookup
    if request_context is None or request_context.request.method != "GET":
        return False
    view = request_context.app.view_functions.get(request_context.request.endpoint or "")
    return not getattr(view, "answers_without_layout", False)


# (forwarded-for or remote address, user agent) → Flask-Login's session identifier for them.
_IDENTIFIERS: dict[tuple[str | None, str | None], str] = {}
_MAX_IDENTIFIERS = 4096


def _session_identifier() -> str:
    """Flask-Login's session protection identifier (a SHA-512 of the address and the user agent),
    worked out once per address and agent: the protection compares it with the session's on every
    request (3 % of the sign-in form, issue 15). The key is exactly what ``_create_identifier`` reads
    (the X-Forwarded-For header, else the remote address; the User-Agent header), so the identifier
    is the one it would make."""
    environ = _cv_request.get().request.environ
    key = (environ.get("HTTP_X_FORWARDED_FOR", environ.get("REMOTE_ADDR")), environ.get("HTTP_USER_AGENT"))
    identifier = _IDENTIFIERS.get(key)
    if identifier is None:
        identifier = _create_identifier()
        if len(_IDENTIFIERS) >= _MAX_IDENTIFIERS:
            _IDENTIFIERS.clear()
        _IDENTIFIERS[key] = identifier
    return identifier


def request_user() -> Any:
    """What ``current_user`` gives in a request (Flask-Login's ``_get_user``), read from the app
    context instead of through three proxies: for the views every request of which asks it first."""
    app_context = _cv_app.get()
    if "_login_user" not in app_context.g:
        app_context.app.login_manager._load_user()  # type: ignore[attr-defined]
    return app_context.g._login_user


# The Flask-Login release whose request-time steps are repeated below; any other keeps its own.
_PORTED_FROM = "0.6.3"


def _load_user(manager: LoginManager) -> None:
    """``LoginManager._load_user`` of Flask-Login 0.6.3, step for step, with the request's session,
    request, app and ``g`` read once from their contexts instead of through Flask's proxies: a dozen
    proxy lookups on every request that asks who is signed in (each 1-2 µs under load; issue 15).
    The session is read through its context's property, which marks it accessed as the proxy does."""
    app_context = _cv_app.get()
    app, request_context = app_context.app, _cv_request.get()
    if manager._user_callback is None and manager._request_callback is None:
        raise Exception(
            "Missing user_loader or request_loader. Refer to "
            "http://flask-login.readthedocs.io/#how-it-works for more info."
        )
    user_accessed.send(app)
    session = request_context.session
    user = None
    if not _session_protection_failed(manager, app, session):
        user_id = session.get("_user_id")
        if user_id is not None and manager._user_callback is not None:
            user = manager._user_callback(user_id)
        if user is None:
            incoming, config = request_context.request, app.config
            cookie_name = config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
            header_name = config.get("AUTH_HEADER_NAME", AUTH_HEADER_NAME)
            if cookie_name in incoming.cookies and session.get("_remember") != "clear":
                user = manager._load_user_from_remember_cookie(incoming.cookies[cookie_name])
            elif manager._request_callback:
                user = manager._load_user_from_request(incoming)
            elif header_name in incoming.headers:
                user = manager._load_user_from_header(incoming.headers[header_name])
    app_context.g._login_user = manager.anonymous_user() if user is None else user


def _session_protection_failed(manager: LoginManager, app: Flask, session: Any) -> bool:
    """``LoginManager._session_protection_failed`` of Flask-Login 0.6.3, given the app and session."""
    identifier = manager._session_identifier_generator()
    mode = app.config.get("SESSION_PROTECTION", manager.session_protection)
    if not mode or mode not in ["basic", "strong"]:
        return False
    # An empty session is someone signed out or never signed in: nothing to protect.
    if session and identifier != session.get("_id", None):
        if mode == "basic" or session.permanent:
            if session.get("_fresh") is not False:
                session["_fresh"] = False
            session_protected.send(app)
            return False
        if mode == "strong":
            for key in SESSION_KEYS:
                session.pop(key, None)
            session["_remember"] = "clear"
            session_protected.send(app)
            return True
    return False


def _update_remember_cookie(manager: LoginManager, response: Any) -> Any:
    """``LoginManager._update_remember_cookie`` of Flask-Login 0.6.3 (its after-request hook, run for
    every response), with the session read once from its context rather than through the proxy."""
    request_context = _cv_request.get()
    session = request_context.session
    if "_remember" not in session and request_context.app.config.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST"):
        session["_remember"] = "set"
    if "_remember" in session:
        operation = session.pop("_remember", None)
        if operation == "set" and "_user_id" in session:
            manager._set_cookie(response)
        elif operation == "clear":
            manager._clear_cookie(response)
    return response


def _read_contexts_once(app: Flask, manager: LoginManager) -> None:
    """The loader and the remember cookie's hook above in place of Flask-Login's, for the release
    they repeat; with any other release Flask-Login's own run."""
    if flask_login.__version__ != _PORTED_FROM:
        return
    manager._load_user = functools.partial(_load_user, manager)
    hooks = app.after_request_funcs.get(None, [])
    for n, hook in enumerate(hooks):
        if getattr(hook, "__func__", None) is LoginManager._update_remember_cookie \
                and getattr(hook, "__self__", None) is manager:
            hooks[n] = functools.partial(_update_remember_cookie, manager)


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager._session_identifier_generator = _session_identifier
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        # The session and remember cookies carry the device's session token, checked on every request,
        # so a revoked session (signed out, password changed, account deactivated) ends at once.
        # The request's own session, not the scoped proxy: each use of the proxy looks the session up.
        # A page with the layout gets the navigation's badges in the same statement (issue 15).
        return users.session_user(db.session(), token, badges=_shows_layout())

    app.jinja_env.globals["can"] = _can
    _read_contexts_once(app, login_manager)
    app.jinja_env.globals["Action"] = Action
