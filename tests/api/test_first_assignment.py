"""The API's assign and take steps set ``claims.first_assigned_at`` too (issue 15: the dashboard's
turnaround runs from it)."""
from __future__ import annotations

from factcheck.extensions import db
from factcheck.models import Claim
from tests.support.context import configure


def _first_assigned(claim_id: int):
    db.session.expire_all()
    return db.session.get(Claim, claim_id).first_assigned_at


def test_assign_and_take_through_the_api_set_it(app, api_as, make, clock):
    checker = make.user("checker")
    assigned = make.claim()
    editor, since = api_as("editor"), clock.now
    response = editor.write(f"/claims/{assigned.id}/assign", {"assignee_id": checker.id})
    assert response.status_code == 200, response.get_json()
    assert since < _first_assigned(assigned.id) <= clock.now
    configure(app, checker_pool=True)
    taken = make.claim()
    client, since = api_as(checker), clock.now
    assert client.write(f"/claims/{taken.id}/take").status_code == 200
    assert since < _first_assigned(taken.id) <= clock.now
