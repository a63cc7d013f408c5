"""The app server's worker: gunicorn's threaded worker, spreading kept-alive connections over the
processes (gunicorn.conf.py's ``worker_class``; docs/performance.md, "Eighth round").

Every worker of a gunicorn server waits on the one listening socket, and a kept-alive connection
stays with the worker that accepted it. gunicorn's ``gthread`` worker (27.x) accepts whenever a
connection waits, however many requests its threads already hold. When a client opens several
connections at once (nginx's upstream keep-alive pool, the bench's load generator), one worker
can take most or all of them and serve all their requests on one core (one process, one
interpreter lock) while the others idle: in the throughput bench, every request on one of the
three workers in 5 runs of 36 (none in 33 runs with this worker).

Two changes, both about a worker that has no thread free:

* it stops listening until one of its threads is free, so a connection that arrives meanwhile
  goes to a worker that can serve it now (or waits in the socket's backlog for the first thread
  free anywhere, instead of in this worker's queue);
* while requests wait for a thread in a worker, the connections it answers are closed after their
  answer (``Connection: close``); each client opens a new one, which by the first rule goes to a
  worker with a thread free. A worker whose threads keep up never closes a connection; when every
  worker is short of threads, connections are closed after each answer and new requests queue in
  the shared backlog for whichever worker frees a thread first, not in one worker's queue.

Nothing else changes: how many connections a worker may hold, keep-alive timeouts, graceful
shutdown (a stopping worker never listens again).
"""
from __future__ import annotations

from typing import Any

from gunicorn.workers.gthread import ThreadWorker


class FreeThreadWorker(ThreadWorker):
    """``gthread``, listening only while a thread is free."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Requests handed to the thread pool and not finished. Only the worker's main loop changes
        # it (enqueue_req and finish_request both run there); the pool's threads only read it.
        self.in_flight = 0

    def has_free_thread(self) -> bool:
        return self.in_flight < self.cfg.threads

    def set_accept_enabled(self, enabled: bool) -> None:
        # The main loop asks to listen whenever the worker holds fewer connections than its limit.
        super().set_accept_enabled(enabled and self.alive and self.has_free_thread())

    def enqueue_req(self, conn: Any) -> None:
        self.in_flight += 1
        if not self.has_free_thread():
            self.set_accept_enabled(False)
        super().enqueue_req(conn)

    def handle_request(self, req: Any, conn: Any) -> Any:
        # In a pool thread. More requests handed over than threads: some wait in this worker.
        if self.in_flight > self.cfg.threads:
            req.must_close = True
        return super().handle_request(req, conn)

    def finish_request(self, conn: Any, fs: Any) -> None:
        self.in_flight -= 1
        super().finish_request(conn, fs)  # may hand the connection's next request straight back
        self.set_accept_enabled(self.nr_conns < self.worker_connections)
