"""Shared by the page benchmarks: time a page through the test client and count its SQL."""
from __future__ import annotations

import statistics
import threading
import time

import sqlalchemy as sa


class StatementLog:
    """Every SQL statement an engine runs in this thread while installed, with its parameters and
    milliseconds. Another thread's statements (the app's periodic round, started by its first
    request) are left out: they are not the page's, and counting them made a page's statements
    jump (articles 3 → 17 → 10) and the timing listener fail (a statement begun before it was installed)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.statements: list[tuple[str, object, float]] = []
        self.thread = threading.get_ident()

    def _before(self, conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
        if threading.get_ident() == self.thread:
            conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def _after(self, conn, _cursor, statement, parameters, _context, _executemany) -> None:
        if threading.get_ident() != self.thread or not conn.info.get("bench_started"):
            return
        started = conn.info["bench_started"].pop()
        self.statements.append((statement, parameters, (time.perf_counter() - started) * 1000))

    def __enter__(self) -> StatementLog:
        sa.event.listen(self.engine, "before_cursor_execute", self._before)
        sa.event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *_exc) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._before)
        sa.event.remove(self.engine, "after_cursor_execute", self._after)

    @property
    def count(self) -> int:
        return len(self.statements)

    @property
    def ms(self) -> float:
        return sum(ms for _s, _p, ms in self.statements)


def _run_delay_reader():
    """A function giving the nanoseconds the calling thread has spent runnable but waiting for a CPU
    (Linux's ``/proc/thread-self/schedstat``, second field), or None where that cannot be read."""
    path = "/proc/thread-self/schedstat"
    try:
        with open(path, "rb") as stat:
            int(stat.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None

    def run_delay() -> int:
        with open(path, "rb") as stat:
            return int(stat.read().split()[1])
    return run_delay


def interleaved_timing(targets: list[tuple], *, warmup: int = 2, runs: int = 20, min_runs: int = 5,
                       budget: float = 3.0) -> list[dict]:
    """Median and fastest milliseconds of GET of several (client, url, engine or None), at least
    ``min_runs`` and at most ``runs`` or ``budget`` seconds, then one more request of each with an
    engine under a StatementLog (its statements and their time in the driver). One request of each in turn, so
    that load from elsewhere on the machine, a collection or a cold cache falls on all of them alike.
    The bench times a page at 1x, 4x and 16x data and the limit beside each this way: timed one size
    after another, right after each fill, the 16x figures had been up to 2.5 times the 1x ones for pages
    that, interleaved, take the same time at both sizes.

    A request's milliseconds are its wall-clock time less the time its thread waited, runnable, for a
    CPU (the scheduler's run-queue delay): what the request costs a worker that has a core when it
    wants one, its CPU and its waits on the database (a PostgreSQL server, a disk) included. On the
    shared 2 cores at load 14-17 the process ran about a sixth of the wall clock and a request of 2 ms
    of CPU was preempted in half the rounds: the wall-clock medians fell on either side of a 10 ms wait
    from one size to the next (docs/performance.md, "Thirteenth round: growth at full scale"). Where the
    delay cannot be read (not Linux), the wall clock. ``wall_ms`` and ``cpu_ms`` (this process's CPU,
    the whole request on SQLite) are reported beside it."""
    run_delay = _run_delay_reader()
    for _ in range(warmup):
        for client, url, _engine in targets:
            response = client.get(url)
            response.close()
            if response.status_code != 200:
                raise AssertionError(f"GET {url} answered {response.status_code}")
    times: list[list[float]] = [[] for _ in targets]
    walls: list[list[float]] = [[] for _ in targets]
    cpus: list[list[float]] = [[] for _ in targets]
    deadline = time.perf_counter() + budget
    while len(times[0]) < min_runs or (len(times[0]) < runs and time.perf_counter() < deadline):
        for n, (client, url, _engine) in enumerate(targets):
            waited = run_delay() if run_delay else 0
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            response.get_data()
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            waited = (run_delay() - waited) / 1e9 if run_delay else 0.0
            times[n].append(max(wall - waited, cpu))
            walls[n].append(wall)
            cpus[n].append(cpu)
            response.close()
    results = [{"ms": statistics.median(t) * 1000, "min_ms": min(t) * 1000, "runs": len(t), "queries": None,
                "sql_ms": None, "wall_ms": statistics.median(w) * 1000, "cpu_ms": statistics.median(c) * 1000}
               for t, w, c in zip(times, walls, cpus, strict=True)]
    for result, (client, url, engine) in zip(results, targets, strict=True):
        if engine is not None:
            with StatementLog(engine) as log:
                client.get(url).close()
            result.update(queries=log.count, sql_ms=log.ms)
    return results
