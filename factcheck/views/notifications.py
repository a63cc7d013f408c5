from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from factcheck.extensions import db
from factcheck.forms.articles import ActionForm
from factcheck.models import Role
from factcheck.services import claim_queries, notifications
from factcheck.views.common import actor, context

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def _nav_counts() -> dict[str, Any]:
    # One small statement per page for the header's badges (unread, my queue, review queue).
    if not current_user.is_authenticated:
        return {"unread_notifications": 0, "nav": claim_queries.NavCounts()}
    user = actor()
    counts = claim_queries.nav_counts(db.session, user, queue=user.has_role(Role.CHECKER),
                                      review=user.has_role(Role.EDITOR, Role.ADMIN))
    return {"unread_notifications": counts.unread, "nav": counts}


@bp.get("")
@login_required
def index() -> Any:
    return render_template("notifications/index.html", groups=notifications.grouped(db.session, actor()),
                           action_form=ActionForm())


@bp.post("/read")
@login_required
def mark_read() -> Any:
    if ActionForm().validate_on_submit():
        count = notifications.mark_all_read(context(), actor=actor())
        flash(f"{count} notification(s) marked as read.", "success")
    return redirect(url_for("notifications.index"))
