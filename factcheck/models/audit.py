from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck.models.base import Base, UTCDateTime, utcnow
from factcheck.models.user import User

GENESIS_HASH = "0" * 64
# How an event's hash was made: unkeyed SHA-256 (events written before migration 0005) or HMAC-SHA256
# with the audit key from the configuration (every event since).
HASH_ALG_LEGACY = "sha256"
HASH_ALG_KEYED = "hmac-sha256"


class AuditEvent(Base):
    """One append-only, hash-chained record of a write.

    Database triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL); the unique ``prev_hash``
    and ``seq`` mean two writers can never both extend the same event, so the chain cannot fork.
    ``seq`` is the event's position in the chain (1 for the first), so a count can be anchored.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_article_id_id", "article_id", "id"),
        Index("ix_audit_events_object", "object_type", "object_id", "id"),
        Index("ix_audit_events_actor_id_id", "actor_id", "id"),
        Index("ix_audit_events_action_id", "action", "id"),
        Index("uq_audit_events_seq", "seq", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    article_id: Mapped[int | None]
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(64))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash_alg: Mapped[str] = mapped_column(String(20), server_default=HASH_ALG_LEGACY)
    # Nullable only because SQLite cannot add a NOT NULL column to a filled table in place; the
    # migration numbers every existing event and ``audit.verify`` requires an unbroken sequence.
    seq: Mapped[int | None] = mapped_column(BigInteger)

    actor: Mapped[User | None] = relationship()
