"""Small helpers shared by the views."""
from __future__ import annotations

from flask_login import current_user

from factcheck.models import User


def actor() -> User:
    """The signed-in user as a real model instance (services compare ids and roles on it)."""
    return current_user._get_current_object()
