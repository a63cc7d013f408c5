"""Backup and restore (issue 12, point 7): the demo newsroom goes SQLite -> PostgreSQL -> SQLite
through `flask export` / `flask import` and comes back row for row, audit chain included; an
import refuses a database that is not empty and an archive that was changed, and leaves nothing."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from factcheck import backup, create_app, demo
from factcheck.extensions import db
from factcheck.models import AuditEvent, User
from factcheck.services import audit
from tests.conftest import PG_URL_ENV, app_environment, base_config
from tests.ops.support import PROJECT_ROOT, VENV_BIN, drop_postgres_schema, fresh_postgres_schema
from tests.support.context import ctx
from tests.support.factories import Factory


def _sqlite(tmp_path: Path, template: Path, name: str) -> str:
    path = tmp_path / f"{name}.sqlite3"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def _app(url: str) -> Flask:
    return create_app(base_config(url))


def _dump(app: Flask) -> dict[str, list[dict]]:
    """Every row of every table, as plain values."""
    with app.app_context(), db.engine.connect() as conn:
        return {table.name: backup.table_rows(conn, table) for table in backup.tables()}


def _cli(app: Flask, *args: str) -> tuple[int, str]:
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def _close(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def demo_newsroom(tmp_path: Path, sqlite_template: Path) -> Iterator[Flask]:
    app = _app(_sqlite(tmp_path, sqlite_template, "source"))
    with app.app_context():
        assert demo.load(ctx())
        db.session.remove()
    yield app
    _close(app)


def _manifest(archive: Path) -> dict:
    with zipfile.ZipFile(archive) as zf:
        return json.loads(zf.read("manifest.json"))


def test_demo_newsroom_round_trips_sqlite_postgresql_sqlite(demo_newsroom: Flask, tmp_path: Path,
                                                              sqlite_template: Path) -> None:
    source = _dump(demo_newsroom)
    assert all(source[name] for name in ("users", "articles", "revisions", "claims", "evidence", "audit_events"))
    first = tmp_path / "from-sqlite.zip"
    code, output = _cli(demo_newsroom, "export", str(first))
    assert code == 0, output
    manifest = _manifest(first)
    assert {name: entry["rows"] for name, entry in manifest["tables"].items()} == {
        name: len(rows) for name, rows in source.items()}
    with demo_newsroom.app_context(), db.engine.connect() as conn:
        assert manifest["schema_revision"] == backup.schema_revision(conn) is not None

    postgres = fresh_postgres_schema("backup") if os.environ.get(PG_URL_ENV) else None
    if postgres is None:
        pytest.skip(f"the PostgreSQL leg of the round trip needs {PG_URL_ENV}; the SQLite export checks above ran")
    try:
        # Into PostgreSQL with the real command in its own process, as an operator runs it.
        imported = subprocess.run(
            [str(VENV_BIN / "flask"), "--app", "factcheck", "import", str(first)], cwd=PROJECT_ROOT,
            env={**os.environ, **app_environment(postgres), "FACTCHECK_SECRET_KEY": "x",
                 "FACTCHECK_LOG_FORMAT": "text"},
            capture_output=True, text=True, timeout=120)
        assert imported.returncode == 0, imported.stderr
        assert "audit chain intact" in imported.stdout
        on_postgres = _app(postgres)
        assert _dump(on_postgres) == source

        second = tmp_path / "from-postgresql.zip"
        code, output = _cli(on_postgres, "export", str(second))
        assert code == 0, output
        # The same rows written from either database give byte-identical table files.
        assert {n: e["sha256"] for n, e in _manifest(second)["tables"].items()} == {
            n: e["sha256"] for n, e in manifest["tables"].items()}

        # PostgreSQL's sequences continue after the imported ids, and the chain goes on from the import.
        with on_postgres.app_context():
            highest = db.session.scalar(sa.select(sa.func.max(User.id)))
            user = Factory(ctx()).user("checker")
            assert user.id == highest + 1
            report = audit.verify(ctx())
            assert report.intact and report.count == len(source["audit_events"]) + 1
        _close(on_postgres)
    finally:
        drop_postgres_schema(postgres)

    back = _app(_sqlite(tmp_path, sqlite_template, "back"))
    code, output = _cli(back, "import", str(second))
    assert code == 0, output
    assert _dump(back) == source
    _close(back)


def test_import_refuses_a_database_that_is_not_empty(demo_newsroom: Flask, tmp_path: Path) -> None:
    archive = tmp_path / "newsroom.zip"
    assert _cli(demo_newsroom, "export", str(archive))[0] == 0
    before = _dump(demo_newsroom)
    code, output = _cli(demo_newsroom, "import", str(archive))
    assert code == 1
    assert "not empty" in output and "users" in output
    assert _dump(demo_newsroom) == before
    # And export does not overwrite an archive unless told to.
    code, output = _cli(demo_newsroom, "export", str(archive))
    assert code == 1 and "exists" in output


def _rewrite(archive: Path, target: Path, table: str, change, fix_manifest: bool) -> None:
    """Copy ``archive`` to ``target`` with one table's lines changed (and its checksum, if asked)."""
    import hashlib

    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(target, "w") as dst:
        manifest = json.loads(src.read("manifest.json"))
        for item in src.infolist():
            data = src.read(item)
            if item.filename == f"tables/{table}.jsonl":
                lines = [json.loads(line) for line in data.decode().splitlines()]
                data = "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
                               for row in change(lines)).encode()
                if fix_manifest:
                    manifest["tables"][table]["sha256"] = hashlib.sha256(data).hexdigest()
                    manifest["tables"][table]["rows"] = len(data.splitlines())
            if item.filename != "manifest.json":
                dst.writestr(item, data)
        dst.writestr("manifest.json", json.dumps(manifest))


def test_import_refuses_a_changed_archive_and_a_broken_chain(demo_newsroom: Flask, tmp_path: Path,
                                                               sqlite_template: Path) -> None:
    archive = tmp_path / "newsroom.zip"
    assert _cli(demo_newsroom, "export", str(archive))[0] == 0

    def reword(rows: list[dict]) -> list[dict]:
        rows[3]["action"] = "claim.deleted"
        return rows

    target = _app(_sqlite(tmp_path, sqlite_template, "target"))
    tampered = tmp_path / "tampered.zip"
    _rewrite(archive, tampered, "audit_events", reword, fix_manifest=False)
    code, output = _cli(target, "import", str(tampered))
    assert code == 1 and "audit_events" in output and "damaged or was changed" in output

    # Checksums made to match: the audit verification after the import catches it, and rolls back.
    forged = tmp_path / "forged.zip"
    _rewrite(archive, forged, "audit_events", reword, fix_manifest=True)
    code, output = _cli(target, "import", str(forged))
    assert code == 1 and "BROKEN" in output, output
    with target.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0

    # The untouched archive then imports into the same (still empty) database.
    code, output = _cli(target, "import", str(archive))
    assert code == 0, output
    assert _dump(target) == _dump(demo_newsroom)
    _close(target)


def test_import_refuses_another_schema_revision(demo_newsroom: Flask, tmp_path: Path, sqlite_template: Path) -> None:
    archive, other = tmp_path / "newsroom.zip", tmp_path / "other.zip"
    assert _cli(demo_newsroom, "export", str(archive))[0] == 0
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(other, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["schema_revision"] = "0001_older"
                data = json.dumps(manifest).encode()
            dst.writestr(item, data)
    target = _app(_sqlite(tmp_path, sqlite_template, "target"))
    code, output = _cli(target, "import", str(other))
    assert code == 1 and "0001_older" in output and "db upgrade" in output
    _close(target)
