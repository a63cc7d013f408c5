"""The session cookie: Flask's signed cookie, unchanged in what it holds, signs and checks."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

if TYPE_CHECKING:
    from flask import Flask, Request, Response
    from flask.sessions import SessionMixin
    from itsdangerous import URLSafeTimedSerializer

# Values a session can be rebuilt from without copying them: a cached session's values are shared by
# every request that sends the same cookie, so none may be changed in place (flash messages are a list).
_IMMUTABLE = (str, int, float, bool, type(None))
# One entry per cookie recently seen (a signed-in device's cookie changes only when its session does).
_MAX_SEEN = 4096


class _Keys:
    """The serializer for one set of keys, and the cookies it has already checked."""

    __slots__ = ("keys", "seen", "serializer")

    def __init__(self, keys: Any, serializer: URLSafeTimedSerializer | None) -> None:
        self.keys = keys
        self.serializer = serializer
        # cookie text → (when it was signed, its values)
        self.seen: dict[str, tuple[int, dict[str, Any]]] = {}


class CookieSessions(SecureCookieSessionInterface):
    """Flask's session interface with its signing serializer made once for the app's keys, instead
    of anew to read the cookie on every request and again to write it (issue 15). A changed secret
    key or fallback list makes a new one.

    A cookie whose signature has been checked is remembered with its values, so the same cookie sent
    again (every request of a signed-in device until its session changes) is not unsigned, inflated
    and parsed again: the exact text, signed by the same keys, within the same lifetime, always
    unsigns to the same values. Its age is still checked on every request, and a new secret key or
    fallback list forgets every cookie seen."""

    _made: _Keys | None = None

    def _keys(self, app: Flask) -> _Keys:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        made = self._made
        if made is None or made.keys != keys:
            made = self._made = _Keys(keys, super().get_signing_serializer(app))
        return made

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        return self._keys(app).serializer

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        # The usual request leaves its session as it found it and sends no cookie: Flask's method
        # then only adds "Vary: Cookie" (if the session was looked at), through the response's
        # parsed Vary header, and reads seven cookie settings it will not use.
        if session.modified or (session and self.should_set_cookie(app, session)):
            super().save_session(app, session, response)
        elif session.accessed:
            headers = response.headers
            if any(name.lower() == "vary" for name, _value in headers.items()):
                response.vary.add("Cookie")  # merged with what the view set
            else:
                headers.add("Vary", "Cookie")

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        made = self._keys(app)
        if made.serializer is None:
            return None
        text = request.cookies.get(self.get_cookie_name(app))
        if not text:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        seen = made.seen.get(text)
        # The age test of itsdangerous' TimestampSigner.unsign, which raises SignatureExpired.
        if seen is not None and 0 <= int(time.time()) - seen[0] <= max_age:
            return self.session_class(seen[1])
        try:
            data, signed = made.serializer.loads(text, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and all(type(value) in _IMMUTABLE for value in data.values()):
            if len(made.seen) >= _MAX_SEEN:
                made.seen.clear()
            made.seen[text] = (int(signed.timestamp()), data)
        return self.session_class(data)
