"""factcheck: a newsroom checks every claim of an article before it is published."""
from __future__ import annotations

import gc
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from factcheck import sqlite_memstatus  # noqa: F401  (before any connection: see the module)

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
        # A statement that fires triggers (the dashboard's running counts) keeps a statement journal:
        # in memory, not a temporary file opened for each such statement (0.2-0.4 ms a status change).
        cursor.execute("PRAGMA temp_store=MEMORY")
        # SQLite's default page cache (2 MB a connection) is smaller than a checker's to-do at newsroom
        # scale: my queue re-read 4.4 MB through pread on every view (2.3-3.0 ms; 0.65-1.2 ms with 16 MB).
        # The cache fills only as far as pages are read, so small databases pay nothing for the bound.
        cursor.execute("PRAGMA cache_size=-16000")
        cursor.close()


# Container objects allocated (net of those freed) between two collections of the youngest generation;
# Python's default is 700.
YOUNG_COLLECTION_THRESHOLD = 5000


def settle_heap() -> None:
    """Once per serving process, after its app is built (wsgi.py; the bench's timed process).

    What the app built at start (modules, tables, templates, mappers: ~150,000 objects) lives as long
    as the process: frozen out of the collector's generations it is no longer walked by each full
    collection. A request then leaves mostly cyclic garbage (ORM objects and their states), which
    the youngest generation's collections free; at the default threshold they ran every ~700
    allocations, several times a page, each promoting the request's live objects to be walked again.
    With 5,000 they run once every page or two (docs/performance.md, "Fifth round: garbage
    collection"). The cost is memory: up to that many unreachable objects wait a little longer to be
    freed (a few hundred kB; the process's peak RSS did not move). Not in create_app: the tests build
    hundreds of apps in one process, and the cycle collector never frees a frozen object.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)


# The Cookie headers whose parsed cookies are kept (one per signed-in device recently seen), and the
# longest kept: a browser's whole Cookie header stays well under it.
_MAX_KEPT_COOKIE_HEADERS = 1024
_MAX_KEPT_COOKIE_HEADER = 4096


# Cookie header text → its parsed cookies, shared by the requests that send the same header (a
# signed-in device sends the same one until its session changes). Parsed cookies are immutable.
_PARSED_COOKIES: dict[tuple[str, type], Any] = {}


def _parsed_cookies(text: str, storage: type) -> Any:
    from werkzeug.sansio.http import parse_cookie

    key = (text, storage)
    cookies = _PARSED_COOKIES.get(key)
    if cookies is None:
        cookies = parse_cookie(text, cls=storage)
        if len(text) <= _MAX_KEPT_COOKIE_HEADER:
            if len(_PARSED_COOKIES) >= _MAX_KEPT_COOKIE_HEADERS:
                _PARSED_COOKIES.clear()
            _PARSED_COOKIES[key] = cookies
    return cookies


def _environment_class() -> type[Any]:
    from collections import ChainMap

    from flask.templating import Environment

    class FactcheckEnvironment(Environment):
        """Flask's Jinja environment, a template without globals of its own reading the environment's
        globals themselves rather than a ``ChainMap`` over them.

        Jinja 3 gives every template a ``ChainMap({}, environment.globals)``, and every render copies it
        into the context's variables (``dict(globals, **vars)``) and its keys into a set: a ``ChainMap``
        is copied key by key through Python (``__iter__``, then ``__getitem__`` across its maps), for
        each template rendered, imported or included; 3 % of a signed-in page that shows only the
        layout (issue 15). The environment's dict is what Jinja 2 gave such a template, copied in C.
        Globals added later (``template_macros``) are seen as before, as the dict is the same. A
        template given globals of its own keeps Jinja's ``ChainMap``, and the environment's dict is
        never changed through a template (``_load_template``)."""

        def make_globals(self, d: Any) -> Any:
            return super().make_globals(d) if d else self.globals

        def _load_template(self, name: str, globals: Any) -> Any:
            if not globals:
                return super()._load_template(name, globals)
            template = super()._load_template(name, None)
            if template.globals is self.globals:  # Jinja adds them to a cached template's own map
                template.globals = ChainMap({}, self.globals)
            template.globals.update(globals)
            return template

    return FactcheckEnvironment


def _app_class() -> type[Flask]:
    from flask import Flask, Request
    from flask.helpers import get_debug_flag
    from werkzeug.utils import cached_property

    from factcheck.config import refuse_debug_in_production

    class FactcheckRequest(Request):
        """Flask's request, its blueprint names worked out once per matched rule, and its cookies
        parsed once per distinct Cookie header.

        Flask reads ``request.blueprints`` five times a request (before-request hooks, URL value
        processors, after-request hooks, teardown, template context), each time from the endpoint
        through two properties and a cached split: 1–2 µs each, 5 % of the sign-in form (issue 15).
        The names depend on nothing but the matched rule, so they are kept with it; a request whose
        rule changes (none here does) gets them worked out again."""

        _blueprints_of: tuple[Any, list[str]] | None = None

        @cached_property
        def cookies(self) -> Any:
            # Werkzeug joins ``headers.getlist("Cookie")``, which walks every header of the environ to
            # find the one a WSGI server gives (HTTP_COOKIE), then parses it: 3 % of the sign-in form
            # (issue 15), and read on every request (the session, Flask-Login's remember cookie).
            return _parsed_cookies(self.environ.get("HTTP_COOKIE", ""), self.dict_storage_class)

        @property
        def blueprints(self) -> list[str]:
            rule, kept = self.url_rule, self._blueprints_of
            if kept is not None and kept[0] is rule:
                return kept[1]
            names = Request.blueprints.fget(self)  # type: ignore[attr-defined]
            self._blueprints_of = (rule, names)
            return names

    class FactcheckApp(Flask):
        """Flask, except that ``app.run(debug=True)`` cannot start the debugger in production, and that
        a plain function is found to be one once."""

        request_class = FactcheckRequest
        jinja_environment = _environment_class()

        # Flask asks whether each hook, context processor and view is a coroutine function on every
        # request, about fifteen times (issue 15). The ones found plain are remembered (a few hundred
        # functions, made at start); a coroutine function is asked about and wrapped every time, as before.
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._plain_functions: set[Any] = set()

        def ensure_sync(self, func: Any) -> Any:
            try:
                if func in self._plain_functions:
                    return func
            except TypeError:  # an unhashable callable: asked about every time
                return super().ensure_sync(func)
            synced = super().ensure_sync(func)
            if synced is func and len(self._plain_functions) < 4096:
                self._plain_functions.add(func)
            return synced

        def run(self, host: str | None = None, port: int | None = None, debug: bool | None = None,
                load_dotenv: bool = True, **options: Any) -> None:
            wanted = debug if debug is not None else (self.debug or get_debug_flag())
            refuse_debug_in_production(self.config.get("ENV_NAME") == "production", bool(wanted))
            super().run(host, port, debug, load_dotenv, **options)

    return FactcheckApp


def create_app(config: dict[str, Any] | None = None) -> Flask:
    from factcheck import canonical_json, logs
    from factcheck.config import load_config, refuse_debug_in_production
    from factcheck.extensions import csrf, db, login_manager, migrate

    logs.configure_from_environment()  # before anything logs (gunicorn configures its own)

    app = _app_class()(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.update(load_config(Path(app.instance_path), overrides=config))
    from factcheck.security.sessions import CookieSessions

    app.session_interface = CookieSessions()
    # Flask reads FLASK_DEBUG itself; whatever turned debug on, production does not start with it.
    refuse_debug_in_production(app.config["ENV_NAME"] == "production", app.debug)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    # JSON columns are written in the audit chain's canonical form (factcheck.canonical_json), so a
    # stored audit event's changes are the very text its hash covers; a caller's options come on top.
    options = {"json_serializer": canonical_json.dumps, **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
    # A server connection is pinged only after it sat idle (factcheck.pool_ping), not before every
    # request; a SQLite connection is an open file and cannot be dropped, so it is never pinged.
    options.setdefault("pool_pre_ping", False)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    if not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite") and not options["pool_pre_ping"]:
        from factcheck.pool_ping import DEFAULT_IDLE_SECONDS, ping_after_idle

        with app.app_context():
            ping_after_idle(db.engine, app.config.get("POOL_PING_AFTER_IDLE_SECONDS", DEFAULT_IDLE_SECONDS))
    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite") and app.config.get("SQLITE_WRITERS_QUEUE", True):
        # SQLite's writers wait for one another in a queue, not in SQLite's sleeps (factcheck.sqlite_writers).
        from factcheck.sqlite_writers import queue_writers

        with app.app_context():
            queue_writers(db.engine)
    if app.config.get("FACTCHECK_READS_WITHOUT_TRANSACTION", True):
        # A GET or HEAD request's statements go without BEGIN and ROLLBACK on PostgreSQL until one
        # writes (factcheck.read_requests); SQLite's connections are left as they are.
        from factcheck.read_requests import read_without_transaction

        with app.app_context():
            read_without_transaction(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    from factcheck.security import csrf_tokens

    csrf_tokens.init_app(app)  # the templates' csrf_token(), after Flask-WTF's
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
    from factcheck.security.throttle import check_only_where_limited, limiter

    limiter.init_app(app)
    check_only_where_limited(app)
    logs.init_app(app)
    views.init_app(app)
    cli.init_app(app)
    from factcheck import jobs

    jobs.init_app(app)
    from factcheck.views import template_macros

    template_macros.init_app(app)  # last: the macros' module sees the globals set above
    return app
