"""The signed CSRF token of a session, signed once per process rather than once per request.

Flask-WTF's ``generate_csrf`` makes a new serializer and signs the session's raw token with a new
timestamp on every request that renders a form (issue 15). The timestamp only matters when tokens
expire (``WTF_CSRF_TIME_LIMIT``); factcheck's never do (a form left open all day still submits), so
a token signed earlier for the same raw token and keys is exactly as valid as a new one and is
reused. With a time limit set, every token is signed anew, as Flask-WTF does. Checking a submitted
token is Flask-WTF's, unchanged.
"""
from __future__ import annotations

from typing import Any

from flask import Flask
from flask.globals import _cv_app, _cv_request
from flask_wtf.csrf import _FlaskFormCSRF, generate_csrf

# One entry per session seen recently.
_MAX_SIGNED = 4096
_signed: dict[tuple[Any, str, str], str] = {}


def csrf_token(secret_key: Any = None, token_key: str | None = None) -> str:
    """``flask_wtf.csrf.generate_csrf``, with the signature of a raw token reused while tokens never expire.

    The app, ``g`` and the session are read from their contexts once, not through Flask's proxies
    (four lookups of 1-2 µs each, on every page with a form or the signed-in header; issue 15).
    Outside a request, ``generate_csrf`` fails as it always did."""
    app_context, request_context = _cv_app.get(None), _cv_request.get(None)
    if app_context is None or request_context is None:
        return generate_csrf(secret_key, token_key)
    app, request_g = app_context.app, app_context.g
    config = app.config
    field = token_key or config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = request_g.get(field)
    if token is not None:
        return token
    raw = request_context.session.get(field)
    if config.get("WTF_CSRF_TIME_LIMIT", 3600) is not None or not isinstance(raw, str):
        return generate_csrf(secret_key, token_key)
    key = (secret_key or config.get("WTF_CSRF_SECRET_KEY") or app.secret_key, field, raw)
    token = _signed.get(key)
    if token is None:
        token = generate_csrf(secret_key, token_key)
        if len(_signed) >= _MAX_SIGNED:
            _signed.clear()
        _signed[key] = token
    else:
        setattr(request_g, field, token)
    return token


class FormCSRF(_FlaskFormCSRF):
    """Flask-WTF's CSRF for forms, its token from ``csrf_token`` above."""

    def generate_csrf_token(self, csrf_token_field: Any) -> str:
        return csrf_token(secret_key=self.meta.csrf_secret, token_key=self.meta.csrf_field_name)


def init_app(app: Flask) -> None:
    """After ``CSRFProtect.init_app``: the templates' ``csrf_token()`` is this module's."""
    app.jinja_env.globals["csrf_token"] = csrf_token
    # Flask-WTF also puts its generate_csrf into every template's context, where it hides the global:
    # the layout's token was then signed anew on every page without a form (and the layout's header,
    # kept by its token, made anew). Its other name, csrf_meta_tag, is a global too.
    processors = app.template_context_processors[None]
    processors[:] = [p for p in processors if getattr(p, "__module__", None) != "flask_wtf.csrf"]
    _check_only_methods_checked(app)


def _check_only_methods_checked(app: Flask) -> None:
    """Flask-WTF's check of every request, skipped for the methods it never checks (GET, HEAD, …).

    Its hook looks the request's blueprint and view up among the exempt ones (building the view's
    dotted name) before it looks at the method, and returns for any method outside
    ``WTF_CSRF_METHODS``: for every page shown, some 6 µs to find nothing (issue 15). The methods it
    checks (POST, PUT, PATCH, DELETE) still go through the whole hook, exemptions included."""
    hooks = app.before_request_funcs.get(None, [])
    config = app.config
    for n, hook in enumerate(hooks):
        if getattr(hook, "__module__", None) == "flask_wtf.csrf" and getattr(hook, "__name__", "") == "csrf_protect":

            def csrf_protect(check: Any = hook) -> Any:
                method = _cv_request.get().request.method  # the request proxy's lookup, without it
                return check() if method in config["WTF_CSRF_METHODS"] else None

            hooks[n] = csrf_protect
