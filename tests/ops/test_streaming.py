"""gunicorn.conf.py keeps long streamed responses alive (issue 12: the audit export of a million
events was cut at gunicorn's default 30 s timeout) and shuts down gracefully: a download that runs
far past the worker timeout, with SIGTERM arriving in the middle of it, still ends complete."""
from __future__ import annotations

import json
import shutil
import signal
import socket
import sqlite3
import time
from pathlib import Path

from factcheck import create_app
from factcheck.extensions import db
from tests.conftest import app_environment, base_config
from tests.ops.support import Browser, Server
from tests.support.context import ctx
from tests.support.factories import Factory

# Some 13 MB of JSON Lines: more than the loopback socket buffers hold (4 MB each way here), so the
# worker's thread is blocked writing while the reader pauses. (With gunicorn's sync worker,
# `GUNICORN_CMD_ARGS="--worker-class sync --threads 1"`, this test fails: WORKER TIMEOUT, and the
# download ends after some 2.8 MB.)
EVENTS = 20_000
WORKER_TIMEOUT = 2
PAUSE = 3 * WORKER_TIMEOUT


def _fill_audit_log(path: Path) -> None:
    """Bulk events straight into the table (the export streams them; their hashes do not matter)."""
    with sqlite3.connect(path) as conn:
        # Numbered after the events already there, as the chain numbers them (seq is unique).
        first = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_events").fetchone()[0] + 1
        conn.executemany(
            "INSERT INTO audit_events (created_at, actor_label, action, object_type, object_id, changes, "
            "prev_hash, hash, seq) VALUES (?, 'bulk', 'note.created', 'note', ?, ?, ?, ?, ?)",
            [(f"2024-03-01 09:{n // 60000 % 60:02d}:{n // 1000 % 60:02d}.{n % 1000:03d}000+00:00", n,
              json.dumps({"body": {"before": None, "after": "x" * 200}}), f"p{n:063x}", f"h{n:063x}", first + n)
             for n in range(EVENTS)])


def manager_on_a_long_log(tmp_path: Path, sqlite_template: Path, name: str) -> tuple[str, str]:
    """(database URL, a manager's email) of a copy of the template whose audit log holds EVENTS
    bulk events: long enough that streaming it keeps a worker's thread busy."""
    path = tmp_path / f"{name}.sqlite3"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    app = create_app(base_config(url))
    with app.app_context():
        email = Factory(ctx()).user("manager").email
        db.session.remove()
        db.engine.dispose()
    _fill_audit_log(path)
    return url, email


def start_and_open_export(server: Server, email: str) -> tuple[socket.socket, bytearray]:
    """Start ``server``, sign ``email`` in and ask for the audit export on a socket with a small
    receive window; (the socket, its first bytes). Left unread, it keeps its worker's thread busy."""
    server.start()
    server.wait_ready()
    browser = Browser()
    assert browser.sign_in(server.url, email, Factory.PASSWORD).status == 302
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(30)
    sock.connect(("127.0.0.1", server.port))
    sock.sendall(f"GET /audit/export.jsonl HTTP/1.0\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\r\n".encode())
    return sock, bytearray(sock.recv(65536))


def test_a_long_streamed_export_outlives_the_worker_timeout_and_a_sigterm(tmp_path: Path,
                                                                           sqlite_template: Path) -> None:
    url, email = manager_on_a_long_log(tmp_path, sqlite_template, "stream")

    server = Server({**app_environment(url), "FACTCHECK_SECRET_KEY": "stream-test",
                     "FACTCHECK_WORKERS": "1", "FACTCHECK_THREADS": "2",
                     "FACTCHECK_WORKER_TIMEOUT": str(WORKER_TIMEOUT), "FACTCHECK_GRACEFUL_TIMEOUT": "60"},
                    tmp_path / "gunicorn.log")
    try:
        # A slow reader: a small receive window, and a pause of several worker timeouts mid-stream,
        # during which the worker's thread is blocked writing to it.
        sock, received = start_and_open_export(server, email)
        time.sleep(PAUSE)
        assert server.process is not None
        server.process.send_signal(signal.SIGTERM)  # a deploy: stop accepting, finish what is in flight
        while chunk := sock.recv(1 << 20):
            received += chunk
        sock.close()
        exit_status = server.process.wait(timeout=60)
    finally:
        server.stop()

    head, _, body = bytes(received).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200") or head.startswith(b"HTTP/1.1 200"), head[:200]
    lines = body.decode().splitlines()
    # Every event before the export's own (the bulk ones and the manager's), each a whole JSON line.
    events = [json.loads(line) for line in lines]
    # ... and the export's closing checkpoint line (docs/audit.md), after every event.
    assert "checkpoint" in events[-1] and "action" not in events[-1]
    assert len(events) > EVENTS and [e.get("action") for e in events].count("note.created") == EVENTS
    assert exit_status == 0
    assert "WORKER TIMEOUT" not in server.log_path.read_text(), server.log()
