from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from factcheck.extensions import db
from factcheck.services import audit_log
from factcheck.views.common import actor

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.get("")
@login_required
def index():
    page = audit_log.list_events(
        db.session, viewer=actor(), before_id=_int_arg("before"), article_id=_int_arg("article"),
        action=(request.args.get("action") or "").strip()[:60] or None, actor_id=_int_arg("actor"),
    )
    return render_template("audit/index.html", page=page, filters=request.args)
