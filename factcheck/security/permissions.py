"""The one permission table (DESIGN §4). Services call ``require``; templates call ``can``.

A rule is either a set of roles, or a set of roles plus a condition on the object: a checker may
add evidence only to claims assigned to them; nobody reviews their own verdict.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from factcheck.errors import PermissionDenied
from factcheck.models import Article, Claim, Role, User
from factcheck.security.mentions import names
from factcheck.settings import Settings


class Action(StrEnum):
    READ = "read"
    ARTICLE_CREATE = "article.create"
    ARTICLE_REVISE = "article.revise"
    CLAIM_CREATE = "claim.create"
    CLAIM_TRIAGE = "claim.triage"  # accept or dismiss a suggestion
    CLAIM_ASSIGN = "claim.assign"
    CLAIM_WORK = "claim.work"  # start work, add and change evidence
    NOTE_ADD = "note.add"  # the conversation on a claim: every editor and fact-checker, not only its assignee
    CLAIM_TAKE = "claim.take"  # a checker takes an unassigned claim from the pool
    VERDICT_PROPOSE = "verdict.propose"
    VERDICT_REVIEW = "verdict.review"
    CLAIM_RESOLVE = "claim.resolve"
    ARTICLE_APPROVE = "article.approve"
    ARTICLE_PUBLISH = "article.publish"
    AUDIT_READ = "audit.read"  # the whole log, its filters
    AUDIT_EXPORT = "audit.export"
    AUDIT_VERIFY = "audit.verify"
    AUDIT_TIMELINE = "audit.timeline"  # one object's history (an editor: objects of articles they created)
    DASHBOARD_READ = "dashboard.read"
    USERS_MANAGE = "users.manage"
    JOB_READ = "job.read"  # a background job's progress and outcome: whoever started it, and managers


Condition = Callable[[User, Any, Settings], bool]
_DEFAULT_SETTINGS = Settings()


def _is_assignee(user: User, claim: Any, _settings: Settings) -> bool:
    return isinstance(claim, Claim) and claim.assignee_id == user.id


def _mentioned_on_claim(user: User, claim: Any, _settings: Settings) -> bool:
    """Someone named the user in the claim's conversation. Read from the notes when they are loaded
    (the claim page and the note service load them); a list of claims, which does not load
    conversations, offers a manager no note form, and the service decides when they write."""
    if not isinstance(claim, Claim) or "notes" not in claim.__dict__:
        return False
    return any(names(note.body, user) for note in claim.notes)


def _pool_is_open(_user: User, _claim: Any, settings: Settings) -> bool:
    return settings.checker_pool


def _not_own_proposal(user: User, claim: Any, _settings: Settings) -> bool:
    return isinstance(claim, Claim) and claim.proposed_by_id != user.id


def _in_article_they_created(user: User, obj: Any, _settings: Settings) -> bool:
    """The object is an article the user created, or belongs to one (a claim, its evidence or notes,
    a revision)."""
    for step in ("claim", "article"):
        if obj is not None and not isinstance(obj, Article) and hasattr(obj, step):
            obj = getattr(obj, step)
    return isinstance(obj, Article) and obj.created_by_id == user.id


def _started_job(user: User, job: Any, _settings: Settings) -> bool:
    return getattr(job, "created_by_id", None) == user.id


@dataclass(frozen=True)
class Grant:
    roles: frozenset[Role]
    condition: Condition | None = None
    refusal: str = "Your role does not allow this."


def _grant(*roles: Role, condition: Condition | None = None, refusal: str | None = None) -> Grant:
    return Grant(frozenset(roles), condition, refusal or "Your role does not allow this.")


EDITORS = (Role.EDITOR, Role.ADMIN)

# action -> grants; a user is allowed when any grant matches one of their roles and its condition.
PERMISSIONS: dict[Action, tuple[Grant, ...]] = {
    Action.READ: (_grant(Role.CHECKER, Role.EDITOR, Role.MANAGER, Role.ADMIN),),
    Action.ARTICLE_CREATE: (_grant(*EDITORS),),
    Action.ARTICLE_REVISE: (_grant(*EDITORS),),
    Action.CLAIM_CREATE: (_grant(*EDITORS),),
    Action.CLAIM_TRIAGE: (_grant(*EDITORS),),
    Action.CLAIM_ASSIGN: (_grant(*EDITORS),),
    Action.CLAIM_WORK: (
        _grant(*EDITORS),
        _grant(Role.CHECKER, condition=_is_assignee, refusal="This claim is not assigned to you."),
    ),
    # Managers read the conversation; one who is mentioned on a claim may answer there.
    Action.NOTE_ADD: (
        _grant(Role.CHECKER, *EDITORS),
        _grant(Role.MANAGER, condition=_mentioned_on_claim,
               refusal="Managers read the conversation; you can write here once someone mentions you on this claim."),
    ),
    Action.CLAIM_TAKE: (
        _grant(Role.CHECKER, condition=_pool_is_open, refusal="This newsroom does not let checkers take claims themselves."),
    ),
    Action.VERDICT_PROPOSE: (
        _grant(Role.CHECKER, condition=_is_assignee, refusal="Only the checker assigned to this claim can propose a verdict."),
    ),
    Action.VERDICT_REVIEW: (
        _grant(*EDITORS, condition=_not_own_proposal, refusal="You cannot review a verdict you proposed yourself."),
    ),
    Action.CLAIM_RESOLVE: (_grant(*EDITORS),),
    Action.ARTICLE_APPROVE: (_grant(*EDITORS),),
    Action.ARTICLE_PUBLISH: (_grant(*EDITORS),),
    Action.AUDIT_READ: (_grant(Role.MANAGER, Role.ADMIN),),
    Action.AUDIT_EXPORT: (_grant(Role.MANAGER, Role.ADMIN),),
    Action.AUDIT_VERIFY: (_grant(Role.MANAGER, Role.ADMIN),),
    Action.AUDIT_TIMELINE: (
        _grant(Role.MANAGER, Role.ADMIN),
        _grant(Role.EDITOR, condition=_in_article_they_created,
               refusal="You can read the history of the articles you brought in, not of this one."),
    ),
    Action.DASHBOARD_READ: (_grant(Role.MANAGER, Role.ADMIN),),
    Action.USERS_MANAGE: (_grant(Role.ADMIN),),
    Action.JOB_READ: (
        _grant(Role.MANAGER, Role.ADMIN),
        _grant(Role.CHECKER, Role.EDITOR, condition=_started_job, refusal="This job was started by someone else."),
    ),
}


def refusal(user: User | None, action: Action | str, obj: Any = None, *, settings: Settings | None = None) -> str | None:
    """None when allowed, else the message to show."""
    action = Action(action)
    settings = settings or _DEFAULT_SETTINGS
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return "Please sign in."
    message = "Your role does not allow this."
    for grant in PERMISSIONS[action]:
        if not grant.roles & user.roles:
            continue
        if grant.condition is None or grant.condition(user, obj, settings):
            return None
        message = grant.refusal
    return message


def can(user: User | None, action: Action | str, obj: Any = None, *, settings: Settings | None = None) -> bool:
    return refusal(user, action, obj, settings=settings) is None


def require(user: User | None, action: Action | str, obj: Any = None, *, settings: Settings | None = None) -> None:
    message = refusal(user, action, obj, settings=settings)
    if message is not None:
        raise PermissionDenied(message)
