"""Webhooks: admins register URLs for events; each event is queued in the transaction that made it
(an outbox, so a change and its delivery are committed together or not at all), then delivered
signed, retried with back-off, and every attempt logged with the receiver's answer.

Events come from the audit events the services already write, so no service has to know about
webhooks: an ``article.approved`` audit event queues ``article.approved`` deliveries, and so on.

Signature: ``X-Factcheck-Signature: sha256=<hex>``, the HMAC-SHA256 keyed with the webhook's secret
over ``<timestamp>.<body>``, with ``X-Factcheck-Timestamp`` (Unix seconds). A receiver recomputes it
and refuses a timestamp older than a few minutes, so a captured delivery cannot be replayed.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from factcheck.errors import NotFound, ValidationFailed
from factcheck.models import User, Webhook, WebhookDelivery
from factcheck.security.permissions import Action
from factcheck.services import audit
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction

# audit action -> webhook event
EVENTS_BY_ACTION = {
    "article.approved": "article.approved",
    "article.published": "article.published",
    "verdict.accepted": "claim.verdict_final",
    "claim.text_changed": "claim.text_changed",
}
EVENTS = tuple(sorted(set(EVENTS_BY_ACTION.values())))
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=30)  # then 1, 2, 4 minutes
TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Registered:
    webhook: Webhook
    secret: str  # shown once, to the admin who registered it


def register_webhook(ctx: Context, *, actor: User, url: str, events: list[str], active: bool = True) -> Registered:
    ctx.require(actor, Action.USERS_MANAGE)
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > 2000 or any(c.isspace() for c in url):
        raise ValidationFailed("The webhook URL must be an http:// or https:// address.", field="url")
    chosen = sorted(set(events))
    if not chosen or any(name not in EVENTS for name in chosen):
        raise ValidationFailed(f"Events must be among: {', '.join(EVENTS)}.", field="events")
    secret = "whsec_" + secrets.token_urlsafe(32)
    with transaction(ctx.session):
        webhook = Webhook(url=url, events=" ".join(chosen), secret=secret, active=active, created_at=ctx.now(),
                          created_by_id=actor.id)
        ctx.session.add(webhook)
        ctx.session.flush()
        audit.record(ctx, actor=actor, action="webhook.registered", object_type="webhook", object_id=webhook.id,
                     changes=audit.created({"url": url, "events": webhook.events, "active": active}))
    return Registered(webhook, secret)


def set_active(ctx: Context, *, actor: User, webhook: Webhook, active: bool) -> None:
    """Disable a webhook (its pending deliveries wait, unsent) or enable it again (they go out with
    the next round). Events that happen while it is disabled are not queued for it at all."""
    ctx.require(actor, Action.USERS_MANAGE)
    if webhook.active == active:
        return  # already so: asking twice (a retried request, a second tab) changes nothing
    with transaction(ctx.session):
        webhook.active = active
        audit.record(ctx, actor=actor, action="webhook.enabled" if active else "webhook.disabled",
                     object_type="webhook", object_id=webhook.id,
                     changes=audit.diff({"active": not active}, {"active": active}))


def delete_webhook(ctx: Context, *, actor: User, webhook: Webhook) -> None:
    """Remove a webhook and its delivery log (pending deliveries are never sent). The audit log keeps
    its registration and its removal."""
    ctx.require(actor, Action.USERS_MANAGE)
    with transaction(ctx.session):
        removed = ctx.session.execute(delete(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id))
        audit.record(ctx, actor=actor, action="webhook.deleted", object_type="webhook", object_id=webhook.id,
                     changes={"url": {"before": webhook.url, "after": None},
                              "events": {"before": webhook.events, "after": None},
                              "deliveries": {"before": int(getattr(removed, "rowcount", 0) or 0), "after": 0}})
        ctx.session.delete(webhook)


def get_webhook(session: DbSession, webhook_id: int) -> Webhook:
    webhook = session.get(Webhook, webhook_id)
    if webhook is None:
        raise NotFound("There is no such webhook.")
    return webhook


def all_webhooks(session: DbSession) -> list[Webhook]:
    return list(session.scalars(select(Webhook).order_by(Webhook.id)))


def deliveries(session: DbSession, webhook: Webhook, limit: int = 100, *,
               before_id: int | None = None) -> list[WebhookDelivery]:
    """A webhook's deliveries, newest first; ``before_id`` pages towards older ones."""
    stmt = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)
    if before_id is not None:
        stmt = stmt.where(WebhookDelivery.id < before_id)
    return list(session.scalars(stmt.order_by(WebhookDelivery.id.desc()).limit(limit)))


def delivery_counts(session: DbSession) -> dict[int, dict[str, int]]:
    """Each webhook's deliveries by status ({webhook id: {"pending": n, …}}), in one query."""
    counts: dict[int, dict[str, int]] = {}
    for webhook_id, status, count in session.execute(
            select(WebhookDelivery.webhook_id, WebhookDelivery.status, func.count(WebhookDelivery.id))
            .group_by(WebhookDelivery.webhook_id, WebhookDelivery.status)):
        counts.setdefault(webhook_id, {})[status] = count
    return counts


# ---- the outbox: deliveries queued with the change -------------------------------------------------

def _payload(name: str, audit_event: dict[str, Any]) -> dict[str, Any]:
    claim_id = audit_event["object_id"] if audit_event["object_type"] == "claim" else None
    payload: dict[str, Any] = {
        "event": name, "occurred_at": audit_event["created_at"].isoformat(), "article_id": audit_event["article_id"],
        "claim_id": claim_id, "actor": audit_event["actor_label"], "changes": audit_event["changes"],
        "links": {"article": f"/api/v1/articles/{audit_event['article_id']}"},
    }
    if claim_id is not None:
        payload["links"]["claim"] = f"/api/v1/claims/{claim_id}"
    return payload


@audit.on_link
def _queue_deliveries(session: Session, events: list[dict[str, Any]]) -> None:
    """Queue the deliveries of the events a commit links, in that commit (audit.on_link)."""
    wanted = [(EVENTS_BY_ACTION[row["action"]], row) for row in events if row["action"] in EVENTS_BY_ACTION]
    if not wanted:
        return
    with session.no_autoflush:
        hooks = list(session.scalars(select(Webhook).where(Webhook.active.is_(True))))
    for name, audit_event in wanted:
        for webhook in hooks:
            if name in webhook.event_set:
                session.add(WebhookDelivery(webhook_id=webhook.id, event=name, payload=_payload(name, audit_event),
                                            status="pending", attempts=0, created_at=audit_event["created_at"],
                                            next_attempt_at=audit_event["created_at"]))


# ---- sending ---------------------------------------------------------------------------------------

def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


@dataclass(frozen=True)
class Answer:
    status: int | None
    body: str
    error: str | None = None


Sender = Callable[[str, bytes, dict[str, str]], Answer]


def http_post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return Answer(response.status, response.read(2000).decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(2000).decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError, ValueError) as error:
        return Answer(None, "", f"{type(error).__name__}: {error}")


def deliver_due(ctx: Context, *, send: Sender = http_post, limit: int = 100) -> int:
    """Attempt pending deliveries that are due, one at a time; returns how many were attempted.

    Each is taken with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL), so several app processes delivering at
    once never send the same one twice, and its attempt is logged on it (status, the receiver's
    status and the start of its answer) and committed before the next. These are not audit events:
    the audit log records the changes, this table their deliveries."""
    attempted = 0
    # A disabled webhook's deliveries wait (unsent) until it is enabled again.
    while attempted < limit:
        now = ctx.now()
        with transaction(ctx.session):
            delivery = ctx.session.scalar(
                select(WebhookDelivery)
                .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now,
                       WebhookDelivery.webhook_id.in_(select(Webhook.id).where(Webhook.active.is_(True))))
                .order_by(WebhookDelivery.id).limit(1).with_for_update(skip_locked=True))
            if delivery is None:
                break
            _attempt(delivery, now, send)
        attempted += 1
    return attempted


def _attempt(delivery: WebhookDelivery, now: datetime, send: Sender) -> None:
    webhook = delivery.webhook
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
    timestamp = int(now.timestamp())
    answer = send(webhook.url, body, {
        "Content-Type": "application/json", "User-Agent": "factcheck-webhooks/1",
        "X-Factcheck-Event": delivery.event, "X-Factcheck-Delivery": str(delivery.id),
        "X-Factcheck-Timestamp": str(timestamp), "X-Factcheck-Signature": signature(webhook.secret, timestamp, body),
    })
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = answer.status
    delivery.response_body = answer.body[:2000]
    delivery.error = answer.error
    if answer.status is not None and 200 <= answer.status < 300:
        delivery.status = "delivered"
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = "failed"
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)


def next_attempt(delivery: WebhookDelivery) -> datetime | None:
    """When the delivery will be tried again; None once it is delivered or given up."""
    return delivery.next_attempt_at if delivery.status == "pending" else None


def last_error(delivery: WebhookDelivery) -> str | None:
    """Why the last attempt failed: the connection's error, or the start of a non-2xx answer."""
    if delivery.error:
        return delivery.error
    if delivery.response_status is not None and not 200 <= delivery.response_status < 300:
        return f"HTTP {delivery.response_status}: {(delivery.response_body or '').strip()[:200]}".rstrip(": ")
    return None


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the ``attempts``-th failed attempt: 30 s, 1, 2, 4 minutes."""
    return FIRST_RETRY * 2 ** (attempts - 1)
