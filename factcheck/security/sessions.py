"""The session cookie: Flask's signed cookie, unchanged in what it holds, signs and checks."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask.sessions import SecureCookieSessionInterface

if TYPE_CHECKING:
    from flask import Flask
    from itsdangerous import URLSafeTimedSerializer


class CookieSessions(SecureCookieSessionInterface):
    """Flask's session interface with its signing serializer made once for the app's keys, instead
    of anew to read the cookie on every request and again to write it (issue 15). A changed secret
    key or fallback list makes a new one."""

    _made: tuple[Any, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        made = self._made
        if made is None or made[0] != keys:
            made = self._made = (keys, super().get_signing_serializer(app))
        return made[1]
