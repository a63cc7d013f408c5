"""CSRF protection: every state-changing request needs the token of the person's own session.

The test client's ``submit`` sends a valid token (tests/conftest.py); these tests use ``post``
to send none, a forged one or another session's, and check that nothing happens.
"""
from __future__ import annotations

from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import AuditEvent
from tests.security.test_permissions import ROUTES


def _audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def _refused(response) -> bool:
    return response.status_code == 400 and "security token" in response.get_data(as_text=True)


def test_every_post_route_refuses_a_request_without_the_token(make, login_as):
    claim = make.proposed_claim(make.user("checker"))
    ids = {"a": claim.article_id, "c": claim.id, "e": claim.evidence[0].id, "u": make.user("checker").id}
    admin = login_as("admin")
    before = _audit_count()
    posts = [template.format(**ids) for method, template, _allowed in ROUTES if method == "POST"]
    assert len(posts) >= 25
    for path in posts:
        assert _refused(admin.post(path, data={})), path
    assert _audit_count() == before  # nothing was changed or recorded


def test_forged_and_borrowed_tokens_are_refused(login_as, new_client):
    manager, other = login_as("manager"), login_as("manager")
    before = _audit_count()
    assert _refused(manager.post("/audit/verify", data={"csrf_token": "forged"}))
    assert _refused(manager.post("/audit/verify", data={"csrf_token": other.csrf_token()}))  # another session's
    assert _refused(manager.post("/audit/verify", headers={"X-CSRFToken": "forged"}))
    assert _refused(new_client().post("/login", data={"email": manager.user.email, "password": "x"}))
    assert _audit_count() == before


def test_the_session_s_own_token_is_accepted_as_a_field_and_as_the_htmx_header(login_as):
    manager = login_as("manager")
    before = _audit_count()
    assert manager.post("/audit/verify", data={"csrf_token": manager.csrf_token()}).status_code == 302
    # app.js sends htmx requests with the token in the X-CSRFToken header, not in the form.
    assert manager.post("/audit/verify", headers={"X-CSRFToken": manager.csrf_token()}).status_code == 302
    assert _audit_count() == before + 2  # each verification is recorded


def test_the_check_skips_only_the_methods_the_configuration_leaves_unchecked(app, login_as):
    """GET and HEAD skip Flask-WTF's hook (factcheck/security/csrf_tokens.py) because
    WTF_CSRF_METHODS leaves them out; a method added there is checked again."""
    manager = login_as("manager")
    assert manager.get("/audit").status_code == 200
    app.config["WTF_CSRF_METHODS"] = [*app.config["WTF_CSRF_METHODS"], "GET"]
    assert _refused(manager.get("/audit"))
    assert _refused(manager.post("/audit/verify", data={}))
