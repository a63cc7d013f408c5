"""gunicorn.conf.py's workers hand the interpreter lock on after 1 ms, not Python's 5 ms: a thread back
from the database (holding a write's lock) waits less for a sibling rendering a page
(docs/performance.md, "Fourteenth round: the mix")."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.ops.support import PROJECT_ROOT

# The worker's start as gunicorn runs it: the configuration file read, then its post_worker_init hook
# given a worker whose app is a plain WSGI callable (no Flask app to warm), in a process of its own so
# that the interval of this test process is left alone.
_WORKER_START = """
import runpy, sys, types
config = runpy.run_path("gunicorn.conf.py")
before = sys.getswitchinterval()
config["post_worker_init"](types.SimpleNamespace(wsgi=lambda environ, start_response: []))
print(before, sys.getswitchinterval())
"""


def _intervals(**env: str) -> tuple[float, float]:
    environment = {k: v for k, v in os.environ.items() if k != "FACTCHECK_SWITCH_INTERVAL_MS"}
    done = subprocess.run([sys.executable, "-c", _WORKER_START], cwd=PROJECT_ROOT, env={**environment, **env},
                          capture_output=True, text=True, timeout=60, check=True)
    before, after = done.stdout.split()
    return float(before), float(after)


def test_a_worker_switches_threads_after_1_ms() -> None:
    before, after = _intervals()
    assert before == pytest.approx(0.005)  # Python's own, in the master
    assert after == pytest.approx(0.001)


def test_the_interval_comes_from_the_environment() -> None:
    assert _intervals(FACTCHECK_SWITCH_INTERVAL_MS="2.5")[1] == pytest.approx(0.0025)
