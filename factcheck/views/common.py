"""Small helpers shared by the views: the service context of a request, query arguments, and the
one place that decides which domain errors a form shows and which go to the error pages."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import request, url_for
from flask.globals import _cv_app, _cv_request

from factcheck.digits import plain_digits
from factcheck.errors import DomainError
from factcheck.extensions import db
from factcheck.forms import choices
from factcheck.models import User
from factcheck.security.login import request_user
from factcheck.services import users as user_service
from factcheck.services.context import Context, RequestInfo, Runtime

# A client's X-Request-ID is kept only when it is plainly an id (no spaces, no formula prefixes).
_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
# Database ids are 64-bit on SQLite and 32-bit on PostgreSQL: the smaller range is the valid one.
MAX_ID = 2**31 - 1


def actor() -> User:
    """The signed-in user as a real model instance (services compare ids and roles on it): what
    ``current_user._get_current_object()`` gives, read from the contexts once (issue 15)."""
    if _cv_request.get(None) is None:
        return None  # type: ignore[return-value]  # Flask-Login's answer outside a request
    return request_user()


def runtime() -> Runtime:
    return _cv_app.get().app.extensions["factcheck"]  # current_app's, in one lookup


def request_id() -> str:
    """The request's id: the client's X-Request-ID when it is plainly an id, else 32 random hex digits.

    It ties log lines, audit events and the response together and is no secret; os.urandom is the
    source uuid4 reads too, without building a UUID on every request (issue 15). ``g`` and the
    request are read from their contexts, not through Flask's proxies."""
    request_g = _cv_app.get().g
    found = request_g.get("request_id")
    if found is None:
        supplied = _cv_request.get().request.headers.get("X-Request-ID")
        found = supplied if supplied and _REQUEST_ID.fullmatch(supplied) else os.urandom(16).hex()
        request_g.request_id = found
    return found


_LAYOUT_URLS: dict[tuple[str, str, str | None], str] = {}


def layout_url(endpoint: str, filename: str | None = None) -> str:
    """``url_for`` of an address the layout links on every page (the navigation, the stylesheet),
    built once per process and mount point rather than fifteen times a page (issue 15). Only for
    endpoints without variables: what they build depends on nothing but where the app is mounted."""
    key = (endpoint, _cv_request.get().request.script_root, filename)
    url = _LAYOUT_URLS.get(key)
    if url is None:
        url = url_for(endpoint, filename=filename) if filename is not None else url_for(endpoint)
        if len(_LAYOUT_URLS) < 256:
            _LAYOUT_URLS[key] = url
    return url


def checker_choices() -> list[Any]:
    """The checkers as the choices of an assignment form ("Name (e-mail)")."""
    return choices((u.id, u.choice_label) for u in user_service.checkers(db.session))


def context() -> Context:
    """The services' context for this request: session, settings, clock, who asks from where."""
    app_context = _cv_app.get()
    request_g = app_context.g
    found = request_g.get("service_context")
    if found is None:
        found = request_g.service_context = Context.of(
            db.session, app_context.app.extensions["factcheck"],
            RequestInfo(ip_address=_cv_request.get().request.remote_addr, request_id=request_id()))
    return found


def text_arg(name: str, max_length: int = 200) -> str | None:
    """A query-string value, trimmed, without NULs (PostgreSQL refuses them), or None when empty."""
    value = request.args.get(name, "").replace("\x00", "").strip()[:max_length]
    return value or None


def parse_id(value: str | None) -> int | None:
    """A database id from text: ASCII digits within the id range, else None."""
    if not value or not plain_digits(value) or len(value) > 10:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


def safe_local_url(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None (never another host, however spelled)."""
    if not target:
        return None
    cleaned = "".join(ch for ch in target if ch.isprintable() and not ch.isspace())
    if cleaned != target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@dataclass
class Outcome:
    error: DomainError | None = None


@contextmanager
def shown_on_the_form() -> Iterator[Outcome]:
    """Run a service call whose refusals belong on the page the person is looking at.

    Not-allowed and not-found go on to the app's error pages (403/404); every other domain error is
    caught into ``outcome.error`` for the view to show beside the person's input."""
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        outcome.error = error
