"""Notifications: what a person should look at next. Created inside the write that causes them, or
by the reminder run (``notify_due``) that a scheduler or ``flask notify-due`` starts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from factcheck.errors import NotFound
from factcheck.models import Claim, DueReminder, Notification, User
from factcheck.services import audit, mail
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction
from factcheck.services.workflow import UNSETTLED


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


# Every view of a claim page asks it: built once, the reader and the claim bound parameters (building the
# condition and its cache key on every view cost more than the indexed read itself, issue 15).
UNREAD_OF_CLAIM = exists().where(Notification.user_id == bindparam("user_id"),
                                Notification.claim_id == bindparam("claim_id"), Notification.read_at.is_(None))
_ANY_UNREAD_OF_CLAIM = select(UNREAD_OF_CLAIM)


def mark_claim_read(ctx: Context, *, actor: User, claim_id: int, unread: bool | None = None) -> int:
    """Opening a claim reads its notifications (assignment, mention, review…); audited when any were.
    Most views find none: that costs one indexed read, never a write. ``unread``: whether any is, when
    the caller has read ``UNREAD_OF_CLAIM`` with another statement of its own (the claim page does)."""
    if unread is None:
        # Read on the session's connection: the ORM session's execution path cost more than this indexed
        # read (issue 15). The flush is what its autoflush would have done.
        ctx.session.flush()
        unread = bool(ctx.session.connection().scalar(_ANY_UNREAD_OF_CLAIM, {"user_id": actor.id, "claim_id": claim_id}))
    if not unread:
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


@dataclass
class Group:
    """The notifications about one claim (``claim`` None: those about no claim), newest first."""

    claim: Claim | None
    items: list[Notification] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def unread(self) -> int:
        return sum(1 for n in self.items if n.read_at is None)

    @property
    def newest(self) -> Notification:
        return self.items[0]


def grouped(session: DbSession, user: User, limit: int = 100) -> list[Group]:
    """The person's latest notifications by claim: one group per claim with its newest first, and the
    groups ordered by their newest notification; those about no claim together in a group of their
    own. Two statements whatever the number of claims."""
    items = recent(session, user, limit)
    claim_ids = {n.claim_id for n in items if n.claim_id is not None}
    claims = {c.id: c for c in session.scalars(
        select(Claim).options(joinedload(Claim.article)).where(Claim.id.in_(claim_ids)))} if claim_ids else {}
    groups: dict[int | None, Group] = {}
    for notification in items:  # newest first, so groups come in the order of their newest item
        key = notification.claim_id if notification.claim_id in claims else None
        groups.setdefault(key, Group(claims.get(key) if key is not None else None)).items.append(notification)
    return list(groups.values())


# ---- due-date reminders ---------------------------------------------------------------------------

DUE_TOMORROW = "due_tomorrow"
OVERDUE = "overdue"


@dataclass(frozen=True)
class DueRun:
    due_tomorrow: int = 0
    overdue: int = 0


def _due_claims(session: DbSession, kind: str, today: date) -> list[Claim]:
    """Unsettled, assigned claims due tomorrow (or overdue), not yet reminded of for this due date."""
    when = Claim.due_date == today + timedelta(days=1) if kind == DUE_TOMORROW else Claim.due_date < today
    reminded = exists().where(DueReminder.claim_id == Claim.id, DueReminder.kind == kind,
                              DueReminder.due_date == Claim.due_date)
    return list(session.scalars(
        select(Claim).options(joinedload(Claim.assignee))
        .where(when, Claim.assignee_id.is_not(None), Claim.status.in_([s.value for s in UNSETTLED]), ~reminded)
        .order_by(Claim.due_date, Claim.id)
    ))


def _message(kind: str, claim: Claim) -> str:
    due = claim.due_date.strftime("%-d %b") if claim.due_date else ""
    if kind == DUE_TOMORROW:
        return f"Claim {claim.id} is due tomorrow ({due}): “{claim.label}”"
    return f"Claim {claim.id} is overdue (it was due {due}): “{claim.label}”"


def notify_due(ctx: Context, now: datetime | None = None) -> DueRun:
    """Remind each unsettled claim's assignee the day before it is due, and once it is overdue: one
    notification per claim, kind and due date, however often this runs (a new due date is a new
    reminder). Each reminder is its own transaction with its audit event (``claim.reminded``, by the
    system); a reminder another run wrote meanwhile is skipped (the unique key refuses a second)."""
    today = (now or ctx.now()).date()
    sent = {DUE_TOMORROW: 0, OVERDUE: 0}
    for kind in (DUE_TOMORROW, OVERDUE):
        for claim in _due_claims(ctx.session, kind, today):
            assert claim.due_date is not None and claim.assignee is not None  # selected so
            try:
                with transaction(ctx.session):
                    ctx.session.add(DueReminder(claim_id=claim.id, kind=kind, due_date=claim.due_date,
                                                created_at=ctx.now()))
                    ctx.session.flush()
                    notify(ctx, recipient=claim.assignee, kind=kind, message=_message(kind, claim), claim=claim)
                    audit.record(ctx, actor=None, actor_label="system", action="claim.reminded", object_type="claim",
                                 object_id=claim.id, article_id=claim.article_id,
                                 changes=audit.created({"reminder": kind, "due_date": claim.due_date,
                                                        "assignee_id": claim.assignee_id}))
            except IntegrityError:
                continue  # another run sent this one
            sent[kind] += 1
    return DueRun(sent[DUE_TOMORROW], sent[OVERDUE])
