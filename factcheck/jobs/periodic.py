"""Work that comes round every few seconds: remind assignees of claims due tomorrow or overdue,
deliver what the outboxes hold (webhooks, e-mail), dispatch
again jobs whose dispatch was lost, fail jobs whose worker died, and forget finished jobs after their
retention.
E-mail goes out right after the commit that queued it too (a task on the same queue); the round
sends what that missed and the retries whose back-off has passed.

It runs in the worker command (``flask worker``) when jobs go through Redis, else in a daemon thread
of each app process. Several of them at once are safe: deliveries are taken under a row lock
(PostgreSQL) and a job runs only for the one who takes it."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from factcheck.extensions import db
from factcheck.services import jobs, mail, notifications, webhooks
from factcheck.services.context import Context, Runtime

if TYPE_CHECKING:
    from flask import Flask

logger = logging.getLogger(__name__)
INTERVAL_SECONDS = 5.0
# A queued job nobody took for this long lost its dispatch (its process ended, Redis was down).
LOST_AFTER = timedelta(minutes=2)

# Each round calls these in turn; later parts (e-mail, reminders) add themselves here.
ROUNDS: list[Callable[[Flask, Context], object]] = []


def _deliver_webhooks(_app: Flask, ctx: Context) -> object:
    return webhooks.deliver_due(ctx)


def _deliver_mail(_app: Flask, ctx: Context) -> object:
    return mail.deliver_due(ctx)


REMINDER_EVERY = timedelta(minutes=10)
# Kept by the app itself: under its id, a new app at a dropped one's address found the other's last run
# and skipped its reminders for ten minutes.
_LAST_RUN = "factcheck.periodic_last_run"


def _due(app: Flask, name: str, now: datetime) -> bool:
    """Whether the ten-minutely part ``name`` is due in this process."""
    last_run: dict[str, datetime] = app.extensions.setdefault(_LAST_RUN, {})
    last = last_run.get(name)
    if last is not None and now - last < REMINDER_EVERY:
        return False
    last_run[name] = now
    return True


def forget_runs(app: Flask) -> None:
    """The app's ten-minutely parts run next round, as if ten minutes had passed."""
    app.extensions.pop(_LAST_RUN, None)


def _remind_due(app: Flask, ctx: Context) -> object:
    """Due-tomorrow and overdue reminders, every ten minutes: each is sent once per claim, kind and
    due date however often this runs (a unique key), so several processes may run it."""
    return notifications.notify_due(ctx) if _due(app, "reminders", ctx.now()) else None


def _purge_jobs(app: Flask, ctx: Context) -> object:
    """Finished jobs and their files go after FACTCHECK_JOB_RETENTION_DAYS (7)."""
    if not _due(app, "purge", ctx.now()):
        return None
    days = int(app.config.get("FACTCHECK_JOB_RETENTION_DAYS", 7))
    return jobs.purge_finished(ctx.session, older_than=ctx.now() - timedelta(days=days))


def _sweep_jobs(app: Flask, ctx: Context) -> object:
    from factcheck.jobs.queue import dispatch

    now = ctx.now()
    timeout = timedelta(seconds=int(app.config.get("FACTCHECK_JOB_TIMEOUT", 900)) + 60)
    jobs.abandon_stalled(ctx.session, now=now, timeout=timeout)
    for job_id in jobs.waiting(ctx.session, older_than=now - LOST_AFTER):
        dispatch(app, job_id)
    return None


ROUNDS.extend([_remind_due, _deliver_webhooks, _deliver_mail, _sweep_jobs, _purge_jobs])


def tick(app: Flask) -> None:
    """One round; a part that fails is logged and the others still run."""
    with app.app_context():
        runtime: Runtime = app.extensions["factcheck"]
        for part in ROUNDS:
            try:
                part(app, Context.of(db.session, runtime))
            except Exception:
                logger.exception("periodic work %s failed", part.__name__)
                db.session.rollback()
        db.session.remove()


def run_forever(app: Flask, stop: threading.Event, interval: float = INTERVAL_SECONDS) -> None:
    while not stop.is_set():
        tick(app)
        stop.wait(interval)


_lock = threading.Lock()
THREAD = "factcheck-periodic"


def background_enabled(app: Flask) -> bool:
    """Whether work starts by itself in the background (rounds, e-mail after a commit): FACTCHECK_PERIODIC
    "on" or "off"; "auto", the default, is on except in tests, which call the parts themselves."""
    setting = str(app.config.get("FACTCHECK_PERIODIC", "auto")).lower()
    return setting in {"on", "1", "true", "yes"} or (setting == "auto" and not app.testing)


def wanted_in_app(app: Flask) -> bool:
    """App processes run the rounds themselves only without a job queue (the worker runs them
    otherwise), and only when background work is enabled."""
    if not background_enabled(app):
        return False
    from factcheck.jobs.queue import kind

    return kind(app) == "thread"


def init_app(app: Flask) -> None:
    """Start the thread with the first request a server handles (not in commands such as
    ``flask db upgrade``, which make an app too)."""
    if not wanted_in_app(app):
        return

    @app.before_request
    def _ensure_started() -> None:
        if THREAD in app.extensions:
            return
        with _lock:
            if THREAD not in app.extensions:
                thread = threading.Thread(target=run_forever, args=(app, threading.Event()), name=THREAD, daemon=True)
                app.extensions[THREAD] = thread
                thread.start()


