"""Notifications: what a person should look at next. Created inside the write that causes them."""
from __future__ import annotations

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import joinedload

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


def recent(session: DbSession, user: User, limit: int = 100) -> list[Notification]:
    return list(session.scalars(
        select(Notification).options(joinedload(Notification.actor))
        .where(Notification.user_id == user.id).order_by(Notification.id.desc()).limit(limit)
    ))


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
