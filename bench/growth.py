"""Does a page's time grow with the data, or with the process timing it? What each request of the main
pages costs on databases that `bench/run.py --out DIR` kept, the sizes interleaved.

    python bench/growth.py COPY/bench-1x.sqlite3 COPY/bench-16x.sqlite3 [--pages "claim page,audit log"]
        [--rounds 40] [--shared-stores] [--no-settle]

One app per database in this process (as bench/run.py times them; give one database to time it in a
process of its own), each page requested once per database in turn. For each request: the wall clock,
the wall clock less the time the thread waited for a CPU (Linux schedstat's run-queue delay), this
process's CPU (``time.process_time``: on SQLite the whole request), the time in the garbage collector
(``gc.callbacks``), context switches, page faults and the bytes read by system calls (SQLite's pages
that its own cache did not hold). Each app has its own ``kept_reads`` store (as bench/run.py gives it)
unless ``--shared-stores``. Copy the databases first: signing in writes to them.
"""
from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import profile_pages, run  # noqa: E402

_gc = {"started": 0.0, "ms": 0.0, "runs": [0, 0, 0]}


def _gc_callback(phase: str, info: dict) -> None:
    if phase == "start":
        _gc["started"] = time.perf_counter()
    else:
        _gc["ms"] += (time.perf_counter() - _gc["started"]) * 1000
        _gc["runs"][info["generation"]] += 1


def _run_delay() -> int:
    """Nanoseconds this thread has spent runnable but waiting for a CPU (Linux schedstat)."""
    with open("/proc/thread-self/schedstat", encoding="ascii") as stat:
        return int(stat.read().split()[1])


def _read_bytes() -> int:
    """Bytes this process has read through system calls so far (SQLite's page reads among them)."""
    with open("/proc/self/io", encoding="ascii") as io:
        return int(next(line for line in io if line.startswith("rchar")).split()[1])


def stages_for(databases: list[str], pages: list[str], shared: bool) -> list[tuple[str, dict]]:
    """(label, {page: (client, path)}) for each database, its clients signed in."""
    stages = []
    for path in databases:
        url = f"sqlite:///{Path(path).resolve()}" if "://" not in path else path
        app = run.make_app(url, Path(path).with_suffix(".checkpoints.jsonl"))
        info = profile_pages.dataset_for(app, url)
        specs = {name: (who, p) for name, who, p, _limit in run.page_specs(info)}
        clients: dict = {}
        kept: dict = {}
        targets = {}
        for name in pages:
            who, p = specs[name]
            if who not in clients:
                client = run.sign_in(app, who) if who else app.test_client()
                clients[who] = client if shared else run.OwnStores(client, kept)
            targets[name] = (clients[who], p)
        stages.append((f"{len(stages) + 1}:{Path(path).name}", targets))
    return stages


def one_request(client, path: str) -> dict:
    usage, read, waited, gc_ms = resource.getrusage(resource.RUSAGE_SELF), _read_bytes(), _run_delay(), _gc["ms"]
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    response.get_data()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    waited = _run_delay() - waited
    after = resource.getrusage(resource.RUSAGE_SELF)
    response.close()
    return {"wall": wall * 1000, "ran": wall * 1000 - waited / 1e6, "cpu": cpu * 1000, "gc": _gc["ms"] - gc_ms,
            "vcsw": after.ru_nvcsw - usage.ru_nvcsw, "ivcsw": after.ru_nivcsw - usage.ru_nivcsw,
            "minflt": after.ru_minflt - usage.ru_minflt, "majflt": after.ru_majflt - usage.ru_majflt,
            "read_kb": (_read_bytes() - read) / 1024}


def report(name: str, label: str, samples: list[dict]) -> None:
    def med(key: str) -> float:
        return statistics.median(s[key] for s in samples)

    def mean(key: str) -> float:
        return sum(s[key] for s in samples) / len(samples)

    print(f"{name:<13} {label:<22} wall {med('wall'):6.2f} (min {min(s['wall'] for s in samples):5.2f}) | "
          f"wall-runq {med('ran'):6.2f} | cpu {med('cpu'):6.2f} (min {min(s['cpu'] for s in samples):5.2f}) | "
          f"per request: gc {mean('gc'):4.2f} ms, cs vol {mean('vcsw'):.1f} invol {mean('ivcsw'):.1f}, "
          f"faults {mean('minflt'):.0f}/{mean('majflt'):.0f}, read {mean('read_kb'):.0f} kB", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("databases", nargs="+")
    parser.add_argument("--pages", default="article page,claim page,claims list,my queue,audit log,dashboard")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--shared-stores", action="store_true")
    parser.add_argument("--no-settle", action="store_true")
    args = parser.parse_args()
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    stages = stages_for(args.databases, pages, args.shared_stores)
    if not args.no_settle:
        from factcheck import settle_heap

        settle_heap()
    gc.callbacks.append(_gc_callback)
    print(f"objects frozen: {gc.get_freeze_count():,}; gc thresholds {gc.get_threshold()}")
    for name in pages:
        for _label, targets in stages:  # warm-up
            for _ in range(2):
                one_request(*targets[name])
        samples: dict[str, list[dict]] = {label: [] for label, _ in stages}
        for _ in range(args.rounds):
            for label, targets in stages:
                samples[label].append(one_request(*targets[name]))
        for label, taken in samples.items():
            report(name, label, taken)
    print(f"gc runs by generation: {_gc['runs']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
