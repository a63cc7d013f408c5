"""The state machines (DESIGN §3): one transition table each for claims and articles, the named
groups of states every other module uses, and the guards that say whether a step may be taken.

The services take steps through these guards; the presenters (``claims.allowed_actions``,
``articles.allowed_actions``) ask the same guards what a person may do next, so a page never
offers a step the service would refuse, and no template holds a list of states.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from factcheck.errors import DomainError, InvalidTransition
from factcheck.models import Article, ArticleStatus, Claim, ClaimStatus, User
from factcheck.security.permissions import Action, refusal, require
from factcheck.settings import Settings

S = ClaimStatus
A = ArticleStatus


class ClaimEvent(StrEnum):
    ACCEPT = "accept"
    DISMISS = "dismiss"
    ASSIGN = "assign"
    TAKE = "take"
    START = "start"
    PROPOSE = "propose"
    ACCEPT_VERDICT = "accept_verdict"
    RETURN_VERDICT = "return_verdict"
    # A new revision changed the claim's words: its verdict was about other words.
    TEXT_CHANGED = "text_changed"
    # A new revision removed the claim's words; an editor dismisses it, re-anchors it to the passage
    # that replaced them, or (a final verdict that needed one) records it as corrected or removed.
    ORPHAN = "orphan"
    REANCHOR = "reanchor"
    REANCHOR_ASSIGNED = "reanchor_assigned"
    RESOLVE_GONE = "resolve_gone"
    # Evidence under a proposed verdict was changed or removed: the verdict no longer rests on it.
    EVIDENCE_CHANGED = "evidence_changed"


# event -> {from status: to status}. The only place claim statuses change.
CLAIM_TRANSITIONS: dict[ClaimEvent, dict[ClaimStatus, ClaimStatus]] = {
    ClaimEvent.ACCEPT: {S.SUGGESTED: S.OPEN},
    ClaimEvent.DISMISS: {S.SUGGESTED: S.DISMISSED, S.OPEN: S.DISMISSED, S.ORPHANED: S.DISMISSED},
    ClaimEvent.ASSIGN: {S.OPEN: S.ASSIGNED, S.ASSIGNED: S.ASSIGNED, S.IN_PROGRESS: S.ASSIGNED},
    ClaimEvent.TAKE: {S.OPEN: S.ASSIGNED},
    ClaimEvent.START: {S.ASSIGNED: S.IN_PROGRESS},
    ClaimEvent.PROPOSE: {S.ASSIGNED: S.PROPOSED, S.IN_PROGRESS: S.PROPOSED},
    ClaimEvent.ACCEPT_VERDICT: {S.PROPOSED: S.FINAL},
    ClaimEvent.RETURN_VERDICT: {S.PROPOSED: S.IN_PROGRESS},
    ClaimEvent.TEXT_CHANGED: {S.PROPOSED: S.IN_PROGRESS, S.FINAL: S.IN_PROGRESS},
    ClaimEvent.ORPHAN: {s: S.ORPHANED for s in (S.SUGGESTED, S.OPEN, S.ASSIGNED, S.IN_PROGRESS, S.PROPOSED, S.FINAL)},
    ClaimEvent.REANCHOR: {S.ORPHANED: S.OPEN},
    ClaimEvent.REANCHOR_ASSIGNED: {S.ORPHANED: S.IN_PROGRESS},
    ClaimEvent.RESOLVE_GONE: {S.ORPHANED: S.FINAL},
    ClaimEvent.EVIDENCE_CHANGED: {S.PROPOSED: S.IN_PROGRESS},
}

# ---- the groups of claim states -------------------------------------------------------------------
# Nothing more to check: the gate lets these through (a final one may still need a resolution).
SETTLED = frozenset({S.FINAL, S.DISMISSED})
# Still to be settled: blocks approval and, past its due date, counts as overdue everywhere.
UNSETTLED = frozenset(ClaimStatus) - SETTLED
# In a fact-checker's hands: their workload (a proposed claim still counts until it is reviewed).
WITH_CHECKER = frozenset({S.ASSIGNED, S.IN_PROGRESS, S.PROPOSED})
# What a fact-checker still has to do: their queue.
CHECKER_TO_DO = frozenset({S.ASSIGNED, S.IN_PROGRESS})
# Sources can be added, edited and removed while the claim is being checked or reviewed.
OPEN_FOR_EVIDENCE = WITH_CHECKER
# A verdict was proposed or accepted for these words; changed words send it back.
HAS_VERDICT = frozenset({S.PROPOSED, S.FINAL})
# The conversation stays open except on a dismissed claim.
OPEN_FOR_NOTES = frozenset(ClaimStatus) - {S.DISMISSED}


class ArticleEvent(StrEnum):
    APPROVE = "approve"
    PUBLISH = "publish"
    # A new revision of an approved or published article sends it back to checking.
    REOPEN = "reopen"


ARTICLE_TRANSITIONS: dict[ArticleEvent, dict[ArticleStatus, ArticleStatus]] = {
    # Only the gate (every claim settled and resolved) decides whether approval goes through.
    ArticleEvent.APPROVE: {A.DRAFT: A.APPROVED, A.IN_CHECK: A.APPROVED, A.READY: A.APPROVED},
    ArticleEvent.PUBLISH: {A.APPROVED: A.PUBLISHED},
    ArticleEvent.REOPEN: {A.APPROVED: A.IN_CHECK, A.PUBLISHED: A.IN_CHECK},
}
# Signed off: claims change only through a new revision.
LOCKED_ARTICLE_STATES = frozenset({A.APPROVED, A.PUBLISHED})
# Moved among themselves by the claims' states (``articles.refresh_status``).
DERIVED_ARTICLE_STATES = frozenset({A.DRAFT, A.IN_CHECK, A.READY})


def _label(status: str) -> str:
    return status.replace("_", " ")


def next_status(table: Mapping[Any, Any], current: str, noun: str) -> Any:
    try:
        return table[current]
    except KeyError:
        allowed = ", ".join(sorted(_label(s.value) for s in table))
        raise InvalidTransition(f"This {noun} is {_label(current)}; that action needs it to be {allowed}.") from None


def next_claim_status(claim: Claim, event: ClaimEvent) -> ClaimStatus:
    return next_status(CLAIM_TRANSITIONS[event], claim.status, "claim")


def next_article_status(article: Article, event: ArticleEvent) -> ArticleStatus:
    return next_status(ARTICLE_TRANSITIONS[event], article.status, "article")


def ensure_open_for_changes(article: Article) -> None:
    if article.status in LOCKED_ARTICLE_STATES:
        raise InvalidTransition(f"The article is {article.status}; its claims can only change with a new revision.")


# ---- steps on a claim -------------------------------------------------------------------------------

Extra = Callable[[User, Claim, Settings], None]


@dataclass(frozen=True)
class ClaimStep:
    """One thing a person can do to a claim: who may (the permission table), from which states (the
    transition table, or ``allowed_in`` for steps that keep the status), and any further condition.
    A condition that reads a field of the claim not yet among ``claims.ActionsByKind.kind``'s must be
    added there (and to tests/services/test_actions_by_kind.py): lists answer once per kind."""

    permission: Action
    event: ClaimEvent | None = None
    allowed_in: frozenset[ClaimStatus] | None = None
    needs_open_article: bool = True
    extra: Extra | None = None

    def check(self, settings: Settings, actor: User | None, claim: Claim) -> None:
        """Raise the domain error that refuses this step, or return when it may be taken."""
        require(actor, self.permission, claim, settings=settings)
        assert actor is not None  # require refused anyone signed out
        if self.needs_open_article:
            ensure_open_for_changes(claim.article)
        if self.event is not None:
            next_claim_status(claim, self.event)
        elif self.allowed_in is not None and claim.status not in self.allowed_in:
            raise InvalidTransition(f"That cannot be done on a {_label(claim.status)} claim.")
        if self.extra is not None:
            self.extra(actor, claim, settings)

    def allows(self, settings: Settings, actor: User | None, claim: Claim) -> bool:
        """``check`` without its messages: a page asks this of every step for every claim it shows
        (240 times on an article page), and building the refusals it then drops cost a fifth of the
        page. ``tests/services/test_step_allows.py`` holds it equal to ``check``."""
        if refusal(actor, self.permission, claim, settings=settings) is not None:
            return False
        if self.needs_open_article and claim.article.status in LOCKED_ARTICLE_STATES:
            return False
        if self.event is not None:
            if claim.status not in CLAIM_TRANSITIONS[self.event]:
                return False
        elif self.allowed_in is not None and claim.status not in self.allowed_in:
            return False
        if self.extra is not None:
            try:
                self.extra(actor, claim, settings)  # type: ignore[arg-type]  # refusal() refused None
            except DomainError:
                return False
        return True


def _nobody_has_it(_actor: User, claim: Claim, _settings: Settings) -> None:
    if claim.assignee_id is not None:
        raise InvalidTransition("Only an open claim that nobody has yet can be taken.")


def _actor_is_assignee(actor: User, claim: Claim, _settings: Settings) -> None:
    if claim.assignee_id != actor.id:
        raise InvalidTransition("Only the checker the claim is assigned to starts work on it.")


def _verdict_needs_resolution(_actor: User, claim: Claim, settings: Settings) -> None:
    if claim.verdict not in settings.verdicts_needing_resolution:
        raise InvalidTransition(f"A “{claim.verdict}” verdict needs no resolution.")


def _had_a_final_verdict(actor: User, claim: Claim, settings: Settings) -> None:
    if claim.finalized_at is None:
        raise InvalidTransition("Only a claim whose verdict was accepted can be resolved.")
    _verdict_needs_resolution(actor, claim, settings)


CLAIM_STEPS: dict[str, ClaimStep] = {
    "accept": ClaimStep(Action.CLAIM_TRIAGE, ClaimEvent.ACCEPT),
    "dismiss": ClaimStep(Action.CLAIM_TRIAGE, ClaimEvent.DISMISS),
    "assign": ClaimStep(Action.CLAIM_ASSIGN, ClaimEvent.ASSIGN),
    "take": ClaimStep(Action.CLAIM_TAKE, ClaimEvent.TAKE, extra=_nobody_has_it),
    "start": ClaimStep(Action.CLAIM_WORK, ClaimEvent.START, extra=_actor_is_assignee),
    "evidence": ClaimStep(Action.CLAIM_WORK, allowed_in=OPEN_FOR_EVIDENCE),
    "note": ClaimStep(Action.NOTE_ADD, allowed_in=OPEN_FOR_NOTES, needs_open_article=False),
    "propose": ClaimStep(Action.VERDICT_PROPOSE, ClaimEvent.PROPOSE),
    "accept_verdict": ClaimStep(Action.VERDICT_REVIEW, ClaimEvent.ACCEPT_VERDICT),
    "return_verdict": ClaimStep(Action.VERDICT_REVIEW, ClaimEvent.RETURN_VERDICT),
    "resolve": ClaimStep(Action.CLAIM_RESOLVE, allowed_in=frozenset({S.FINAL}), extra=_verdict_needs_resolution),
    # A final verdict whose passage a revision removed: corrected or removed, naming the revision.
    "resolve_orphan": ClaimStep(Action.CLAIM_RESOLVE, ClaimEvent.RESOLVE_GONE, extra=_had_a_final_verdict),
    "reanchor": ClaimStep(Action.CLAIM_TRIAGE, ClaimEvent.REANCHOR),
}
