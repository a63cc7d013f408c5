"""Users and API tokens for admins through the API: what the users page does, through the same
services (the last administrator stays, a token's secret is shown once), every change audited."""
from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import ApiToken, User
from factcheck.services import users as user_service
from tests.api.test_errors import problem

NEW = {"email": "Nina@Desk.example", "display_name": "Nina Novak", "password": "long enough", "roles": ["checker"]}


def test_an_admin_adds_a_user_who_can_sign_in(app, api_as, admin, audited, new_client):
    api = api_as(admin)
    response = api.post("/users", json=NEW)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body == {"id": body["id"], "email": "nina@desk.example", "display_name": "Nina Novak",
                    "roles": ["checker"], "active": True}
    assert response.headers["Location"] == f"/api/v1/users/{body['id']}"
    assert "password" not in body
    [event] = audited("user.created")[-1:]
    assert event.actor_id == admin.id and event.object_id == body["id"]
    assert new_client().submit("/login", {"email": "nina@desk.example", "password": "long enough"}).status_code == 302


def test_bad_new_users_are_422_with_the_field(app, api_as, admin, make):
    api = api_as(admin)
    taken = make.user("checker")
    for change, field in (({"email": "nobody"}, "email"), ({"password": "short"}, "password"),
                          ({"roles": []}, "roles"), ({"roles": ["boss"]}, "roles"),
                          ({"email": taken.email}, "email"), ({"colour": "red"}, "colour")):
        body = problem(api.post("/users", json={**NEW, **change}), 422)
        assert field in body["errors"]["json"], (change, body)
    assert user_service.find_by_email(db.session, NEW["email"]) is None


def test_roles_change_and_the_last_admin_stays(app, api_as, admin, make, audited):
    api = api_as(admin)
    person = make.user("checker")
    response = api.put(f"/users/{person.id}/roles", json={"roles": ["editor", "manager"]})
    assert response.status_code == 200 and response.get_json()["roles"] == ["editor", "manager"]
    [event] = audited("user.roles_changed")
    assert event.actor_id == admin.id and event.changes["roles"] == {"before": ["checker"],
                                                                     "after": ["editor", "manager"]}
    last = problem(api.put(f"/users/{admin.id}/roles", json={"roles": ["editor"]}), 422)
    assert "last active administrator" in last["detail"]
    problem(api.put("/users/9999/roles", json={"roles": ["editor"]}), 404)
    assert problem(api.put(f"/users/{person.id}/roles", json={"roles": []}), 422)["errors"]["json"]["roles"]


def test_deactivating_signs_out_and_stops_the_users_tokens(app, api_as, admin, audited):
    api = api_as(admin)
    other = api_as("editor")
    assert other.get("/articles").status_code == 200
    response = api.post(f"/users/{other.user.id}/deactivate")
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert other.get("/articles").status_code == 401
    assert api.post(f"/users/{other.user.id}/activate").get_json()["active"] is True
    assert other.get("/articles").status_code == 200
    assert [e.object_id for e in audited("user.deactivated") + audited("user.activated")] == [other.user.id] * 2
    assert "your own account" in problem(api.post(f"/users/{admin.id}/deactivate"), 422)["detail"]
    problem(api.post("/users/9999/deactivate"), 404)


@pytest.mark.parametrize("role", ["checker", "editor", "manager"])
def test_user_and_token_changes_are_for_admins(app, api_as, make, role):
    api = api_as(role)
    person = make.user("checker")
    problem(api.post("/users", json=NEW), 403)
    problem(api.put(f"/users/{person.id}/roles", json={"roles": ["admin"]}), 403)
    problem(api.put("/users/9999/roles", json={"roles": ["admin"]}), 403)  # refused before looking
    problem(api.post(f"/users/{person.id}/deactivate"), 403)
    problem(api.get("/tokens"), 403)
    problem(api.post("/tokens", json={"user_id": api.user.id, "name": "Mine", "scopes": ["read", "write"]}), 403)
    token_id = db.session.scalar(db.select(ApiToken.id).where(ApiToken.user_id == api.user.id))
    problem(api.post(f"/tokens/{token_id}/revoke"), 403)
    assert db.session.get(User, person.id).is_active_account
    assert {r.value for r in db.session.get(User, person.id).roles} == {"checker"}


def test_a_token_is_issued_shown_once_listed_and_revoked(app, api_as, admin, make, audited, new_client):
    from tests.api.conftest import ApiClient

    api = api_as(admin)
    bot = make.user("checker")
    response = api.post("/tokens", json={"user_id": bot.id, "name": "Chat bot", "scopes": ["read"], "days": 7})
    assert response.status_code == 201, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    issued = response.get_json()
    assert issued["secret"].startswith("fct_") and issued["scopes"] == ["read"] and issued["state"] == "active"
    bot_api = ApiClient(new_client(), issued["secret"], bot)
    assert bot_api.get("/articles").status_code == 200
    problem(bot_api.post("/notifications/read"), 403)  # read scope only
    listed = api.get("/tokens", query_string={"user": bot.id}).get_json()["items"]
    assert [t["id"] for t in listed] == [issued["id"]] and "secret" not in listed[0]
    assert listed[0]["last_used_at"] is not None
    [event] = audited("token.issued")[-1:]
    assert event.actor_id == admin.id and event.object_id == issued["id"]
    revoked = api.post(f"/tokens/{issued['id']}/revoke")
    assert revoked.status_code == 200 and revoked.get_json()["state"] == "revoked"
    assert bot_api.get("/articles").status_code == 401
    [event] = audited("token.revoked")
    assert event.actor_id == admin.id and event.object_id == issued["id"]
    assert "already revoked" in problem(api.post(f"/tokens/{issued['id']}/revoke"), 422)["detail"]
    problem(api.post("/tokens/9999/revoke"), 404)


def test_bad_token_requests(app, api_as, admin, make):
    api = api_as(admin)
    bot = make.user("checker", active=False)
    assert problem(api.post("/tokens", json={"user_id": bot.id, "name": "Bot", "scopes": ["read"]}),
                   422)["errors"]["json"]["user_id"]
    problem(api.post("/tokens", json={"user_id": 9999, "name": "Bot", "scopes": ["read"]}), 404)
    assert problem(api.post("/tokens", json={"user_id": admin.id, "name": "Bot", "scopes": ["admin"]}),
                   422)["errors"]["json"]["scopes"]
    assert problem(api.post("/tokens", json={"user_id": admin.id, "name": "Bot", "scopes": ["read"], "days": 400}),
                   422)["errors"]["json"]["days"]
    assert problem(api.post("/tokens", json={"user_id": admin.id, "name": "Bot\x07", "scopes": ["read"]}),
                   422)["errors"]["json"]["name"]
