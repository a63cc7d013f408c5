"""Real processes and real HTTP for the operations tests: a database of the test's own, gunicorn
servers started from gunicorn.conf.py, and a small cookie-keeping browser over urllib."""
from __future__ import annotations

import hashlib
import html
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import PG_URL_ENV, migrate_to_head

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(os.environ.get("VIRTUAL_ENV", PROJECT_ROOT / ".venv")) / "bin"
HTTP_TIMEOUT = 30
REDIS_URL_ENV = "FACTCHECK_TEST_REDIS_URL"


def redis_url(db_number: int) -> str:
    """A Redis database for a test: on FACTCHECK_TEST_REDIS_URL's server (.ci/run sets it; then a
    Redis that does not answer fails the test), else on 127.0.0.1:6379 when one answers there, else
    the test is skipped with the reason."""
    import pytest
    import redis

    configured = os.environ.get(REDIS_URL_ENV)
    base = re.sub(r"/\d*$", "", configured or "redis://127.0.0.1:6379")
    url = f"{base}/{db_number}"
    if not configured:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis.exceptions.ConnectionError:
            pytest.skip(f"needs Redis: none answers at {base}; set {REDIS_URL_ENV} (.ci/run starts one)")
    return url


def redis_db_of_this_worker() -> int:
    """A Redis database number of this test process's own (Redis has 16): 10 + the xdist worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return 10 + int(worker.removeprefix("gw") or 0) % 6


def worker_suffix() -> str:
    checkout = hashlib.sha1(str(PROJECT_ROOT).encode()).hexdigest()[:8]
    return f"{checkout}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def fresh_postgres_schema(name: str) -> str | None:
    """A new, migrated schema in the test database, for this checkout and worker only; its URL
    (search_path set), or None without FACTCHECK_TEST_DATABASE_URL."""
    from factcheck.config import normalise_database_url

    base = os.environ.get(PG_URL_ENV)
    if not base:
        return None
    base = normalise_database_url(base)
    schema = f"fc_ops_{name}_{worker_suffix()}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    migrate_to_head(url)
    return url


def drop_postgres_schema(url: str) -> None:
    schema = urllib.parse.unquote(url.split("search_path%3D")[1]).split("&")[0].split(" ")[0]
    engine = sa.create_engine(url.split("?")[0])
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """One gunicorn started as production starts it: `gunicorn -c gunicorn.conf.py wsgi:app`."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, **self.env, "FACTCHECK_BIND": f"127.0.0.1:{self.port}"}
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=PROJECT_ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_ready(self, deadline_seconds: float = 90, path: str = "/healthz", status: int = 200) -> None:
        """Until ``path`` answers ``status`` (a server started during an outage answers /readyz 503)."""
        assert self.process is not None
        deadline = time.monotonic() + deadline_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=5) as response:
                    if response.status == status:
                        return
            except urllib.error.HTTPError as error:
                if error.code == status:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer {path} with {status} in {deadline_seconds} s:\n{self.log()}")

    def stop(self) -> int | None:
        """SIGTERM (a graceful shutdown), then SIGKILL if it is still there after 20 s."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()
        return self.process.returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str


class Browser:
    """Keeps cookies, never follows redirects, returns every status as a Reply (no exceptions)."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())

    def request(self, url: str, data: dict[str, object] | None = None, headers: dict[str, str] | None = None) -> Reply:
        body = urllib.parse.urlencode({k: str(v) for k, v in data.items()}).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=HTTP_TIMEOUT) as response:
                return Reply(response.status, dict(response.headers), response.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read().decode("utf-8", "replace"))

    def get(self, url: str, **kwargs: object) -> Reply:
        return self.request(url, **kwargs)  # type: ignore[arg-type]

    def submit(self, page_url: str, action_url: str, data: dict[str, object]) -> Reply:
        """POST a form the way a person does: the CSRF token comes from the page the form is on."""
        page = self.get(page_url)
        assert page.status == 200, (page.status, page.text[:500])
        return self.request(action_url, {"csrf_token": csrf_token(page.text), **data})

    def sign_in(self, base_url: str, email: str, password: str) -> Reply:
        return self.submit(base_url + "/login", base_url + "/login", {"email": email, "password": password})


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page)
    assert match, "the page has no CSRF token"
    return html.unescape(match.group(1))
