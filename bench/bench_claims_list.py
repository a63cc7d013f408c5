"""The claims list and My queue at 100,000 claims: time per page and SQL statements per page.

Fills a migrated SQLite database with claims by bulk insert (one article per 100 claims, ten
checkers), then requests pages through the Flask test client as an editor and a checker: the first
page, a deep keyset page, and filtered pages. Keyset paging means a deep page costs what the first
does; the statement count per page must not depend on the data.

    python bench/bench_claims_list.py [--claims 100000]
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa
from flask_migrate import upgrade
from measure import timed_page

from factcheck import create_app
from factcheck.extensions import db
from factcheck.models import Article, Claim, Revision
from factcheck.services import users

PASSWORD = "bench password"
STATUSES = ["open", "assigned", "in_progress", "proposed", "final", "dismissed", "suggested"]


def fill(app, claims: int) -> tuple[int, list[int]]:
    with app.app_context():
        editor = users.create_user(db.session, actor=None, actor_label="bench", email="editor@bench.test",
                                   password=PASSWORD, roles=["editor"])
        checkers = [users.create_user(db.session, actor=None, actor_label="bench", email=f"checker{i}@bench.test",
                                      password=PASSWORD, roles=["checker"]).id for i in range(10)]
        text = "The port handled 41.2 million tonnes last year, the authority said. " * 100
        now = datetime.now(UTC)
        today = date.today()
        with db.engine.begin() as connection:
            articles = claims // 100
            connection.execute(Article.__table__.insert(), [
                {"id": a, "title": f"Article {a}", "outlet": "Bench", "byline": "", "language": "en", "source_url": "",
                 "status": "in_check", "created_by_id": editor.id, "created_at": now, "updated_at": now}
                for a in range(1, articles + 1)])
            connection.execute(Revision.__table__.insert(), [
                {"id": a, "article_id": a, "number": 1, "text": text, "sha256": hashlib.sha256(text.encode()).hexdigest(),
                 "created_by_id": editor.id, "created_at": now, "furniture": [], "source_format": "paste"}
                for a in range(1, articles + 1)])
            connection.execute(sa.update(Article.__table__).values(current_revision_id=Article.__table__.c.id))
            batch = []
            for i in range(1, claims + 1):
                status = STATUSES[i % len(STATUSES)]
                assigned = status in ("assigned", "in_progress", "proposed", "final")
                batch.append({
                    "article_id": (i - 1) // 100 + 1, "revision_id": (i - 1) // 100 + 1, "quote": "The port handled 41.2 million tonnes",
                    "prefix": "", "suffix": "", "start": 0, "end": 36, "statement": "The port handled 41.2 million tonnes",
                    "claimant": "the authority", "via": [], "kind": "statistic", "status": status, "priority": "normal",
                    "due_date": today + timedelta(days=i % 9 - 4) if assigned else None,
                    "assignee_id": checkers[i % 10] if assigned else None, "version": 1,
                    "verdict": "verified" if status == "final" else None, "created_at": now, "updated_at": now,
                })
                if len(batch) == 10_000:
                    connection.execute(Claim.__table__.insert(), batch)
                    batch.clear()
            if batch:
                connection.execute(Claim.__table__.insert(), batch)
        return editor.id, checkers


def sign_in(client, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                          "FACTCHECK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        with app.app_context():
            upgrade()
        started = time.perf_counter()
        _, checkers = fill(app, options.claims)
        print(f"filled {options.claims:,} claims in {time.perf_counter() - started:.1f} s")
        with app.app_context():
            engine = db.engine
        # Requests run outside any app context, each in its own, as in production.
        deep = options.claims // 2
        editor_client, checker_client = app.test_client(), app.test_client()
        sign_in(editor_client, "editor@bench.test")
        sign_in(checker_client, "checker3@bench.test")
        rows = [
            ("claims list, first page", editor_client, "/claims"),
            (f"claims list, page below id {deep:,}", editor_client, f"/claims?before={deep}"),
            ("claims list, status=assigned", editor_client, "/claims?status=assigned"),
            ("claims list, one checker, deep", editor_client, f"/claims?assignee={checkers[3]}&before={deep}"),
            ("claims list, overdue", editor_client, "/claims?overdue=1"),
            ("claims list, verdict=verified", editor_client, "/claims?verdict=verified"),
            ("My queue (checker with 10% of claims assigned)", checker_client, "/queue"),
        ]
        print(f"{'page':<50} {'median ms':>10} {'statements':>11}")
        for name, client, path in rows:
            ms, statements = timed_page(client, path, engine)
            print(f"{name:<50} {ms:>10.1f} {statements:>11}")


if __name__ == "__main__":
    main()
