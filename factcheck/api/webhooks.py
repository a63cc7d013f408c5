"""Webhooks, for admins: register a URL for events (the signing secret is in that answer only),
read them, disable or enable, delete, and read each one's delivery log. Delivery itself is
``services.webhooks.deliver_due``, run off the request path."""
from __future__ import annotations

from typing import Any

from flask import Response

from factcheck.api import PREFIX, schemas
from factcheck.api.core import bp, checked_id, ctx, decode_cursor, encode_cursor, page_links, user
from factcheck.extensions import db
from factcheck.models import Webhook
from factcheck.security.permissions import Action
from factcheck.services import webhooks

DELIVERY_FIELDS = ("id", "event", "payload", "status", "attempts", "created_at", "next_attempt_at", "last_attempt_at",
                   "response_status", "response_body", "error")


def webhook_out(webhook: Webhook, counts: dict[str, int] | None = None, secret: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": webhook.id, "url": webhook.url, "events": sorted(webhook.event_set),
                           "active": webhook.active, "created_at": webhook.created_at,
                           "created_by_id": webhook.created_by_id, "deliveries": counts or {}}
    if secret is not None:
        out["secret"] = secret
    return out


def _load(webhook_id: int) -> Webhook:
    ctx().require(user(), Action.USERS_MANAGE)
    return webhooks.get_webhook(db.session, checked_id(webhook_id))


@bp.post("/webhooks")
@bp.doc(tags=["webhooks"], summary="Register a URL for events; the signing secret is in this answer only")
@bp.arguments(schemas.WebhookCreate)
@bp.response(201, schemas.WebhookOut)
def register_webhook(body: dict[str, Any]) -> Any:
    registered = webhooks.register_webhook(ctx(), actor=user(), url=body["url"], events=body["events"],
                                           active=body["active"])
    return (webhook_out(registered.webhook, secret=registered.secret),
            {"Cache-Control": "no-store", "Location": f"{PREFIX}/webhooks/{registered.webhook.id}"})


@bp.get("/webhooks")
@bp.doc(tags=["webhooks"], summary="The registered webhooks, with their deliveries counted by status (admins)")
@bp.response(200, schemas.WebhookPage)
def list_webhooks() -> Any:
    ctx().require(user(), Action.USERS_MANAGE)
    counts = webhooks.delivery_counts(db.session)
    return {"items": [webhook_out(w, counts.get(w.id)) for w in webhooks.all_webhooks(db.session)]}


@bp.get("/webhooks/<int:webhook_id>")
@bp.doc(tags=["webhooks"], summary="One webhook (admins)")
@bp.response(200, schemas.WebhookOut)
def get_webhook(webhook_id: int) -> Any:
    webhook = _load(webhook_id)
    return webhook_out(webhook, webhooks.delivery_counts(db.session).get(webhook.id))


def _set_active(webhook_id: int, active: bool) -> Any:
    webhook = _load(webhook_id)
    webhooks.set_active(ctx(), actor=user(), webhook=webhook, active=active)
    return webhook_out(webhook, webhooks.delivery_counts(db.session).get(webhook.id))


@bp.post("/webhooks/<int:webhook_id>/disable")
@bp.doc(tags=["webhooks"], summary="Stop delivering to a webhook: new events are not queued for it, pending "
        "deliveries wait")
@bp.response(200, schemas.WebhookOut)
def disable_webhook(webhook_id: int) -> Any:
    return _set_active(webhook_id, False)


@bp.post("/webhooks/<int:webhook_id>/enable")
@bp.doc(tags=["webhooks"], summary="Deliver to a disabled webhook again (its waiting deliveries go out first)")
@bp.response(200, schemas.WebhookOut)
def enable_webhook(webhook_id: int) -> Any:
    return _set_active(webhook_id, True)


@bp.delete("/webhooks/<int:webhook_id>")
@bp.doc(tags=["webhooks"], summary="Delete a webhook and its delivery log (the audit log keeps both its "
        "registration and its deletion)")
@bp.response(204)
def delete_webhook(webhook_id: int) -> Any:
    webhooks.delete_webhook(ctx(), actor=user(), webhook=_load(webhook_id))
    return Response(status=204)


@bp.get("/webhooks/<int:webhook_id>/deliveries")
@bp.doc(tags=["webhooks"], summary="A webhook's deliveries, newest first, with the receiver's answers")
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.DeliveryPage)
def webhook_deliveries(cursor: str | None, limit: int, webhook_id: int) -> Any:
    webhook = _load(webhook_id)
    rows = webhooks.deliveries(db.session, webhook, limit + 1, before_id=decode_cursor(cursor))
    items = rows[:limit]
    next_cursor = encode_cursor(items[-1].id) if len(rows) > limit and items else None
    return ({"items": [{field: getattr(d, field) for field in DELIVERY_FIELDS} for d in items],
             "next_cursor": next_cursor}, page_links(next_cursor, limit=limit))
