"""Where a page's time goes: request it in a loop under py-spy (or cProfile) and sum the samples.

On a database that `bench/run.py --out DIR` filled and kept (SQLite: DIR/bench-16x.sqlite3; PostgreSQL:
the bench database as the run left it):

    .venv/bin/pip install py-spy      # not in the requirements: only this script uses it
    python bench/profile_pages.py --database URL --page dashboard [--seconds 10]     # py-spy record, summarised
    python bench/profile_pages.py --database URL --page dashboard --cprofile         # no py-spy
    python bench/profile_pages.py --summarize FILE.txt                               # a py-spy raw profile

Pages: the names of bench/run.py (articles, "article page", "claim page", "claims list", "my queue",
"review queue", "audit log", dashboard). The summary splits the samples by where the innermost
known frame is (database driver, SQLAlchemy, Jinja2 and templates, WTForms, Flask/Werkzeug, factcheck's
own code, …) and lists the factcheck functions and templates with the most samples under them.
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Innermost frame first: the first rule a frame of the stack matches (walking from the leaf) names the sample.
CATEGORIES = [
    ("database driver (execute/fetch)", re.compile(r"(psycopg|sqlite3)/|do_execute|_cursor_execute|fetchall \(sqlalchemy/engine/cursor")),
    ("SQLAlchemy ORM/Core (Python)", re.compile(r"sqlalchemy/")),
    ("WTForms / Flask-WTF", re.compile(r"wtforms/|flask_wtf/")),
    ("markdown / nh3 (notes)", re.compile(r"markdown_it/|nh3|mdurl/")),
    ("Jinja2 templates", re.compile(r"jinja2/|templates/|markupsafe/|\.html:")),
    ("Flask-Login / sessions / itsdangerous", re.compile(r"flask_login/|itsdangerous/|flask/sessions")),
    ("Flask / Werkzeug / test client", re.compile(r"flask/|werkzeug/")),
    ("factcheck code", re.compile(r"factcheck/")),
]


def categorise(stack: list[str]) -> str:
    for frame in reversed(stack):
        for name, pattern in CATEGORIES:
            if pattern.search(frame):
                return name
    return "other (the bench loop, stdlib)"


def summarize(path: Path, top: int = 15) -> str:
    """A py-spy ``--format raw`` file (``frame;frame;… count`` per line) as a table of shares."""
    categories: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack_text, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        stack = stack_text.split(";")
        # Only the page's requests: not start-up, imports or the sign-in.
        if not any("dispatch_request" in frame for frame in stack) or any("views/auth.py" in f for f in stack):
            continue
        total += count
        categories[categorise(stack)] += count
        seen = set()
        for frame in stack:
            if ("factcheck/" in frame or "templates/" in frame or ".html" in frame) and frame not in seen:
                seen.add(re.sub(r":\d+\)$", ")", frame))
        for frame in seen:
            inclusive[frame] += count
    if not total:
        return "no samples"
    lines = [f"{total} samples inside the page's requests", "", "| where the innermost known frame is | share |", "|---|---|"]
    lines += [f"| {name} | {count / total:.0%} |" for name, count in categories.most_common()]
    lines += ["", "| factcheck function or template (samples under it) | share |", "|---|---|"]
    lines += [f"| `{frame}` | {count / total:.0%} |" for frame, count in inclusive.most_common(top)]
    return "\n".join(lines)


def loop(database: str, page: str, seconds: float) -> int:
    from bench import run

    app = run.make_app(database, Path(tempfile.gettempdir()) / "fc-profile-audit-checkpoints.jsonl")
    info = dataset_for(app, database)
    specs = {name: (who, path) for name, who, path, _limit in run.page_specs(info)}
    who, path = specs[page]
    client = run.sign_in(app, who) if who else app.test_client()
    deadline = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < deadline:
        response = client.get(path)
        response.get_data()
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        n += 1
    print(f"{n} requests of {path} in {seconds:.0f} s: {seconds / n * 1000:.1f} ms each", file=sys.stderr)
    return n


def dataset_for(app, database: str):
    """The bench's Dataset of an already filled database (its sizes read back from the tables)."""
    import sqlalchemy as sa

    from bench import datagen
    from factcheck.extensions import db

    with app.app_context():
        counts = {name: db.session.scalar(sa.text(f"SELECT count(*) FROM {name}")) for name in ("articles", "claims")}
        events = db.session.scalar(sa.text("SELECT max(id) FROM audit_events"))
        first = db.session.scalar(sa.text("SELECT min(created_at) FROM audit_events"))
    sizes = datagen.Sizes(counts["articles"], counts["claims"], events)
    _users, _roles, info = datagen._users("", first)
    info.url, info.sizes, info.events = database, sizes, events
    return info


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database")
    parser.add_argument("--page", default="dashboard")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--loop", action="store_true", help=argparse.SUPPRESS)  # the child py-spy runs
    parser.add_argument("--summarize")
    args = parser.parse_args()
    if args.summarize:
        print(summarize(Path(args.summarize)))
        return 0
    if args.loop:
        loop(args.database, args.page, args.seconds)
        return 0
    if args.cprofile:
        profiler = cProfile.Profile()
        profiler.runcall(loop, args.database, args.page, args.seconds)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return 0
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    out = Path(tempfile.mkdtemp(prefix="fc-profile-")) / f"{args.page.replace(' ', '-')}.txt"
    subprocess.run([spy, "record", "--format", "raw", "--rate", "200", "--output", str(out), "--",
                    sys.executable, __file__, "--loop", "--database", args.database, "--page", args.page,
                    "--seconds", str(args.seconds)], check=True)
    print(f"raw profile: {out}")
    print(summarize(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
