""""The limit": a bare Flask app that shows each main page's rows with raw SQL and a minimal Jinja table.

Same database, same rows as factcheck's page (one statement each), no sign-in, no forms, no ORM: what
the framework costs for that page. factcheck's median time divided by this one's is the page's ratio.

    gunicorn -c gunicorn.conf.py 'bench.limit_app:create_app_from_env()'   # BENCH_LIMIT_DATABASE_URL
"""
from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, abort, jsonify, request

TABLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>
<table>
{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</table>
</body></html>"""

LOGIN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head>
<body><h1>Sign in</h1>
<form method="post"><input type="hidden" name="csrf_token" value="{{ token }}">
<label>Email <input name="email" type="email"></label><label>Password <input name="password" type="password"></label>
<button>Sign in</button></form>
</body></html>"""

_CLAIM_ROWS = "SELECT c.id, c.statement, c.status, c.priority, c.due_date, a.title FROM claims c JOIN articles a ON a.id = c.article_id"
QUERIES: dict[str, str] = {
    "articles": "SELECT id, title, outlet, status, created_at FROM articles ORDER BY id DESC LIMIT 200",
    "article": "SELECT id, quote, status, assignee_id, due_date FROM claims WHERE article_id = :id ORDER BY start",
    "claim": (
        "SELECT id, title AS text, created_at FROM evidence WHERE claim_id = :id"
        " UNION ALL SELECT id, body, created_at FROM notes WHERE claim_id = :id"
        " UNION ALL SELECT id, action, created_at FROM audit_events WHERE object_type = 'claim' AND object_id = :id"
        " UNION ALL SELECT id, action, created_at FROM audit_events WHERE object_type = 'evidence'"
        " AND object_id IN (SELECT id FROM evidence WHERE claim_id = :id)"
        " UNION ALL SELECT id, action, created_at FROM audit_events WHERE object_type = 'note'"
        " AND object_id IN (SELECT id FROM notes WHERE claim_id = :id)"
    ),
    "claims": f"{_CLAIM_ROWS} ORDER BY c.id DESC LIMIT 50",
    "queue": f"{_CLAIM_ROWS} WHERE c.assignee_id = :user AND c.status IN ('assigned', 'in_progress')"
             " ORDER BY c.due_date, c.id LIMIT 200",
    "review": f"{_CLAIM_ROWS} WHERE c.status = 'proposed' ORDER BY c.proposed_at, c.id LIMIT 200",
    "audit": "SELECT id, created_at, actor_label, action, object_type, object_id FROM audit_events ORDER BY id DESC LIMIT 50",
    # The dashboard shows about 95 rows (20 overdue claims, 20 waiting articles, one per checker, the
    # status, verdict and gate counts); the limit shows as many claims.
    "dashboard": f"{_CLAIM_ROWS} ORDER BY c.id DESC LIMIT :n",
}
PARAMS = {"article": ("id",), "claim": ("id",), "queue": ("user",), "dashboard": ("n",)}


def engine_for(url: str) -> sa.Engine:
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        @sa.event.listens_for(engine, "connect")
        def _pragmas(connection, _record) -> None:
            connection.execute("PRAGMA busy_timeout=5000")
    return engine


def create_limit_app(url: str) -> Flask:
    app = Flask(__name__)
    engine = engine_for(url)
    table = app.jinja_env.from_string(TABLE)  # compiled once, as Flask's template loader caches it
    login = app.jinja_env.from_string(LOGIN)
    statements = {name: sa.text(sql) for name, sql in QUERIES.items()}
    insert_note = sa.text("INSERT INTO notes (claim_id, author_id, body, created_at, updated_at) "
                          "VALUES (:claim, :author, :body, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")

    @app.get("/limit/login")
    def sign_in_form():
        return login.render(token="x" * 88)

    @app.get("/limit/healthz")
    def healthz():
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return jsonify(status="ok", database="ok")

    @app.get("/limit/<name>")
    def page(name: str):
        if name not in statements:
            abort(404)
        params = {key: request.args.get(key, type=int) for key in PARAMS.get(name, ())}
        with engine.connect() as connection:
            rows = connection.execute(statements[name], params).all()
        return table.render(title=name, rows=rows)

    @app.post("/limit/note")
    def note():
        with engine.begin() as connection:
            connection.execute(insert_note, {"claim": request.form.get("claim", type=int),
                                             "author": request.form.get("author", type=int), "body": request.form.get("body", "")})
        return "saved", 201

    app.extensions["bench_engine"] = engine
    return app


def create_app_from_env() -> Flask:
    return create_limit_app(os.environ["BENCH_LIMIT_DATABASE_URL"])
