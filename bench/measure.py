"""Shared by the page benchmarks: time a page through the test client and count its SQL."""
from __future__ import annotations

import contextlib
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


def _schedstat_delay(path: str) -> int:
    with open(path, "rb") as stat:
        return int(stat.read().split()[1])


def _server_backends(engines) -> list[str]:
    """The schedstat files of the PostgreSQL backends (a server on this machine) connected to the
    databases of ``engines``: their waits for a CPU during a request are the machine's load too."""
    names = sorted({e.url.database for e in engines if e is not None and e.dialect.name == "postgresql"})
    if not names:
        return []
    engine = next(e for e in engines if e is not None and e.dialect.name == "postgresql")
    try:
        with engine.connect() as connection:
            pids = connection.scalars(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = ANY(:names)"
                                              " AND backend_type = 'client backend'"),
                                      {"names": names}).all()
    except sa.exc.SQLAlchemyError:
        return []
    paths = []
    for pid in pids:
        path = f"/proc/{pid}/schedstat"
        try:
            _schedstat_delay(path)
        except (OSError, ValueError, IndexError):  # another machine's server, or not ours to read
            continue
        paths.append(path)
    return paths


def _run_delay_reader(engines=()):
    """A function giving the nanoseconds the calling thread, and the PostgreSQL backends serving
    ``engines``' databases, have spent runnable but waiting for a CPU (Linux's schedstat, second
    field), or None where the thread's cannot be read. A backend that ends is left out from then on."""
    own = "/proc/thread-self/schedstat"
    try:
        _schedstat_delay(own)
    except (OSError, ValueError, IndexError):
        return None
    backends = _server_backends(list(engines))
    last: dict[str, int] = {}

    def run_delay() -> int:
        total = _schedstat_delay(own)
        for path in backends:
            with contextlib.suppress(OSError, ValueError, IndexError):  # ended: its last figure stays
                last[path] = _schedstat_delay(path)
            total += last.get(path, 0)
        return total
    return run_delay


class Rotating:
    """Addresses asked in turn, one per request: a page's first views (another claim or article each
    time), not the same page again. Its ``str`` names it in errors and reports."""

    def __init__(self, urls: list[str]) -> None:
        self._urls, self._next = urls, 0

    def __call__(self) -> str:
        url = self._urls[self._next % len(self._urls)]
        self._next += 1
        return url

    def __str__(self) -> str:
        return f"{self._urls[0]} … ({len(self._urls)} in turn)"


def _url(url) -> str:
    return url() if callable(url) else url


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
    wants one, its CPU and its waits on the database (a PostgreSQL server, a disk) included; on
    PostgreSQL the server's backends for these databases (on this machine) have their own waits for a
    CPU taken off too: the time the request waited on a backend that waited for a CPU. On the
    shared 2 cores at load 14-17 the process ran about a sixth of the wall clock and a request of 2 ms
    of CPU was preempted in half the rounds: the wall-clock medians fell on either side of a 10 ms wait
    from one size to the next (docs/performance.md, "Thirteenth round: growth at full scale"). Where the
    delay cannot be read (not Linux), the wall clock. ``wall_ms`` and ``cpu_ms`` (this process's CPU,
    the whole request on SQLite) are reported beside it."""
    for _ in range(warmup):
        for client, url, _engine in targets:
            response = client.get(_url(url))
            response.close()
            if response.status_code != 200:
                raise AssertionError(f"GET {url} answered {response.status_code}")
    # After the warm-up, when the pools hold the connections the requests will use.
    run_delay = _run_delay_reader(engine for _client, _address, engine in targets)
    times: list[list[float]] = [[] for _ in targets]
    walls: list[list[float]] = [[] for _ in targets]
    cpus: list[list[float]] = [[] for _ in targets]
    deadline = time.perf_counter() + budget
    while len(times[0]) < min_runs or (len(times[0]) < runs and time.perf_counter() < deadline):
        for n, (client, url, _engine) in enumerate(targets):
            waited = run_delay() if run_delay else 0
            address = _url(url)
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(address)
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
                client.get(_url(url)).close()
            result.update(queries=log.count, sql_ms=log.ms)
    return results
