"""The claim page's reads on opening, in one go (``claim_page.read_on_opening``; one round trip on
PostgreSQL): what each of the functions that read them one at a time gives, and errors raised as the
engine raises its own."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import joinedload, selectinload

from factcheck.errors import NotFound
from factcheck.extensions import db
from factcheck.models import Claim, Evidence, Note
from factcheck.services import claim_page, claim_queries, driver_sql, evidence, notes, presence
from tests.services.test_item_pages import _page_values
from tests.support.clock import clock  # noqa: F401 - the fixture
from tests.support.context import ctx


def _claim_with_everything(make):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.proposed_claim(checker, editor=editor)
    removed = evidence.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/y", title="Y",
                                    stance="refutes")
    evidence.remove_evidence(ctx(), actor=editor, evidence=removed, reason="Not about this.")
    notes.add_note(ctx(), actor=editor, claim=claim, body="Check the minutes.")
    notes.add_note(ctx(), actor=checker, claim=claim, body="Done.")
    return claim, editor, checker


def test_opening_reads_what_the_page_read_one_statement_at_a_time(make, clock, count_queries):  # noqa: F811
    """Who else is there, nothing unread, the claim's objects (every column as the ORM's joined loading
    gives them, the session's own instances) and its history: four statements."""
    claim, _editor, checker = _claim_with_everything(make)
    presence.heartbeat(ctx(), actor=checker, claim=claim)
    viewer = make.user("editor")
    claim_id, viewer_id, checker_id = claim.id, viewer.id, checker.id
    db.session.expunge_all()
    orm = db.session.scalar(select(Claim).options(
        joinedload(Claim.article), joinedload(Claim.assignee), joinedload(Claim.proposed_by),
        selectinload(Claim.evidence).joinedload(Evidence.added_by), selectinload(Claim.evidence).joinedload(Evidence.removed_by),
        selectinload(Claim.notes).joinedload(Note.author)).where(Claim.id == claim_id))
    expected = _page_values(orm)
    history = claim_queries.claim_history(db.session, orm)
    db.session.expunge_all()
    viewer = db.session.get(type(viewer), viewer_id)
    present = presence.others_present(db.session, claim_id, viewer, clock.now)

    with count_queries() as statements:
        opened = claim_page.read_on_opening(db.session, claim_id, viewer, clock.now)
    assert len(statements) == 4, statements
    assert opened.present == present and [p.user.id for p in present] == [checker_id]
    assert not opened.unread and opened.claim is not None
    assert _page_values(opened.claim) == expected
    loaded = opened.claim
    for obj in (loaded, loaded.article, loaded.assignee, *loaded.evidence, *loaded.notes):
        assert inspect(obj).persistent and obj in db.session
    assert db.session.get(Claim, claim_id) is loaded
    assert opened.history == history and len(history.events) > 5 and not history.more


def test_a_viewer_with_something_unread_gets_no_objects_to_be_expired(make, clock):  # noqa: F811
    """Marking the notifications read commits, which would expire what was loaded: the page loads the
    claim after that, so nothing is made here."""
    checker, editor = make.user("checker"), make.user("editor")
    claim = make.assigned_claim(checker, editor=editor)  # the assignment is notified to the checker
    opened = claim_page.read_on_opening(db.session, claim.id, checker, clock.now)
    assert opened.unread and opened.claim is None and opened.history is None
    assert not claim_page.read_on_opening(db.session, claim.id, editor, clock.now).unread


def test_no_such_claim(make, clock):  # noqa: F811
    with pytest.raises(NotFound):
        claim_page.read_on_opening(db.session, 987654, make.user("editor"), clock.now)


def test_a_collection_the_session_holds_is_kept(make, clock):  # noqa: F811
    claim, _editor, _checker = _claim_with_everything(make)
    reader = make.user("editor")  # nothing unread about the claim
    claim_id = claim.id
    loaded = claim_queries.load_claim_page(db.session, claim_id)
    loaded.evidence[0].title = "Renamed, not flushed"
    db.session.expire(loaded, ["notes"])
    opened = claim_page.read_on_opening(db.session, claim_id, reader, clock.now + timedelta(seconds=1))
    assert opened.claim is loaded and loaded.evidence[0].title == "Renamed, not flushed"
    assert [n.body for n in loaded.notes] == ["Check the minutes.", "Done."]


def test_the_statements_run_together_give_what_each_gives_alone(make, clock):  # noqa: F811
    claim, editor, _checker = _claim_with_everything(make)
    params = {"claim_id": claim.id, "viewer_id": editor.id, "user_id": editor.id,
              "fresh_since": clock.now - presence.FRESH_FOR, "limit": 101}
    statements = (claim_page._OPENING, claim_page._CLAIM, claim_page._ITEMS, claim_page._HISTORY)
    connection = db.session.connection()
    together = claim_page.run_all(connection, statements, params)
    assert together == [driver_sql.run_lean(connection, statement, params) for statement in statements]
    assert [len(rows) for rows in together[1:3]] == [1, 4]  # the claim; its two pieces of evidence and two notes


def test_a_statement_that_fails_is_the_engines_error_and_the_session_goes_on(make):
    """An error comes out at the pipeline's end on PostgreSQL, outside the engine's own execution: it is
    still raised as the engine's error, and the session can roll back and read again."""
    failing = select(func.no_such_function(1))
    with pytest.raises(DBAPIError):
        claim_page.run_all(db.session.connection(), (claim_page._CLAIM, failing), {"claim_id": 1})
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Claim)) is not None


def test_a_stamp_is_trusted_only_while_nothing_has_been_written(make, clock, count_queries):  # noqa: F811
    """``open_claim``'s stamp: given back unchanged, only who else is there and what is unread are read
    (one statement); after a write of another connection, or with a write of the reading's own
    transaction not yet committed, the rows are read again and the latter is given no stamp."""
    claim, _editor, checker = _claim_with_everything(make)
    viewer = make.user("editor")
    db.session.commit()
    claim_id = claim.id
    stamp = claim_page.open_claim(db.session, claim_id, viewer, clock.now).stamp
    assert stamp is not None
    with count_queries() as statements:
        opening = claim_page.open_claim(db.session, claim_id, viewer, clock.now, stamp=stamp)
    assert opening.unchanged and len(statements) == 1
    assert opening.rows == claim_page.open_claim(db.session, claim_id, viewer, clock.now).rows  # read if asked
    notes.add_note(ctx(), actor=checker, claim=claim, body="Later.")
    db.session.commit()
    opening = claim_page.open_claim(db.session, claim_id, viewer, clock.now, stamp=stamp)
    assert not opening.unchanged and opening.stamp not in (None, stamp)
    assert "Later." in str(opening.rows[1])
    later = opening.stamp
    db.session.get(Claim, claim_id).statement = "Changed, not committed."
    db.session.flush()
    opening = claim_page.open_claim(db.session, claim_id, viewer, clock.now, stamp=later)
    assert not opening.unchanged and opening.stamp is None
    assert "Changed, not committed." in str(opening.rows[0])
    db.session.rollback()
