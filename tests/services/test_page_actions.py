"""``claims.page_actions``: the claim page's answer kept per kind of claim (``ActionsByKind``) is the
claim's own ``allowed_actions`` for every combination of what the guards read and every kind of viewer,
a manager named in the loaded conversation included (asked in full)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from factcheck.models import Note, User, UserRole
from factcheck.services.claims import allowed_actions, page_actions
from factcheck.settings import Settings
from tests.services.test_actions_by_kind import ME, SOMEONE_ELSE, VIEWERS, _cases, _claim, _viewer


@pytest.mark.parametrize("pool", [False, True])
@pytest.mark.parametrize("who", sorted(VIEWERS))
def test_the_page_gets_each_claims_own_answer(who, pool):
    settings = replace(Settings(), checker_pool=pool, verdicts_needing_resolution=("false",))
    viewer = _viewer(VIEWERS[who])
    for row in _cases():
        claim = _claim(row)
        claim.notes = [Note(body="@Me could you look at this?", author_id=SOMEONE_ELSE)]  # loaded, as on the page
        assert page_actions(settings, viewer, claim) == allowed_actions(settings, viewer, claim), (who, vars(row))


def test_a_manager_named_in_the_conversation_may_write_there():
    manager = User(id=ME, email="me@example.org", display_name="Me", password_hash="x", is_active_account=True,
                   role_rows=[UserRole(role="manager")])
    rows = [row for row in _cases() if row.status == "in_progress" and row.article_status == "in_check"]
    plain, talked_about = _claim(rows[0]), _claim(rows[0])
    plain.notes = []
    talked_about.notes = [Note(body="@Me could you look at this?", author_id=SOMEONE_ELSE)]
    assert page_actions(Settings(), manager, plain).note is False
    assert page_actions(Settings(), manager, talked_about).note is True
