"""What a page read from an SQLite database, kept while that database has not changed since.

SQLite says when a database has changed: ``PRAGMA data_version`` answers a different number on a
connection once any other connection, of this process or another, has committed a change to the
file. Each engine has one connection of its own for asking (``_Watch``): it never writes, so every
commit by the app's connections, other workers, the command line or a backup moves its number. A
number that has not moved since the moment it was first given means no row has changed since that
moment; figures read after it are the figures the statements would read now. So the dashboard's and
the audit log's reads (five statements, and two) are kept and given again until anything is written,
and read afresh at the first view after a write. The signed-in user's row is kept so too, in a store of
its own (``kept_while_unchanged_in``, ``users.session_user``): a sign-out, a deactivation or a role
changed is a commit, so the next request reads it again.

Figures are read for keeping, and kept figures given, only on a connection that holds no write of its
own not committed yet (``in_transaction``: the sqlite3 driver begins a transaction only before a
write): its own rows are not committed, so the watching connection cannot see them. A database in
memory has no second connection to watch it: read every time.

PostgreSQL has no such number, but the audit log is one for the app's own writes: every write of the
application records its events in the transaction of the change (tests/services/test_every_write_audits.py),
and they are inserted at its commit under the chain lock (``audit._link_pending``:
``pg_advisory_xact_lock``, released only once the commit is visible), so events become visible in
the order of their ids, none is ever updated or deleted (the append-only triggers), and the newest
event's hash names the whole chain up to it. Two snapshots whose newest event is the same event see
the same committed writes of the app, from every process. So the dashboard's figures are read in one
statement with that hash (``gated``, ``read_together``), which reads them only when the hash is not
the one they were kept with, or when its own transaction has written
(``pg_current_xact_id_if_assigned``: its uncommitted rows have no event yet). Unchanged, the server
probes one index and sends one short row, and the page takes the board it kept. A change made
behind the app's back (SQL typed at a console) records no event: it shows at the first view after
the app's next write. The audit log's own page is not kept so (it shows the log as the database
holds it, an event altered by its table's owner included); it reads the probe for the ids at either
end of the log.
"""
from __future__ import annotations

import itertools
import sqlite3
import threading
import weakref
from collections.abc import Callable, Hashable, Sequence
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import String, bindparam, case, func, literal_column, null, select
from sqlalchemy.dialects.postgresql import psycopg as postgresql_psycopg
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from factcheck.models import AuditEvent
from factcheck.services import built, driver_sql

Read = TypeVar("Read")
Kept = TypeVar("Kept")

# Reads kept per engine: the dashboard's periods, the log's pages, each with the tick its reading began.
_KEPT_AT_MOST = 32
# Ticks order the moments the watch first gave its number and the moments readings began.
_ticks = itertools.count(1)


class _Watch:
    """An engine's connection for asking ``PRAGMA data_version``, and the reads kept for it."""

    def __init__(self, engine: Engine) -> None:
        self.lock = threading.Lock()
        self.kept: dict[Hashable, tuple[int, Any]] = {}
        # Stores of their own (the signed-in users' rows), so that many keys of one kind never push out
        # the pages' reads; emptied with ``kept`` at every change.
        self.stores: dict[str, dict[Hashable, tuple[int, Any]]] = {}
        self.version: int | None = None
        self.since = 0  # the tick when the watch first gave ``version``
        self.driver: sqlite3.Connection | None = None
        database = engine.url.database
        if database and database != ":memory:" and engine.url.query.get("mode") != "memory":
            cargs, cparams = engine.dialect.create_connect_args(engine.url)
            connect: Any = sqlite3.connect
            # Never waits for a lock (WAL readers take none; a failure means "read afresh"), asked from
            # any thread under the lock.
            self.driver = connect(*cargs, **{**cparams, "check_same_thread": False, "timeout": 0})

    def now(self) -> int | None:
        """The tick since which the database has not changed; None when the watch cannot tell."""
        if self.driver is None:
            return None
        try:
            [(version,)] = self.driver.execute("PRAGMA data_version").fetchall()
        except sqlite3.Error:
            return None
        if version != self.version:
            self.version, self.since = version, next(_ticks)
            self.kept.clear()  # read before the change
            for store in self.stores.values():
                store.clear()
        return self.since

    def __del__(self) -> None:
        if self.driver is not None:
            self.driver.close()


_watches: weakref.WeakKeyDictionary[Engine, _Watch] = weakref.WeakKeyDictionary()
_watches_lock = threading.Lock()


def _per_engine(store: weakref.WeakKeyDictionary[Engine, Kept], engine: Engine, make: Callable[[], Kept]) -> Kept:
    """The engine's entry in ``store``, made once however many threads ask at the same time."""
    found = store.get(engine)
    if found is None:
        with _watches_lock:
            found = store.get(engine)
            if found is None:
                found = store[engine] = make()
    return found


def _watch(engine: Engine) -> _Watch:
    return _per_engine(_watches, engine, lambda: _Watch(engine))


def unchanged_since(connection: Connection) -> int | None:
    """SQLite: the tick since which the database has not changed, for a reading of one's own (the claim
    page's rows); None when that cannot be told (another database, one in memory, or a write of the
    connection's own not committed yet, which the watch does not see)."""
    if connection.dialect.name != "sqlite":
        return None
    driver: Any = connection.connection.dbapi_connection
    if driver is None or driver.in_transaction:
        return None
    watch = _watch(connection.engine)
    with watch.lock:
        return watch.now()


def reading_begins() -> int:
    """The tick of a reading beginning now: taken after ``unchanged_since`` gave a tick, before the rows are read."""
    return next(_ticks)


def still_unchanged(connection: Connection, began: int) -> bool:
    """Whether no change of the database has been seen since the reading of tick ``began`` began."""
    watch = _watch(connection.engine)
    with watch.lock:
        return watch.since < began


def kept_while_unchanged(connection: Connection, key: Hashable, read: Callable[[], Read]) -> Read:
    """``read()``, or what it returned for ``key`` (every value it depends on other than the database's
    rows) if nothing has been written to the database since its reading began. Not SQLite, a database
    in memory, or a write of the connection's own not committed yet: ``read()`` every time. What is
    returned may be returned again: the caller must not change it."""
    if connection.dialect.name != "sqlite":
        return read()
    driver: Any = connection.connection.dbapi_connection
    if driver is None or driver.in_transaction:
        return read()
    watch = _watch(connection.engine)
    return _kept(watch, watch.kept, _KEPT_AT_MOST, key, read)


def kept_while_unchanged_in(engine: Engine, store: str, at_most: int, key: Hashable, read: Callable[[], Read]) -> Read:
    """``kept_while_unchanged`` for a caller that has no connection yet, in a store of its own (named
    ``store``, emptied past ``at_most`` keys). The caller must know that ``read()`` runs on a connection
    that holds no write of its own not committed (a request's session that has not begun its
    transaction, or whose connection ``in_transaction`` says so): this does not look. SQLite files
    only; any other engine ``read()`` every time."""
    if engine.dialect.name != "sqlite":
        return read()
    try:
        watch = _watch(engine)
    except sqlite3.Error:
        # The file cannot be opened (gone, unreadable): the read meets it through SQLAlchemy, which the
        # app answers as an outage (503), not as an error of its own; the watch is made at a later call.
        return read()
    if watch.driver is None:
        return read()
    kept = watch.stores.get(store)
    if kept is None:
        with watch.lock:
            kept = watch.stores.setdefault(store, {})
    return _kept(watch, kept, at_most, key, read)


def _kept(watch: _Watch, kept: dict[Hashable, tuple[int, Any]], at_most: int, key: Hashable,
          read: Callable[[], Read]) -> Read:
    with watch.lock:
        # Asked before any figure is read: a change committed meanwhile may be in the figures, but it
        # moves the number, so they are never given past a change they do not hold.
        since = watch.now()
        if since is None:
            began = None
        else:
            found = kept.get(key)
            if found is not None and found[0] > since:
                return found[1]
            began = next(_ticks)
    value = read()
    if began is not None:
        with watch.lock:
            if watch.since < began:  # nothing seen to change meanwhile
                if len(kept) >= at_most:
                    kept.clear()
                kept[key] = (began, value)
    return value


# ---- PostgreSQL: kept while the audit log's newest event is the same -----------------------------------

# The newest event's hash (one probe of the primary key), and whether the statement's own transaction
# has written anything (an id is assigned at a transaction's first write, not before).
NEWEST_EVENT = select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1).scalar_subquery()
TRANSACTION_WROTE = func.pg_current_xact_id_if_assigned().is_not(None)
_KEPTNEWEST_EVENT = bindparam("kept_newest", type_=String())
# Never an event's hash (64 hex digits): what is given when nothing is kept, so the figures are read.
_NOTHING_KEPT = "-"
# The newest event's id and the oldest's: the log's own pages ask whether there are events past either
# end of a page, which for an unfiltered log these answer in the same snapshot.
_PROBE = select(NEWEST_EVENT.label("newest"), TRANSACTION_WROTE.label("wrote"),
                select(func.max(AuditEvent.id)).scalar_subquery().label("top_id"),
                select(func.min(AuditEvent.id)).scalar_subquery().label("bottom_id"))


class Probe(NamedTuple):
    """What ``read_together`` saw of the log in its statement's snapshot."""

    newest: str | None  # the newest event's hash; None: the log is empty
    wrote: bool  # the statement's transaction had written (its figures are its own, not the database's)
    top_id: int | None
    bottom_id: int | None


def gated(*parts: tuple[Any, Callable[[Any], Sequence[Any]] | None], gate: bool = True) -> driver_sql.Together:
    """``driver_sql.together(*parts)`` with the probe read first and, with ``gate``, every part read
    only when the newest event's hash is not ``kept_newest`` or the transaction has written (else its
    rows come back empty). Give parts with their constants written into the SQL
    (``constants_written``). Build it once, as ``driver_sql.together``'s statement is."""
    selects = driver_sql.together((constants_written(_PROBE), None), *parts)
    if not gate:
        return selects
    probe, *columns = selects.statement.selected_columns
    changed = constants_written(select(NEWEST_EVENT.is_distinct_from(_KEPTNEWEST_EVENT) | TRANSACTION_WROTE)).selected_columns[0]
    statement = select(probe, *(case((changed, column.element), else_=null()).label(column.name)
                                for column in columns))
    return driver_sql.Together(statement, selects.rows, selects.types)


_WRITER = postgresql_psycopg.dialect()


def constants_written(statement: Any) -> Any:
    """The statement with each constant of the code (a status, a kind of count, an action, a LIMIT:
    an anonymous parameter holding its value) written into its SQL. psycopg prepares a statement
    run five times on a connection, and PostgreSQL then plans it once for every value of the
    parameters (a generic plan) only if that plan looks no dearer than those it made for the values
    given; a constant left as a parameter made the generic plan guess (a LIMIT at a tenth of the
    table, an action at an average one's share), so it was never taken and the page's one statement
    was planned afresh at every view, most of the server's work once the figures are kept. Named
    parameters (the period, the day, the keyset, the kept hash) stay parameters. IN lists of constants
    are written too (``built.constant_lists`` first). A select joined by the ORM to a subquery whose
    constants were replaced loses its join's left side: write the subquery's before joining it."""
    def replace(element: Any, **_kw: Any) -> Any:
        if isinstance(element, BindParameter) and element.unique and not element.required \
                and element.callable is None and not element.expanding:
            write = element.type.literal_processor(_WRITER)
            if write is not None:
                return literal_column(write(element.value), type_=element.type)
        return None
    return visitors.replacement_traverse(built.constant_lists(statement), {}, replace)


class _KeptReads:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: dict[Hashable, tuple[str, Any]] = {}


_kept_reads: weakref.WeakKeyDictionary[Engine, _KeptReads] = weakref.WeakKeyDictionary()


def _reads(engine: Engine) -> _KeptReads:
    return _per_engine(_kept_reads, engine, _KeptReads)


class Unchanged(Exception):
    """Raised by ``read_together`` when the figures kept for the key are the database's (PostgreSQL)."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


def kept_for(connection: Connection, key: Hashable) -> tuple[str, Any] | None:
    """The newest event's hash and the figures kept with it for ``key`` (PostgreSQL), if any."""
    return _reads(connection.engine).kept.get(key)


def read_together(connection: Connection, selects: driver_sql.Together, params: dict[str, Any],
                  kept: tuple[str, Any] | None) -> tuple[Probe, list[list[Any]]]:
    """``driver_sql.run_together`` of ``gated`` selects: the probe and each select's rows. With what
    was ``kept`` (``kept_for``, looked up before the statement), raises ``Unchanged`` with the kept
    figures when the statement found the same newest event and no write of its own transaction, and so
    read nothing else; the caller keeps what it makes of the rows with ``keep``."""
    rows = driver_sql.run_together(connection, selects, {**params, "kept_newest": kept[0] if kept else _NOTHING_KEPT})
    probe = Probe(*rows[0][0])
    if kept is not None and not probe.wrote and probe.newest == kept[0]:
        raise Unchanged(kept[1])
    return probe, rows[1:]


def keep(connection: Connection, key: Hashable, probe: Probe, value: Read) -> Read:
    """Keep ``value``, read in the snapshot ``probe`` describes, for ``key``: given again by
    ``read_together`` while the newest event is the same. Not kept when the log was empty (no hash
    names that state) or the transaction had written. The caller must not change ``value``."""
    if probe.newest is not None and not probe.wrote:
        reads = _reads(connection.engine)
        with reads.lock:
            if len(reads.kept) >= _KEPT_AT_MOST and key not in reads.kept:
                reads.kept.clear()
            reads.kept[key] = (probe.newest, value)
    return value
