"""The throughput part of bench/run.py alone, on a database a `bench/run.py --out DIR` run filled and kept:

    python bench/throughput.py --database sqlite:///DIR/bench-16x.sqlite3 [--runs 3] [--duration 10]
    python bench/throughput.py --database postgresql://postgres@127.0.0.1:5432/fc_bench_NAME [--runs 3]

Each run is made on a fresh copy of that database (a copied SQLite file; on PostgreSQL ``CREATE DATABASE …
TEMPLATE``, dropped afterwards), so notes posted by one run do not pile up on the claims the next one
reads. Prints each run's figures (``measure_throughput``: the app and the limit in turns, after a
warm-up) and, with several runs, the median and the spread of the share and of the server's CPU per
request. The last line is one JSON object with every run.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench import run  # noqa: E402


def _copy(url: str, folder: Path, n: int) -> tuple[str, str | None]:
    """A fresh copy of the filled database: its URL and, on PostgreSQL, the copy's name (to drop)."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        copy = folder / f"run-{n}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copy(parsed.database, copy)  # the fill's WAL was checkpointed when its engine closed
        return f"sqlite:///{copy}", None
    name = f"{parsed.database}_tp{n}"
    _admin(url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"')
    return parsed.set(database=name).render_as_string(hide_password=False), name


def _admin(url: str, *statements: str) -> None:
    engine = sa.create_engine(sa.engine.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="the filled database (it is not changed: runs use copies)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of the mix on each server per run")
    parser.add_argument("--out", default=None, help="a folder for the copies and the servers' log")
    args = parser.parse_args()
    from bench.profile_pages import dataset_for

    folder = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="fc-throughput-"))
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for n in range(1, args.runs + 1):
        url, dropped = _copy(args.database, folder, n)
        try:
            app = run.make_app(url)
            info = dataset_for(app, url)
            from factcheck.extensions import db

            with app.app_context():
                db.engine.dispose()  # the servers use the copy, not this process
            run.say(f"\n== run {n} of {args.runs}; {run.load()}")
            result = run.measure_throughput(info, folder, args.duration, folder / f"checkpoints-{n}.jsonl")
            result["share"] = round(result["mix_rps"] / result["limit_rps"], 3)
            results.append(result)
        finally:
            if dropped:
                _admin(args.database, f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)')
    if len(results) > 1:
        def spread(key: str) -> str:
            values = [r[key] for r in results]
            return f"median {statistics.median(values):.3f} (min {min(values):.3f}, max {max(values):.3f})"
        run.say(f"\nshare of the limit: {spread('share')}; server CPU ms per request: app "
                f"{spread('app_server_cpu_ms')}, limit {spread('limit_server_cpu_ms')}")
    print(json.dumps({"database": args.database, "runs": results}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
