"""Running one job: take it (once, whatever dispatched it), call its handler with a context of its
own, record the outcome. The same code runs in an RQ worker and in the app's job threads."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from factcheck.errors import DomainError
from factcheck.extensions import db
from factcheck.jobs.handlers import HANDLERS
from factcheck.services import jobs
from factcheck.services.context import Context, RequestInfo, Runtime

if TYPE_CHECKING:
    from flask import Flask

logger = logging.getLogger(__name__)


def run(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            _run(app, job_id)
        finally:
            db.session.remove()


def _progress(job_id: int) -> Callable[[int, str], None]:
    """Progress is written in a session of its own, so it commits whatever the job's session holds."""

    def report(percent: int, message: str) -> None:
        try:
            with Session(db.engine) as session:
                jobs.report_progress(session, job_id, percent, message)
        except Exception:  # progress is a courtesy; the job goes on without it
            logger.warning("could not record the progress of job %s", job_id, exc_info=True)

    return report


def _run(app: Flask, job_id: int) -> None:
    runtime: Runtime = app.extensions["factcheck"]
    session = db.session
    if not jobs.take(session, job_id, runtime.now()):
        return
    job = jobs.get(session, job_id)
    origin = job.params.get("_request") or {}
    ctx = Context.of(session, runtime, RequestInfo(ip_address=origin.get("ip"), request_id=origin.get("id")))
    handler = HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise DomainError(f"This kind of job ({job.kind}) is not known to this version of factcheck.")
        if job.created_by is None or not job.created_by.is_active:
            raise DomainError("The person who asked for this job can no longer use factcheck.")
        result = handler(ctx, job, job.created_by, _progress(job_id))
    except DomainError as error:
        session.rollback()
        jobs.fail(session, job_id, error.message, runtime.now(), field=error.details.get("field"))
    except Exception:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        session.rollback()
        jobs.fail(session, job_id, jobs.UNEXPECTED, runtime.now())
    else:
        jobs.succeed(session, job_id, result, runtime.now())


def perform(job_id: int) -> None:
    """The RQ entry point. The worker command runs jobs inside its app context (``flask worker``)."""
    from flask import current_app

    run(current_app._get_current_object(), job_id)  # type: ignore[attr-defined]


# Work that is not a person's job and has no row: sending what an outbox holds, right after the
# commit that filled it (the periodic round would send it within seconds anyway).
TASKS: dict[str, Callable[[Context], object]] = {}


def run_task(app: Flask, name: str) -> None:
    with app.app_context():
        try:
            TASKS[name](Context.of(db.session, app.extensions["factcheck"]))
        except Exception:
            logger.exception("background task %s failed", name)
        finally:
            db.session.remove()


def perform_task(name: str) -> None:
    """The RQ entry point of a task."""
    from flask import current_app

    run_task(current_app._get_current_object(), name)  # type: ignore[attr-defined]
