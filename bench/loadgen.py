"""A small HTTP load generator (its own process, one thread per connection) for the throughput bench.

    python bench/loadgen.py SPEC.json

The spec names the server, the duration and one entry per connection: who signs in (through the
/login form, with its CSRF token), the paths it reads and the claims it posts notes on. Each request
is a write with probability ``write_ratio`` (a note posted through the claim page's form, CSRF token
included; the redirect is not followed), otherwise a GET of one of the connection's paths.

With ``warmup`` (seconds) in the spec, the connections first run the same mix for that long, uncounted:
the server's workers then have served a few hundred requests each (statements compiled, caches filled)
before the measured window, as a long-running server's workers have. The window's start and end are
printed as they happen (``{"event": "measuring"}``, ``{"event": "done"}``), so that the caller can read
the server's CPU for the window alone (the sign-ins and the warm-up left out). Prints one JSON line at
the end: requests, requests/s, p50/p95/p99 ms (all, the reads', the writes'), errors, this process's CPU
in the window, and the window's latencies (ms; all, and the writes' alone).
"""
from __future__ import annotations

import http.client
import json
import random
import re
import sys
import threading
import time
from urllib.parse import urlencode, urlsplit

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class Connection:
    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.http = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        headers = {"Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.http.request(method, path, body=body, headers=headers)
                response = self.http.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.http.close()  # a sync worker closed the keep-alive connection: open a new one
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.http.close()
        return response.status, data


def token(html: bytes) -> str:
    match = TOKEN.search(html.decode("utf-8", "replace"))
    if not match:
        raise RuntimeError("no csrf_token in the page")
    return match.group(1) or match.group(2)


def worker(spec: dict, entry: dict, deadline_box: list, latencies: list, errors: list, ready: threading.Barrier,
           seed: int) -> None:
    """``deadline_box``: [start of the measured window, its end]; requests started before the window are not counted."""
    rng = random.Random(seed)
    connection = Connection(spec["base"])
    csrf = ""
    try:
        if entry.get("email"):
            status, page = connection.request("GET", "/login")
            status, _ = connection.request("POST", "/login", {"csrf_token": token(page), "email": entry["email"],
                                                              "password": entry["password"]})
            if status != 302:
                raise RuntimeError(f"sign-in of {entry['email']} answered {status}")
            if entry.get("writes"):
                status, page = connection.request("GET", f"/claims/{entry['writes'][0]}")
                csrf = token(page)
    except Exception as error:
        errors.append(f"setup: {error}")
        ready.wait()
        return
    ready.wait()
    reads, writes = entry["reads"], entry.get("writes") or []
    n = 0
    while time.perf_counter() < deadline_box[1]:
        n += 1
        write = writes and rng.random() < spec["write_ratio"]
        started = time.perf_counter()
        try:
            if write:
                claim = rng.choice(writes)
                if spec["mode"] == "limit":
                    status, _ = connection.request("POST", "/limit/note", {"claim": claim, "author": entry.get("user_id", 1),
                                                                          "body": f"Bench note {n}"})
                else:
                    status, _ = connection.request("POST", f"/claims/{claim}/notes",
                                                   {"csrf_token": csrf, "body": f"Bench note {n} from the load test."})
                ok = status in (201, 302, 303)
            else:
                status, _ = connection.request("GET", rng.choice(reads))
                ok = status == 200
        except Exception as error:
            status, ok = repr(error), False
        if started < deadline_box[0]:
            if not ok:
                errors.append(f"warm-up: {status}")
            continue  # the warm-up
        latencies.append(((time.perf_counter() - started) * 1000, "write" if write else "read"))
        if not ok:
            errors.append(str(status))


def run(spec: dict) -> dict:
    latencies: list[tuple[float, str]] = []
    errors: list[str] = []
    entries = spec["connections"]
    ready = threading.Barrier(len(entries) + 1)
    deadline_box = [float("inf"), float("inf")]
    threads = [threading.Thread(target=worker, args=(spec, e, deadline_box, latencies, errors, ready, i), daemon=True)
               for i, e in enumerate(entries)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter() + float(spec.get("warmup") or 0)
    deadline_box[1] = started + spec["duration"]
    deadline_box[0] = started
    _sleep_until(started)
    cpu = time.process_time()
    print(json.dumps({"event": "measuring"}), flush=True)
    _sleep_until(deadline_box[1])
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    print(json.dumps({"event": "done"}), flush=True)
    for thread in threads:
        thread.join(spec["duration"] + 120)
    times = sorted(ms for ms, _kind in latencies)
    writes = sorted(ms for ms, kind in latencies if kind == "write")
    reads = sorted(ms for ms, kind in latencies if kind == "read")

    def pct(p: float, times: list[float] = times) -> float | None:
        return round(times[min(len(times) - 1, int(p * len(times)))], 1) if times else None

    return {"mode": spec["mode"], "connections": len(entries), "seconds": round(elapsed, 1), "requests": len(times),
            "writes": sum(1 for _ms, kind in latencies if kind == "write"),
            "rps": round(len(times) / elapsed, 1) if elapsed else None,
            "p50_ms": pct(0.5), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "read_p50_ms": pct(0.5, reads), "write_p50_ms": pct(0.5, writes), "write_p95_ms": pct(0.95, writes),
            "errors": len(errors),
            "error_sample": sorted(set(errors))[:5], "cpu_s": round(cpu, 4),
            "latencies_ms": [round(ms, 2) for ms in times], "write_latencies_ms": [round(ms, 2) for ms in writes]}


def _sleep_until(moment: float) -> None:
    while (left := moment - time.perf_counter()) > 0:
        time.sleep(min(left, 0.5))


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        print(json.dumps(run(json.load(handle))), flush=True)
