"""Claims: list and read (with their ETag), triage, assignment (one or many), re-anchoring, evidence,
notes and verdicts.

Every write that changes a claim's own fields carries ``If-Match`` with the claim's ETag (its
version): missing is 428, stale is 412, and nothing changes. Adding evidence or a note appends to
the claim, so it needs none; editing or removing evidence carries the evidence's own ETag
(``api/evidence.py``)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for

from factcheck.api import PREFIX, schemas
from factcheck.api.core import (
    bp,
    checked_id,
    ctx,
    decode_cursor,
    encode_cursor,
    etag_of,
    if_match,
    page_links,
    stale,
    user,
)
from factcheck.errors import NotFound
from factcheck.extensions import db
from factcheck.models import Claim, Evidence
from factcheck.security.permissions import Action
from factcheck.services import claim_queries, evidence, notes
from factcheck.services import claims as claim_service
from factcheck.services import users as user_service
from factcheck.services.claim_queries import ClaimFilters


def evidence_out(item: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {field: getattr(item, field) for field in (
        "id", "claim_id", "url", "title", "publisher", "published_on", "excerpt", "source_type", "stance",
        "question", "credibility", "added_by_id", "created_at")}
    out["version"] = evidence.version_of(item)
    out["links"] = {"self": f"{PREFIX}/claims/{item.claim_id}/evidence/{item.id}",
                    "claim": f"{PREFIX}/claims/{item.claim_id}"}
    return out


def claim_out(claim: Claim, *, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {field: getattr(claim, field) for field in (
        "id", "article_id", "revision_id", "version", "status", "quote", "prefix", "suffix", "start", "end",
        "statement", "claimant", "via", "kind", "score", "priority", "due_date", "assignee_id", "verdict",
        "attribution_verdict", "rationale", "dismiss_reason", "resolution", "text_changed", "proposed_by_id",
        "reviewed_by_id")}
    actions = claim_service.allowed_actions(ctx().settings, user(), claim)
    out["allowed_actions"] = {name: getattr(actions, name) for name in (
        "accept", "dismiss", "assign", "take", "start", "evidence", "note", "propose", "review", "resolve",
        "reanchor")}
    out["links"] = {"self": f"{PREFIX}/claims/{claim.id}", "article": f"{PREFIX}/articles/{claim.article_id}",
                    "page": url_for("claims.show", claim_id=claim.id)}
    if full:
        out["evidence"] = [evidence_out(item) for item in claim.current_evidence]
        out["notes"] = [{"id": n.id, "claim_id": n.claim_id, "author_id": n.author_id, "body": n.body,
                         "created_at": n.created_at} for n in claim.notes]
    return out


def _load(claim_id: int) -> Claim:
    return claim_queries.load_claim_page(db.session, checked_id(claim_id))


def claim_response(claim_id: int, status: int = 200) -> Any:
    db.session.expire_all()
    claim = _load(claim_id)
    headers = {"ETag": etag_of(claim.version)}
    if status == 201:
        headers["Location"] = f"{PREFIX}/claims/{claim.id}"
    return claim_out(claim, full=True), status, headers


def _write(claim_id: int, change: Callable[[Claim, int | None], object]) -> Any:
    """Load the claim, read If-Match, make the change through the service, answer the claim as it is now."""
    claim = _load(claim_id)
    expected = if_match()
    if expected is not None and expected != claim.version:
        # The precondition comes first (RFC 9110 §13.2.2): a stale copy is told so, whatever the step.
        # The service checks the version again inside its transaction, for writers racing this one.
        return stale(claim)
    change(claim, expected)
    return claim_response(claim.id)


@bp.get("/claims")
@bp.doc(tags=["claims"], summary="List claims, newest first, with filters")
@bp.arguments(schemas.ClaimListArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.ClaimPage)
def list_claims(cursor: str | None, limit: int, status: str | None, article: int | None, assignee: int | None,
                verdict: str | None, overdue: bool, unassigned: bool) -> Any:
    ctx().require(user(), Action.READ)
    filters = ClaimFilters(status=status, assignee_id=assignee, article_id=article, verdict=verdict,
                           overdue=overdue, unassigned=unassigned)
    page = claim_queries.list_claims(db.session, filters, before_id=decode_cursor(cursor), limit=limit,
                                     today=ctx().now().date())
    next_cursor = encode_cursor(page.next_before_id)
    return ({"items": [claim_out(c) for c in page.claims], "next_cursor": next_cursor},
            page_links(next_cursor, limit=limit, status=status, article=article, assignee=assignee,
                       verdict=verdict, overdue="true" if overdue else None,
                       unassigned="true" if unassigned else None))


@bp.post("/claims/bulk-assign")
@bp.doc(tags=["claims"], summary="Assign several claims to one fact-checker: all of them, or none (the "
        "refusal names the claim in the way). Like the pages' bulk form, no If-Match: it assigns what is named.")
@bp.arguments(schemas.BulkAssign)
@bp.response(200, schemas.ClaimItems)
def bulk_assign(body: dict[str, Any]) -> Any:
    ctx().require(user(), Action.CLAIM_ASSIGN)
    ids = sorted(set(body["claim_ids"]))
    selected = claim_queries.claims_by_id(db.session, ids)
    missing = sorted(set(ids) - {claim.id for claim in selected})
    if missing:
        raise NotFound(f"There is no claim {', '.join(map(str, missing))}; nothing was assigned.")
    assignee = user_service.get_checker(db.session, body["assignee_id"])
    claim_service.bulk_assign(ctx(), actor=user(), claims=selected, assignee=assignee, due_date=body["due_date"],
                              priority=body["priority"])
    db.session.expire_all()
    return {"items": [claim_out(claim) for claim in claim_queries.claims_by_id(db.session, ids)]}


@bp.get("/claims/<int:claim_id>")
@bp.doc(tags=["claims"], summary="Read a claim, its evidence and notes; the ETag is its version")
@bp.response(200, schemas.ClaimOut)
def get_claim(claim_id: int) -> Any:
    ctx().require(user(), Action.READ)
    return claim_response(claim_id)


IF_MATCH_DOC = {"parameters": [{"in": "header", "name": "If-Match", "required": True,
                                "schema": {"type": "string"}, "description": "The claim's ETag, e.g. \"3\""}]}


@bp.post("/claims/<int:claim_id>/accept")
@bp.doc(tags=["claims"], summary="Accept a suggested claim (optionally restating it)", **IF_MATCH_DOC)
@bp.arguments(schemas.AcceptSuggestion)
@bp.response(200, schemas.ClaimOut)
def accept_suggestion(body: dict[str, Any], claim_id: int) -> Any:
    return _write(claim_id, lambda claim, version: claim_service.accept_suggestion(
        ctx(), actor=user(), claim=claim, statement=body["statement"], claimant=body["claimant"], via=body["via"],
        expected_version=version))


@bp.post("/claims/<int:claim_id>/dismiss")
@bp.doc(tags=["claims"], summary="Dismiss a claim, with the reason", **IF_MATCH_DOC)
@bp.arguments(schemas.Dismiss)
@bp.response(200, schemas.ClaimOut)
def dismiss(body: dict[str, Any], claim_id: int) -> Any:
    return _write(claim_id, lambda claim, version: claim_service.dismiss(
        ctx(), actor=user(), claim=claim, reason=body["reason"], expected_version=version))


@bp.post("/claims/<int:claim_id>/assign")
@bp.doc(tags=["claims"], summary="Assign a claim to a fact-checker", **IF_MATCH_DOC)
@bp.arguments(schemas.Assign)
@bp.response(200, schemas.ClaimOut)
def assign(body: dict[str, Any], claim_id: int) -> Any:
    def run(claim: Claim, version: int | None) -> None:
        claim_service.check_step(ctx(), user(), claim, "assign")
        assignee = user_service.get_checker(db.session, body["assignee_id"])
        claim_service.assign(ctx(), actor=user(), claim=claim, assignee=assignee, due_date=body["due_date"],
                             priority=body["priority"], expected_version=version)

    return _write(claim_id, run)


@bp.post("/claims/<int:claim_id>/reanchor")
@bp.doc(tags=["claims"], summary="Anchor an orphaned claim to the passage of the current text that replaced its "
        "words (quote, or start/end span); it goes back to checking", **IF_MATCH_DOC)
@bp.arguments(schemas.Reanchor)
@bp.response(200, schemas.ClaimOut)
def reanchor(body: dict[str, Any], claim_id: int) -> Any:
    return _write(claim_id, lambda claim, version: claim_service.reanchor(
        ctx(), actor=user(), claim=claim, quote=body["quote"], start=body["start"], end=body["end"],
        expected_version=version))


@bp.post("/claims/<int:claim_id>/evidence")
@bp.doc(tags=["claims"], summary="Add a piece of evidence to a claim (appended: no If-Match needed)")
@bp.arguments(schemas.EvidenceCreate)
@bp.response(201, schemas.ClaimOut)
def add_evidence(body: dict[str, Any], claim_id: int) -> Any:
    claim = _load(claim_id)
    evidence.add_evidence(ctx(), actor=user(), claim=claim, **body)
    return claim_response(claim.id, status=201)


@bp.post("/claims/<int:claim_id>/notes")
@bp.doc(tags=["claims"], summary="Add a note (Markdown; @mentions notify)")
@bp.arguments(schemas.NoteCreate)
@bp.response(201, schemas.ClaimOut)
def add_note(body: dict[str, Any], claim_id: int) -> Any:
    claim = _load(claim_id)
    notes.add_note(ctx(), actor=user(), claim=claim, body=body["body"])
    return claim_response(claim.id, status=201)


@bp.post("/claims/<int:claim_id>/verdict")
@bp.doc(tags=["verdicts"], summary="Propose a verdict (the assigned checker)", **IF_MATCH_DOC)
@bp.arguments(schemas.Propose)
@bp.response(200, schemas.ClaimOut)
def propose(body: dict[str, Any], claim_id: int) -> Any:
    return _write(claim_id, lambda claim, version: claim_service.propose_verdict(
        ctx(), actor=user(), claim=claim, verdict=body["verdict"], rationale=body["rationale"],
        attribution_verdict=body["attribution_verdict"], expected_version=version))


@bp.post("/claims/<int:claim_id>/verdict/accept")
@bp.doc(tags=["verdicts"], summary="Accept the proposed verdict (an editor other than the proposer)",
        **IF_MATCH_DOC)
@bp.response(200, schemas.ClaimOut)
def accept_verdict(claim_id: int) -> Any:
    return _write(claim_id, lambda claim, version: claim_service.accept_verdict(
        ctx(), actor=user(), claim=claim, expected_version=version))


@bp.post("/claims/<int:claim_id>/verdict/return")
@bp.doc(tags=["verdicts"], summary="Return the proposed verdict to the checker with a note", **IF_MATCH_DOC)
@bp.arguments(schemas.ReturnVerdict)
@bp.response(200, schemas.ClaimOut)
def return_verdict(body: dict[str, Any], claim_id: int) -> Any:
    return _write(claim_id, lambda claim, version: claim_service.return_verdict(
        ctx(), actor=user(), claim=claim, note=body["note"], expected_version=version))


@bp.post("/claims/<int:claim_id>/take")
@bp.doc(tags=["claims"], summary="A checker takes an open, unassigned claim (where the newsroom allows it)",
        **IF_MATCH_DOC)
@bp.response(200, schemas.ClaimOut)
def take(claim_id: int) -> Any:
    return _write(claim_id, lambda claim, version: claim_service.take_from_pool(ctx(), actor=user(), claim=claim))


@bp.post("/claims/<int:claim_id>/start")
@bp.doc(tags=["claims"], summary="The assigned checker starts work", **IF_MATCH_DOC)
@bp.response(200, schemas.ClaimOut)
def start(claim_id: int) -> Any:
    return _write(claim_id, lambda claim, version: claim_service.start_work(ctx(), actor=user(), claim=claim))


@bp.post("/claims/<int:claim_id>/resolve")
@bp.doc(tags=["verdicts"], summary="Resolve a final misleading/disputed/false claim (or an orphaned one)",
        **IF_MATCH_DOC)
@bp.arguments(schemas.Resolve)
@bp.response(200, schemas.ClaimOut)
def resolve(body: dict[str, Any], claim_id: int) -> Any:
    return _write(claim_id, lambda claim, version: claim_service.resolve(
        ctx(), actor=user(), claim=claim, resolution=body["resolution"], note=body["note"],
        revision_number=body["revision"], expected_version=version))
