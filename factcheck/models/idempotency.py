"""Idempotency keys: which form submissions have already been carried out (issue 12, point 5)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from factcheck.models.base import Base, UTCDateTime


class IdempotencyKey(Base):
    """One form submission that changed something (factcheck/services/idempotency.py).

    ``key`` stands for the key the page gave the form together with what was sent in it, so the
    same key sent again with other content (a stale page) is another submission. The row is written
    in the transaction of the change, so it exists exactly when the change does, and its primary key
    turns away a second copy of the submission committing at the same time. ``location`` is where
    the first answer sent the person, so a retry is sent to the same place."""

    __tablename__ = "idempotency_keys"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str | None] = mapped_column(String(500))
