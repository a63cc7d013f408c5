"""On PostgreSQL, a GET or HEAD request reads outside a transaction until it writes (issue 15).

psycopg sends ``BEGIN`` before a connection's first statement and SQLAlchemy ends the request's
transaction with ``ROLLBACK``: two round trips to the server on every page, for nothing when the
request only reads (every statement of a READ COMMITTED transaction takes its own snapshot anyway).
A connection that SQLAlchemy begins during such a request is put in psycopg's autocommit mode, in
which the driver sends neither (its ``commit()`` and ``rollback()`` send nothing when no
transaction is open). A ``ROLLBACK`` also made psycopg forget the statements it had prepared on the
connection (``DEALLOCATE ALL``); they now live on between pages.

A request that reads is never harmed by reading outside a transaction: at READ COMMITTED a
transaction keeps no snapshot from one statement to the next, so a plain ``SELECT`` sees the same
rows either way. The transaction starts for real, before the statement, as soon as one is about to
run that is not a plain read: a write (INSERT, UPDATE, DELETE…), a locking read (``FOR UPDATE``,
``FOR SHARE``), a read with effects that last until the transaction ends (``pg_advisory_xact_lock``,
``set_config``, ``nextval``, ``pg_notify``…), a ``SAVEPOINT``, a server-side cursor, anything else
(``SET``, ``WITH``…). Everything from there to the commit or rollback is one transaction, as
before; a service's unit of work (``services.db.transaction``) starts it on entry, so its reads run
in it too. After that commit or rollback the connection reads without a transaction again.

Left alone: POST and the other writing methods, anything outside a request (jobs, the CLI), a
connection already in a transaction or given an isolation level, read-only or deferrable mode of its
own, a server whose default isolation is not READ COMMITTED, and every driver but psycopg (SQLite).
Off with ``FACTCHECK_READS_WITHOUT_TRANSACTION=0``. Statements sent on the driver's own cursor
(``connection.connection.cursor()``, as audit verification reads) pass no listener: in a GET only
reads may go that way.
"""
from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

# The connection record's info: this checkout's connection was put in autocommit here.
_READING = "factcheck_reading_without_transaction"
READING_METHODS = frozenset({"GET", "HEAD"})
# Each engine whose connections may read without a transaction, and when they may.
_ENGINES: weakref.WeakKeyDictionary[Engine, Callable[[], bool]] = weakref.WeakKeyDictionary()

_SELECT = re.compile(r"\s*(?:/\*.*?\*/\s*)*SELECT\b", re.IGNORECASE | re.DOTALL)
# What may make a SELECT more than a read of committed rows: row locks, and functions whose effect
# lasts until the transaction ends or that change something.
_NOT_PLAIN = re.compile(
    r"\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b"
    r"|\b(?:pg_(?:try_)?advisory\w*|set_config|nextval|setval|pg_notify|txid_current|pg_current_xact_id"
    r"|lo_\w+|dblink\w*)\s*\(",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def plain_read(statement: str) -> bool:
    """Whether ``statement`` only reads committed rows, so that it may run outside a transaction.
    Anything not recognised as such is not (the transaction then starts before it)."""
    return _SELECT.match(statement) is not None and _NOT_PLAIN.search(statement) is None


def _in_reading_request() -> bool:
    from flask import has_request_context, request

    return has_request_context() and request.method in READING_METHODS


def read_without_transaction(engine: Engine, wanted: Callable[[], bool] = _in_reading_request) -> bool:
    """Let ``engine``'s connections read outside a transaction while ``wanted()`` (by default: in a
    GET or HEAD request). Only psycopg's connections; returns whether ``engine``'s are."""
    if engine.dialect.driver != "psycopg":
        return False
    from psycopg.pq import TransactionStatus

    idle = TransactionStatus.IDLE
    _ENGINES[engine] = wanted

    @event.listens_for(engine, "begin")
    def _begun(connection: Connection) -> None:
        # SQLAlchemy's begin sends nothing on psycopg: the driver would send BEGIN before the first statement.
        if not wanted() or connection.get_execution_options().get("isolation_level") is not None:
            return
        if connection.dialect.default_isolation_level != "READ COMMITTED":
            return
        driver = connection.connection.dbapi_connection
        if (driver is None or driver.autocommit or driver.isolation_level is not None
                or driver.read_only is not None or driver.deferrable is not None
                or driver.info.transaction_status != idle):
            return
        driver.autocommit = True
        connection.info[_READING] = True

    @event.listens_for(engine, "before_cursor_execute")
    def _before_statement(connection: Connection, _cursor: Any, statement: str, _parameters: Any,
                          context: Any, _executemany: bool) -> None:
        if not connection.info.get(_READING):
            return
        driver = connection.connection.dbapi_connection
        if driver is not None and driver.autocommit and not (
                plain_read(statement) and not getattr(context, "_is_server_side", False)):
            driver.autocommit = False  # psycopg sends BEGIN before this statement

    @event.listens_for(engine, "checkin")
    def _checked_in(driver: Any, record: Any) -> None:
        # After the pool's reset (a ROLLBACK only if a transaction was started): back to the driver's
        # default for the next checkout, whatever it is for.
        if record.info.pop(_READING, False) and driver is not None and not driver.closed and driver.autocommit:
            driver.autocommit = False

    return True


def transaction_from_here(session: Any) -> None:
    """Everything ``session`` runs from here to its commit or rollback is one transaction, its reads
    included (``services.db.transaction`` on entry). Nothing where reads are in a transaction anyway
    (SQLite, a POST)."""
    if not _ENGINES:
        return
    wanted = _ENGINES.get(session.get_bind())
    if wanted is None or not wanted():  # a POST's transaction begins with its first statement, as ever
        return
    connection = session.connection()
    if connection.info.get(_READING):
        driver = connection.connection.dbapi_connection
        if driver is not None and driver.autocommit:
            driver.autocommit = False


def reading_without_transaction(connection: Connection) -> bool:
    """Whether ``connection`` runs its statements outside a transaction just now (tests, the bench)."""
    driver = connection.connection.dbapi_connection
    return bool(connection.info.get(_READING) and driver is not None and driver.autocommit)
