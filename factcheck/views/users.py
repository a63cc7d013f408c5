"""User administration: create users, set roles, deactivate. Admins only (DESIGN §4)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required

from factcheck.extensions import db
from factcheck.forms.articles import ActionForm
from factcheck.forms.users import NewUserForm, RolesForm
from factcheck.models import User
from factcheck.security import Action, require
from factcheck.services import users
from factcheck.services.errors import DomainError, NotFound
from factcheck.views.common import actor

bp = Blueprint("users", __name__, url_prefix="/users")


def _page(new_form: NewUserForm | None = None, status: int = 200, problem: str | None = None):
    people = users.all_users(db.session)
    role_forms = {u.id: RolesForm(formdata=None, prefix=f"u{u.id}", roles=sorted(u.roles)) for u in people}
    return render_template("users/index.html", people=people, new_form=new_form or NewUserForm(formdata=None),
                           role_forms=role_forms, action_form=ActionForm(formdata=None), problem=problem), status


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such user.")
    return user


@bp.get("")
@login_required
def index():
    require(actor(), Action.USERS_MANAGE)
    return _page()


@bp.post("")
@login_required
def create():
    require(actor(), Action.USERS_MANAGE)
    form = NewUserForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    try:
        user = users.create_user(db.session, actor=actor(), email=form.email.data, password=form.password.data,
                                 roles=form.roles.data, display_name=form.display_name.data)
    except DomainError as error:
        if error.status_code == 403:
            raise
        form.email.errors.append(error.message)
        return _page(form, 422)
    flash(f"{user.display_name} can now sign in as {user.email}.", "success")
    return redirect(url_for("users.index"))


@bp.post("/<int:user_id>/roles")
@login_required
def set_roles(user_id: int):
    require(actor(), Action.USERS_MANAGE)
    user = _user(user_id)
    form = RolesForm(prefix=f"u{user_id}")
    if not form.validate_on_submit():
        return _page(status=422, problem=f"{user.display_name} needs at least one role.")
    try:
        users.set_roles(db.session, actor=actor(), user=user, roles=form.roles.data)
    except DomainError as error:
        if error.status_code == 403:
            raise
        return _page(status=error.status_code, problem=error.message)
    flash(f"Roles of {user.display_name} saved.", "success")
    return redirect(url_for("users.index"))


@bp.post("/<int:user_id>/<any(activate, deactivate):change>")
@login_required
def set_active(user_id: int, change: str):
    require(actor(), Action.USERS_MANAGE)
    user = _user(user_id)
    if ActionForm().validate_on_submit():
        try:
            users.set_active(db.session, actor=actor(), user=user, active=change == "activate")
        except DomainError as error:
            if error.status_code == 403:
                raise
            return _page(status=error.status_code, problem=error.message)
        flash(f"{user.display_name} {'can sign in again' if change == 'activate' else 'can no longer sign in'}.", "success")
    return redirect(url_for("users.index"))
