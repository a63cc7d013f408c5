"""The audit trail: append-only, hash-chained events written in the caller's transaction, linked
into the chain as it commits.

Every event since migration 0005 is keyed: its hash is an HMAC-SHA256 with the audit key from the
configuration (``Settings.audit_key``), over a canonical payload that includes its position ``seq``.
After the transaction that wrote events commits, the newest one (the head) is anchored outside the
database by the context's checkpoint sink (``factcheck.services.checkpoints``).
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import Enum
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    String,
    Table,
    Text,
    func,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

from factcheck.models import GENESIS_HASH, HASH_ALG_KEYED, HASH_ALG_LEGACY, AuditEvent, User
from factcheck.security.permissions import Action
from factcheck.services import bulk
from factcheck.services.checkpoints import CheckpointSink, Head
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction

logger = logging.getLogger(__name__)

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


# json.dumps with these options builds a new encoder on every call; one shared encoder gives the
# same bytes for less. CPython's C encoder, made once (no circular check: payloads are plain data),
# is faster still; ``_ENCODER`` is the portable fallback and produces the same text.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _c_encoder() -> Any:
    make = getattr(json.encoder, "c_make_encoder", None)
    try:
        return make(None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", True, False, True) \
            if make is not None else None
    except TypeError:  # another Python's signature
        return None


_C_ENCODER = _c_encoder()


def _encode(payload: dict[str, Any]) -> bytes:
    if _C_ENCODER is not None:
        return "".join(_C_ENCODER(payload, 0)).encode()
    return _ENCODER.encode(payload).encode()


def _payload(event: Any, keyed: bool) -> bytes:
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
    if keyed:
        payload["seq"] = event.seq
    return _encode(payload)


def canonical_payload(event: Any) -> bytes:
    """The bytes an event's hash is computed over: its fields as JSON with sorted keys, no spaces,
    UTF-8. A keyed event's payload also holds its position ``seq``."""
    return _payload(event, _alg(event) == HASH_ALG_KEYED)


def _alg(event: Any) -> str:
    return getattr(event, "hash_alg", None) or HASH_ALG_LEGACY


class MissingAuditKey(RuntimeError):
    """Keyed events cannot be written or checked without FACTCHECK_AUDIT_KEY."""


class _Hasher:
    """Hashes events with one key; the HMAC's keyed state is prepared once and copied per event."""

    def __init__(self, key: bytes) -> None:
        self.keyed = hmac.new(key, digestmod=hashlib.sha256) if key else None

    def __call__(self, event: Any) -> str:
        alg = _alg(event)
        if alg == HASH_ALG_KEYED:
            if self.keyed is None:
                raise MissingAuditKey("no audit key is configured (FACTCHECK_AUDIT_KEY)")
            mac = self.keyed.copy()
            mac.update(_payload(event, True))
            return mac.hexdigest()
        if alg == HASH_ALG_LEGACY:
            return hashlib.sha256(_payload(event, False)).hexdigest()
        raise ValueError(f"unknown hash algorithm {alg!r}")


@lru_cache(maxsize=8)
def _hasher(key: bytes) -> _Hasher:
    return _Hasher(key)


def compute_hash(event: Any, key: bytes | None = None) -> str:
    """The hash ``event`` should carry: HMAC-SHA256 with ``key`` for a keyed event (``hash_alg``
    'hmac-sha256'), plain SHA-256 for an event written before the chain was keyed."""
    return _hasher(key or b"")(event)


# The chain's statements as the driver takes them, on the session's connection: built and executed
# through SQLAlchemy, reading the lock and the head cost more than running them (issue 15).
_LOCK_SQL = {
    "postgresql": f"SELECT pg_advisory_xact_lock({_CHAIN_LOCK_KEY})",
    # Any write statement takes SQLite's single writer lock (waiting up to busy_timeout), even one
    # that matches no row; matching none also keeps the append-only trigger quiet.
    "sqlite": "UPDATE audit_events SET id = id WHERE 0 = 1",
}
_HEAD_SQL = "SELECT hash, seq FROM audit_events ORDER BY id DESC LIMIT 1"


def _lock_chain(session: DbSession) -> None:
    """Serialise writers of the chain until commit, so the last hash read next stays the last one
    (unless a write of this transaction took the lock already: ``chain_locked``)."""
    if _holds_chain_lock(session):
        return
    connection = session.connection()
    sql = _LOCK_SQL.get(connection.dialect.name)
    if sql is not None:
        connection.exec_driver_sql(sql)


# A write can take the chain lock in its own statement (``chain_lock_source``) and say so
# (``chain_locked``): the commit then does not send the lock's statement, one round trip fewer on
# PostgreSQL for a note, the mix's write (issue 15). Held from that write to the commit, as SQLite holds
# its writer lock from a transaction's first write anyway.
_LOCKED = "factcheck.audit_chain_locked"


def chain_lock_source(dialect_name: str) -> Any:
    """A one-row FROM item whose reading takes the chain lock (PostgreSQL), or None where the
    statement's being a write takes it (SQLite: one writer at a time)."""
    if dialect_name == "postgresql":
        return select(func.pg_advisory_xact_lock(literal_column(str(_CHAIN_LOCK_KEY))).label("chain_lock")).subquery("chain_lock")
    return None


def chain_locked(session: DbSession) -> None:
    """Say that a statement just run in the session's transaction took the chain lock: a write with
    ``chain_lock_source`` in its FROM (PostgreSQL), or any write (SQLite). Not in a savepoint, whose
    rollback would release the lock while the transaction goes on: the commit then locks as usual."""
    plain = session() if isinstance(session, scoped_session) else session
    if plain.in_nested_transaction():
        return
    root = plain.get_transaction()
    if root is not None:
        plain.info[_LOCKED] = root


def _holds_chain_lock(session: DbSession) -> bool:
    plain = session() if isinstance(session, scoped_session) else session
    locked = plain.info.pop(_LOCKED, None)
    return locked is not None and locked is plain.get_transaction()


def last_hash(session: DbSession) -> str:
    latest = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return latest or GENESIS_HASH


def _last_link(session: DbSession) -> tuple[str, int]:
    """The newest event's hash and position (read under the chain lock)."""
    latest = session.connection().exec_driver_sql(_HEAD_SQL).first()
    if latest is None:
        return GENESIS_HASH, 0
    return latest[0], latest[1] or 0


@dataclass(frozen=True, slots=True)
class _OneRow:
    sql: str
    names: tuple[str, ...]
    positional: bool
    processors: tuple[Callable[[Any], Any] | None, ...]


_ONE_ROW: dict[tuple[str, tuple[str, ...]], _OneRow] = {}


def _insert_one(session: DbSession, table: Table, row: dict[str, Any], raw: str) -> int:
    """Insert one event (its column ``raw`` bound as it is: JSON text already) and return its id, in
    one statement (INSERT … RETURNING) compiled once per dialect and columns: the usual commit writes
    one event, and reading its id back was one more statement (on PostgreSQL one more round trip)."""
    connection = session.connection()
    dialect = connection.dialect
    key = (dialect.name, tuple(row))
    plan = _ONE_ROW.get(key)
    if plan is None:
        compiled = table.insert().returning(table.c.id).compile(dialect=dialect, column_keys=list(row))
        names = tuple(compiled.positiontup or ()) if compiled.positional else tuple(compiled.binds)
        if set(names) != set(row) or compiled.escaped_bind_names:
            raise ValueError(f"cannot insert {table.name} with columns {tuple(row)!r}")
        processors = tuple(None if name == raw else table.columns[name].type.dialect_impl(dialect).bind_processor(dialect)
                           for name in names)
        plan = _ONE_ROW[key] = _OneRow(compiled.string, names, bool(compiled.positional), processors)
    values = [processor(row[name]) if processor else row[name] for name, processor in zip(plan.names, plan.processors, strict=True)]
    parameters: Any = tuple(values) if plan.positional else dict(zip(plan.names, values, strict=True))
    return int(connection.exec_driver_sql(plan.sql, parameters).scalar_one())


# ---- commit-time chaining --------------------------------------------------------------------------
# An event is recorded when the change happens but linked into the chain only as its transaction
# commits: the chain lock, which every writer of an event needs, is then held for the insert of the
# events and the COMMIT alone, never while a long transaction (an import) does its other work.

_PENDING_EVENTS = "factcheck.audit_pending"
_PENDING_HEADS = "factcheck.audit_heads"

@dataclass(frozen=True, slots=True)
class EncodedChanges:
    """An event's changes with their canonical JSON, encoded before its transaction began (by
    ``encode_changes``): an import's thousands of events then encode nothing while they hold
    the database's write lock."""

    value: dict[str, Any]
    json: bytes


def encode_changes(changes: dict[str, Any]) -> EncodedChanges:
    """``changes`` (made by ``created`` or ``diff``, so ready for JSON) with their JSON, for ``record_many``."""
    return EncodedChanges(changes, _encode(changes))


class _Pending:
    """One event recorded in a transaction and not linked yet."""

    __slots__ = ("changes_json", "clock", "event", "key", "sink", "transaction", "values")

    def __init__(self, values: dict[str, Any], event: AuditEvent | None, transaction: SessionTransaction,
                 ctx: Context, key: bytes, changes_json: bytes | None = None) -> None:
        self.values = values
        self.changes_json = changes_json
        self.event = event  # the object ``record`` returned, which learns its id, seq and hash at commit
        # The innermost transaction (a savepoint's, or the whole one) the event was recorded in:
        # rolling that back, or anything enclosing it, takes the event with it.
        self.transaction = transaction
        self.key, self.clock, self.sink = key, ctx.clock, ctx.checkpoints


def _current_transaction(session: DbSession) -> SessionTransaction:
    plain = session() if isinstance(session, scoped_session) else session
    return plain.get_nested_transaction() or plain.get_transaction() or plain.begin()


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


# Called with the session and the rows (column -> value) of the events a commit is about to insert,
# linked already, in that commit's transaction: the webhook outbox queues its deliveries here.
LinkListener = Callable[[Session, list[dict[str, Any]]], None]
_LINK_LISTENERS: list[LinkListener] = []


def on_link(listener: LinkListener) -> LinkListener:
    """Register ``listener`` to see every batch of events as its transaction commits them."""
    _LINK_LISTENERS.append(listener)
    return listener


_HEAD_FIELDS = ("action", "actor_id", "actor_label", "article_id")


class _Encoder:
    """The canonical payload's parts for one commit's events. The payload's keys are sorted: its
    changes, the bulk of its bytes, come before its time and its link, so everything up to them is
    encoded before the chain lock is taken, once, for the hash and the row alike (``unlinked``);
    under the lock only the short rest is (``linked``). Events of one commit share most of their
    fields (an import's thousands of suggestions: all but the claim), and each distinct value is
    encoded once. The bytes are exactly ``canonical_payload``'s (the chain tests recompute every
    hash from the stored event)."""

    def __init__(self) -> None:
        self._heads: dict[tuple[Any, ...], bytes] = {}
        self._texts: dict[Any, str] = {}

    def unlinked(self, item: _Pending) -> tuple[bytes, bytes]:
        """The start of the event's payload, up to and with its changes, and its changes as JSON."""
        values = item.values
        changes = item.changes_json if item.changes_json is not None else _encode(values["changes"])
        fields = tuple(values[name] for name in _HEAD_FIELDS)
        head = self._heads.get(fields)
        if head is None:
            head = self._heads[fields] = _encode(dict(zip(_HEAD_FIELDS, fields, strict=True)))[:-1] + b',"changes":'
        return head + changes + b",", changes

    def linked(self, item: _Pending, when: str, prev_hash: str, seq: int) -> bytes:
        """The rest of the payload after the changes: the time (ISO text), where and what, and the link."""
        values, text = item.values, self._text
        object_id = values["object_id"]
        return (f'"created_at":{text(when)},"ip_address":{text(values["ip_address"])},'
                f'"object_id":{"null" if object_id is None else _ENCODER.encode(object_id)},'
                f'"object_type":{text(values["object_type"])},"prev_hash":{_ENCODER.encode(prev_hash)},'
                f'"request_id":{text(values["request_id"])},"seq":{seq}}}').encode()

    def _text(self, value: str | None) -> str:
        encoded = self._texts.get(value)
        if encoded is None:
            encoded = self._texts[value] = _ENCODER.encode(value)
        return encoded


@sa_event.listens_for(Session, "before_commit")
def _link_pending(session: Session) -> None:
    """Link the transaction's events into the chain, in the order they were recorded, and insert
    them: take the chain lock, read the last link once, number and hash them, insert them all in
    one executemany. Whatever can be done before the lock is: the change's own flush and the
    encoding of the events' content. A savepoint being released links nothing: its events wait for
    the outer commit."""
    if session.in_nested_transaction():
        return
    pending: list[_Pending] = session.info.pop(_PENDING_EVENTS, None) or []
    if not pending:
        return
    session.flush()
    encoder = _Encoder()
    encoded = [encoder.unlinked(item) for item in pending]
    _lock_chain(session)
    prev_hash, seq = _last_link(session)
    last_seq = seq
    rows: list[dict[str, Any]] = []
    # The time is taken under the lock, at commit, not when the event was recorded: along the ids
    # it never goes backwards, however long a transaction ran (the audit log's date filters rely on
    # that). It is the commit's moment, one for all its events (per clock: tests give contexts their own).
    moments: dict[Callable[[], datetime], tuple[datetime, str]] = {}
    for item, (unlinked, changes) in zip(pending, encoded, strict=True):
        seq += 1
        moment = moments.get(item.clock)
        if moment is None:
            when = item.clock()
            moment = moments[item.clock] = (when, when.isoformat())
        event_hash = hmac.digest(item.key, unlinked + encoder.linked(item, moment[1], prev_hash, seq), "sha256").hex()
        rows.append({**item.values, "changes": changes.decode(), "created_at": moment[0], "prev_hash": prev_hash,
                     "hash": event_hash, "seq": seq, "hash_alg": HASH_ALG_KEYED})
        prev_hash = event_hash
    if _LINK_LISTENERS:
        linked = [{**row, "changes": item.values["changes"]} for item, row in zip(pending, rows, strict=True)]
        for listener in _LINK_LISTENERS:
            listener(session, linked)
    # Several events: the driver's executemany (pipelined on PostgreSQL), not an ORM flush, which sends
    # one statement per event on SQLite, nor a multi-row INSERT ... RETURNING, slower to bind and plan:
    # an import records thousands of events, all inside the lock. Ids are read back by seq.
    # One event (a commit of the web's forms) is inserted with its id returned.
    table = cast(Table, AuditEvent.__table__)
    heads: dict[int, tuple[CheckpointSink, int]] = {}
    for item, row in zip(pending, rows, strict=True):
        heads[id(item.sink)] = (item.sink, row["seq"])
    if len(rows) == 1:
        ids = {rows[0]["seq"]: _insert_one(session, table, rows[0], "changes")}
    else:
        bulk.insert_rows(session, table, rows, raw=("changes",))
        wanted = {row["seq"] for item, row in zip(pending, rows, strict=True) if item.event is not None}
        wanted.update(head_seq for _sink, head_seq in heads.values())
        ids = dict(session.execute(select(table.c.seq, table.c.id).where(
            table.c.seq > last_seq, table.c.seq.in_(sorted(wanted)))).all())
    for item, row in zip(pending, rows, strict=True):
        if item.event is not None:
            event = item.event
            event.id, event.created_at, event.prev_hash, event.seq, event.hash = (
                ids[row["seq"]], row["created_at"], row["prev_hash"], row["seq"], row["hash"])
    for sink, head_seq in heads.values():
        head_row = rows[head_seq - last_seq - 1]
        _remember_head(session, sink, Head(ids[head_seq], head_row["hash"], head_seq))


def _remember_head(session: DbSession, sink: CheckpointSink, head: Head) -> None:
    """Keep the highest head this transaction wrote, for the checkpoint after its commit."""
    pending: dict[int, tuple[CheckpointSink, Head]] = session.info.setdefault(_PENDING_HEADS, {})
    current = pending.get(id(sink))
    if current is None or head.seq > current[1].seq:
        pending[id(sink)] = (sink, head)


@sa_event.listens_for(Session, "after_commit")
def _anchor_heads(session: Session) -> None:
    """After a commit that wrote audit events, anchor its head outside the database. A store that
    fails is logged, not raised: the change is committed already, and the next commit's head pins
    this one too (every hash covers the one before)."""
    pending = session.info.pop(_PENDING_HEADS, None)
    for sink, head in (pending or {}).values():
        try:
            sink.record(head)
        except Exception:
            logger.exception("could not anchor the audit head %s in %s", head.describe(), sink.describe())


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction: SessionTransaction) -> None:
    """A rollback takes back the events recorded inside what it rolled back (a savepoint's: only
    those recorded in the savepoint), and the heads waiting for a checkpoint: anchoring an event that
    was rolled back would be a false alarm, while a head not anchored is only covered by the next one."""
    pending: list[_Pending] | None = session.info.get(_PENDING_EVENTS)
    if pending:
        session.info[_PENDING_EVENTS] = [item for item in pending
                                         if not _within(item.transaction, previous_transaction)]
    session.info.pop(_PENDING_HEADS, None)


@sa_event.listens_for(Session, "after_transaction_end")
def _drop_unfinished(session: Session, transaction: SessionTransaction) -> None:
    """A session closed without committing (``close()``, ``remove()``) ends its transaction without
    a rollback event; its unlinked events must not ride along with the session's next commit."""
    if transaction.parent is None:
        session.info.pop(_PENDING_EVENTS, None)
        session.info.pop(_LOCKED, None)


def _queue(ctx: Context, values: list[dict[str, Any]], events: list[AuditEvent] | None = None,
           changes_json: list[bytes | None] | None = None) -> None:
    key = ctx.settings.audit_key
    if not key:
        raise MissingAuditKey("no audit key is configured (FACTCHECK_AUDIT_KEY)")
    session = ctx.session
    transaction = _current_transaction(session)
    pending: list[_Pending] = session.info.setdefault(_PENDING_EVENTS, [])
    pending.extend(_Pending(row, events[index] if events else None, transaction, ctx, key,
                            changes_json[index] if changes_json else None)
                   for index, row in enumerate(values))


def _label(actor: User | None, actor_label: str | None) -> str:
    return actor_label if actor_label is not None else (actor.email if actor is not None else "system")


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
    """Record one event of the caller's transaction, to be committed together with the change it
    describes. It is linked into the chain and inserted as that transaction commits (the returned
    object, which stays outside the session, learns its ``id``, ``seq``, ``hash`` and time then),
    or dropped with it."""
    if not ctx.settings.audit_key:
        raise MissingAuditKey("no audit key is configured (FACTCHECK_AUDIT_KEY)")
    values = {
        "actor_id": actor.id if actor is not None else None, "actor_label": _label(actor, actor_label),
        "action": action, "object_type": object_type, "object_id": object_id, "article_id": article_id,
        "changes": _jsonable(changes or {}), "request_id": ctx.request.request_id,
        "ip_address": ctx.request.ip_address,
    }
    event = AuditEvent(**values, hash_alg=HASH_ALG_KEYED)
    _queue(ctx, [values], [event])
    return event


def record_many(
    ctx: Context,
    *,
    actor: User | None,
    action: str,
    object_type: str,
    objects: Iterable[tuple[int | None, dict[str, Any] | EncodedChanges]],
    article_id: int | None = None,
    actor_label: str | None = None,
) -> int:
    """Record one event per ``(object_id, changes)`` of ``objects``, as ``record`` would, for a
    write of thousands of rows (an import's suggested claims): no object is built for each, and
    the changes, made by ``created`` or ``diff`` (so ready for JSON), are taken as they are, or
    as ``encode_changes`` encoded them before the transaction. Returns how many were recorded."""
    if not ctx.settings.audit_key:
        raise MissingAuditKey("no audit key is configured (FACTCHECK_AUDIT_KEY)")
    common = {"actor_id": actor.id if actor is not None else None, "actor_label": _label(actor, actor_label),
              "action": action, "object_type": object_type, "article_id": article_id,
              "request_id": ctx.request.request_id, "ip_address": ctx.request.ip_address}
    values: list[dict[str, Any]] = []
    encoded: list[bytes | None] = []
    for object_id, changes in objects:
        if isinstance(changes, EncodedChanges):
            values.append({**common, "object_id": object_id, "changes": changes.value})
            encoded.append(changes.json)
        else:
            values.append({**common, "object_id": object_id, "changes": changes})
            encoded.append(None)
    _queue(ctx, values, changes_json=encoded)
    return len(values)


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    count: int
    first_broken_id: int | None = None
    problem: str | None = None
    head: Head | None = None  # the newest event verified
    checkpoint: Head | None = None  # the highest head anchored outside the database, if any
    # Where verification took a slower way than the database-built payloads, and why (an event
    # stored in another form, a statement that failed, a broken event); not part of the finding.
    slow_reads: tuple[str, ...] = field(default=(), compare=False)


# Slow reads reported at most (by the command and the job): a chain stored in another form
# throughout gives a few per range.
SLOW_READS_SHOWN = 10


def _link_problem(event: Any, expected_prev: str, position: int) -> str | None:
    if event.prev_hash != expected_prev:
        return ("its link to the previous event is broken "
                "(an event before it was removed, altered or inserted out of order)")
    if event.seq != position:
        return (f"its position is seq {event.seq} where seq {position} belongs "
                "(events before it were removed or inserted, or it was renumbered)")
    return None


def _hash_problem(event: Any, hasher: _Hasher, keyed_seen: bool) -> str | None:
    alg = _alg(event)
    if alg == HASH_ALG_LEGACY and keyed_seen:
        return ("it carries an unkeyed SHA-256 hash after keyed events: a downgrade "
                "(the chain was recomputed from here on without the audit key)")
    try:
        expected = hasher(event)
    except MissingAuditKey:
        return "it is keyed, and no audit key is configured (FACTCHECK_AUDIT_KEY) to check it"
    except ValueError:
        return f"its hash algorithm {alg!r} is unknown"
    if not hmac.compare_digest(expected, event.hash):
        return ("its content does not match its hash (it was altered, or its hash was recomputed "
                "without the audit key)")
    return None


def _checkpoint_problem(event: Any, checkpoint: Head | None) -> str | None:
    if checkpoint is not None and event.seq == checkpoint.seq and (event.id, event.hash) != (checkpoint.id, checkpoint.hash):
        return f"it is not the checkpointed {checkpoint.describe()}: the log was rewritten up to there"
    return None


def _missing_head(checkpoint: Head, count: int) -> str:
    if count == 0:
        return (f"the log holds no events, but the checkpoint records {checkpoint.seq}, up to "
                f"{checkpoint.describe()}: the table was emptied (truncated)")
    return (f"the checkpointed head, {checkpoint.describe()}, is missing: the log ends at seq {count}, "
            f"so its last {checkpoint.seq - count} events were deleted")


# ---- verification ------------------------------------------------------------------------------
#
# ``verify`` walks a million events in seconds: it reads the columns as plain tuples in keyset
# batches (no ORM objects, no type processing, ``changes`` as the text stored) and builds each
# payload with one format from the values as they come. The stored ``changes`` text is already the
# canonical encoding when the engine wrote it with ``factcheck.canonical_json`` (the app's JSON
# serializer). An event whose fast payload does not match its hash (stored some other way: older
# rows, another writer) or holds a value of an unexpected type takes the reference path: its values
# decoded and ``canonical_payload`` built as for any event. A hash is only ever accepted when it
# matches bytes the key's holder MACed, so the fast path spares work and never accepts more.

# The columns the walk reads, in this order.
_CHAIN_COLUMNS = ("id", "created_at", "actor_id", "actor_label", "action", "object_type", "object_id",
                  "article_id", "changes", "request_id", "ip_address", "prev_hash", "hash", "hash_alg", "seq")
_quote = json.encoder.encode_basestring  # the C function the canonical encoder uses (ensure_ascii off)


class _Unusual(Exception):
    """A value the fast payload does not build; the reference path decides."""


_int = int.__repr__  # raises TypeError for anything but an int (a bool or a float goes the reference path)


def _iso(value: Any) -> str:
    """``created_at`` as ``canonical_payload`` writes it: the aware UTC time's ``isoformat``."""
    if value.__class__ is str:
        # SQLite keeps the UTC time as 'YYYY-MM-DD HH:MM:SS.ffffff'; isoformat drops a zero fraction.
        if len(value) == 26 and value[10] == " " and value[19] == ".":
            clock = value[11:19] if value.endswith("000000") else value[11:]
            return f"{value[:10]}T{clock}+00:00"
        raise _Unusual
    if value.__class__ is datetime and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    raise _Unusual


def _changes_text(value: Any) -> str:
    if value.__class__ is str:
        return value
    if value.__class__ is dict:
        return _encode(value).decode()
    raise _Unusual


def _fast_payload(row: Any, keyed: bool) -> bytes:
    """``canonical_payload`` of a row of ``_CHAIN_COLUMNS``, built by one format (keys in sorted order);
    TypeError or ``_Unusual`` for a value it does not build as the canonical encoder would."""
    (_id, created_at, actor_id, actor_label, action, object_type, object_id, article_id, changes, request_id,
     ip_address, prev_hash, _hash, _alg, seq) = row
    q, n = _quote, _int
    text = (f'{{"action":{q(action)},"actor_id":{"null" if actor_id is None else n(actor_id)},'
            f'"actor_label":{q(actor_label)},"article_id":{"null" if article_id is None else n(article_id)},'
            f'"changes":{_changes_text(changes)},"created_at":"{_iso(created_at)}",'
            f'"ip_address":{"null" if ip_address is None else q(ip_address)},'
            f'"object_id":{"null" if object_id is None else n(object_id)},"object_type":{q(object_type)},'
            f'"prev_hash":{q(prev_hash)},"request_id":{"null" if request_id is None else q(request_id)}')
    return (f'{text},"seq":{n(seq)}}}' if keyed else text + "}").encode()


class _Mac:
    """HMAC-SHA256 (RFC 2104) from two SHA-256 states prepared once: copying them per event costs less
    than ``hmac.HMAC.copy``. Equal to ``hmac.new(key, payload, sha256).hexdigest()``."""

    def __init__(self, key: bytes) -> None:
        block = 64  # SHA-256's block size
        if len(key) > block:
            key = hashlib.sha256(key).digest()
        key = key.ljust(block, b"\0")
        self.inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self.outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def __call__(self, payload: bytes) -> str:
        inner = self.inner.copy()
        inner.update(payload)
        outer = self.outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


def _aware(value: Any) -> Any:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def _event_of(row: Any) -> Any:
    """A row of ``_CHAIN_COLUMNS`` as an event with decoded values (what the ORM would give)."""
    from types import SimpleNamespace

    values = dict(zip(_CHAIN_COLUMNS, row, strict=True))
    values["created_at"] = _aware(values["created_at"])
    if isinstance(values["changes"], str):
        # Not strict: a control character another writer left unescaped decodes to the value the
        # canonical payload escapes. Text that is no JSON at all stays text: it misses the hash
        # (the app MACs an object), so the event is named altered instead of the walk raising.
        with contextlib.suppress(ValueError):
            values["changes"] = json.loads(values["changes"], strict=False)
    return SimpleNamespace(**values)


def _row_of(event: Any) -> tuple[Any, ...]:
    return tuple(getattr(event, name, None) for name in _CHAIN_COLUMNS)


def _row_head(row: Any) -> Head | None:
    """The head a walk reached: its last row of ``_CHAIN_COLUMNS`` (or the head a range ended at)."""
    if row is None or isinstance(row, Head):
        return row
    return Head(row[0], row[12], row[14])


@dataclass
class WalkState:
    """Where a walk along the chain stands: what the next event must link to and be numbered, whether
    a keyed event came already, whether the checkpointed head was passed, and the last event verified
    (a row of ``_CHAIN_COLUMNS``). A walk over ranges of the chain carries it from one to the next."""

    expected_prev: str = GENESIS_HASH
    count: int = 0
    keyed_seen: bool = False
    checkpoint_seen: bool = False
    last: Any = None


def _walk(rows: Iterable[Any], key: bytes | None, checkpoint: Head | None) -> ChainReport:
    """The chain check over rows of ``_CHAIN_COLUMNS`` in id order (see ``verify_chain``)."""
    state = WalkState()
    return _walk_on(rows, key, checkpoint, state) or _finish(state, checkpoint)


def _finish(state: WalkState, checkpoint: Head | None) -> ChainReport:
    """The report of a walk that reached the end of the chain without a broken event."""
    head = _row_head(state.last)
    if checkpoint is not None and not state.checkpoint_seen:
        return ChainReport(False, state.count, None, _missing_head(checkpoint, state.count), head, checkpoint)
    return ChainReport(True, state.count, None, None, head, checkpoint)


def _walk_on(rows: Iterable[Any], key: bytes | None, checkpoint: Head | None, state: WalkState) -> ChainReport | None:
    """Walk ``rows`` from ``state`` (which it advances): the report of the first broken event, or
    None when every row holds."""
    hasher = _hasher(key or b"")
    mac = _Mac(key) if key else None
    sha256 = hashlib.sha256
    expected_prev, count, keyed_seen, checkpoint_seen, last = (
        state.expected_prev, state.count, state.keyed_seen, state.checkpoint_seen, state.last)
    checkpoint_seq = checkpoint.seq if checkpoint is not None else None
    try:
        for row in rows:
            # The common case inline (a million events take seconds); the helpers name what went wrong.
            prev_hash, stored, seq = row[11], row[12], row[14]
            alg = row[13] or HASH_ALG_LEGACY
            if prev_hash != expected_prev or seq != count + 1:
                ok = False
            elif alg == HASH_ALG_KEYED and mac is not None:
                try:
                    ok = mac(_fast_payload(row, True)) == stored
                except (TypeError, _Unusual):
                    ok = False
                ok = ok or hasher(_event_of(row)) == stored
                keyed_seen = True
            elif alg == HASH_ALG_LEGACY and not keyed_seen:
                try:
                    ok = sha256(_fast_payload(row, False)).hexdigest() == stored
                except (TypeError, _Unusual):
                    ok = False
                ok = ok or hasher(_event_of(row)) == stored
            else:
                ok = False
            if ok and seq == checkpoint_seq:
                ok = checkpoint is not None and (row[0], stored) == (checkpoint.id, checkpoint.hash)
                checkpoint_seen = True
            if not ok:
                event = _event_of(row)
                problem = (_link_problem(event, expected_prev, count + 1)
                           or _hash_problem(event, hasher, keyed_seen)
                           or _checkpoint_problem(event, checkpoint) or "it does not verify")
                return ChainReport(False, count, row[0], problem, _row_head(last), checkpoint)
            expected_prev = stored
            count += 1
            last = row
        return None
    finally:
        state.expected_prev, state.count, state.keyed_seen, state.checkpoint_seen, state.last = (
            expected_prev, count, keyed_seen, checkpoint_seen, last)


def verify_chain(events: Iterable[Any], *, key: bytes | None = None, checkpoint: Head | None = None) -> ChainReport:
    """Walk the events in id order; name the first one whose link, position or hash does not hold,
    or the checkpointed head that is not there ("0 events" is not intact when a checkpoint exists).

    Unkeyed (legacy SHA-256) events are accepted only before the first keyed one: after it, an
    unkeyed event is a downgrade, a chain recomputed by someone without the key."""
    return _walk((_row_of(event) for event in events), key, checkpoint)


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


def _chain_rows(session: DbSession, batch_size: int = 10_000, *, after_id: int = 0,
                up_to_id: int | None = None) -> Iterator[Any]:
    """All events in chain order as tuples of ``_CHAIN_COLUMNS``, as the driver gives them: ``changes``
    as its stored text, ``created_at`` as SQLite's text or PostgreSQL's datetime. Keyset batches keep
    memory flat. The statement goes straight to the driver's cursor, in the session's transaction:
    building SQLAlchemy's rows took a third of the time a row costs (its only values are ids).
    ``after_id`` and ``up_to_id`` bound the ids read (a range of the chain)."""
    table = AuditEvent.__table__
    columns: list[Any] = [table.c[name] for name in _CHAIN_COLUMNS]
    columns[1] = type_coerce(table.c.created_at, String)
    columns[8] = sql_cast(table.c.changes, Text)
    connection = session.connection()
    cursor = connection.connection.cursor()
    try:
        last_id = after_id
        while True:
            statement = select(*columns).where(table.c.id > last_id).order_by(table.c.id).limit(batch_size)
            if up_to_id is not None:
                statement = statement.where(table.c.id <= up_to_id)
            cursor.execute(str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})))
            batch = cursor.fetchall()
            if not batch:
                return
            yield from batch
            last_id = int(batch[-1][0])
    finally:
        cursor.close()


def verify(ctx: Context, *, processes: int | None = None, range_size: int | None = None) -> ChainReport:
    """Verify the whole chain with the context's audit key, against its highest checkpoint. The
    checkpoint is read first: every head it names was committed before the walk starts.

    The chain is checked by ranges of ids (``audit_ranges``): in ``processes`` worker processes, each
    with its own connection (by default one per core once the chain holds ``PARALLEL_FROM`` events
    and they can be forked: the command line), else in this process; ``range_size`` ids per range. The report is the serial walk's either way.
    The events checked are those committed when the walk starts."""
    try:
        checkpoint = ctx.checkpoints.highest()
    except Exception as error:  # an unreadable store must not pass for an absent one
        return ChainReport(False, 0, None, f"the checkpoints ({ctx.checkpoints.describe()}) cannot be read: {error}")
    key = ctx.settings.audit_key
    session = ctx.session
    from factcheck.services import audit_ranges

    if not key or not audit_ranges.supported(session.get_bind().dialect.name):
        return _walk(_chain_rows(session), key, checkpoint)
    return _verify_by_ranges(session, key, checkpoint, processes, range_size)


# Ids per range when the ranges are checked in this process: a range that must be walked again
# (an event stored in another form than the app writes) costs at most this many (a second or two);
# each range starts its readers afresh and drains them at its end, which cost 3 % at 50,000.
_IN_PROCESS_RANGE = 200_000


def _verify_by_ranges(session: DbSession, key: bytes, checkpoint: Head | None, processes: int | None,
                      range_size: int | None) -> ChainReport:
    from sqlalchemy import func

    from factcheck.services import audit_ranges

    table = AuditEvent.__table__
    # Two probes of the primary key; a count(*) would read the whole table (on SQLite, with min
    # and max beside it, a third of a second a million events). The span of ids stands for the count.
    first_id, last_id = session.execute(
        select(select(func.min(table.c.id)).scalar_subquery(), select(func.max(table.c.id)).scalar_subquery())).one()
    if first_id is None:
        return _walk((), key, checkpoint)
    events = last_id - first_id + 1
    bind = session.get_bind()
    url = bind.engine.url
    dialect = url.get_backend_name()
    if processes is None:  # processes only where they pay: a long chain, and no spawning (see ``_context``)
        parallel = events >= audit_ranges.PARALLEL_FROM and audit_ranges.can_fork()
        processes = audit_ranges.default_processes() if parallel else 1
    if dialect == "sqlite" and url.database in (None, "", ":memory:"):
        processes = 1  # another process would open a database of its own
    anchored = (checkpoint.id, checkpoint.hash, checkpoint.seq) if checkpoint is not None else None
    results: Iterator[Any]
    extra: list[Any] = []
    if processes > 1:
        bounds = audit_ranges.plan(first_id, last_id, processes, range_size)
        results = audit_ranges.check_ranges(url.render_as_string(hide_password=False), dialect, key, anchored,
                                            bounds, processes)
    else:
        bounds = audit_ranges.plan(first_id, last_id, 1, range_size or _IN_PROCESS_RANGE)
        connection = session.connection().connection.driver_connection
        # More connections build the windows while this thread hashes (an in-memory SQLite database
        # is only this connection's).
        more = audit_ranges.READERS - 1 if not (dialect == "sqlite" and url.database in (None, "", ":memory:")) else 0
        extra = [bind.engine.raw_connection() for _ in range(more)]
        readers = [connection, *(pooled.driver_connection for pooled in extra)]
        results = (audit_ranges.check_range(connection, dialect, key, anchored, after_id, up_to_id, readers=readers)
                   for after_id, up_to_id in bounds)
    state = WalkState()
    slow_reads: list[str] = []
    try:
        for result in results:
            slow_reads.extend(result.slow_reads)
            if result.count == 0 and not result.broken:
                continue
            joins = (result.first_prev == state.expected_prev and result.first_seq == state.count + 1
                     and not (state.keyed_seen and result.legacy_seen))
            if joins and not result.broken and result.last is not None:
                last_id_, last_hash, last_seq = result.last
                state.expected_prev, state.count = last_hash, state.count + result.count
                state.keyed_seen = state.keyed_seen or result.keyed_seen
                state.checkpoint_seen = state.checkpoint_seen or result.checkpoint_seen
                state.last = Head(last_id_, last_hash, last_seq)
                continue
            # Not clean on its own, or not joined to the ranges before: the serial walk decides.
            slow_reads.append(f"ids {result.after_id + 1} to {result.up_to_id}: walked one by one "
                              f"({'not intact on its own' if result.broken else 'not joined to the ids before'})")
            logger.warning("audit verify: %s", slow_reads[-1])
            rows = _chain_rows(session, after_id=result.after_id, up_to_id=result.up_to_id)
            if (report := _walk_on(rows, key, checkpoint, state)) is not None:
                return replace(report, slow_reads=tuple(slow_reads))
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
        for pooled in extra:
            pooled.rollback()
            pooled.close()
    return replace(_finish(state, checkpoint), slow_reads=tuple(slow_reads))


VERIFIED = "audit.verified"
EXPORTED = "audit.exported"


def verify_and_record(ctx: Context, *, actor: User | None, actor_label: str | None = None) -> ChainReport:
    """Verify the chain and append the result to it, so the log shows when it was last checked and
    what was found. ``actor`` None is the command line, which runs with the operator's authority."""
    if actor is not None:
        ctx.require(actor, Action.AUDIT_VERIFY)
    report = verify(ctx)
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
    checkpoint: Head | None = None  # the head the archive's checkpoint line names


def _checkpoint_mac(values: dict[str, Any], key: bytes) -> str:
    body = {name: value for name, value in values.items() if name != "mac"}
    return hmac.new(key, _ENCODER.encode(body).encode(), hashlib.sha256).hexdigest()


def archive_checkpoint(head: Head | None, *, events: int, filtered: bool, key: bytes) -> dict[str, Any]:
    """The last line of an export: the chain's head when the export was made (the newest event
    below the export's own), how many events the file holds, and a MAC with the audit key so the
    line cannot be rewritten to match a file cut short."""
    if not key:
        raise MissingAuditKey("no audit key is configured (FACTCHECK_AUDIT_KEY)")
    values: dict[str, Any] = {"head": head.as_dict() if head else None, "events": events, "filtered": filtered}
    values["mac"] = _checkpoint_mac(values, key)
    return {"checkpoint": values}


def _archived_event(line: str) -> Any:
    from types import SimpleNamespace

    row = json.loads(line)
    row["created_at"] = datetime.fromisoformat(row["created_at"])
    return SimpleNamespace(**row)


def _checked_checkpoint(values: Any, key: bytes | None) -> tuple[Head | None, int, str | None]:
    """The head and event count of a checkpoint line, or a problem."""
    if not isinstance(values, dict) or not isinstance(values.get("mac"), str):
        return None, 0, "its checkpoint line is malformed"
    if not key:
        return None, 0, "no audit key is configured (FACTCHECK_AUDIT_KEY) to check its checkpoint line"
    if not hmac.compare_digest(_checkpoint_mac(values, key), values["mac"]):
        return None, 0, "its checkpoint line does not match its MAC (it was altered, or made with another key)"
    head = Head.from_dict(values["head"]) if values.get("head") else None
    return head, int(values.get("events", -1)), None


class _ArchiveWalk:
    """The state of one pass over an archive's lines (see ``verify_archive``)."""

    def __init__(self, session: DbSession | None, key: bytes | None, linked: bool, batch_size: int) -> None:
        self.session, self.key, self.linked, self.batch_size = session, key, linked, batch_size
        self.hasher = _hasher(key or b"")
        self.expected_prev: str | None = None
        self.expected_seq: int | None = None
        self.count = self.matched = 0
        self.pending: dict[int, str] = {}
        self.last: Head | None = None
        self.checkpoint_values: Any = None

    def report(self, problem: str, event_id: int | None = None, head: Head | None = None) -> ArchiveReport:
        return ArchiveReport(False, self.count, self.matched, problem, event_id, head)

    def compare(self) -> str | None:
        """Compare the pending hashes with the live log's events of the same ids."""
        if self.session is None or not self.pending:
            return None
        rows = dict(self.session.execute(
            select(AuditEvent.id, AuditEvent.hash).where(AuditEvent.id.in_(list(self.pending)))).all())
        for event_id in sorted(self.pending):
            if rows.get(event_id) != self.pending[event_id]:
                return f"event {event_id} differs from the live log ({'absent' if event_id not in rows else 'other hash'})"
            self.matched += 1
        self.pending.clear()
        return None

    def line(self, line: str) -> ArchiveReport | None:
        row = json.loads(line)
        if self.checkpoint_values is not None:
            return self.report("it has lines after its checkpoint line")
        if "checkpoint" in row:
            self.checkpoint_values = row["checkpoint"]
            return None
        event = _archived_event(line)
        try:
            expected = self.hasher(event)
        except (MissingAuditKey, ValueError) as error:
            return self.report(f"its hash cannot be checked: {error}", event.id)
        if not hmac.compare_digest(expected, event.hash):
            return self.report("its content does not match its hash", event.id)
        seq = getattr(event, "seq", None)
        if self.linked and self.expected_prev is not None and event.prev_hash != self.expected_prev:
            return self.report("it does not link to the line before it", event.id)
        if self.linked and None not in (self.expected_seq, seq) and seq != self.expected_seq:
            return self.report(f"its position is seq {seq} where {self.expected_seq} belongs", event.id)
        self.expected_prev = event.hash
        self.expected_seq = seq + 1 if seq is not None else None
        self.count += 1
        self.last = Head(event.id, event.hash, seq or 0)
        self.pending[event.id] = event.hash
        if len(self.pending) >= self.batch_size and (problem := self.compare()):
            return self.report(problem)
        return None

    def finish(self, require_checkpoint: bool) -> ArchiveReport:
        if problem := self.compare():
            return self.report(problem)
        if self.checkpoint_values is None:
            if require_checkpoint:
                return self.report("it ends without its checkpoint line "
                                   "(the file was cut short, or made before exports carried one)")
            return ArchiveReport(True, self.count, self.matched)
        head, events, problem = _checked_checkpoint(self.checkpoint_values, self.key)
        if problem:
            return self.report(problem)
        if events != self.count:
            return self.report(f"it holds {self.count} events where its checkpoint line counts {events} "
                               "(lines were removed or added)", None, head)
        if self.linked and head is not None and self.last is not None and self.last != head:
            return self.report(f"its last event is not the checkpointed head, {head.describe()} "
                               "(the file was cut short)", self.last.id, head)
        if self.session is not None and head is not None:
            live = self.session.scalar(select(AuditEvent.hash).where(AuditEvent.id == head.id))
            if live != head.hash:
                where = "absent from" if live is None else "different in"
                return self.report(f"its checkpointed head, {head.describe()}, is {where} the live log", None, head)
        return ArchiveReport(True, self.count, self.matched, None, None, head)


def verify_archive(lines: Iterable[str], session: DbSession | None = None, *, key: bytes | None = None,
                   linked: bool = True, require_checkpoint: bool = True, batch_size: int = 1000) -> ArchiveReport:
    """Check a JSON Lines export: every line's hash is recomputed from its content (with ``key`` for
    keyed events) and, when ``linked`` (an export without filters is one unbroken stretch of the
    chain), each line links to the one before it. The final checkpoint line must be there (unless
    ``require_checkpoint`` is False, for exports made before it existed), carry a valid MAC, count
    the lines above it, and, when linked, name the last of them: a file cut short is caught. With a
    session, each archived hash and the checkpoint's head are also compared with the live log's
    event of the same id, which proves the archive and the live log are the same record."""
    walk = _ArchiveWalk(session, key, linked, batch_size)
    for line in lines:
        if line.strip() and (report := walk.line(line)) is not None:
            return report
    return walk.finish(require_checkpoint)
