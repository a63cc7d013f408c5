"""Who has a claim open to change it: heartbeats in the database, fresh for a minute, never audited."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from factcheck.errors import PermissionDenied
from factcheck.extensions import db
from factcheck.models import AuditEvent
from factcheck.services import notifications, presence
from tests.support.clock import clock  # noqa: F401 - the fixture
from tests.support.context import ctx


def _events() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_others_see_who_has_the_claim_open_and_since_when(make, clock):  # noqa: F811
    checker, editor = make.user("checker"), make.user("editor")
    claim = make.assigned_claim(checker, editor=editor)
    before = _events()
    start = clock.now
    presence.heartbeat(ctx(), actor=checker, claim=claim)
    clock.set(clock.now + timedelta(seconds=30))
    presence.heartbeat(ctx(), actor=checker, claim=claim)
    assert _events() == before  # a heartbeat is no change to the record
    seen = presence.others_present(db.session, claim.id, editor, clock.now)
    assert [(p.user.id, p.since) for p in seen] == [(checker.id, start + timedelta(milliseconds=1))]
    assert presence.others_present(db.session, claim.id, checker, clock.now) == []  # not oneself

    clock.set(clock.now + timedelta(seconds=61))  # the page was closed
    assert presence.others_present(db.session, claim.id, editor, clock.now) == []
    presence.heartbeat(ctx(), actor=checker, claim=claim)  # back after a gap: a new "since"
    assert presence.others_present(db.session, claim.id, editor, clock.now)[0].since > start + timedelta(seconds=60)


def test_a_reader_who_cannot_change_the_claim_is_not_counted(make):
    claim = make.assigned_claim()
    with pytest.raises(PermissionDenied):
        presence.heartbeat(ctx(), actor=make.user("manager"), claim=claim)


def test_opening_a_claim_reads_who_is_there_and_whether_anything_is_unread_in_one(make, clock, count_queries):  # noqa: F811
    """The claim page's one statement gives what ``others_present`` and the unread check give apart."""
    checker, editor, other = make.user("checker"), make.user("editor"), make.user("editor")
    claim = make.assigned_claim(checker, editor=editor)  # the assignment is notified to the checker
    assert presence.on_opening(db.session, claim.id, checker, clock.now) == presence.Opening([], True)
    assert presence.on_opening(db.session, claim.id, other, clock.now) == presence.Opening([], False)
    presence.heartbeat(ctx(), actor=checker, claim=claim)
    clock.set(clock.now + timedelta(seconds=5))
    presence.heartbeat(ctx(), actor=editor, claim=claim)
    claim_id, _ = claim.id, other.id  # loaded again before counting: the heartbeat's commit expired them
    with count_queries() as statements:
        opened = presence.on_opening(db.session, claim_id, other, clock.now)
    assert len(statements) == 1
    assert opened.present == presence.others_present(db.session, claim.id, other, clock.now)
    assert [p.user.id for p in opened.present] == [checker.id, editor.id] and not opened.unread  # longest there first
    assert presence.on_opening(db.session, claim.id, checker, clock.now) == presence.Opening(
        presence.others_present(db.session, claim.id, checker, clock.now), True)
    notifications.mark_claim_read(ctx(), actor=checker, claim_id=claim.id)
    assert not presence.on_opening(db.session, claim.id, checker, clock.now).unread
