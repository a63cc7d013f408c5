from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import login_required

from factcheck.extensions import db
from factcheck.services import claim_queries
from factcheck.views import links
from factcheck.views.common import actor, context

bp = Blueprint("queues", __name__)


@bp.get("/queue")
@login_required
def mine() -> Any:
    queue = claim_queries.my_queue(db.session, actor())
    return render_template("queues/mine.html", claims=queue.claims, total=queue.total, today=context().now().date(),
                           claim_url=links.by_id("claims.show", "claim_id"))


@bp.get("/review")
@login_required
def review() -> Any:
    queue = claim_queries.review_queue(db.session)
    return render_template("queues/review.html", claims=queue.claims, total=queue.total,
                           claim_url=links.by_id("claims.show", "claim_id"))
