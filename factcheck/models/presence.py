from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck.models.base import Base, UTCDateTime

if TYPE_CHECKING:
    from factcheck.models.user import User


class ClaimPresence(Base):
    """Who has a claim open in a page where they can change it, as last told by their browser's
    heartbeat. One row per person and claim; ``since`` starts again after a gap in the heartbeats.
    In the database rather than in a server's memory, so every app server sees every heartbeat."""

    __tablename__ = "claim_presence"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime())
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
