"""Flask-Login wiring: how a session cookie becomes a user, and ``can`` for the templates."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, has_request_context, request
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
    if not has_request_context() or request.method != "GET":
        return False
    view = current_app.view_functions.get(request.endpoint or "")
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
    environ = request.environ
    key = (environ.get("HTTP_X_FORWARDED_FOR", environ.get("REMOTE_ADDR")), environ.get("HTTP_USER_AGENT"))
    identifier = _IDENTIFIERS.get(key)
    if identifier is None:
        identifier = _create_identifier()
        if len(_IDENTIFIERS) >= _MAX_IDENTIFIERS:
            _IDENTIFIERS.clear()
        _IDENTIFIERS[key] = identifier
    return identifier


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
    app.jinja_env.globals["Action"] = Action
