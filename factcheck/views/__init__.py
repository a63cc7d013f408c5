"""Blueprints (one per area) and the app-wide error pages."""
from __future__ import annotations

from typing import Any

from flask import Flask, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from factcheck.errors import DomainError
from factcheck.views.common import layout_url, request_id, safe_local_url


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _error_page(status: int, title: str, message: str) -> tuple[str | Response, int]:
    if wants_json():
        return jsonify(error=message, status=status), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


# No inline script or style anywhere: scripts and the stylesheet come from /static, htmx runs with
# includeIndicatorStyles off (templates/base.html), and the report's JSON-LD block is data, not code
# (a browser never executes <script type="application/ld+json">). docs/security.md explains each part.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# Sent in production only: a developer's http://localhost must not be pinned to HTTPS for a year.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
)


def _page_of_form(app: Flask, path: str) -> str | None:
    """The page a POST-only address belongs to (``/claims/7/evidence`` → ``/claims/7``): reloading or
    bookmarking the address a refused form left in the bar lands there instead of on a 405."""
    adapter = app.url_map.bind(request.host, script_name=request.script_root or None)
    while "/" in path.strip("/"):
        path = path.rstrip("/").rsplit("/", 1)[0]
        try:
            adapter.match(path, method="GET")
        except HTTPException:
            continue
        return path
    return None


def _tag_responses(app: Flask, production: bool) -> None:
    """Every answer carries its request id and the security headers (HSTS in production)."""
    fixed = [*SECURITY_HEADERS, *([("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)] if production else [])]
    ours = frozenset(name.lower() for name, _value in [*fixed, ("X-Request-ID", "")])

    @app.after_request
    def _tag_response(response: Response) -> Response:
        headers = response.headers
        if ours.isdisjoint([name.lower() for name, _value in headers.items()]):
            # The usual case, appended as they are: werkzeug's Headers.setdefault checks every value
            # for line breaks again, six times a response (a fiftieth of the sign-in form's time).
            # These values are constants, and the request id is hex or matched a strict pattern.
            headers._list.extend([("X-Request-ID", request_id()), *fixed])
        else:  # a view set one of them itself: its value stands
            headers.setdefault("X-Request-ID", request_id())
            for name, value in fixed:
                headers.setdefault(name, value)
        return response


def init_app(app: Flask) -> None:
    from factcheck.views import (
        articles,
        audit,
        auth,
        claims,
        conversation,
        dashboard,
        errors_db,
        idempotency,
        jobs,
        main,
        notifications,
        queues,
        users,
        webhooks,
    )
    from factcheck.views.converters import CONVERTERS

    # Before any blueprint adds its rules: every number in a path is checked by these converters.
    app.url_map.converters.update(CONVERTERS)
    for module in (auth, main, articles, claims, conversation, queues, audit, dashboard, notifications, users, jobs,
                   webhooks):
        app.register_blueprint(module.bp)
    errors_db.init_app(app)  # 503 + Retry-After when the database or Redis is down, before any 500
    idempotency.init_app(app)  # a form sent twice is carried out once
    from factcheck import api

    api.init_app(app)  # /api/v1 (factcheck/api): token auth, exempt from the pages' CSRF check

    from factcheck.views import filters

    filters.init_app(app)
    app.jinja_env.globals["layout_url"] = layout_url
    production = app.config.get("ENV_NAME") == "production"

    _tag_responses(app, production)

    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError) -> Any:
        # Views handle the errors they expect; this catches the rest without a 500.
        if error.status_code in (403, 404) or wants_json() or request.method == "GET":
            titles = {403: "Not allowed", 404: "Not found", 409: "Conflict"}
            return _error_page(error.status_code, titles.get(error.status_code, "Cannot do that"), error.message)
        flash(error.message, "error")
        referrer = request.referrer or ""
        own = referrer.removeprefix(request.host_url.rstrip("/")) if referrer.startswith(request.host_url) else None
        return redirect(safe_local_url(own) or url_for("main.home"))

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> Any:
        return _error_page(400, "Form expired", "The form was missing its security token or it expired. "
                           "Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Any:
        if request.path.startswith("/api/"):
            # An address the API has no route for (a malformed id, say) is the API's 404, in its format.
            from factcheck.api.core import problem

            return problem(error.code or 500, error.description or error.name)
        if error.code == 405 and request.method == "GET" and (page := _page_of_form(app, request.path)):
            return redirect(request.script_root + page)
        titles = {403: "Not allowed", 404: "Page not found", 405: "Method not allowed", 413: "Too large",
                  429: "Too many attempts"}
        description = error.description or ""
        if error.code == 429:
            description = (f"{description}. Wait a few minutes before trying again; "
                           "if you forgot your password, ask an administrator.")
        return _error_page(error.code or 500, titles.get(error.code or 500, error.name), description)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Any:
        app.logger.exception("Unhandled error on %s", request.path)
        return _error_page(500, "Something went wrong", "The error has been logged. Your last action may not "
                           "have been saved; please try again.")
