"""Notifications: what a person should look at next. Created inside the write that causes them."""
from __future__ import annotations

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import joinedload

from factcheck.errors import NotFound
from factcheck.models import Claim, Notification, User
from factcheck.services import audit, mail
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction


def notify(ctx: Context, *, recipient: User | int, kind: str, message: str, actor: User | None = None,
           claim: Claim | None = None) -> Notification | None:
    """Queue a notification in the caller's transaction; nobody is notified of their own action."""
    recipient_id = recipient if isinstance(recipient, int) else recipient.id
    if actor is not None and recipient_id == actor.id:
        return None
    notification = Notification(
        user_id=recipient_id, actor_id=actor.id if actor else None, kind=kind, message=message[:500],
        claim_id=claim.id if claim else None, article_id=claim.article_id if claim else None,
    )
    ctx.session.add(notification)
    mail.queue(ctx, notification, recipient=recipient, actor=actor, claim=claim)  # its e-mail, same transaction
    return notification


def mark_claim_read(ctx: Context, *, actor: User, claim_id: int) -> int:
    """Opening a claim reads its notifications (assignment, mention, review…); audited when any were.
    Most views find none: that costs one indexed read, never a write."""
    unread = (Notification.user_id == actor.id, Notification.claim_id == claim_id, Notification.read_at.is_(None))
    if not ctx.session.scalar(select(exists().where(*unread))):
        return 0
    with transaction(ctx.session):
        result = ctx.session.execute(
            update(Notification)
            .where(Notification.user_id == actor.id, Notification.claim_id == claim_id, Notification.read_at.is_(None))
            .values(read_at=ctx.now())
        )
        count = getattr(result, "rowcount", 0) or 0
        if count:
            audit.record(ctx, actor=actor, action="notifications.read", object_type="claim", object_id=claim_id,
                         changes={"unread": {"before": count, "after": 0}})
    return count


def unread_count(session: DbSession, user: User) -> int:
    return session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0


def recent(session: DbSession, user: User, limit: int = 100, *, before_id: int | None = None,
           unread_only: bool = False) -> list[Notification]:
    """The user's notifications, newest first; ``before_id`` pages towards older ones."""
    where = [Notification.user_id == user.id]
    if before_id is not None:
        where.append(Notification.id < before_id)
    if unread_only:
        where.append(Notification.read_at.is_(None))
    return list(session.scalars(
        select(Notification).options(joinedload(Notification.actor))
        .where(*where).order_by(Notification.id.desc()).limit(limit)
    ))


def get_own(session: DbSession, user: User, notification_id: int) -> Notification:
    """One of the user's own notifications; anyone else's is not there for them (404, not 403)."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound("There is no such notification.")
    return notification


def mark_read(ctx: Context, *, actor: User, notification: Notification) -> bool:
    """Mark one of the actor's notifications read; audited when it was unread. False when it
    already was (nothing changes, nothing is recorded)."""
    if notification.user_id != actor.id:
        raise NotFound("There is no such notification.")
    if notification.read_at is not None:
        return False
    with transaction(ctx.session):
        notification.read_at = ctx.now()
        audit.record(ctx, actor=actor, action="notifications.read", object_type="notification",
                     object_id=notification.id, changes={"unread": {"before": 1, "after": 0}})
    return True


def mark_all_read(ctx: Context, *, actor: User) -> int:
    """Mark the actor's unread notifications read; audited like every write."""
    with transaction(ctx.session):
        result = ctx.session.execute(
            update(Notification)
            .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
            .values(read_at=ctx.now())
        )
        count = getattr(result, "rowcount", 0) or 0
        audit.record(ctx, actor=actor, action="notifications.read", object_type="user", object_id=actor.id,
                     changes={"unread": {"before": count, "after": 0}})
    return count
