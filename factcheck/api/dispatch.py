"""Webhook deliveries off the request path: a daemon thread of the app process attempts the due
deliveries every few seconds (DESIGN §5a's fallback when no job queue is configured).

Off when ``FACTCHECK_WEBHOOK_DISPATCH`` is "off" and in tests (``TESTING``), which call
``services.webhooks.deliver_due`` themselves. Several processes may each run one: a delivery is taken
under a row lock (PostgreSQL), so none is sent twice."""
from __future__ import annotations

import threading
import time

from flask import Flask

from factcheck.extensions import db
from factcheck.services import webhooks
from factcheck.services.context import Context

INTERVAL_SECONDS = 5.0


_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Start the thread with the first request a server handles (not in commands such as
    ``flask db upgrade``, which make an app too)."""
    if app.testing or app.config.get("FACTCHECK_WEBHOOK_DISPATCH", "thread") != "thread":
        return

    @app.before_request
    def _ensure_started() -> None:
        if "factcheck-webhooks" in app.extensions:
            return
        with _lock:
            if "factcheck-webhooks" not in app.extensions:
                thread = threading.Thread(target=_loop, args=(app,), name="factcheck-webhooks", daemon=True)
                app.extensions["factcheck-webhooks"] = thread
                thread.start()


def _loop(app: Flask) -> None:
    while True:
        try:
            with app.app_context():
                webhooks.deliver_due(Context.of(db.session, app.extensions["factcheck"]))
                db.session.remove()
        except Exception:  # keep delivering after a database hiccup; the error is logged
            app.logger.exception("webhook delivery round failed")
        time.sleep(INTERVAL_SECONDS)
