"""The one module-level application, for gunicorn (`gunicorn wsgi:app`) and `flask --app wsgi`."""
from factcheck import create_app

app = create_app()
