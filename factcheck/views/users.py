"""User administration: create users, set roles, deactivate, issue and revoke API tokens. Admins only
(DESIGN §4)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from factcheck.extensions import db
from factcheck.forms.articles import ActionForm
from factcheck.forms.users import NewUserForm, RolesForm
from factcheck.models.api_token import SCOPES
from factcheck.security import Action
from factcheck.services import tokens, users
from factcheck.views.common import actor, context, parse_id, shown_on_the_form

bp = Blueprint("users", __name__, url_prefix="/users")


def _page(new_form: NewUserForm | None = None, status: int = 200, problem: str | None = None,
          issued: tokens.Issued | None = None) -> tuple[str, int]:
    people = users.all_users(db.session)
    role_forms = {u.id: RolesForm(formdata=None, prefix=f"u{u.id}", roles=sorted(u.roles)) for u in people}
    return render_template("users/index.html", people=people, new_form=new_form or NewUserForm(formdata=None),
                           role_forms=role_forms, action_form=ActionForm(formdata=None), problem=problem,
                           api_tokens=tokens.tokens_of(db.session, people), issued=issued,
                           now=context().now(), scopes=SCOPES), status


@bp.before_request
@login_required
def _admins_only() -> None:
    context().require(actor(), Action.USERS_MANAGE)


@bp.get("")
def index() -> Any:
    return _page()


@bp.post("")
def create() -> Any:
    form = NewUserForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    with shown_on_the_form() as outcome:
        user = users.create_user(context(), actor=actor(), email=form.email.data, password=form.password.data,
                                 roles=form.roles.data, display_name=form.display_name.data)
    if outcome.error is not None:
        form.email.errors.append(outcome.error.message)
        return _page(form, 422)
    flash(f"{user.display_name} can now sign in as {user.email}.", "success")
    return redirect(url_for("users.index"))


@bp.post("/<id:user_id>/roles")
def set_roles(user_id: int) -> Any:
    user = users.get_user(db.session, user_id)
    form = RolesForm(prefix=f"u{user_id}")
    if not form.validate_on_submit():
        return _page(status=422, problem=f"{user.display_name} needs at least one role.")
    with shown_on_the_form() as outcome:
        users.set_roles(context(), actor=actor(), user=user, roles=form.roles.data)
    if outcome.error is not None:
        return _page(status=outcome.error.status_code, problem=outcome.error.message)
    flash(f"Roles of {user.display_name} saved.", "success")
    return redirect(url_for("users.index"))


@bp.post("/<id:user_id>/<any(activate, deactivate):change>")
def set_active(user_id: int, change: str) -> Any:
    user = users.get_user(db.session, user_id)
    if ActionForm().validate_on_submit():
        with shown_on_the_form() as outcome:
            users.set_active(context(), actor=actor(), user=user, active=change == "activate")
        if outcome.error is not None:
            return _page(status=outcome.error.status_code, problem=outcome.error.message)
        flash(f"{user.display_name} {'can sign in again' if change == 'activate' else 'can no longer sign in'}.",
              "success")
    return redirect(url_for("users.index"))


@bp.post("/<id:user_id>/email-notifications/<any(on, off):change>")
def set_email_notifications(user_id: int, change: str) -> Any:
    """An administrator stops (or restarts) someone's e-mail, e.g. for an address that bounces."""
    user = users.get_user(db.session, user_id)
    if ActionForm().validate_on_submit():
        users.set_email_notifications(context(), actor=actor(), user=user, on=change == "on")
        flash(f"E-mail notifications of {user.display_name} turned {change}.", "success")
    return redirect(url_for("users.index"))


# ---- API tokens: the secret is shown once, on the page that answers the issuing POST (never stored) ----

@bp.post("/tokens")
def issue_token() -> Any:
    if not ActionForm().validate_on_submit():
        return _page(status=400, problem="The form expired; please try again.")
    with shown_on_the_form() as outcome:
        user = users.get_user(db.session, parse_id(request.form.get("user_id")) or 0)
        issued = tokens.issue_token(context(), actor=actor(), user=user, name=request.form.get("name", ""),
                                    scopes=request.form.getlist("scopes"),
                                    days=parse_id(request.form.get("days")) or 0)
    if outcome.error is not None:
        return _page(status=outcome.error.status_code, problem=outcome.error.message)
    response = _page(status=201, issued=issued)
    return response[0], 201, {"Cache-Control": "no-store"}


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int) -> Any:
    token = tokens.get_token(db.session, token_id)
    if ActionForm().validate_on_submit():
        with shown_on_the_form() as outcome:
            tokens.revoke_token(context(), actor=actor(), token=token)
        if outcome.error is not None:
            return _page(status=outcome.error.status_code, problem=outcome.error.message)
        flash(f"Token “{token.name}” revoked; programs using it are refused from now on.", "success")
    return redirect(url_for("users.index"))
