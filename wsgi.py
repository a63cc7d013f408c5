"""The one module-level application, for gunicorn (`gunicorn wsgi:app`) and `flask --app wsgi`."""
import gc

from factcheck import create_app

app = create_app()

# What the app built at start (modules, tables, templates, models: ~150,000 objects the cyclic
# collector tracks) lives as long as the process. Frozen out of the collector's generations, it is
# no longer walked by every full collection, which took 6-14 % of a page's time (issue 15,
# docs/performance.md).
gc.collect()
gc.freeze()
