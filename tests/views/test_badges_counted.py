"""The navigation's badges ("N to check", "N to review"), read with the signed-in user from the running
counts the triggers keep (issue 15), must always equal the claims counted afresh: through the
workflow's steps, and after changes made behind the app's back in another connection."""
from __future__ import annotations

import re

from sqlalchemy import text

from factcheck.extensions import db
from factcheck.services import claims
from tests.support.context import ctx


def _badge(page: str, words: str) -> int:
    found = re.search(rf"(\d+) {words}</span>", page)
    return int(found.group(1)) if found else 0


def _fresh(checker_id: int) -> tuple[int, int]:
    with db.engine.connect() as connection:
        to_check = connection.execute(text(
            "SELECT count(*) FROM claims WHERE assignee_id = :id AND status IN ('assigned', 'in_progress')"),
            {"id": checker_id}).scalar_one()
        to_review = connection.execute(text("SELECT count(*) FROM claims WHERE status = 'proposed'")).scalar_one()
    return int(to_check), int(to_review)


def _behind_the_app(sql: str, **params: object) -> None:
    with db.engine.begin() as connection:
        connection.execute(text(sql), params)


def test_the_badges_equal_the_claims_counted_afresh(make, login_as):
    checker, other = make.user("checker"), make.user("checker")
    editor = make.user("editor")
    both = make.user("checker", "editor")
    make.assigned_claim(checker)
    make.assigned_claim(checker)
    proposed = make.proposed_claim(checker)
    make.proposed_claim(other)
    make.final_claim()
    db.session.commit()
    as_checker, as_editor, as_both = login_as(checker), login_as(editor), login_as(both)

    def check(expected_to_check: int, expected_to_review: int) -> None:
        assert _fresh(checker.id) == (expected_to_check, expected_to_review)
        page = as_checker.get("/account/password").get_data(as_text=True)
        assert (_badge(page, "to check"), _badge(page, "to review")) == (expected_to_check, 0), page
        page = as_editor.get("/account/password").get_data(as_text=True)
        assert (_badge(page, "to check"), _badge(page, "to review")) == (0, expected_to_review), page
        page = as_both.get("/account/password").get_data(as_text=True)
        assert _badge(page, "to review") == expected_to_review and _badge(page, "to check") == _fresh(both.id)[0]

    check(2, 2)
    claims.return_verdict(ctx(), actor=editor, claim=proposed, note="Find a second source.")
    db.session.commit()
    check(3, 1)
    # A proposed claim without an assignee (no workflow step leaves one, but the review queue lists it).
    lone = make.proposed_claim(other)
    db.session.commit()
    check(3, 2)
    _behind_the_app("UPDATE claims SET assignee_id = NULL WHERE id = :id", id=lone.id)
    check(3, 2)
    _behind_the_app("UPDATE claims SET status = 'assigned', assignee_id = :checker WHERE id = :id",
                    id=lone.id, checker=checker.id)
    check(4, 1)
    make.assigned_claim(both)
    db.session.commit()
    check(4, 1)
    _behind_the_app("DELETE FROM claims WHERE id = :id", id=lone.id)
    check(3, 1)
