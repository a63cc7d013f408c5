"""Flask-Login wiring: how a session cookie becomes a user."""
from __future__ import annotations

from flask import Flask

from factcheck.extensions import db, login_manager
from factcheck.models import User


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        return db.session.get(User, int(user_id))
