from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from factcheck.extensions import db
from factcheck.models import Role

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home() -> Any:
    """Each role starts where its daily work is."""
    if current_user.has_role(Role.EDITOR, Role.ADMIN):
        return redirect(url_for("articles.index"))
    if current_user.has_role(Role.CHECKER):
        return redirect(url_for("queues.mine"))
    if current_user.has_role(Role.MANAGER):
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("articles.index"))


@bp.get("/healthz")
def healthz() -> Any:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="error"), 503
    return jsonify(status="ok", database="ok")
