from flask import Flask

from factcheck.security.permissions import PERMISSIONS, Action, can, require

__all__ = ["PERMISSIONS", "Action", "can", "init_app", "require"]


def init_app(app: Flask) -> None:
    from factcheck.security.login import init_login

    init_login(app)
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["Action"] = Action
