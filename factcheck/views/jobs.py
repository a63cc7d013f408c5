"""A job's page: its progress while it runs (htmx polls it; without JavaScript the page reloads
itself), why it failed and a button to try again, or on success the page it produced."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from factcheck.errors import ValidationFailed
from factcheck.extensions import db
from factcheck.forms.articles import ActionForm
from factcheck.jobs import dispatch, start, wait_for, workers
from factcheck.jobs.queue import inline_wait
from factcheck.models import Job, User
from factcheck.models.job import JOB_FAILED, JOB_SUCCEEDED
from factcheck.services import audit_log, jobs
from factcheck.views.common import actor, context

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def run(kind: str, *, params: dict[str, Any], payload: bytes | None = None, article_id: int | None = None,
        user: User | None = None) -> Job:
    """Start a job for the signed-in person and wait for it briefly: most finish in that time, and
    the page can answer with the outcome at once."""
    job = start(_app(), context(), actor=user or actor(), kind=kind, params=params, payload=payload,
                article_id=article_id)
    return wait_for(_app(), job.id, inline_wait(_app()))


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined]


def refusal(job: Job, default_field: str) -> tuple[str, str] | None:
    """(field, message) when the job failed while the page waited: the page shows its form again with
    the reason and what was typed, as for any refused form, and the attempt is not kept."""
    if job.status != JOB_FAILED:
        return None
    jobs.discard(db.session, job.id)
    return (job.result or {}).get("field") or default_field, job.error or jobs.UNEXPECTED


def outcome(job: Job) -> tuple[str, str, str] | None:
    """(message, category, where to go) for a job that succeeded; None when its own page is where it
    ends (an export: the page offers the file)."""
    result = job.result or {}
    if job.kind == "audit.export":
        return None
    if job.kind == "article.import":
        return _imported_message(result), "success", url_for("articles.show", article_id=result["article_id"])
    if job.kind == "article.revise":
        message = (f"Revision {result['revision']} saved: {result['moved']} claim(s) carried over, "
                   f"{result['changed']} changed and back for checking, {result['orphaned']} orphaned, "
                   f"{result['suggested']} new suggestion(s).")
        return message, "success", url_for("articles.revision", article_id=result["article_id"],
                                           number=result["revision"])
    if job.kind == "audit.verify":
        if result.get("intact"):
            return f"Audit chain intact: {result['count']} events verified.", "success", url_for("audit.index")
        where = f" at event {result['first_broken_id']}" if result.get("first_broken_id") is not None else ""
        return (f"Audit chain BROKEN{where}: {result.get('problem')}. {result['count']} events before it verified.",
                "error", url_for("audit.index"))
    return "Done.", "success", url_for("main.index")


def _imported_message(result: dict[str, Any]) -> str:
    if not result.get("english", True):
        return ("Article saved. factcheck suggests claims in English only, and this article is not in English: "
                "mark its claims by selecting them in the text.")
    parts = [f"Article saved with {result['suggestions']} suggested claim(s) to review"]
    if result.get("furniture"):
        parts.append(f"{result['furniture']} line(s) of page furniture set aside")
    return "; ".join(parts) + "."


def follow(job: Job) -> Response:
    """Where a page goes once it has started a job: the outcome when it is there, else its page."""
    location = _announce(job)
    return redirect(location or url_for("jobs.show", job_id=job.id))


def _announce(job: Job) -> str | None:
    """For a job that succeeded with a page of its own to go to: flash its outcome, return that page."""
    ending = outcome(job) if job.status == JOB_SUCCEEDED else None
    if ending is None:
        return None
    message, category, location = ending
    flash(message, category)
    return location


@bp.get("/<id:job_id>")
@login_required
def show(job_id: int) -> Any:
    job = jobs.get_visible(context(), viewer=actor(), job_id=job_id)
    location = _announce(job)
    if location is not None:
        if request.headers.get("HX-Request"):
            # htmx would follow a redirect inside its request and swap the wrong page in.
            return Response(status=204, headers={"HX-Redirect": location})
        return redirect(location)
    # A job queued on Redis with no worker listening would wait forever: say so, and to whom.
    no_worker = job.queued and workers(_app()) == 0
    return render_template("jobs/show.html", job=job, label=jobs.label(job), retry_form=ActionForm(),
                           no_worker=no_worker, back=_back(job))


def _back(job: Job) -> tuple[str, str] | None:
    """Where a failed job's page sends the person back to: the form, or the article."""
    if job.kind == "article.import":
        return url_for("articles.new"), "Back to the import form"
    if job.article_id:
        return url_for("articles.show", article_id=job.article_id), "Back to the article"
    return None


@bp.get("/<id:job_id>/download")
@login_required
def download(job_id: int) -> Any:
    job = jobs.get_visible(context(), viewer=actor(), job_id=job_id)
    result = job.result or {}
    if job.status != JOB_SUCCEEDED or "filename" not in result:
        abort(404, "This job made no file, or has not finished making it.")
    engine = db.engine

    # Like the streaming export: a connection of its own, no request context held for the download.
    def generate() -> Any:
        with Session(engine) as session:
            yield from jobs.output_chunks(session, job_id)

    headers = {"Content-Disposition": f'attachment; filename="{result["filename"]}"', "X-Accel-Buffering": "no"}
    if isinstance(result.get("bytes"), int):
        headers["Content-Length"] = str(result["bytes"])
    return Response(generate(), headers=headers,
                    mimetype=audit_log.EXPORT_FORMATS.get(result.get("fmt", ""), "application/octet-stream"))


@bp.post("/<id:job_id>/retry")
@login_required
def retry(job_id: int) -> Any:
    job = jobs.get_visible(context(), viewer=actor(), job_id=job_id)
    if ActionForm().validate_on_submit():
        try:
            jobs.retry(context(), actor=actor(), job=job)
        except ValidationFailed as error:
            flash(error.message, "error")
        else:
            dispatch(_app(), job.id)
            return follow(wait_for(_app(), job.id, inline_wait(_app())))
    return redirect(url_for("jobs.show", job_id=job.id))
