from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck.models.base import Base, TimestampMixin, UTCDateTime, utcnow

if TYPE_CHECKING:
    from factcheck.models.claim import Claim
    from factcheck.models.user import User


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    IN_CHECK = "in_check"
    READY = "ready"
    APPROVED = "approved"
    PUBLISHED = "published"


class Article(TimestampMixin, Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    outlet: Mapped[str] = mapped_column(String(200), default="")
    byline: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(16), default="en")
    source_url: Mapped[str] = mapped_column(String(2000), default="")
    # Where the article was published (set when it is marked published): ClaimReview's appearance.
    published_url: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), default=ArticleStatus.DRAFT, index=True)
    # The revision cycle (article -> current revision -> article) needs use_alter to be creatable.
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True, ondelete="SET NULL")
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    current_revision: Mapped[Revision | None] = relationship(foreign_keys=[current_revision_id], post_update=True)
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="article", foreign_keys="Revision.article_id", order_by="Revision.number"
    )
    # Nested claims can start at the same place: the id breaks the tie, so every reader lists them alike.
    claims: Mapped[list[Claim]] = relationship(back_populates="article", order_by="[Claim.start, Claim.id]")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    @property
    def text(self) -> str:
        return self.current_revision.text if self.current_revision else ""


class Revision(Base):
    """The article's full text at one moment. Text is never edited in place."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    # How the text came in ("paste", "txt", "md", "html", "docx") and the uploaded file's name.
    source_format: Mapped[str] = mapped_column(String(10), default="paste", server_default="paste")
    source_filename: Mapped[str | None] = mapped_column(String(255))
    # Page furniture set aside from this text (image credits, related-headline lists…), as
    # [{"start", "end", "text", "reason"}]. The text keeps them, so offsets stay true.
    furniture: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    article: Mapped[Article] = relationship(back_populates="revisions", foreign_keys=[article_id])
    created_by: Mapped[User] = relationship()
