from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from factcheck.extensions import db
from factcheck.forms.articles import ActionForm
from factcheck.services import claim_queries, notifications
from factcheck.views.common import actor, context

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


class NavCountsOnDemand:
    """The header's badges (unread, my queue, review queue), read by one small statement when a
    template first shows one of them: a fragment that has no header (the claim page's presence
    heartbeat, every 30 s for each open page) reads nothing."""

    __slots__ = ("_counts", "_user")

    def __init__(self, user: Any) -> None:
        self._user = user
        self._counts: claim_queries.NavCounts | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # a probe (copy, pickle, __html__), not one of the badges
            raise AttributeError(name)
        if self._counts is None:
            self._counts = claim_queries.nav_counts(db.session, self._user)
        return getattr(self._counts, name)


@bp.app_context_processor
def _nav_counts() -> dict[str, Any]:
    if not current_user.is_authenticated:
        return {"nav": claim_queries.NavCounts()}
    return {"nav": NavCountsOnDemand(actor())}


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
