"""Flask-Login wiring: how a session cookie becomes a user, and ``can`` for the templates."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, has_request_context, request

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


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
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
