"""Claims and their state machine (DESIGN §3). Views never change a claim's status themselves."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from factcheck.models import (
    Article, AttributionVerdict, Claim, ClaimStatus, Note, Priority, Question, Resolution, Role, User, utcnow,
)
from factcheck.security.permissions import Action, require
from factcheck.services import audit
from factcheck.services.anchoring import Anchor, anchor_at, find_quote, find_span
from factcheck.services.articles import ensure_open_for_changes, refresh_status
from factcheck.services.db import transaction
from factcheck.services.errors import EditConflict, InvalidTransition, ValidationFailed
from factcheck.services.notifications import notify

S = ClaimStatus

# event -> {from status: to status}. The only place claim statuses change.
TRANSITIONS: dict[str, dict[ClaimStatus, ClaimStatus]] = {
    "accept": {S.SUGGESTED: S.OPEN},
    "dismiss": {S.SUGGESTED: S.DISMISSED, S.OPEN: S.DISMISSED, S.ORPHANED: S.DISMISSED},
    "assign": {S.OPEN: S.ASSIGNED, S.ASSIGNED: S.ASSIGNED, S.IN_PROGRESS: S.ASSIGNED},
    "start": {S.ASSIGNED: S.IN_PROGRESS},
    "propose": {S.ASSIGNED: S.PROPOSED, S.IN_PROGRESS: S.PROPOSED},
    "accept_verdict": {S.PROPOSED: S.FINAL},
    "return_verdict": {S.PROPOSED: S.IN_PROGRESS},
    # A new revision changed the claim's words: its verdict was about other words.
    "text_changed": {S.PROPOSED: S.IN_PROGRESS, S.FINAL: S.IN_PROGRESS},
    # A new revision removed the claim's words; an editor dismisses it or marks the new passage.
    "orphan": {s: S.ORPHANED for s in (S.SUGGESTED, S.OPEN, S.ASSIGNED, S.IN_PROGRESS, S.PROPOSED, S.FINAL)},
}

TRACKED_FIELDS = (
    "status", "statement", "claimant", "via", "kind", "priority", "due_date", "assignee_id", "verdict",
    "attribution_verdict", "rationale", "dismiss_reason", "resolution", "resolution_note",
)


def next_status(claim: Claim, event: str) -> ClaimStatus:
    table = TRANSITIONS[event]
    try:
        return table[ClaimStatus(claim.status)]
    except KeyError:
        allowed = ", ".join(sorted(s.value.replace("_", " ") for s in table))
        raise InvalidTransition(
            f"This claim is {claim.status.replace('_', ' ')}; that action needs it to be {allowed}."
        ) from None


def _snapshot(claim: Claim) -> dict[str, Any]:
    return {field: getattr(claim, field) for field in TRACKED_FIELDS}


def _check_version(claim: Claim, expected_version: int | None, attempted: dict[str, Any]) -> None:
    """Refuse a save based on an outdated copy, and say what the other person changed."""
    if expected_version is None or expected_version == claim.version:
        return
    raise EditConflict(
        "Someone else changed this claim while you were working on it. Their version is shown below; "
        "your input has been kept so you can apply it again.",
        current=_snapshot(claim), attempted=attempted, current_version=claim.version,
    )


def _audit_change(session: Session, actor: User | None, action: str, claim: Claim, before: dict[str, Any]) -> None:
    audit.record(
        session, actor=actor, action=action, object_type="claim", object_id=claim.id,
        article_id=claim.article_id, changes=audit.diff(before, _snapshot(claim)),
    )


def insert_claim(session: Session, actor: User | None, article: Article, anchor: Anchor, status: ClaimStatus,
                 action: str, **fields: Any) -> Claim:
    """Create one claim on the current revision and audit it; the caller refreshes the article status."""
    revision = article.current_revision
    if revision is None:
        raise InvalidTransition("The article has no text yet.")
    claim = Claim(
        article_id=article.id, revision_id=revision.id, quote=anchor.exact, prefix=anchor.prefix,
        suffix=anchor.suffix, start=anchor.start, end=anchor.end, status=status,
        statement=fields.pop("statement", None) or anchor.exact, **fields,
    )
    session.add(claim)
    session.flush()
    audit.record(
        session, actor=actor, action=action, object_type="claim", object_id=claim.id, article_id=article.id,
        changes=audit.created({"quote": claim.quote, "start": claim.start, "end": claim.end, "status": claim.status,
                               "statement": claim.statement, "claimant": claim.claimant, "via": claim.via,
                               "kind": claim.kind, "score": claim.score}),
    )
    return claim


def _new_claim(session: Session, actor: User | None, article: Article, anchor: Anchor, status: ClaimStatus,
               action: str, **fields: Any) -> Claim:
    ensure_open_for_changes(article)
    duplicate = next((c for c in article.claims if c.start == anchor.start and c.end == anchor.end
                      and c.revision_id == article.current_revision_id and c.status != S.DISMISSED), None)
    if duplicate is not None:
        raise ValidationFailed("This passage is already a claim of the article.", claim_id=duplicate.id)
    claim = insert_claim(session, actor, article, anchor, status, action, **fields)
    refresh_status(session, article, actor)
    return claim


def add_claim(session: Session, *, actor: User, article: Article, quote: str, start: int | None = None,
              end: int | None = None, statement: str = "", claimant: str | None = None,
              via: list[str] | None = None, kind: str = "statement") -> Claim:
    """An editor marks a passage as a claim; it is anchored to the current revision or refused."""
    require(actor, Action.CLAIM_CREATE, article)
    text = article.text
    anchor = find_span(text, start, end, quote) if start is not None and end is not None else find_quote(text, quote)
    if anchor is None:
        raise ValidationFailed("That passage was not found in the article text. Paste it exactly as it appears.")
    suggested = next((c for c in article.claims if (c.start, c.end) == (anchor.start, anchor.end)
                      and c.revision_id == article.current_revision_id and c.status == S.SUGGESTED), None)
    if suggested is not None:
        # Marking a passage factcheck already suggested is accepting that suggestion.
        accept_suggestion(session, actor=actor, claim=suggested, statement=statement or None,
                          claimant=claimant or None, via=via)
        return suggested
    with transaction(session):
        return _new_claim(session, actor, article, anchor, S.OPEN, "claim.created", statement=statement.strip(),
                          claimant=(claimant or "").strip() or None, via=via or [], kind=kind)


def suggest_claim(session: Session, *, article: Article, start: int, end: int, claimant: str | None,
                  via: list[str], kind: str, score: float) -> Claim:
    """Record one machine suggestion; nobody's permission is needed because nobody acted."""
    with transaction(session):
        return _new_claim(session, None, article, anchor_at(article.text, start, end), S.SUGGESTED,
                          "claim.suggested", claimant=claimant, via=via, kind=kind, score=score)


def accept_suggestion(session: Session, *, actor: User, claim: Claim, statement: str | None = None,
                      claimant: str | None = None, via: list[str] | None = None,
                      expected_version: int | None = None) -> None:
    require(actor, Action.CLAIM_TRIAGE, claim)
    ensure_open_for_changes(claim.article)
    _check_version(claim, expected_version, {"statement": statement, "claimant": claimant})
    new_status = next_status(claim, "accept")
    with transaction(session):
        before = _snapshot(claim)
        claim.status = new_status
        if statement is not None and statement.strip():
            claim.statement = statement.strip()
        if claimant is not None:
            claim.claimant = claimant.strip() or None
        if via is not None:
            claim.via = via
        _audit_change(session, actor, "claim.accepted", claim, before)
        refresh_status(session, claim.article, actor)


def dismiss(session: Session, *, actor: User, claim: Claim, reason: str, expected_version: int | None = None) -> None:
    require(actor, Action.CLAIM_TRIAGE, claim)
    ensure_open_for_changes(claim.article)
    if not reason.strip():
        raise ValidationFailed("Say why the claim is dismissed.")
    _check_version(claim, expected_version, {"status": S.DISMISSED, "dismiss_reason": reason})
    new_status = next_status(claim, "dismiss")
    with transaction(session):
        before = _snapshot(claim)
        claim.status = new_status
        claim.dismiss_reason = reason.strip()
        _audit_change(session, actor, "claim.dismissed", claim, before)
        refresh_status(session, claim.article, actor)


def _check_assignment(actor: User, claim: Claim, assignee: User, priority: str) -> ClaimStatus:
    require(actor, Action.CLAIM_ASSIGN, claim)
    ensure_open_for_changes(claim.article)
    if not assignee.has_role(Role.CHECKER) or not assignee.is_active:
        raise ValidationFailed(f"{assignee.display_name} is not an active fact-checker.")
    if priority not in {p.value for p in Priority}:
        raise ValidationFailed("Unknown priority.")
    return next_status(claim, "assign")


def _apply_assignment(session: Session, actor: User, claim: Claim, new_status: ClaimStatus, assignee: User,
                      due_date: date | None, priority: str, action: str = "claim.assigned") -> None:
    before = _snapshot(claim)
    claim.status = new_status
    claim.assignee_id = assignee.id
    claim.due_date = due_date
    claim.priority = priority
    _audit_change(session, actor, action, claim, before)


def _due_text(due_date: date | None) -> str:
    return f", due {due_date.isoformat()}" if due_date else ""


def assign(session: Session, *, actor: User, claim: Claim, assignee: User, due_date: date | None = None,
           priority: str = Priority.NORMAL, expected_version: int | None = None) -> None:
    new_status = _check_assignment(actor, claim, assignee, priority)
    _check_version(claim, expected_version, {"assignee_id": assignee.id, "due_date": due_date, "priority": priority})
    with transaction(session):
        _apply_assignment(session, actor, claim, new_status, assignee, due_date, priority)
        notify(session, recipient=assignee, kind="assignment", actor=actor, claim=claim,
               message=f"{actor.display_name} assigned you claim {claim.id} ({priority} priority"
                       f"{_due_text(due_date)}): “{claim.label}”")


def bulk_assign(session: Session, *, actor: User, claims: list[Claim], assignee: User, due_date: date | None = None,
                priority: str = Priority.NORMAL) -> None:
    """Assign several claims at once: all of them or, if any cannot be, none (the error names it)."""
    if not claims:
        raise ValidationFailed("Select at least one claim to assign.")
    planned = []
    for claim in claims:
        try:
            planned.append((claim, _check_assignment(actor, claim, assignee, priority)))
        except InvalidTransition as error:
            raise InvalidTransition(f"Claim {claim.id}: {error.message} Nothing was assigned.") from None
    with transaction(session):
        for claim, new_status in planned:
            _apply_assignment(session, actor, claim, new_status, assignee, due_date, priority)
        notify(session, recipient=assignee, kind="assignment", actor=actor, claim=claims[0],
               message=f"{actor.display_name} assigned you {len(claims)} claim(s) ({priority} priority"
                       f"{_due_text(due_date)}), starting with claim {claims[0].id}: “{claims[0].label}”")


def take_from_pool(session: Session, *, actor: User, claim: Claim) -> None:
    """A checker takes an open, unassigned claim, where the newsroom allows it."""
    require(actor, Action.CLAIM_TAKE, claim)
    ensure_open_for_changes(claim.article)
    if claim.status != S.OPEN or claim.assignee_id is not None:
        raise InvalidTransition("Only an open claim that nobody has yet can be taken.")
    with transaction(session):
        _apply_assignment(session, actor, claim, next_status(claim, "assign"), actor, claim.due_date,
                          claim.priority, action="claim.taken")


def start_work(session: Session, *, actor: User, claim: Claim) -> None:
    require(actor, Action.CLAIM_WORK, claim)
    new_status = next_status(claim, "start")
    with transaction(session):
        before = _snapshot(claim)
        claim.status = new_status
        _audit_change(session, actor, "claim.started", claim, before)


def start_on_first_work(session: Session, actor: User, claim: Claim) -> None:
    """The assignee's first piece of work is the moment the work visibly starts (caller's transaction)."""
    if claim.status == S.ASSIGNED and claim.assignee_id == actor.id:
        before = _snapshot(claim)
        claim.status = next_status(claim, "start")
        _audit_change(session, actor, "claim.started", claim, before)


def _check_two_questions(claim: Claim, attribution_verdict: str | None) -> None:
    """An attributed claim answers "was it said?" and "is it accurate?", each with its evidence."""
    answered = {e.question for e in claim.current_evidence}
    if not claim.claimant:
        if not claim.current_evidence:
            raise ValidationFailed("Add at least one piece of evidence before proposing a verdict.")
        return
    if attribution_verdict not in {a.value for a in AttributionVerdict}:
        raise ValidationFailed(f"Say whether the claim was really made by {claim.claimant}.")
    missing = [label for question, label in ((Question.ATTRIBUTION, "whether it was said"),
                                             (Question.SUBSTANCE, "whether it is accurate"))
               if question not in answered]
    if missing:
        raise ValidationFailed("Add evidence for " + " and for ".join(missing) + " before proposing a verdict.")


def propose_verdict(session: Session, *, actor: User, claim: Claim, verdict: str, rationale: str,
                    attribution_verdict: str | None = None, expected_version: int | None = None) -> None:
    require(actor, Action.VERDICT_PROPOSE, claim)
    ensure_open_for_changes(claim.article)
    _check_version(claim, expected_version, {"verdict": verdict, "rationale": rationale,
                                             "attribution_verdict": attribution_verdict})
    if verdict not in current_app.config["FACTCHECK_VERDICT_SCALE"]:
        raise ValidationFailed("Choose a verdict from the scale.")
    if not rationale.strip():
        raise ValidationFailed("Explain the verdict in a rationale.")
    _check_two_questions(claim, attribution_verdict)
    new_status = next_status(claim, "propose")
    with transaction(session):
        before = _snapshot(claim)
        claim.status = new_status
        claim.attribution_verdict = attribution_verdict if claim.claimant else None
        claim.verdict = verdict
        claim.rationale = rationale.strip()
        claim.proposed_by_id = actor.id
        claim.proposed_at = utcnow()
        _audit_change(session, actor, "verdict.proposed", claim, before)


def accept_verdict(session: Session, *, actor: User, claim: Claim, expected_version: int | None = None) -> None:
    require(actor, Action.VERDICT_REVIEW, claim)
    ensure_open_for_changes(claim.article)
    _check_version(claim, expected_version, {"status": S.FINAL})
    new_status = next_status(claim, "accept_verdict")
    with transaction(session):
        before = _snapshot(claim)
        claim.status = new_status
        claim.reviewed_by_id = actor.id
        claim.finalized_at = utcnow()
        _audit_change(session, actor, "verdict.accepted", claim, before)
        if claim.proposed_by_id:
            notify(session, recipient=claim.proposed_by_id, kind="verdict_accepted", actor=actor, claim=claim,
                   message=f"{actor.display_name} accepted your verdict “{claim.verdict}” on claim {claim.id}.")
        refresh_status(session, claim.article, actor)


def return_verdict(session: Session, *, actor: User, claim: Claim, note: str,
                   expected_version: int | None = None) -> None:
    require(actor, Action.VERDICT_REVIEW, claim)
    ensure_open_for_changes(claim.article)
    if not note.strip():
        raise ValidationFailed("Say what the checker should look at again.")
    _check_version(claim, expected_version, {"status": S.IN_PROGRESS, "note": note})
    new_status = next_status(claim, "return_verdict")
    with transaction(session):
        before = _snapshot(claim)
        claim.status = new_status
        claim.reviewed_by_id = actor.id
        returned_note = Note(claim_id=claim.id, author_id=actor.id, body=note.strip())
        session.add(returned_note)
        _audit_change(session, actor, "verdict.returned", claim, before)
        session.flush()
        audit.record(session, actor=actor, action="note.added", object_type="note", object_id=returned_note.id,
                     article_id=claim.article_id, changes=audit.created({"claim_id": claim.id, "body": returned_note.body}))
        if claim.assignee_id:
            notify(session, recipient=claim.assignee_id, kind="verdict_returned", actor=actor, claim=claim,
                   message=f"{actor.display_name} returned your verdict on claim {claim.id}: {note.strip()[:200]}")


def resolve(session: Session, *, actor: User, claim: Claim, resolution: str, note: str = "") -> None:
    """Settle a final claim whose verdict would otherwise hold the article back."""
    require(actor, Action.CLAIM_RESOLVE, claim)
    ensure_open_for_changes(claim.article)
    if claim.status != S.FINAL:
        raise InvalidTransition("Only a claim with a final verdict can be resolved.")
    if claim.verdict not in current_app.config["FACTCHECK_VERDICTS_NEEDING_RESOLUTION"]:
        raise InvalidTransition(f"A “{claim.verdict}” verdict needs no resolution.")
    if resolution not in {r.value for r in Resolution}:
        raise ValidationFailed("Choose how the claim was resolved.")
    if resolution == Resolution.KEPT_WITH_ATTRIBUTION and not note.strip():
        raise ValidationFailed("Keeping a claim with attribution needs a note saying why.")
    with transaction(session):
        before = _snapshot(claim)
        claim.resolution = resolution
        claim.resolution_note = note.strip() or None
        _audit_change(session, actor, "claim.resolved", claim, before)
        refresh_status(session, claim.article, actor)
