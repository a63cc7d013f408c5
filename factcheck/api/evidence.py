"""One piece of a claim's evidence: read it (with its ETag), correct it, remove it.

Evidence has no version column; its ETag is a digest of what it says (``evidence.version_of``), so
an edit or a removal made from an outdated copy is refused (412) by the service, inside its
transaction. Editing or removing evidence under a proposed verdict sends the verdict back to the
checker, as on the pages: the claim's own ETag changes then too."""
from __future__ import annotations

from typing import Any

from factcheck.api import schemas
from factcheck.api.claims import claim_response, evidence_out
from factcheck.api.core import bp, checked_id, ctx, etag_of, if_match_value, user
from factcheck.extensions import db
from factcheck.models import Claim, Evidence
from factcheck.security.permissions import Action
from factcheck.services import claim_queries, evidence

IF_MATCH_DOC = {"parameters": [{"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"},
                                "description": "The evidence's ETag (its `version`)"}]}


def _load(claim_id: int, evidence_id: int) -> tuple[Claim, Evidence]:
    claim = claim_queries.load_claim_page(db.session, checked_id(claim_id))
    return claim, evidence.get_evidence(db.session, claim, checked_id(evidence_id))


def _evidence_response(item: Evidence) -> Any:
    return evidence_out(item), 200, {"ETag": etag_of(evidence.version_of(item))}


@bp.get("/claims/<int:claim_id>/evidence/<int:evidence_id>")
@bp.doc(tags=["claims"], summary="Read a piece of evidence; the ETag is its version")
@bp.response(200, schemas.EvidenceOut)
def get_evidence(claim_id: int, evidence_id: int) -> Any:
    ctx().require(user(), Action.READ)
    return _evidence_response(_load(claim_id, evidence_id)[1])


@bp.put("/claims/<int:claim_id>/evidence/<int:evidence_id>")
@bp.doc(tags=["claims"], summary="Correct a piece of evidence (all its fields); the earlier version stays in "
        "the history", **IF_MATCH_DOC)
@bp.arguments(schemas.EvidenceCreate)
@bp.response(200, schemas.EvidenceOut)
def edit_evidence(body: dict[str, Any], claim_id: int, evidence_id: int) -> Any:
    _claim, item = _load(claim_id, evidence_id)
    evidence.edit_evidence(ctx(), actor=user(), evidence=item, expected_version=if_match_value(), **body)
    db.session.expire_all()
    return _evidence_response(_load(claim_id, evidence_id)[1])


@bp.post("/claims/<int:claim_id>/evidence/<int:evidence_id>/remove")
@bp.doc(tags=["claims"], summary="Remove a piece of evidence, with the reason; it stays in the claim's history. "
        "Answers the claim.", **IF_MATCH_DOC)
@bp.arguments(schemas.RemoveEvidence)
@bp.response(200, schemas.ClaimOut)
def remove_evidence(body: dict[str, Any], claim_id: int, evidence_id: int) -> Any:
    claim, item = _load(claim_id, evidence_id)
    evidence.remove_evidence(ctx(), actor=user(), evidence=item, reason=body["reason"],
                             expected_version=if_match_value())
    return claim_response(claim.id)
