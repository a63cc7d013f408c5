"""@mentions name people exactly: a handle is never a LIKE pattern (issue 11: ``@%`` notified everyone)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Notification


@pytest.fixture
def desk(make):
    people = {name: make.user("checker", email=f"{name}@desk.example") for name in ("chen", "chan", "ch_n", "carla")}
    people["chen-elsewhere"] = make.user("editor", email="chen@other.example")
    return people


def _mentioned(make, login_as, desk, body: str) -> set[str]:
    author = make.user("checker")
    claim = make.assigned_claim(author)
    response = login_as(author).submit(f"/claims/{claim.id}/notes", {"body": body})
    assert response.status_code == 302, response.get_data(as_text=True)
    ids = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "mention")))
    return {name for name, user in desk.items() if user.id in ids}


@pytest.mark.parametrize("body", [
    "@% please look", "@%@% and @_", "@c_en", "@ch%", "@%n", "@c%n@desk.example", "@chen% and @chen_",
    "@_@desk.example", "@%@desk.example", "@\\%",
])
def test_wildcards_name_nobody(make, login_as, desk, body):
    assert _mentioned(make, login_as, desk, body) == set()


@pytest.mark.parametrize("body, expected", [
    ("@chen@desk.example can you check?", {"chen"}),
    ("@CHEN@Desk.Example, thanks.", {"chen"}),
    ("@ch_n only", {"ch_n"}),  # an underscore in a real name is matched as itself, not as "any one character"
    ("@chan. @carla!", {"chan", "carla"}),
])
def test_exact_handles_name_their_people(make, login_as, desk, body, expected):
    assert _mentioned(make, login_as, desk, body) == expected


def test_a_handle_that_fits_two_people_is_refused_naming_them(make, login_as, desk):
    """``@chen`` is the local part of two people's e-mails: the note is not posted (nobody is
    notified by a guess), the message lists both, and what was typed is kept."""
    author = make.user("checker")
    claim = make.assigned_claim(author)
    response = login_as(author).submit(f"/claims/{claim.id}/notes", {"body": "@chen can you check?"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "could mean" in page and "chen@desk.example" in page and "chen@other.example" in page
    assert ">@chen can you check?</textarea>" in page
    assert db.session.scalars(select(Notification).where(Notification.kind == "mention")).all() == []
