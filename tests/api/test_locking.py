"""Optimistic locking: a claim's ETag is its version; a write needs it in If-Match (428 without it,
412 when someone changed the claim since) and changes nothing when refused."""
from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Claim


def test_reading_a_claim_gives_its_version_as_etag(app, api_as, make):
    claim = make.claim()
    response = api_as("editor").get(f"/claims/{claim.id}")
    assert response.headers["ETag"] == f'"{claim.version}"'
    assert response.get_json()["version"] == claim.version


def test_a_write_without_if_match_is_428(app, api_as, make):
    claim = make.claim()
    response = api_as("editor").post(f"/claims/{claim.id}/dismiss", json={"reason": "Opinion."})
    assert response.status_code == 428 and response.mimetype == "application/problem+json"
    assert "If-Match" in response.get_json()["detail"]
    assert db.session.get(Claim, claim.id).status == "open"


def test_a_stale_if_match_is_412_and_shows_the_current_claim(app, api_as, make):
    claim = make.claim()
    first, second = api_as("editor"), api_as("editor")
    etag = first.get(f"/claims/{claim.id}").headers["ETag"]
    checker = make.user("checker")
    changed = second.post(f"/claims/{claim.id}/assign", json={"assignee_id": checker.id},
                          headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    other = make.user("checker")
    stale = first.post(f"/claims/{claim.id}/assign", json={"assignee_id": other.id}, headers={"If-Match": etag})
    assert stale.status_code == 412 and stale.mimetype == "application/problem+json"
    body = stale.get_json()
    assert body["current_version"] == changed.get_json()["version"]
    assert body["current"]["assignee_id"] == checker.id
    assert stale.headers["ETag"] == changed.headers["ETag"]
    assert db.session.get(Claim, claim.id).assignee_id == checker.id
    retried = first.post(f"/claims/{claim.id}/assign", json={"assignee_id": other.id},
                         headers={"If-Match": stale.headers["ETag"]})
    assert retried.status_code == 200 and retried.get_json()["assignee_id"] == other.id


def test_the_precondition_is_checked_before_the_step(app, api_as, make):
    """A stale copy is told it is stale (412), even when the step would now be refused for another reason."""
    claim = make.claim()
    api = api_as("editor")
    etag = api.get(f"/claims/{claim.id}").headers["ETag"]
    api.write(f"/claims/{claim.id}/dismiss", {"reason": "Opinion."})
    assert api.post(f"/claims/{claim.id}/dismiss", json={"reason": "Again."},
                    headers={"If-Match": etag}).status_code == 412


@pytest.mark.parametrize("value", ["yesterday", "²", '"³"'])  # digits Python's isdigit takes and int refuses
def test_a_malformed_if_match_is_400(app, api_as, make, value):
    claim = make.claim()
    response = api_as("editor").post(f"/claims/{claim.id}/dismiss", json={"reason": "x"},
                                     headers={"If-Match": value})
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
