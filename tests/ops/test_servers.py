"""Two gunicorn app servers on one PostgreSQL database and one Redis, as a newsroom runs them
(issue 12, point 4): everything a person does on one is seen by the other, and nothing that must be
shared (claims, versions, the audit chain, sign-in throttling) lives in one server's memory."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from factcheck import create_app
from factcheck.extensions import db
from factcheck.models import AuditEvent, Claim
from factcheck.services import audit
from tests.conftest import PG_URL_ENV, app_environment, base_config
from tests.ops import support
from tests.ops.support import Browser, Server, csrf_token, drop_postgres_schema, fresh_postgres_schema
from tests.support.context import ctx
from tests.support.factories import Factory

SENTENCES = [f"Station {n} opened in {1900 + n} with {n * 7} platforms, the operator said." for n in range(1, 13)]
ARTICLE = "Rail network grows\n" + "\n".join(SENTENCES) + "\n"


@pytest.fixture
def newsroom(tmp_path: Path) -> Iterator[dict]:
    if not os.environ.get(PG_URL_ENV):
        pytest.skip(f"two app servers share one PostgreSQL database: set {PG_URL_ENV}")
    import redis

    redis_url = support.redis_url(support.redis_db_of_this_worker())
    redis.Redis.from_url(redis_url).flushdb()
    url = fresh_postgres_schema("servers")
    assert url is not None

    app = create_app(base_config(url))
    with app.app_context():
        make = Factory(ctx())
        people = {role: make.user(role) for role in ("editor", "checker")}
        people["editor2"] = make.user("editor")
        people["checker2"] = make.user("checker")
        article = make.article(people["editor"], text=ARTICLE, title="Rail network grows")
        seeded = {"article_id": article.id, "emails": {k: u.email for k, u in people.items()},
                  "names": {k: u.display_name for k, u in people.items()},
                  "ids": {k: u.id for k, u in people.items()}}
        db.session.remove()
        db.engine.dispose()

    env = {**app_environment(url), "FACTCHECK_SECRET_KEY": "two-servers-one-key",
           "FACTCHECK_REDIS_URL": redis_url, "FACTCHECK_WORKERS": "1", "FACTCHECK_THREADS": "4"}
    servers = [Server(env, tmp_path / "a.log"), Server(env, tmp_path / "b.log")]
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        yield {"servers": servers, "app": app, "url": url, "redis_url": redis_url, "env": env, **seeded}
    finally:
        for server in servers:
            server.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        redis.Redis.from_url(redis_url).flushdb()
        drop_postgres_schema(url)


def _signed_in(server: Server, email: str) -> Browser:
    browser = Browser()
    reply = browser.sign_in(server.url, email, Factory.PASSWORD)
    assert reply.status == 302, (reply.status, reply.text[:800])
    return browser


def test_two_servers_share_claims_versions_audit_chain_and_throttling(newsroom: dict) -> None:
    a, b = newsroom["servers"]
    emails, article_id = newsroom["emails"], newsroom["article_id"]
    editor_on_a, editor_on_b = _signed_in(a, emails["editor"]), _signed_in(b, emails["editor2"])

    # A claim saved on one server is seen on the other.
    article_page = f"/articles/{article_id}"
    saved = editor_on_a.submit(a.url + article_page, a.url + f"{article_page}/claims", {"quote": SENTENCES[0]})
    assert saved.status == 302, saved.text[:800]
    with newsroom["app"].app_context():
        claim_id = db.session.scalar(sa.select(Claim.id).where(Claim.quote == SENTENCES[0]))
    assert claim_id is not None
    seen = editor_on_b.get(b.url + f"/claims/{claim_id}")
    assert seen.status == 200 and SENTENCES[0] in seen.text

    # An edit conflict across the two servers: both load version N, the first save wins (302), the
    # second is told (409, "Edit conflict"), whichever server each is on.
    pages = [editor_on_a.get(a.url + f"/claims/{claim_id}"), editor_on_b.get(b.url + f"/claims/{claim_id}")]
    with newsroom["app"].app_context():
        version = db.session.get(Claim, claim_id).version
    for page in pages:
        assert f'name="version" type="hidden" value="{version}"' in page.text
    first = editor_on_a.request(a.url + f"/claims/{claim_id}/assign", {
        "csrf_token": csrf_token(pages[0].text), "assignee_id": newsroom["ids"]["checker"], "priority": "high",
        "version": version})
    assert first.status == 302, first.text[:800]
    second = editor_on_b.request(b.url + f"/claims/{claim_id}/assign", {
        "csrf_token": csrf_token(pages[1].text), "assignee_id": newsroom["ids"]["checker2"], "priority": "low",
        "version": version})
    assert second.status == 409, second.text[:800]
    assert "Edit conflict" in second.text and newsroom["names"]["checker"] in second.text

    # Interleaved writes on both servers at once: the audit chain stays one line.
    with newsroom["app"].app_context():
        events_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    token_a = csrf_token(editor_on_a.get(a.url + article_page).text)
    token_b = csrf_token(editor_on_b.get(b.url + article_page).text)
    jobs = [(editor_on_a, a, token_a) if n % 2 else (editor_on_b, b, token_b) for n in range(1, len(SENTENCES))]

    def add(job: tuple[Browser, Server, str], quote: str) -> int:
        browser, server, token = job
        return browser.request(server.url + f"{article_page}/claims", {"csrf_token": token, "quote": quote}).status

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(add, jobs, SENTENCES[1:]))
    assert statuses == [302] * len(jobs)
    with newsroom["app"].app_context():
        report = audit.verify(ctx())
        events_after = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert report.intact, report
    assert report.count == events_after and events_after >= events_before + len(jobs)
    assert actions.count("claim.created") == len(SENTENCES)
    # And as an operator checks it, with the command line.
    verified = subprocess.run([str(support.VENV_BIN / "flask"), "--app", "factcheck", "audit", "verify"],
                              cwd=support.PROJECT_ROOT, capture_output=True, text=True, timeout=120,
                              env={**os.environ, **app_environment(newsroom["url"]), "FACTCHECK_SECRET_KEY": "x"})
    assert verified.returncode == 0 and f"{events_after} events verified" in verified.stdout, verified

    # Sign-in throttling is shared: five wrong passwords spread over both servers, then the sixth
    # attempt is refused (429) on either, even with the right password.
    target = emails["checker"]
    for n in range(5):
        server = (a, b)[n % 2]
        wrong = Browser().sign_in(server.url, target, "not the password")
        assert wrong.status == 401, (n, wrong.status)
    for server in (a, b):
        refused = Browser().sign_in(server.url, target, Factory.PASSWORD)
        assert refused.status == 429, (server.url, refused.status, refused.text[:400])
        assert "Too many" in refused.text
    # Another account is not affected.
    assert Browser().sign_in(b.url, emails["checker2"], Factory.PASSWORD).status == 302

    # An import goes to the job queue on Redis: asked for on one server, followed on the other, run by
    # a worker process, and the article is there on both.
    new_page = editor_on_a.get(a.url + "/articles/new")
    asked = editor_on_a.request(a.url + "/articles/new", {
        "csrf_token": csrf_token(new_page.text), "title": "Tram depot", "text": _STORY})
    assert asked.status == 302 and "/jobs/" in asked.headers["Location"], asked.text[:800]
    job_path = asked.headers["Location"].removeprefix(a.url)
    waiting = editor_on_a.get(b.url + job_path)  # the job is its author's; the session works on both servers
    assert waiting.status == 200 and "Waiting for a worker" in waiting.text
    worker = subprocess.Popen([str(support.VENV_BIN / "flask"), "--app", "factcheck", "worker"],
                              cwd=support.PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, **newsroom["env"]})
    try:
        done = _poll(lambda: editor_on_a.get(b.url + job_path), lambda reply: reply.status == 302)
        article_path = done.headers["Location"].removeprefix(b.url)
        assert article_path.startswith("/articles/")
        assert "Tram depot" in editor_on_a.get(a.url + article_path).text
    finally:
        worker.send_signal(signal.SIGTERM)  # a warm shutdown: the job in hand would finish first
        _out, errors = worker.communicate(timeout=60)
        assert worker.returncode == 0, errors

    # Graceful shutdown: SIGTERM stops both servers cleanly (exit status 0).
    assert [server.stop() for server in (a, b)] == [0, 0]


_STORY = ("Tram depot to open in spring\n"
          "The depot will house 40 trams from April, the transport authority said on Tuesday.\n")


def _poll(fetch, done, seconds: float = 60):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while True:
        reply = fetch()
        if done(reply) or time.monotonic() > deadline:
            assert done(reply), (reply.status, reply.text[:400])
            return reply
        time.sleep(0.3)
