"""``audit.verify`` by ranges of ids, in parallel processes (issue 15).

Each event's hash covers its own content, its stored ``prev_hash`` and its ``seq``, so it can be
checked without the events before it; what ties the events together is cheap: each one's
``prev_hash`` is the hash of the one before, and the ``seq`` go up by one. The chain is therefore
cut into ranges of ids, each range checked on its own (in a process of its own, with its own
connection, for a long chain), and the ranges' borders compared afterwards, in order.

The database builds each event's canonical payload (``PAYLOAD``: the same bytes as
``audit.canonical_payload`` for every event the app writes), so Python only reads one text per
event, computes the HMAC and compares. An event whose database-built payload does not match its
hash (stored in another form; a value the SQL does not build as the canonical encoder would) is
looked up again and checked the reference way, as ``audit._walk`` does: a hash is only accepted when
it is the HMAC of bytes the key's holder MACed, and a payload built here is never the canonical
payload of other content (its strings are escaped, or it is no canonical JSON at all).

The report is the serial walk's, word for word: a range that is not clean (a broken event in it, a
border that does not join, an unkeyed event after keyed ones, a checkpoint that does not match) is
walked again by ``audit._walk_on`` from the state the ranges before it left, which names the first
broken event exactly as a walk from the start would.
"""
from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import queue
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain
from typing import Any

from factcheck.models import HASH_ALG_KEYED, HASH_ALG_LEGACY
from factcheck.services.audit import _Mac

# Chains shorter than this are checked in the calling process: starting processes costs more.
PARALLEL_FROM = 200_000
# Rows fetched per statement: memory stays flat, statements stay few.
BATCH = 10_000
# Ranges per process: a range that is slower (another process took the core) holds the others up less.
RANGES_PER_PROCESS = 4


def _quoted_pg(column: str) -> str:
    # JSON's escapes for the two characters that need one in every string; a control character is
    # left as it is, which no canonical payload holds: such an event takes the reference path.
    return f"""'"' || replace(replace({column}, '\\', '\\\\'), '"', '\\"') || '"'"""


# The canonical payload (keys sorted, no spaces, UTF-8) built by the database; NULL where a value
# has no place in it (the event then takes the reference path).
PAYLOAD = {
    "postgresql": (
        """'{"action":' || """ + _quoted_pg("action")
        + """ || ',"actor_id":' || coalesce(actor_id::text, 'null')"""
        + """ || ',"actor_label":' || """ + _quoted_pg("actor_label")
        + """ || ',"article_id":' || coalesce(article_id::text, 'null')"""
        + """ || ',"changes":' || changes::text"""
        + """ || ',"created_at":"' || replace(to_char(created_at AT TIME ZONE 'UTC', """
        + """'YYYY-MM-DD"T"HH24:MI:SS.US'), '.000000', '') || '+00:00"'"""
        + """ || ',"ip_address":' || coalesce(""" + _quoted_pg("ip_address") + """, 'null')"""
        + """ || ',"object_id":' || coalesce(object_id::text, 'null')"""
        + """ || ',"object_type":' || """ + _quoted_pg("object_type")
        + """ || ',"prev_hash":' || """ + _quoted_pg("prev_hash")
        + """ || ',"request_id":' || coalesce(""" + _quoted_pg("request_id") + """, 'null')"""
        + """ || CASE WHEN hash_alg = 'hmac-sha256' THEN ',"seq":' || seq::text ELSE '' END || '}'"""
    ),
    "sqlite": (
        # json_quote escapes as JSON does; integers only where the column holds an integer; the
        # time as SQLite keeps it ('YYYY-MM-DD HH:MM:SS.ffffff', UTC), a zero fraction dropped.
        """'{"action":' || json_quote(action)"""
        + """ || ',"actor_id":' || CASE typeof(actor_id) WHEN 'integer' THEN actor_id WHEN 'null' THEN 'null' END"""
        + """ || ',"actor_label":' || json_quote(actor_label)"""
        + """ || ',"article_id":' || CASE typeof(article_id) WHEN 'integer' THEN article_id WHEN 'null' THEN 'null' END"""
        + """ || ',"changes":' || CASE typeof(changes) WHEN 'text' THEN changes END"""
        + """ || ',"created_at":"' || CASE WHEN typeof(created_at) = 'text' AND length(created_at) = 26"""
        + """ AND substr(created_at, 11, 1) = ' ' AND substr(created_at, 20, 1) = '.'"""
        + """ THEN substr(created_at, 1, 10) || 'T' || CASE WHEN substr(created_at, 21) = '000000'"""
        + """ THEN substr(created_at, 12, 8) ELSE substr(created_at, 12) END END || '+00:00"'"""
        + """ || ',"ip_address":' || CASE typeof(ip_address) WHEN 'text' THEN json_quote(ip_address) WHEN 'null' THEN 'null' END"""
        + """ || ',"object_id":' || CASE typeof(object_id) WHEN 'integer' THEN object_id WHEN 'null' THEN 'null' END"""
        + """ || ',"object_type":' || json_quote(object_type)"""
        + """ || ',"prev_hash":' || json_quote(prev_hash)"""
        + """ || ',"request_id":' || CASE typeof(request_id) WHEN 'text' THEN json_quote(request_id) WHEN 'null' THEN 'null' END"""
        + """ || CASE WHEN hash_alg = 'hmac-sha256' THEN ',"seq":' || seq ELSE '' END || '}'"""
    ),
}

# id, seq (0, never a position, where there is none), prev_hash, hash, hash_alg, the payload as bytes.
_SELECT = {
    "postgresql": ("SELECT id, coalesce(seq, 0), prev_hash, hash, hash_alg, convert_to({payload}, 'UTF8') "
                   "FROM audit_events WHERE id > %s AND id <= %s ORDER BY id LIMIT {batch}"),
    "sqlite": ("SELECT id, CASE typeof(seq) WHEN 'integer' THEN seq ELSE 0 END, prev_hash, hash, hash_alg, "
               "CAST({payload} AS BLOB) FROM audit_events WHERE id > ? AND id <= ? ORDER BY id LIMIT {batch}"),
}


def supported(dialect: str) -> bool:
    return dialect in _SELECT


@dataclass
class RangeResult:
    """What checking the events with ids in (``after_id``, ``up_to_id``] found, on their own."""

    after_id: int
    up_to_id: int
    count: int = 0
    first_prev: str | None = None  # the first event's link and position: the border with the range before
    first_seq: int | None = None
    last: tuple[int, str, int] | None = None  # the last event's id, hash and seq
    keyed_seen: bool = False
    legacy_seen: bool = False
    checkpoint_seen: bool = False
    # Something in the range does not hold on its own, or an event's database-built payload missed
    # its hash: the serial walk goes over the range (and names what is broken, if anything is).
    broken: bool = False


def _check_rows(batches: Iterable[list[Any]], key: bytes, checkpoint: tuple[int, str, int] | None,
                result: RangeResult) -> None:
    """The range's own checks over its rows (of ``_SELECT``), in id order; stops at the first that
    does not hold (``result.broken``)."""
    mac = _Mac(key)
    inner_state, outer_state = mac.inner, mac.outer
    sha256 = hashlib.sha256
    checkpoint_id, checkpoint_hash, checkpoint_seq = checkpoint or (None, None, -1)
    keyed, legacy = HASH_ALG_KEYED, HASH_ALG_LEGACY
    count, keyed_seen, legacy_seen, checkpoint_seen = 0, False, False, False
    last_hash: Any = None
    last_seq, last_id = -1, 0
    broken = True
    for ident, seq, prev, stored, alg, payload in chain.from_iterable(batches):
        if not count:
            result.first_prev, result.first_seq = prev, seq
        elif prev != last_hash or seq != last_seq + 1:
            break
        if payload is None:
            break
        if alg == keyed:
            keyed_seen = True
            inner = inner_state.copy()
            inner.update(payload)
            outer = outer_state.copy()
            outer.update(inner.digest())
            if outer.hexdigest() != stored:
                break
        elif alg != legacy or keyed_seen or sha256(payload).hexdigest() != stored:
            break  # an unknown algorithm, an unkeyed event after keyed ones, or a miss
        else:
            legacy_seen = True
        if seq == checkpoint_seq:
            if (ident, stored) != (checkpoint_id, checkpoint_hash):
                break
            checkpoint_seen = True
        last_hash, last_seq, last_id = stored, seq, ident
        count += 1
    else:
        broken = False
    result.broken, result.count = broken, count
    result.keyed_seen, result.legacy_seen, result.checkpoint_seen = keyed_seen, legacy_seen, checkpoint_seen
    if count:
        result.last = (last_id, last_hash, last_seq)


def _batches(cursor: Any, statement: str, after_id: int, up_to_id: int) -> Iterator[list[Any]]:
    """The range's rows in keyset batches, the next one read by a thread of its own while this one is
    checked: the driver lets go of the interpreter while the database builds the rows (SQLite's
    step, PostgreSQL's network wait), so building and hashing overlap."""
    ready: queue.Queue[list[Any] | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def read() -> None:
        last = after_id
        try:
            while not stop.is_set():
                cursor.execute(statement, (last, up_to_id))
                rows = cursor.fetchall()
                if not rows:
                    break
                ready.put(rows)
                last = rows[-1][0]
        except BaseException as error:  # handed to the reader's caller
            ready.put(error)
            return
        ready.put(None)

    reader = threading.Thread(target=read, name="audit-verify-reader", daemon=True)
    reader.start()
    try:
        while (item := ready.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while reader.is_alive():  # let it finish its statement before the cursor is closed
            with contextlib.suppress(queue.Empty):
                ready.get(timeout=0.05)
        reader.join()


def check_range(dbapi_connection: Any, dialect: str, key: bytes, checkpoint: tuple[int, str, int] | None,
                after_id: int, up_to_id: int, batch: int = BATCH) -> RangeResult:
    """Check the events with ids in (``after_id``, ``up_to_id``] on ``dbapi_connection``, on their own."""
    result = RangeResult(after_id, up_to_id)
    statement = _SELECT[dialect].format(payload=PAYLOAD[dialect], batch=int(batch))
    cursor = dbapi_connection.cursor(binary=True) if dialect == "postgresql" else dbapi_connection.cursor()
    try:
        _check_rows(_batches(cursor, statement, after_id, up_to_id), key, checkpoint, result)
    finally:
        cursor.close()
    return result


def _check_range_in_process(url: str, dialect: str, key: bytes, checkpoint: tuple[int, str, int] | None,
                            after_id: int, up_to_id: int) -> RangeResult:
    """``check_range`` in a worker process, on a connection of its own (read only)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        connection = engine.raw_connection()
        try:
            return check_range(connection.driver_connection, dialect, key, checkpoint, after_id, up_to_id)
        finally:
            connection.rollback()
            connection.close()
    finally:
        engine.dispose()


def plan(first_id: int, last_id: int, processes: int, range_size: int | None = None) -> list[tuple[int, int]]:
    """(after_id, up_to_id] bounds covering the ids from ``first_id`` to ``last_id``."""
    span = last_id - first_id + 1
    size = range_size or max(1, -(-span // (processes * RANGES_PER_PROCESS)))
    return [(start - 1, min(start + size - 1, last_id)) for start in range(first_id, last_id + 1, size)]


def can_fork() -> bool:
    """Whether worker processes can be forked: copying the caller's memory needs nothing imported
    again, but is only safe with no other thread running (one could hold a lock the child needs)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _context() -> Any:
    # A process with threads (an app server, a job runner) spawns its workers instead: each imports
    # the app's modules first, a second or more on a busy machine (issue 15's bench: 51,000 events
    # took 4 s in two spawned processes, 0.5 s in this one).
    return multiprocessing.get_context("fork" if can_fork() else "spawn")


def check_ranges(url: str, dialect: str, key: bytes, checkpoint: tuple[int, str, int] | None,
                 bounds: list[tuple[int, int]], processes: int) -> Iterator[RangeResult]:
    """Each range's result, in order, checked by ``processes`` worker processes."""
    with ProcessPoolExecutor(max_workers=processes, mp_context=_context()) as pool:
        futures = [pool.submit(_check_range_in_process, url, dialect, key, checkpoint, after_id, up_to_id)
                   for after_id, up_to_id in bounds]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def default_processes() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))
