"""The audit trail: append-only, hash-chained events written in the caller's transaction."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select, text

from factcheck.models import GENESIS_HASH, AuditEvent, User
from factcheck.security.permissions import Action
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction

# Any constant works; it only has to be the same for every writer of the chain.
_CHAIN_LOCK_KEY = 7_220_011


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The fields whose value changed, as {field: {"before": …, "after": …}}."""
    return {
        key: {"before": _jsonable(before.get(key)), "after": _jsonable(after.get(key))}
        for key in after
        if before.get(key) != after.get(key)
    }


def created(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {key: {"before": None, "after": _jsonable(value)} for key, value in values.items() if value is not None}


def canonical_payload(event: Any) -> bytes:
    payload = {
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "article_id": event.article_id,
        "changes": event.changes,
        "request_id": event.request_id,
        "ip_address": event.ip_address,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(event: Any) -> str:
    return hashlib.sha256(canonical_payload(event)).hexdigest()


def _lock_chain(session: DbSession) -> None:
    """Serialise writers of the chain until commit, so the last hash read next stays the last one."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
    elif dialect == "sqlite":
        # Any write statement takes SQLite's single writer lock (waiting up to busy_timeout), even one
        # that matches no row; matching none also keeps the append-only trigger quiet.
        session.execute(text("UPDATE audit_events SET id = id WHERE 0 = 1"))


def last_hash(session: DbSession) -> str:
    latest = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return latest or GENESIS_HASH


def record(
    ctx: Context,
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: int | None,
    article_id: int | None = None,
    changes: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event; the caller commits it together with the change it describes."""
    session = ctx.session
    session.flush()
    _lock_chain(session)
    event = AuditEvent(
        created_at=ctx.now(),
        actor_id=actor.id if actor is not None else None,
        actor_label=actor_label if actor_label is not None else (actor.email if actor is not None else "system"),
        action=action,
        object_type=object_type,
        object_id=object_id,
        article_id=article_id,
        changes=_jsonable(changes or {}),
        request_id=ctx.request.request_id,
        ip_address=ctx.request.ip_address,
        prev_hash=last_hash(session),
    )
    event.hash = compute_hash(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    count: int
    first_broken_id: int | None = None
    problem: str | None = None


def verify_chain(events: Iterable[Any]) -> ChainReport:
    """Walk the events in id order; name the first one whose hash or link does not hold."""
    expected_prev = GENESIS_HASH
    count = 0
    for event in events:
        if event.prev_hash != expected_prev:
            return ChainReport(False, count, event.id, "its link to the previous event is broken "
                               "(an event before it was removed, altered or inserted out of order)")
        if compute_hash(event) != event.hash:
            return ChainReport(False, count, event.id, "its content does not match its hash (it was altered)")
        expected_prev = event.hash
        count += 1
    return ChainReport(True, count)


def iter_events(session: DbSession, batch_size: int = 1000) -> Iterator[Any]:
    """All events in chain order as plain rows, in keyset batches: memory stays flat however long
    the log is, and the session's identity map is left alone."""
    table = AuditEvent.__table__
    last_id = 0
    while True:
        batch = session.execute(
            select(*table.c).where(table.c.id > last_id).order_by(table.c.id).limit(batch_size)
        ).all()
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id


def verify(session: DbSession) -> ChainReport:
    return verify_chain(iter_events(session))


VERIFIED = "audit.verified"
EXPORTED = "audit.exported"


def verify_and_record(ctx: Context, *, actor: User | None, actor_label: str | None = None) -> ChainReport:
    """Verify the chain and append the result to it, so the log shows when it was last checked and
    what was found. ``actor`` None is the command line, which runs with the operator's authority."""
    if actor is not None:
        ctx.require(actor, Action.AUDIT_VERIFY)
    report = verify(ctx.session)
    with transaction(ctx.session):
        record(
            ctx, actor=actor, actor_label=actor_label, action=VERIFIED, object_type="audit", object_id=None,
            changes=created({"intact": report.intact, "count": report.count,
                             "first_broken_id": report.first_broken_id, "problem": report.problem}),
        )
    return report


def last_verification(session: DbSession) -> AuditEvent | None:
    """The newest ``audit.verified`` event (one probe of the (action, id) index)."""
    return session.scalar(
        select(AuditEvent).where(AuditEvent.action == VERIFIED).order_by(AuditEvent.id.desc()).limit(1)
    )


@dataclass(frozen=True)
class ArchiveReport:
    intact: bool
    count: int
    matched_live: int
    problem: str | None = None
    event_id: int | None = None


def _archived_event(line: str) -> Any:
    from types import SimpleNamespace

    row = json.loads(line)
    row["created_at"] = datetime.fromisoformat(row["created_at"])
    return SimpleNamespace(**row)


def verify_archive(lines: Iterable[str], session: DbSession | None = None, *, linked: bool = True,
                   batch_size: int = 1000) -> ArchiveReport:
    """Check a JSON Lines export: every line's hash is recomputed from its content and, when ``linked``
    (an export without filters is one unbroken stretch of the chain), each line links to the one
    before it. With a session, each archived hash is also compared with the live log's event of the
    same id, which proves the archive and the live log are the same record."""
    expected_prev: str | None = None
    count = matched = 0
    pending: dict[int, str] = {}

    def compare() -> str | None:
        nonlocal matched
        if session is None or not pending:
            return None
        rows = dict(session.execute(select(AuditEvent.id, AuditEvent.hash).where(AuditEvent.id.in_(list(pending)))).all())
        for event_id in sorted(pending):
            if rows.get(event_id) != pending[event_id]:
                return f"event {event_id} differs from the live log ({'absent' if event_id not in rows else 'other hash'})"
            matched += 1
        pending.clear()
        return None

    for line in lines:
        if not line.strip():
            continue
        event = _archived_event(line)
        if compute_hash(event) != event.hash:
            return ArchiveReport(False, count, matched, "its content does not match its hash", event.id)
        if linked and expected_prev is not None and event.prev_hash != expected_prev:
            return ArchiveReport(False, count, matched, "it does not link to the line before it", event.id)
        expected_prev = event.hash
        count += 1
        pending[event.id] = event.hash
        if len(pending) >= batch_size and (problem := compare()):
            return ArchiveReport(False, count, matched, problem, None)
    if problem := compare():
        return ArchiveReport(False, count, matched, problem, None)
    return ArchiveReport(True, count, matched)
