"""The unit of work every service write runs in."""
from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session, scoped_session

from factcheck.read_requests import transaction_from_here


@contextmanager
def transaction(session: Session | scoped_session[Any]) -> Iterator[None]:
    """Commit the change and its audit event together, or neither. The reads in the block are in the
    same transaction, also where a GET request's reads are not (``factcheck.read_requests``)."""
    transaction_from_here(session)
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def serialise(session: Session | scoped_session[Any], name: str) -> None:
    """Hold off every other transaction that serialises on ``name`` until this one ends, so a check
    made next (the last administrator, say) still holds when this transaction commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(name.encode())})
    else:
        # SQLite has one writer at a time: any write statement takes the lock (waiting up to busy_timeout),
        # even one that matches no row.
        session.execute(text("UPDATE users SET id = id WHERE 0 = 1"))


# The audit table is append-only for the application: it may add events and read them, nothing else.
AUDIT_TABLE = "audit_events"
MIGRATIONS_TABLE = "alembic_version"


def runtime_role_grants(role: str, schema: str, tables: list[str], quote: Callable[[str], str]) -> list[str]:
    """The PostgreSQL statements that give the application's runtime role what it needs and no more:
    read and write on every table but two; on ``audit_events`` only INSERT and SELECT (no UPDATE,
    DELETE or TRUNCATE, and, not being the owner, no way to disable the table's triggers); on
    ``alembic_version`` only SELECT. Migrations run as the owner of the tables, never as this role."""
    r, s = quote(role), quote(schema)
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
    ]
    for table in sorted(tables):
        if table == AUDIT_TABLE:
            rights = "SELECT, INSERT"
        elif table == MIGRATIONS_TABLE:
            rights = "SELECT"
        else:
            rights = "SELECT, INSERT, UPDATE, DELETE"
        statements.append(f"GRANT {rights} ON {s}.{quote(table)} TO {r}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}")
    return statements
