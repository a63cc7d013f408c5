from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from factcheck.models.base import Base, UTCDateTime


class DueReminder(Base):
    """A "due tomorrow" or "overdue" reminder already sent for a claim's due date. The unique key
    makes the reminder run idempotent, also when two runners overlap: a second insert fails."""

    __tablename__ = "due_reminders"
    __table_args__ = (UniqueConstraint("claim_id", "kind", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    due_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
