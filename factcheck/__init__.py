"""factcheck: a newsroom checks every claim of an article before it is published."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

if TYPE_CHECKING:  # the services import this package too, and must not pull in Flask
    from flask import Flask

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless asked, and WAL lets readers work while one writer commits.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    from flask import Flask

    from factcheck.config import load_config
    from factcheck.extensions import csrf, db, login_manager, migrate

    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.update(load_config(Path(app.instance_path), overrides=config))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)

    from factcheck import cli, views
    from factcheck.security import login
    from factcheck.services import checkpoints
    from factcheck.services.context import Runtime
    from factcheck.settings import Settings

    # The services' collaborators; tests swap the clock or the settings here.
    app.extensions["factcheck"] = Runtime(settings=Settings.from_config(app.config),
                                          checkpoints=checkpoints.from_config(app.config))
    login.init_app(app)
    from factcheck.security.throttle import limiter

    limiter.init_app(app)
    views.init_app(app)
    cli.init_app(app)
    return app
