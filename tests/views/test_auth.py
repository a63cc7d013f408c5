from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import AuditEvent, User
from tests.support.context import ctx
from tests.support.factories import Factory


def _login(client, email, password, **extra):
    return client.submit("/login", {"email": email, "password": password, **extra})


def test_sign_in_and_out(client, make):
    user = make.user("editor")
    response = _login(client, user.email, Factory.PASSWORD)
    assert response.status_code == 302
    assert client.get("/articles").status_code == 200
    assert client.submit("/logout").status_code == 302
    assert client.get("/articles").status_code == 302
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == user.id)))
    assert "auth.login" in actions and "auth.logout" in actions


def test_email_is_case_insensitive(client, make):
    user = make.user("editor")
    assert _login(client, user.email.upper(), Factory.PASSWORD).status_code == 302


def test_wrong_password_is_refused_with_a_clear_message_and_audited(client, make):
    user = make.user("editor")
    response = _login(client, user.email, "not the password")
    assert response.status_code == 401
    assert "Wrong email or password." in response.get_data(as_text=True)
    assert client.get("/articles").status_code == 302
    failed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login_failed"))
    assert failed.actor_label == user.email


def test_unknown_user_gets_the_same_message(client):
    response = _login(client, "nobody@example.test", "whatever-password")
    assert response.status_code == 401
    assert "Wrong email or password." in response.get_data(as_text=True)


def test_deactivated_user_is_refused(client, make):
    user = make.user("editor", active=False)
    response = _login(client, user.email, Factory.PASSWORD)
    assert response.status_code == 403
    assert "deactivated" in response.get_data(as_text=True)
    assert client.get("/articles").status_code == 302


def test_deactivation_ends_an_open_session(client, make):
    from factcheck.services import users

    user = make.user("editor")
    _login(client, user.email, Factory.PASSWORD)
    users.set_active(ctx(), actor=None, actor_label="test", user=user, active=False)
    assert client.get("/articles").status_code == 302


def test_passwords_are_stored_hashed(make):
    user = make.user("checker")
    stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert Factory.PASSWORD not in stored
    assert stored.startswith(("scrypt:", "pbkdf2:"))


def test_remember_me_sets_a_persistent_cookie(client, make):
    user = make.user("checker")
    _login(client, user.email, Factory.PASSWORD, remember="y")
    assert client.get_cookie("remember_token") is not None


def test_without_remember_me_there_is_no_persistent_cookie(client, make):
    user = make.user("checker")
    _login(client, user.email, Factory.PASSWORD)
    assert client.get_cookie("remember_token") is None


def test_next_parameter_only_follows_local_paths(client, make):
    user = make.user("editor")
    response = client.submit("/login?next=https://evil.example/", {"email": user.email, "password": Factory.PASSWORD})
    assert response.headers["Location"] == "/"
    client.submit("/logout")
    response = client.submit("/login?next=/review", {"email": user.email, "password": Factory.PASSWORD})
    assert response.headers["Location"] == "/review"


def test_empty_and_malformed_login_forms_show_errors(client):
    response = client.submit("/login", {"email": "", "password": ""})
    assert response.status_code == 400
    assert "This field is required." in response.get_data(as_text=True)
    response = client.submit("/login", {"email": "not-an-email", "password": "x"})
    assert response.status_code == 400
    assert "Enter an email address." in response.get_data(as_text=True)


def test_home_sends_each_role_to_its_work(login_as):
    assert login_as("checker").get("/").headers["Location"] == "/queue"
    assert login_as("editor").get("/").headers["Location"] == "/articles"
    assert login_as("manager").get("/").headers["Location"] == "/dashboard"


def test_people_change_their_own_password(client, make, new_client):
    user = make.user("checker")
    _login(client, user.email, Factory.PASSWORD)
    assert client.get("/account/password").status_code == 200
    for data, message in (
        ({"current_password": "wrong one", "new_password": "brand new pw", "confirm": "brand new pw"}, "current password is wrong"),
        ({"current_password": Factory.PASSWORD, "new_password": "short", "confirm": "short"}, "between 8 and 512"),
        ({"current_password": Factory.PASSWORD, "new_password": "brand new pw", "confirm": "other pw!"}, "differ"),
    ):
        response = client.submit("/account/password", data)
        assert response.status_code == 422 and message in response.get_data(as_text=True), data
    response = client.submit("/account/password", {"current_password": Factory.PASSWORD, "new_password": "brand new pw",
                                                   "confirm": "brand new pw"})
    assert response.status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password_changed"))
    assert event.actor_id == user.id and event.changes == {}
    fresh = new_client()
    assert _login(fresh, user.email, Factory.PASSWORD).status_code == 401
    assert _login(fresh, user.email, "brand new pw").status_code == 302


def _form_markup(page: str) -> str:
    import re

    form = page[page.index("<form"):page.index("</form>")]
    form = re.sub(r'(name="idempotency_key" type="hidden" value=|name="idempotency_key" value=)"[^"]*"', r'\1"KEY"', form)
    return re.sub(r">\s+<", "><", form).strip()


def test_the_kept_blank_sign_in_form_is_what_wtforms_renders(app):
    # A GET shows the fields' markup kept from the first showing (views/auth.py); it must be exactly
    # what building the form for the request renders, token and hidden inputs included.
    from flask import render_template_string

    from factcheck.forms.auth import LoginForm
    from factcheck.views import auth

    reference = """<form method="post" novalidate>{{ form.hidden_tag() }}
        {{ field(form.email, autocomplete="username") }}{{ field(form.password, autocomplete="current-password") }}
        {{ field(form.remember) }}</form>"""
    for _ in range(2):  # the first showing keeps the fields, the second uses them
        with app.test_request_context("/login", method="GET"):
            shown = auth._sign_in()[0]
            built = render_template_string(reference, form=LoginForm())
        assert 'name="csrf_token"' in shown and 'name="email"' in shown
        assert _form_markup(shown).replace('<button type="submit" class="primary wide">Sign in</button>', "") \
            == _form_markup(built)


def test_a_refused_sign_in_shows_what_was_typed_not_the_blank_form(client, make):
    user = make.user("editor")
    page = _login(client, user.email, "not the password").get_data(as_text=True)
    assert f'value="{user.email}"' in page and "Wrong email or password." in page
    assert 'name="csrf_token"' in page and 'name="idempotency_key"' in page
    assert f'value="{user.email}"' not in client.get("/login").get_data(as_text=True)
