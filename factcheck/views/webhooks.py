"""Webhooks for admins: list them, register one (its signing secret shown once, on the page that
answers the form), disable, enable or delete it, and read each one's delivery log. The same
services as the API's /webhooks; delivery itself runs off the request path."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required

from factcheck.extensions import db
from factcheck.forms.articles import ActionForm
from factcheck.forms.webhooks import WebhookForm
from factcheck.security import Action
from factcheck.services import webhooks
from factcheck.views.common import actor, context, int_arg, shown_on_the_form

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
DELIVERIES_PER_PAGE = 50


@bp.before_request
@login_required
def _admins_only() -> None:
    context().require(actor(), Action.USERS_MANAGE)


def _page(form: WebhookForm | None = None, status: int = 200, registered: webhooks.Registered | None = None,
          problem: str | None = None) -> tuple[str, int]:
    return render_template("webhooks/index.html", hooks=webhooks.all_webhooks(db.session),
                           counts=webhooks.delivery_counts(db.session), form=form or WebhookForm(formdata=None),
                           action_form=ActionForm(formdata=None), registered=registered, problem=problem), status


@bp.get("")
def index() -> Any:
    return _page()


@bp.post("")
def register() -> Any:
    form = WebhookForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    with shown_on_the_form() as outcome:
        registered = webhooks.register_webhook(context(), actor=actor(), url=form.url.data, events=form.events.data,
                                               active=form.active.data)
    if outcome.error is not None:
        field = outcome.error.details.get("field")
        getattr(form, field if field in ("url", "events") else "url").errors.append(outcome.error.message)
        return _page(form, outcome.error.status_code)
    # The secret is on this answer only (never in a redirect's flash, which the session would keep).
    html, _ = _page(registered=registered, status=201)
    return html, 201, {"Cache-Control": "no-store"}


@bp.get("/<id:webhook_id>")
def show(webhook_id: int) -> Any:
    webhook = webhooks.get_webhook(db.session, webhook_id)
    before = int_arg("before")
    rows = webhooks.deliveries(db.session, webhook, DELIVERIES_PER_PAGE + 1, before_id=before)
    items = rows[:DELIVERIES_PER_PAGE]
    older = items[-1].id if len(rows) > DELIVERIES_PER_PAGE and items else None
    return render_template("webhooks/show.html", webhook=webhook, deliveries=items, older=older,
                           newest=before is not None, counts=webhooks.delivery_counts(db.session).get(webhook.id, {}),
                           action_form=ActionForm(formdata=None), next_attempt=webhooks.next_attempt,
                           last_error=webhooks.last_error)


@bp.post("/<id:webhook_id>/<any(enable, disable):change>")
def set_active(webhook_id: int, change: str) -> Any:
    webhook = webhooks.get_webhook(db.session, webhook_id)
    if ActionForm().validate_on_submit():
        webhooks.set_active(context(), actor=actor(), webhook=webhook, active=change == "enable")
        flash(f"Webhook {webhook.url} {'enabled: deliveries resume' if change == 'enable' else 'disabled'}.",
              "success")
    return redirect(url_for("webhooks.show", webhook_id=webhook_id))


@bp.post("/<id:webhook_id>/delete")
def delete(webhook_id: int) -> Any:
    webhook = webhooks.get_webhook(db.session, webhook_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("webhooks.show", webhook_id=webhook_id))
    url = webhook.url
    webhooks.delete_webhook(context(), actor=actor(), webhook=webhook)
    flash(f"Webhook {url} deleted with its delivery log.", "success")
    return redirect(url_for("webhooks.index"))
