"""Claims and their state machine (DESIGN §3). Views never change a claim's status themselves.

Every write goes through ``_step``: the step's guard (permission, article open, transition), the
optimistic-lock check, the new status, and the audit event with before and after values, in one
transaction.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.instrumentation import manager_of_class

from factcheck.errors import EditConflict, InvalidTransition, ValidationFailed
from factcheck.models import (
    Article,
    AttributionVerdict,
    Claim,
    Note,
    Priority,
    Question,
    Resolution,
    Revision,
    Role,
    User,
)
from factcheck.security.permission_shapes import kept_answers
from factcheck.security.permissions import Action, refusal
from factcheck.services import audit
from factcheck.services.anchoring import Anchor, anchor_at, find_quote, find_span
from factcheck.services.articles import refresh_status
from factcheck.services.context import Context
from factcheck.services.db import transaction
from factcheck.services.notifications import notify
from factcheck.services.workflow import (
    CLAIM_STEPS,
    LOCKED_ARTICLE_STATES,
    ClaimEvent,
    ClaimStep,
    ensure_open_for_changes,
    next_claim_status,
)
from factcheck.services.workflow import ClaimStatus as S
from factcheck.settings import Settings

TRACKED_FIELDS = (
    "status", "quote", "statement", "claimant", "via", "kind", "priority", "due_date", "assignee_id", "verdict",
    "attribution_verdict", "rationale", "dismiss_reason", "resolution", "resolution_note", "resolution_revision_id",
)


def snapshot(claim: Claim) -> dict[str, Any]:
    return {field: getattr(claim, field) for field in TRACKED_FIELDS}


def _conflict(claim: Claim, attempted: dict[str, Any]) -> EditConflict:
    return EditConflict(
        "Someone else changed this claim while you were working on it. Their version is shown below; "
        "your input has been kept so you can apply it again.",
        current=snapshot(claim), attempted=attempted, current_version=claim.version,
    )


def _check_version(claim: Claim, expected_version: int | None, attempted: dict[str, Any]) -> None:
    """Refuse a save based on an outdated copy, and say what the other person changed."""
    if expected_version is not None and expected_version != claim.version:
        raise _conflict(claim, attempted)


def permission_of(step: str) -> Action:
    """The permission a step needs at all (the views answer 403 without it, before reading the form)."""
    return CLAIM_STEPS[step].permission


def step_refusal(settings: Settings, user: User | None, claim: Claim, step: str) -> str | None:
    """Why ``user`` may not take ``step`` at all (the permission table), or None. A claim loaded for a
    write may lack its conversation, which decides one case (a manager may write a note once mentioned
    in it): it is read then, and only then."""
    refused = refusal(user, permission_of(step), claim, settings=settings)
    if refused is not None and "notes" not in claim.__dict__:
        claim.notes  # noqa: B018
        refused = refusal(user, permission_of(step), claim, settings=settings)
    return refused


def reads_article(step: str) -> bool:
    """Whether the step's guard reads the claim's article (to refuse a change once it is locked): a
    write loads it with the claim then, and not otherwise."""
    return CLAIM_STEPS[step].needs_open_article


@contextmanager
def recorded(ctx: Context, actor: User | None, claim: Claim, action: str, event: ClaimEvent | None = None,
             also: Callable[[Claim], dict[str, Any]] | None = None) -> Iterator[Claim]:
    """A change to a claim inside the caller's transaction: the status moves by ``event`` (if any), the
    block changes the rest, and the audit event records every tracked field (and ``also``'s) that moved."""
    before = snapshot(claim) | (also(claim) if also else {})
    if event is not None:
        claim.status = next_claim_status(claim, event)
    yield claim
    after = snapshot(claim) | (also(claim) if also else {})
    audit.record(ctx, actor=actor, action=action, object_type="claim", object_id=claim.id,
                 article_id=claim.article_id, changes=audit.diff(before, after))


def explain_refusal(claim: Claim, viewer: User | None, message: str) -> str:
    """A refusal in the words of what happened: a checker whose claim went to someone else is told who
    has it now, not that their role does not allow it."""
    if viewer is not None and viewer.has_role(Role.CHECKER) and claim.assignee_id not in (None, viewer.id) \
            and claim.assignee is not None:
        return (f"This claim is now assigned to {claim.assignee.choice_label}, not to you; "
                "what you typed was not saved and is shown below.")
    return message


def check_step(ctx: Context, actor: User | None, claim: Claim, step: str) -> None:
    """Refuse ``step`` on the claim with the reason, or return when it may be taken."""
    CLAIM_STEPS[step].check(ctx.settings, actor, claim)


@contextmanager
def _step(ctx: Context, actor: User, claim: Claim, step: str, *, action: str,
          validate: Callable[[], None] | None = None, expected_version: int | None = None,
          attempted: dict[str, Any] | None = None, refresh_article: bool = False,
          then: Callable[[], None] | None = None, event: ClaimEvent | None = None) -> Iterator[Claim]:
    """The one way a claim changes: guard, input checks, version check, the new status (if the step
    has a transition), the caller's changes, the audit event, then what follows from it (``then``,
    e.g. a note that records it), all committed together. ``event`` names another row of the
    transition table from the same states than the step's own (re-anchoring an assigned claim).

    Two people saving the same version at the same moment: the database lets one through and the
    other's UPDATE finds the version gone (StaleDataError); that one is told, like any conflict."""
    rule: ClaimStep = CLAIM_STEPS[step]
    rule.check(ctx.settings, actor, claim)
    if validate is not None:
        validate()
    _check_version(claim, expected_version, attempted or {})
    try:
        with transaction(ctx.session):
            with recorded(ctx, actor, claim, action, event or rule.event):
                yield claim
            if then is not None:
                then()
            if refresh_article:
                refresh_status(ctx, claim.article, actor)
    except StaleDataError:
        ctx.session.refresh(claim)
        raise _conflict(claim, attempted or {}) from None


# ---- what a person may do next (the presenter the templates ask) ------------------------------------

@dataclass(frozen=True)
class ClaimActions:
    """Which of the claim's steps the viewer may take now, from the same guards the services use."""

    accept: bool = False
    dismiss: bool = False
    assign: bool = False
    take: bool = False
    start: bool = False
    evidence: bool = False
    note: bool = False
    propose: bool = False
    review: bool = False
    resolve: bool = False
    reanchor: bool = False
    # What the page says about the claim's state.
    orphaned: bool = False
    final: bool = False
    awaiting_resolution: bool = False

    @property
    def any_triage(self) -> bool:
        return self.accept or self.dismiss


def allowed_actions(settings: Settings, user: User | None, claim: Claim) -> ClaimActions:
    def may(step: str) -> bool:
        return CLAIM_STEPS[step].allows(settings, user, claim)

    resolve = (may("resolve") and not claim.resolution) or may("resolve_orphan")
    return ClaimActions(
        accept=may("accept"), dismiss=may("dismiss"), assign=may("assign"), take=may("take"), start=may("start"),
        evidence=may("evidence"), note=may("note"), propose=may("propose"), review=may("accept_verdict"),
        resolve=resolve, reanchor=may("reanchor"), orphaned=claim.status == S.ORPHANED, final=claim.status == S.FINAL,
        awaiting_resolution=claim.status == S.FINAL and claim.verdict in settings.verdicts_needing_resolution
        and not claim.resolution,
    )


# The facts of a claim the guards read (``workflow.ClaimStep.allows``, the permission table's
# conditions, ``allowed_actions``): the kind of claim the answer depends on, seen by one viewer.
ClaimKind = tuple[str, bool, bool, bool, bool, bool, bool, bool]


class ActionsByKind:
    """``allowed_actions`` for the many claims one viewer sees on a page, asked once per kind of claim.

    What a viewer may do depends only on the claim's status, whether its article is signed off, whether
    it has an assignee and whether that is the viewer, whether the viewer proposed its verdict, whether
    that verdict needs a resolution, whether it was ever final and whether it has a resolution (and, for
    a manager, a mention in its conversation, which only a page that loads the notes can see: such a
    claim is asked on its own). A list of fifty claims holds a handful of kinds; asking all eleven steps
    of every row was a fifth of the claims list. ``tests/services/test_actions_by_kind.py`` holds the
    answers equal to ``allowed_actions`` for every combination."""

    def __init__(self, settings: Settings, viewer: User | None) -> None:
        self.settings = settings
        self.viewer = viewer
        self._viewer_id = viewer.id if viewer is not None else None
        self._needing_resolution = settings.verdicts_needing_resolution
        # A kind is the claim as it stands to the viewer, so its answers hold for every viewer of the same
        # roles (``permission_shapes``): kept between requests, not worked out again on every view.
        self._known: dict[ClaimKind, ClaimActions]
        self._steps: dict[tuple[str, ClaimKind], bool]
        self._known, self._steps = kept_answers(ActionsByKind, viewer, settings, lambda: ({}, {}))
        self._stand_ins: dict[ClaimKind, Claim] = {}

    def kind(self, row: Any) -> ClaimKind:
        """The kind of the claim ``row`` describes (its fields and ``article_status``), as it stands to the
        viewer. Read straight from the row: on every row of a list, a call with keywords cost as much as
        looking the answer up."""
        me, assignee_id = self._viewer_id, row.assignee_id
        return (row.status, row.article_status in LOCKED_ARTICLE_STATES, assignee_id is None,
                me is not None and assignee_id == me, me is not None and row.proposed_by_id == me,
                row.verdict in self._needing_resolution, row.finalized_at is None, bool(row.resolution))

    def _stand_in(self, key: ClaimKind, row: Any) -> Claim:
        claim = self._stand_ins.get(key)
        if claim is None:
            claim = self._stand_ins[key] = _stand_in(row)
        return claim

    def of_row(self, row: Any) -> ClaimActions:
        """For a row of columns (not an ORM claim) with the claim's fields and ``article_status``."""
        key = self.kind(row)
        actions = self._known.get(key)
        if actions is None:
            actions = self._known[key] = allowed_actions(self.settings, self.viewer, self._stand_in(key, row))
        return actions

    def of_claim(self, claim: Claim) -> ClaimActions:
        """For a claim loaded by the ORM with its article. One whose conversation is loaded is asked on its
        own: a mention in it may let a manager write."""
        if "notes" in claim.__dict__:
            return allowed_actions(self.settings, self.viewer, claim)
        return self.of_row(_ClaimFacts(claim))

    def may(self, step: str, row: Any) -> bool:
        """One step of ``of_row`` (a list that offers one action need not ask the other ten)."""
        key = self.kind(row)
        allowed = self._steps.get((step, key))
        if allowed is None:
            allowed = self._steps[step, key] = CLAIM_STEPS[step].allows(self.settings, self.viewer,
                                                                         self._stand_in(key, row))
        return allowed


def page_actions(settings: Settings, viewer: User | None, claim: Claim) -> ClaimActions:
    """``allowed_actions`` for the claim page: the answer kept for the claim's kind as it stands to viewers
    of this one's shape (``ActionsByKind``, as the lists ask it), not the eleven steps walked on every view
    (3-5 % of the page). A manager is asked in full: a mention in the conversation the page loaded may let
    them write, which the kind does not say."""
    if viewer is None or Role.MANAGER in viewer.roles:
        return allowed_actions(settings, viewer, claim)
    return ActionsByKind(settings, viewer).of_row(_ClaimFacts(claim))


class _ClaimFacts:
    """An ORM claim seen as a row of ``ActionsByKind`` (its fields and its article's status)."""

    __slots__ = ("article_status", "assignee_id", "finalized_at", "proposed_by_id", "resolution", "status", "verdict")

    def __init__(self, claim: Claim) -> None:
        self.status, self.article_status = claim.status, claim.article.status
        self.assignee_id, self.proposed_by_id = claim.assignee_id, claim.proposed_by_id
        self.verdict, self.finalized_at, self.resolution = claim.verdict, claim.finalized_at, claim.resolution


def _stand_in(row: Any) -> Claim:
    """A claim never added to the session with just the fields the guards read, so that a row of a list
    asks the same guards the services use. Its values go straight into the instance, as the ORM's own
    loading does: building it through the constructor, with its attribute events and backrefs, cost
    eight times as much. Its conversation counts as not loaded, as on any list."""
    claim: Claim = manager_of_class(Claim).new_instance()
    article: Article = manager_of_class(Article).new_instance()
    article.__dict__["status"] = row.article_status
    claim.__dict__.update(status=row.status, assignee_id=row.assignee_id, proposed_by_id=row.proposed_by_id,
                          verdict=row.verdict, finalized_at=row.finalized_at, resolution=row.resolution,
                          article=article)
    return claim


# ---- creating claims --------------------------------------------------------------------------------

def insert_claim(ctx: Context, actor: User | None, article: Article, anchor: Anchor, status: S,
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
    ctx.session.add(claim)
    ctx.session.flush()
    audit.record(
        ctx, actor=actor, action=action, object_type="claim", object_id=claim.id, article_id=article.id,
        changes=audit.created({"quote": claim.quote, "start": claim.start, "end": claim.end, "status": claim.status,
                               "statement": claim.statement, "claimant": claim.claimant, "via": claim.via,
                               "kind": claim.kind, "score": claim.score}),
    )
    return claim


def _on_current_revision(article: Article, anchor: Anchor, *statuses: S) -> Claim | None:
    return next((c for c in article.claims if (c.start, c.end) == (anchor.start, anchor.end)
                 and c.revision_id == article.current_revision_id and c.status in statuses), None)


def _new_claim(ctx: Context, actor: User | None, article: Article, anchor: Anchor, status: S,
               action: str, **fields: Any) -> Claim:
    ensure_open_for_changes(article)
    duplicate = _on_current_revision(article, anchor, *(s for s in S if s != S.DISMISSED))
    if duplicate is not None:
        raise ValidationFailed("This passage is already a claim of the article.", claim_id=duplicate.id)
    claim = insert_claim(ctx, actor, article, anchor, status, action, **fields)
    refresh_status(ctx, article, actor)
    return claim


def add_claim(ctx: Context, *, actor: User, article: Article, quote: str, start: int | None = None,
              end: int | None = None, statement: str = "", claimant: str | None = None,
              via: list[str] | None = None, kind: str = "statement") -> Claim:
    """An editor marks a passage as a claim; it is anchored to the current revision or refused."""
    ctx.require(actor, Action.CLAIM_CREATE, article)
    text = article.text
    anchor = find_span(text, start, end, quote) if start is not None and end is not None else find_quote(text, quote)
    if anchor is None:
        raise ValidationFailed("That passage was not found in the article text. Paste it exactly as it appears.")
    suggested = _on_current_revision(article, anchor, S.SUGGESTED)
    if suggested is not None:
        # Marking a passage factcheck already suggested is accepting that suggestion.
        accept_suggestion(ctx, actor=actor, claim=suggested, statement=statement or None,
                          claimant=claimant or None, via=via)
        return suggested
    with transaction(ctx.session):
        return _new_claim(ctx, actor, article, anchor, S.OPEN, "claim.created", statement=statement.strip(),
                          claimant=(claimant or "").strip() or None, via=via or [], kind=kind)


def suggest_claim(ctx: Context, *, article: Article, start: int, end: int, claimant: str | None,
                  via: list[str], kind: str, score: float) -> Claim:
    """Record one machine suggestion; nobody's permission is needed because nobody acted."""
    with transaction(ctx.session):
        return _new_claim(ctx, None, article, anchor_at(article.text, start, end), S.SUGGESTED,
                          "claim.suggested", claimant=claimant, via=via, kind=kind, score=score)


# ---- triage -----------------------------------------------------------------------------------------

def accept_suggestion(ctx: Context, *, actor: User, claim: Claim, statement: str | None = None,
                      claimant: str | None = None, via: list[str] | None = None,
                      expected_version: int | None = None) -> None:
    with _step(ctx, actor, claim, "accept", action="claim.accepted", expected_version=expected_version,
               attempted={"statement": statement, "claimant": claimant}, refresh_article=True):
        if statement is not None and statement.strip():
            claim.statement = statement.strip()
        if claimant is not None:
            claim.claimant = claimant.strip() or None
        if via is not None:
            claim.via = via


def _required(text: str | None, message: str) -> Callable[[], None]:
    def validate() -> None:
        if not (text or "").strip():
            raise ValidationFailed(message)
    return validate


def dismiss(ctx: Context, *, actor: User, claim: Claim, reason: str, expected_version: int | None = None) -> None:
    with _step(ctx, actor, claim, "dismiss", action="claim.dismissed",
               validate=_required(reason, "Say why the claim is dismissed."), expected_version=expected_version,
               attempted={"status": S.DISMISSED, "dismiss_reason": reason}, refresh_article=True):
        claim.dismiss_reason = reason.strip()


# ---- assignment -------------------------------------------------------------------------------------

def _check_assignee(assignee: User, priority: str) -> Callable[[], None]:
    def validate() -> None:
        if not assignee.has_role(Role.CHECKER) or not assignee.is_active:
            raise ValidationFailed(f"{assignee.display_name} is not an active fact-checker.")
        if priority not in {p.value for p in Priority}:
            raise ValidationFailed("Unknown priority.")
    return validate


def _mark_assigned(ctx: Context, claim: Claim) -> None:
    """The claim's first assignment, for the dashboard's turnaround; a reassignment keeps it."""
    if claim.first_assigned_at is None:
        claim.first_assigned_at = ctx.now()


def _apply_assignment(ctx: Context, claim: Claim, actor: User, assignee: User, due_date: date | None,
                      priority: str) -> None:
    claim.assignee_id = assignee.id
    claim.assigned_by_id = actor.id
    claim.due_date = due_date
    claim.priority = priority
    _mark_assigned(ctx, claim)


def _due_text(due_date: date | None) -> str:
    return f", due {due_date.isoformat()}" if due_date else ""


def assign(ctx: Context, *, actor: User, claim: Claim, assignee: User, due_date: date | None = None,
           priority: str = Priority.NORMAL, expected_version: int | None = None) -> None:
    with _step(ctx, actor, claim, "assign", action="claim.assigned", validate=_check_assignee(assignee, priority),
               expected_version=expected_version,
               attempted={"assignee_id": assignee.id, "due_date": due_date, "priority": priority}):
        _apply_assignment(ctx, claim, actor, assignee, due_date, priority)
        notify(ctx, recipient=assignee, kind="assignment", actor=actor, claim=claim,
               message=f"{actor.display_name} assigned you claim {claim.id} ({priority} priority"
                       f"{_due_text(due_date)}): “{claim.label}”")


def bulk_assign(ctx: Context, *, actor: User, claims: list[Claim], assignee: User, due_date: date | None = None,
                priority: str = Priority.NORMAL) -> None:
    """Assign several claims at once: all of them or, if any cannot be, none (the error names it)."""
    if not claims:
        raise ValidationFailed("Select at least one claim to assign.")
    validate = _check_assignee(assignee, priority)
    for claim in claims:
        try:
            check_step(ctx, actor, claim, "assign")
        except InvalidTransition as error:
            raise InvalidTransition(f"Claim {claim.id}: {error.message} Nothing was assigned.") from None
    validate()
    with transaction(ctx.session):
        for claim in claims:
            with recorded(ctx, actor, claim, "claim.assigned", ClaimEvent.ASSIGN):
                _apply_assignment(ctx, claim, actor, assignee, due_date, priority)
        notify(ctx, recipient=assignee, kind="assignment", actor=actor, claim=claims[0],
               message=f"{actor.display_name} assigned you {len(claims)} claim(s) ({priority} priority"
                       f"{_due_text(due_date)}), starting with claim {claims[0].id}: “{claims[0].label}”")


def take_from_pool(ctx: Context, *, actor: User, claim: Claim) -> None:
    """A checker takes an open, unassigned claim, where the newsroom allows it."""
    with _step(ctx, actor, claim, "take", action="claim.taken"):
        claim.assignee_id = actor.id
        claim.assigned_by_id = None  # nobody gave it: no assigning editor to tell
        _mark_assigned(ctx, claim)


# ---- the check --------------------------------------------------------------------------------------

def start_work(ctx: Context, *, actor: User, claim: Claim) -> None:
    with _step(ctx, actor, claim, "start", action="claim.started"):
        pass


def start_on_first_work(ctx: Context, actor: User, claim: Claim) -> None:
    """The assignee's first piece of work is the moment the work visibly starts (caller's transaction)."""
    if claim.status == S.ASSIGNED and claim.assignee_id == actor.id:
        with recorded(ctx, actor, claim, "claim.started", ClaimEvent.START):
            pass


def evidence_still_missing(claim: Claim) -> list[str]:
    """What a proposal still lacks in evidence, in the words the propose form shows before anyone
    submits it: an attributed claim answers "was it said?" and "is it accurate?", each with its own."""
    # From the claim's evidence, which its page has loaded, rather than a second load of the current.
    current = [e for e in claim.evidence if e.removed_at is None]
    answered = {e.question for e in current}
    if not claim.claimant:
        return [] if current else ["at least one piece of evidence"]
    return [f"evidence for {label}" for question, label in (
        (Question.ATTRIBUTION, f"whether {claim.claimant} really said it"),
        (Question.SUBSTANCE, "whether what was said is accurate")) if question not in answered]


def _check_two_questions(claim: Claim, attribution_verdict: str | None) -> None:
    missing = evidence_still_missing(claim)
    if not claim.claimant and missing:
        raise ValidationFailed("Add at least one piece of evidence before proposing a verdict.")
    if claim.claimant and attribution_verdict not in {a.value for a in AttributionVerdict}:
        raise ValidationFailed(f"Say whether the claim was really made by {claim.claimant}.")
    if missing:
        raise ValidationFailed("Add " + " and ".join(missing) + " before proposing a verdict.")


def propose_verdict(ctx: Context, *, actor: User, claim: Claim, verdict: str, rationale: str,
                    attribution_verdict: str | None = None, expected_version: int | None = None) -> None:
    def validate() -> None:
        if verdict not in ctx.settings.verdict_scale:
            raise ValidationFailed("Choose a verdict from the scale.")
        if not rationale.strip():
            raise ValidationFailed("Explain the verdict in a rationale.")
        _check_two_questions(claim, attribution_verdict)

    with _step(ctx, actor, claim, "propose", action="verdict.proposed", validate=validate,
               expected_version=expected_version,
               attempted={"verdict": verdict, "rationale": rationale, "attribution_verdict": attribution_verdict}):
        claim.attribution_verdict = attribution_verdict if claim.claimant else None
        claim.verdict = verdict
        claim.rationale = rationale.strip()
        claim.proposed_by_id = actor.id
        claim.proposed_at = ctx.now()
        # The editor who brought the article in and the one who assigned the claim review it (or
        # another editor): both hear about it, once each.
        for editor_id in dict.fromkeys(i for i in (claim.article.created_by_id, claim.assigned_by_id) if i):
            notify(ctx, recipient=editor_id, kind="review_waiting", actor=actor, claim=claim,
                   message=f"{actor.display_name} proposed “{verdict}” on claim {claim.id}: it waits for review.")


# ---- review -----------------------------------------------------------------------------------------

def accept_verdict(ctx: Context, *, actor: User, claim: Claim, expected_version: int | None = None) -> None:
    # The verdict must still rest on its evidence when it is accepted, not only when it was proposed.
    with _step(ctx, actor, claim, "accept_verdict", action="verdict.accepted", expected_version=expected_version,
               validate=lambda: _check_two_questions(claim, claim.attribution_verdict),
               attempted={"status": S.FINAL}, refresh_article=True):
        claim.reviewed_by_id = actor.id
        claim.finalized_at = ctx.now()
        # The accepted verdict is about the words as they stand now.
        claim.text_changed = False
        claim.changed_from = None
        if claim.proposed_by_id:
            notify(ctx, recipient=claim.proposed_by_id, kind="verdict_accepted", actor=actor, claim=claim,
                   message=f"{actor.display_name} accepted your verdict “{claim.verdict}” on claim {claim.id}.")


def return_verdict(ctx: Context, *, actor: User, claim: Claim, note: str,
                   expected_version: int | None = None) -> None:
    def add_the_note() -> None:
        returned_note = Note(claim_id=claim.id, author_id=actor.id, body=note.strip())
        ctx.session.add(returned_note)
        ctx.session.flush()
        audit.record(ctx, actor=actor, action="note.added", object_type="note", object_id=returned_note.id,
                     article_id=claim.article_id,
                     changes=audit.created({"claim_id": claim.id, "body": returned_note.body}))
        if claim.assignee_id:
            notify(ctx, recipient=claim.assignee_id, kind="verdict_returned", actor=actor, claim=claim,
                   message=f"{actor.display_name} returned your verdict on claim {claim.id}: {note.strip()[:200]}")

    with _step(ctx, actor, claim, "return_verdict", action="verdict.returned",
               validate=_required(note, "Say what the checker should look at again."),
               expected_version=expected_version, attempted={"status": S.IN_PROGRESS, "note": note},
               then=add_the_note):
        claim.reviewed_by_id = actor.id


def _correcting_revision(ctx: Context, claim: Claim, number: int | None) -> Revision:
    """The later revision (``number``, or the current one) whose text no longer holds the rated passage."""
    rated = claim.revision.number
    revision = ctx.session.scalar(
        select(Revision).where(Revision.article_id == claim.article_id, Revision.number == number)
    ) if number is not None else claim.article.current_revision
    if revision is None or revision.number <= rated:
        raise ValidationFailed(
            f"The rated passage is in the article's current text (revision {rated}). Correct or remove it in a "
            "new revision first, then record the resolution naming that revision.")
    if find_quote(revision.text, claim.quote) is not None:
        raise ValidationFailed(f"Revision {revision.number} still holds the rated passage “{claim.quote}”.")
    return revision


def resolve(ctx: Context, *, actor: User, claim: Claim, resolution: str, note: str = "",
            revision_number: int | None = None, expected_version: int | None = None) -> None:
    """Settle a claim whose verdict would otherwise hold the article back. "Corrected" and "removed"
    are checked against the text: a later revision must no longer hold the rated passage (when a
    revision takes it out, the claim is orphaned and is resolved from there); "kept with attribution"
    needs a note saying why."""
    step = "resolve_orphan" if claim.status == S.ORPHANED else "resolve"
    correcting: list[Revision] = []

    def validate() -> None:
        if resolution not in {r.value for r in Resolution}:
            raise ValidationFailed("Choose how the claim was resolved.")
        if resolution == Resolution.KEPT_WITH_ATTRIBUTION:
            if step == "resolve_orphan":
                raise ValidationFailed("The passage is gone from the article, so it cannot be kept; record it as "
                                       "corrected or removed.")
            if not note.strip():
                raise ValidationFailed("Keeping a claim with attribution needs a note saying why.")
        else:
            correcting.append(_correcting_revision(ctx, claim, revision_number))

    with _step(ctx, actor, claim, step, action="claim.resolved", validate=validate, refresh_article=True,
               expected_version=expected_version, attempted={"resolution": resolution, "resolution_note": note}):
        claim.resolution = resolution
        claim.resolution_note = note.strip() or None
        claim.resolution_revision_id = correcting[0].id if correcting else None


def reanchor(ctx: Context, *, actor: User, claim: Claim, quote: str, start: int | None = None,
             end: int | None = None, expected_version: int | None = None) -> None:
    """Anchor an orphaned claim to the passage that replaced its words in the current text. It goes
    back to checking (to its checker, when it has one), flagged as changed."""
    article = claim.article
    anchors: list[Anchor] = []
    replaced: list[Claim] = []

    def validate() -> None:
        text = article.text
        anchor = find_span(text, start, end, quote) if start is not None and end is not None else find_quote(text, quote)
        if anchor is None:
            raise ValidationFailed("That passage was not found in the article text. Select it or paste it exactly.")
        taken = _on_current_revision(article, anchor, *(s for s in S if s not in (S.DISMISSED, S.SUGGESTED)))
        if taken is not None:
            raise ValidationFailed(f"This passage is already claim {taken.id}.", claim_id=taken.id)
        anchors.append(anchor)
        # A machine suggestion on the same words gives way to the claim that was checked there before.
        replaced.extend(c for c in [_on_current_revision(article, anchor, S.SUGGESTED)] if c is not None)

    def dismiss_the_suggestion() -> None:
        for suggestion in replaced:
            with recorded(ctx, actor, suggestion, "claim.dismissed", ClaimEvent.DISMISS):
                suggestion.dismiss_reason = f"Replaced by claim {claim.id}, anchored to the same passage."

    event = ClaimEvent.REANCHOR_ASSIGNED if claim.assignee_id else ClaimEvent.REANCHOR
    with _step(ctx, actor, claim, "reanchor", action="claim.reanchored", validate=validate, event=event,
               expected_version=expected_version, attempted={"quote": quote}, refresh_article=True,
               then=dismiss_the_suggestion):
        anchor = anchors[0]
        revision = article.current_revision
        assert revision is not None  # the anchor was found in its text
        claim.changed_from = claim.changed_from or claim.quote
        claim.revision_id, claim.start, claim.end = revision.id, anchor.start, anchor.end
        claim.quote, claim.prefix, claim.suffix = anchor.exact, anchor.prefix, anchor.suffix
        claim.text_changed = True
        claim.resolution = None
