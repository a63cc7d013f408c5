"""The permission table (DESIGN §4), walked for every route and every role."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import AuditEvent, Role
from factcheck.security import PERMISSIONS, Action, can
from factcheck.services import evidence as evidence_service
from tests.support.context import ctx

ALL = {"checker", "editor", "manager", "admin"}
EDITORS = {"editor", "admin"}

# (method, path, roles that may) — {a} is an article, {c} a claim assigned to the checker.
ROUTES = [
    ("GET", "/", ALL),
    ("GET", "/articles", ALL),
    ("GET", "/articles/new", EDITORS),
    ("POST", "/articles/new", EDITORS),
    ("GET", "/articles/{a}", ALL),
    ("POST", "/articles/{a}/claims", EDITORS),
    ("POST", "/articles/{a}/approve", EDITORS),
    ("POST", "/articles/{a}/publish", EDITORS),
    ("GET", "/articles/{a}/revise", EDITORS),
    ("POST", "/articles/{a}/revise", EDITORS),
    ("GET", "/articles/{a}/revisions/1", ALL),
    ("GET", "/articles/{a}/report", ALL),
    ("GET", "/claims/{c}", ALL),
    ("POST", "/claims/{c}/assign", EDITORS),
    ("POST", "/claims/{c}/start", EDITORS | {"checker"}),
    ("POST", "/claims/{c}/evidence", EDITORS | {"checker"}),
    ("POST", "/claims/{c}/propose", {"checker"}),
    ("POST", "/claims/{c}/accept-verdict", EDITORS),
    ("POST", "/claims/{c}/return-verdict", EDITORS),
    ("POST", "/claims/{c}/accept", EDITORS),
    ("POST", "/claims/{c}/dismiss", EDITORS),
    ("POST", "/claims/{c}/resolve", EDITORS),
    ("POST", "/claims/{c}/notes", EDITORS | {"checker"}),
    ("POST", "/claims/{c}/take", set()),  # the pool is closed unless the newsroom opens it
    ("GET", "/claims/{c}/evidence/{e}/edit", EDITORS | {"checker"}),
    ("POST", "/claims/{c}/evidence/{e}/edit", EDITORS | {"checker"}),
    ("POST", "/claims/{c}/evidence/{e}/remove", EDITORS | {"checker"}),
    ("GET", "/claims", ALL),
    ("POST", "/claims/bulk-assign", EDITORS),
    ("GET", "/users", {"admin"}),
    ("POST", "/users", {"admin"}),
    ("POST", "/users/{u}/roles", {"admin"}),
    ("POST", "/users/{u}/deactivate", {"admin"}),
    ("POST", "/users/{u}/activate", {"admin"}),
    ("GET", "/account/password", ALL),
    ("POST", "/account/email-notifications/off", ALL),
    ("POST", "/users/{u}/email-notifications/off", {"admin"}),
    ("GET", "/notifications", ALL),
    ("POST", "/notifications/read", ALL),
    ("GET", "/queue", ALL),
    ("GET", "/review", ALL),
    ("GET", "/audit", {"manager", "admin"}),
    ("GET", "/audit/timeline/claim/{c}", {"manager", "admin"}),  # the editor here did not bring the article in
    ("GET", "/audit/timeline/article/{a}", {"manager", "admin"}),
    ("GET", "/audit/export.csv", {"manager", "admin"}),
    ("GET", "/audit/export.jsonl", {"manager", "admin"}),
    ("POST", "/audit/verify", {"manager", "admin"}),
    ("GET", "/dashboard", {"manager", "admin"}),
]


@pytest.fixture
def desk(make, login_as, new_client):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    source = evidence_service.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/a",
                                           title="A source", stance="supports")
    clients = {"checker": login_as(checker)}
    for role in ("editor", "manager", "admin"):
        clients[role] = login_as(role)
    clients["anonymous"] = new_client()
    bystander = make.user("checker")  # the user whose account the /users routes change
    return {"a": claim.article_id, "c": claim.id, "e": source.id, "u": bystander.id}, clients


def _call(client, method, path):
    if method == "GET":
        return client.get(path)
    return client.submit(path, {})


def test_every_route_refuses_every_role_that_may_not(desk):
    ids, clients = desk
    for method, template, allowed in ROUTES:
        path = template.format(**ids)
        for role in sorted(ALL):
            response = _call(clients[role], method, path)
            if role in allowed:
                assert response.status_code != 403, f"{role} refused {method} {path}"
                assert response.status_code < 500, f"{role} {method} {path}: {response.status_code}"
            else:
                assert response.status_code == 403, f"{role} allowed {method} {path}: {response.status_code}"
                assert "not" in response.get_data(as_text=True).lower()


def test_signed_out_visitors_are_sent_to_sign_in(desk):
    ids, clients = desk
    for method, template, _allowed in ROUTES:
        path = template.format(**ids)
        response = _call(clients["anonymous"], method, path)
        assert response.status_code == 302, f"{method} {path}"
        assert "/login" in response.headers["Location"]


def test_post_without_csrf_token_is_refused(desk):
    ids, clients = desk
    response = clients["editor"].post(f"/articles/{ids['a']}/claims", data={"quote": "The council voted"})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)


def test_checker_may_only_work_on_claims_assigned_to_them(make, login_as):
    claim = make.assigned_claim(make.user("checker"))
    stranger = login_as("checker")
    for path in ("start", "evidence", "propose"):
        assert stranger.submit(f"/claims/{claim.id}/{path}", {}).status_code == 403


def test_nobody_reviews_their_own_verdict(make, login_as):
    both = make.user("checker", "editor")
    claim = make.proposed_claim(both)
    client = login_as(both)
    response = client.submit(f"/claims/{claim.id}/accept-verdict")
    assert response.status_code == 403
    assert "verdict you proposed yourself" in response.get_data(as_text=True)
    db.session.refresh(claim)
    assert claim.status == "proposed"


def test_state_changing_routes_change_nothing_on_get(desk):
    """A GET of a form's address never acts: it goes to the form's page (reloading the address a
    refused form left in the bar), and writes nothing."""
    ids, clients = desk
    readable = {template for method, template, _allowed in ROUTES if method == "GET"}
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for method, template, _allowed in ROUTES:
        if method == "POST" and template not in readable:
            response = clients["admin"].get(template.format(**ids))
            assert response.status_code in (302, 405), template
            if response.status_code == 302:
                page = response.headers["Location"]
                assert template.format(**ids).startswith(page) and clients["admin"].get(page).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


EXPECTED = {
    Action.READ: ALL,
    Action.ARTICLE_CREATE: EDITORS, Action.ARTICLE_REVISE: EDITORS, Action.CLAIM_CREATE: EDITORS,
    Action.CLAIM_TRIAGE: EDITORS, Action.CLAIM_ASSIGN: EDITORS, Action.CLAIM_WORK: EDITORS | {"checker"},
    Action.NOTE_ADD: EDITORS | {"checker"},
    Action.VERDICT_PROPOSE: {"checker"}, Action.VERDICT_REVIEW: EDITORS, Action.CLAIM_RESOLVE: EDITORS,
    Action.ARTICLE_APPROVE: EDITORS, Action.ARTICLE_PUBLISH: EDITORS, Action.AUDIT_READ: {"manager", "admin"},
    Action.AUDIT_EXPORT: {"manager", "admin"}, Action.AUDIT_VERIFY: {"manager", "admin"},
    Action.AUDIT_TIMELINE: {"manager", "admin"},  # an editor only for articles they created: not this claim's
    Action.DASHBOARD_READ: {"manager", "admin"},
    Action.USERS_MANAGE: {"admin"},
    Action.JOB_READ: {"manager", "admin"},  # and whoever started the job: see tests/services/test_jobs.py
    Action.CLAIM_TAKE: set(),  # closed by default; see test_pool_lets_checkers_take_claims_when_open
}


def test_the_table_matches_the_design(make):
    assert set(PERMISSIONS) == set(Action) == set(EXPECTED)
    claim = make.assigned_claim(checker := make.user("checker"))
    users = {role: (checker if role == "checker" else make.user(role)) for role in ALL}
    for action, allowed in EXPECTED.items():
        for role, user in users.items():
            assert can(user, action, claim) == (role in allowed), (action, role)


def test_deactivated_users_can_do_nothing(make):
    admin = make.user("admin", active=False)
    assert not any(can(admin, action) for action in Action)
    assert Role.ADMIN in admin.roles
