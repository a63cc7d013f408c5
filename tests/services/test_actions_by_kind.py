"""``claims.ActionsByKind`` answers once per kind of claim what ``allowed_actions`` answers for each
claim (issue 15: the claims list asked every step of every row). Every combination of what the
guards read, asked of one memo in a shuffled order, must get the answer of the claim itself."""
from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from factcheck.models import Article, ArticleStatus, Claim, ClaimStatus, User, UserRole
from factcheck.services.claims import ActionsByKind, allowed_actions
from factcheck.services.workflow import CLAIM_STEPS
from factcheck.settings import Settings

ME, SOMEONE_ELSE, A_THIRD = 7, 8, 9
VIEWERS = {
    "signed out": None,
    "checker": ["checker"], "editor": ["editor"], "manager": ["manager"], "admin": ["admin"],
    "checker and editor": ["checker", "editor"],
}


def _viewer(roles: list[str] | None) -> User | None:
    if roles is None:
        return None
    return User(id=ME, email="me@example.org", display_name="Me", password_hash="x", is_active_account=True,
                role_rows=[UserRole(role=role) for role in roles])


def _cases() -> list[SimpleNamespace]:
    finalized_at = datetime(2024, 3, 1, tzinfo=UTC)
    return [SimpleNamespace(status=status.value, article_status=article_status.value, assignee_id=assignee,
                            proposed_by_id=proposer, verdict=verdict, finalized_at=finalized, resolution=resolution)
            for status, article_status, assignee, proposer, verdict, finalized, resolution in itertools.product(
                ClaimStatus, ArticleStatus, (None, ME, SOMEONE_ELSE, A_THIRD), (None, ME, SOMEONE_ELSE),
                (None, "false", "verified"), (None, finalized_at), (None, "corrected"))]


def _claim(row: SimpleNamespace) -> Claim:
    claim = Claim(status=row.status, assignee_id=row.assignee_id, proposed_by_id=row.proposed_by_id,
                  verdict=row.verdict, finalized_at=row.finalized_at, resolution=row.resolution)
    claim.article = Article(status=row.article_status, created_by_id=SOMEONE_ELSE)
    return claim


@pytest.mark.parametrize("pool", [False, True])
@pytest.mark.parametrize("who", sorted(VIEWERS))
def test_one_answer_per_kind_is_each_claims_answer(who, pool):
    settings = replace(Settings(), checker_pool=pool)
    viewer = _viewer(VIEWERS[who])
    rows = _cases()
    random.Random(15).shuffle(rows)
    memo = ActionsByKind(settings, viewer)
    for row in rows:
        claim = _claim(row)
        assert memo.of_row(row) == allowed_actions(settings, viewer, claim), (who, pool, vars(row))
        assert memo.of_claim(claim) == allowed_actions(settings, viewer, claim), (who, pool, vars(row))
        for step in ("assign", "take", "start", "resolve_orphan"):
            assert memo.may(step, row) == CLAIM_STEPS[step].allows(settings, viewer, claim), (step, vars(row))
    assert len(memo._known) < len(rows) / 4  # claims of a kind share one answer


def test_the_cases_reach_past_the_refusals():
    """Each of the answers above is given as allowed to somebody somewhere."""
    settings = replace(Settings(), checker_pool=True)
    given = set()
    for memo in [ActionsByKind(settings, _viewer(roles)) for roles in VIEWERS.values()]:
        for row in _cases():
            given |= {name for name, value in vars(memo.of_row(row)).items() if value}
    assert given == set(vars(ActionsByKind(settings, None).of_row(_cases()[0])))


def test_a_claim_whose_conversation_is_loaded_is_asked_on_its_own():
    """A manager named in a claim's notes may answer there: the claim itself says so, its kind cannot."""
    from factcheck.models import Note

    manager = User(id=ME, email="me@example.org", display_name="Me", password_hash="x", is_active_account=True,
                   role_rows=[UserRole(role="manager")])
    row = SimpleNamespace(status="in_progress", article_status="in_check", assignee_id=SOMEONE_ELSE,
                          proposed_by_id=None, verdict=None, finalized_at=None, resolution=None)
    plain, talked_about = _claim(row), _claim(row)
    talked_about.notes = [Note(body="@Me could you look at this?", author_id=SOMEONE_ELSE)]
    memo = ActionsByKind(Settings(), manager)
    assert memo.of_claim(plain).note is False
    assert memo.of_claim(talked_about).note is True
    assert memo.of_claim(talked_about) == allowed_actions(Settings(), manager, talked_about)


@pytest.mark.parametrize("who", ["checker", "editor", "manager", "checker and editor"])
def test_the_answers_kept_for_one_viewer_hold_for_another_of_the_same_roles(who):
    """The answers are kept between requests per roles and settings (``permission_shapes``): asked first
    as one person, then by another of the same roles for whom every claim stands otherwise (assigned to
    them, proposed by them), each is still that claim's own answer."""
    settings = replace(Settings(), checker_pool=True, verdicts_needing_resolution=("false", "misleading"))
    first = _viewer(VIEWERS[who])
    other = User(id=A_THIRD, email="other@example.org", display_name="Other", password_hash="x",
                 is_active_account=True, role_rows=[UserRole(role=role) for role in VIEWERS[who]])
    rows = _cases()
    for row in rows:
        ActionsByKind(settings, first).of_row(row)
        ActionsByKind(settings, first).may("take", row)
    memo = ActionsByKind(settings, other)
    assert memo._known is ActionsByKind(settings, first)._known
    for row in rows:
        claim = _claim(row)
        assert memo.of_row(row) == allowed_actions(settings, other, claim), (who, vars(row))
        assert memo.may("take", row) == CLAIM_STEPS["take"].allows(settings, other, claim), (who, vars(row))


def test_kept_answers_are_not_shared_across_roles_settings_or_a_deactivated_account():
    settings = Settings()
    editor, checker = _viewer(["editor"]), _viewer(["checker"])
    gone = User(id=ME, email="me@example.org", display_name="Me", password_hash="x", is_active_account=False,
                role_rows=[UserRole(role="editor")])
    row = SimpleNamespace(status="suggested", article_status="in_check", assignee_id=None, proposed_by_id=None,
                          verdict=None, finalized_at=None, resolution=None)
    assert ActionsByKind(settings, editor).of_row(row).accept is True
    assert ActionsByKind(settings, gone).of_row(row).accept is False
    assert ActionsByKind(settings, checker).of_row(row).accept is False
    assert ActionsByKind(settings, None).of_row(row).accept is False
    pool = replace(settings, checker_pool=True)
    assert ActionsByKind(settings, checker)._known is not ActionsByKind(pool, checker)._known
    assert ActionsByKind(pool, checker).may("take", row) is False  # suggested: not in the pool yet
    open_row = SimpleNamespace(**{**vars(row), "status": "open"})
    assert ActionsByKind(pool, checker).may("take", open_row) is True
    assert ActionsByKind(settings, checker).may("take", open_row) is False
