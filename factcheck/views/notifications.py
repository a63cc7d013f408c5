from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from factcheck.extensions import db
from factcheck.forms.articles import ActionForm
from factcheck.services import notifications
from factcheck.views.common import actor, context

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def _unread_count() -> dict[str, int]:
    # One small indexed count per page, for the header badge.
    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": notifications.unread_count(db.session, actor())}


@bp.get("")
@login_required
def index() -> Any:
    return render_template("notifications/index.html", items=notifications.recent(db.session, actor()),
                           action_form=ActionForm())


@bp.post("/read")
@login_required
def mark_read() -> Any:
    if ActionForm().validate_on_submit():
        count = notifications.mark_all_read(context(), actor=actor())
        flash(f"{count} notification(s) marked as read.", "success")
    return redirect(url_for("notifications.index"))
