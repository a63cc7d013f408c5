"""Backup and restore of a whole newsroom: ``flask --app factcheck export ARCHIVE`` / ``import ARCHIVE``.

The archive is a zip file:

* ``manifest.json``: the format, the schema revision (``alembic_version``), the database it came
  from, and for every table its columns, row count and the SHA-256 of its file;
* ``tables/<table>.jsonl``: one JSON object a row, every column, in primary-key order.

It is generic over ``db.metadata.sorted_tables`` and copies every column value as it is read (the
audit chain's hashes, links and keys included: nothing is recomputed), so a table or column added by
a later migration is carried without a change here. Values JSON cannot hold are written as text
(datetimes and dates in ISO 8601, bytes in base64, decimals as strings) and read back by the type
of the column they go into, so SQLite -> PostgreSQL -> SQLite gives back equal rows.

The export reads one consistent snapshot (REPEATABLE READ on PostgreSQL, one read transaction on
SQLite) and streams rows, so it runs against a live newsroom in flat memory.

The import goes only into an empty database migrated to the archive's revision. It checks every
table's count and checksum before writing anything, inserts in foreign-key order in one transaction
(the columns of a foreign-key cycle, such as an article's current revision, are filled in once the
rows they point to exist), resets PostgreSQL's sequences, and verifies the audit chain inside that
transaction: a broken chain or a bad archive leaves the database as empty as it was.
"""
from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from factcheck.services.context import DbSession

FORMAT = "factcheck-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH_SIZE = 1000


class BackupError(RuntimeError):
    """The archive or the target database is not fit for the operation; the message says why."""


@dataclass
class TableSummary:
    rows: int
    sha256: str
    columns: list[str] = field(default_factory=list)


@dataclass
class Summary:
    revision: str | None
    tables: dict[str, TableSummary]
    audit_events: int | None = None

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables.values())


# ---------------------------------------------------------------------------------------------------
# Values


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _python_type(column: sa.Column[Any]) -> type | None:
    kind: Any = column.type
    while isinstance(kind, sa.types.TypeDecorator):  # e.g. UTCDateTime: what it stores is a DateTime
        kind = kind.impl_instance
    try:
        return kind.python_type
    except NotImplementedError:
        return None


def _decoder(column: sa.Column[Any]) -> Callable[[Any], Any]:
    """How a value written by ``_encode`` becomes the column's Python value again."""
    kind = _python_type(column)
    decoders: dict[type, Callable[[Any], Any]] = {
        dt.datetime: dt.datetime.fromisoformat,
        dt.date: dt.date.fromisoformat,
        dt.time: dt.time.fromisoformat,
        bytes: base64.b64decode,
        decimal.Decimal: decimal.Decimal,
        uuid.UUID: uuid.UUID,
    }
    decode = decoders.get(kind) if kind is not None else None
    if decode is None:
        return lambda value: value
    return lambda value: None if value is None else decode(value)


def _line(row: dict[str, Any]) -> bytes:
    return (json.dumps({key: _encode(value) for key, value in row.items()}, ensure_ascii=False,
                       separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------------
# The schema


def tables() -> list[sa.Table]:
    """The tables an archive carries: all but those the database derives from the others (marked
    ``info["derived"]``, e.g. the running counts its triggers keep as the rows they count go in)."""
    from factcheck.extensions import db

    return [table for table in db.metadata.sorted_tables if not table.info.get("derived")]


def _order(table: sa.Table) -> list[sa.ColumnElement[Any]]:
    return list(table.primary_key.columns) or list(table.columns)


def schema_revision(conn: Connection) -> str | None:
    try:
        revisions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    except sa.exc.DBAPIError:
        return None
    return ",".join(sorted(revisions)) or None


def _table_path(table: sa.Table) -> str:
    return f"tables/{table.name}.jsonl"


# ---------------------------------------------------------------------------------------------------
# Export


def export(engine: sa.Engine, archive: Path | IO[bytes]) -> Summary:
    """Write every row of every table to ``archive`` from one consistent snapshot."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            if conn.dialect.name == "sqlite":
                # The sqlite3 driver begins transactions only before writes; without this BEGIN each
                # SELECT would see the database as of its own moment, not of the export's.
                conn.exec_driver_sql("BEGIN")
            return _export(conn, archive)


def _export(conn: Connection, archive: Path | IO[bytes]) -> Summary:
    revision = schema_revision(conn)
    summaries: dict[str, TableSummary] = {}
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for table in tables():
            digest = hashlib.sha256()
            count = 0
            result = conn.execution_options(stream_results=True, yield_per=BATCH_SIZE).execute(
                sa.select(table).order_by(*_order(table)))
            with zf.open(_table_path(table), "w", force_zip64=True) as out:
                for row in result.mappings():
                    line = _line(dict(row))
                    digest.update(line)
                    out.write(line)
                    count += 1
            summaries[table.name] = TableSummary(count, digest.hexdigest(), [c.name for c in table.columns])
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "source_dialect": conn.dialect.name,
            "schema_revision": revision,
            "tables": {name: {"rows": s.rows, "sha256": s.sha256, "columns": s.columns} for name, s in summaries.items()},
        }
        zf.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return Summary(revision, summaries)


# ---------------------------------------------------------------------------------------------------
# Import


def read_manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError:
        raise BackupError(f"Not a factcheck backup: the archive has no {MANIFEST}.") from None
    except ValueError as error:
        raise BackupError(f"The archive's {MANIFEST} is not valid JSON ({error}).") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Not a factcheck backup of format version {FORMAT_VERSION} "
                          f"(found {manifest.get('format')!r} version {manifest.get('format_version')!r}).")
    return manifest


def check_archive(zf: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every table of this schema is in the archive with the columns, row count and checksum the
    manifest gives, and nothing else is: before anything is written."""
    expected = {table.name: table for table in tables()}
    listed = manifest.get("tables") or {}
    missing, unknown = sorted(set(expected) - set(listed)), sorted(set(listed) - set(expected))
    if missing or unknown:
        raise BackupError(f"The archive's tables do not match this schema (missing: {', '.join(missing) or 'none'}; "
                          f"unknown: {', '.join(unknown) or 'none'}).")
    for name, table in expected.items():
        entry = listed[name]
        columns = [c.name for c in table.columns]
        if sorted(entry.get("columns", [])) != sorted(columns):
            raise BackupError(f"Table {name}: the archive's columns {entry.get('columns')} are not this schema's {columns}.")
        digest, count = hashlib.sha256(), 0
        try:
            with zf.open(_table_path(table)) as lines:
                for line in lines:
                    digest.update(line)
                    count += 1
        except KeyError:
            raise BackupError(f"Table {name}: {_table_path(table)} is missing from the archive.") from None
        if count != entry.get("rows") or digest.hexdigest() != entry.get("sha256"):
            raise BackupError(f"Table {name}: the archive holds {count} rows with SHA-256 {digest.hexdigest()}, "
                              f"the manifest says {entry.get('rows')} rows with {entry.get('sha256')}: "
                              "the archive is damaged or was changed.")


def _rows(zf: zipfile.ZipFile, table: sa.Table) -> Iterator[dict[str, Any]]:
    decoders = {column.name: _decoder(column) for column in table.columns}
    with zf.open(_table_path(table)) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            row = json.loads(line)
            yield {key: decoders[key](value) for key, value in row.items()}


def _deferred_columns(table: sa.Table, order: dict[str, int]) -> list[str]:
    """Nullable foreign-key columns that point at a table inserted later (a cycle broken by
    ``use_alter``) or at their own table: inserted empty, filled in once every row is there."""
    deferred: list[str] = []
    for fk in table.foreign_keys:
        target = fk.column.table.name
        if (target == table.name or order.get(target, -1) > order[table.name] or fk.use_alter) \
                and fk.parent.nullable and fk.parent.name not in deferred:
            deferred.append(fk.parent.name)
    return deferred


def ensure_empty(conn: Connection) -> None:
    for table in tables():
        count = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        if count:
            raise BackupError(f"The target database is not empty (table {table.name} has {count} rows). "
                              "Import only into a new database migrated with `flask --app factcheck db upgrade`.")


def _insert(conn: Connection, table: sa.Table, rows: Iterator[dict[str, Any]], deferred: list[str]) -> tuple[int, list[dict[str, Any]]]:
    """Insert the rows in batches; returns the count and what the deferred columns must become."""
    pending: list[dict[str, Any]] = []
    keys = [c.name for c in table.primary_key.columns]
    # Columns SQLAlchemy would change on UPDATE (``onupdate``): set back to their archived values.
    kept = [c.name for c in table.columns if c.onupdate is not None and c.name not in deferred]
    batch: list[dict[str, Any]] = []
    count = 0
    for row in rows:
        if deferred and any(row.get(name) is not None for name in deferred):
            pending.append({**{f"k_{k}": row[k] for k in keys}, **{f"v_{n}": row[n] for n in deferred + kept}})
            row = {**row, **dict.fromkeys(deferred)}
        batch.append(row)
        count += 1
        if len(batch) >= BATCH_SIZE:
            conn.execute(table.insert(), batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)
    return count, pending


def _fill_deferred(conn: Connection, table: sa.Table, deferred: list[str], pending: list[dict[str, Any]]) -> None:
    if not pending:
        return
    keys = [c.name for c in table.primary_key.columns]
    kept = [c.name for c in table.columns if c.onupdate is not None and c.name not in deferred]
    statement = (table.update()
                 .where(*[table.c[k] == sa.bindparam(f"k_{k}") for k in keys])
                 .values({n: sa.bindparam(f"v_{n}") for n in deferred + kept}))
    for start in range(0, len(pending), BATCH_SIZE):
        conn.execute(statement, pending[start:start + BATCH_SIZE])


def reset_sequences(conn: Connection) -> None:
    """PostgreSQL: every sequence owned by a column continues after the highest imported value."""
    if conn.dialect.name != "postgresql":
        return  # SQLite's AUTOINCREMENT counters follow inserted ids by themselves
    for table in tables():
        for column in table.columns:
            sequence = conn.execute(sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                                    {"table": f'"{table.name}"', "column": column.name}).scalar()
            if sequence is None:
                continue
            highest = conn.execute(sa.select(sa.func.max(column))).scalar()
            conn.execute(sa.text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
                         {"sequence": sequence, "value": highest if highest is not None else 1,
                          "called": highest is not None})


def verify_audit_chain(session: DbSession, key: bytes) -> int:
    """The one place the import checks the audit chain, with this deployment's audit key (a chain
    forged or written under another key is refused); returns the number of events verified. The
    archive's own checksums stand for the checkpoint here: the restored head is anchored by the next
    write (docs/deploy.md: start the checkpoint store afresh with a restored database)."""
    from factcheck.services import audit

    report = audit.verify_chain(audit.iter_events(session), key=key)
    if not report.intact:
        raise BackupError(f"The imported audit chain is BROKEN at event {report.first_broken_id}: {report.problem}. "
                          "Nothing was imported.")
    return report.count


def import_archive(session: DbSession, archive: Path | IO[bytes], *, audit_key: bytes) -> Summary:
    """Restore ``archive`` into the empty database behind ``session``, all or nothing."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(f"Cannot read the archive: {error}.") from None
    with zf:
        manifest = read_manifest(zf)
        check_archive(zf, manifest)
        conn = session.connection()
        try:
            revision = schema_revision(conn)
            if revision != manifest.get("schema_revision"):
                raise BackupError(f"The archive is of schema revision {manifest.get('schema_revision')}, the target "
                                  f"database is at {revision or 'no revision'}: migrate it to the archive's revision "
                                  "(`flask --app factcheck db upgrade`) first.")
            ensure_empty(conn)
            order = {table.name: position for position, table in enumerate(tables())}
            summaries: dict[str, TableSummary] = {}
            later: list[tuple[sa.Table, list[str], list[dict[str, Any]]]] = []
            for table in tables():
                deferred = _deferred_columns(table, order)
                count, pending = _insert(conn, table, _rows(zf, table), deferred)
                later.append((table, deferred, pending))
                entry = manifest["tables"][table.name]
                summaries[table.name] = TableSummary(count, entry["sha256"], entry["columns"])
            for table, deferred, pending in later:
                _fill_deferred(conn, table, deferred, pending)
            reset_sequences(conn)
            events = verify_audit_chain(session, audit_key)
        except BaseException:
            session.rollback()
            raise
        session.commit()
    return Summary(revision, summaries, audit_events=events)


def table_rows(conn: Connection, table: sa.Table) -> list[dict[str, Any]]:
    """Every row of ``table`` in primary-key order, as the export writes them (for comparisons)."""
    return [json.loads(_line(dict(row))) for row in conn.execute(sa.select(table).order_by(*_order(table))).mappings()]
