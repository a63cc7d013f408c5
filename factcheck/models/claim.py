from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck.models.base import Base, TimestampMixin, UTCDateTime

if TYPE_CHECKING:
    from factcheck.models.article import Article, Revision
    from factcheck.models.user import User


class ClaimStatus(StrEnum):
    SUGGESTED = "suggested"
    OPEN = "open"
    DISMISSED = "dismissed"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    PROPOSED = "proposed"
    FINAL = "final"
    ORPHANED = "orphaned"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}
# A priority's rank in SQL, written with literals: my queue orders by it, and the index in that order
# (``ix_claims_queue_order``) can serve only a statement that writes the very same expression.
PRIORITY_RANK_SQL = ("CASE priority " + " ".join(f"WHEN '{priority.value}' THEN {rank}"
                                                  for priority, rank in PRIORITY_RANK.items()) + " ELSE 9 END")
# The statuses of a checker's to-do list (``workflow.CHECKER_TO_DO``), as the queue's index holds them.
QUEUE_STATUSES_SQL = "status IN ('assigned', 'in_progress')"


class Resolution(StrEnum):
    CORRECTED = "corrected"
    KEPT_WITH_ATTRIBUTION = "kept_with_attribution"
    REMOVED = "removed"


class Claim(TimestampMixin, Base):
    __tablename__ = "claims"
    __table_args__ = (
        Index("ix_claims_assignee_status_due", "assignee_id", "status", "due_date"),
        Index("ix_claims_status_proposed_at", "status", "proposed_at"),
        # Keyset paging of the claims list, newest first, under its common filters.
        Index("ix_claims_status_id", "status", "id"),
        Index("ix_claims_assignee_id_id", "assignee_id", "id"),
        Index("ix_claims_verdict_id", "verdict", "id"),
        # The dashboard (issue 15): the period's new claims by status, the period's final claims, the
        # overdue list in its order with the status read from the index, each checker's open claims
        # (it leads with status, so it also serves every filter on status alone).
        Index("ix_claims_created_at_status", "created_at", "status"),
        Index("ix_claims_status_finalized_at", "status", "finalized_at"),
        Index("ix_claims_due_date_id_status", "due_date", "id", "status"),
        Index("ix_claims_status_assignee_due", "status", "assignee_id", "due_date"),
        # An article's claims; the articles list counts them and the ones holding the article back
        # (``services.articles.blocking_condition``) from the index alone.
        Index("ix_claims_article_status_verdict_resolution", "article_id", "status", "verdict", "resolution"),
        # My queue's page in its order (due date, undated last, then priority, then id) among the
        # checker's to-do claims: the page reads its 50 rows from here, not every claim of the queue
        # sorted to keep 50 (issue 15: 770 claims at the full fill's 16x, 2.3 -> 4.4 ms).
        Index("ix_claims_queue_order", "assignee_id", text("(due_date IS NULL)"), "due_date",
              text(f"({PRIORITY_RANK_SQL})"), "id",
              postgresql_where=text(QUEUE_STATUSES_SQL), sqlite_where=text(QUEUE_STATUSES_SQL)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))

    # W3C Web Annotation style anchor: TextQuoteSelector (exact/prefix/suffix) + TextPositionSelector.
    quote: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(String(64), default="")
    suffix: Mapped[str] = mapped_column(String(64), default="")
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    statement: Mapped[str] = mapped_column(Text, default="")
    claimant: Mapped[str | None] = mapped_column(String(200))
    via: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(40), default="statement")
    score: Mapped[float | None] = mapped_column(Float)

    status: Mapped[str] = mapped_column(String(20), default=ClaimStatus.OPEN)
    priority: Mapped[str] = mapped_column(String(10), default=Priority.NORMAL)
    due_date: Mapped[date | None] = mapped_column(Date)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # When the claim first went to a checker (assigned or taken from the pool); the dashboard's
    # turnaround runs from here, read off the claim rather than searched for in the audit log.
    first_assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The editor who gave the claim to its checker: they hear when its verdict waits for review.
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    dismiss_reason: Mapped[str | None] = mapped_column(Text)

    verdict: Mapped[str | None] = mapped_column(String(40))
    rationale: Mapped[str | None] = mapped_column(Text)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution: Mapped[str | None] = mapped_column(String(30))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    # A "corrected" resolution names the revision whose text no longer holds the rated passage.
    resolution_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    text_changed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The words the claim's verdict (or statement) was about, kept when a revision changes them.
    changed_from: Mapped[str | None] = mapped_column(Text)
    # For attributed claims: was it really said / reported by the claimant? (The verdict answers
    # the second question, whether what was said is accurate.)
    attribution_verdict: Mapped[str | None] = mapped_column(String(30))

    # Optimistic locking: every save must name the version it started from.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it off the class)

    article: Mapped[Article] = relationship(back_populates="claims")
    revision: Mapped[Revision] = relationship(foreign_keys=[revision_id])
    resolution_revision: Mapped[Revision | None] = relationship(foreign_keys=[resolution_revision_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="claim", order_by="Evidence.id", cascade="all, delete-orphan"
    )
    current_evidence: Mapped[list[Evidence]] = relationship(
        primaryjoin="and_(Evidence.claim_id == Claim.id, Evidence.removed_at.is_(None))",
        order_by="Evidence.id", viewonly=True,
    )
    notes: Mapped[list[Note]] = relationship(back_populates="claim", order_by="Note.id", cascade="all, delete-orphan")

    @property
    def label(self) -> str:
        # After a revision changed the words, the words as they stand now (the statement may be stale).
        text = self.quote if self.text_changed else (self.statement or self.quote)
        return text if len(text) <= 90 else text[:87] + "…"

    @property
    def verdict_summary(self) -> str:
        """Both answers of an attributed claim, e.g. "Attribution confirmed; substance disputed"."""
        if not self.verdict:
            return ""
        if self.claimant and self.attribution_verdict:
            return f"Attribution {self.attribution_verdict}; substance {self.verdict}"
        return self.verdict.capitalize()

    def anchor(self) -> dict[str, Any]:
        """The claim's target as a W3C Web Annotation selector list."""
        return {
            "source": f"revision:{self.revision_id}",
            "selector": [
                {"type": "TextQuoteSelector", "exact": self.quote, "prefix": self.prefix, "suffix": self.suffix},
                {"type": "TextPositionSelector", "start": self.start, "end": self.end},
            ],
        }


class Stance(StrEnum):
    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"


class AttributionVerdict(StrEnum):
    CONFIRMED = "confirmed"
    NOT_CONFIRMED = "not confirmed"
    MISATTRIBUTED = "misattributed"
    UNVERIFIABLE = "unverifiable"


class Question(StrEnum):
    """Which of an attributed claim's two questions a piece of evidence answers."""

    ATTRIBUTION = "attribution"
    SUBSTANCE = "substance"


class Credibility(StrEnum):
    CREDIBLE = "credible"
    MIXED = "mixed"
    NOT_CREDIBLE = "not credible"
    UNKNOWN = "unknown"


class Evidence(TimestampMixin, Base):
    """A source for one claim. Removal is a mark, not a delete, so history keeps it."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(200), default="")
    published_on: Mapped[date | None] = mapped_column(Date)
    excerpt: Mapped[str] = mapped_column(Text, default="")
    source_type: Mapped[str] = mapped_column(String(40), default="other")
    stance: Mapped[str] = mapped_column(String(20))
    question: Mapped[str] = mapped_column(String(20), default=Question.SUBSTANCE, server_default="substance")
    credibility: Mapped[str | None] = mapped_column(String(20))
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removal_reason: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[Claim] = relationship(back_populates="evidence")
    added_by: Mapped[User] = relationship(foreign_keys=[added_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])


class Note(TimestampMixin, Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    # A reply names the note that opened its thread; threads are one level deep (services.notes).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)

    claim: Mapped[Claim] = relationship(back_populates="notes")
    author: Mapped[User] = relationship()
