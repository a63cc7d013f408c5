"""Flask-Login wiring: how a session cookie becomes a user, and ``can`` for the templates."""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from factcheck.extensions import db, login_manager
from factcheck.models import User
from factcheck.security.permissions import Action, can
from factcheck.services import users


def _can(user: User | None, action: Action | str, obj: Any = None) -> bool:
    return can(user, action, obj, settings=current_app.extensions["factcheck"].settings)


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
        return users.session_user(db.session(), token)

    app.jinja_env.globals["can"] = _can
    app.jinja_env.globals["Action"] = Action
