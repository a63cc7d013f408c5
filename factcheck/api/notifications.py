"""The token's user's own notifications: list them, mark one read, mark all read. Another person's
notification is not there for them (404)."""
from __future__ import annotations

from typing import Any

from factcheck.api import PREFIX, schemas
from factcheck.api.core import bp, checked_id, ctx, decode_cursor, encode_cursor, page_links, user
from factcheck.extensions import db
from factcheck.models import Notification
from factcheck.security.permissions import Action
from factcheck.services import notifications


def notification_out(item: Notification) -> dict[str, Any]:
    out: dict[str, Any] = {field: getattr(item, field) for field in (
        "id", "kind", "message", "actor_id", "claim_id", "article_id", "created_at", "read_at")}
    links = {"self": f"{PREFIX}/notifications/{item.id}"}
    if item.claim_id:
        links["claim"] = f"{PREFIX}/claims/{item.claim_id}"
    if item.article_id:
        links["article"] = f"{PREFIX}/articles/{item.article_id}"
    out["links"] = links
    return out


@bp.get("/notifications")
@bp.doc(tags=["notifications"], summary="My notifications, newest first")
@bp.arguments(schemas.NotificationArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.NotificationPage)
def list_notifications(cursor: str | None, limit: int, unread: bool) -> Any:
    ctx().require(user(), Action.READ)
    rows = notifications.recent(db.session, user(), limit + 1, before_id=decode_cursor(cursor), unread_only=unread)
    items = rows[:limit]
    next_cursor = encode_cursor(items[-1].id) if len(rows) > limit and items else None
    return ({"items": [notification_out(n) for n in items], "next_cursor": next_cursor,
             "unread": notifications.unread_count(db.session, user())},
            page_links(next_cursor, limit=limit, unread="true" if unread else None))


@bp.get("/notifications/<int:notification_id>")
@bp.doc(tags=["notifications"], summary="One of my notifications")
@bp.response(200, schemas.NotificationOut)
def get_notification(notification_id: int) -> Any:
    ctx().require(user(), Action.READ)
    return notification_out(notifications.get_own(db.session, user(), checked_id(notification_id)))


@bp.post("/notifications/<int:notification_id>/read")
@bp.doc(tags=["notifications"], summary="Mark one of my notifications read (already read: unchanged)")
@bp.response(200, schemas.NotificationOut)
def mark_read(notification_id: int) -> Any:
    ctx().require(user(), Action.READ)
    item = notifications.get_own(db.session, user(), checked_id(notification_id))
    notifications.mark_read(ctx(), actor=user(), notification=item)
    return notification_out(item)


@bp.post("/notifications/read")
@bp.doc(tags=["notifications"], summary="Mark all my notifications read")
@bp.response(200, schemas.MarkedRead)
def mark_all_read() -> Any:
    ctx().require(user(), Action.READ)
    return {"marked": notifications.mark_all_read(ctx(), actor=user())}
