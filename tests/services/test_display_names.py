"""``users.display_names`` names the users asked for, whether their ids fit the fixed statement run on
the driver (up to ``_NAMED_AT_ONCE``) or not, and leaves out the ids of nobody."""
from __future__ import annotations

from factcheck.extensions import db
from factcheck.services import users


def _expected(people, ids):
    by_id = {person.id: person.display_name for person in people}
    return {i: by_id[i] for i in ids if i in by_id}


def test_the_names_asked_for_and_no_others(make):
    people = [make.user("checker", email=f"person{n}@example.test") for n in range(users._NAMED_AT_ONCE + 3)]
    ids = [person.id for person in people]
    nobody = max(ids) + 1000
    for asked in ([ids[0]], [ids[0], ids[0], nobody], ids[:users._NAMED_AT_ONCE],
                  [*ids[:users._NAMED_AT_ONCE - 1], nobody], ids[:users._NAMED_AT_ONCE + 1], ids, [nobody]):
        assert users.display_names(db.session, asked) == _expected(people, asked), asked
    assert users.display_names(db.session, []) == {}


def test_a_few_names_are_one_statement_of_one_shape(make, count_queries):
    ids = [make.user("checker", email=f"someone{n}@example.test").id for n in range(4)]
    with count_queries() as seen:
        for n in range(1, 5):
            users.display_names(db.session, ids[:n])
    assert len(seen) == 4 and len(set(seen)) == 1, seen


def test_a_name_changed_in_the_request_is_read(make):
    person = make.user("checker")
    person.display_name = "Renamed <x>"
    assert users.display_names(db.session, [person.id]) == {person.id: "Renamed <x>"}
