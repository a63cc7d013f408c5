"""Reading the audit trail: filters, keyset pages that use the indexes, timelines, exports, archives."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from factcheck.errors import PermissionDenied
from factcheck.extensions import db
from factcheck.models import AuditEvent, User
from factcheck.security import Action, can
from factcheck.services import audit, audit_log
from factcheck.services.audit_log import Filters
from factcheck.services.checkpoints import Head
from factcheck.services.db import transaction
from tests.support.context import ctx


def _add(n: int, action: str = "test.event", object_id: int = 1, article_id: int | None = None, actor=None) -> list[int]:
    with transaction(db.session):
        events = [audit.record(ctx(), actor=actor, action=action, object_type="test", object_id=object_id,
                               article_id=article_id) for _ in range(n)]
    return [event.id for event in events]  # events get their ids as the transaction commits


def _ids(page) -> list[int]:
    return [event.id for event in page.events]


def test_readers_are_managers_and_admins(make):
    for role in ("checker", "editor"):
        with pytest.raises(PermissionDenied):
            audit_log.list_events(db.session, viewer=make.user(role))


def test_filters_each_narrow_the_listing(make):
    manager = make.user("manager")
    editor = make.user("editor")
    claim = make.claim(editor=editor)
    other = make.article(title="Other")
    listing = lambda **kw: _ids(audit_log.list_events(db.session, viewer=manager, filters=Filters(**kw), limit=500))  # noqa: E731
    everything = listing()
    assert everything == sorted(everything, reverse=True)
    by_editor = listing(actor_id=editor.id)
    assert by_editor and all(db.session.get(AuditEvent, i).actor_id == editor.id for i in by_editor)
    by_nobody = listing(no_actor=True)
    assert by_nobody and all(db.session.get(AuditEvent, i).actor_id is None for i in by_nobody)
    assert [db.session.get(AuditEvent, i).action for i in listing(action="claim.created")] == ["claim.created"]
    assert {db.session.get(AuditEvent, i).object_type for i in listing(object_type="user")} == {"user"}
    timeline = listing(object_type="claim", object_id=claim.id)
    assert timeline and all(db.session.get(AuditEvent, i).object_id == claim.id for i in timeline)
    assert set(listing(article_id=other.id)) == {e.id for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.article_id == other.id))}
    assert listing(article_id=other.id, action="claim.created") == []


def test_the_date_range_is_inclusive_in_utc(make, clock):
    manager = make.user("manager")
    clock.set(datetime(2024, 3, 4, 23, 59, 59, tzinfo=UTC))
    (late_on_4th,) = _add(1)
    clock.set(datetime(2024, 3, 5, 0, 0, 0, tzinfo=UTC))
    on_5th = _add(2)
    clock.set(datetime(2024, 3, 7, 12, 0, tzinfo=UTC))
    (on_7th,) = _add(1)
    listing = lambda **kw: sorted(_ids(audit_log.list_events(db.session, viewer=manager, filters=Filters(**kw))))  # noqa: E731
    assert listing(date_from=date(2024, 3, 5), date_to=date(2024, 3, 5)) == on_5th
    assert listing(date_from=date(2024, 3, 4), date_to=date(2024, 3, 6)) == [late_on_4th, *on_5th]
    assert listing(date_from=date(2024, 3, 6)) == [on_7th]
    assert listing(date_from=date(2024, 3, 8)) == []
    assert late_on_4th in listing(date_to=date(2024, 3, 4))
    assert listing(date_from=date(2024, 3, 5), action="nothing") == []
    assert listing(date_from=date.min, date_to=date.max) == listing()


def test_keyset_pages_walk_both_ways(make):
    manager = make.user("manager")
    ids = _add(7, action="test.page")
    filters = Filters(action="test.page")
    first = audit_log.list_events(db.session, viewer=manager, filters=filters, limit=3)
    assert _ids(first) == ids[::-1][:3] and first.newer_after_id is None and first.older_before_id == ids[4]
    second = audit_log.list_events(db.session, viewer=manager, filters=filters, limit=3, before_id=first.older_before_id)
    assert _ids(second) == ids[::-1][3:6] and second.newer_after_id == ids[3]
    last = audit_log.list_events(db.session, viewer=manager, filters=filters, limit=3, before_id=second.older_before_id)
    assert _ids(last) == [ids[0]] and last.older_before_id is None and last.newer_after_id == ids[0]
    back = audit_log.list_events(db.session, viewer=manager, filters=filters, limit=3, after_id=last.newer_after_id)
    assert _ids(back) == _ids(second) and back.older_before_id == ids[1] and back.newer_after_id == ids[3]
    top = audit_log.list_events(db.session, viewer=manager, filters=filters, limit=3, after_id=back.newer_after_id)
    assert _ids(top) == _ids(first) and top.newer_after_id is None


def test_the_filter_vocabulary_covers_what_a_newsroom_records(make):
    make.final_claim()
    recorded = set(db.session.execute(select(AuditEvent.object_type, AuditEvent.action).distinct()))
    assert recorded <= {(kind, action) for kind, actions in audit_log.EVENT_KINDS.items() for action in actions}


def test_recorded_finds_kinds_of_event_the_vocabulary_does_not_name(make):
    make.article()
    _add(1, action="legacy.kind")
    assert audit_log.recorded(db.session, action="legacy.kind") and audit_log.recorded(db.session, object_type="test")
    assert not audit_log.recorded(db.session, action="no.such.kind")
    assert not audit_log.recorded(db.session, object_type="nothing")


def test_filter_choices_list_everyone_by_name_and_the_newest_articles_with_the_chosen_one(make, monkeypatch):
    editor = make.user("editor")
    oldest = make.article(editor, title="Oldest")
    newer = [make.article(editor, title=f"Newer {n}") for n in range(3)]
    monkeypatch.setattr(audit_log, "_FILTER_CHOICES",
                        {chosen: _with_article_limit(chosen, 2) for chosen in (False, True)})
    users = list(db.session.execute(select(User.id, User.display_name, User.email)
                                    .order_by(User.display_name, User.id)))
    plain = audit_log.filter_choices(db.session)
    assert plain.actors == [tuple(row) for row in users]
    assert plain.articles == [(newer[2].id, "Newer 2"), (newer[1].id, "Newer 1")]
    chosen = audit_log.filter_choices(db.session, oldest.id)
    assert chosen.articles == [(newer[2].id, "Newer 2"), (newer[1].id, "Newer 1"), (oldest.id, "Oldest")]
    assert audit_log.filter_choices(db.session, newer[2].id).articles == plain.articles  # listed once
    assert audit_log.filter_choices(db.session, 999_999).articles == plain.articles


def test_the_filter_choices_are_kept_until_someone_joins_or_changes_or_an_article_comes_in(make):
    editor = make.user("editor")
    make.article(editor, title="First")
    first = audit_log.filter_choices(db.session)
    assert audit_log.filter_choices(db.session) is first
    signature = audit_log._KEPT_CHOICES[db.engine][0]
    # Asked with the signature it has, the database sends the signature alone, not the lists.
    assert len(db.session.connection().execute(audit_log._FILTER_CHOICES[False], signature).all()) == 1

    newcomer = make.user("checker")
    assert audit_log.filter_choices(db.session).actors == _everyone_by_name()
    with transaction(db.session):
        db.session.get(User, newcomer.id).display_name = "Zora Renamed"
    assert audit_log.filter_choices(db.session).names[newcomer.id] == "Zora Renamed"
    assert audit_log.filter_choices(db.session).actors == _everyone_by_name()
    fresh = make.article(editor, title="Fresh")
    assert audit_log.filter_choices(db.session).articles[0] == (fresh.id, "Fresh")
    assert audit_log.filter_choices(db.session) is audit_log.filter_choices(db.session)


def _everyone_by_name() -> list[tuple[int, str, str]]:
    return [tuple(row) for row in db.session.execute(select(User.id, User.display_name, User.email)
                                                     .order_by(User.display_name, User.id))]


def _with_article_limit(chosen: bool, limit: int):
    original = audit_log._ARTICLE_CHOICES
    audit_log._ARTICLE_CHOICES = limit
    try:
        return audit_log._filter_choices_statement(chosen)
    finally:
        audit_log._ARTICLE_CHOICES = original


# ---- query plans (SQLite) ----------------------------------------------------------------------------

def _plans(app, run) -> list[str]:
    captured: list[tuple[str, object]] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        if "audit_events" in statement and not statement.lstrip().upper().startswith("EXPLAIN"):
            captured.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        run()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", on_execute)
    plans = []
    with db.engine.connect() as connection:
        for statement, parameters in captured:
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            plans.append(" | ".join(row[-1] for row in rows))
    return plans


@pytest.mark.parametrize("filters", [
    Filters(), Filters(actor_id=1), Filters(no_actor=True), Filters(action="claim.created"),
    Filters(object_type="claim", object_id=1), Filters(article_id=1),
    Filters(date_from=date(2000, 1, 1), date_to=date(2100, 1, 1)),
    Filters(article_id=1, date_from=date(2000, 1, 1), date_to=date(2100, 1, 1)),
], ids=lambda f: "-".join(f.describe()) or "none")
@pytest.mark.parametrize("listing", [audit_log.list_events, audit_log.list_lines], ids=["events", "lines"])
def test_every_listing_query_walks_an_index(app, make, filters, listing):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plans are checked on SQLite")
    manager = make.user("manager")
    make.claim()
    for before in (None, 10**6):
        plans = _plans(app, lambda before=before: listing(db.session, viewer=manager, filters=filters,
                                                          before_id=before))
        assert plans
        for plan in plans:
            assert "TEMP B-TREE" not in plan, plan  # no sort of every matching event
            for step in plan.split(" | "):
                if "audit_events" in step and step.startswith("SCAN") and filters != Filters():
                    # Without filters, "SCAN audit_events" is the walk down the primary key that stops
                    # after one page; with a filter it would be a pass over the whole table.
                    assert "INDEX" in step, plan


def test_the_pages_lines_are_the_listings_events(make):
    """``list_lines`` (the audit page's columns) pages exactly like ``list_events`` (the API's entities)."""
    manager, editor = make.user("manager"), make.user("editor")
    make.claim(editor=editor)
    _add(4, actor=None)  # nobody signed in
    _add(3, actor=editor, article_id=7)
    for filters in (Filters(), Filters(no_actor=True), Filters(actor_id=editor.id), Filters(article_id=7)):
        events = audit_log.list_events(db.session, viewer=manager, filters=filters, limit=3)
        lines = audit_log.list_lines(db.session, viewer=manager, filters=filters, limit=3)
        assert (lines.older_before_id, lines.newer_after_id) == (events.older_before_id, events.newer_after_id)
        assert [line.id for line in lines.events] == _ids(events)
        for line, event in zip(lines.events, events.events, strict=True):
            assert (line.created_at, line.action, line.object_type, line.object_id, line.article_id, line.changes,
                    line.actor_label, line.hash) == (event.created_at, event.action, event.object_type,
                                                     event.object_id, event.article_id, event.changes,
                                                     event.actor_label, event.hash)
            assert line.actor_name == (event.actor.display_name if event.actor else None)
        older = audit_log.list_lines(db.session, viewer=manager, filters=filters, limit=3,
                                     before_id=lines.older_before_id)
        assert _ids(older) == _ids(audit_log.list_events(db.session, viewer=manager, filters=filters, limit=3,
                                                         before_id=events.older_before_id))


# ---- timelines ---------------------------------------------------------------------------------------

def test_an_article_timeline_holds_everything_inside_it_oldest_first(make):
    manager = make.user("manager")
    claim = make.assigned_claim()
    found = audit_log.timeline(db.session, viewer=manager, object_type="article", object_id=claim.article_id)
    actions = [e.action for e in found.events]
    assert actions[:2] == ["article.created", "revision.created"] and "claim.assigned" in actions
    assert [e.id for e in found.events] == sorted(e.id for e in found.events)
    claim_only = audit_log.timeline(db.session, viewer=manager, object_type="claim", object_id=claim.id)
    assert {e.object_id for e in claim_only.events} == {claim.id}
    assert found.subject_label == "Tram line approved"


def test_timelines_page_on(make):
    manager = make.user("manager")
    _add(5, object_id=42)
    first = audit_log.timeline(db.session, viewer=manager, object_type="test", object_id=42, limit=2)
    assert len(first.events) == 2 and first.next_after_id == first.events[-1].id
    rest = audit_log.timeline(db.session, viewer=manager, object_type="test", object_id=42, after_id=first.next_after_id,
                              limit=10)
    assert len(rest.events) == 3 and rest.next_after_id is None


def test_an_editor_reads_the_timelines_of_the_articles_they_created(make):
    author = make.user("editor")
    claim = make.proposed_claim(editor=author)
    evidence = claim.evidence[0]
    stranger = make.user("editor")
    for obj in (claim.article, claim, evidence, claim.article.current_revision):
        assert can(author, Action.AUDIT_TIMELINE, obj)
        assert not can(stranger, Action.AUDIT_TIMELINE, obj)
    assert not can(author, Action.AUDIT_TIMELINE, None) and not can(author, Action.AUDIT_TIMELINE, author)
    assert audit_log.timeline(db.session, viewer=author, object_type="claim", object_id=claim.id).events
    with pytest.raises(PermissionDenied):
        audit_log.timeline(db.session, viewer=stranger, object_type="article", object_id=claim.article_id)
    with pytest.raises(PermissionDenied):
        audit_log.timeline(db.session, viewer=author, object_type="user", object_id=author.id)


# ---- export and archives -----------------------------------------------------------------------------

def test_export_batches_stop_below_the_export_event(make):
    manager = make.user("manager")
    _add(25, action="test.export")
    stop_below = audit_log.record_export(ctx(), actor=manager, filters=Filters(), fmt="csv")
    with db.engine.connect() as connection:
        batches = list(audit_log.export_batches(connection, Filters(), stop_below, batch_size=10))
        filtered = [row.id for batch in audit_log.export_batches(connection, Filters(action="test.export"), stop_below)
                    for row in batch]
    assert [len(b) for b in batches] == [10, 10, 6]  # the manager's user.created + 25
    assert [row.id for batch in batches for row in batch] == list(range(1, stop_below))
    assert len(filtered) == 25


def _jsonl(manager, filters: Filters | None = None) -> list[str]:
    """An export's lines, its final checkpoint line included."""
    filters = filters or Filters()
    stop_below = audit_log.record_export(ctx(), actor=manager, filters=filters, fmt="jsonl")
    with db.engine.connect() as connection:
        return "".join(audit_log.export_stream(connection, filters, stop_below, "jsonl", key=_key())).splitlines()


def _key() -> bytes:
    return ctx().settings.audit_key


def test_an_archived_export_verifies_against_the_live_chain(make):
    manager = make.user("manager")
    make.final_claim()
    lines = _jsonl(manager)
    report = audit.verify_archive(lines, db.session, key=_key())
    assert report.intact and report.count == report.matched_live == len(lines) - 1
    assert json.loads(lines[0])["prev_hash"] == "0" * 64
    filtered = _jsonl(manager, Filters(object_type="user"))
    assert audit.verify_archive(filtered, db.session, key=_key(), linked=False).intact
    assert not audit.verify_archive(filtered, db.session, key=_key()).intact  # a filtered export's lines do not link


def test_an_altered_or_foreign_archive_is_caught(make):
    manager = make.user("manager")
    make.claim()
    lines = _jsonl(manager)
    altered = json.loads(lines[2])
    altered["actor_label"] = "someone else"
    report = audit.verify_archive([*lines[:2], json.dumps(altered), *lines[3:]], db.session, key=_key())
    assert not report.intact and report.event_id == altered["id"] and "hash" in report.problem
    dropped = audit.verify_archive([*lines[:2], *lines[3:]], None, key=_key())
    assert not dropped.intact and "link" in dropped.problem
    # An archive that is consistent in itself but is not this log's: its hashes differ from the live ones.
    forged = []
    prev = "0" * 64
    events = [json.loads(line) for line in lines[:-1]]
    for row in events:
        row["ip_address"], row["prev_hash"] = "198.51.100.1", prev
        event = audit._archived_event(json.dumps(row))
        row["hash"] = prev = audit.compute_hash(event, _key())
        forged.append(json.dumps(row))
    head = Head(events[-1]["id"], events[-1]["hash"], events[-1]["seq"])
    forged.append(json.dumps(audit.archive_checkpoint(head, events=len(events), filtered=False, key=_key())))
    assert audit.verify_archive(forged, None, key=_key()).intact
    against_live = audit.verify_archive(forged, db.session, key=_key())
    assert not against_live.intact and "differs from the live log" in against_live.problem


def test_the_last_verification_comes_with_the_filter_choices_kept_or_not(make):
    editor = make.user("editor")
    make.article(editor, title="First")
    assert audit_log.choices_and_verification(db.session)[1] is None
    audit.verify_and_record(ctx(), actor=None, actor_label="cli")
    kept, first = audit_log.choices_and_verification(db.session)
    assert kept is audit_log.filter_choices(db.session)  # the lists kept, the verification read
    assert first.actor_label == "cli" and first.actor_name is None and first.changes["intact"]["after"] is True
    manager = make.user("manager")
    audit.verify_and_record(ctx(), actor=manager)
    _choices, second = audit_log.choices_and_verification(db.session, chosen_article=999_999)
    assert second.actor_name == manager.display_name and second.created_at >= first.created_at
    assert second.changes["count"]["after"] == first.changes["count"]["after"] + 2  # the first check, the manager


def test_the_unfiltered_page_is_the_choices_the_verification_and_the_lines(make):
    """``unfiltered_page`` (one statement on PostgreSQL, the choices' and the lines' selects read as
    JSON) gives what ``choices_and_verification`` and ``list_lines_as_read`` give: the same people in
    the same order, the same titles, the same verification and the same lines, values and types, on
    the first page and deeper, and the lists kept until someone joins."""
    manager = make.user("manager")
    editor = make.user("editor")
    editor.display_name = 'Zoë "<b>O\'Neil</b>" & \\ —\n'
    make.user("checker").display_name = "adam"
    make.claim(editor=editor, article=make.article(editor, title="Quotes \" ' \\ <i>x</i> ✓"))
    audit.verify_and_record(ctx(), actor=manager)
    ids = _add(70, action="test.bulk", actor=editor)
    audit_log.unfiltered_page(db.session, viewer=manager)  # the viewer loaded again after the commit
    seen: list[str] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    for before, after in ((None, None), (ids[30], None), (None, ids[10]), (ids[0] - 1_000_000, None), (None, ids[-1])):
        sa.event.listen(db.engine, "before_cursor_execute", on_execute)
        try:
            choices, verification, page = audit_log.unfiltered_page(db.session, viewer=manager, before_id=before,
                                                                     after_id=after, limit=50)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", on_execute)
        deeper = (before, after) != (None, None) and bool(page.events)
        if db.engine.dialect.name == "postgresql":
            # One statement: it also reads the log's newest and oldest ids, which say whether there are
            # events on a deeper page's other side.
            assert len(seen) == 1, seen
        else:
            # SQLite reads again only what it has not read since the last write (services.unchanged):
            # the first page was read above, the choices with it; a deeper page's lines are new.
            assert len(seen) == (0 if (before, after) == (None, None) else 1 + deeper), seen
        seen.clear()
        expected_choices, expected_verification = audit_log.choices_and_verification(db.session)
        expected = audit_log.list_lines_as_read(db.session, viewer=manager, before_id=before, after_id=after, limit=50)
        assert (choices.actors, choices.articles) == (expected_choices.actors, expected_choices.articles)
        assert verification == expected_verification and verification is not None
        assert page == expected
        assert [tuple(map(type, line)) for line in page.events] == [tuple(map(type, line)) for line in expected.events]
        assert [line.line() for line in page.events] == [line.line() for line in expected.events]
    first = audit_log.unfiltered_page(db.session, viewer=manager)[0]
    assert audit_log.unfiltered_page(db.session, viewer=manager)[0] is first  # kept
    make.user("checker")
    assert audit_log.unfiltered_page(db.session, viewer=manager)[0] is not first  # someone joined


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def test_an_unchanged_page_s_lines_are_not_read_again_on_postgresql(make):
    """On PostgreSQL the page's statement reads its lines' row versions first and the lines only when
    they are not the versions kept: an unchanged page gives the very lines read last time (the same
    list, not sent again), deeper pages and filtered ones too; a new event is on the next reading."""
    if not _postgresql():
        pytest.skip("SQLite keeps the whole page while the database is unchanged (services.unchanged)")
    manager = make.user("manager")
    ids = _add(70, action="test.bulk")
    filters = Filters(action="test.bulk")
    for before in (None, ids[30]):
        first = audit_log.unfiltered_page(db.session, viewer=manager, before_id=before)[2]
        again = audit_log.unfiltered_page(db.session, viewer=manager, before_id=before)[2]
        assert again.events is first.events and again == first and len(first.events) == 50 if before is None else first.events[0].id < before
        kept_choices = audit_log.kept_choices(db.session)
        assert kept_choices is not None
        filtered = audit_log.filtered_page(db.session, viewer=manager, filters=filters, chosen_article=None,
                                           before_id=before)[2]
        assert audit_log.filtered_page(db.session, viewer=manager, filters=filters, chosen_article=None,
                                       before_id=before)[2].events is filtered.events
        if before is None:
            top = first
    [new] = _add(1, action="test.bulk")
    newest = audit_log.unfiltered_page(db.session, viewer=manager)[2]
    assert newest.events[0].id == new and newest.events[1:] == top.events[:49]
    assert audit_log.filtered_page(db.session, viewer=manager, filters=filters,
                                   chosen_article=None)[2].events[0].id == new


def test_a_kept_page_follows_every_change_to_the_rows_it_shows_on_postgresql(make):
    """The row versions name every row a line shows: an event altered behind the app's back (the
    append-only triggers set aside), its actor renamed or its article's title changed by SQL, each is on
    the next reading, as the database holds it; a change of the reading's own transaction not committed
    yet is read and not kept, and gone after its rollback."""
    if not _postgresql():
        pytest.skip("PostgreSQL's row versions (xmin, ctid)")
    manager = make.user("manager")
    editor = make.user("editor")
    article = make.article(editor, title="Before")
    _add(3, action="test.kept", actor=editor, article_id=article.id)
    first = audit_log.unfiltered_page(db.session, viewer=manager)[2]
    assert audit_log.unfiltered_page(db.session, viewer=manager)[2].events is first.events
    db.session.rollback()  # the open read would block the DDL
    with db.engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        connection.execute(sa.text("UPDATE audit_events SET actor_label = 'altered' WHERE id = :id"),
                           {"id": first.events[1].id})
        connection.execute(sa.text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
    altered = audit_log.unfiltered_page(db.session, viewer=manager)[2]
    assert altered.events[1].actor_label == "altered" and altered.events[0] == first.events[0]
    for change, expect in (("UPDATE users SET display_name = 'Renamed' WHERE id = :editor", ("actor_name", "Renamed")),
                           ("UPDATE articles SET title = 'After' WHERE id = :article", ("article_title", "After"))):
        db.session.rollback()
        with db.engine.begin() as connection:
            connection.execute(sa.text(change), {"editor": editor.id, "article": article.id})
        line = audit_log.unfiltered_page(db.session, viewer=manager)[2].events[0]
        assert getattr(line, expect[0]) == expect[1]
    kept = audit_log.unfiltered_page(db.session, viewer=manager)[2]
    db.session.get(User, editor.id).display_name = "Uncommitted"
    db.session.flush()
    assert audit_log.unfiltered_page(db.session, viewer=manager)[2].events[0].actor_name == "Uncommitted"
    db.session.rollback()
    after = audit_log.unfiltered_page(db.session, viewer=manager)[2]
    assert after == kept and after.events[0].actor_name == "Renamed"


def test_the_log_page_decides_how_the_filtered_page_is_read(make, count_queries):
    """``log_page`` holds the log's reading strategy: nothing filtered, the unfiltered page (no
    validation); filtered, the filter validated against the choices it read (on PostgreSQL against
    those read before, then the choices and the events in one statement), an invalid filter an empty
    page with the caller's outcome."""
    manager = make.user("manager")
    editor = make.user("editor")
    _add(3, action="test.strategy", actor=editor)
    asked: list[audit_log.FilterChoices] = []

    def validate(choices: audit_log.FilterChoices) -> tuple[Filters | None, str]:
        asked.append(choices)
        return Filters(actor_id=editor.id), "valid"

    def refuse(choices: audit_log.FilterChoices) -> tuple[Filters | None, str]:
        return None, "refused"

    choices, _verification, page, outcome = audit_log.log_page(
        db.session, viewer=manager, filtered=False, chosen_article=None, validate=validate)
    assert outcome is None and not asked and len(page.events) >= 3
    audit_log.log_page(db.session, viewer=manager, filtered=True, chosen_article=None, validate=validate)
    asked.clear()  # the viewer's roles loaded, the filter's lines read once
    with count_queries() as statements:
        again, _verification, page, outcome = audit_log.log_page(
            db.session, viewer=manager, filtered=True, chosen_article=None, validate=validate)
    assert outcome == "valid" and asked == [choices] and again is choices
    assert [line.action for line in page.events] == ["test.strategy"] * 3
    # PostgreSQL: the choices and the events in one statement; SQLite: nothing, as nothing was written
    # since the last reading (services.unchanged).
    assert len(statements) == (1 if _postgresql() else 0), statements
    choices, _verification, page, outcome = audit_log.log_page(
        db.session, viewer=manager, filtered=True, chosen_article=None, validate=refuse)
    assert outcome == "refused" and page.events == [] and choices is again
    with pytest.raises(PermissionDenied):
        audit_log.log_page(db.session, viewer=editor, filtered=True, chosen_article=None, validate=refuse)
