"""``flask --app factcheck worker``: takes jobs from Redis and runs the periodic rounds.

RQ's SimpleWorker runs each job in this process (no fork per job), inside the app context, with the
app's database pool. SIGTERM lets the job in hand finish (RQ's warm shutdown) before the worker exits."""
from __future__ import annotations

import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from factcheck.jobs import periodic
from factcheck.jobs.queue import RQBackend, backend


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop (for scripts and tests).")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs (article imports, revisions, audit verification) and periodic work."""
    from rq import SimpleWorker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    queue = backend(app)
    if not isinstance(queue, RQBackend):
        raise click.ClickException("Jobs run in the app's own threads when FACTCHECK_REDIS_URL is not set; "
                                   "set it (and FACTCHECK_JOBS=rq, the default with Redis) to run a worker.")
    stop = threading.Event()
    rounds = threading.Thread(target=periodic.run_forever, args=(app, stop), name=periodic.THREAD, daemon=True)
    if burst:
        periodic.tick(app)
    else:
        rounds.start()
    try:
        SimpleWorker([queue.queue], connection=queue.connection).work(burst=burst, logging_level="INFO")
    finally:
        stop.set()
