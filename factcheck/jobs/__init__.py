"""Running jobs off the request path: on Redis with RQ when FACTCHECK_REDIS_URL is set (a worker
process takes them: ``flask --app factcheck worker``), else in threads of the app process, so the
embedded default needs nothing else. The job's row in the database is its single truth; the queue
only carries its id.

Why RQ: it is small, well kept, needs nothing but Redis (which the deployment already runs for the
shared rate limits and audit checkpoints), and a job is a plain function call. Celery would bring a
broker abstraction and a scheduler this newsroom does not need."""
from __future__ import annotations

from factcheck.jobs.queue import backend, dispatch, init_app, shutdown, start, wait_for, workers

__all__ = ["backend", "dispatch", "init_app", "shutdown", "start", "wait_for", "workers"]
