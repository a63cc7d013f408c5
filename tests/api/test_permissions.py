"""The API refuses what the role does not allow, as the pages do (the same permission table): 403
with the reason, and nothing changes."""
from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Article, Claim
from tests.support.factories import ARTICLE_TEXT


def refused(response, words: str = "") -> None:
    assert response.status_code == 403, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert words in response.get_json()["detail"]


@pytest.mark.parametrize("role", ["checker", "manager"])
def test_only_editors_and_admins_bring_articles_in(app, api_as, role):
    refused(api_as(role).post("/articles", json={"text": ARTICLE_TEXT}))
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 0
    assert api_as("admin").post("/articles", json={"text": ARTICLE_TEXT}).status_code == 201


@pytest.mark.parametrize("role", ["checker", "manager"])
def test_only_editors_triage_and_assign(app, api_as, make, role):
    claim = make.claim()
    api = api_as(role)
    refused(api.write(f"/claims/{claim.id}/dismiss", {"reason": "no"}))
    refused(api.write(f"/claims/{claim.id}/assign", {"assignee_id": make.user("checker").id}))
    assert db.session.get(Claim, claim.id).status == "open"


def test_a_checker_works_only_on_claims_assigned_to_them(app, api_as, make):
    claim = make.assigned_claim()
    other = api_as("checker")
    refused(other.post(f"/claims/{claim.id}/evidence", json={"url": "https://e.org", "title": "t",
                                                             "stance": "supports"}), "not assigned to you")
    refused(other.write(f"/claims/{claim.id}/verdict", {"verdict": "verified", "rationale": "r"}))


def test_an_editor_cannot_propose_nor_accept_their_own_proposal(app, api_as, make):
    claim = make.proposed_claim()
    editor = api_as("editor")
    refused(editor.write(f"/claims/{claim.id}/verdict", {"verdict": "false", "rationale": "r"}))
    admin_checker = make.user("checker", "editor")
    claim2 = make.assigned_claim(checker=admin_checker)
    from factcheck.services import claims, evidence
    from tests.support.context import ctx

    evidence.add_evidence(ctx(), actor=admin_checker, claim=claim2, url="https://e.org", title="t", stance="supports")
    claims.propose_verdict(ctx(), actor=admin_checker, claim=claim2, verdict="verified", rationale="r")
    refused(api_as(admin_checker).write(f"/claims/{claim2.id}/verdict/accept"), "proposed yourself")


@pytest.mark.parametrize("role", ["checker", "manager"])
def test_only_editors_approve_and_publish(app, api_as, make, role):
    claim = make.final_claim()
    api = api_as(role)
    refused(api.post(f"/articles/{claim.article_id}/approve"))
    refused(api.post(f"/articles/{claim.article_id}/publish", json={}))
    refused(api.put(f"/articles/{claim.article_id}/text", json={"text": ARTICLE_TEXT + "More.\n"}))
    assert db.session.get(Article, claim.article_id).status == "ready"


@pytest.mark.parametrize("role", ["checker", "editor"])
def test_the_audit_log_is_for_managers_and_admins(app, api_as, role):
    refused(api_as(role).get("/audit"))
    assert api_as("admin").get("/audit").status_code == 200


@pytest.mark.parametrize("role", ["checker", "editor", "manager"])
def test_users_are_for_admins(app, api_as, role, admin):
    api = api_as(role)
    refused(api.get("/users"))
    refused(api.get(f"/users/{admin.id}"))


def test_an_admin_reads_the_users(app, api_as, admin):
    api = api_as(admin)
    people = api.get("/users").get_json()["items"]
    assert {p["email"] for p in people} == {admin.email}
    assert api.get(f"/users/{admin.id}").get_json()["roles"] == ["admin"]


def test_every_role_reads_articles_and_claims(app, api_as, make):
    claim = make.claim()
    for role in ("checker", "editor", "manager", "admin"):
        api = api_as(role)
        assert api.get(f"/articles/{claim.article_id}").status_code == 200
        assert api.get(f"/claims/{claim.id}").status_code == 200
        assert api.get(f"/articles/{claim.article_id}/gate").status_code == 200
