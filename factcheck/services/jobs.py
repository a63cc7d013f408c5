"""Background jobs as the newsroom sees them: asked for, queued, running with progress, then done or
failed with a reason, and retried on request.

A job is bookkeeping, like a webhook delivery: what it changes is audited by the services it calls,
under the id of the request that asked for it, so the log reads as if the page had done the work.
Its own writes (queued, taken, progress, outcome) commit on their own, in short transactions, so a
page polling the job sees it move."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from factcheck.errors import NotFound, ValidationFailed
from factcheck.models import Job, JobOutput, User
from factcheck.models.job import JOB_FAILED, JOB_QUEUED, JOB_RUNNING, JOB_SUCCEEDED
from factcheck.security.permissions import Action
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction

# What each kind of job is called on its page.
LABELS = {
    "article.import": "Importing the article",
    "article.revise": "Saving the new revision",
    "audit.verify": "Verifying the audit log",
    "audit.export": "Exporting the audit log",
}

# A failure a person can act on is shown as it is; anything else is logged and shown as this.
UNEXPECTED = "Something went wrong on our side while running this job; the error was logged. Try again."


def label(job: Job) -> str:
    return LABELS.get(job.kind, job.kind)


def submit(ctx: Context, *, actor: User | None, kind: str, params: dict[str, Any], payload: bytes | None = None,
           article_id: int | None = None) -> Job:
    """Queue a job; the caller has checked that the actor may ask for it (the job's own service call
    checks again when it runs)."""
    with transaction(ctx.session):
        job = Job(kind=kind, params=params, payload=payload, article_id=article_id, status=JOB_QUEUED,
                  created_by_id=actor.id if actor else None, created_at=ctx.now(), progress=0,
                  progress_message="Waiting for a worker", attempts=0)
        ctx.session.add(job)
    return job


def discard(session: DbSession, job_id: int) -> None:
    """Forget a job that failed at once on what the person typed: the page shows the form again with
    the reason, and nothing of the attempt is kept (as with any refused form)."""
    with transaction(session):
        session.execute(delete(Job).where(Job.id == job_id, Job.status == JOB_FAILED))


def get(session: DbSession, job_id: int) -> Job:
    job = session.get(Job, job_id, options=[joinedload(Job.created_by)])
    if job is None:
        raise NotFound("No such job.")
    return job


def get_visible(ctx: Context, *, viewer: User, job_id: int) -> Job:
    job = get(ctx.session, job_id)
    ctx.require(viewer, Action.JOB_READ, job)
    return job


def retry(ctx: Context, *, actor: User, job: Job) -> Job:
    ctx.require(actor, Action.JOB_READ, job)
    if job.status != JOB_FAILED:
        raise ValidationFailed("Only a job that failed can be tried again.")
    with transaction(ctx.session):
        job.status, job.error, job.result = JOB_QUEUED, None, None
        job.progress, job.progress_message = 0, "Waiting for a worker"
        job.started_at = job.finished_at = None
    return job


# ---- the machine's bookkeeping ----------------------------------------------------------------------

def take(session: DbSession, job_id: int, now: datetime) -> bool:
    """Mark a queued job running; False when another worker took it first (or it is not queued), so a
    job dispatched twice still runs once."""
    with transaction(session):
        taken = session.execute(
            update(Job).where(Job.id == job_id, Job.status == JOB_QUEUED)
            .values(status=JOB_RUNNING, started_at=now, attempts=Job.attempts + 1, progress_message="Started")
        )
    return bool(getattr(taken, "rowcount", 0))


def report_progress(session: DbSession, job_id: int, percent: int, message: str) -> None:
    with transaction(session):
        session.execute(update(Job).where(Job.id == job_id, Job.status == JOB_RUNNING)
                        .values(progress=max(0, min(100, percent)), progress_message=message[:200]))


def succeed(session: DbSession, job_id: int, result: dict[str, Any], now: datetime) -> None:
    with transaction(session):
        session.execute(update(Job).where(Job.id == job_id).values(
            status=JOB_SUCCEEDED, result=result, error=None, progress=100, progress_message="Done",
            finished_at=now, payload=None))


def fail(session: DbSession, job_id: int, error: str, now: datetime, *, field: str | None = None) -> None:
    """The payload is kept, so the job can be tried again as it was asked for; ``field`` names the
    form field the failure is about, when it is about what the person typed."""
    with transaction(session):
        session.execute(update(Job).where(Job.id == job_id).values(
            status=JOB_FAILED, error=error[:2000], progress_message="Failed", finished_at=now,
            result={"field": field} if field else None))


def waiting(session: DbSession, *, older_than: datetime, limit: int = 50) -> list[int]:
    """Queued jobs nobody has taken for a while (their dispatch was lost, say with the process that
    held it); the caller dispatches them again."""
    return list(session.scalars(select(Job.id).where(Job.status == JOB_QUEUED, Job.created_at < older_than)
                                .order_by(Job.id).limit(limit)))


def purge_finished(session: DbSession, *, older_than: datetime) -> int:
    """Forget finished jobs (and the files they made) once they are older than the retention: a
    job's changes are in the audit log, its row was only bookkeeping."""
    with transaction(session):
        gone = session.execute(delete(Job).where(Job.status.in_((JOB_SUCCEEDED, JOB_FAILED)),
                                                 Job.created_at < older_than))
    return int(getattr(gone, "rowcount", 0) or 0)


def abandon_stalled(session: DbSession, *, now: datetime, timeout: timedelta) -> int:
    """Fail jobs that have been running longer than any job may (their worker died): said plainly, so
    the person can try again."""
    with transaction(session):
        stalled = session.execute(
            update(Job).where(Job.status == JOB_RUNNING, Job.started_at < now - timeout)
            .values(status=JOB_FAILED, finished_at=now, progress_message="Failed",
                    error="The worker running this job stopped before it finished. Try again.")
        )
    return int(getattr(stalled, "rowcount", 0) or 0)


# ---- the files jobs make ----------------------------------------------------------------------------

OUTPUT_CHUNK_BYTES = 1 << 20


def store_output(session: DbSession, job_id: int, pieces: Iterable[bytes]) -> int:
    """Store what a job produced, in chunks of about a megabyte, each committed as it is written (the
    file counts only once the job has succeeded); returns its size. A retry starts it afresh."""
    with transaction(session):
        session.execute(delete(JobOutput).where(JobOutput.job_id == job_id))
    size, seq, buffer = 0, 0, bytearray()
    for piece in pieces:
        buffer += piece
        while len(buffer) >= OUTPUT_CHUNK_BYTES:
            seq = _store_chunk(session, job_id, seq, bytes(buffer[:OUTPUT_CHUNK_BYTES]))
            size += OUTPUT_CHUNK_BYTES
            del buffer[:OUTPUT_CHUNK_BYTES]
    if buffer or seq == 0:
        _store_chunk(session, job_id, seq, bytes(buffer))
        size += len(buffer)
    return size


def _store_chunk(session: DbSession, job_id: int, seq: int, data: bytes) -> int:
    with transaction(session):
        session.add(JobOutput(job_id=job_id, seq=seq, data=data))
    return seq + 1


def output_chunks(session: DbSession, job_id: int) -> Iterator[bytes]:
    """The file, one chunk per query (never the whole file in memory)."""
    seq = 0
    while (data := session.scalar(select(JobOutput.data).where(JobOutput.job_id == job_id, JobOutput.seq == seq)))\
            is not None:
        yield data
        seq += 1
