"""SQLite's writers wait in the app's queue (factcheck/sqlite_writers.py): a writing transaction holds
the queue's flock from its first write statement to its commit or rollback; a writer meets the one
ahead of it there, not in SQLite's sleeps; a queue nobody lets go of only delays, never stops, a write."""
from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from factcheck import sqlite_writers
from factcheck.sqlite_writers import queue_writers


@pytest.fixture
def engine(tmp_path: Path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (n INTEGER)")
    assert queue_writers(engine)
    yield engine
    engine.dispose()


def _queue_free(path: Path) -> bool:
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_a_write_holds_the_queue_until_its_commit(engine, tmp_path: Path) -> None:
    queue = tmp_path / "db.sqlite3-writers"
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT count(*) FROM t").all()
        assert not queue.exists() or _queue_free(queue)  # reading takes no place in it
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        assert not _queue_free(queue)
        connection.commit()
        assert _queue_free(queue)
        connection.exec_driver_sql("UPDATE t SET n = 2")
        assert not _queue_free(queue)
        connection.rollback()
        assert _queue_free(queue)
        connection.exec_driver_sql("DELETE FROM t")
    assert _queue_free(queue)  # back in the pool: let go (the pool's reset rolled it back)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT n FROM t").all() == [(1,)]


def test_a_second_writer_waits_for_the_first_to_commit(engine) -> None:
    first_wrote, order = threading.Event(), []

    def first() -> None:
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
            first_wrote.set()
            time.sleep(0.3)
            order.append("first commits")

    def second() -> None:
        first_wrote.wait(5)
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO t VALUES (2)")
            order.append("second wrote")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert order == ["first commits", "second wrote"]
    with engine.connect() as connection:
        assert sorted(connection.exec_driver_sql("SELECT n FROM t").scalars()) == [1, 2]


def test_a_queue_held_elsewhere_delays_a_write_and_no_more(tmp_path: Path, caplog) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert queue_writers(engine, timeout=0.2)
    holder = os.open(tmp_path / "db.sqlite3-writers", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)  # a process that never lets go
    try:
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger=sqlite_writers.__name__), engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE t (n INTEGER)")
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        assert 0.2 <= time.monotonic() - started < 3
        assert "goes on without it" in caplog.text
    finally:
        os.close(holder)
        engine.dispose()


def test_databases_in_memory_have_no_queue() -> None:
    engine = sa.create_engine("sqlite://")
    try:
        assert not queue_writers(engine)
    finally:
        engine.dispose()


def test_the_app_queues_its_writers_on_sqlite(app) -> None:
    from factcheck.extensions import db

    with app.app_context():
        engine = db.engine
        if engine.dialect.name != "sqlite":
            pytest.skip("SQLite's queue")
        with engine.connect() as connection:
            connection.exec_driver_sql("UPDATE users SET id = id WHERE 0 = 1")
            assert connection.connection.info[sqlite_writers._GATE].held
            connection.rollback()
            assert not connection.connection.info[sqlite_writers._GATE].held
