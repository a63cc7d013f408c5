"""Where jobs wait: RQ on Redis, or a pool of threads in the app process."""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol

from factcheck.extensions import db
from factcheck.jobs import runner
from factcheck.models import Job, User
from factcheck.services import jobs
from factcheck.services.context import Context

if TYPE_CHECKING:
    from flask import Flask

logger = logging.getLogger(__name__)
EXTENSION = "factcheck-jobs"


class Backend(Protocol):
    name: str

    def dispatch(self, job_id: int) -> None: ...

    def run_task(self, name: str) -> None: ...


class ThreadBackend:
    """Jobs in threads of this process: nothing to install, and gone with the process (a job queued
    there is dispatched again by the periodic sweep of whichever process is alive)."""

    name = "thread"

    def __init__(self, app: Flask, workers: int) -> None:
        self.app = app
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="factcheck-job")

    def dispatch(self, job_id: int) -> None:
        self.executor.submit(runner.run, self.app, job_id)

    def run_task(self, name: str) -> None:
        self.executor.submit(runner.run_task, self.app, name)


class RQBackend:
    name = "rq"

    def __init__(self, redis_url: str, queue_name: str, timeout: int) -> None:
        import redis
        from rq import Queue

        self.connection = redis.Redis.from_url(redis_url, socket_connect_timeout=5, socket_timeout=10)
        self.queue = Queue(queue_name, connection=self.connection)
        self.timeout = timeout

    def dispatch(self, job_id: int) -> None:
        import redis

        try:
            self.queue.enqueue("factcheck.jobs.runner.perform", job_id, job_timeout=self.timeout,
                               result_ttl=0, failure_ttl=7 * 24 * 3600, description=f"factcheck job {job_id}")
        except (redis.exceptions.RedisError, OSError):
            # The row stays queued: the periodic sweep dispatches it again once Redis answers.
            logger.exception("could not queue job %s on Redis", job_id)

    def workers(self) -> int | None:
        """How many workers listen to this queue now (None when Redis does not answer)."""
        import redis
        from rq import Worker

        try:
            return int(Worker.count(queue=self.queue))
        except (redis.exceptions.RedisError, OSError):
            return None

    def run_task(self, name: str) -> None:
        # A lost task costs nothing: the worker's periodic round does the same work within seconds.
        self.queue.enqueue("factcheck.jobs.runner.perform_task", name, job_timeout=self.timeout, result_ttl=0,
                           failure_ttl=24 * 3600, description=f"factcheck {name}")


def kind(app: Flask) -> str:
    """"rq" or "thread": config.py settles it (and checks it) from FACTCHECK_JOBS and FACTCHECK_REDIS_URL."""
    return str(app.config["FACTCHECK_JOBS"])


def inline_wait(app: Flask) -> float:
    """How long a page waits for the job it started before showing the job's page instead."""
    return float(app.config["FACTCHECK_JOB_INLINE_WAIT"])


def _make_backend(app: Flask) -> Backend:
    if kind(app) == "rq":
        return RQBackend(str(app.config["FACTCHECK_REDIS_URL"]), str(app.config.get("FACTCHECK_JOB_QUEUE", "factcheck")),
                         int(app.config.get("FACTCHECK_JOB_TIMEOUT", 900)))
    if kind(app) == "thread":
        return ThreadBackend(app, int(app.config.get("FACTCHECK_JOB_THREADS", 2)))
    raise ValueError(f"FACTCHECK_JOBS must be 'rq' or 'thread', not {kind(app)!r}")


_lock = threading.Lock()


def backend(app: Flask) -> Backend:
    """Made on first use: commands such as ``flask db upgrade`` make an app and never need one."""
    found = app.extensions.get(EXTENSION)
    if found is None:
        with _lock:
            found = app.extensions.get(EXTENSION)
            if found is None:
                found = app.extensions[EXTENSION] = _make_backend(app)
    return found


def workers(app: Flask) -> int | None:
    """The RQ workers listening now; None without RQ (jobs run in this process) or without Redis."""
    found = backend(app)
    return found.workers() if isinstance(found, RQBackend) else None


def shutdown(app: Flask) -> None:
    """Let the jobs and tasks in this process's threads finish (a test's app, before its database
    goes; a worker leaving). Nothing to do for RQ: its jobs run in the worker process."""
    found = app.extensions.pop(EXTENSION, None)
    if isinstance(found, ThreadBackend):
        found.executor.shutdown(wait=True)


def dispatch(app: Flask, job_id: int) -> None:
    backend(app).dispatch(job_id)


def start(app: Flask, ctx: Context, *, actor: User, kind: str, params: dict[str, Any],
          payload: bytes | None = None, article_id: int | None = None) -> Job:
    """Queue a job in the database, then hand its id to the queue (after the commit, so a worker never
    looks for a job that is not there yet)."""
    origin = {"ip": ctx.request.ip_address, "id": ctx.request.request_id}
    job = jobs.submit(ctx, actor=actor, kind=kind, params={**params, "_request": origin}, payload=payload,
                      article_id=article_id)
    dispatch(app, job.id)
    return job


def wait_for(app: Flask, job_id: int, seconds: float) -> Job:
    """The job once it has finished, or as it stands after ``seconds``: a page waits this long so a
    small import answers at once, and shows the job's progress page only when it takes longer."""
    deadline = time.monotonic() + seconds
    delay = 0.01
    while True:
        db.session.rollback()  # a fresh snapshot: the job commits in another session
        job = jobs.get(db.session, job_id)
        if job.finished or time.monotonic() >= deadline:
            return job
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def _send_mail_soon() -> None:
    """Called after a commit that queued e-mail (services/mail.py's hook)."""
    from flask import current_app, has_app_context

    from factcheck.jobs import periodic

    if has_app_context() and periodic.background_enabled(current_app):
        backend(current_app._get_current_object()).run_task("mail.deliver")  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    from factcheck.jobs import periodic
    from factcheck.services import mail

    runner.TASKS.setdefault("mail.deliver", lambda ctx: mail.deliver_due(ctx))
    if _send_mail_soon not in mail.after_commit_hooks:
        mail.after_commit_hooks.append(_send_mail_soon)
    periodic.init_app(app)
