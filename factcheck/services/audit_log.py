"""Reading the audit trail: filtered, keyset-paginated listings and per-object timelines."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from factcheck.models import AuditEvent, User
from factcheck.security.permissions import Action, require


@dataclass(frozen=True)
class Page:
    events: list[AuditEvent]
    next_before_id: int | None


def list_events(session: Session, *, viewer: User, before_id: int | None = None, limit: int = 50,
                article_id: int | None = None, action: str | None = None, actor_id: int | None = None) -> Page:
    """Newest first. Keyset on the id so the thousandth page costs what the first does."""
    require(viewer, Action.AUDIT_READ)
    stmt = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc()).limit(limit + 1)
    if before_id is not None:
        stmt = stmt.where(AuditEvent.id < before_id)
    if article_id is not None:
        stmt = stmt.where(AuditEvent.article_id == article_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    rows = list(session.scalars(stmt))
    has_more = len(rows) > limit
    events = rows[:limit]
    return Page(events, events[-1].id if has_more and events else None)


def object_timeline(session: Session, object_type: str, object_id: int) -> list[AuditEvent]:
    """Everything that happened to one object, oldest first (read access is the object's own)."""
    stmt = (
        select(AuditEvent)
        .options(joinedload(AuditEvent.actor))
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
        .order_by(AuditEvent.id)
    )
    return list(session.scalars(stmt))
