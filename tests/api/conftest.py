"""Fixtures of the API tests: tokens issued through the real service, and a client that sends them."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from factcheck.models import User
from factcheck.services import tokens
from tests.support.context import ctx
from tests.support.factories import Factory


class ApiClient:
    """A test client speaking to /api/v1 with one bearer token (and nothing else: no cookie is sent
    unless a test passes a signed-in client)."""

    def __init__(self, client: Any, secret: str | None, user: User | None = None) -> None:
        self.client = client
        self.secret = secret
        self.user = user

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        return headers | (extra or {})

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(_url(path), headers=self.headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.client.post(_url(path), json=json, headers=self.headers(kwargs.pop("headers", None)), **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.client.put(_url(path), json=json, headers=self.headers(kwargs.pop("headers", None)), **kwargs)

    def write(self, path: str, json: Any = None) -> Any:
        """A claim write with the claim's current ETag in If-Match (read just before)."""
        claim_path = "/".join(path.split("/")[:3])
        etag = self.get(claim_path).headers["ETag"]
        return self.post(path, json=json or {}, headers={"If-Match": etag})


def _url(path: str) -> str:
    return path if path.startswith("/api/") else "/api/v1" + path


@pytest.fixture
def admin(make: Factory) -> User:
    return make.user("admin")


@pytest.fixture
def api_as(app: Flask, make: Factory, admin: User, new_client):
    """api_as("editor") is an ApiClient with a fresh read+write token of a new editor; pass a User to
    use that user, and ``scopes``/``days`` to shape the token."""

    def build(role_or_user: str | User, scopes: tuple[str, ...] = ("read", "write"), days: int = 30) -> ApiClient:
        user = make.user(role_or_user) if isinstance(role_or_user, str) else role_or_user
        issued = tokens.issue_token(ctx(), actor=admin, user=user, name="test", scopes=list(scopes), days=days)
        # The suite's client: each request in an app context of its own, as in production.
        return ApiClient(new_client(), issued.secret, user)

    return build


@pytest.fixture
def audited(app: Flask):
    """audited("claim.reanchored") lists the audit events of that action, oldest first."""
    from factcheck.extensions import db
    from factcheck.models import AuditEvent

    def events(action: str) -> list[AuditEvent]:
        db.session.expire_all()
        return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)
                                       .order_by(AuditEvent.id)))

    return events
