"""The services' context inside a test: the app's session, settings and clock, and no request."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Flask, current_app

from factcheck.extensions import db
from factcheck.services.context import Context, Runtime


def ctx() -> Context:
    """A context for calling a service directly, as a command or a job would (the app is pushed)."""
    return Context.of(db.session, current_app.extensions["factcheck"])


def configure(app: Flask, **settings: Any) -> None:
    """Change the newsroom's settings of a running app, e.g. ``configure(app, checker_pool=True)``."""
    runtime: Runtime = app.extensions["factcheck"]
    runtime.settings = replace(runtime.settings, **settings)
