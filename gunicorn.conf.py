"""gunicorn settings for factcheck: `gunicorn -c gunicorn.conf.py wsgi:app` (docs/deploy.md).

Every value can be changed from the environment (FACTCHECK_* below, or gunicorn's own
GUNICORN_CMD_ARGS, which wins over this file).

Why these values:

* ``gthread`` workers (processes, each with a pool of threads). A sync worker serves one request at a
  time and is killed when one request takes longer than ``timeout``: that is what cut the streamed
  audit export at 30 s. A gthread worker's heartbeat comes from its main loop, not from the request,
  so ``timeout`` only kills a worker that is truly stuck, and a streamed export (or a slow client
  reading it) runs as long as it needs (tests/ops/test_streaming.py: a download paused for three
  worker timeouts, with a SIGTERM in the middle, still arrives whole; with sync workers it is cut). Threads also keep a worker answering ``/healthz`` while
  another of its threads waits on the database.
* The worker is ``gthread`` with one change (``factcheck.serving.FreeThreadWorker``): a worker with
  no thread free stops listening, and closes the kept-alive connections it answers while requests
  wait for its threads. gunicorn's own ``gthread`` accepts whenever a connection arrives, and a
  kept-alive connection stays with the worker that took it: a client opening several connections
  at once (nginx's upstream keep-alive pool, the bench's load generator) could land all of them on
  one worker, serving on one core while the others idled (in the throughput bench, every
  request on one worker in 5 runs of 36; none in 33 runs with the change). With the change, connections move to workers that have
  a thread free (docs/performance.md, "Eighth round"; tests/ops/test_worker_balance.py).
* ``workers`` defaults to cores + 1 (at most 9: past that, add app servers) and ``threads`` to 4: on the 2-core reference machine that is
  3 processes x 4 threads = 12 requests at once, with a database pool of 5 (+10 overflow) per
  process, well under PostgreSQL's default 100 connections even with a second app server.
  Threads also keep a worker serving while one request waits for its commit's fsync or a database
  round trip; measured against 2x2, 3x1 and 2x1 with the throughput bench, the default served the
  most requests (docs/performance.md, "Fifth round").
* Each worker's threads hand the interpreter lock to one another after 1 ms, not Python's 5 ms
  (``FACTCHECK_SWITCH_INTERVAL_MS``; ``sys.setswitchinterval``). A thread back from the database (a
  statement's answer, a commit's fsync) waits for the lock until the thread rendering a page lets it
  go, at the latest after the interval: up to 5 ms after each statement. A write holds the database's
  writer lock (SQLite) or the audit chain's lock (PostgreSQL) across three or four such returns, and
  every other writer waits for those waits too. Under the throughput mix on a busy machine (load
  15-26) the mix's share of the limit was higher with 1 ms in 11 of 14 alternating pairs (medians
  SQLite 38 -> 41 %, PostgreSQL 26 -> 31 %); the server's CPU per request was 6-15 % higher on SQLite,
  unchanged on PostgreSQL. 5 gives Python's own behaviour back (docs/performance.md, "Fourteenth
  round: the mix").
* ``timeout`` 120 s: how long a worker may stay silent before the master replaces it.
* ``graceful_timeout`` 60 s: on SIGTERM (a deploy, a scale-down) workers stop accepting, finish the
  requests they hold (an export in flight included, up to this long), then exit.
* ``max_requests`` (10,000) with jitter recycles workers now and then, so slow leaks never pile up
  and the workers never restart all at once. A worker's start costs 1.1-1.5 s of CPU (imports,
  ``create_app``, its templates): at 2,000 requests that was 0.55-0.75 ms a request, a fifth of a
  page's; a worker's bounded caches fill within its first ~1,000 requests (89-93 MB at start,
  113-115 MB after 4,300: docs/performance.md, "Eleventh round").
* Each worker compiles every template before it takes a connection (``post_worker_init``,
  factcheck/warm_up.py), loading them from a bytecode cache on disk when an earlier worker left
  them there (``FACTCHECK_TEMPLATE_CACHE_DIR``), so a new or recycled worker's first pages are not
  slowed by compilation.
* ``FACTCHECK_TRUSTED_PROXIES`` (default 0): how many reverse proxies stand in front (nginx: 1).
  When set, werkzeug's ProxyFix takes the client's address, scheme and host from that many
  X-Forwarded-* hops, so the audit log records people's addresses (not nginx's) and sign-in
  throttling per address limits the client, not the whole newsroom behind the proxy. Leave it 0
  when clients reach gunicorn directly, or anyone could claim any address in X-Forwarded-For.
* Logs are JSON lines on stderr (``FACTCHECK_LOG_FORMAT=text`` for plain text; factcheck/logs.py):
  gunicorn's error log, the app's own log and the access log, one access line per request with the
  signed-in user's id and the response's X-Request-ID (set on every response by the app), so a line
  in the log finds its audit events (tests/ops/test_logs.py).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

# The project's own modules (the JSON log formatter), wherever gunicorn was started from.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from factcheck.logs import USER_ID_KEY, JsonFormatter


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("FACTCHECK_BIND", "127.0.0.1:8000")
worker_class = "factcheck.serving.FreeThreadWorker"
def _cores() -> int:
    """The cores this process may run on (a container's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


workers = _int("FACTCHECK_WORKERS", min(_cores() + 1, 9))
threads = _int("FACTCHECK_THREADS", 4)
timeout = _int("FACTCHECK_WORKER_TIMEOUT", 120)
graceful_timeout = _int("FACTCHECK_GRACEFUL_TIMEOUT", 60)
keepalive = 5
max_requests = _int("FACTCHECK_MAX_REQUESTS", 10_000)
max_requests_jitter = max_requests // 10
# The reverse proxy's address: only its X-Forwarded-* headers are believed (docs/deploy.md).
forwarded_allow_ips = os.environ.get("FACTCHECK_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 23+ opens a control socket at one fixed path per user by default; two app servers on one
# machine would fight over it, and factcheck does not use it.
control_socket_disable = True

trusted_proxies = _int("FACTCHECK_TRUSTED_PROXIES", 0)
switch_interval_ms = float(os.environ.get("FACTCHECK_SWITCH_INTERVAL_MS", "").strip() or 1.0)


def post_worker_init(worker: Any) -> None:
    """Prepare the app before the worker's first connection (the interpreter's switch interval, its
    templates compiled: factcheck/warm_up.py), then wrap it in ProxyFix (the app itself stays a plain Flask app, so
    `flask --app wsgi` and the tests see it unchanged)."""
    from flask import Flask

    from factcheck.warm_up import warm_up

    # Threads back from the database get the interpreter lock within 1 ms (the docstring above).
    sys.setswitchinterval(switch_interval_ms / 1000)
    if isinstance(worker.wsgi, Flask):
        warm_up(worker.wsgi)
    if trusted_proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        worker.wsgi = ProxyFix(worker.wsgi, x_for=trusted_proxies, x_proto=trusted_proxies,
                               x_host=trusted_proxies, x_port=trusted_proxies)


accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("FACTCHECK_LOG_LEVEL", "info")
# Used for plain-text logs; the JSON formatter (factcheck/logs.py) reads the same values field by field.
access_log_format = ('%(h)s "%(r)s" %(s)s %(B)s %(M)sms user=%({' + USER_ID_KEY + '}e)s id=%({x-request-id}o)s '
                     '"%(a)s" worker=%(p)s')


if os.environ.get("FACTCHECK_LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        },
        "root": {"level": loglevel.upper(), "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
            "alembic": {"level": "WARNING"},
        },
    }
