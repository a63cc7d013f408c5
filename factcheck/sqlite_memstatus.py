"""SQLite without its memory statistics, when the process starts (issue 15, tenth round).

SQLite as Debian ships it (and SQLite's own default build) keeps statistics of the memory it allocates
(``SQLITE_CONFIG_MEMSTATUS``, on by default), and for that takes one mutex, global to the process,
around every allocation: each string an SQL expression makes, each value a row copies. Two threads
that run statements at once (``audit_ranges``' readers: each window's payloads are built by such
expressions) then take turns on that mutex for every allocation. Measured on this 2-core machine with
the cores to ourselves (``chrt``), the window statement of ``audit_ranges`` in two threads at once
cost 7.9-9.0 µs of CPU an event against 2.8-3.3 in one thread (4.4-4.8 µs of wall clock against
2.8-3.3: slower than one thread), and with the statistics off 3.7-4.8 µs of CPU and 2.2-2.6 of wall clock.
Nothing in the app reads the statistics (``sqlite3_memory_used``, the soft heap limit): Python's
``sqlite3`` never asks for them.

The setting can only change while SQLite is not initialised, and Python's ``sqlite3`` initialises
it when imported: ``turn_off`` shuts SQLite down and starts it again with the statistics off, and
only where that is safe — no SQLite memory allocated anywhere in the process (so no connection, no
statement: SQLite's own count, which is kept while the statistics are on, says 0) and no other
thread that could open one meanwhile. It runs once, when ``factcheck`` is imported; anywhere else
(a driver built with SQLite inside it, no ``/proc``, a connection already open) it leaves SQLite as
it is, which only costs the speed above.
"""
from __future__ import annotations

import ctypes
import sqlite3
import threading
from pathlib import Path

_SQLITE_CONFIG_MEMSTATUS = 9
_SQLITE_STATUS_MEMORY_USED = 0


def _library() -> ctypes.CDLL | None:
    """The SQLite library the ``sqlite3`` driver runs on, if it is a shared library of its own."""
    import _sqlite3  # noqa: F401  (the driver's extension: it brings its SQLite library in)

    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    paths = {line.split()[-1] for line in maps.splitlines()
             if line.split() and "/libsqlite3" in line.split()[-1]}
    if len(paths) != 1:
        return None
    library = ctypes.CDLL(paths.pop())
    major, minor, patch = sqlite3.sqlite_version_info
    if library.sqlite3_libversion_number() != major * 1_000_000 + minor * 1_000 + patch:
        return None  # not the library the driver reports
    return library


def memory_in_use(library: ctypes.CDLL) -> int | None:
    """SQLite's count of the memory it holds (None where it cannot be read); 0 while the statistics
    are off, whatever is open."""
    current, highest = ctypes.c_int64(), ctypes.c_int64()
    if library.sqlite3_status64(_SQLITE_STATUS_MEMORY_USED, ctypes.byref(current), ctypes.byref(highest), 0) != 0:
        return None
    return current.value


def turn_off() -> bool:
    """Restart SQLite without its memory statistics if nothing of it is in use; whether it did."""
    if threading.active_count() != 1:
        return False
    try:
        library = _library()
        if library is None or memory_in_use(library) != 0:
            return False
    except (OSError, AttributeError):  # no such library, or one without these functions
        return False
    if library.sqlite3_shutdown() != 0:
        return False
    done = library.sqlite3_config(_SQLITE_CONFIG_MEMSTATUS, ctypes.c_int(0)) == 0
    library.sqlite3_initialize()
    return done


TURNED_OFF = turn_off()
