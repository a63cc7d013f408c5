"""Rows inserted by the driver's executemany (``bulk.insert_rows``) read back as the ORM would have
written them, and one commit's audit events carry the commit's moment."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import AuditEvent, Claim, ClaimStatus
from factcheck.services import audit, bulk
from factcheck.services.db import transaction
from tests.support.context import ctx


def _columns(claim: Claim) -> dict:
    return {name: getattr(claim, name) for name in ("priority", "text_changed", "version", "assignee_id", "verdict",
                                                    "claimant", "due_date")}


def test_bulk_rows_take_the_defaults_the_orm_gives(make):
    by_the_orm = make.claim()
    article = by_the_orm.article
    revision = article.current_revision
    before = datetime.now(UTC) - timedelta(seconds=1)
    with transaction(db.session):
        bulk.insert_rows(db.session, Claim.__table__, [
            {"quote": "the tram line", "start": 0, "end": 13, "status": ClaimStatus.SUGGESTED.value, "via": ["AP"]},
            {"quote": "was approved", "start": 14, "end": 26, "status": ClaimStatus.SUGGESTED.value, "via": []},
        ], common={"article_id": article.id, "revision_id": revision.id})
    db.session.expire_all()
    added = db.session.scalars(select(Claim).where(Claim.status == ClaimStatus.SUGGESTED).order_by(Claim.start)).all()
    assert [(c.quote, c.start, c.end, c.via) for c in added] == [
        ("the tram line", 0, 13, ["AP"]), ("was approved", 14, 26, [])]
    for claim in added:
        assert _columns(claim) == {**_columns(by_the_orm), "claimant": None}
        # The columns' own defaults where the rows give nothing (an added claim's are anchored text).
        assert (claim.prefix, claim.suffix, claim.statement, claim.kind) == ("", "", "", "statement")
        assert before <= claim.created_at <= claim.updated_at <= datetime.now(UTC) + timedelta(seconds=1)
        assert claim.created_at.tzinfo is not None


def test_raw_columns_are_bound_as_given(make):
    article = make.article()
    with transaction(db.session):
        bulk.insert_rows(db.session, Claim.__table__, [{"quote": "q", "start": 0, "end": 1, "via": '["Reuters"]'}],
                         common={"article_id": article.id, "revision_id": article.current_revision.id}, raw=("via",))
    assert db.session.scalar(select(Claim.via).where(Claim.quote == "q")) == ["Reuters"]


def test_one_commits_events_carry_its_moment(make, clock):
    """Every event a commit writes is stamped with the time taken once under the chain lock: the
    commit's moment, not each event's own reading of the clock."""
    editor = make.user("editor")
    with transaction(db.session):
        audit.record(ctx(), actor=editor, action="test.first", object_type="test", object_id=1)
        audit.record_many(ctx(), actor=editor, action="test.many", object_type="test",
                          objects=[(2, {}), (3, audit.encode_changes(audit.created({"n": 3})))])
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("test.%")).order_by(AuditEvent.id)).all()
    assert [e.object_id for e in events] == [1, 2, 3]
    assert len({e.created_at for e in events}) == 1
    assert events[2].changes == {"n": {"before": None, "after": 3}}
    assert all(e.hash == audit.compute_hash(e, ctx().settings.audit_key) for e in events)
    assert audit.verify(ctx()).intact
