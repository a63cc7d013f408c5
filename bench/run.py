"""`make bench`: factcheck's main pages against "the limit", at 1×, 4× and 16× data, on SQLite or PostgreSQL.

    python bench/run.py [--scale full|small|FACTOR] [--database URL] [--duration SECONDS] [--out DIR]

The database is SQLite (a temporary file) unless ``--database`` or ``BENCH_DATABASE_URL`` names one,
e.g. ``postgresql://postgres@127.0.0.1:5432/fc_bench``: its public schema is DROPPED and rebuilt by
the migrations. For 1×, 4× and 16× data a database each is filled (bench/datagen.py) at 1/16, 1/4
and all of the scale's data (scale full: 100,000 claims and 1,000,000 audit events at 16×; small is
1/20 of that) and each main page is timed through the WSGI stack (Flask test client, signed in
through the /login form with its CSRF token), its requests interleaved with those of the same page at
the other sizes and of "the limit" at each size (bench/limit_app.py: the same rows with raw SQL and a
minimal Jinja table, same process, same database), with its SQL statements counted. At 16x also: the statements of the heaviest pages (and on
PostgreSQL EXPLAIN ANALYZE of the slowest), the streaming audit export (rows/s, peak Python memory)
at about 10k rows and at the whole log, audit verification against plain hashlib, and a throughput
run (gunicorn with the production gunicorn.conf.py and bench/loadgen.py from another process: 80 % reads, 20 %
notes posted through the form) against the limit app under the same load.
Claim suggestion speed comes from bench/bench_suggest.py.

Each part that fails prints why and reports null; the last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import tracemalloc
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench import datagen  # noqa: E402
from bench.chain import BENCH_AUDIT_KEY  # noqa: E402
from bench.limit_app import create_limit_app  # noqa: E402
from bench.measure import Rotating, StatementLog, interleaved_timing  # noqa: E402

SCALES = {"full": 1.0, "small": 0.05}
PAGES = ["sign-in form", "articles", "article page", "claim page", "claims list", "my queue", "review queue",
         "audit log", "dashboard", "/healthz", "article page, first views", "claim page, first views"]
# First views: more ids than requests of one page at one size (warm-up, timed runs, the statement count),
# so no article or claim is asked twice by one viewer and nothing the app keeps per page is used again.
FIRST_VIEWS = 64
MULTIPLIERS = (1, 4, 16)
SECRET = "bench-secret-key-not-for-production"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def say(*parts: object) -> None:
    print(*parts, flush=True)


@contextmanager
def part(name: str, results: dict, key: str | None = None):
    """Run one part of the bench; on failure say why and leave its result null."""
    started = time.perf_counter()
    try:
        yield
    except Exception as error:
        say(f"!! {name} failed, reported as null: {type(error).__name__}: {error}")
        traceback.print_exc(file=sys.stderr)
        if key is not None:
            results[key] = None
    else:
        say(f"   ({name}: {time.perf_counter() - started:.0f} s)")


# ---- the app under test ------------------------------------------------------------------------------

def app_environment(url: str, checkpoints: Path | None) -> dict[str, str]:
    """The app's configuration for the bench: its database, the bench's audit key (the one the filled
    chain is keyed with) and a checkpoint file of the bench's own, so heads anchored in one run are
    not held against the next run's freshly filled chain."""
    # The periodic rounds are off (in production they run in the job worker): their first round after
    # a fill is a catch-up of due reminders for the whole newsroom, not the steady state being timed.
    env = {"FACTCHECK_DATABASE_URL": url, "FACTCHECK_SECRET_KEY": SECRET,
           "FACTCHECK_AUDIT_KEY": BENCH_AUDIT_KEY.decode(), "FACTCHECK_PERIODIC": "off"}
    if checkpoints is not None:
        env["FACTCHECK_AUDIT_CHECKPOINT_FILE"] = str(checkpoints)
    return env


def make_app(url: str, checkpoints: Path | None = None):
    from factcheck import create_app

    # No periodic round in the timed process: its first round after a fill (due reminders for
    # thousands of claims at 16x) ran in a thread beside the pages and doubled their medians.
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "FACTCHECK_AUDIT_KEY": BENCH_AUDIT_KEY.decode(),
              "FACTCHECK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "FACTCHECK_PERIODIC": "off"}
    if checkpoints is not None:
        config["FACTCHECK_AUDIT_CHECKPOINT_FILE"] = str(checkpoints)
    return create_app(config)


def csrf_token(html: str) -> str:
    match = TOKEN.search(html)
    if not match:
        raise RuntimeError("no csrf_token field in the page")
    return match.group(1) or match.group(2)


def sign_in(app, email: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"email": email, "password": datagen.PASSWORD, "csrf_token": csrf_token(page)})
    if response.status_code != 302:
        raise RuntimeError(f"signing in {email} answered {response.status_code}")
    return client


def page_specs(info: datagen.Dataset) -> list[tuple[str, str | None, str | Rotating, str | Rotating]]:
    """(page, who, factcheck path, limit path) for every main page; a first-views page's paths are
    ``Rotating``: another article or claim at each request."""
    article = max(1, info.sizes.articles // 2)
    claim = info.sample_claim("final")
    checker = info.checker_ids[0]
    dashboard_rows = 2 * 20 + len(info.checker_ids) + 16
    # Spread over the ids, other than the one page asked again and again above.
    article_ids = sorted({1 + k * info.sizes.articles // FIRST_VIEWS for k in range(FIRST_VIEWS)} - {article})
    claim_ids = sorted({1 + k * info.sizes.claims // FIRST_VIEWS for k in range(FIRST_VIEWS)} - {claim})
    return [
        ("sign-in form", None, "/login", "/limit/login"),
        ("articles", info.editors[0], "/articles", "/limit/articles"),
        ("article page", info.editors[0], f"/articles/{article}", f"/limit/article?id={article}"),
        ("claim page", info.editors[0], f"/claims/{claim}", f"/limit/claim?id={claim}"),
        ("claims list", info.editors[0], "/claims", "/limit/claims"),
        ("my queue", info.checkers[0], "/queue", f"/limit/queue?user={checker}"),
        ("review queue", info.editors[0], "/review", "/limit/review"),
        ("audit log", info.managers[0], "/audit", "/limit/audit"),
        ("dashboard", info.managers[0], "/dashboard", f"/limit/dashboard?n={dashboard_rows}"),
        ("/healthz", None, "/healthz", "/limit/healthz"),
        ("article page, first views", info.editors[1 % len(info.editors)],
         Rotating([f"/articles/{a}" for a in article_ids]), Rotating([f"/limit/article?id={a}" for a in article_ids])),
        ("claim page, first views", info.editors[1 % len(info.editors)],
         Rotating([f"/claims/{c}" for c in claim_ids]), Rotating([f"/limit/claim?id={c}" for c in claim_ids])),
    ]


def timing_budget(scale: float) -> dict:
    return {"runs": 30, "min_runs": 7, "budget": 3.0 if scale < 0.5 else 5.0}


# ---- parts of the bench -----------------------------------------------------------------------------

class OwnStores:
    """A stage's client whose requests see the process-wide stores its app would have to itself.

    ``kept_reads`` keeps, once per process, what a list made of its rows under the statement and its
    parameters, and uses it again when the rows read now are equal. A worker serves one database; the
    bench's one process serves three, whose lists (the claims list, both queues, the articles) have the
    same statements and parameters and different rows: each request found the other sizes' rows and
    made its own again, every time (20 of 20 requests at 1x and at 16x; 1 of 20 with one database in
    the process). Each stage gets a store of its own, put in place before each of its requests."""

    def __init__(self, client, kept: dict) -> None:
        from factcheck.services import kept_reads

        self.client, self.kept, self._module = client, kept, kept_reads

    def get(self, *args, **kwargs):
        self._module._KEPT = self.kept
        return self.client.get(*args, **kwargs)


def _own_kept_reads():
    """A store like ``kept_reads``' own, for one stage (``OwnStores``)."""
    from factcheck.services import kept_reads

    return kept_reads.MadeOf(64)


@dataclass
class Stage:
    """One filled database (1x, 4x or 16x of the scale's data) with the app and the limit on it."""

    multiplier: int
    app: object
    info: datagen.Dataset
    checkpoints: Path
    clients: dict = field(default_factory=dict)
    limit: object = None
    kept_reads: object = field(default_factory=lambda: _own_kept_reads())

    @property
    def engine(self):
        from factcheck.extensions import db

        with self.app.app_context():
            return db.engine

    def client(self, who: str | None):
        if who not in self.clients:
            self.clients[who] = sign_in(self.app, who) if who else self.app.test_client()
        return self.clients[who]

    def limit_client(self):
        if self.limit is None:
            self.limit = create_limit_app(self.info.url)
        return self.limit.test_client()

    def close(self) -> None:
        from factcheck.extensions import db

        if self.limit is not None:
            self.limit.extensions["bench_engine"].dispose()
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def measure_pages(stages: list[Stage], budget: dict) -> dict[int, dict[str, dict]]:
    """Every page at every size, its requests interleaved with the same page at the other sizes and with
    the limit at each size: {multiplier: {page: row}}."""
    out: dict[int, dict[str, dict]] = {stage.multiplier: {} for stage in stages}
    specs = {stage.multiplier: {name: (who, path, limit) for name, who, path, limit in page_specs(stage.info)}
             for stage in stages}
    limit_clients = {stage.multiplier: stage.limit_client() for stage in stages}
    for stage in stages:  # sign in before timing anything
        for who, _path, _limit in specs[stage.multiplier].values():
            stage.client(who)
    from factcheck import settle_heap

    # As wsgi.py does in production: what the apps built at start is frozen out of the collector.
    settle_heap()
    for name in PAGES:
        targets = []
        for stage in stages:
            who, path, limit_path = specs[stage.multiplier][name]
            targets += [(OwnStores(stage.client(who), stage.kept_reads), path, stage.engine),
                        (limit_clients[stage.multiplier], limit_path, None)]
        try:
            results = interleaved_timing(targets, **{**budget, "budget": budget["budget"] * len(stages)})
        except Exception as error:
            say(f"!! {name}: {type(error).__name__}: {error}")
            results = [None] * len(targets)
        for n, stage in enumerate(stages):
            mine, theirs = results[2 * n], results[2 * n + 1]
            out[stage.multiplier][name] = {
                "path": str(specs[stage.multiplier][name][1]),
                "app_ms": mine and mine["ms"], "queries": mine and mine["queries"], "sql_ms": mine and mine["sql_ms"],
                "limit_ms": theirs and theirs["ms"], "ratio": mine and theirs and mine["ms"] / theirs["ms"],
                "min_ratio": mine and theirs and mine["min_ms"] / theirs["min_ms"],
                "wall_ms": mine and mine["wall_ms"], "cpu_ms": mine and mine["cpu_ms"]}
    return out


def print_pages(pages: dict[str, dict]) -> None:
    def f(value, fmt):
        width = int(fmt.split(".")[0].rstrip("df"))
        return format(value, fmt) if value is not None else f"{'—':>{width}}"

    # "app ms" and "limit ms": medians of each request's wall clock less the time it waited for a CPU
    # (measure.interleaved_timing); "wall ms" the app's wall-clock median, "CPU ms" its process's CPU.
    # "min ratio": the fastest request of each, which another process taking the CPU disturbs least.
    say(f"{'page':<26}{'path':<34}{'app ms':>9}{'limit ms':>10}{'ratio':>8}{'min ratio':>10}{'queries':>9}{'SQL ms':>9}"
        f"{'wall ms':>9}{'CPU ms':>8}")
    for name, row in pages.items():
        say(f"{name:<26}{row['path']:<34}{f(row['app_ms'], '9.1f')}{f(row['limit_ms'], '10.2f')}"
            f"{f(row['ratio'], '8.1f')}{f(row.get('min_ratio'), '10.1f')}{f(row['queries'], '9d')}{f(row['sql_ms'], '9.1f')}"
            f"{f(row.get('wall_ms'), '9.1f')}{f(row.get('cpu_ms'), '8.1f')}")


def export_once(client, query: str, traced: bool) -> tuple[int, float, int]:
    """(rows, seconds, peak traced bytes) of one streamed CSV export."""
    if traced:
        tracemalloc.start()
        tracemalloc.reset_peak()
    started = time.perf_counter()
    response = client.get(f"/audit/export.csv{query}", buffered=False)
    if response.status_code != 200 or not response.is_streamed:
        raise RuntimeError(f"export answered {response.status_code} (streamed: {response.is_streamed})")
    lines = 0
    for chunk in response.response:
        lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
    response.close()
    seconds = time.perf_counter() - started
    peak = 0
    if traced:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return lines - 1, seconds, peak


def measure_export(app, info) -> dict[str, float | None]:
    """Peak MB of the export at about 10k rows (a date range) and at the whole log (reported as "1m" only
    when the log holds a million events or more)."""
    client = sign_in(app, info.managers[1])
    per_day = info.events / 365
    days = max(1, math.ceil(10_000 / per_day) + 1)
    first = info.start.date() + timedelta(days=100)
    ten_k = f"?date_from={first.isoformat()}&date_to={(first + timedelta(days=days - 1)).isoformat()}"
    peaks: dict[str, float | None] = {"10k": None, "1m": None}
    say(f"{'export':<32}{'rows':>10}{'rows/s':>10}{'peak MB':>9}")
    for label, query in (("about 10k rows (date range)", ten_k), ("the whole log", "")):
        rows, seconds, _ = export_once(client, query, traced=False)
        _, _, peak = export_once(client, query, traced=True)
        say(f"{label:<32}{rows:>10,}{rows / seconds:>10,.0f}{peak / 1e6:>9.2f}")
        if label.startswith("about"):
            peaks["10k"] = round(peak / 1e6, 2)
        elif rows >= 1_000_000:
            peaks["1m"] = round(peak / 1e6, 2)
        else:
            say(f"   the log holds {rows:,} events (< 1,000,000): export_peak_mb.1m is null at this scale")
    return peaks


def _canonical_payloads(app, limit: int = 200_000) -> list[bytes]:
    from factcheck.extensions import db
    from factcheck.services import audit

    with app.app_context():
        payloads = []
        for event in audit.iter_events(db.session):
            payloads.append(audit.canonical_payload(event))
            if len(payloads) >= limit:
                break
        db.session.remove()
    return payloads


def _hash_ways(payloads: list[bytes]) -> dict:
    """hashlib.sha256 alone, and the HMAC with the key, over ``payloads``: each returns how many it hashed."""
    import hashlib
    import hmac

    keyed = hmac.new(BENCH_AUDIT_KEY, digestmod=hashlib.sha256)

    def sha256() -> int:
        for payload in payloads:
            hashlib.sha256(payload).hexdigest()
        return len(payloads)

    def keyed_mac() -> int:
        for payload in payloads:
            mac = keyed.copy()
            mac.update(payload)
            mac.hexdigest()
        return len(payloads)

    return {"hashlib.sha256 alone": sha256, "HMAC-SHA256 with the key": keyed_mac}


def _backend_cpu(engine) -> dict[int, float] | None:
    """CPU seconds so far of each PostgreSQL backend connected to the bench's database, read from
    /proc (a server on this machine); None where that cannot be read (SQLite: nothing to read)."""
    if engine.dialect.name != "postgresql":
        return {}
    try:
        with engine.connect() as connection:
            pids = connection.scalars(sa.text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).all()
        tick = os.sysconf("SC_CLK_TCK")
        seconds = {}
        for pid in pids:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            seconds[pid] = (int(fields[11]) + int(fields[12])) / tick
        return seconds
    except (OSError, ValueError, sa.exc.SQLAlchemyError):
        return None


def measure_verify(app) -> tuple[float | None, float | None]:
    """(audit.verify events/s, hashlib events/s over the same canonical bytes).

    ``audit.verify`` runs as ``flask audit verify`` does, with the app's context (its audit key and
    checkpoints) over the whole chain: reading the rows, building each payload, the HMAC and the
    checks. Beside it: the same forced into two worker processes (spawned here, where the app's
    threads run: see ``audit_ranges._context``) and the serial walk (verify before the ranges).
    "hashlib" is the floor the issue compares it with: ``hashlib.sha256`` alone over the canonical
    bytes of the same events (read and built beforehand, not timed); the keyed HMAC over the same
    bytes is printed beside it. Every way runs once per round, the rounds alternating, so that
    another process taking the CPU hits them alike; the best of three rounds counts.

    Beside the rates, the CPU each way spends per event (this process's threads, and on PostgreSQL
    its backends' when /proc shows them), the median of the rounds: unlike the rates, it does not
    move with the other work on the machine. hashlib's CPU against verify's is about the share the
    rates show when the process has one core's worth of CPU (two cores shared with other sessions)."""
    from factcheck.extensions import db
    from factcheck.services import audit
    from factcheck.services.context import Context

    payloads = _canonical_payloads(app)
    rates: dict[str, float] = {}
    cpu: dict[str, list[tuple[float, float | None]]] = {}
    count = 0
    with app.app_context():
        ctx = Context.of(db.session, app.extensions["factcheck"])
        engine = db.engine

        def verified(run):
            def counted() -> int:
                report = run()
                db.session.remove()
                if not report.intact:
                    say(f"!! verification found the chain broken at {report.first_broken_id}: {report.problem}")
                    return 0
                return report.count
            return counted

        ways = {"audit.verify": verified(lambda: audit.verify(ctx)),
                "audit.verify, 2 processes": verified(lambda: audit.verify(ctx, processes=2)),
                "serial walk (before)": verified(lambda: audit._walk(audit._chain_rows(db.session), ctx.settings.audit_key,
                                                                     ctx.checkpoints.highest())),
                **_hash_ways(payloads)}
        for _ in range(3):
            for name, run in ways.items():
                backends = _backend_cpu(engine) if name == "audit.verify" else {}
                started, process = time.perf_counter(), time.process_time()
                events = run()
                seconds, process = time.perf_counter() - started, time.process_time() - process
                after = _backend_cpu(engine) if name == "audit.verify" else {}
                if events:
                    count = events if name.startswith(("audit", "serial")) else count
                    rates[name] = max(rates.get(name, 0.0), events / seconds)
                    backend = (sum(spent - backends.get(pid, 0.0) for pid, spent in after.items())
                               if backends is not None and after is not None else None)
                    cpu.setdefault(name, []).append((process / events, backend / events if backend is not None else None))
    for name, rate in rates.items():
        say(f"{name}: {rate:,.0f} events/s (best of 3, alternating; {count:,} events, {len(payloads):,} payloads)")
    verify_rate, hashlib_rate = rates.get("audit.verify"), rates.get("hashlib.sha256 alone")
    if verify_rate and hashlib_rate:
        say(f"verification runs at {verify_rate / hashlib_rate:.1%} of hashlib ({load()})")
    if cpu.get("audit.verify") and cpu.get("hashlib.sha256 alone"):
        import statistics

        own = statistics.median(process for process, _backend in cpu["audit.verify"])
        backends = [backend for _process, backend in cpu["audit.verify"] if backend is not None]
        backend = statistics.median(backends) if backends else None
        floor = statistics.median(process for process, _backend in cpu["hashlib.sha256 alone"])
        beside = f" + {backend * 1e6:.2f} µs in its PostgreSQL backends" if backend else ""
        with_backends = f", {floor / (own + backend):.1%} counting the backends" if backend else ""
        say(f"CPU per event (medians of 3): audit.verify {own * 1e6:.2f} µs in this process{beside}; hashlib "
            f"{floor * 1e6:.2f} µs. hashlib's CPU against verify's: {floor / own:.1%} (this process){with_backends}")
    return verify_rate, hashlib_rate


def explain_pages(app, info, plans: dict[str, int]) -> None:
    """Each page's statements by time; on PostgreSQL, EXPLAIN (ANALYZE, BUFFERS) of its slowest ``plans``."""
    from factcheck.extensions import db

    with app.app_context():
        engine = db.engine
    specs = {name: (who, path) for name, who, path, _limit in page_specs(info)}
    for page, wanted in plans.items():
        who, path = specs[page]
        client = sign_in(app, who) if who else app.test_client()
        client.get(path).close()
        with StatementLog(engine) as log:
            client.get(path).close()
        ranked = sorted(log.statements, key=lambda s: -s[2])
        say(f"{page}: {log.count} statements, {log.ms:.1f} ms in the driver; slowest first:")
        for statement, _params, ms in ranked[:5]:
            say(f"  {ms:9.1f} ms  {' '.join(statement.split())[:150]}")
        if engine.dialect.name != "postgresql":
            continue
        raw = engine.raw_connection()
        try:
            for n, (statement, params, ms) in enumerate(ranked[:wanted], start=1):
                on = raw.cursor()
                if isinstance(params, tuple | list):  # written with $1, $2… (driver_sql's long statements)
                    import psycopg

                    on = psycopg.RawCursor(raw.dbapi_connection)
                on.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                say(f"-- EXPLAIN ANALYZE, {page} statement {n} ({ms:.1f} ms in the page):")
                say(" ".join(statement.split()))
                say(f"-- parameters: {params}")
                for (line,) in on.fetchall():
                    say(line)
        finally:
            raw.close()


# ---- throughput ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(target: str, env: dict[str, str], log_path: Path):
    """A gunicorn server as production starts it; yields its address and its master process."""
    port = free_port()
    # The production configuration (gunicorn.conf.py, docs/deploy.md) for the app and the limit alike:
    # the same workers, threads and keep-alive, JSON access log (into the bench's log file).
    environment = {**os.environ, **env, "FACTCHECK_BIND": f"127.0.0.1:{port}", "PYTHONPATH": str(ROOT)}
    with open(log_path, "ab") as log:
        process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
                                    target], cwd=ROOT, env=environment, stdout=log, stderr=log)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/limit/healthz" if "limit" in target
                                            else f"http://127.0.0.1:{port}/healthz", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"gunicorn {target} did not start; see {log_path}") from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_cpu_seconds(master_pid: int) -> float:
    """CPU seconds of a gunicorn server so far: the master, its live workers and (through the
    master's reaped-children time) the workers it has replaced. Linux only."""
    def stat(pid: int) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    tick = os.sysconf("SC_CLK_TCK")
    fields = stat(master_pid)
    total = sum(int(value) for value in fields[11:15])  # utime, stime, and those of reaped children
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        for worker in (task / "children").read_text().split():
            with contextlib.suppress(FileNotFoundError):  # exited meanwhile: in the master's next reading
                total += sum(int(value) for value in stat(int(worker))[11:13])
    return total / tick


def requests_per_worker(log_path: Path, start: int) -> list[int]:
    """Access lines per worker process in the JSON log from byte ``start`` on, most first."""
    counts: dict[int, int] = {}
    with open(log_path, "rb") as log:
        log.seek(start)
        for line in log:
            if b'"gunicorn.access"' in line:
                try:
                    pid = json.loads(line).get("pid")
                except ValueError:
                    # Several processes append to one log: a line cut by one stopping mid-write is left
                    # out of the count rather than failing the whole throughput part.
                    continue
                counts[pid] = counts.get(pid, 0) + 1
    return sorted(counts.values(), reverse=True)


def load_spec(info, base: str, mode: str, duration: float) -> dict:
    """8 connections, 5 editors and 3 checkers, each with its own weighted paths and note targets."""
    import random

    rng = random.Random(15)
    articles = info.sizes.articles
    writable = [c for c in range(1, info.sizes.claims + 1, max(1, info.sizes.claims // 2000))
                if info.claim_status(c) != "dismissed"]
    limit = mode == "limit"
    connections = []
    for n in range(8):
        if n < 5:
            email = info.editors[n % len(info.editors)]
            user_id = 2 + n % len(info.editors)
            claims = writable
            kinds = ["articles"] * 2 + ["article"] * 3 + ["claim"] * 4 + ["claims"] * 2 + ["review"]
        else:
            user_id = info.checker_ids[n]
            email = info.checkers[n]
            claims = info.claims_of_checker(user_id, {"assigned", "in_progress"})[:500] or writable
            kinds = ["queue"] * 3 + ["claim"] * 5 + ["article"] * 2 + ["claims"]
        reads = []
        for _ in range(400):
            kind = rng.choice(kinds)
            article, claim = rng.randint(1, articles), rng.choice(claims)
            reads.append({
                "articles": ("/limit/articles", "/articles"), "claims": ("/limit/claims", "/claims"),
                "article": (f"/limit/article?id={article}", f"/articles/{article}"),
                "claim": (f"/limit/claim?id={claim}", f"/claims/{claim}"),
                "queue": (f"/limit/queue?user={user_id}", "/queue"), "review": ("/limit/review", "/review"),
            }[kind][0 if limit else 1])
        connections.append({"email": None if limit else email, "password": datagen.PASSWORD, "user_id": user_id,
                            "reads": reads, "writes": claims})
    return {"base": base, "mode": mode, "duration": duration, "write_ratio": 0.2, "connections": connections}


def run_load(spec: dict, folder: Path, server_pid: int | None = None) -> dict:
    """One run of bench/loadgen.py; with ``server_pid``, the server's CPU seconds within the measured
    window alone (``server_cpu_s``: read when the load generator says the window starts and ends, so
    the connections' sign-ins and the warm-up are left out)."""
    path = folder / f"load-{spec['mode']}.json"
    path.write_text(json.dumps(spec))
    marks: dict[str, float] = {}
    lines: list[str] = []
    errors = folder / f"load-{spec['mode']}.stderr"
    with open(errors, "w") as stderr, subprocess.Popen([sys.executable, str(ROOT / "bench" / "loadgen.py"), str(path)],
                                                       stdout=subprocess.PIPE, stderr=stderr, text=True) as process:
        timer = threading.Timer(spec["duration"] + float(spec.get("warmup") or 0) + 300, process.kill)
        timer.start()
        try:
            assert process.stdout is not None
            for line in process.stdout:
                event = line.startswith('{"event"') and json.loads(line)["event"]
                if event and server_pid is not None:
                    marks[event] = server_cpu_seconds(server_pid)
                elif not event:
                    lines.append(line)
            process.wait()
        finally:
            timer.cancel()
    if process.returncode != 0 or not lines:
        raise RuntimeError(f"loadgen failed: {errors.read_text()[-500:]}")
    result = json.loads(lines[-1])
    result["loadgen_cpu_s"] = result.pop("cpu_s")
    if server_pid is not None:
        result["server_cpu_s"] = marks["done"] - marks["measuring"]
    return result


THROUGHPUT_KEYS = ("mix_rps", "limit_rps", "p95_ms", "app_per_worker", "limit_per_worker", "app_server_cpu_ms",
                   "limit_server_cpu_ms", "loadgen_cpu_ms", "rounds")
# Seconds of the mix each server serves, uncounted, before its first measured window.
WARMUP_SECONDS = 3.0


def _merged(runs: list[dict]) -> dict:
    """One server's measured windows as one: requests and seconds summed, percentiles of all latencies."""
    times = sorted(ms for r in runs for ms in r["latencies_ms"])
    writes = sorted(ms for r in runs for ms in r["write_latencies_ms"])
    seconds = sum(r["seconds"] for r in runs)

    def pct(p: float, times: list[float] = times) -> float | None:
        return round(times[min(len(times) - 1, int(p * len(times)))], 1) if times else None

    errors = [e for r in runs for e in r["error_sample"]]
    return {"requests": len(times), "writes": sum(r["writes"] for r in runs), "seconds": round(seconds, 1),
            "rps": round(len(times) / seconds, 1) if seconds else None, "p50_ms": pct(0.5), "p95_ms": pct(0.95),
            "p99_ms": pct(0.99), "write_p50_ms": pct(0.5, writes), "write_p95_ms": pct(0.95, writes),
            "errors": sum(r["errors"] for r in runs), "error_sample": sorted(set(errors))[:5],
            "server_cpu_s": sum(r["server_cpu_s"] for r in runs), "loadgen_cpu_s": sum(r["loadgen_cpu_s"] for r in runs),
            "per_worker": [sum(n) for n in itertools.zip_longest(*(r["per_worker"] for r in runs), fillvalue=0)]}


def measure_throughput(info, folder: Path, duration: float, checkpoints: Path | None = None) -> dict:
    """The mix against the app and against the limit, each server given ``duration`` seconds in all.

    Both servers run side by side and take turns under the load, app, limit, limit, app, each turn half
    the duration: the machine's other load, which moves within a minute, then weighs on both alike
    (one run of each in turn moved their ratio by ±10 points). Before its first turn each server serves
    the mix for ``WARMUP_SECONDS`` uncounted, so that the windows measure workers as a running server has
    them (statements compiled, caches filled), not their first requests; the server's CPU is read for
    the windows alone."""
    env = {**app_environment(info.url, checkpoints), "BENCH_LIMIT_DATABASE_URL": info.url,
           "FACTCHECK_LOG_FORMAT": "json"}
    log = folder / "gunicorn.log"
    runs: dict[str, list[dict]] = {"app": [], "limit": []}
    with gunicorn("wsgi:app", env, log) as (app_base, app_server), \
            gunicorn("bench.limit_app:create_app_from_env()", env, log) as (limit_base, limit_server):
        servers = {"app": (app_base, app_server), "limit": (limit_base, limit_server)}
        for mode in ("app", "limit", "limit", "app"):
            base, server = servers[mode]
            spec = load_spec(info, base, mode, duration / 2)
            spec["warmup"] = 0.0 if runs[mode] else WARMUP_SECONDS
            start = log.stat().st_size
            r = run_load(spec, folder, server.pid)
            # Both servers log to one file, only the one under load writes (its access lines).
            r["per_worker"] = requests_per_worker(log, start)
            runs[mode].append(r)
    results = {mode: _merged(turns) for mode, turns in runs.items()}
    for mode, r in results.items():
        # Per request: the server's CPU (all its processes) and the load generator's (a process on the
        # same cores), within the measured windows, and how the requests fell on the workers.
        say(f"{mode:<6} {r['requests']:>7,} requests ({r['writes']:,} writes) in {r['seconds']} s = {r['rps']} req/s; "
            f"p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms (writes: p50 {r['write_p50_ms']} ms, "
            f"p95 {r['write_p95_ms']} ms); errors {r['errors']} {r['error_sample']}")
        say(f"{'':<6} CPU per request: server {r['server_cpu_s'] / r['requests'] * 1000:.2f} ms, load generator "
            f"{r['loadgen_cpu_s'] / r['requests'] * 1000:.2f} ms; requests per worker "
            f"{' / '.join(f'{n:,}' for n in r['per_worker'])}")
    app, limit = results["app"], results["limit"]
    if app["errors"] > app["requests"] * 0.01:
        raise RuntimeError(f"{app['errors']} of {app['requests']} requests failed: {app['error_sample']}")
    # Each round: the app's turn and the limit's turn next to it (first and second, fourth and third).
    rounds = [{"app_rps": runs["app"][i]["rps"], "limit_rps": runs["limit"][i]["rps"]} for i in range(2)]
    say(f"mix throughput is {app['rps'] / limit['rps']:.1%} of the limit's (by round: "
        f"{', '.join(format(r['app_rps'] / r['limit_rps'], '.1%') for r in rounds)})")
    return {"mix_rps": app["rps"], "limit_rps": limit["rps"], "p95_ms": app["p95_ms"],
            "app_per_worker": app["per_worker"], "limit_per_worker": limit["per_worker"],
            "app_server_cpu_ms": round(app["server_cpu_s"] / app["requests"] * 1000, 3),
            "limit_server_cpu_ms": round(limit["server_cpu_s"] / limit["requests"] * 1000, 3),
            "loadgen_cpu_ms": {mode: round(r["loadgen_cpu_s"] / r["requests"] * 1000, 3) for mode, r in results.items()},
            "rounds": rounds}


def measure_suggest(sentences: int) -> float | None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_suggest.py"), "--sentences", str(sentences),
                           "--repeat", "2"], capture_output=True, text=True, timeout=600)
    match = re.search(r"([\d,]+) sentences/s", done.stdout)
    if done.returncode != 0 or not match:
        raise RuntimeError(f"bench_suggest.py failed: {(done.stderr or done.stdout)[-300:]}")
    say(done.stdout.strip())
    return float(match.group(1).replace(",", ""))


# ---- the run -------------------------------------------------------------------------------------

def machine() -> str:
    def first(path: str, prefix: str) -> str:
        try:
            with open(path) as lines:
                return next(line.split(":", 1)[1].strip() for line in lines if line.startswith(prefix))
        except (OSError, StopIteration):
            return "?"

    memory = first("/proc/meminfo", "MemTotal").split()[0]
    memory = f"{int(memory) // 1024:,} MB RAM" if memory.isdigit() else "? RAM"
    return (f"{os.cpu_count()} cores ({first('/proc/cpuinfo', 'model name')}), {memory}, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")


def load() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} (1/5/15 min) on {os.cpu_count()} cores"


def stage_url(base: str | None, folder: Path, multiplier: int) -> str:
    """Each size has a database of its own, so that all three are timed side by side: SQLite files in the
    folder; on PostgreSQL the given database for 16x and ``<name>_1x`` / ``<name>_4x`` beside it,
    created when missing (their public schema is dropped like the given one's)."""
    if not base:
        return f"sqlite:///{folder / f'bench-{multiplier}x.sqlite3'}"
    if multiplier == MULTIPLIERS[-1]:
        return base
    url = sa.engine.make_url(base.replace("postgres://", "postgresql://"))
    name = f"{url.database}_{multiplier}x"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE") or "full",
                        help="full (100k claims, 1M events at 16x), small (1/20 of it) or a factor")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL") or None,
                        help="PostgreSQL URL (its public schema is dropped!); default: a temporary SQLite file")
    parser.add_argument("--duration", type=float, default=None, help="seconds of each throughput run")
    parser.add_argument("--skip", default="",
                        help="comma-separated parts to skip: scaling,throughput,export,verify,suggest,explain")
    parser.add_argument("--out", default=None, help="a folder for the JSON result, logs and (SQLite) databases, kept")
    return parser.parse_args()


def final_parts(app, info, result: dict, skip: set[str], folder: Path, duration: float, checkpoints: Path) -> None:
    """What is measured at 16x only, after the pages."""
    if "explain" not in skip:
        with part("statements of the heaviest pages", result):
            explain_pages(app, info, {"dashboard": 3, "articles": 1, "claim page": 1})
    if "export" not in skip:
        with part("export", result, "export_peak_mb"):
            result["export_peak_mb"] = measure_export(app, info)
    if "verify" not in skip:
        with part("verification", result):
            verify_rate, hashlib_rate = measure_verify(app)
            result["audit_verify_events_per_s"], result["hashlib_events_per_s"] = _round0(verify_rate), _round0(hashlib_rate)
    if "throughput" not in skip:
        with part("throughput", result, "throughput"):
            result["throughput"] = measure_throughput(info, folder, duration, checkpoints)


def fill_stage(multiplier: int, url: str, size: float, result: dict, folder: Path) -> Stage | None:
    """A database filled at ``size`` with the app on it, or None when the fill failed."""
    say(f"\n== {multiplier}x data (scale {size:g}); {load()}")
    checkpoints = folder / f"audit-checkpoints-{multiplier}x.jsonl"
    stage = None
    with part(f"fill at {multiplier}x", result):
        datagen.reset_database(url)
        checkpoints.unlink(missing_ok=True)
        app = make_app(url, checkpoints)
        datagen.migrate(app)
        stage = Stage(multiplier, app, datagen.generate(app, size, log=say), checkpoints)
    return stage


def print_scaling(stages: dict[str, dict[int, dict]], multipliers) -> None:
    """App median ms at each size, its growth, the ratio to the limit at each size (which the machine's
    other load affects far less than the milliseconds) and the SQL statements at each size."""
    say("\n== scaling (app median ms; ratio to the limit at the same size; SQL statements)")
    say(f"{'page':<26}" + "".join(f"{f'{m}x':>10}" for m in multipliers) + f"{'16x/1x':>9}"
        + "".join(f"{f'ratio {m}x':>10}" for m in multipliers) + f"{'statements':>14}")

    def cell(value, width, fmt):
        return format(value, f">{width}{fmt}") if value is not None else f"{'—':>{width}}"

    for name in PAGES:
        rows = stages[name]
        ms = {m: rows.get(m, {}).get("app_ms") for m in multipliers}
        growth = ms[16] / ms[1] if ms.get(1) and ms.get(16) else None
        statements = " → ".join(str(rows.get(m, {}).get("queries", "—")) for m in multipliers)
        say(f"{name:<26}" + "".join(cell(ms.get(m), 10, ".1f") for m in multipliers) + cell(growth, 9, ".2f")
            + "".join(cell(rows.get(m, {}).get("ratio"), 10, ".1f") for m in multipliers) + f"{statements:>14}")


def print_targets(result: dict, stages: dict[str, dict[int, dict]]) -> None:
    """Issue 15's targets against this run, one line each."""
    pages = result["pages"]
    ratios = {n: r["ratio"] for n, r in pages.items() if r.get("ratio") is not None}
    over = sorted((n for n, r in ratios.items() if r > 1.5), key=lambda n: -ratios[n])
    growth = {n: rows[16]["app_ms"] / rows[1]["app_ms"] for n, rows in stages.items()
              if rows.get(1, {}).get("app_ms") and rows.get(16, {}).get("app_ms")}
    grown = sorted((n for n, g in growth.items() if g >= 1.2), key=lambda n: -growth[n])
    changed = [n for n, rows in stages.items()
               if len({r.get("queries") for r in rows.values() if r.get("queries") is not None}) > 1]
    say("\n== targets of issue 15")
    say(f"pages <= 1.5x the limit: {len(ratios) - len(over)} of {len(ratios)}"
        + (f"; over: {', '.join(f'{n} {ratios[n]:.1f}x' for n in over)}" if over else ""))
    say(f"growth < 20 % from 1x to 16x: {len(growth) - len(grown)} of {len(growth)}"
        + (f"; grew: {', '.join(f'{n} {growth[n]:.2f}x' for n in grown)}" if grown else "")
        + " (milliseconds: noisy on a busy machine)")
    say("SQL statements per page constant: " + (f"no: {', '.join(changed)}" if changed else "yes"))
    t = result["throughput"] or {}
    if t.get("mix_rps") and t.get("limit_rps"):
        say(f"mix throughput >= 50 % of the limit's: {t['mix_rps'] / t['limit_rps']:.1%}")
    if result["audit_verify_events_per_s"] and result["hashlib_events_per_s"]:
        say(f"verification >= 25 % of hashlib: {result['audit_verify_events_per_s'] / result['hashlib_events_per_s']:.1%}")
    peaks = result["export_peak_mb"] or {}
    say(f"export peak memory (flat): 10k {peaks.get('10k')} MB, 1m {peaks.get('1m')} MB")


def main() -> int:
    args = parse_args()
    scale = SCALES.get(args.scale) or float(args.scale)
    skip = set(filter(None, args.skip.split(",")))
    folder = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="fc-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    database = "sqlite"
    if args.database:
        database = sa.engine.make_url(args.database.replace("postgres://", "postgresql://")).get_backend_name()
    result: dict = {"database": database, "scale": args.scale, "pages": {}, "scaling": {},
                    "throughput": None, "suggest_sentences_per_s": None, "audit_verify_events_per_s": None,
                    "hashlib_events_per_s": None, "export_peak_mb": {"10k": None, "1m": None}}
    say(f"factcheck bench: {database}, scale {args.scale} ({scale:g}), on {machine()}; files in {folder}")
    multipliers = MULTIPLIERS if "scaling" not in skip else MULTIPLIERS[-1:]
    filled = [fill_stage(m, stage_url(args.database, folder, m), scale * m / 16, result, folder) for m in multipliers]
    runs: list[Stage] = [stage for stage in filled if stage is not None]
    rows: dict[int, dict[str, dict]] = {}
    with part("pages at every size", result):
        rows = measure_pages(runs, timing_budget(scale))
    for stage in runs:
        say(f"\n== pages at {stage.multiplier}x")
        print_pages(rows[stage.multiplier])
    stages: dict[str, dict[int, dict]] = {name: {m: rows.get(m, {}).get(name) or {} for m in multipliers}
                                          for name in PAGES}
    final = next((stage for stage in runs if stage.multiplier == MULTIPLIERS[-1]), None)
    if final is not None:
        result["pages"] = {name: {"app_ms": _round(row["app_ms"]), "limit_ms": _round(row["limit_ms"], 2),
                                  "ratio": _round(row["ratio"]), "queries": row["queries"]}
                           for name, row in rows.get(final.multiplier, {}).items()}
        final_parts(final.app, final.info, result, skip, folder, args.duration or (10.0 if scale < 0.5 else 30.0),
                    final.checkpoints)
    for stage in runs:
        stage.close()
    if "suggest" not in skip:
        say("\n== claim suggestion")
        with part("suggestion", result):
            result["suggest_sentences_per_s"] = _round0(measure_suggest(2_000 if scale < 0.5 else 20_000))
    print_scaling(stages, multipliers)
    result["scaling"] = {name: {"1x_ms": _round(stages[name].get(1, {}).get("app_ms")),
                                "16x_ms": _round(stages[name].get(16, {}).get("app_ms"))} for name in PAGES}
    # Null where not measured, with the same keys every time.
    result["pages"] = {name: result["pages"].get(name) or dict.fromkeys(("app_ms", "limit_ms", "ratio", "queries"))
                       for name in PAGES}
    result["throughput"] = result["throughput"] or dict.fromkeys(THROUGHPUT_KEYS)
    result["export_peak_mb"] = result["export_peak_mb"] or {"10k": None, "1m": None}
    print_targets(result, stages)
    say(f"({load()})")
    (folder / "result.json").write_text(json.dumps(result, indent=2))
    say(json.dumps(result))
    return 0


def _round(value, digits: int = 1):
    return round(value, digits) if value is not None else None


def _round0(value):
    return round(value) if value is not None else None


if __name__ == "__main__":
    raise SystemExit(main())
