"""What a page read from an SQLite database, kept while that database has not changed since.

SQLite says when a database has changed: ``PRAGMA data_version`` answers a different number on a
connection once any other connection, of this process or another, has committed a change to the
file. Each engine has one connection of its own for asking (``_Watch``): it never writes, so every
commit by the app's connections, other workers, the command line or a backup moves its number. A
number that has not moved since the moment it was first given means no row has changed since that
moment; figures read after it are the figures the statements would read now. So the dashboard's and
the audit log's reads (five statements, and two) are kept and given again until anything is written,
and read afresh at the first view after a write.

Figures are read for keeping, and kept figures given, only on a connection that holds no write of its
own not committed yet (``in_transaction``: the sqlite3 driver begins a transaction only before a
write): its own rows are not committed, so the watching connection cannot see them. A database in
memory has no second connection to watch it: read every time. PostgreSQL has no such number; its
pages read as before.
"""
from __future__ import annotations

import itertools
import sqlite3
import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.engine import Connection, Engine

Read = TypeVar("Read")

# Reads kept per engine: the dashboard's periods, the log's pages, each with the tick its reading began.
_KEPT_AT_MOST = 32
# Ticks order the moments the watch first gave its number and the moments readings began.
_ticks = itertools.count(1)


class _Watch:
    """An engine's connection for asking ``PRAGMA data_version``, and the reads kept for it."""

    def __init__(self, engine: Engine) -> None:
        self.lock = threading.Lock()
        self.kept: dict[Hashable, tuple[int, Any]] = {}
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
        return self.since

    def __del__(self) -> None:
        if self.driver is not None:
            self.driver.close()


_watches: weakref.WeakKeyDictionary[Engine, _Watch] = weakref.WeakKeyDictionary()
_watches_lock = threading.Lock()


def _watch(engine: Engine) -> _Watch:
    watch = _watches.get(engine)
    if watch is None:
        with _watches_lock:
            watch = _watches.get(engine)
            if watch is None:
                watch = _watches[engine] = _Watch(engine)
    return watch


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
    with watch.lock:
        # Asked before any figure is read: a change committed meanwhile may be in the figures, but it
        # moves the number, so they are never given past a change they do not hold.
        since = watch.now()
        if since is None:
            began = None
        else:
            found = watch.kept.get(key)
            if found is not None and found[0] > since:
                return found[1]
            began = next(_ticks)
    value = read()
    if began is not None:
        with watch.lock:
            if watch.since < began:  # nothing seen to change meanwhile
                if len(watch.kept) >= _KEPT_AT_MOST:
                    watch.kept.clear()
                watch.kept[key] = (began, value)
    return value
