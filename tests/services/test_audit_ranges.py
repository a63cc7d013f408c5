"""``audit.verify`` by ranges of ids (issue 15): checked in parallel processes or range by range in
this one, it reports exactly what the serial walk from the first event reports — the same first
broken event, the same problem, the same count, head and checkpoint — wherever the chain is broken:
in the first range, in the middle of one, at a border between two, in the last, or not at all."""
from __future__ import annotations

import itertools
import json
import re
import time
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import AuditEvent
from factcheck.services import audit, audit_ranges
from factcheck.services.db import transaction
from tests.security.test_audit_attacks import owner  # noqa: F401  (the attacker's fixture)
from tests.support.context import ctx

EVENTS = 24
RANGE = 6  # ids per range: 4 ranges of 6 events, so a break can sit at a border


def _write(n: int = EVENTS) -> list[int]:
    """``n`` events, a few per commit (each commit anchors its head: the checkpoint is the last)."""
    for start in range(0, n, 4):
        with transaction(db.session):
            for i in range(start, min(start + 4, n)):
                audit.record(ctx(), actor=None, actor_label="system", action="test.event", object_type="test",
                             object_id=i, changes={"n": {"before": None, "after": i}, "text": {"after": "é \"q\""}})
    return list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def _serial() -> audit.ChainReport:
    """The reference: one walk from the first event, as ``verify`` did before the ranges."""
    context = ctx()
    report = audit._walk(audit._chain_rows(db.session), context.settings.audit_key, context.checkpoints.highest())
    db.session.rollback()
    return report


def _reports() -> dict[str, audit.ChainReport]:
    reports = {}
    for name, options in {"in process, by ranges": {"processes": 1, "range_size": RANGE},
                          "in process, one range": {"processes": 1},
                          "two processes": {"processes": 2, "range_size": RANGE},
                          "two processes, odd ranges": {"processes": 2, "range_size": 5}}.items():
        reports[name] = audit.verify(ctx(), **options)
        db.session.rollback()
    return reports


def _same_as_serial() -> audit.ChainReport:
    expected = _serial()
    for name, report in _reports().items():
        assert report == expected, name
    return expected


def test_an_intact_chain_verifies_the_same_by_ranges(app):
    ids = _write()
    report = _same_as_serial()
    assert report.intact and report.count == EVENTS and report.head is not None and report.head.id == ids[-1]
    assert report.checkpoint is not None and report.checkpoint.id == ids[-1]


# Positions (0-based) of the altered event: the first of all, inside the first range, the last of a
# range and the first of the next (the border), the middle of the chain, the very last.
POSITIONS = [0, 3, RANGE - 1, RANGE, 2 * RANGE + 2, EVENTS - 1]


@pytest.mark.parametrize("position", POSITIONS)
def test_an_altered_event_is_named_as_the_serial_walk_names_it(app, owner, position):  # noqa: F811
    ids = _write()
    owner.disable_triggers()
    owner("UPDATE audit_events SET actor_label = 'someone else' WHERE id = :id", id=ids[position])
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[position] and "altered" in report.problem
    assert report.count == position


# Each column the hash covers, given another value: texts with the characters JSON escapes (and that,
# left unescaped, would carry a key into the next field), a NULL made a text, the time moved by a
# microsecond, an integer moved by one. PostgreSQL's payload puts the quotation marks around a text into
# the literals beside it (``PAYLOAD``), so a quotation mark of the text's own must still be escaped.
ALTERED_COLUMNS = [
    ("action", "test.event\""),
    ("actor_label", 'system","actor_label":"system'),
    ("actor_label", "system\\"),
    ("object_type", 'test","object_id":1,"object_type":"test'),
    ("ip_address", "127.0.0.1"),
    ("request_id", 'r","seq":1}'),
    ("changes", json.dumps({"n": {"before": None, "after": 10}, "text": {"after": "é \"q\""}})),
    ("object_id", 10),
    ("created_at", None),
]


@pytest.mark.parametrize(("column", "value"), ALTERED_COLUMNS, ids=[f"{c}-{i}" for i, (c, _v) in enumerate(ALTERED_COLUMNS)])
def test_every_column_the_hash_covers_altered_is_named_as_the_serial_walk_names_it(app, owner, column, value):  # noqa: F811
    ids = _write()
    position = RANGE + 3
    owner.disable_triggers()
    if column == "created_at":  # a microsecond later, as each database keeps its time
        moved = ("created_at + interval '1 microsecond'" if db.engine.dialect.name == "postgresql"
                 else "substr(created_at, 1, 25) || ((substr(created_at, 26, 1) + 1) % 10)")
        owner(f"UPDATE audit_events SET created_at = {moved} WHERE id = :id", id=ids[position])
    else:
        owner(f"UPDATE audit_events SET {column} = :value WHERE id = :id", value=value, id=ids[position])
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[position] and "altered" in report.problem
    assert report.count == position


@pytest.mark.parametrize("column", ["action", "actor_label", "object_type"])
def test_a_text_replaced_by_its_own_escaped_form_is_named_as_the_serial_walk_names_it(app, owner, column):  # noqa: F811
    """A text holding a quotation mark and a backslash, replaced by the form they take escaped in the
    payload: put into the payload unescaped, the new text would give the very bytes the key's holder
    MACed, and the event would pass. The database must escape each text it puts in (``PAYLOAD``; the
    request's texts go through the same helper)."""
    odd = 'say "hi" \\ there'
    with transaction(db.session):  # the one text of the one event, so that nothing else leaves its window
        for i in range(EVENTS):
            texts = {"action": "plain", "actor_label": "plain", "object_type": "plain"}
            texts[column] = odd if i == RANGE + 3 else texts[column]
            audit.record(ctx(), actor=None, object_id=i, **texts)
    ids = list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))
    db.session.rollback()
    owner.disable_triggers()
    escaped = json.dumps(odd, ensure_ascii=False)[1:-1]
    owner(f"UPDATE audit_events SET {column} = :value WHERE id = :id", value=escaped, id=ids[RANGE + 3])
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[RANGE + 3] and "altered" in report.problem


@pytest.mark.parametrize("position", POSITIONS[1:])
def test_a_removed_event_is_named_as_the_serial_walk_names_it(app, owner, position):  # noqa: F811
    ids = _write()
    owner.disable_triggers()
    owner("DELETE FROM audit_events WHERE id = :id", id=ids[position])
    report = _same_as_serial()
    if position == EVENTS - 1:  # the tail: only the checkpoint knows
        assert not report.intact and report.first_broken_id is None and "deleted" in report.problem
    else:
        assert not report.intact and report.first_broken_id == ids[position + 1] and "link" in report.problem


@pytest.mark.parametrize("position", [RANGE - 1, RANGE, 2 * RANGE + 2])
def test_a_chain_recomputed_unkeyed_from_a_range_on_is_named_as_the_serial_walk_names_it(app, owner, position):  # noqa: F811
    """A downgrade: every link holds from the rewritten event on, each range holds on its own; only
    the keyed events of the ranges before betray it."""
    ids = _write()
    rows = list(db.session.execute(select(*AuditEvent.__table__.c).order_by(AuditEvent.id)))
    owner.disable_triggers()
    prev = rows[position].prev_hash
    for row in rows[position:]:
        event = SimpleNamespace(**row._asdict())
        event.prev_hash, event.hash_alg = prev, "sha256"
        event.hash = prev = audit.compute_hash(event)
        owner("UPDATE audit_events SET prev_hash = :prev, hash = :hash, hash_alg = 'sha256' WHERE id = :id",
              prev=event.prev_hash, hash=event.hash, id=row.id)
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[position] and "downgrade" in report.problem


def test_a_renumbered_range_is_named_as_the_serial_walk_names_it(app, owner):  # noqa: F811
    """The events of one range shifted by one position: consistent inside the range, not at its border
    (and their hashes, which cover ``seq``, no longer hold)."""
    ids = _write()
    owner.disable_triggers()
    for event_id in reversed(ids[RANGE:2 * RANGE]):
        owner("UPDATE audit_events SET seq = seq + 1000 WHERE id = :id", id=event_id)
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[RANGE] and "position" in report.problem


def test_a_checkpoint_that_does_not_match_is_named_as_the_serial_walk_names_it(app):
    """The checkpoint names another event at a position in the second range: the log was rewritten."""
    ids = _write()
    last = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.id == ids[-1]))
    path = app.config["FACTCHECK_AUDIT_CHECKPOINT_FILE"]
    with open(path, "w", encoding="utf-8") as lines:
        lines.write(json.dumps({"id": ids[-1], "hash": last, "seq": RANGE + 2}) + "\n")
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[RANGE + 1] and "checkpointed" in report.problem


@pytest.mark.parametrize(("after_id", "up_to_id", "size", "ramp"), [
    (0, 50_250, 5_000, 4), (0, 9_000, 5_000, 4), (7, 30, 4, 4), (0, 3, 4, 4), (0, 10, 1, 4), (0, 24, 4, 0),
    (5, 6, 5_000, 4), (0, 1_000_000, 5_000, 4)])
def test_windows_cover_every_id_once_growing_to_the_batch_and_shrinking_at_the_end(after_id, up_to_id, size, ramp):
    bounds = audit_ranges.windows(after_id, up_to_id, size, ramp)
    assert bounds[0][0] == after_id and bounds[-1][1] == up_to_id
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    sizes = [end - start for start, end in bounds]
    assert all(0 < each <= size for each in sizes)
    if ramp and up_to_id - after_id > 4 * size:
        assert sizes[:ramp] == sizes[-ramp:][::-1] == [max(1, size >> shift) for shift in range(ramp, 0, -1)]
        assert sizes[ramp:-ramp].count(size) >= len(sizes) - 2 * ramp - 1
    if not ramp:
        assert sizes[:-1] == [size] * (len(sizes) - 1)


@pytest.mark.parametrize("position", [0, 3, RANGE])
def test_a_link_holding_quotes_and_backslashes_is_named_as_the_serial_walk_names_it(app, owner, window, position):  # noqa: F811
    """PostgreSQL's payload takes the link as it is stored, unescaped (``PAYLOAD``): a link that is not
    the hash before it, whatever it holds, is still the broken link the serial walk names."""
    ids = _write()
    owner.disable_triggers()
    owner("UPDATE audit_events SET prev_hash = :prev WHERE id = :id", id=ids[position],
          prev='a\\"b","prev_hash":"' + "0" * 40)
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[position] and "link" in report.problem
    assert report.count == position


def test_ranges_cover_every_id_once():
    assert audit_ranges.plan(1, 24, 2, 6) == [(0, 6), (6, 12), (12, 18), (18, 24)]
    assert audit_ranges.plan(5, 9, 4, None) == [(4, 5), (5, 6), (6, 7), (7, 8), (8, 9)]
    bounds = audit_ranges.plan(3, 1000, 3, None)
    assert bounds[0][0] == 2 and bounds[-1][1] == 1000
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))


def test_the_database_builds_the_canonical_payload_of_what_the_app_writes(app, make, clock):
    """Every event the app writes, odd text and a whole second included, holds in its range on its own:
    the database-built payload is the canonical one (no event is left to the slower serial walk)."""
    from tests.services.test_audit_verify_speed import _record_odd_events

    make.final_claim()
    _record_odd_events(clock)
    context = ctx()
    connection = db.session.connection()
    result = audit_ranges.check_range(connection.connection.driver_connection, connection.dialect.name,
                                      context.settings.audit_key, None, 0, 10**12, batch=3)
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert not result.broken and result.count == total and result.first_seq == 1


# ---- windows: a window of ids comes back as one row (payloads, hashes, links, positions joined) -------


@pytest.fixture(params=[(4, None), (4, 0), (None, None)],
                ids=["windows of 4 ids, the first and last smaller", "windows of 4 ids", "one window"])
def window(request, monkeypatch):
    """Windows of 4 ids (so a break can sit at a window's border, and windows straddle the ranges of
    6), with the smaller windows at each end of a range (``RAMP``: 1, 1, 1, 2 ids) or without them,
    or the default size (the whole chain in one window)."""
    size, ramp = request.param
    if size:
        monkeypatch.setattr(audit_ranges, "BATCH", size)
    if ramp is not None:
        monkeypatch.setattr(audit_ranges, "RAMP", ramp)
    return size


def _taken_whole(monkeypatch) -> list[bool]:
    """Whether each window was taken as a whole (False: read again row by row)."""
    taken: list[bool] = []
    window = audit_ranges._RangeCheck.window

    def spy(self, values):
        reason = window(self, values)
        taken.append(reason is None)
        return reason

    monkeypatch.setattr(audit_ranges._RangeCheck, "window", spy)
    return taken


@pytest.mark.parametrize("position", [0, 3, 4, 5, 13, EVENTS - 1])
def test_an_altered_event_inside_a_window_is_named_as_the_serial_walk_names_it(app, owner, window, position):  # noqa: F811
    ids = _write()
    owner.disable_triggers()
    owner("UPDATE audit_events SET changes = :changes WHERE id = :id", id=ids[position],
          changes=json.dumps({"n": {"before": None, "after": 999}}, separators=(",", ":"), sort_keys=True))
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[position] and "altered" in report.problem


def test_an_intact_chain_is_taken_window_by_window(app, monkeypatch, window):
    ids = _write()
    taken = _taken_whole(monkeypatch)
    report = audit.verify(ctx(), processes=1, range_size=RANGE)
    assert report.intact and report.count == EVENTS and report.head.id == ids[-1]
    if audit_ranges.WHOLE_WINDOWS[db.engine.dialect.name]:  # else the windows come as rows
        assert taken and all(taken)


def test_an_event_that_carries_the_separator_and_one_with_no_payload_are_named_as_the_serial_walk_names_them(
        app, owner, window):  # noqa: F811
    """The payloads are joined by the byte 0x01: an event whose payload holds it would split in two,
    and one whose payload the database does not build would leave a gap; neither may shift the
    payloads against the hashes. PostgreSQL leaves a control character in a text as it is; SQLite
    only in ``changes``, which the serial walk cannot decode then (it raises, as before the
    windows): there the range's own check is asked."""
    ids = _write()
    owner.disable_triggers()
    if db.engine.dialect.name == "postgresql":
        owner("UPDATE audit_events SET actor_label = :label WHERE id = :id", id=ids[2], label="a\u0001b")
        owner("UPDATE audit_events SET changes = '7' WHERE id = :id", id=ids[3])
        report = _same_as_serial()
        assert not report.intact and report.first_broken_id == ids[2]
        return
    owner("UPDATE audit_events SET changes = :changes WHERE id = :id", id=ids[2], changes='{"n":"\u0001"}')
    owner("UPDATE audit_events SET changes = 7 WHERE id = :id", id=ids[3])  # an integer: no payload built
    context = ctx()
    connection = db.session.connection()
    result = audit_ranges.check_range(connection.connection.driver_connection, "sqlite", context.settings.audit_key,
                                      None, 0, ids[-1])
    assert result.broken and result.count == 2


def test_a_hash_holding_two_and_one_holding_none_are_named_as_the_serial_walk_names_them(app, owner, window):  # noqa: F811
    """The hashes are joined by commas: one event's hash made of two hashes and the next one's
    emptied give the same joined text, and must not pass for it."""
    if db.engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL's hash column holds 64 characters: no room for two")
    ids = _write()
    hashes = dict(db.session.execute(select(AuditEvent.id, AuditEvent.hash)).all())
    owner.disable_triggers()
    owner("UPDATE audit_events SET hash = :hash WHERE id = :id", id=ids[1], hash=f"{hashes[ids[1]]},{hashes[ids[2]]}")
    owner("UPDATE audit_events SET hash = '' WHERE id = :id", id=ids[2])
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[1]


def test_two_events_that_swap_ids_are_named_as_the_serial_walk_names_them(app, owner, window):  # noqa: F811
    """The windows take the events in id order, as the serial walk does."""
    ids = _write()
    owner.disable_triggers()
    spare = ids[-1] + 1000
    owner("UPDATE audit_events SET id = :spare WHERE id = :id", spare=spare, id=ids[2])
    owner("UPDATE audit_events SET id = :id WHERE id = :other", id=ids[2], other=ids[3])
    owner("UPDATE audit_events SET id = :other WHERE id = :spare", other=ids[3], spare=spare)
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[2] and "link" in report.problem


def test_an_unkeyed_chain_is_read_row_by_row_and_verifies_as_the_serial_walk_says(app, owner, monkeypatch, window):  # noqa: F811
    """Events from before the chain was keyed (plain SHA-256, no position in the payload) are not
    taken by a window; row by row they verify as before."""
    _write()
    rows = list(db.session.execute(select(*AuditEvent.__table__.c).order_by(AuditEvent.id)))
    owner.disable_triggers()
    prev = rows[0].prev_hash
    for row in rows:
        event = SimpleNamespace(**row._asdict())
        event.prev_hash, event.hash_alg = prev, "sha256"
        event.hash = prev = audit.compute_hash(event)
        owner("UPDATE audit_events SET prev_hash = :prev, hash = :hash, hash_alg = 'sha256' WHERE id = :id",
              prev=event.prev_hash, hash=event.hash, id=row.id)
    path = app.config["FACTCHECK_AUDIT_CHECKPOINT_FILE"]
    with open(path, "w", encoding="utf-8") as lines:
        lines.write(json.dumps({"id": rows[-1].id, "hash": prev, "seq": rows[-1].seq}) + "\n")
    taken = _taken_whole(monkeypatch)
    report = _same_as_serial()
    assert report.intact and report.count == EVENTS
    assert not any(taken)


def test_the_window_payload_is_the_payload_the_rows_are_read_with(app, make, clock):
    """For every event the app writes (odd text, no actor, a whole second), the payload the windows
    build is byte for byte the one the row-by-row check builds (and that is the canonical one)."""
    from tests.services.test_audit_verify_speed import _record_odd_events

    make.final_claim()
    _record_odd_events(clock)
    dialect = db.session.get_bind().dialect.name
    if not audit_ranges.WHOLE_WINDOWS[dialect]:
        pytest.skip("PostgreSQL's windows come as rows, with PAYLOAD")
    window, rows = audit_ranges.WINDOW_PAYLOAD, audit_ranges.PAYLOAD[dialect]
    total, same = db.session.execute(sa.text(
        f"SELECT count(*), sum(CASE WHEN ({window}) = ({rows}) THEN 1 ELSE 0 END) FROM audit_events")).one()
    assert total > 5 and same == total


def test_windows_of_one_event_are_taken_whole(app, monkeypatch):
    ids = _write(5)
    monkeypatch.setattr(audit_ranges, "BATCH", 1)
    taken = _taken_whole(monkeypatch)
    report = audit.verify(ctx(), processes=1)
    assert report.intact and report.count == 5 and report.head.id == ids[-1]
    if audit_ranges.WHOLE_WINDOWS[db.engine.dialect.name]:
        assert taken == [True] * 5


def test_a_window_read_row_by_row_says_why_in_the_log_and_the_report(app, make, caplog):
    """An event stored in another form than the app writes verifies, by the slower way: which way,
    for which ids and why is logged and kept in the report (it was silent)."""
    from tests.services.test_audit_verify_speed import _append_raw

    _write(8)
    changes = {"status": {"before": "open", "after": "assigned"}}
    event_id = _append_raw(json.dumps(changes), changes)  # spaces: not the text the app writes
    with caplog.at_level("WARNING", logger="factcheck.services"):
        report = audit.verify(ctx(), processes=1)
    assert report.intact and report.head is not None and report.head.id == event_id
    assert report == _serial()  # the reasons are no part of the finding
    spans = [re.match(r"ids (\d+) to (\d+): (.+)", line).groups() for line in report.slow_reads]
    assert any(int(first) <= event_id <= int(last) for first, last, _why in spans)
    why = "misses its event's hash" if audit_ranges.WHOLE_WINDOWS[db.engine.dialect.name] else "walked one by one"
    assert any(why in reason for _first, _last, reason in spans)
    logged = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert any(why in message for message in logged)


def test_an_intact_chain_the_app_wrote_takes_no_slower_way(app):
    _write()
    report = audit.verify(ctx(), processes=1, range_size=RANGE)
    assert report.intact and report.slow_reads == ()


def test_sqlite_reads_each_window_in_id_order(app):
    """The window's aggregates take the rows as SQLite visits them: by the search of the rowid (the
    id) range, in id order, and no index may take its place (``NOT INDEXED``)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's windows come as rows, ORDER BY id")
    cursor = db.session.connection().connection.driver_connection.cursor()
    try:
        assert audit_ranges.windows_in_id_order(cursor)
    finally:
        cursor.close()


# Times as another writer may have stored them: the app's form (a fraction, a zero fraction), and
# forms ``audit._iso`` does not read as the app's (no fraction, a 'T', a short fraction, seconds cut).
STORED_TIMES = ["2024-03-01 12:00:00.000000", "2024-03-01 12:00:00.000001", "2024-03-01 12:00:00.100000",
                "2024-12-31 23:59:59.999999", "2024-03-01 12:00:00", "2024-03-01T12:00:00.000000",
                "2024-03-01 12:00:00.1000000", "2024-03-01 12:00:00.12345", "2024-03-01 12:00.000000.0"]


@pytest.mark.parametrize("stored", STORED_TIMES)
def test_the_window_payload_writes_a_stored_time_as_the_serial_walk_reads_it(app, stored):
    """The window's time is the one ``audit._iso`` writes for the stored text, or null where it reads
    no time the app writes (the payload then misses its hash): never another time."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the window payload is SQLite's")
    columns = ("SELECT 'a' AS action, NULL AS actor_id, 'x' AS actor_label, NULL AS article_id, '{}' AS changes, "
               ":stored AS created_at, NULL AS ip_address, 1 AS object_id, 'c' AS object_type, 'p' AS prev_hash, "
               "NULL AS request_id, 3 AS seq")
    built = db.session.scalar(sa.text(f"SELECT {audit_ranges.WINDOW_PAYLOAD} FROM ({columns})"), {"stored": stored})
    try:
        expected = audit._iso(stored)
    except audit._Unusual:
        expected = None  # no time the app writes: the payload misses its hash, the window is read row by row
    assert json.loads(built)["created_at"] == expected
    assert f'"created_at":{json.dumps(expected)},' in built


# ---- windows: the positions follow from the ids (issue 15, ninth round) ---------------------------


def test_an_altered_event_in_the_middle_of_a_large_window_is_named_with_its_id(app, owner, monkeypatch):  # noqa: F811
    """Hundreds of events in a window (the first windows of a range hold 312 and 625 ids): the one
    altered event in the middle of the second is found and named, and the window before it is taken
    whole."""
    ids = _write(600)
    owner.disable_triggers()
    owner("UPDATE audit_events SET actor_label = 'someone else' WHERE id = :id", id=ids[451])
    taken = _taken_whole(monkeypatch)
    report = audit.verify(ctx(), processes=1)
    assert not report.intact and report.first_broken_id == ids[451] and "altered" in report.problem
    assert report.count == 451 and report == _serial()
    if audit_ranges.WHOLE_WINDOWS[db.engine.dialect.name]:
        assert taken == [True, False]


def _checkpoint_at(app, event_id: int) -> None:
    event = db.session.get(AuditEvent, event_id)
    with open(app.config["FACTCHECK_AUDIT_CHECKPOINT_FILE"], "w", encoding="utf-8") as lines:
        lines.write(json.dumps({"id": event.id, "hash": event.hash, "seq": event.seq}) + "\n")
    db.session.rollback()


def test_ids_apart_from_their_positions_by_a_constant_are_taken_whole(app, owner, monkeypatch, window):  # noqa: F811
    """Every id moved by the same amount: the positions still follow the ids one for one, and the
    checkpoint's event is found by its position less that amount."""
    ids = _write()
    owner.disable_triggers()
    owner("UPDATE audit_events SET id = id + 1000")
    _checkpoint_at(app, ids[-1] + 1000)
    taken = _taken_whole(monkeypatch)
    report = _same_as_serial()
    assert report.intact and report.count == EVENTS and report.checkpoint.id == ids[-1] + 1000
    if audit_ranges.WHOLE_WINDOWS[db.engine.dialect.name]:
        assert taken and all(taken)


def test_a_gap_between_ids_is_read_row_by_row_and_verifies_as_the_serial_walk_says(app, owner, monkeypatch, window):  # noqa: F811
    """A window whose ids do not follow one another cannot tell its positions from its ids: it is
    read row by row, and the chain (whose links and positions still hold) verifies."""
    ids = _write()
    owner.disable_triggers()
    owner("UPDATE audit_events SET id = id + 1000 WHERE id >= :id", id=ids[10])
    _checkpoint_at(app, ids[-1] + 1000)
    taken = _taken_whole(monkeypatch)
    report = _same_as_serial()
    assert report.intact and report.count == EVENTS
    if audit_ranges.WHOLE_WINDOWS[db.engine.dialect.name]:
        assert not all(taken)
        report = audit.verify(ctx(), processes=1)
        assert any("positions do not follow its ids" in line for line in report.slow_reads)


def test_positions_that_skip_inside_a_window_are_named_as_the_serial_walk_names_them(app, owner, window):  # noqa: F811
    """One event's position moved past the last (the ids still follow one another): the positions
    less the ids differ inside the window, which is read row by row."""
    ids = _write()
    owner.disable_triggers()
    owner("UPDATE audit_events SET seq = seq + 100 WHERE id = :id", id=ids[13])
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[13] and "position" in report.problem


@pytest.mark.parametrize("ramp", [4, 0], ids=["ramped windows", "one window across the skip"])
def test_positions_that_skip_with_the_ids_are_named_as_the_serial_walk_names_them(app, owner, monkeypatch, ramp):  # noqa: F811
    """Ids and positions skip together from one event on, every hash and link written again with the
    key (the key's holder did it): each position less its id is still the same, but the ids do not
    follow one another, so a window across the skip cannot take its positions from its ids (without
    the ramp one window of 5,000 ids holds the whole chain, skip included; with it, the skip falls
    between two windows, which do not join)."""
    monkeypatch.setattr(audit_ranges, "RAMP", ramp)
    ids = _write()
    key = ctx().settings.audit_key
    rows = list(db.session.execute(select(*AuditEvent.__table__.c).order_by(AuditEvent.id)))
    owner.disable_triggers()
    prev = rows[9].hash
    for row in reversed(rows[10:]):
        owner("UPDATE audit_events SET id = id + 1000, seq = seq + 1000 WHERE id = :id", id=row.id)
    for row in rows[10:]:
        event = SimpleNamespace(**row._asdict())
        event.id, event.seq, event.prev_hash = row.id + 1000, row.seq + 1000, prev
        event.hash = prev = audit.compute_hash(event, key)
        owner("UPDATE audit_events SET prev_hash = :prev, hash = :hash WHERE id = :id",
              prev=event.prev_hash, hash=event.hash, id=event.id)
    _checkpoint_at(app, rows[-1].id + 1000)
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[10] + 1000 and "position" in report.problem
    assert report.count == 10


def _taken_by_keyed_rows(monkeypatch) -> list[bool]:
    """Whether each window of rows (PostgreSQL) was taken by ``_RangeCheck.keyed_rows`` (False: read
    again with ``_SELECT`` and walked row by row)."""
    taken: list[bool] = []
    keyed_rows = audit_ranges._RangeCheck.keyed_rows

    def spy(self, rows):
        reason = keyed_rows(self, rows)
        taken.append(reason is None)
        return reason

    monkeypatch.setattr(audit_ranges._RangeCheck, "keyed_rows", spy)
    return taken


def test_postgresql_takes_an_intact_chain_by_its_keyed_rows(app, monkeypatch, window):
    if audit_ranges.WHOLE_WINDOWS[db.engine.dialect.name]:
        pytest.skip("SQLite's windows come as one row each")
    ids = _write()
    taken = _taken_by_keyed_rows(monkeypatch)
    report = audit.verify(ctx(), processes=1, range_size=RANGE)
    assert report.intact and report.count == EVENTS and report.head.id == ids[-1] and report.slow_reads == ()
    assert taken and all(taken)


@pytest.mark.parametrize("position", [0, 3, RANGE, EVENTS - 1])
def test_a_link_and_hash_that_trade_a_character_are_named_as_the_serial_walk_names_them(
        app, owner, monkeypatch, window, position):  # noqa: F811
    """PostgreSQL sends the link and the hash as one text (``_KEYED_ROWS``): an event whose link lost
    its last character to the front of its hash would send the same 128 characters as before, and is
    still the altered event the serial walk names (its payload holds the shorter link). PostgreSQL's
    columns hold 64 characters at most, so there the link is only cut short (127 characters sent)."""
    ids = _write()
    event = db.session.get(AuditEvent, ids[position])
    prev, stored = event.prev_hash, event.hash
    db.session.rollback()
    owner.disable_triggers()
    if db.engine.dialect.name == "postgresql":
        with pytest.raises(sa.exc.DataError):  # a varchar(64)
            owner("UPDATE audit_events SET hash = :hash WHERE id = :id", hash=prev[-1] + stored, id=ids[position])
        owner("UPDATE audit_events SET prev_hash = :prev WHERE id = :id", prev=prev[:-1], id=ids[position])
    else:
        owner("UPDATE audit_events SET prev_hash = :prev, hash = :hash WHERE id = :id",
              prev=prev[:-1], hash=prev[-1] + stored, id=ids[position])
    taken = _taken_by_keyed_rows(monkeypatch)
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[position] and report.count == position
    if not audit_ranges.WHOLE_WINDOWS[db.engine.dialect.name]:
        assert False in taken


def test_an_unkeyed_event_after_keyed_ones_is_read_again_and_named_as_the_serial_walk_names_it(
        app, owner, monkeypatch, window):  # noqa: F811
    """A keyed event recomputed unkeyed (plain SHA-256, by someone without the key) in the middle of
    the chain: its window cannot be taken by its keyed rows (the payload is NULL for it), is read again
    with ``_SELECT``, and the downgrade is named as the serial walk names it."""
    ids = _write()
    row = db.session.execute(select(*AuditEvent.__table__.c).where(AuditEvent.id == ids[13])).one()
    db.session.rollback()
    event = SimpleNamespace(**row._asdict())
    event.hash_alg = "sha256"
    owner.disable_triggers()
    owner("UPDATE audit_events SET hash = :hash, hash_alg = 'sha256' WHERE id = :id",
          hash=audit.compute_hash(event), id=ids[13])
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[13] and report.count == 13


def test_the_checking_thread_hands_over_between_turns_and_keeps_every_item_in_order(monkeypatch):
    monkeypatch.setattr(audit_ranges, "HAND_OVER_EVERY", 3)
    monkeypatch.setattr(audit_ranges, "HAND_OVER_PAUSE", 0.01)
    started = time.perf_counter()
    items = list(itertools.chain.from_iterable(audit_ranges._in_turns(list(range(10)))))
    assert items == list(range(10))
    assert time.perf_counter() - started >= 0.03  # a pause before each of the three turns after the first
    assert list(audit_ranges._in_turns([])) == []


@pytest.mark.parametrize("position", [2, 13])
def test_windows_checked_in_short_turns_name_an_altered_event_as_the_serial_walk_does(app, owner, monkeypatch, position):  # noqa: F811
    monkeypatch.setattr(audit_ranges, "HAND_OVER_EVERY", 2)
    ids = _write()
    assert _same_as_serial().intact
    owner.disable_triggers()
    owner("UPDATE audit_events SET actor_label = 'someone else' WHERE id = :id", id=ids[position])
    report = _same_as_serial()
    assert not report.intact and report.first_broken_id == ids[position] and "altered" in report.problem


def _another_hash(text: str) -> str:
    """64 hexadecimal digits, none of them in their place in ``text``: a link or hash no event holds."""
    return "".join("0123456789abcdef"[("0123456789abcdef".index(c) + 1) % 16] for c in text)


# What is done to one event, and why ``_RangeCheck.keyed_rows`` then leaves its window to be read again:
# at the range's first event (its link is joined to the range before it by the caller, so a link that
# is not the hash before it only shows in its payload's MAC) and at an event inside a window.
_KEYED_ROW_FAULTS = {
    "unkeyed": ("UPDATE audit_events SET hash_alg = 'sha256' WHERE id = :id",
                "not every event in it is keyed", "not every event in it is keyed"),
    "link cut short": ("UPDATE audit_events SET prev_hash = left(prev_hash, 63) WHERE id = :id",
                       "a hash or a link is missing or not 64 characters long",
                       "a hash or a link is missing or not 64 characters long"),
    "another link": ("UPDATE audit_events SET prev_hash = :other WHERE id = :id",
                     "a payload built by the database misses its event's hash",
                     "an event does not link to the one before it or follow its position"),
    "position moved": ("UPDATE audit_events SET seq = seq + 100 WHERE id = :id",
                       "a payload built by the database misses its event's hash",
                       "an event does not link to the one before it or follow its position"),
    "content altered": ("UPDATE audit_events SET actor_label = 'someone else' WHERE id = :id",
                        "a payload built by the database misses its event's hash",
                        "a payload built by the database misses its event's hash"),
    "hash replaced": ("UPDATE audit_events SET hash = :other_hash WHERE id = :id",
                      "a payload built by the database misses its event's hash",
                      "a payload built by the database misses its event's hash"),
}


@pytest.mark.parametrize("fault", list(_KEYED_ROW_FAULTS))
@pytest.mark.parametrize("position", [RANGE, 3], ids=["the range's first event", "inside a window"])
def test_postgresql_keyed_rows_leave_a_window_with_a_tampered_event_and_say_why(app, owner, fault, position):  # noqa: F811
    """Every kind of tampering with one event stops ``_RangeCheck.keyed_rows`` at that event (its
    window is read again with ``_SELECT``, for the reason given), and the report is the serial walk's."""
    if audit_ranges.WHOLE_WINDOWS[db.engine.dialect.name]:
        pytest.skip("SQLite's windows come as one row each")
    statement, first_reason, inner_reason = _KEYED_ROW_FAULTS[fault]
    ids = _write()
    event = db.session.get(AuditEvent, ids[position])
    other, other_hash = _another_hash(event.prev_hash), _another_hash(event.hash)
    db.session.rollback()
    owner.disable_triggers()
    owner(statement, id=ids[position], other=other, other_hash=other_hash)
    expected = _serial()
    assert not expected.intact and expected.first_broken_id == ids[position]
    report = audit.verify(ctx(), processes=1, range_size=RANGE)
    assert report == expected
    reason = first_reason if position % RANGE == 0 else inner_reason
    assert any(read.endswith(f": {reason}") for read in report.slow_reads), report.slow_reads


def test_postgresql_windows_of_rows_hold_at_most_rows_batch_ids(app, monkeypatch):
    """Where windows come as rows, a window holds at most ``ROWS_BATCH`` ids (fewer than SQLite's
    ``BATCH``), and the windows still cover every event once."""
    if audit_ranges.WHOLE_WINDOWS[db.engine.dialect.name]:
        pytest.skip("SQLite's windows come as one row each")
    _write()
    monkeypatch.setattr(audit_ranges, "ROWS_BATCH", 5)
    monkeypatch.setattr(audit_ranges, "RAMP", 0)
    sizes: list[int] = []
    keyed_rows = audit_ranges._RangeCheck.keyed_rows

    def spy(self, rows):
        sizes.append(len(rows))
        return keyed_rows(self, rows)

    monkeypatch.setattr(audit_ranges._RangeCheck, "keyed_rows", spy)
    report = audit.verify(ctx(), processes=1)
    assert report.intact and report.count == EVENTS and report.slow_reads == ()
    assert sizes == [5, 5, 5, 5, 4]
