"""Streaming export of the audit log: rows per second and memory, at 30k and at 300k events.

Fills a migrated SQLite database with events by bulk insert: a *valid* hash chain computed in Python
(the same canonical payload and SHA-256 as ``audit.record``), so ``flask audit verify`` passes on
it. Then streams /audit/export.csv and /audit/export.jsonl through the Flask test client, chunk by
chunk, timing it, and measures the peak of Python allocations during the export with tracemalloc.
Memory must stay flat from 30k to 300k rows; a body built in memory would grow tenfold.

    python bench/bench_audit_export.py [--events 300000]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade

from factcheck import create_app
from factcheck.extensions import db
from factcheck.models import GENESIS_HASH, AuditEvent
from factcheck.services import audit, users

PASSWORD = "bench password"


def fill(app, upto: int) -> None:
    """Append events until the log holds ``upto`` of them, continuing the chain."""
    table = AuditEvent.__table__
    with app.app_context():
        last = db.session.execute(table.select().order_by(table.c.id.desc()).limit(1)).first()
        count = last.id if last else 0
        prev = last.hash if last else GENESIS_HASH
        when = (last.created_at if last else datetime(2024, 1, 1, tzinfo=UTC))
        batch: list[dict] = []
        with db.engine.begin() as connection:
            for i in range(count + 1, upto + 1):
                when += timedelta(seconds=1)
                row = {
                    "created_at": when, "actor_id": None, "actor_label": "bench", "action": "claim.assigned",
                    "object_type": "claim", "object_id": i % 5000 + 1, "article_id": i % 700 + 1,
                    "changes": {"status": {"before": "open", "after": "assigned"}, "assignee_id": {"before": None, "after": i % 40}},
                    "request_id": f"{i:032x}", "ip_address": "203.0.113.7", "prev_hash": prev,
                }
                row["hash"] = prev = audit.compute_hash(SimpleNamespace(**row))
                batch.append(row)
                if len(batch) == 10_000:
                    connection.execute(table.insert(), batch)
                    batch.clear()
            if batch:
                connection.execute(table.insert(), batch)


def export(client, fmt: str, traced: bool) -> tuple[int, int, float, int]:
    """(rows, bytes, seconds, peak traced bytes) of one streamed export."""
    if traced:
        tracemalloc.start()
        tracemalloc.reset_peak()
    started = time.perf_counter()
    response = client.get(f"/audit/export.{fmt}", buffered=False)
    assert response.status_code == 200 and response.is_streamed
    size = lines = 0
    for chunk in response.response:  # one keyset batch per chunk
        size += len(chunk)
        lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
    response.close()
    seconds = time.perf_counter() - started
    peak = 0
    if traced:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return lines - (1 if fmt == "csv" else 0), size, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=300_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-audit-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "FACTCHECK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        upgrade()
        users.create_user(db.session, actor=None, actor_label="bench", email="manager@bench.test", password=PASSWORD,
                          roles=["manager"])
    client = app.test_client()
    assert client.post("/login", data={"email": "manager@bench.test", "password": PASSWORD}).status_code == 302
    results = []
    for size in sorted({args.events // 10, args.events}):
        started = time.perf_counter()
        fill(app, size)
        filled = time.perf_counter() - started
        for fmt in ("csv", "jsonl"):
            rows, nbytes, seconds, _ = export(client, fmt, traced=False)
            _, _, _, peak = export(client, fmt, traced=True)
            results.append((size, fmt, rows, nbytes, seconds, peak))
            print(f"{size:>8} events ({filled:5.1f}s to fill) {fmt:>5}: {rows:>8} rows, {nbytes / 1e6:6.1f} MB in "
                  f"{seconds:5.2f}s = {rows / seconds:8.0f} rows/s; peak Python memory during export "
                  f"{peak / 1e6:5.2f} MB", flush=True)
    with app.app_context():
        report = audit.verify(db.session)
    print(f"chain {'intact' if report.intact else 'BROKEN'}: {report.count} events")
    import resource

    print(f"process peak RSS (fill included): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    small = [r[5] for r in results if r[0] == min(r[0] for r in results)]
    large = [r[5] for r in results if r[0] == max(r[0] for r in results)]
    growth = max(large) / max(small)
    print(json.dumps({"peak_growth_30k_to_300k": round(growth, 2)}))
    if growth > 2:
        sys.exit("memory grew with the number of rows: the export is not streaming")


if __name__ == "__main__":
    main()
