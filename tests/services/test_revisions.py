"""New revisions: claims carried to the new text, changed ones rechecked, gone ones orphaned."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.errors import GateClosed, ValidationFailed
from factcheck.extensions import db
from factcheck.models import AuditEvent, Claim, ClaimStatus
from factcheck.services import articles, claims, revisions
from factcheck.services.reanchoring import Outcome, TextMap
from tests.support.context import ctx

OLD = (
    "Tram line approved\n"
    "The council voted 27 to 4 on Tuesday to build a tram line to the airport.\n"
    "The line will cost 210 million euros, according to the transport office.\n"
    "Critics said the money would be better spent on buses.\n"
)
NEW = (
    "Tram line approved after long debate\n"
    "A new opening paragraph about the debate.\n"
    "The council voted 27 to 4 on Tuesday to build a tram line to the airport.\n"
    "The line will cost 260 million euros, according to the transport office.\n"
    "Work starts in 2027, the mayor said, and will take four years.\n"
)
VOTE = "The council voted 27 to 4 on Tuesday to build a tram line to the airport"
COST = "The line will cost 210 million euros"
CRITICS = "Critics said the money would be better spent on buses."


def test_text_map_outcomes():
    text_map = TextMap(OLD, NEW)
    for quote, outcome in ((VOTE, Outcome.SAME), (COST, Outcome.CHANGED), (CRITICS, Outcome.GONE)):
        start = OLD.index(quote)
        carried = text_map.carry(start, start + len(quote), quote)
        assert carried.outcome is outcome, quote
        if outcome is Outcome.SAME:
            assert NEW[carried.start:carried.end] == quote
        if outcome is Outcome.CHANGED:
            assert NEW[carried.start:carried.end] == "The line will cost 260 million euros"


@pytest.fixture
def approved_article(make):
    editor, reviewer, checker = make.user("editor"), make.user("editor"), make.user("checker")
    article = articles.create_article(ctx(), actor=editor, title="Tram", text=OLD)
    made = {}
    for quote in (VOTE, COST, CRITICS):
        claim = claims.add_claim(ctx(), actor=editor, article=article, quote=quote)
        claims.assign(ctx(), actor=editor, claim=claim, assignee=checker)
        from factcheck.services import evidence

        evidence.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/x", title="Source",
                              stance="supports")
        claims.propose_verdict(ctx(), actor=checker, claim=claim, verdict="verified", rationale="Checked.")
        claims.accept_verdict(ctx(), actor=reviewer, claim=claim)
        made[quote] = claim
    articles.approve(ctx(), actor=editor, article=article)
    return article, editor, made


def test_a_revision_carries_claims_and_reopens_the_article(approved_article):
    article, editor, made = approved_article
    report = revisions.revise(ctx(), actor=editor, article=article, text=NEW)
    assert report.revision.number == 2 and article.current_revision_id == report.revision.id
    vote, cost, critics = made[VOTE], made[COST], made[CRITICS]
    assert (vote.status, vote.revision_id, NEW[vote.start:vote.end]) == ("final", report.revision.id, VOTE)
    assert cost.status == ClaimStatus.IN_PROGRESS and cost.text_changed and "260 million" in cost.quote
    assert critics.status == ClaimStatus.ORPHANED and critics.revision_id != report.revision.id
    assert article.status == "in_check"
    with pytest.raises(GateClosed) as refused:
        articles.approve(ctx(), actor=editor, article=article)
    assert {b.claim.id for b in refused.value.details["blocking"]} >= {cost.id, critics.id}
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.article_id == article.id)))
    assert {"revision.created", "claim.reanchored", "claim.text_changed", "claim.orphaned", "article.reopened"} <= actions
    # Only new passages get suggestions: the sentence added about the works.
    suggested = db.session.scalars(select(Claim).where(Claim.article_id == article.id,
                                                       Claim.status == "suggested")).all()
    assert suggested and all("2027" in c.quote or "debate" in c.quote for c in suggested)
    # The editor resolves the orphan by dismissing it.
    claims.dismiss(ctx(), actor=editor, claim=critics, reason="Sentence cut in revision 2.")
    assert critics.status == "dismissed"


def test_the_same_text_is_not_a_revision(make):
    article = make.article()
    with pytest.raises(ValidationFailed, match="same as the current revision"):
        revisions.revise(ctx(), actor=make.user("editor"), article=article, text=article.text)


def test_diff_segments_mark_removed_and_added_words():
    segments = revisions.diff_segments("cost 210 million", "cost 260 million")
    assert [(s.kind, s.text) for s in segments] == [("same", "cost "), ("removed", "210"), ("added", "260"),
                                                   ("same", " million")]
