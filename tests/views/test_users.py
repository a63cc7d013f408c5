"""User administration through the page: create, roles, deactivate; every change audited."""
from __future__ import annotations

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import AuditEvent, User
from factcheck.services import users


def test_admin_creates_a_user_who_can_sign_in(login_as, new_client):
    admin = login_as("admin")
    response = admin.submit("/users", {"email": "nina@desk.example", "display_name": "Nina Novak",
                                       "password": "long enough", "roles": ["checker", "editor"]})
    assert response.status_code == 302
    nina = users.find_by_email(db.session, "nina@desk.example")
    assert {r.value for r in nina.roles} == {"checker", "editor"}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created",
                                                       AuditEvent.object_id == nina.id))
    assert event.actor_id == admin.user.id
    fresh = new_client()
    assert fresh.submit("/login", {"email": "nina@desk.example", "password": "long enough"}).status_code == 302


def test_bad_new_user_input_is_a_form_error(login_as, make):
    admin = login_as("admin")
    taken = make.user("checker")
    for data, message in (
        ({"email": "x", "display_name": "X", "password": "long enough", "roles": ["checker"]}, "Enter an email address."),
        ({"email": "x@y.example", "display_name": "X", "password": "short", "roles": ["checker"]}, "between 8 and 512"),
        ({"email": "x@y.example", "display_name": "X", "password": "long enough"}, "Choose a role."),
        ({"email": "x@y.example", "display_name": "X", "password": "long enough", "roles": ["boss"]}, "is not a valid choice"),
        ({"email": taken.email, "display_name": "X", "password": "long enough", "roles": ["checker"]}, "already exists"),
    ):
        response = admin.submit("/users", data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data


def test_roles_change_is_audited_and_takes_effect(login_as, make):
    admin = login_as("admin")
    person = make.user("checker")
    response = admin.submit(f"/users/{person.id}/roles", {f"u{person.id}-roles": ["editor", "manager"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert {r.value for r in db.session.get(User, person.id).roles} == {"editor", "manager"}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.roles_changed"))
    assert event.changes["roles"] == {"before": ["checker"], "after": ["editor", "manager"]}
    assert admin.submit(f"/users/{person.id}/roles", {}).status_code == 422


def test_the_last_admin_stays(login_as):
    admin = login_as("admin")
    me = admin.user
    response = admin.submit(f"/users/{me.id}/roles", {f"u{me.id}-roles": ["editor"]})
    assert response.status_code == 422 and "last active administrator" in response.get_data(as_text=True)
    response = admin.submit(f"/users/{me.id}/deactivate")
    assert response.status_code == 422 and "your own account" in response.get_data(as_text=True)


def test_deactivation_signs_the_person_out(login_as, make):
    admin = login_as("admin")
    person = make.user("checker")
    client = login_as(person)
    assert admin.submit(f"/users/{person.id}/deactivate").status_code == 302
    assert client.get("/queue").status_code == 302
    assert admin.submit(f"/users/{person.id}/activate").status_code == 302
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == person.id,
                                                                      AuditEvent.object_type == "user")))
    assert "user.deactivated" in actions and "user.activated" in actions
