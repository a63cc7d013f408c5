"""What a note posted through the claim page's form costs, in process: CPU per post and its SQL.

On a database that `bench/run.py --out DIR` filled and kept (SQLite: DIR/bench-16x.sqlite3, best a copy:
every post adds a note and an audit event; PostgreSQL: the bench database as the run left it):

    python bench/profile_notes.py --database URL [--posts 300] [--statements]
    py-spy record -r 500 -o notes.svg -- python bench/profile_notes.py --database URL --posts 2000

Posts as the throughput run's writers do (bench/run.py ``load_spec``, bench/loadgen.py): an editor (on
any claim not dismissed) and a checker (on the claims assigned to them), each signed in through the
/login form, each post ``POST /claims/<id>/notes`` with the CSRF token and a body, answered by a
redirect (not followed; the flash it leaves in the session cookie is taken out after each post, outside
the timing, as the load test's next page view shows it). Prints the CPU time (time.process_time) per post of each and, with
``--statements``, the SQL statements of one post of each.
"""
from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def writers(app, database: str):
    """(label, signed-in client, CSRF token, claims) of an editor and a checker as the load test has them."""
    from bench import run
    from bench.profile_pages import dataset_for

    info = dataset_for(app, database)
    spec = run.load_spec(info, "", "app", 1)
    out = []
    for label, entry in (("editor", spec["connections"][0]), ("checker", spec["connections"][5])):
        client = run.sign_in(app, entry["email"])
        page = client.get(f"/claims/{entry['writes'][0]}").get_data(as_text=True)
        out.append((label, client, run.csrf_token(page), entry["writes"]))
    return out


WITH_KEY = False


def post(client, token: str, claim: int, n: int, hook=None) -> float:
    """Post a note; the CPU time it took (``hook``: a profile function, set for the post alone). With
    ``--with-key``, each post carries a new idempotency key, as a browser's form does."""
    data = {"csrf_token": token, "body": f"Bench note {n} from the profile."}
    if WITH_KEY:
        data["idempotency_key"] = secrets.token_urlsafe(18)
    started = time.process_time()
    if hook is None:
        response = client.post(f"/claims/{claim}/notes", data=data)
    else:
        sys.setprofile(hook)
        try:
            response = client.post(f"/claims/{claim}/notes", data=data)
        finally:
            sys.setprofile(None)
    if response.status_code not in (302, 303):
        raise SystemExit(f"POST /claims/{claim}/notes answered {response.status_code}: {response.get_data(as_text=True)[:300]}")
    cpu = time.process_time() - started
    with client.session_transaction() as session:  # the flash, shown by the next page
        session.pop("_flashes", None)
    return cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--posts", type=int, default=300, help="posts of each writer")
    parser.add_argument("--statements", action="store_true")
    parser.add_argument("--with-key", action="store_true", help="send an idempotency key with each post, as browsers do")
    parser.add_argument("--calls", action="store_true",
                        help="also count the Python and C function calls of a post: steadier than time on a busy machine")
    args = parser.parse_args()
    global WITH_KEY
    WITH_KEY = args.with_key
    import tempfile

    from bench import run
    from bench.measure import StatementLog
    from factcheck.extensions import db

    app = run.make_app(args.database, Path(tempfile.gettempdir()) / "fc-profile-notes-checkpoints.jsonl")
    people = writers(app, args.database)
    n = 0
    for label, client, token, claims in people:
        for claim in claims[:20]:  # warm up
            n += 1
            post(client, token, claim, n)
        if args.statements:
            with app.app_context():
                engine = db.engine
            with StatementLog(engine) as log:
                n += 1
                post(client, token, claims[len(claims) // 3], n)
            print(f"-- {label}: {len(log.statements)} statements")
            for statement, parameters, ms in log.statements:
                print(f"   {ms:6.2f} ms  {' '.join(statement.split())[:220]}  {str(parameters)[:80]}")
    if args.calls:
        for label, client, token, claims in people:
            counted = [0]

            def count(_frame, event, _arg, counted=counted):
                if event in ("call", "c_call"):
                    counted[0] += 1
            for i in range(20):
                n += 1
                post(client, token, claims[(i * 11) % len(claims)], n, count)
            print(f"{label}: {counted[0] / 20:.0f} function calls per note post")
    for label, client, token, claims in people:
        times = []
        for i in range(args.posts):
            n += 1
            times.append(post(client, token, claims[(i * 7) % len(claims)], n))
        print(f"{label}: {sum(times) / args.posts * 1000:.2f} ms CPU per note post (median {statistics.median(times) * 1000:.2f}),"
              f" {args.posts} posts on {min(args.posts, len(claims))} claims")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
