"""Small helpers shared by the views."""
from __future__ import annotations

from flask import request
from flask_login import current_user

from factcheck.models import User


def actor() -> User:
    """The signed-in user as a real model instance (services compare ids and roles on it)."""
    return current_user._get_current_object()


def text_arg(name: str, max_length: int = 200) -> str | None:
    """A query-string value, trimmed, without NULs (PostgreSQL refuses them), or None when empty."""
    value = request.args.get(name, "").replace("\x00", "").strip()[:max_length]
    return value or None


def int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None
