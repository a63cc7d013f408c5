"""Logs as JSON lines, each tied to its request (issue 12, point 5).

Under gunicorn (gunicorn.conf.py) every line is JSON unless ``FACTCHECK_LOG_FORMAT=text``: gunicorn's
own lines, the app's lines with the ``request_id`` of the request they belong to, and one access line
per request with its method, path, status, duration, the signed-in user's id, the request id (the
``X-Request-ID`` of the response, recorded in every audit event the request wrote) and, like every
line, the id of the process that wrote it (the gunicorn worker that served the request). Other processes
(``flask run``, the commands) log plain text, or JSON lines when ``FACTCHECK_LOG_FORMAT=json`` is set.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask
    from werkzeug.wrappers import Response

# The WSGI environ key the app leaves the signed-in user's id under, for gunicorn's access line
# (its atom ``{factcheck.user_id}e``): the access line is written after the app has answered.
USER_ID_KEY = "factcheck.user_id"
_USER_ID_ATOM = "{" + USER_ID_KEY + "}e"
FORMAT_VARIABLE = "FACTCHECK_LOG_FORMAT"


class JsonFormatter(logging.Formatter):
    """One JSON object a line. Access lines carry their fields (method, path, status, duration, user
    and request id) from gunicorn's atoms; app lines carry the request id of the request they belong to."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            # Which process wrote it: under gunicorn, the worker that served the request.
            "pid": record.process,
        }
        atoms = record.args if isinstance(record.args, dict) else None
        if record.name == "gunicorn.access" and atoms is not None:
            line.update({
                "remote_addr": atoms.get("h"),
                "method": atoms.get("m"),
                "path": atoms.get("U"),
                "query": atoms.get("q") or None,
                "status": _as_int(atoms.get("s")),
                "bytes": _as_int(atoms.get("B")),
                "duration_ms": _as_int(atoms.get("M")),
                "user_id": _as_int(atoms.get(_USER_ID_ATOM)),
                "request_id": atoms.get("{x-request-id}o") or None,
                "user_agent": atoms.get("a"),
            })
        else:
            line["message"] = record.getMessage()
            request_id = _current_request_id()
            if request_id:
                line["request_id"] = request_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _current_request_id() -> str | None:
    """The id of the request being served (the one its X-Request-ID response header carries)."""
    try:
        from flask import has_request_context

        if not has_request_context():
            return None
        from factcheck.views.common import request_id

        return request_id()
    except Exception:  # a log line is never lost for want of its id
        return None


def configure_from_environment() -> None:
    """JSON lines on stderr for a process outside gunicorn that asks for them, unless something set
    logging up already (gunicorn's logconfig_dict, a test runner's capture)."""
    root = logging.getLogger()
    if os.environ.get(FORMAT_VARIABLE, "").strip().lower() != "json" or root.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(os.environ.get("FACTCHECK_LOG_LEVEL", "info").upper())


def init_app(app: Flask) -> None:
    from flask import g, request  # here, not at the top: gunicorn.conf.py imports this module
    from sqlalchemy.orm.base import DEFAULT_STATE_ATTR

    @app.after_request
    def _note_the_user(response: Response) -> Response:
        # Only a user the request loaded anyway (Flask-Login's, or the API token's): looking one up
        # here would cost /healthz and every static file a query.
        user = g.get("api_user") or g.get("_login_user")
        if user is None:
            return response
        # A user the request loaded from the database is identified by its key, read without
        # touching its attributes: a write's commit expired them, and reading one would load the
        # user again (one more statement per form sent, issue 15). Only an authenticated user is
        # ever loaded; Flask-Login's anonymous user has no key.
        # The instance's ORM state as ``inspect(user)`` returns it, read directly: inspect() looks the
        # object's type up in SQLAlchemy's registry of inspectable types on every response.
        state = getattr(user, DEFAULT_STATE_ATTR, None)
        if state is not None and state.identity is not None:
            request.environ[USER_ID_KEY] = str(state.identity[0])
        elif getattr(user, "is_authenticated", False):
            request.environ[USER_ID_KEY] = str(user.id)
        return response
