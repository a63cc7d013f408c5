"""SQLite's writers wait for one another in a queue that wakes them when the writer ahead is done,
not in SQLite's own sleeps.

SQLite has one writer at a time. A transaction that finds another writing waits in SQLite's busy
handler, which sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms between tries (up to
``busy_timeout``): a writer whose turn comes 12 ms after it started waiting tries again only at 18 ms,
one that waits 30 ms tries at 33 then 53 ms. Under the throughput bench's mix (8 connections, a fifth
of the requests posting a note, each commit an fsync of the WAL of 4-18 ms on the reference machine),
a note post spent three quarters of its time in the INSERT that takes the lock, four times its commit's
fsync (docs/performance.md, "Thirteenth round: the mix").

So every writing transaction of the app's engine first takes an exclusive ``flock`` on a file beside
the database (``<database>-writers``), from its first write statement until its commit or rollback,
and SQLite's lock is taken with nobody else's in the way. Waiting for the ``flock`` polls every
0.2-2 ms, so a writer starts within about a millisecond of its turn. SQLite's own lock still decides who
writes: the queue only orders those who wait for it, so nothing about correctness rests on it (the
audit chain's order, the idempotency keys). A writer that cannot take the queue within the connection's
``busy_timeout`` (a writer outside the app holding it, or a process stuck with it) goes on without it and
meets SQLite's own wait as before; a process that dies lets go of its ``flock``. Databases in memory
and the PostgreSQL engine are left alone.
"""
from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

_GATE = "factcheck.sqlite_writer_gate"  # the pooled connection's info: its _Gate
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")
_FIRST_WAIT, _LONGEST_WAIT = 0.0002, 0.002
DEFAULT_TIMEOUT = 5.0


class _Gate:
    """One pooled connection's hold on the queue's file (its own open file: ``flock`` locks of two
    opens of one file exclude each other, in one process as in two)."""

    __slots__ = ("fd", "held")

    def __init__(self, fd: int) -> None:
        self.fd, self.held = fd, False

    def take(self, timeout: float) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not self._wait(timeout):
                return  # SQLite's own wait decides, as without the queue
        self.held = True

    def _wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        pause = _FIRST_WAIT
        while time.monotonic() < deadline:
            time.sleep(pause)
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                pause = min(pause * 2, _LONGEST_WAIT)
        log.warning("a SQLite writer waited %.1f s for the writers' queue; it goes on without it", timeout)
        return False

    def release(self) -> None:
        if self.held:
            self.held = False
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self.held = False
        os.close(self.fd)  # lets go of the flock too


def _queue_file(engine: Engine) -> str | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" or database.startswith("file:") \
            or "mode=memory" in str(engine.url.query.get("mode", "")):
        return None
    return os.path.abspath(database) + "-writers"


class _Queue:
    """The queue of one engine's writers: the pooled connections' gates on one file."""

    def __init__(self, path: str, timeout: float) -> None:
        self.path, self.timeout = path, timeout

    def gate_of(self, info: dict[str, Any]) -> _Gate | None:
        gate = info.get(_GATE)
        if gate is None:
            try:
                gate = info[_GATE] = _Gate(os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600))
            except OSError as error:  # a folder this process may not write: SQLite's own wait only
                log.warning("no writers' queue at %s: %s", self.path, error)
                info[_GATE] = False
                return None
        return gate or None

    def before_write(self, connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        info = connection.connection.info
        gate = info.get(_GATE)
        if gate is False or (gate is not None and gate.held):
            return
        if statement.lstrip()[:6].upper() not in _WRITES:
            return
        gate = self.gate_of(info)
        if gate is not None:
            gate.take(self.timeout)

    @staticmethod
    def released_after(original: Callable[[Any], None]) -> Callable[[Any], None]:
        def end(connection: Any) -> None:
            try:
                original(connection)
            finally:
                # The pool's and the engine's calls give the pooled connection (its info is the
                # record's); the transaction is over, committed or not: the next writer's turn.
                try:
                    gate = connection.info.get(_GATE)
                except (AttributeError, NotImplementedError):  # the raw driver's, or an ad hoc proxy's
                    gate = None
                if gate:
                    gate.release()
        return end

    @staticmethod
    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        gate = record.info.get(_GATE) if record is not None else None
        if gate:
            gate.release()  # a connection back in the pool writes nothing

    @staticmethod
    def closed(_dbapi_connection: Any, record: Any, *_args: Any) -> None:
        gate = record.info.pop(_GATE, None) if record is not None else None
        if gate:
            gate.close()


def queue_writers(engine: Engine, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Make ``engine``'s writing transactions wait for one another in the queue (SQLite files only);
    whether it was set up."""
    path = _queue_file(engine)
    if path is None:
        return False
    queue = _Queue(path, timeout)
    event.listen(engine, "before_cursor_execute", queue.before_write)
    dialect = engine.dialect
    dialect.do_commit = queue.released_after(dialect.do_commit)  # type: ignore[method-assign,assignment]
    dialect.do_rollback = queue.released_after(dialect.do_rollback)  # type: ignore[method-assign,assignment]
    event.listen(engine, "checkin", queue.checked_in)
    for name in ("close", "invalidate", "soft_invalidate", "detach"):
        event.listen(engine, name, queue.closed)
    return True
