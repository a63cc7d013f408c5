from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from factcheck.errors import DomainError
from factcheck.forms.auth import LoginForm, LogoutForm, PasswordForm
from factcheck.services import users
from factcheck.views.common import actor, context, safe_local_url

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = users.authenticate(context(), form.email.data, form.password.data)
        except DomainError as error:
            form.password.errors.append(error.message)
            status = error.status_code if error.status_code == 403 else 401
        else:
            login_user(user, remember=form.remember.data)
            flash(f"Signed in as {user.display_name}.", "success")
            return redirect(safe_local_url(request.args.get("next")) or url_for("main.home"))
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


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
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            users.change_password(context(), actor=actor(),
                                  current_password=form.current_password.data, new_password=form.new_password.data)
        except DomainError as error:
            form.current_password.errors.append(error.message)
            status = 422
        else:
            flash("Your password has been changed.", "success")
            return redirect(url_for("main.home"))
    elif form.is_submitted():
        status = 422
    return render_template("auth/password.html", form=form), status
