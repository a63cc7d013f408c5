"""The permission table's answers kept per shape of viewer, for pages that ask them of many objects.

Of a user, the table (``permissions.PERMISSIONS``) reads whether they may act at all (signed in, active),
their roles and, in its conditions, how an object stands to them (its assignee or proposer compared with
their id). A question that describes the object relative to the viewer (assigned to *them*, proposed by
*them*: ``claims.ActionsByKind``'s kinds) therefore has the same answer for every viewer of the same shape
under the same settings. The claims list asked the same few kinds on every view, building a stand-in claim
and walking the steps for each (7 % of the page); the answers are now worked out once per process.

A condition of the table that reads more of the user than their id and roles must add it to
``viewer_shape`` (``tests/services/test_actions_by_kind.py`` asks every kind as two viewers of a shape).
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from factcheck.kept_by_identity import KeptByIdentity
from factcheck.models import Role, User
from factcheck.settings import Settings

Answers = TypeVar("Answers")
# A few roles' combinations times the settings an app runs with; cleared, never evicted one by one, in a
# test run that makes many settings.
_MAX_SHAPES = 256
# Kept per settings by identity (``kept_by_identity``): hashing the frozen settings on every page cost
# more than the answer.
_KEPT: KeptByIdentity[Any] = KeptByIdentity(at_most=_MAX_SHAPES)


def viewer_shape(user: User | None) -> frozenset[Role] | None:
    """What the table reads of a user besides their id: None for someone it refuses whatever the object
    (``permissions.refusal``'s "Please sign in."), else their roles."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.roles


def kept_answers(topic: Hashable, user: User | None, settings: Settings, make: Callable[[], Answers]) -> Answers:
    """The answers ``topic`` keeps for viewers of ``user``'s shape under ``settings`` (``make()`` the first
    time). Whoever fills them must key each answer by what it depends on besides the shape and settings."""
    answers: Answers = _KEPT.get(settings, (topic, viewer_shape(user)), make)
    return answers
