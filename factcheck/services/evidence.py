"""Evidence for a claim: sources with excerpts, stance and credibility. Edits and removals are
audited with before and after values, and removed evidence stays in the database and the history."""
from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from sqlalchemy import select

from factcheck.errors import EditConflict, NotFound, ValidationFailed
from factcheck.models import Claim, Credibility, Evidence, Question, Stance, User
from factcheck.services import audit
from factcheck.services.claims import check_step, recorded, start_on_first_work
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction
from factcheck.services.notifications import notify
from factcheck.services.workflow import ClaimEvent, ClaimStatus

SOURCE_TYPES = ("primary document", "official statement", "news agency", "expert", "dataset", "social media", "other")
EDITABLE_FIELDS = ("url", "title", "publisher", "published_on", "excerpt", "source_type", "stance", "question",
                   "credibility")


def _clean(fields: dict[str, Any], today: date) -> dict[str, Any]:
    """Check and normalise evidence fields; the forms checked shape, this checks meaning."""
    url = (fields.get("url") or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ValidationFailed("The source URL must start with http:// or https://.", field="url")
    if not (fields.get("title") or "").strip():
        raise ValidationFailed("The source needs a title.", field="title")
    if fields.get("stance") not in {s.value for s in Stance}:
        raise ValidationFailed("The stance must be supports, refutes or context.", field="stance")
    if fields.get("source_type", "other") not in SOURCE_TYPES:
        raise ValidationFailed("Unknown source type.", field="source_type")
    if fields.get("question", Question.SUBSTANCE) not in {q.value for q in Question}:
        raise ValidationFailed("Say which question the evidence answers: was it said, or is it accurate.", field="question")
    if fields.get("credibility") not in {None, "", *(c.value for c in Credibility)}:
        raise ValidationFailed("Unknown credibility rating.", field="credibility")
    published_on = fields.get("published_on")
    if published_on is not None and published_on > today:
        raise ValidationFailed("The publication date is in the future.", field="published_on")
    return {
        "url": url, "title": fields["title"].strip(), "publisher": (fields.get("publisher") or "").strip(),
        "published_on": published_on, "excerpt": (fields.get("excerpt") or "").strip(),
        "source_type": fields.get("source_type") or "other", "stance": fields["stance"],
        "question": fields.get("question") or Question.SUBSTANCE.value, "credibility": fields.get("credibility") or None,
    }


def add_evidence(ctx: Context, *, actor: User, claim: Claim, url: str, title: str, stance: str,
                 excerpt: str = "", publisher: str = "", published_on: date | None = None,
                 source_type: str = "other", question: str = Question.SUBSTANCE, credibility: str | None = None
                 ) -> Evidence:
    check_step(ctx, actor, claim, "evidence")
    values = _clean({"url": url, "title": title, "stance": stance, "excerpt": excerpt, "publisher": publisher,
                     "published_on": published_on, "source_type": source_type, "question": question,
                     "credibility": credibility}, ctx.now().date())
    with transaction(ctx.session):
        evidence = Evidence(claim_id=claim.id, added_by_id=actor.id, **values)
        ctx.session.add(evidence)
        ctx.session.flush()
        audit.record(ctx, actor=actor, action="evidence.added", object_type="evidence", object_id=evidence.id,
                     article_id=claim.article_id, changes=audit.created({"claim_id": claim.id, **values}))
        start_on_first_work(ctx, actor, claim)
    return evidence


def get_evidence(session: DbSession, claim: Claim, evidence_id: int) -> Evidence:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.claim_id != claim.id or evidence.removed_at is not None:
        raise NotFound("There is no such evidence on this claim.")
    return evidence


def version_of(evidence: Evidence) -> str:
    """The evidence's version for optimistic locking (the API's ETag). Evidence has no version
    column: a digest of what it says stands in, so any edit or removal changes it."""
    values = {field: getattr(evidence, field) for field in EDITABLE_FIELDS}
    values["removed"] = evidence.removed_at is not None
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:20]


def _check_version(ctx: Context, evidence: Evidence, expected_version: str | None, *, lock: bool = False) -> None:
    """Refuse a change made from an outdated copy of the evidence. Inside the write's transaction
    (``lock``) the row is read again under a lock, so two writers racing cannot both pass."""
    if expected_version is None:
        return
    if lock:
        # The row alone (its eager relationships would put the lock on the nullable side of a join).
        ctx.session.execute(select(Evidence.id).where(Evidence.id == evidence.id).with_for_update())
        ctx.session.refresh(evidence, attribute_names=[*EDITABLE_FIELDS, "removed_at"])
    if version_of(evidence) != expected_version:
        raise EditConflict("Someone else changed this evidence since you read it.", what="evidence",
                           current={field: getattr(evidence, field) for field in EDITABLE_FIELDS},
                           current_version=version_of(evidence))


def _withdraw_verdict(ctx: Context, actor: User, claim: Claim) -> None:
    """Evidence under a proposed verdict changed: the verdict no longer rests on what was reviewed, so
    it goes back to in progress (caller's transaction) and the checker is told. A final verdict's
    evidence cannot change at all (``check_step`` refuses)."""
    if claim.status != ClaimStatus.PROPOSED:
        return
    with recorded(ctx, actor, claim, "verdict.withdrawn", ClaimEvent.EVIDENCE_CHANGED):
        pass
    if claim.assignee_id:
        notify(ctx, recipient=claim.assignee_id, kind="verdict_withdrawn", actor=actor, claim=claim,
               message=f"The evidence of claim {claim.id} changed after its verdict was proposed; "
                       "the verdict is back in progress.")


def edit_evidence(ctx: Context, *, actor: User, evidence: Evidence, expected_version: str | None = None,
                  **fields: Any) -> None:
    claim = evidence.claim
    _check_version(ctx, evidence, expected_version)
    check_step(ctx, actor, claim, "evidence")
    values = _clean(fields, ctx.now().date())
    with transaction(ctx.session):
        _check_version(ctx, evidence, expected_version, lock=True)
        before = {field: getattr(evidence, field) for field in EDITABLE_FIELDS}
        for field, value in values.items():
            setattr(evidence, field, value)
        changes = audit.diff(before, values)
        if changes:
            audit.record(ctx, actor=actor, action="evidence.edited", object_type="evidence", object_id=evidence.id,
                         article_id=claim.article_id, changes={"claim_id": {"before": claim.id, "after": claim.id},
                                                               **changes})
            _withdraw_verdict(ctx, actor, claim)


def remove_evidence(ctx: Context, *, actor: User, evidence: Evidence, reason: str,
                    expected_version: str | None = None) -> None:
    claim = evidence.claim
    _check_version(ctx, evidence, expected_version)
    check_step(ctx, actor, claim, "evidence")
    if not reason.strip():
        raise ValidationFailed("Say why the evidence is removed.", field="reason")
    with transaction(ctx.session):
        _check_version(ctx, evidence, expected_version, lock=True)
        evidence.removed_at = ctx.now()
        evidence.removed_by_id = actor.id
        evidence.removal_reason = reason.strip()
        audit.record(ctx, actor=actor, action="evidence.removed", object_type="evidence", object_id=evidence.id,
                     article_id=claim.article_id,
                     changes={"removed": {"before": False, "after": True},
                              "removal_reason": {"before": None, "after": reason.strip()}})
        _withdraw_verdict(ctx, actor, claim)
