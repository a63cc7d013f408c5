"""Fixtures shared by the whole suite.

Every test that touches the database runs twice: on SQLite always, and on PostgreSQL when
FACTCHECK_TEST_DATABASE_URL is set. The schema is built once per test session by the real
migrations (audit triggers included); each test then starts from empty tables: a fresh copy of
the migrated SQLite file, or emptied tables on PostgreSQL (see _empty_postgres), and an empty audit
checkpoint file.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import jinja2
import jinja2.bccache
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from factcheck import create_app, jobs
from factcheck.extensions import db
from tests.support.context import ctx
from tests.support.factories import Factory

# Fixtures kept in their own modules, available to every test.
pytest_plugins = ["tests.support.clock", "tests.support.smtp"]

PG_URL_ENV = "FACTCHECK_TEST_DATABASE_URL"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _schema() -> str:
    """This checkout's and this worker's own PostgreSQL schema: two checkouts (or CI beside a
    developer) testing on one server at once never share tables."""
    checkout = hashlib.sha1(str(Path(__file__).resolve().parents[1]).encode()).hexdigest()[:8]
    return f"fc_test_{checkout}_{_worker()}"


def postgres_url() -> str | None:
    url = os.environ.get(PG_URL_ENV)
    if not url:
        return None
    from factcheck.config import normalise_database_url

    url = normalise_database_url(url)
    schema = _schema()
    # A lock wait in a test is a bug in the test: fail in seconds instead of hanging the suite.
    # A commit need not wait for its WAL to reach the disk (nothing here must survive a crash of the
    # server); it is still atomic and isolated as ever.
    return (f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}%20-clock_timeout%3D10s"
            "%20-csynchronous_commit%3Doff")


# Audit checkpoints of apps built outside the ``app`` fixture (live servers, migrations): this test
# process's own folder, so no run sees another's (or the developer's instance/) checkpoints.
_CHECKPOINTS = Path(tempfile.mkdtemp(prefix="fc-audit-checkpoints-"))
TEST_AUDIT_KEY = "test-audit-key"


def base_config(database_url: str, checkpoint_file: Path | None = None) -> dict:
    default_file = _CHECKPOINTS / f"{hashlib.sha1(database_url.encode()).hexdigest()[:12]}.jsonl"
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "FACTCHECK_AUDIT_KEY": TEST_AUDIT_KEY,
        "FACTCHECK_AUDIT_CHECKPOINT_FILE": str(checkpoint_file or default_file),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_RECORD_QUERIES": True,
        "FACTCHECK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Jobs in threads of the test's app; a page waits for its job as long as a test may take, so
        # the pages answer as they do for a small article (tests/jobs cover the progress page).
        "FACTCHECK_JOBS": "thread",
        "FACTCHECK_JOB_INLINE_WAIT": 60.0,
    }


def app_environment(database_url: str) -> dict[str, str]:
    """The environment of an app process started by a test (gunicorn, the flask command) on the same
    database as the test's own app: the same audit key and checkpoint file, so both see one chain."""
    config = base_config(database_url)
    return {"FACTCHECK_DATABASE_URL": database_url, "FACTCHECK_AUDIT_KEY": config["FACTCHECK_AUDIT_KEY"],
            "FACTCHECK_AUDIT_CHECKPOINT_FILE": config["FACTCHECK_AUDIT_CHECKPOINT_FILE"]}


def migrate_to_head(database_url: str) -> None:
    from flask_migrate import upgrade

    app = create_app(base_config(database_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def scratch_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where the tests' SQLite files go: in memory (/dev/shm) when the machine has it, where a commit
    costs microseconds instead of a flush to disk (milliseconds; far more on a busy CI disk)."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path_factory.mktemp("databases")
        return
    path = Path(tempfile.mkdtemp(prefix=f"factcheck-tests-{_worker()}-", dir=shm))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def sqlite_template(scratch_dir: Path) -> Path:
    path = scratch_dir / "migrated.sqlite3"
    migrate_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_schema() -> str:
    url = postgres_url()
    if url is None:
        pytest.skip(f"PostgreSQL tests need {PG_URL_ENV} (the .ci/run script sets it)")
    schema = _schema()
    plain = url.split("?options=")[0].split("&options=")[0]
    engine = sa.create_engine(plain)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    migrate_to_head(url)
    return url


# audit_events refuses DELETE and TRUNCATE (its append-only triggers).
_APPEND_ONLY = {"audit_events"}
# Kept by triggers on claims and articles (migration 0015_running_counts).
_COUNTED_BY_TRIGGERS = {"running_counts"}
_RESTART_SEQUENCES = sa.text(
    "SELECT setval(c.oid, 1, false) FROM pg_class c "
    "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace")


def _empty_postgres(app: Flask) -> None:
    """Empty every table and start its ids at 1 again, as ``TRUNCATE ... RESTART IDENTITY`` does.
    TRUNCATE costs tens of milliseconds a table however empty the table is, DELETE of the few rows a
    test leaves next to nothing; so the append-only tables are truncated, and only when they have
    rows, and the others emptied with DELETE, children before parents."""
    with app.app_context(), db.engine.begin() as conn:
        for name in sorted(_APPEND_ONLY):
            if conn.execute(sa.text(f'SELECT EXISTS (SELECT 1 FROM "{name}")')).scalar():
                # The audit table refuses TRUNCATE too (a statement trigger); the test server's
                # superuser sets triggers aside for this transaction only.
                conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
                conn.execute(sa.text(f'TRUNCATE "{name}" CASCADE'))
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in _APPEND_ONLY | _COUNTED_BY_TRIGGERS:
                conn.execute(table.delete())
        # Last: deleting claims and articles moves these counts (when the triggers are not set aside).
        for name in sorted(_COUNTED_BY_TRIGGERS):
            conn.execute(sa.text(f'DELETE FROM "{name}"'))
        conn.execute(_RESTART_SEQUENCES)


_DATABASE_NUMBERS = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "postgresql":
        yield request.getfixturevalue("postgres_schema")
        return
    template = request.getfixturevalue("sqlite_template")
    path = request.getfixturevalue("scratch_dir") / f"test-{next(_DATABASE_NUMBERS)}.sqlite3"
    shutil.copyfile(template, path)
    yield f"sqlite:///{path}"
    for leftover in path.parent.glob(f"{path.name}*"):  # with its -wal and -shm files
        leftover.unlink()


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per test process rather than once per test's app. Jinja checks each
    entry against the template's source, so a changed template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED_TEMPLATES = _CompiledTemplates()


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    # Each test's own checkpoint file, like its own tables: a fresh log has no anchored head.
    app = create_app(base_config(database_url, tmp_path / "audit_checkpoints.jsonl"))
    app.jinja_env.bytecode_cache = _COMPILED_TEMPLATES
    if database_url.startswith("postgresql"):
        _empty_postgres(app)
    with app.app_context():
        yield app
        jobs.shutdown(app)  # a job or e-mail task still running would use the database being removed
        db.session.remove()
        db.engine.dispose()


class Client(FlaskClient):
    """A test client that submits forms the way a browser does, CSRF token included.

    CSRF protection stays on in every test app: ``submit`` sends a valid token, ``post`` sends
    none (tests/security/test_csrf.py checks that such posts, and forged tokens, are refused).
    """

    def open(self, *args, **kwargs):
        # Each request gets its own app context, as in production: otherwise the test's context
        # (and Flask-Login's cached user in ``g``) would leak from one client's request to another's.
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        """The token a page would give this client, made the way Flask-WTF's ``generate_csrf``
        makes it (the session's secret, signed with the app's key), so no page is fetched for it.
        The app checks it with Flask-WTF's own ``validate_csrf``, as it checks a browser's."""
        app = self.application
        field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        with self.session_transaction() as session:
            if field not in session:
                session[field] = secrets.token_hex(20)
            raw = session[field]
        secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)

    def submit(self, url: str, data: dict | None = None, **kwargs):
        """POST a form with a valid CSRF token."""
        payload = {"csrf_token": self.csrf_token(), **(data or {})}
        return self.post(url, data=payload, **kwargs)


@pytest.fixture
def client(app: Flask) -> Client:
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory(ctx())


@pytest.fixture
def login_as(app: Flask, make: Factory):
    """login_as("editor") signs a fresh client in as a new user with that role."""

    def sign_in(role_or_user, client: Client | None = None) -> Client:
        user = make.user(role_or_user) if isinstance(role_or_user, str) else role_or_user
        client = client or _new_client(app)
        response = client.submit("/login", {"email": user.email, "password": Factory.PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        client.user = user
        return client

    return sign_in


def _new_client(app: Flask) -> Client:
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def new_client(app: Flask):
    return lambda: _new_client(app)


@pytest.fixture
def count_queries(app: Flask):
    """A context manager that counts the SQL statements run inside it."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        statements: list[str] = []

        def on_execute(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", on_execute)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", on_execute)

    return counting


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared data folder ({SHARED_DATA}) is absent; it sits beside the project in CI")
    return SHARED_DATA


def pytest_report_header(config) -> str:
    if os.environ.get(PG_URL_ENV):
        return "databases: SQLite and PostgreSQL"
    return f"databases: SQLite only (set {PG_URL_ENV} to run every database test on PostgreSQL too)"
