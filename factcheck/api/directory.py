"""The audit log (managers and admins), the users (admins, read-only) and the webhooks (admins)."""
from __future__ import annotations

from typing import Any

from factcheck.api import schemas
from factcheck.api.core import bp, checked_id, ctx, decode_cursor, encode_cursor, page_links, user
from factcheck.extensions import db
from factcheck.models import AuditEvent, User, Webhook
from factcheck.security.permissions import Action
from factcheck.services import audit_log, webhooks
from factcheck.services import users as user_service


def event_out(event: AuditEvent) -> dict[str, Any]:
    return {field: getattr(event, field) for field in (
        "id", "created_at", "actor_id", "actor_label", "action", "object_type", "object_id", "article_id", "changes",
        "request_id", "ip_address", "hash", "prev_hash")}


def user_out(person: User) -> dict[str, Any]:
    return {"id": person.id, "email": person.email, "display_name": person.display_name,
            "roles": sorted(role.value for role in person.roles), "active": person.is_active_account}


@bp.get("/audit")
@bp.doc(tags=["audit"], summary="The audit log, newest first (managers and admins)")
@bp.arguments(schemas.AuditArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.AuditPage)
def audit(cursor: str | None, limit: int, action: str | None, article: int | None, actor: int | None) -> Any:
    filters = audit_log.Filters(actor_id=actor, action=action, article_id=article)
    page = audit_log.list_events(db.session, viewer=user(), filters=filters, before_id=decode_cursor(cursor),
                                 limit=limit)
    next_cursor = encode_cursor(page.older_before_id)
    return ({"items": [event_out(e) for e in page.events], "next_cursor": next_cursor},
            page_links(next_cursor, limit=limit, action=action, article=article, actor=actor))


@bp.get("/users")
@bp.doc(tags=["users"], summary="The newsroom's users and their roles (admins)")
@bp.response(200, schemas.UserPage)
def users() -> Any:
    ctx().require(user(), Action.USERS_MANAGE)
    return {"items": [user_out(person) for person in user_service.all_users(db.session)]}


@bp.get("/users/<int:user_id>")
@bp.doc(tags=["users"], summary="One user (admins)")
@bp.response(200, schemas.UserOut)
def get_user(user_id: int) -> Any:
    ctx().require(user(), Action.USERS_MANAGE)
    return user_out(user_service.get_user(db.session, checked_id(user_id)))


# ---- webhooks (admins) ------------------------------------------------------------------------------

def webhook_out(webhook: Webhook, secret: str | None = None) -> dict[str, Any]:
    out = {"id": webhook.id, "url": webhook.url, "events": sorted(webhook.event_set), "active": webhook.active,
           "created_at": webhook.created_at}
    if secret is not None:
        out["secret"] = secret
    return out


@bp.post("/webhooks")
@bp.doc(tags=["webhooks"], summary="Register a URL for events; the signing secret is in this answer only")
@bp.arguments(schemas.WebhookCreate)
@bp.response(201, schemas.WebhookOut)
def register_webhook(body: dict[str, Any]) -> Any:
    registered = webhooks.register_webhook(ctx(), actor=user(), url=body["url"], events=body["events"])
    return webhook_out(registered.webhook, registered.secret), {"Cache-Control": "no-store"}


@bp.get("/webhooks")
@bp.doc(tags=["webhooks"], summary="The registered webhooks (admins)")
@bp.response(200, schemas.WebhookPage)
def list_webhooks() -> Any:
    ctx().require(user(), Action.USERS_MANAGE)
    return {"items": [webhook_out(w) for w in webhooks.all_webhooks(db.session)]}


@bp.post("/webhooks/<int:webhook_id>/disable")
@bp.doc(tags=["webhooks"], summary="Stop delivering to a webhook")
@bp.response(200, schemas.WebhookOut)
def disable_webhook(webhook_id: int) -> Any:
    ctx().require(user(), Action.USERS_MANAGE)
    webhook = webhooks.get_webhook(db.session, checked_id(webhook_id))
    webhooks.disable_webhook(ctx(), actor=user(), webhook=webhook)
    return webhook_out(webhook)


@bp.get("/webhooks/<int:webhook_id>/deliveries")
@bp.doc(tags=["webhooks"], summary="The latest deliveries to a webhook and the receiver's answers")
@bp.response(200, schemas.DeliveryPage)
def webhook_deliveries(webhook_id: int) -> Any:
    ctx().require(user(), Action.USERS_MANAGE)
    webhook = webhooks.get_webhook(db.session, checked_id(webhook_id))
    return {"items": [{field: getattr(d, field) for field in (
        "id", "event", "payload", "status", "attempts", "created_at", "next_attempt_at", "last_attempt_at",
        "response_status", "response_body", "error")} for d in webhooks.deliveries(db.session, webhook)]}
