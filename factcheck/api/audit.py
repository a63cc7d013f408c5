"""The audit log for managers and admins: the filtered listing, verifying the chain, and exports
streamed as CSV or JSON lines with the archive checkpoint as their last line (as on the audit page)."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response

from factcheck.api import schemas
from factcheck.api.core import bp, ctx, decode_cursor, encode_cursor, page_links, user
from factcheck.extensions import db
from factcheck.models import AuditEvent
from factcheck.services import audit, audit_log


def event_out(event: AuditEvent) -> dict[str, Any]:
    return {field: getattr(event, field) for field in (
        "id", "created_at", "actor_id", "actor_label", "action", "object_type", "object_id", "article_id", "changes",
        "request_id", "ip_address", "hash", "prev_hash")}


def _filters(action: str | None, article: int | None, actor: int | None, no_actor: bool, object_type: str | None,
             object_id: int | None, date_from: date | None, date_to: date | None) -> audit_log.Filters:
    return audit_log.Filters(actor_id=actor, no_actor=no_actor, action=action, object_type=object_type,
                             object_id=object_id, article_id=article, date_from=date_from, date_to=date_to)


@bp.get("/audit")
@bp.doc(tags=["audit"], summary="The audit log, newest first (managers and admins)")
@bp.arguments(schemas.AuditArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.AuditPage)
def audit_events(cursor: str | None, limit: int, **filter_args: Any) -> Any:
    filters = _filters(**filter_args)
    page = audit_log.list_events(db.session, viewer=user(), filters=filters, before_id=decode_cursor(cursor),
                                 limit=limit)
    next_cursor = encode_cursor(page.older_before_id)
    return ({"items": [event_out(e) for e in page.events], "next_cursor": next_cursor},
            page_links(next_cursor, limit=limit, **filters.query_args()))


@bp.post("/audit/verify")
@bp.doc(tags=["audit"], summary="Verify the whole hash chain (against the newest checkpoint); the result is "
        "itself recorded as an audit.verified event")
@bp.response(200, schemas.ChainReportOut)
def verify() -> Any:
    report = audit.verify_and_record(ctx(), actor=user())
    recorded = audit.last_verification(db.session)
    return {"intact": report.intact, "count": report.count, "first_broken_id": report.first_broken_id,
            "problem": report.problem, "head": report.head.as_dict() if report.head else None,
            "checkpoint": report.checkpoint.as_dict() if report.checkpoint else None,
            "event_id": recorded.id if recorded else None}


EXPORT_DOC = {"responses": {"200": {
    "description": "The filtered events, oldest first, streamed; the last line (CSV: the row whose id is "
                   "`checkpoint`) is the archive checkpoint that `flask audit verify-archive` checks",
    "content": {mimetype.split(";")[0]: {"schema": {"type": "string"}}
                for mimetype in audit_log.EXPORT_FORMATS.values()}}}}


@bp.get("/audit/export")
@bp.doc(tags=["audit"], summary="Export the (filtered) log as CSV or JSON lines, streamed; audited before the "
        "first byte, and the file stops below its own event", **EXPORT_DOC)
@bp.arguments(schemas.ExportArgs, location="query", as_kwargs=True)
def export(fmt: str, **filter_args: Any) -> Any:
    filters = _filters(**filter_args)
    # Audited and committed before the first byte is sent (the service checks who may export).
    stop_below = audit_log.record_export(ctx(), actor=user(), filters=filters, fmt=fmt)
    lines = audit_log.export_lines(db.engine, filters, stop_below, fmt, key=ctx().settings.audit_key)
    return Response(lines, mimetype=audit_log.EXPORT_FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="audit-{stop_below - 1}.{fmt}"', "X-Accel-Buffering": "no"})

