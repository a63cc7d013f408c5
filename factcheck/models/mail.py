"""E-mails of notifications: an outbox written with the change, emptied by the mail job."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from factcheck.models.notification import Notification
    from factcheck.models.user import User


class OutgoingEmail(Base):
    """One e-mail to one person, queued in the transaction of the notification it tells about, so an
    e-mail is never sent about a change that was rolled back, and never lost for one that was
    committed. Subject and body are written when it is queued: they tell what happened then."""

    __tablename__ = "outgoing_emails"
    # What the mail job asks for: pending e-mails whose attempt is due.
    __table_args__ = (Index("ix_outgoing_emails_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(30))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    # pending, sent, failed (given up), skipped (the person turned e-mail off or left before it went)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)

    recipient: Mapped[User] = relationship()
    notification: Mapped[Notification | None] = relationship()
