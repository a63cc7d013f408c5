"""Background jobs through the real stack: the pages start them, a thread of the app or an RQ worker
on a real Redis runs them, the job's page shows progress, failure and the outcome."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.jobs import periodic
from factcheck.jobs.queue import backend, wait_for
from factcheck.models import Article, AuditEvent, Job
from factcheck.services import jobs
from tests.conftest import app_environment
from tests.ops.support import PROJECT_ROOT, VENV_BIN, redis_db_of_this_worker, redis_url
from tests.support.context import ctx

STORY = ("Harbour council backs night ferries\n"
         "The council will fund four night crossings a week from May, its chair Ida Brandt said on Monday.\n"
         "Ticket sales rose 18 percent last year, according to the operator's annual report.\n")


def _import(client, **data):
    return client.submit("/articles/new", {"title": "Night ferries", "text": STORY, **data},
                         content_type="multipart/form-data")


def _job() -> Job:
    return db.session.scalars(select(Job).order_by(Job.id.desc())).first()


def _wait(app, job: Job) -> Job:
    return wait_for(app, job.id, 30)


def test_a_quick_import_answers_with_the_article(app, login_as):
    editor = login_as("editor")
    response = _import(editor)
    assert response.status_code == 302 and "/articles/" in response.headers["Location"]
    job = _job()
    assert job.kind == "article.import" and job.status == "succeeded" and job.payload is None
    assert job.result["article_id"] == db.session.scalar(select(Article.id))
    assert "suggested claim(s)" in editor.get(response.headers["Location"]).get_data(as_text=True)
    # The job's changes are audited under the id of the request that asked for it.
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "article.created"))
    assert created.request_id == response.headers["X-Request-Id"] and created.actor_id == job.created_by_id


def test_a_long_import_shows_its_progress_page_until_the_article_is_there(app, login_as):
    app.config["FACTCHECK_JOB_INLINE_WAIT"] = 0
    editor = login_as("editor")
    response = _import(editor)
    assert response.status_code == 302
    job_page = response.headers["Location"]
    assert job_page == f"/jobs/{_job().id}"
    _wait(app, _job())
    # Without JavaScript the page reloads itself; once done it leads to the article.
    done = editor.get(job_page)
    assert done.status_code == 302 and done.headers["Location"] == f"/articles/{_job().result['article_id']}"
    # htmx's poll gets a client-side redirect instead (a redirect inside its request would swap the
    # article page into the job's box).
    polled = editor.get(job_page, headers={"HX-Request": "true"})
    assert polled.status_code == 204 and polled.headers["HX-Redirect"] == done.headers["Location"]


def test_the_progress_page_polls_and_reloads_without_javascript(app, login_as, make):
    editor = login_as("editor")
    job = jobs.submit(ctx(), actor=db.session.merge(editor.user), kind="article.import", params={}, payload=b"x")
    page = editor.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Importing the article" in page and "Waiting for a worker" in page
    assert f'hx-get="/jobs/{job.id}"' in page and 'hx-trigger="every 1s"' in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page


def test_a_failed_job_says_why_and_can_be_tried_again(app, login_as):
    editor = login_as("editor")
    job = jobs.submit(ctx(), actor=db.session.merge(editor.user), kind="article.import",
                      params={"title": "Night ferries", "filename": None}, payload=STORY.encode())
    # Its worker died while running it: the periodic round fails it, in words.
    jobs.take(db.session, job.id, ctx().now() - timedelta(hours=2))
    periodic.tick(app)
    page = editor.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "stopped before it finished" in page and "Try again" in page
    assert db.session.scalar(select(func.count(Article.id))) == 0
    retried = editor.submit(f"/jobs/{job.id}/retry")
    assert retried.status_code == 302 and retried.headers["Location"].startswith("/articles/")
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == "succeeded" and db.session.get(Job, job.id).attempts == 2


def test_a_job_failing_on_what_was_typed_shows_the_form_again(app, login_as):
    editor = login_as("editor")
    response = _import(editor, text="   ", title="")
    assert response.status_code == 422
    assert "Paste the article text or choose a file." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Job.id))) == 0  # a refused form keeps nothing


def test_only_its_author_and_managers_see_a_job(app, login_as, make):
    editor = login_as("editor")
    job = jobs.submit(ctx(), actor=db.session.merge(editor.user), kind="audit.verify", params={})
    assert login_as("editor").get(f"/jobs/{job.id}").status_code == 403
    assert login_as("manager").get(f"/jobs/{job.id}").status_code == 200
    assert login_as("checker").submit(f"/jobs/{job.id}/retry").status_code == 403
    assert editor.get("/jobs/999999").status_code == 404


def test_a_lost_dispatch_is_picked_up_by_the_periodic_round(app, login_as):
    editor = login_as("editor")
    job = jobs.submit(ctx(), actor=db.session.merge(editor.user), kind="article.import",
                      params={"title": "T", "filename": None}, payload=STORY.encode())
    periodic.tick(app)  # too recent to count as lost
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == "queued"
    later = job.created_at + periodic.LOST_AFTER + timedelta(seconds=1)  # a value: the job's thread reads the clock
    app.extensions["factcheck"].clock = lambda: later
    periodic.tick(app)
    assert _wait(app, job).status == "succeeded"


def test_verify_now_runs_as_a_job(app, login_as):
    manager = login_as("manager")
    response = manager.submit("/audit/verify")
    assert response.status_code == 302 and response.headers["Location"] == "/audit"
    assert _job().kind == "audit.verify" and _job().result["intact"] is True
    assert "Audit chain intact" in manager.get("/audit").get_data(as_text=True)


def test_the_verify_job_says_where_it_read_the_slower_way(app, login_as):
    """An event stored by another writer in another JSON form verifies, the slower way: the job's
    result names those ids and why, as the command does, so a manager sees it without a shell."""
    import json

    from factcheck.services import audit
    from tests.services.test_audit_ranges import _write
    from tests.services.test_audit_verify_speed import _append_raw

    manager = login_as("manager")
    _write(4)
    changes = {"status": {"before": "open", "after": "assigned"}}
    event_id = _append_raw(json.dumps(changes), changes)  # spaces: not the text the app writes
    manager.submit("/audit/verify")
    result = _wait(app, _job()).result
    assert result["intact"] is True and result["more_slow_reads"] == 0
    spans = [re.fullmatch(r"ids (\d+) to (\d+): .+", line) for line in result["slow_reads"]]
    assert spans and all(spans) and len(spans) <= audit.SLOW_READS_SHOWN
    assert any(int(span[1]) <= event_id <= int(span[2]) for span in spans)


def test_a_revision_runs_as_a_job(app, login_as, make):
    editor = login_as("editor")
    article = make.article(editor=db.session.merge(editor.user))
    response = editor.submit(f"/articles/{article.id}/revise", {"text": article.text + "\nA new closing line."})
    assert response.status_code == 302 and response.headers["Location"] == f"/articles/{article.id}/revisions/2"
    assert _job().kind == "article.revise" and _job().article_id == article.id


# ---- on Redis, with RQ ---------------------------------------------------------------------------------

@pytest.fixture
def rq_app(app):
    """The test's app with jobs on a real Redis, in a queue of this test's own."""
    url = redis_url(redis_db_of_this_worker())
    app.config.update(FACTCHECK_JOBS="rq", FACTCHECK_REDIS_URL=url, FACTCHECK_JOB_INLINE_WAIT=0,
                      FACTCHECK_JOB_QUEUE=f"test-{uuid.uuid4().hex[:12]}")
    app.extensions.pop("factcheck-jobs", None)
    yield app
    backend(app).queue.delete(delete_jobs=True)
    app.extensions.pop("factcheck-jobs", None)


def test_on_redis_the_page_queues_and_a_worker_runs_the_job(rq_app, login_as):
    from rq import SimpleWorker

    editor = login_as("editor")
    response = _import(editor)
    job = _job()
    assert response.headers["Location"] == f"/jobs/{job.id}" and job.status == "queued"
    queue = backend(rq_app)
    assert queue.queue.count == 1
    SimpleWorker([queue.queue], connection=queue.connection).work(burst=True)
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == "succeeded"
    assert editor.get(f"/jobs/{job.id}").headers["Location"].startswith("/articles/")


def _worker_environment(rq_app, database_url: str) -> dict[str, str]:
    """A worker process on the test's database and the test's own queue."""
    return {**os.environ, **app_environment(database_url), "FACTCHECK_REDIS_URL": rq_app.config["FACTCHECK_REDIS_URL"],
            "FACTCHECK_JOB_QUEUE": rq_app.config["FACTCHECK_JOB_QUEUE"], "FACTCHECK_JOBS": "rq"}


def _worker_command(*args: str) -> list[str]:
    flask = VENV_BIN / "flask"
    command = [str(flask)] if flask.exists() else [sys.executable, "-m", "flask"]
    return [*command, "--app", "factcheck", "worker", *args]


def test_the_worker_command_runs_queued_jobs(rq_app, login_as, database_url):
    editor = login_as("editor")
    _import(editor)
    job = _job()
    done = subprocess.run(_worker_command("--burst"), cwd=PROJECT_ROOT, env=_worker_environment(rq_app, database_url),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == "succeeded", done.stderr


def test_readiness_and_the_job_page_say_when_no_worker_is_running(rq_app, login_as, database_url):
    import signal
    import time

    editor = login_as("editor")
    _import(editor)
    job = _job()
    assert rq_app.test_client().get("/readyz").get_json()["jobs"] == "no worker is running"
    assert "No job worker is running" in editor.get(f"/jobs/{job.id}").get_data(as_text=True)
    worker = subprocess.Popen(_worker_command(), cwd=PROJECT_ROOT, env=_worker_environment(rq_app, database_url),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while rq_app.test_client().get("/readyz").get_json()["jobs"] != "1 worker(s)" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert rq_app.test_client().get("/readyz").get_json() | {"redis": "ok"} == {
            "status": "ok", "database": "ok", "redis": "ok", "jobs": "1 worker(s)"}
        while _wait(rq_app, job).status != "succeeded" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert db.session.get(Job, job.id).status == "succeeded"
    finally:
        worker.send_signal(signal.SIGTERM)
        _out, errors = worker.communicate(timeout=60)
    assert worker.returncode == 0, errors


def test_the_worker_command_explains_it_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "FACTCHECK_REDIS_URL" in result.output


@pytest.mark.parametrize("chunk_bytes", [1 << 20, 700])
def test_the_audit_export_is_a_job_whose_page_offers_the_file(app, login_as, make, monkeypatch, chunk_bytes):
    from factcheck.services import audit

    monkeypatch.setattr(jobs, "OUTPUT_CHUNK_BYTES", chunk_bytes)  # many chunks for a small log
    for _ in range(3):
        make.claim()
    manager = login_as("manager")
    response = manager.submit("/audit/export.jsonl")
    job = _job()
    assert response.headers["Location"] == f"/jobs/{job.id}" and job.status == "succeeded"
    page = manager.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f'href="/jobs/{job.id}/download"' in page and job.result["filename"] in page
    file = manager.get(f"/jobs/{job.id}/download")
    assert file.status_code == 200 and job.result["filename"] in file.headers["Content-Disposition"]
    body = file.get_data(as_text=True)
    assert len(body.encode()) == job.result["bytes"] == int(file.headers["Content-Length"])
    report = audit.verify_archive(body.splitlines(), db.session, key=ctx().settings.audit_key)
    assert report.intact, report
    exported = db.session.scalar(select(func.count()).where(AuditEvent.action == "audit.exported"))
    assert exported == 1
    assert login_as("editor").get(f"/jobs/{job.id}/download").status_code == 403


def test_the_filtered_csv_export_keeps_its_filters(app, login_as, make):
    make.claim()
    manager = login_as("manager")
    manager.submit("/audit/export.csv?action=claim.created")
    rows = manager.get(f"/jobs/{_job().id}/download").get_data(as_text=True).splitlines()
    assert rows[0].startswith("id,") and len(rows) >= 2
    assert rows[-1].startswith("checkpoint,") and all(",claim.created," in row for row in rows[1:-1])


def test_the_periodic_round_delivers_webhooks(app, make):
    """The round that replaced the app's webhook thread: a queued delivery reaches a real receiver."""
    from factcheck.services import webhooks
    from tests.api.test_webhooks import Receiver

    admin = make.user("admin")
    with Receiver() as receiver:
        webhooks.register_webhook(ctx(), actor=admin, url=receiver.url, events=["claim.verdict_final"])
        make.final_claim()
        periodic.tick(app)
        assert len(receiver.received) == 1
        assert receiver.received[0]["headers"]["X-Factcheck-Event"] == "claim.verdict_final"


def test_an_assignment_e_mail_goes_out_by_itself_after_the_commit(app, make, login_as, mailbox):
    """No one runs the mail job by hand: the commit that queued the e-mail starts its delivery."""
    import time

    app.config["FACTCHECK_PERIODIC"] = "on"
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.claim(editor=editor)
    response = login_as(editor).submit(f"/claims/{claim.id}/assign", {
        "assignee_id": checker.id, "priority": "high", "version": claim.version})
    assert response.status_code == 302
    deadline = time.monotonic() + 30
    while not mailbox.to(checker.email) and time.monotonic() < deadline:
        time.sleep(0.05)
    [received] = mailbox.to(checker.email)
    assert received.message["Subject"].startswith("Assigned to you:")


def test_the_periodic_round_sends_due_reminders_once(app, make):
    from factcheck.models import Notification

    checker = make.user("checker")
    today = ctx().now().date()
    make.assigned_claim(checker, due_date=today - timedelta(days=1))
    make.assigned_claim(checker, due_date=today + timedelta(days=1))
    periodic.forget_runs(app)
    periodic.tick(app)
    periodic.forget_runs(app)  # as if ten minutes had passed: still once per claim and due date
    periodic.tick(app)
    kinds = sorted(db.session.scalars(select(Notification.kind).where(Notification.user_id == checker.id,
                                                                       Notification.kind != "assignment")))
    assert kinds == ["due_tomorrow", "overdue"]


def test_finished_jobs_and_their_files_are_forgotten_after_the_retention(app, make):
    from factcheck.models import JobOutput

    editor = make.user("editor")
    old = jobs.submit(ctx(), actor=editor, kind="audit.export", params={"fmt": "csv", "filters": {}})
    jobs.take(db.session, old.id, ctx().now())
    jobs.store_output(db.session, old.id, [b"id,action\n"])
    jobs.succeed(db.session, old.id, {"fmt": "csv", "bytes": 10, "filename": "audit-0.csv"}, ctx().now())
    later = ctx().now() + timedelta(days=8)
    app.extensions["factcheck"].clock = lambda: later
    recent = jobs.submit(ctx(), actor=editor, kind="audit.verify", params={})
    jobs.take(db.session, recent.id, later)
    jobs.succeed(db.session, recent.id, {"intact": True, "count": 0}, later)
    old_id, recent_id = old.id, recent.id
    periodic.forget_runs(app)
    periodic.tick(app)
    db.session.expire_all()
    assert db.session.get(Job, old_id) is None and db.session.scalar(select(func.count(JobOutput.id))) == 0
    assert db.session.get(Job, recent_id) is not None


def test_a_new_app_s_ten_minutely_parts_are_due_whatever_an_earlier_app_ran():
    # The last runs were kept under the app's id: a new app taking a dropped one's address (tests, a
    # worker's app made again) skipped its reminders for ten minutes. They are the app's own now.
    import gc
    from datetime import UTC, datetime

    from flask import Flask

    from factcheck.jobs import periodic

    now = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(30):
        app = Flask(f"periodic{n}")
        assert periodic._due(app, "reminders", now), n
        assert not periodic._due(app, "reminders", now)  # ran: not due again for ten minutes
        del app
        gc.collect()
