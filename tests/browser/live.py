"""A live factcheck server and a headless Chromium, for the browser tests, `make screenshots` and
bench/bench_pages.py.

The server is the real app (``create_app``) on a SQLite file in a temporary folder, migrated to
head and seeded through the services (the demo newsroom), served by Werkzeug on a free port of
127.0.0.1 in a background thread. Browser work uses SQLite only: the database layer is covered on
SQLite and PostgreSQL by the rest of the suite.
"""
from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from factcheck import create_app, jobs
from factcheck.extensions import db
from tests.support.context import ctx

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
DEMO_PASSWORD = "factcheck-demo"
# How long a click, a page load or an `expect` may take. Generous: CI's two cores are shared, and a
# page that does come only waits as long as it needs.
ACTION_TIMEOUT_MS = 20_000
EXPECT_TIMEOUT_MS = 10_000
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


class BrowserUnavailable(RuntimeError):
    """Neither the system's Chromium nor a Playwright-installed browser is there."""


def app_config(database_url: str) -> dict:
    from tests.conftest import base_config

    return {**base_config(database_url), "SQLALCHEMY_RECORD_QUERIES": False}


def prepare_database(directory: Path, seed: Callable | None = None, migrated: Path | None = None) -> str:
    """A migrated SQLite database in ``directory`` with the demo newsroom (and ``seed(session)``);
    ``migrated``: a copy of that already migrated, empty database file instead of migrating again."""
    from factcheck import demo
    from tests.conftest import migrate_to_head

    path = directory / "browser.sqlite3"
    url = f"sqlite:///{path}"
    if migrated is not None:
        shutil.copyfile(migrated, path)
    else:
        migrate_to_head(url)
    app = create_app(app_config(url))
    with app.app_context():
        demo.load(ctx())
        if seed is not None:
            seed(db.session)
        db.session.remove()
        db.engine.dispose()
    return url


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # one line per request would drown the test output
        pass


class LiveServer:
    """``create_app`` served on a free local port in a thread; ``stop()`` shuts it down."""

    def __init__(self, database_url: str) -> None:
        self.app = create_app(app_config(database_url))
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True, request_handler=_QuietHandler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="factcheck-live", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        jobs.shutdown(self.app)
        with self.app.app_context():
            db.engine.dispose()


def chromium_executable() -> str | None:
    """The system's Chromium (Debian's package), or None to use a browser Playwright installed."""
    for name in (os.environ.get("FACTCHECK_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def launch_chromium(playwright):
    """Launch headless Chromium; raise BrowserUnavailable with the reason when there is none."""
    executable = chromium_executable()
    if executable is None:
        bundled = playwright.chromium.executable_path
        if not bundled or not Path(bundled).exists():
            raise BrowserUnavailable(
                "no Chromium: install Debian's `chromium` package (.ci/run does) or set FACTCHECK_CHROMIUM")
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


def sign_in(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/login" in page.url:
        raise AssertionError(f"could not sign in as {email}: {page.locator('main').inner_text()}")
