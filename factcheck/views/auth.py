from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.globals import _cv_request
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup, escape

from factcheck.errors import DomainError
from factcheck.forms import Form, token_and_key
from factcheck.forms.articles import ActionForm
from factcheck.forms.auth import LoginForm, LogoutForm, PasswordForm
from factcheck.security.csrf_tokens import csrf_token
from factcheck.security.login import request_user
from factcheck.security.throttle import (
    PER_ACCOUNT,
    PER_ADDRESS,
    account_key,
    address_key,
    count_failure,
    failed,
    first_failure_in_window,
    limiter,
)
from factcheck.services import idempotency, users
from factcheck.views.common import actor, context, safe_local_url
from factcheck.views.template_macros import field

bp = Blueprint("auth", __name__)


def _device() -> str:
    return request.headers.get("User-Agent", "")[:300]


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    # Only a POST can be a failed sign-in, which is all the limits count: the limiter's decorator
    # would look the limits up for every showing of the form too (a tenth of its time, issue 15).
    method = _cv_request.get().request.method  # the request's own objects, not the proxies (issue 15)
    if method == "POST":
        return _limited_sign_in()
    if method == "GET" and not request_user().is_authenticated:
        return _blank_sign_in_page()
    return _sign_in()


def _sign_in() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    if request.method == "GET":
        return _blank_sign_in_page()
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        account = account_key()
        try:
            user = users.authenticate(context(), form.email.data, form.password.data, device=_device(),
                                      record_failure=first_failure_in_window(account))
        except DomainError as error:
            count_failure(account)
            form.password.errors.append(error.message)
            status = error.status_code if error.status_code == 403 else 401
        else:
            login_user(user, remember=form.remember.data)
            flash(f"Signed in as {user.display_name}.", "success")
            return redirect(safe_local_url(request.args.get("next")) or url_for("main.home"))
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", hidden=form.hidden_tag(), fields=_login_fields(form)), status


def _login_fields(form: LoginForm) -> Markup:
    return Markup("\n").join((field(form.email, autocomplete="username"),
                               field(form.password, autocomplete="current-password"), field(form.remember)))


def _password_fields(form: PasswordForm) -> Markup:
    return Markup("\n").join((field(form.current_password), field(form.new_password), field(form.confirm)))


def _blank_fields(form_class: type[Form], write: Callable[[Any], Markup]) -> Markup:
    """The fields of a form as a GET shows it, rendered once per app. WTForms reads no data on a GET,
    so they are always blank and their markup the same: building the form and rendering its fields
    on every showing was a third of the sign-in form's time (issue 15). The CSRF token and a new
    idempotency key are not part of it: the caller writes them for each request (``token_and_key``)."""
    kept: dict[type[Form], Markup] = current_app.extensions.setdefault("factcheck.blank_fields", {})
    fields = kept.get(form_class)
    if fields is None:
        fields = kept[form_class] = write(form_class(formdata=None, meta={"csrf": False}))
    return fields


# Where the kept sign-in page is cut: each showing writes its own token and key there.
_CUT = "\x00"
# A deployment has one or two; the server may take one from a header, so their number is bounded.
_MAX_MOUNT_POINTS = 16


def _blank_sign_in_page() -> str:
    """The sign-in form as a GET shows it to someone signed out. Nothing on it but the CSRF token's
    and the idempotency key's values changes from one showing to the next (the layout of a signed-out
    person, the blank fields, the mount point's addresses), so it is rendered once per app and mount
    point, and each request writes its two values into it: rendering base.html and login.html was a
    third of the form's time (issue 15). A message waiting in the session (signed out, please sign
    in) is shown, and taken out, by rendering the page as before; so is every showing while templates
    are reloaded when they change (development)."""
    request_context = _cv_request.get()
    app, mount_point = request_context.app, request_context.request.script_root
    if "_flashes" in request_context.session or app.jinja_env.auto_reload:
        return _render_sign_in_page(token_and_key(with_id=True))
    kept: dict[str, list[str]] = app.extensions.setdefault("factcheck.sign_in_page", {})
    page = kept.get(mount_point)
    if page is None:
        page = _sign_in_page_cut()
        if len(kept) < _MAX_MOUNT_POINTS:
            kept[mount_point] = page
    head, between, tail = page
    return f"{head}{escape(csrf_token())}{between}{escape(idempotency.new_key())}{tail}"


def _sign_in_page_cut() -> list[str]:
    """The page rendered with the hidden inputs ``token_and_key`` writes, cut where their two values go."""
    name = escape(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    hidden = Markup(f'<input id="{name}" name="{name}" type="hidden" value="{_CUT}">'
                    f'<input type="hidden" name="{escape(idempotency.FIELD)}" value="{_CUT}">')
    parts = _render_sign_in_page(hidden).split(_CUT)
    if len(parts) != 3:
        raise RuntimeError("auth/login.html must write {{ hidden }} once and nothing else with a NUL character")
    return parts


def _render_sign_in_page(hidden: Markup) -> str:
    return render_template("auth/login.html", hidden=hidden, fields=_blank_fields(LoginForm, _login_fields))


_limited_sign_in = limiter.limit(
    PER_ACCOUNT, key_func=account_key, methods=["POST"], deduct_when=failed,
    error_message="Too many failed sign-ins for this account",
)(limiter.limit(
    PER_ADDRESS, key_func=address_key, methods=["POST"], deduct_when=failed,
    error_message="Too many failed sign-ins from this address",
)(_sign_in))


@bp.post("/logout")
@login_required
def logout() -> Any:
    form = LogoutForm()
    if form.validate_on_submit():
        users.record_logout(context(), actor())
        logout_user()
        flash("You have been signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> Any:
    if request.method == "GET":
        return _account_page(token_and_key(), _blank_fields(PasswordForm, _password_fields))
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            users.change_password(context(), device=_device(), actor=actor(),
                                  current_password=form.current_password.data, new_password=form.new_password.data)
        except DomainError as error:
            form.current_password.errors.append(error.message)
            status = 422
        else:
            # This device carries on with the session the change opened; every other one is signed out.
            login_user(actor(), remember=bool(request.cookies.get("remember_token")))
            flash("Your password has been changed; every other device has been signed out.", "success")
            return redirect(url_for("main.home"))
    elif form.is_submitted():
        status = 422
    return _account_page(form.csrf_token(id=False), _password_fields(form), status)


class _ButtonTokens:
    """What ``button_form`` reads of a form (``hidden_tag``) for a button whose form holds only the
    CSRF token: the same two hidden inputs as an ``ActionForm`` writes, without building one."""

    @staticmethod
    def hidden_tag() -> Markup:
        return token_and_key(with_id=True)


def _account_page(hidden: Markup, fields: Markup, status: int = 200) -> tuple[str, int]:
    return render_template("auth/password.html", hidden=hidden, fields=fields, action_form=_ButtonTokens,
                           mail_configured=context().settings.smtp is not None), status


@bp.post("/account/email-notifications/<any(on, off):change>")
@login_required
def email_notifications(change: str) -> Any:
    if ActionForm().validate_on_submit():
        users.set_email_notifications(context(), actor=actor(), user=actor(), on=change == "on")
        flash("Your notifications come by e-mail too." if change == "on"
              else "Your notifications no longer come by e-mail; they are still shown here.", "success")
    return redirect(url_for("auth.change_password", _anchor="email-notifications"))


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> Any:
    if LogoutForm().validate_on_submit():
        ended = users.sign_out_everywhere(context(), actor=actor())
        logout_user()
        flash(f"Signed out on every device ({ended} session(s) ended).", "info")
    return redirect(url_for("auth.login"))
