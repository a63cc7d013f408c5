"""Who may use the API: a valid bearer token, within its scopes and its user's roles; nothing else."""
from __future__ import annotations

from datetime import timedelta

from factcheck.extensions import db
from factcheck.models import ApiToken, AuditEvent
from factcheck.services import tokens
from tests.api.conftest import ApiClient
from tests.support.context import ctx
from tests.support.factories import ARTICLE_TEXT, Factory


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["detail"] and body["title"] and body["type"] == "about:blank"
    return body


def test_no_token_is_401_with_a_challenge(app, new_client):
    response = new_client().get("/api/v1/articles")
    _problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_or_malformed_token_is_401(app, new_client):
    for header in ("Bearer fct_not-a-real-token", "Bearer", "Basic dXNlcjpwdw==", "fct_abc"):
        _problem(new_client().get("/api/v1/articles", headers={"Authorization": header}), 401)


def test_a_valid_token_reads_and_records_its_last_use(app, api_as):
    api = api_as("checker", scopes=("read",))
    assert db.session.get(ApiToken, 1).last_used_at is None
    response = api.get("/articles")
    assert response.status_code == 200, response.get_json()
    assert db.session.scalar(db.select(ApiToken)).last_used_at is not None


def test_a_revoked_token_is_refused_at_once(app, api_as, admin):
    api = api_as("editor")
    assert api.get("/articles").status_code == 200
    tokens.revoke_token(ctx(), actor=admin, token=db.session.scalar(db.select(ApiToken)))
    body = _problem(api.get("/articles"), 401)
    assert "revoked" in body["detail"]


def test_an_expired_token_is_refused(app, api_as, clock):
    api = api_as("editor", days=1)
    assert api.get("/articles").status_code == 200
    clock.set(clock.now + timedelta(days=1, seconds=1))
    _problem(api.get("/articles"), 401)


def test_a_deactivated_users_token_is_refused(app, api_as, admin):
    from factcheck.services import users

    api = api_as("editor")
    users.set_active(ctx(), actor=admin, user=api.user, active=False)
    _problem(api.get("/articles"), 401)


def test_a_read_token_cannot_write(app, api_as):
    api = api_as("editor", scopes=("read",))
    body = _problem(api.post("/articles", json={"title": "T", "text": ARTICLE_TEXT}), 403)
    assert "write scope" in body["detail"]
    assert db.session.scalar(db.select(db.func.count()).select_from(db.text("articles"))) == 0


def test_the_pages_session_cookie_does_not_authenticate_the_api(app, login_as):
    browser = login_as("editor")
    assert browser.get("/articles").status_code == 200  # signed in for the pages
    _problem(browser.get("/api/v1/articles"), 401)
    _problem(browser.post("/api/v1/articles", json={"title": "T", "text": ARTICLE_TEXT}), 401)


def test_the_api_needs_no_csrf_token(app, api_as):
    """CSRF protection stays on for the pages, but a token-authenticated POST goes through without one."""
    response = api_as("editor").post("/articles", json={"title": "T", "text": ARTICLE_TEXT})
    assert response.status_code == 201, response.get_json()


def test_a_write_is_audited_with_the_tokens_user_and_the_request(app, api_as):
    api = api_as("editor")
    response = api.post("/articles", json={"title": "T", "text": ARTICLE_TEXT},
                        headers={"X-Request-ID": "cms-42"})
    assert response.status_code == 201
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "article.created"))
    assert event.actor_id == api.user.id
    assert event.request_id == "cms-42"
    assert event.ip_address == "127.0.0.1"


def test_issuing_stores_only_a_hash_and_shows_the_secret_once(app, admin, make):
    user = make.user("editor")
    issued = tokens.issue_token(ctx(), actor=admin, user=user, name="CMS", scopes=["read"], days=10)
    stored = db.session.get(ApiToken, issued.token.id)
    assert issued.secret not in (stored.token_hash, stored.prefix)
    assert stored.token_hash == tokens.hash_secret(issued.secret)
    assert issued.secret.startswith(stored.prefix)


def test_only_admins_issue_tokens(app, make):
    import pytest

    from factcheck.errors import PermissionDenied

    editor = make.user("editor")
    with pytest.raises(PermissionDenied):
        tokens.issue_token(ctx(), actor=editor, user=editor, name="mine", scopes=["read", "write"])


def test_scopes_and_expiry_are_checked(app, admin, make):
    import pytest

    from factcheck.errors import ValidationFailed

    user = make.user("editor")
    for scopes, days in ((["admin"], 30), ([], 30), (["read"], 0), (["read"], 1000)):
        with pytest.raises(ValidationFailed):
            tokens.issue_token(ctx(), actor=admin, user=user, name="x", scopes=scopes, days=days)


def test_admin_issues_and_revokes_on_the_users_page(app, login_as, admin, new_client):
    browser = login_as(admin)
    person = Factory(ctx()).user("editor")
    page = browser.submit("/users/tokens", {"user_id": person.id, "name": "CMS", "scopes": ["read", "write"],
                                            "days": "30"})
    assert page.status_code == 201
    html = page.get_data(as_text=True)
    secret = html.split('<code class="secret">')[1].split("</code>")[0]
    editor = ApiClient(new_client(), secret, person)
    assert editor.get("/articles").status_code == 200
    assert secret not in browser.get("/users").get_data(as_text=True)  # shown once
    token = db.session.scalar(db.select(ApiToken))
    assert browser.submit(f"/users/tokens/{token.id}/revoke").status_code == 302
    assert editor.get("/articles").status_code == 401


def test_non_admins_cannot_issue_tokens_on_the_page(app, login_as):
    browser = login_as("editor")
    assert browser.submit("/users/tokens", {"user_id": browser.user.id, "name": "x", "scopes": ["read"],
                                            "days": "30"}).status_code == 403
