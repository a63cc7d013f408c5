"""The checkers an assignment form offers: read as plain choices, named as a User names itself."""
from __future__ import annotations

from factcheck.extensions import db
from factcheck.models import User
from factcheck.services import users


def test_checkers_are_the_active_checkers_by_name_labelled_as_users_are(make):
    zed = make.user("checker", email="zed@example.org")
    amy = make.user("checker", "editor", email="amy@example.org")
    make.user("checker", active=False)
    make.user("editor")
    for person, name in ((zed, "Zed Zimmer"), (amy, "Amy Adler")):
        person.display_name = name
    db.session.commit()
    found = users.checkers(db.session)
    assert [c.id for c in found] == [amy.id, zed.id]
    assert [c.choice_label for c in found] == [db.session.get(User, c.id).choice_label for c in found]
