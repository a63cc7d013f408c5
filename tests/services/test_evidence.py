"""Evidence: validated, edited and removed with the history kept."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from factcheck.errors import InvalidTransition, PermissionDenied, ValidationFailed
from factcheck.extensions import db
from factcheck.models import AuditEvent, Evidence
from factcheck.services import evidence
from tests.support.context import ctx

SOURCE = {"url": "https://stats.example/report", "title": "Annual report", "stance": "supports"}


def test_evidence_keeps_every_field(make):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    item = evidence.add_evidence(ctx(), actor=checker, claim=claim, publisher="Statistics office",
                                 published_on=date(2024, 3, 1), excerpt="Exports rose 4%.", source_type="dataset",
                                 credibility="credible", **SOURCE)
    stored = db.session.get(Evidence, item.id)
    assert (stored.publisher, stored.published_on, stored.source_type, stored.credibility, stored.question) == (
        "Statistics office", date(2024, 3, 1), "dataset", "credible", "substance")
    assert claim.status == "in_progress"  # the assignee's first evidence starts the work


@pytest.mark.parametrize("bad, message", [
    ({"url": "javascript:alert(1)"}, "http:// or https://"),
    ({"title": "  "}, "needs a title"),
    ({"stance": "agrees"}, "stance"),
    ({"source_type": "rumour"}, "source type"),
    ({"credibility": "great"}, "credibility"),
    ({"question": "both"}, "which question the evidence answers"),
    ({"published_on": date.today() + timedelta(days=3)}, "future"),
])
def test_bad_evidence_is_refused(make, bad, message):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    with pytest.raises(ValidationFailed, match=message):
        evidence.add_evidence(ctx(), actor=checker, claim=claim, **{**SOURCE, **bad})
    assert claim.evidence == []


def test_edit_records_before_and_after(make):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    item = evidence.add_evidence(ctx(), actor=checker, claim=claim, **SOURCE)
    evidence.edit_evidence(ctx(), actor=checker, evidence=item, **{**SOURCE, "title": "Annual report 2024",
                                                                         "stance": "refutes"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "evidence.edited"))
    assert event.changes["title"] == {"before": "Annual report", "after": "Annual report 2024"}
    assert event.changes["stance"] == {"before": "supports", "after": "refutes"}
    assert event.object_id == item.id and event.article_id == claim.article_id


def test_removed_evidence_stays_but_no_longer_counts(make):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    item = evidence.add_evidence(ctx(), actor=checker, claim=claim, **SOURCE)
    with pytest.raises(ValidationFailed, match="why"):
        evidence.remove_evidence(ctx(), actor=checker, evidence=item, reason="")
    evidence.remove_evidence(ctx(), actor=checker, evidence=item, reason="Wrong year's report.")
    db.session.expire_all()
    assert db.session.get(Evidence, item.id).removal_reason == "Wrong year's report."
    assert claim.current_evidence == [] and len(claim.evidence) == 1
    from factcheck.services import claims

    with pytest.raises(ValidationFailed, match="at least one piece of evidence"):
        claims.propose_verdict(ctx(), actor=checker, claim=claim, verdict="false", rationale="x")


def test_only_the_assignee_or_an_editor_handles_evidence(make):
    claim = make.assigned_claim()
    for outsider in (make.user("checker"), make.user("manager")):
        with pytest.raises(PermissionDenied):
            evidence.add_evidence(ctx(), actor=outsider, claim=claim, **SOURCE)
    evidence.add_evidence(ctx(), actor=make.user("editor"), claim=claim, **SOURCE)


def test_no_evidence_changes_on_a_final_claim(make):
    claim = make.final_claim()
    with pytest.raises(InvalidTransition):
        evidence.add_evidence(ctx(), actor=make.user("editor"), claim=claim, **SOURCE)
