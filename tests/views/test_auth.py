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



def _forms(page: str) -> list[str]:
    """The page's forms, the values of their CSRF token and idempotency key blanked."""
    import re

    page = re.sub(r'(name="(?:csrf_token|idempotency_key)"(?: type="hidden")? value=)"[^"]*"', r'\1"X"', page)
    return [re.sub(r">\s+<", "><", form).strip() for form in re.findall(r"<form.*?</form>", page, re.S)]


LOGIN_REFERENCE = """<form method="post" novalidate>{{ form.hidden_tag() }}
    {{ field(form.email, autocomplete="username") }}{{ field(form.password, autocomplete="current-password") }}
    {{ field(form.remember) }}<button type="submit" class="primary wide">Sign in</button></form>"""
ACCOUNT_REFERENCE = """<form method="post" novalidate>{{ form.csrf_token(id=False) }}
    {{ field(form.current_password) }}{{ field(form.new_password) }}{{ field(form.confirm) }}
    <button type="submit" class="primary">Change password</button></form>
    {{ button_form(url_for('auth.email_notifications', change='off'), 'Turn e-mail off', action_form) }}"""


def _reference(template: str, **forms) -> list[str]:
    from flask import render_template_string

    return _forms(render_template_string(template, **{name: make() for name, make in forms.items()}))


def test_the_kept_blank_forms_are_what_wtforms_renders(app, login_as):
    # A GET shows the fields' markup kept from the first showing (views/auth.py); it must be exactly
    # what building the forms for the request renders, token and key inputs included.
    from factcheck.forms.articles import ActionForm
    from factcheck.forms.auth import LoginForm, PasswordForm

    with app.test_request_context("/login"):
        login = _reference(LOGIN_REFERENCE, form=LoginForm)
        account = _reference(ACCOUNT_REFERENCE, form=PasswordForm, action_form=lambda: ActionForm(formdata=None))
    signed_in = login_as("checker")
    for _ in range(2):  # the first showing keeps the fields, the second uses them
        assert _forms(app.test_client().get("/login").get_data(as_text=True)) == login
        page = signed_in.get("/account/password").get_data(as_text=True)
        assert _forms(page)[1:3] == account  # after the header's sign-out form
        # The tokens are the session's: the same as the page's meta tag gives its scripts.
        token = page.split('<meta name="csrf-token" content="', 1)[1].split('"', 1)[0]
        assert page.count(f'value="{token}"') == 4 and page.count('name="idempotency_key"') == 2


def test_a_refused_sign_in_shows_what_was_typed_not_the_blank_form(client, make):
    user = make.user("editor")
    page = _login(client, user.email, "not the password").get_data(as_text=True)
    assert f'value="{user.email}"' in page and "Wrong email or password." in page
    assert 'name="csrf_token"' in page and 'name="idempotency_key"' in page
    assert f'value="{user.email}"' not in client.get("/login").get_data(as_text=True)



def test_a_refused_password_change_shows_its_error_not_the_blank_form(login_as):
    page = login_as("checker").submit("/account/password", {
        "current_password": "not it", "new_password": "long enough", "confirm": "long enough"})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert 'aria-invalid="true"' in text and 'name="idempotency_key"' in text
