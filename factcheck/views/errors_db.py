"""Honest failures when a service the app stands on is down (issue 12, point 5).

When the database (or Redis, which shares sign-in throttling between app servers) cannot be
reached, every page answers 503 Service Unavailable with ``Retry-After`` and a friendly page that
says nothing was saved and when to try again, instead of a 500 or, worse, gunicorn's bare
"Internal Server Error" because the error page itself needed the database.

The page is rendered straight from the Jinja environment: no context processors run, so nothing
loads the signed-in user (Flask-Login's ``current_user`` reads the session from the database), and
the template uses no ``current_user``, ``can`` or ``csrf_token``.
"""
from __future__ import annotations

import contextlib
from typing import Any

import redis.exceptions
from flask import Flask, Response, current_app, g, jsonify, request, url_for
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import InternalServerError

from factcheck.extensions import db, login_manager
from factcheck.services import idempotency
from factcheck.views.common import request_id

RETRY_AFTER_SECONDS = 30

# Errors that mean "the database or Redis is not there (or not answering)", not "this request is
# wrong": connection refused or lost, a pool exhausted while connections hang, SQLite's file
# missing or locked past its busy timeout.
UNAVAILABLE: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
    sa_exc.DisconnectionError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


def _forget_database_state() -> None:
    """Drop the failed transaction and keep anything later in this request from trying the
    database again for the user (the page is for an anonymous visitor, whoever is signed in)."""
    g._login_user = login_manager.anonymous_user()
    # The connection may already be gone; then there is nothing to roll back.
    with contextlib.suppress(Exception):
        db.session.rollback()
    with contextlib.suppress(Exception):
        db.session.remove()


def service_unavailable(error: Exception) -> Any:
    request_id()  # fixed now, so the log line below and the X-Request-ID header carry the same id
    # A submission whose change was committed before the failure: the page must not say "not saved".
    saved = idempotency.used(db.session) is not None
    current_app.logger.error("Service unavailable on %s %s: %s: %s", request.method, request.path,
                             type(error).__name__, str(error).splitlines()[0] if str(error) else "")
    _forget_database_state()
    retry = str(RETRY_AFTER_SECONDS)
    wants_json = request.accept_mimetypes.best == "application/json"
    if wants_json:
        response = jsonify(error="The service is temporarily unavailable; nothing was saved. Try again shortly.",
                           status=503, retry_after=RETRY_AFTER_SECONDS)
    else:
        page = current_app.jinja_env.get_template("errors/unavailable.html").render(
            stylesheet=url_for("static", filename="css/app.css"),
            home_url=url_for("main.home"),
            retry_url=request.full_path.rstrip("?") if request.method == "GET" else None,
            was_saving=request.method not in ("GET", "HEAD"),
            was_saved=saved,
            retry_after=RETRY_AFTER_SECONDS,
        )
        response = Response(page, mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = retry
    response.headers["Cache-Control"] = "no-store"
    return response


def _server_error(error: InternalServerError) -> Any:
    """Flask's last resort, reached when an error handler itself failed. The usual cause during an
    outage: the 404 or 403 page shows who is signed in, and loading that user needs the database.
    Then the answer is the 503 page too; any other failure goes to the app's own handler for it."""
    if isinstance(error.original_exception, UNAVAILABLE):
        return service_unavailable(error.original_exception)
    handlers = current_app.error_handler_spec.get(None, {}).get(None, {})
    for cls in type(error).__mro__:
        handler = handlers.get(cls)
        if handler is not None and handler is not service_unavailable:
            return handler(error)
    return error


def init_app(app: Flask) -> None:
    for error_class in UNAVAILABLE:
        app.register_error_handler(error_class, service_unavailable)
    app.register_error_handler(InternalServerError, _server_error)
