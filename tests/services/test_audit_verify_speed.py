"""``audit.verify`` reads the chain fast (issue 15) and still checks exactly what the reference
``canonical_payload`` defines: the fast payload is byte for byte the canonical one for every event
the app writes, and an event stored in another form takes the reference path and verifies the same."""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import replace
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import HASH_ALG_KEYED, AuditEvent
from factcheck.services import audit
from factcheck.services.context import RequestInfo
from factcheck.services.db import transaction
from tests.support.context import ctx

ODD_CHANGES = [
    {},
    {"status": {"before": None, "after": "open"}, "quote": {"before": None, "after": "Ünïcødé “quotes” \\ and \"these\""}},
    {"z": 1, "a": [1, 2.5, None, True], "m": {"y": {"x": "deep"}}, "n": -7},
    {"line\nbreak": "tab\there", "emoji": "🧾", "control": "\u0001"},
]


def _record_odd_events(clock) -> None:
    """Events with every kind of value the payload holds: no actor, no request, odd text, a whole second."""
    context = ctx()
    for n, changes in enumerate(ODD_CHANGES):
        if n == 1:
            clock.set(datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC))  # no fraction: isoformat drops it
        request = RequestInfo(ip_address="203.0.113.9", request_id=f"req-{n}") if n % 2 else RequestInfo()
        audit.record(
            replace(context, request=request), actor=None, actor_label="système" if n else "system", action=f"test.odd{n}", object_type="claim",
            object_id=n or None, article_id=n * 3 or None, changes=changes)
    db.session.commit()


def test_the_fast_payload_is_the_canonical_payload_for_what_the_app_writes(app, make, clock):
    make.final_claim()
    _record_odd_events(clock)
    events = {event.id: event for event in db.session.scalars(select(AuditEvent))}
    rows = list(audit._chain_rows(db.session, batch_size=3))  # several keyset batches
    assert [row[0] for row in rows] == sorted(events)
    for row in rows:
        event = events[row[0]]
        assert audit._fast_payload(row, True) == audit.canonical_payload(event), event.action
        legacy = SimpleNamespace(**{name: getattr(event, name) for name in audit._CHAIN_COLUMNS[:-2]})
        assert audit._fast_payload(row, False) == audit.canonical_payload(legacy)
    assert audit.verify(ctx()).intact


@pytest.mark.parametrize("key", [b"k", b"x" * 64, b"a longer key than one SHA-256 block, " * 3])
def test_the_prepared_mac_is_hmac_sha256(key):
    for payload in (b"", b"{}", "é".encode() * 500):
        assert audit._Mac(key)(payload) == hmac.new(key, payload, hashlib.sha256).hexdigest()


def _append_raw(changes_text: str, changes: dict) -> int:
    """An event written by another writer: its ``changes`` stored as other JSON text than the app's
    engine writes, its hash still the HMAC of the canonical payload."""
    prev_hash, prev_seq = db.session.execute(
        select(AuditEvent.hash, AuditEvent.seq).order_by(AuditEvent.id.desc()).limit(1)).one()
    db.session.rollback()
    when = datetime(2024, 3, 2, 9, 30, 0, 123456, tzinfo=UTC)
    event = SimpleNamespace(created_at=when, actor_id=None, actor_label="importer", action="test.imported",
                            object_type="claim", object_id=1, article_id=None, changes=changes, request_id=None,
                            ip_address=None, prev_hash=prev_hash, seq=prev_seq + 1, hash_alg=HASH_ALG_KEYED)
    table = AuditEvent.__table__
    stored = sa.literal(changes_text, sa.Text)  # as it is, past the engine's JSON serializer
    with db.engine.begin() as connection:
        connection.execute(table.insert().values(
            created_at=when, actor_label="importer", action="test.imported", object_type="claim", object_id=1,
            changes=stored if connection.dialect.name == "sqlite" else sa.cast(stored, sa.JSON),
            prev_hash=prev_hash, seq=prev_seq + 1, hash_alg=HASH_ALG_KEYED,
            hash=audit.compute_hash(event, ctx().settings.audit_key)))
    return int(db.session.scalar(select(sa.func.max(AuditEvent.id))))


def test_an_event_stored_in_other_json_text_takes_the_reference_path_and_verifies(app, make):
    make.article()
    changes = {"status": {"before": "open", "after": "assigned"}, "note": {"before": None, "after": "été"}}
    other_text = json.dumps(changes)  # spaces, insertion order, \\u escapes: not the canonical text
    event_id = _append_raw(other_text, changes)
    row = next(row for row in audit._chain_rows(db.session) if row[0] == event_id)
    assert row[8] == other_text  # read as stored, so the fast payload misses …
    assert audit._fast_payload(row, True) != audit.canonical_payload(db.session.get(AuditEvent, event_id))
    report = audit.verify(ctx())  # … and the reference path decides
    assert report.intact and report.head is not None and report.head.id == event_id


def test_other_json_text_with_other_content_is_still_caught(app, make):
    make.article()
    event_id = _append_raw(json.dumps({"status": {"before": "open", "after": "final"}}),
                           {"status": {"before": "open", "after": "assigned"}})
    report = audit.verify(ctx())
    assert not report.intact and report.first_broken_id == event_id and "altered" in report.problem


CONTROL = {"note": {"before": None, "after": "line\nbreak, bell \u0007, start \u0001"}}


def _serial_walk():
    context = ctx()
    report = audit._walk(audit._chain_rows(db.session), context.settings.audit_key, context.checkpoints.highest())
    db.session.rollback()
    return report


def test_control_characters_recorded_through_the_service_verify(app, make):
    """The service stores control characters escaped (its JSON is the canonical text): both walks agree."""
    make.article()
    with transaction(db.session):
        audit.record(ctx(), actor=None, actor_label="bell \u0007", action="test.control", object_type="claim",
                     object_id=1, changes=CONTROL)
    report = audit.verify(ctx())
    assert report.intact and report == _serial_walk()


@pytest.fixture
def raw_text_changes(app):
    """PostgreSQL's json type refuses a control character left unescaped in a string: only SQLite's
    column can hold one (written by another writer, or by hand)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's json column refuses an unescaped control character")


def test_changes_holding_a_raw_control_character_verify_without_raising(app, make, raw_text_changes):
    """Stored as other JSON text than the app's (the control characters left raw), the event's
    values are still the ones MACed: the reference path decodes them (it raised JSONDecodeError)."""
    make.article()
    raw = '{"note":{"after":"line\nbreak, bell \u0007, start \u0001","before":null}}'
    event_id = _append_raw(raw, CONTROL)
    report = audit.verify(ctx())
    assert report.intact and report.head is not None and report.head.id == event_id
    assert report == _serial_walk()


def test_changes_that_are_no_json_are_named_broken_without_raising(app, make, raw_text_changes):
    make.article()
    event_id = _append_raw('{"note":{"after":"cut \u0001', CONTROL)
    report = audit.verify(ctx())
    assert not report.intact and report.first_broken_id == event_id and "altered" in report.problem
    assert report == _serial_walk()
