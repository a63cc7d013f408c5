"""What every API route shares: the blueprint, token authentication, problem details (RFC 9457),
body limits, cursors and the claim's ETag."""
from __future__ import annotations

import base64
import binascii
import http
import json
import re
from collections.abc import Callable
from typing import Any

import flask
from flask import Flask, Response, current_app, g, jsonify, request
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge
from werkzeug.routing import RequestRedirect

from factcheck.api import PREFIX
from factcheck.api.schemas import ProblemSchema
from factcheck.digits import plain_digits
from factcheck.errors import DomainError, EditConflict, GateClosed
from factcheck.extensions import csrf
from factcheck.models import ApiToken, User
from factcheck.security.throttle import limiter
from factcheck.services import tokens
from factcheck.services.context import Context
from factcheck.views.common import MAX_ID, context

PROBLEM = "application/problem+json"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_RATE_LIMIT = "600 per minute"

bp = Blueprint("api", __name__, url_prefix=PREFIX,
               description="Articles, claims, verdicts, the publication gate, the audit log and users.")


class FactcheckApi(Api):
    """flask-smorest's Api, documenting errors as problem details and leaving the app's own error
    pages alone (the API's errors are handled on its blueprint, below)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        pass

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


# ---- problem details --------------------------------------------------------------------------------

def problem(status: int, detail: str, *, title: str | None = None, headers: dict[str, str] | None = None,
            **extra: Any) -> Response:
    body = {"type": "about:blank", "title": title or http.HTTPStatus(status).phrase, "status": status,
            "detail": detail, "instance": request.path, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _claim_summary(claim: Any) -> dict[str, Any]:
    return {"id": claim.id, "status": claim.status, "url": f"{bp.url_prefix}/claims/{claim.id}"}


def _precondition_failed(version: Any, current: dict[str, Any], what: str = "claim") -> Response:
    return problem(412, f"Someone else changed this {what} since you read it: the ETag you sent in If-Match is no "
                   f"longer current. Read the {what} again, check their change, and retry with its ETag.",
                   title="Precondition Failed", current_version=version, current=_jsonable(current),
                   headers={"ETag": etag_of(version)})


def stale(claim: Any) -> Response:
    from factcheck.services.claims import snapshot

    return _precondition_failed(claim.version, snapshot(claim))


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError) -> Response:
    if isinstance(error, EditConflict):
        # Through the API, only a stale If-Match reaches the services' version checks.
        return _precondition_failed(error.details.get("current_version"), error.details.get("current", {}),
                                    error.details.get("what", "claim"))
    extra: dict[str, Any] = {}
    if isinstance(error, GateClosed):
        extra["blocking"] = [{**_claim_summary(b.claim), "reason": b.reason}
                             for b in error.details.get("blocking", [])]
    if "field" in error.details:
        extra["errors"] = {"json": {error.details["field"]: [error.message]}}
    return problem(error.status_code, error.message, **extra)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Any:
    if isinstance(error, RequestRedirect):
        return error.get_response()
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    extra: dict[str, Any] = {}
    detail = error.description or ""
    if status == 422 and "messages" in data:
        extra["errors"] = data["messages"]
        detail = "The request does not match the schema; see `errors` for each field."
    elif status == 413:
        detail = (f"The request body is larger than the API's limit of {body_limit()} bytes.")
    elif status == 429:
        detail = f"Too many requests for this token ({error.description}); wait and retry."
    headers = dict(data.get("headers") or {})
    if status == 405 and isinstance(error, HTTPException):
        headers.update({k: v for k, v in error.get_headers() if k == "Allow"})
    if status == 429:
        headers.update({k: v for k, v in error.get_headers() if k.lower().startswith(("retry-after", "x-ratelimit"))})
    return problem(status, detail, headers=headers, **extra)


@bp.errorhandler(Exception)
def _unexpected(error: Exception) -> Response:
    current_app.logger.exception("Unhandled error on %s", request.path)
    return problem(500, "Something went wrong; the error has been logged with this request's id.")


# ---- authentication, scopes, limits -----------------------------------------------------------------

_BEARER = re.compile(r"Bearer\s+(\S+)\s*\Z", re.IGNORECASE)


def body_limit() -> int:
    settings = context().settings
    return int(current_app.config.get("FACTCHECK_API_MAX_BODY_BYTES", 2 * settings.max_article_bytes + 64_000))


def _unauthorized(detail: str) -> Response:
    return problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="factcheck"'})


@bp.before_request
def _authenticate() -> Response | None:
    """Bearer token only: the pages' session cookie is ignored here, so a browser tab cannot be made
    to write through the API (and the API needs no CSRF token)."""
    match = _BEARER.match(request.headers.get("Authorization", ""))
    if match is None:
        return _unauthorized("Send an API token as `Authorization: Bearer <token>`; an admin issues tokens "
                             "on the users page.")
    token = tokens.token_for(context().session, match.group(1), context().now())
    if token is None:
        return _unauthorized("This token is not valid: unknown, revoked or expired, or its user is deactivated.")
    g.api_token = token
    g.api_user = token.user
    if request.method not in READ_METHODS and "write" not in token.scope_set:
        return problem(403, "This token has the read scope only; writing needs a token with the write scope.")
    limit = body_limit()
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()
    request.max_content_length = limit  # a body sent without a length is cut off at the limit too
    if request.method in {"POST", "PUT", "PATCH"} and (request.content_length or request.headers.get(
            "Transfer-Encoding")) and not request.is_json:
        return problem(415, "Send the request body as JSON (Content-Type: application/json).")
    return None


def _rate_key() -> str:
    header = request.headers.get("Authorization", "")
    return "api:" + tokens.hash_secret(header) if header else "api-anon:" + (request.remote_addr or "")


# Per token (per address without one), across the whole API; FACTCHECK_API_RATE_LIMIT changes it.
# Registered once, on the module's blueprint, however many apps are made (tests make many).
limiter.limit(lambda: str(current_app.config.get("FACTCHECK_API_RATE_LIMIT", DEFAULT_RATE_LIMIT)),
              key_func=_rate_key)(bp)


def install(app: Flask) -> None:
    """What the app needs besides the blueprint: problem details for addresses under /api/v1 that
    match no route."""
    csrf.exempt(fallback)
    app.register_blueprint(fallback)


# Addresses under /api/v1 that match no route: a plain blueprint, so the catch-all stays out of the
# OpenAPI document; it answers 404 or 405 as problem details rather than the pages' error page.
fallback = flask.Blueprint("api_fallback", __name__, url_prefix=PREFIX)


@fallback.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def _nowhere(rest: str) -> Response:
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if endpoint != "api_fallback._nowhere":
            allowed.append(method)
    if allowed:
        return problem(405, f"{request.method} is not allowed here; use {', '.join(allowed)}.",
                       headers={"Allow": ", ".join(allowed)})
    return problem(404, "There is nothing at this address in the API; see /api/v1/docs.")


# ---- who asks, and helpers for the routes -----------------------------------------------------------

def user() -> User:
    found: User = g.api_user
    return found


def token() -> ApiToken:
    found: ApiToken = g.api_token
    return found


def ctx() -> Context:
    return context()


def checked_id(value: int) -> int:
    """Path ids beyond the database's id range are simply not there (rather than an overflow)."""
    if not 0 < value <= MAX_ID:
        raise NotFound("There is no such object.")
    return value


def encode_cursor(last_id: int | None) -> str | None:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=") if last_id else None


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith("id:") or not plain_digits(text[3:]) or not 0 < int(text[3:]) <= MAX_ID + 1:
        raise _bad_cursor()
    return int(text[3:])


class _BadCursor(HTTPException):
    code = 400
    description = "The cursor is not one this API gave; start again without it."


def _bad_cursor() -> HTTPException:
    return _BadCursor()


def page_links(next_cursor: str | None, **args: Any) -> dict[str, str]:
    if not next_cursor:
        return {}
    query = "&".join(f"{k}={v}" for k, v in {**args, "cursor": next_cursor}.items() if v not in (None, "", False))
    return {"Link": f'<{request.base_url}?{query}>; rel="next"'}


def etag_of(version: Any) -> str:
    return f'"{version}"'


def if_match_value(required: bool = True) -> str | None:
    """The ETag the client last read, from ``If-Match``, unquoted. Missing: 428 (when required);
    ``*``: None, no check."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        if required:
            raise _PreconditionRequired()
        return None
    if raw == "*":
        return None
    value = raw.removeprefix("W/").strip('"')
    if not value.isascii() or not value.isalnum() or len(value) > 40:
        raise _BadIfMatch()
    return value


def if_match(required: bool = True) -> int | None:
    """The claim version the client last read, from ``If-Match``. Missing: 428; ``*``: no check."""
    value = if_match_value(required)
    if value is None:
        return None
    if not plain_digits(value) or len(value) > 9:
        raise _BadIfMatch()
    return int(value)


class _PreconditionRequired(HTTPException):
    code = 428
    description = ("A write on a claim or a piece of evidence needs `If-Match` with its ETag (from GET "
                   "/api/v1/claims/{id} or /api/v1/claims/{id}/evidence/{evidence_id}), so that nobody's change "
                   "is overwritten unseen.")


class _BadIfMatch(HTTPException):
    code = 400
    description = "If-Match must be the ETag as the API gave it, e.g. \"3\"."


Loader = Callable[..., Any]
