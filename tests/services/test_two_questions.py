"""An attributed claim is checked twice: was it said, and is it accurate."""
from __future__ import annotations

import pytest

from factcheck.errors import ValidationFailed
from factcheck.services import claims, evidence
from tests.support.context import ctx


@pytest.fixture
def attributed(make):
    editor, checker = make.user("editor"), make.user("checker")
    article = make.article(editor)
    claim = claims.add_claim(ctx(), actor=editor, article=article, quote="The line will cost 210 million euros",
                             claimant="the transport office")
    claims.assign(ctx(), actor=editor, claim=claim, assignee=checker)
    return claim, checker, editor


def _source(checker, claim, question):
    evidence.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/" + question,
                          title=question, stance="supports", question=question)


def test_both_answers_and_both_kinds_of_evidence_are_required(attributed):
    claim, checker, _ = attributed
    _source(checker, claim, "substance")
    with pytest.raises(ValidationFailed, match="really made by the transport office"):
        claims.propose_verdict(ctx(), actor=checker, claim=claim, verdict="disputed", rationale="r")
    with pytest.raises(ValidationFailed, match="whether the transport office really said it"):
        claims.propose_verdict(ctx(), actor=checker, claim=claim, verdict="disputed", rationale="r",
                               attribution_verdict="confirmed")
    _source(checker, claim, "attribution")
    claims.propose_verdict(ctx(), actor=checker, claim=claim, verdict="disputed", rationale="r",
                           attribution_verdict="confirmed")
    assert claim.verdict_summary == "Attribution confirmed; substance disputed"


def test_unattributed_claims_need_one_answer(make):
    claim = make.proposed_claim(verdict="false")
    assert claim.attribution_verdict is None
    assert claim.verdict_summary == "False"
