"""A gunicorn worker with no thread free leaves new connections to the others
(factcheck/serving.py, gunicorn.conf.py's worker class): a request never waits behind a busy worker
while another worker idles."""
from __future__ import annotations

import http.client
import json
import time
from pathlib import Path

from tests.conftest import app_environment
from tests.ops.support import Server
from tests.ops.test_streaming import manager_on_a_long_log, start_and_open_export

CONNECTIONS = 12


def test_new_connections_go_to_the_worker_with_a_thread_free(tmp_path: Path, sqlite_template: Path) -> None:
    url, email = manager_on_a_long_log(tmp_path, sqlite_template, "balance")

    # Two workers of one thread each. With gunicorn's own gthread worker
    # (`GUNICORN_CMD_ARGS="--worker-class gthread"`) about half of the connections below land on the
    # worker whose thread is busy and wait there for the whole export: this test then fails.
    server = Server({**app_environment(url), "FACTCHECK_SECRET_KEY": "balance-test",
                     "FACTCHECK_WORKERS": "2", "FACTCHECK_THREADS": "1"}, tmp_path / "gunicorn.log")
    try:
        # An export read by nobody for now: the worker serving it has its only thread blocked writing.
        export, received = start_and_open_export(server, email)
        time.sleep(0.5)

        waits = []
        for _ in range(CONNECTIONS):  # each on a new connection, as a new client's would be
            started = time.monotonic()
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            try:
                connection.request("GET", "/healthz")
                assert connection.getresponse().status == 200
            finally:
                connection.close()
            waits.append(time.monotonic() - started)

        while chunk := export.recv(1 << 20):
            received += chunk
        export.close()
    finally:
        server.stop()

    assert max(waits) < 5, waits
    assert received.startswith(b"HTTP/1.1 200") or received.startswith(b"HTTP/1.0 200"), bytes(received[:200])
    access = [json.loads(line) for line in server.log_path.read_text().splitlines()
              if '"gunicorn.access"' in line]
    export_pid = next(line["pid"] for line in access if line["path"] == "/audit/export.jsonl")
    health_pids = {line["pid"] for line in access if line["path"] == "/healthz"}
    # The export's worker answered none of them once it was busy (wait_ready's checks came before).
    served_during_export = [line for line in access if line["path"] == "/healthz"][-CONNECTIONS:]
    assert all(line["pid"] != export_pid for line in served_during_export), (export_pid, health_pids)
