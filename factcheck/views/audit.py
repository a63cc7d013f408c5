from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from factcheck.extensions import db
from factcheck.services import audit_log
from factcheck.views.common import actor, int_arg, text_arg

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("")
@login_required
def index():
    page = audit_log.list_events(
        db.session, viewer=actor(), before_id=int_arg("before"), article_id=int_arg("article"),
        action=text_arg("action", 60), actor_id=int_arg("actor"),
    )
    return render_template("audit/index.html", page=page, filters=request.args)
