"""`make bench` measures every page: a tiny run of the bench's pages part, at all three sizes.

The bench reports a part that fails as null and goes on, so a page that starts answering 500 inside
the bench (as the lists did when the bench's own store for them no longer had the app's type) would
only show as a missing figure in a long report. SQLite only: the bench drops the schema of any
PostgreSQL database it is given, so it is never pointed at the test database.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_is_measured_at_every_size(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--scale", "0.005", "--out", str(tmp_path),
         "--skip", "throughput,export,verify,suggest,explain"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "!!" not in done.stdout, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["database"] == "sqlite"
    for name, page in result["pages"].items():
        assert page["ratio"] is not None and page["queries"] is not None, name
    for name, sizes in result["scaling"].items():
        assert sizes["1x_ms"] is not None and sizes["16x_ms"] is not None, name
