"""``claims.first_assigned_at``: set by every step that gives a claim to a checker (the dashboard's
turnaround runs from it, issue 15), and kept when the claim is reassigned."""
from __future__ import annotations

from datetime import timedelta

import pytest

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services import claims, dashboard
from factcheck.services import evidence as evidence_service
from tests.services.test_dashboard import MARCH
from tests.support.context import configure, ctx
from tests.support.factories import SECOND_CLAIM


def _first_assigned(claim_id: int):
    db.session.expire_all()
    return db.session.get(Claim, claim_id).first_assigned_at


def _set_during(claim_id: int, since, clock) -> bool:
    """Set by the step just taken: after ``since``, by the services' clock (it ticks at each reading)."""
    when = _first_assigned(claim_id)
    return when is not None and since < when <= clock.now


def test_assigning_sets_it_once(make, clock):
    editor, checker, other = make.user("editor"), make.user("checker"), make.user("checker")
    claim = make.claim(editor=editor)
    assert claim.first_assigned_at is None
    since = clock.now
    claims.assign(ctx(), actor=editor, claim=claim, assignee=checker)
    assert _set_during(claim.id, since, clock)
    assigned_at = _first_assigned(claim.id)
    clock.set(clock.now + timedelta(hours=3))
    claims.assign(ctx(), actor=editor, claim=db.session.get(Claim, claim.id), assignee=other)
    assert _first_assigned(claim.id) == assigned_at


def test_the_assign_form_sets_it(make, login_as, clock):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.claim(editor=editor)
    client, since = login_as(editor), clock.now
    response = client.submit(f"/claims/{claim.id}/assign", {
        "assignee_id": checker.id, "priority": "normal", "version": claim.version})
    assert response.status_code == 302
    assert _set_during(claim.id, since, clock)


def test_bulk_assign_sets_it_on_each_claim(make, login_as, clock):
    editor, checker = make.user("editor"), make.user("checker")
    first = make.claim(editor=editor)
    second = claims.add_claim(ctx(), actor=editor, article=first.article, quote=SECOND_CLAIM)
    client, since = login_as(editor), clock.now
    response = client.submit("/claims/bulk-assign", {
        "claim_ids": [first.id, second.id], "assignee_id": checker.id, "priority": "normal",
        "return_to": f"/articles/{first.article_id}"})
    assert response.status_code == 302
    assert _set_during(first.id, since, clock) and _set_during(second.id, since, clock)


def test_taking_from_the_pool_sets_it_and_counts_in_the_turnaround(app, make, login_as, clock):
    configure(app, checker_pool=True)
    checker = make.user("checker")
    claim = make.claim()
    client, since = login_as(checker), clock.now
    assert client.submit(f"/claims/{claim.id}/take").status_code == 302
    assert _set_during(claim.id, since, clock)
    claim = db.session.get(Claim, claim.id)
    taken_at = claim.first_assigned_at
    evidence_service.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/a", title="A",
                                  stance="supports")
    claims.propose_verdict(ctx(), actor=checker, claim=claim, verdict="verified", rationale="Yes.")
    clock.set(taken_at + timedelta(hours=5))
    claims.accept_verdict(ctx(), actor=make.user("editor"), claim=claim)
    figures = dashboard.turnaround(db.session, MARCH)
    assert figures.count == 1 and figures.median_seconds == pytest.approx(5 * 3600, abs=0.5)
