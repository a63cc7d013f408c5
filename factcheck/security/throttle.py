"""Sign-in throttling (Flask-Limiter): failed sign-ins are limited per account and per address, in
Redis when FACTCHECK_REDIS_URL is set (shared by every app server), in memory otherwise.

Only failures count, so a desk signing in all morning is never slowed. The audit log gets one
``auth.login_failed`` event per account per window, not one per wrong password: the count of the
window is kept here, in the limiter's storage.
"""
from __future__ import annotations

import functools
import time
from typing import Any

from flask import Flask, Response, current_app, has_app_context, request
from flask.globals import request_ctx
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

WINDOW_SECONDS = 15 * 60
PER_ACCOUNT = f"5 per {WINDOW_SECONDS // 60} minutes"
PER_ADDRESS = f"50 per {WINDOW_SECONDS // 60} minutes"

_PER_APP = "factcheck-limiter"


def _per_app(name: str) -> property:
    """An attribute of the limiter kept by each app (in its ``extensions``) rather than once per
    process: the routes' limits are declared on one module-level limiter, but where the counts live
    is each app's configuration. Otherwise the last app made in a process (several in the tests)
    would decide the storage of every other."""

    def get(self: Limiter) -> Any:
        if has_app_context():
            state = current_app.extensions.get(_PER_APP)
            if state is not None and name in state:
                return state[name]
        return self.__dict__.get(name)

    def put(self: Limiter, value: Any) -> None:
        if has_app_context():
            current_app.extensions.setdefault(_PER_APP, {})[name] = value
        else:
            self.__dict__[name] = value

    return property(get, put)


class AppLimiter(Limiter):
    _storage = _per_app("_storage")
    _storage_uri = _per_app("_storage_uri")
    _storage_options = _per_app("_storage_options")
    _storage_dead = _per_app("_storage_dead")
    _limiter = _per_app("_limiter")
    _fallback_storage = _per_app("_fallback_storage")
    _fallback_limiter = _per_app("_fallback_limiter")

    def init_app(self, app: Any) -> None:
        with app.app_context():  # so the storage it makes is this app's own
            app.extensions[_PER_APP] = {"_storage_options": dict(self.__dict__.get("_storage_options") or {})}
            super().init_app(app)


limiter = AppLimiter(key_func=get_remote_address, strategy="fixed-window", headers_enabled=True)


def account_key() -> str:
    """The account a sign-in is for, as typed (unknown accounts are limited too)."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def address_key() -> str:
    return "address:" + (get_remote_address() or "unknown")


def failed(response: Response) -> bool:
    """A sign-in that did not get through (wrong password 401, deactivated account 403)."""
    return response.status_code in (401, 403)


def _failures_key(account: str) -> str:
    return f"login-failures/{account}/{int(time.time() // WINDOW_SECONDS)}"


def first_failure_in_window(account: str) -> bool:
    """Whether no sign-in to ``account`` has failed yet in this window (so this one is audited)."""
    return int(limiter.storage.get(_failures_key(account)) or 0) == 0


def count_failure(account: str) -> None:
    limiter.storage.incr(_failures_key(account), WINDOW_SECONDS)


def check_only_where_limited(app: Flask) -> None:
    """Run the limiter's per-request check only for requests it can limit.

    ``limiter.init_app`` checks every request before its view. The sign-in limits are on their
    view (its decorator checks them itself) and the API's on its blueprint, and there are no
    default or application-wide limits: for every other request (the pages) the check found
    nothing to count, at about a tenth of the sign-in form's time (issue 15). Limits configured
    for the whole app later are still honoured: they are looked at on each request."""
    hooks = app.before_request_funcs.get(None, [])
    check = limiter._check_request_limit
    if check not in hooks:
        return
    manager = limiter.limit_manager

    def check_request_limit() -> None:
        if (manager._default_limits or manager._application_limits
                or not manager._blueprint_limits.keys().isdisjoint(request.blueprints)):
            check()

    hooks[hooks.index(check)] = check_request_limit
    _after_only_where_checked(app)


def _limiter_touched() -> bool:
    # Flask-Limiter keeps a request's state on the request context, made the first time a limit is
    # looked at (the check above, a decorated view); without it there is nothing to count or report.
    return getattr(request_ctx, "_limiter_request_context", None) is not None


def _when_touched(hook: Any, otherwise: Any) -> Any:
    def hook_when_touched(*args: Any) -> Any:
        return hook(*args) if _limiter_touched() else otherwise(*args)

    return hook_when_touched


def _after_only_where_checked(app: Flask) -> None:
    """Run the limiter's after-request hook (conditional deductions, rate-limit headers) and its
    teardown only for requests a limit was looked at for: for any other, the first made the
    request's limiter state only to find it empty, and the second made it to clear it."""
    after = app.after_request_funcs.get(None, [])
    for n, hook in enumerate(after):
        if isinstance(hook, functools.partial) and getattr(hook.func, "__name__", "") == "__inject_headers":
            after[n] = _when_touched(hook, lambda response: response)
    teardown = app.teardown_request_funcs.get(None, [])
    for n, hook in enumerate(teardown):
        if getattr(hook, "__self__", None) is limiter and getattr(hook, "__name__", "") == "__release_context":
            teardown[n] = _when_touched(hook, lambda _error=None: None)
