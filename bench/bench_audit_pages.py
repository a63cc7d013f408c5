"""The manager's audit log page at a million events: time and SQL statements per page.

Fills a migrated SQLite database with a valid hash chain (the export benchmark's filler), then
requests the first page, a deep keyset page, filtered pages (action, actor, article, object, a
date range) and a timeline, as a manager through the Flask test client.

    python bench/bench_audit_pages.py [--events 1000000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_audit_export import PASSWORD, fill
from flask_migrate import upgrade
from measure import timed_page

from factcheck import create_app
from factcheck.extensions import db
from factcheck.services import users


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-audit-pages-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}", "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "FACTCHECK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        upgrade()
        users.create_user(db.session, actor=None, actor_label="bench", email="manager@bench.test", password=PASSWORD,
                          roles=["manager"])
        engine = db.engine
    started = time.perf_counter()
    fill(app, args.events)
    print(f"filled {args.events:,} events in {time.perf_counter() - started:.0f} s")
    client = app.test_client()
    assert client.post("/login", data={"email": "manager@bench.test", "password": PASSWORD}).status_code == 302
    deep = args.events // 2
    pages = [
        ("first page", "/audit"),
        (f"page below event {deep:,}", f"/audit?before={deep}"),
        ("action=claim.assigned", "/audit?action=claim.assigned"),
        ("actor = system", "/audit?actor=none"),
        ("one article", "/audit?article=42"),
        ("one object", "/audit?object_type=claim&object_id=4242"),
        ("a date range, deep", f"/audit?date_from=2024-01-02&date_to=2024-01-03&before={deep}"),
        ("timeline of one claim", "/audit/timeline/claim/4242"),
    ]
    print(f"{'page':<36} {'median ms':>10} {'statements':>11}")
    for name, url in pages:
        ms, statements = timed_page(client, url, engine)
        print(f"{name:<36} {ms:>10.1f} {statements:>11}")


if __name__ == "__main__":
    main()
