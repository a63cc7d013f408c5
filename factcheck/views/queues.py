from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template
from flask_login import login_required

from factcheck.extensions import db
from factcheck.services import claim_queries as claim_service
from factcheck.views.common import actor

bp = Blueprint("queues", __name__)


@bp.get("/queue")
@login_required
def mine():
    claims = claim_service.my_queue(db.session, actor())
    return render_template("queues/mine.html", claims=claims, today=date.today())


@bp.get("/review")
@login_required
def review():
    claims = claim_service.review_queue(db.session)
    return render_template("queues/review.html", claims=claims)
