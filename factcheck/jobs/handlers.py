"""What each kind of job does: the same service calls a page would make, with the job's parameters.

A handler returns the result shown on the job's page; a DomainError it raises (a refusal, a file
that cannot be read) is the reason the job failed, in the person's words."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from factcheck.models import Job, User
from factcheck.services import article_page, audit, audit_log, intake, jobs, revisions
from factcheck.services.context import Context

Progress = Callable[[int, str], None]
Handler = Callable[[Context, Job, User | None, Progress], dict[str, Any]]


def _text(job: Job) -> str:
    return (job.payload or b"").decode("utf-8")


def import_article(ctx: Context, job: Job, actor: User | None, progress: Progress) -> dict[str, Any]:
    params = job.params
    upload = intake.Upload(params["filename"], job.payload or b"") if params.get("filename") else None
    progress(10, "Reading the article and suggesting claims")
    imported = intake.import_article(
        ctx, actor=actor,  # type: ignore[arg-type]  # the service refuses a missing actor itself
        title=params.get("title", ""), text="" if upload else _text(job), upload=upload,
        outlet=params.get("outlet", ""), byline=params.get("byline", ""), source_url=params.get("source_url", ""),
    )
    return {"article_id": imported.article.id, "suggestions": imported.suggestions,
            "furniture": imported.furniture, "english": intake.english(imported.article)}


def revise_article(ctx: Context, job: Job, actor: User | None, progress: Progress) -> dict[str, Any]:
    article = article_page.load(ctx.session, int(job.params["article_id"]))
    progress(10, "Comparing the new text with the claims")
    report = revisions.revise(ctx, actor=actor, article=article, text=_text(job))  # type: ignore[arg-type]
    return {"article_id": article.id, "revision": report.revision.number, "moved": len(report.moved),
            "changed": len(report.changed), "orphaned": len(report.orphaned), "suggested": report.suggested}


def verify_audit(ctx: Context, job: Job, actor: User | None, progress: Progress) -> dict[str, Any]:
    progress(5, "Checking every event's hash and link")
    report = audit.verify_and_record(ctx, actor=actor)
    return {"intact": report.intact, "count": report.count, "problem": report.problem,
            "first_broken_id": report.first_broken_id, "slow_reads": list(report.slow_reads[:audit.SLOW_READS_SHOWN]),
            "more_slow_reads": max(0, len(report.slow_reads) - audit.SLOW_READS_SHOWN)}


def export_audit(ctx: Context, job: Job, actor: User | None, progress: Progress) -> dict[str, Any]:
    fmt = job.params["fmt"]
    filters = audit_log.Filters.from_plain(job.params.get("filters") or {})
    stop_below = audit_log.record_export(ctx, actor=actor, filters=filters, fmt=fmt)  # type: ignore[arg-type]
    progress(5, "Writing the file")
    with ctx.session.get_bind().engine.connect() as connection:
        text = audit_log.export_stream(connection, filters, stop_below, fmt, key=ctx.settings.audit_key)
        size = jobs.store_output(ctx.session, job.id, (piece.encode() for piece in text))
    return {"fmt": fmt, "bytes": size, "filename": f"audit-{stop_below - 1}.{fmt}"}


HANDLERS: dict[str, Handler] = {
    "audit.export": export_audit,
    "article.import": import_article,
    "article.revise": revise_article,
    "audit.verify": verify_audit,
}
