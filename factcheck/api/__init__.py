"""The JSON API for the newsroom's other systems: /api/v1 (DESIGN §1, issue 16).

A second front door to the same services as the pages: every rule, permission and audit event comes
from ``factcheck.services``; this package only authenticates the token, parses JSON, calls the
service and shapes the answer (errors as RFC 9457 problem details). OpenAPI 3 comes from the code
through flask-smorest (see docs/api.md for why), served at /api/v1/openapi.json with a browsable
page at /api/v1/docs whose assets are vendored (factcheck/static/vendor/swagger-ui), so it works
offline.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

PREFIX = "/api/v1"


def init_app(app: Flask) -> None:
    from factcheck.api import (  # noqa: F401  (their routes join ``bp``)
        articles,
        audit,
        claims,
        evidence,
        notifications,
        users,
        webhooks,
    )
    from factcheck.api.core import FactcheckApi, bp, install
    from factcheck.extensions import csrf

    app.config.setdefault("API_TITLE", "factcheck")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("OPENAPI_SWAGGER_UI_PATH", "/docs")
    app.config.setdefault("OPENAPI_SWAGGER_UI_URL", "/static/vendor/swagger-ui/")
    app.config.setdefault("OPENAPI_SWAGGER_UI_CONFIG", {"persistAuthorization": False, "tryItOutEnabled": True})
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "The newsroom's fact-checking desk for programs: see docs/api.md. Send "
                                "`Authorization: Bearer <token>`; errors are application/problem+json."},
        "security": [{"bearerAuth": []}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    })
    # The API authenticates each request by its token, never by the pages' cookie: no CSRF token needed.
    csrf.exempt(bp)
    api = FactcheckApi(app)
    install(app)
    api.register_blueprint(bp)
