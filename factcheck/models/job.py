"""Background jobs: what a person asked for that takes longer than a page should (an import, a
revision, verifying or exporting the audit log), with its progress and outcome.

The row is the job's single truth whichever queue runs it (RQ on Redis, or a thread of the app
process): every app server can show its progress, and a worker only needs the id."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from factcheck.models.base import Base, UTCDateTime, utcnow
from factcheck.models.user import User

JOB_QUEUED = "queued"
JOB_RUNNING = "running"
JOB_SUCCEEDED = "succeeded"
JOB_FAILED = "failed"
JOB_FINISHED = (JOB_SUCCEEDED, JOB_FAILED)


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=JOB_QUEUED)
    # What the job works on, as plain values; an uploaded file travels in ``payload``.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    payload: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    progress_message: Mapped[str] = mapped_column(String(200), default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def finished(self) -> bool:
        return self.status in JOB_FINISHED

    @property
    def failed(self) -> bool:
        return self.status == JOB_FAILED

    @property
    def succeeded(self) -> bool:
        return self.status == JOB_SUCCEEDED

    @property
    def queued(self) -> bool:
        return self.status == JOB_QUEUED


class JobOutput(Base):
    """A file a job made (an export), in chunks: any app server can send it, and neither writing nor
    sending it holds more than one chunk in memory."""

    __tablename__ = "job_outputs"
    __table_args__ = (Index("ix_job_outputs_job_seq", "job_id", "seq", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
