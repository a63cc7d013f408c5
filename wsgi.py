"""The one module-level application, for gunicorn (`gunicorn wsgi:app`) and `flask --app wsgi`."""
from factcheck import create_app, settle_heap

app = create_app()

# The start-up heap frozen out of the collector, the young generation collected less often (issue 15,
# docs/performance.md). Each gunicorn worker imports this module; with --preload the master does, and
# its workers inherit the frozen heap and the threshold through fork.
settle_heap()
