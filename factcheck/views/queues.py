from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from flask import Blueprint, render_template
from flask_login import login_required

from factcheck.extensions import db
from factcheck.services import claim_queries, unchanged
from factcheck.views import links, list_rows
from factcheck.views.common import actor, context
from factcheck.views.pager import current_pager

bp = Blueprint("queues", __name__)


def _kept(key: Hashable, read: Callable[[], claim_queries.Queue]) -> claim_queries.Queue:
    """``read()``, kept while the database has not changed (``unchanged``: on SQLite, whose
    ``data_version`` every commit of any connection moves; elsewhere read every time), as the
    dashboard's figures are: the queue's statement was a fifth of the page. ``key`` holds every value
    the queue depends on besides the rows."""
    session = db.session
    session.flush()  # what autoflush would have done
    return unchanged.kept_while_unchanged(session.connection(), key, read)


@bp.get("/queue")
@login_required
def mine() -> Any:
    pager = current_pager()
    viewer = actor()
    queue = _kept(("my queue", viewer.id, pager.size, pager.offset),
                  lambda: claim_queries.my_queue(db.session, viewer, limit=pager.size, offset=pager.offset))
    today = context().now().date()
    # Written again only when the claims read differ, or the day (their due marks) moves on.
    rows = list_rows.kept_page(("mine", today), queue.claims, lambda: list_rows.kept_my_queue_rows(
        queue.claims, claim_url=links.by_id("claims.show", "claim_id"), today=today))
    return render_template("queues/mine.html", claims=queue.claims, rows=rows, total=queue.total,
                           pages=pager.links("queues.mine", len(queue.claims),
                                             more=pager.offset + len(queue.claims) < queue.total, kept={}))


@bp.get("/review")
@login_required
def review() -> Any:
    pager = current_pager()
    queue = _kept(("review queue", pager.size, pager.offset),
                  lambda: claim_queries.review_queue(db.session, limit=pager.size, offset=pager.offset))
    rows = list_rows.kept_page(("review",), queue.claims, lambda: list_rows.kept_review_queue_rows(
        queue.claims, claim_url=links.by_id("claims.show", "claim_id")))
    return render_template("queues/review.html", claims=queue.claims, rows=rows, total=queue.total,
                           pages=pager.links("queues.review", len(queue.claims),
                                             more=pager.offset + len(queue.claims) < queue.total, kept={}))
