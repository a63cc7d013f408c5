"""The live parts of a claim's page: who else has it open (a heartbeat and its answer), and the
names the note box offers after an @. Small answers for the page's own scripts, not the API."""
from __future__ import annotations

import contextlib
from typing import Any

from flask import Blueprint, jsonify, request
from flask_login import login_required

from factcheck.errors import NotFound, PermissionDenied
from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.security import Action
from factcheck.security.login import without_layout
from factcheck.services import claim_queries, notes, presence
from factcheck.views import claim_items
from factcheck.views.common import actor, context

bp = Blueprint("conversation", __name__)


def _presence(claim_id: int) -> str:
    return claim_items.presence_now(presence.others_present(db.session, claim_id, actor(), context().now()))


@bp.route("/claims/<id:claim_id>/presence", methods=["GET", "POST"])
@login_required
@without_layout
def presence_now(claim_id: int) -> Any:
    """POST: the person's page is open on the claim's forms (a heartbeat): tell the others, and answer
    who else is there; a person who may no longer change the claim (reassigned meanwhile) is just
    not counted. GET: who is there, for a reader's page, which does not count."""
    context().require(actor(), Action.READ)
    if request.method == "GET":
        if db.session.get(Claim, claim_id) is None:
            raise NotFound("There is no such claim.")
        return _presence(claim_id)
    claim = claim_queries.load_claim_page(db.session, claim_id)
    with contextlib.suppress(PermissionDenied):
        presence.heartbeat(context(), actor=actor(), claim=claim)
    return _presence(claim.id)


@bp.get("/people/mentions")
@login_required
@without_layout
def mention_suggestions() -> Any:
    """Who a half-typed @mention may mean: ``[{"label": "Chen Li (chen@…)", "token": "@[Chen Li]"}]``."""
    context().require(actor(), Action.READ)
    typed = request.args.get("q", "").replace("\x00", "")[:60]
    choices = notes.mention_choices(db.session, typed, viewer=actor())
    response = jsonify([{"label": user.choice_label, "name": user.display_name, "email": user.email, "token": token}
                        for user, token in choices])
    response.headers["Cache-Control"] = "no-store"
    return response
