"""SQLite runs without its memory statistics once ``factcheck`` is imported (``factcheck.sqlite_memstatus``,
issue 15, tenth round), and only where that was safe: nothing of SQLite in use, no other thread."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest

from factcheck import PROJECT_ROOT, sqlite_memstatus

pytestmark = pytest.mark.skipif(sqlite_memstatus._library() is None,
                                reason="the sqlite3 driver has no SQLite shared library of its own to configure")


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout.strip()


def test_this_process_runs_sqlite_without_its_memory_statistics():
    assert sqlite_memstatus.TURNED_OFF
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE TABLE t (x TEXT)")
        connection.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,)] * 100)
        assert connection.execute("SELECT count(*), sum(length(x)) FROM t").fetchone() == (100, 100_000)
        # Counted while the statistics are on (the connection, its schema and pages hold memory).
        assert sqlite_memstatus.memory_in_use(sqlite_memstatus._library()) == 0
    finally:
        connection.close()


def test_a_connection_open_before_the_import_keeps_sqlite_as_it_is():
    out = _run(
        "import sqlite3\n"
        "c = sqlite3.connect(':memory:'); c.execute('CREATE TABLE t (x)'); c.execute(\"INSERT INTO t VALUES ('kept')\")\n"
        "from factcheck import sqlite_memstatus as m\n"
        "print(m.TURNED_OFF, m.memory_in_use(m._library()) > 0, c.execute('SELECT x FROM t').fetchone()[0])")
    assert out == "False True kept"


def test_a_fresh_process_turns_the_statistics_off_and_sqlite_works():
    out = _run(
        "import factcheck, sqlite3\n"
        "from factcheck import sqlite_memstatus as m\n"
        "c = sqlite3.connect(':memory:'); c.execute('CREATE TABLE t (x)'); c.execute(\"INSERT INTO t VALUES ('ok')\")\n"
        "print(m.TURNED_OFF, m.memory_in_use(m._library()), c.execute('SELECT x FROM t').fetchone()[0])")
    assert out == "True 0 ok"


def test_another_thread_running_keeps_sqlite_as_it_is():
    started, release = threading.Event(), threading.Event()

    def wait() -> None:
        started.set()
        release.wait(30)

    thread = threading.Thread(target=wait)
    thread.start()
    try:
        started.wait(30)
        assert sqlite_memstatus.turn_off() is False
    finally:
        release.set()
        thread.join()
