"""gunicorn settings of the throughput bench: the README's production command (sync workers, four of
them) on a local port. BENCH_BIND and BENCH_WORKERS override."""
import os

bind = os.environ.get("BENCH_BIND", "127.0.0.1:8765")
workers = int(os.environ.get("BENCH_WORKERS", "4"))
worker_class = "sync"
timeout = 120
graceful_timeout = 5
accesslog = None
errorlog = "-"
loglevel = "warning"
