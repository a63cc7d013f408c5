"""Shared by the page benchmarks: time a page through the test client and count its SQL."""
from __future__ import annotations

import statistics
import time

import sqlalchemy as sa


def timed_page(client, url: str, engine, repeat: int = 5) -> tuple[float, int]:
    """(median milliseconds, SQL statements of the last request) of GET ``url``."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    times = []
    for n in range(repeat):
        if n == repeat - 1:
            sa.event.listen(engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    sa.event.remove(engine, "before_cursor_execute", count)
    return statistics.median(times) * 1000, len(statements)
