"""The claim state machine and the approval gate, at the service level."""
from __future__ import annotations

import pytest

from factcheck.errors import EditConflict, GateClosed, InvalidTransition, PermissionDenied, ValidationFailed
from factcheck.models import ArticleStatus, ClaimStatus
from factcheck.services import articles, claims, workflow
from tests.support.context import ctx
from tests.support.factories import SECOND_CLAIM


def test_transition_table_only_allows_listed_moves(make):
    claim = make.claim()
    editor = make.user("editor")
    with pytest.raises(InvalidTransition, match="needs it to be"):
        claims.accept_verdict(ctx(), actor=editor, claim=claim)
    with pytest.raises(InvalidTransition):
        claims.accept_suggestion(ctx(), actor=editor, claim=claim)


def test_every_status_is_reachable_from_the_table():
    reachable = {ClaimStatus.SUGGESTED}
    for moves in workflow.CLAIM_TRANSITIONS.values():
        reachable |= set(moves.values())
    assert reachable == set(ClaimStatus)


def test_every_article_status_is_reachable():
    reachable = set(workflow.DERIVED_ARTICLE_STATES)
    for moves in workflow.ARTICLE_TRANSITIONS.values():
        reachable |= set(moves.values())
    assert reachable == set(ArticleStatus)


def test_returned_verdict_goes_back_to_the_checker_with_a_note(make):
    checker = make.user("checker")
    claim = make.proposed_claim(checker)
    claims.return_verdict(ctx(), actor=make.user("editor"), claim=claim, note="Find the primary source.")
    assert claim.status == ClaimStatus.IN_PROGRESS
    assert claim.notes[-1].body == "Find the primary source."
    claims.propose_verdict(ctx(), actor=checker, claim=claim, verdict="false", rationale="Second look.")
    assert claim.status == ClaimStatus.PROPOSED


def test_suggestion_accept_and_dismiss(make):
    article = make.article()
    editor = make.user("editor")
    start = article.text.index(SECOND_CLAIM)
    suggested = claims.suggest_claim(ctx(), article=article, start=start, end=start + len(SECOND_CLAIM),
                                     claimant="transport office", via=[], kind="statistic", score=0.9)
    assert suggested.status == ClaimStatus.SUGGESTED
    claims.accept_suggestion(ctx(), actor=editor, claim=suggested, statement="The tram costs 210m euros",
                             claimant="the transport office", via=["Test Wire"])
    assert (suggested.status, suggested.statement, suggested.via) == ("open", "The tram costs 210m euros", ["Test Wire"])
    with pytest.raises(ValidationFailed, match="why"):
        claims.dismiss(ctx(), actor=editor, claim=suggested, reason=" ")
    claims.dismiss(ctx(), actor=editor, claim=suggested, reason="Duplicate of the headline.")
    assert suggested.status == ClaimStatus.DISMISSED


def test_gate_lists_blockers_and_opens_when_settled(make):
    editor = make.user("editor")
    first = make.final_claim(editor=editor)
    article = first.article
    second = make.claim(article=article, quote=SECOND_CLAIM, editor=editor)
    with pytest.raises(GateClosed) as refused:
        articles.approve(ctx(), actor=editor, article=article)
    assert [b.claim.id for b in refused.value.details["blocking"]] == [second.id]
    assert article.status == "in_check"
    claims.dismiss(ctx(), actor=editor, claim=second, reason="Not checkable.")
    assert article.status == "ready"
    articles.approve(ctx(), actor=editor, article=article)
    assert article.status == "approved"
    with pytest.raises(InvalidTransition):
        claims.add_claim(ctx(), actor=editor, article=article, quote="Critics said")


def test_article_without_claims_cannot_be_approved(make):
    editor = make.user("editor")
    article = make.article(editor)
    with pytest.raises(GateClosed, match="no claims"):
        articles.approve(ctx(), actor=editor, article=article)


@pytest.mark.parametrize("verdict", ["misleading", "disputed", "false"])
def test_serious_verdicts_need_a_resolution(make, verdict):
    editor = make.user("editor")
    claim = make.final_claim(verdict=verdict, editor=editor)
    with pytest.raises(GateClosed) as refused:
        articles.approve(ctx(), actor=editor, article=claim.article)
    assert "needs a resolution" in refused.value.details["blocking"][0].reason
    with pytest.raises(ValidationFailed, match="note"):
        claims.resolve(ctx(), actor=editor, claim=claim, resolution="kept_with_attribution")
    claims.resolve(ctx(), actor=editor, claim=claim, resolution="kept_with_attribution",
                   note="Attributed clearly to the speaker.")
    articles.approve(ctx(), actor=editor, article=claim.article)
    assert claim.article.status == "approved"


def test_verified_claims_need_no_resolution(make):
    editor = make.user("editor")
    claim = make.final_claim(editor=editor)
    with pytest.raises(InvalidTransition, match="needs no resolution"):
        claims.resolve(ctx(), actor=editor, claim=claim, resolution="removed")


def test_stale_version_is_a_conflict_that_shows_both_sides(make):
    editor, other_editor = make.user("editor"), make.user("editor")
    first_checker, second_checker = make.user("checker"), make.user("checker")
    claim = make.claim(editor=editor)
    seen_version = claim.version
    claims.assign(ctx(), actor=other_editor, claim=claim, assignee=first_checker, expected_version=seen_version)
    with pytest.raises(EditConflict) as conflict:
        claims.assign(ctx(), actor=editor, claim=claim, assignee=second_checker, expected_version=seen_version)
    assert conflict.value.details["current"]["assignee_id"] == first_checker.id
    assert conflict.value.details["attempted"]["assignee_id"] == second_checker.id
    assert claim.assignee_id == first_checker.id


def test_only_the_assignee_proposes(make):
    claim = make.assigned_claim()
    with pytest.raises(PermissionDenied):
        claims.propose_verdict(ctx(), actor=make.user("checker"), claim=claim, verdict="false", rationale="x")
