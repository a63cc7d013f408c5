"""``ClaimStep.allows`` answers without building the refusals ``check`` raises (issue 15: the article
page asks it 240 times); it must give the same answer as ``check`` in every case."""
from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from factcheck.errors import DomainError
from factcheck.models import Article, ArticleStatus, Claim, ClaimStatus, User, UserRole
from factcheck.services.workflow import CLAIM_STEPS
from factcheck.settings import Settings

ME, SOMEONE_ELSE = 7, 8


def _user(*roles: str, active: bool = True) -> User:
    return User(id=ME, email="me@example.org", display_name="Me", password_hash="x", is_active_account=active,
                role_rows=[UserRole(role=role) for role in roles])


def _claim(status: ClaimStatus, article_status: ArticleStatus, assignee: int | None, proposer: int | None,
           verdict: str | None, finalized: bool) -> Claim:
    claim = Claim(status=status.value, assignee_id=assignee, proposed_by_id=proposer, verdict=verdict)
    claim.finalized_at = datetime(2024, 3, 1, tzinfo=UTC) if finalized else None
    claim.article = Article(status=article_status.value, created_by_id=SOMEONE_ELSE)
    return claim


def _checked(step, settings, actor, claim) -> bool:
    try:
        step.check(settings, actor, claim)
    except DomainError:
        return False
    return True


PEOPLE = [None, _user("checker"), _user("editor"), _user("manager"), _user("admin"), _user("checker", "editor"),
          _user("editor", active=False)]


@pytest.mark.parametrize("step_name", sorted(CLAIM_STEPS))
def test_allows_answers_as_check_does(step_name):
    step = CLAIM_STEPS[step_name]
    agreed = 0
    for pool, status, article_status, assignee, proposer, verdict, finalized in itertools.product(
            (False, True), ClaimStatus, ArticleStatus, (None, ME, SOMEONE_ELSE), (None, ME, SOMEONE_ELSE),
            (None, "false", "verified"), (False, True)):
        settings = replace(Settings(), checker_pool=pool)
        claim = _claim(status, article_status, assignee, proposer, verdict, finalized)
        for actor in PEOPLE:
            expected = _checked(step, settings, actor, claim)
            assert step.allows(settings, actor, claim) == expected, (step_name, pool, status, article_status,
                                                                    assignee, proposer, verdict, finalized, actor
                                                                    and sorted(actor.roles))
            agreed += expected
    assert agreed > 0  # the step is allowed somewhere: the cases reach past the refusals
