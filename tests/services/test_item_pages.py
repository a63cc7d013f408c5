"""The claim and article pages read what they show through statements built once (issue 15): the
article page's claims as rows, the claim page's history by the shape of its claim. What they read must
be what the ORM's own loading and the model say."""
from __future__ import annotations

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Article, AuditEvent
from factcheck.services import article_page, claim_queries, claims, evidence, notes
from factcheck.services.articles import blocking_reason
from factcheck.settings import Settings
from tests.support.context import ctx
from tests.support.factories import SECOND_CLAIM


def _article_in_every_state(make):
    """An article with a final, a proposed, an assigned and an open claim, two of them nested."""
    editor, checker = make.user("editor"), make.user("checker")
    final = make.final_claim(editor=editor)
    article = db.session.get(Article, final.article_id)
    make.proposed_claim(checker, article=article, quote=SECOND_CLAIM, editor=editor)
    assigned = make.claim(article=article, quote="The council voted 27 to 4", editor=editor)
    claims.assign(ctx(), actor=editor, claim=assigned, assignee=checker)
    make.claim(article=article, quote="Critics said the money would be better spent on buses", editor=editor)
    return article


def test_the_article_page_rows_are_the_claims_the_orm_loads(make):
    article = _article_in_every_state(make)
    article_id = article.id
    db.session.expunge_all()
    rows = article_page.claim_rows(db.session, article_page.article(db.session, article_id))
    db.session.expunge_all()
    loaded = db.session.scalar(select(Article).where(Article.id == article_id))
    assert loaded is not None
    assert [row.id for row in rows] == [claim.id for claim in loaded.claims]  # the relationship's order
    settings = Settings()
    for row, claim in zip(rows, loaded.claims, strict=True):
        for name in row._fields:
            expected = (claim.assignee.display_name if claim.assignee else None) if name == "assignee_name" \
                else loaded.status if name == "article_status" else getattr(claim, name)
            assert getattr(row, name) == expected, (claim.id, name)
        assert row.label == claim.label
        assert blocking_reason(settings, row) == blocking_reason(settings, claim)  # type: ignore[arg-type]
    assert {row.status for row in rows} >= {"final", "proposed", "assigned", "open"}
    assert any(row.assignee_name for row in rows)


def test_loading_the_article_for_a_step_gives_its_claims_in_order(make):
    article = _article_in_every_state(make)
    expected = [claim.id for claim in sorted(article.claims, key=lambda c: c.start)]
    db.session.expunge_all()
    loaded = article_page.load(db.session, article.id)
    assert [claim.id for claim in loaded.claims] == expected
    assert all(claim.article is loaded for claim in loaded.claims)


def _history_ids(claim) -> list[int]:
    history = claim_queries.claim_history(db.session, claim)
    return [event.id for event in history.events]


def _expected_ids(claim) -> list[int]:
    """Every event of the claim, its evidence and its notes, oldest first, from the log itself."""
    kinds = {("claim", claim.id), *(("evidence", e.id) for e in claim.evidence), *(("note", n.id) for n in claim.notes)}
    return [e.id for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            if (e.object_type, e.object_id) in kinds]


def test_the_claim_history_of_each_shape_is_the_claims_events(make):
    """Without evidence or notes, with evidence, with notes, with both: each shape's statement finds the
    events of the claim, of its evidence and of its notes, and nothing else."""
    editor, checker = make.user("editor"), make.user("checker")
    bare = make.assigned_claim(checker, editor=editor)
    other = make.assigned_claim(checker, editor=editor)  # its events must not show
    with_notes = make.assigned_claim(checker, editor=editor)
    notes.add_note(ctx(), actor=editor, claim=with_notes, body="Check the minutes.")
    with_evidence = make.proposed_claim(checker, editor=editor)
    with_both = make.proposed_claim(checker, editor=editor)
    notes.add_note(ctx(), actor=checker, claim=with_both, body="Done.")
    evidence.add_evidence(ctx(), actor=checker, claim=other, url="https://example.org/x", title="X", stance="supports")
    for claim in (bare, with_notes, with_evidence, with_both):
        loaded = claim_queries.load_claim_page(db.session, claim.id)
        assert _history_ids(loaded) == _expected_ids(loaded), claim.id


def test_a_long_history_shows_its_newest_events_and_says_there_are_more(make):
    editor = make.user("editor")
    claim = make.claim(editor=editor)
    for n in range(4):
        notes.add_note(ctx(), actor=editor, claim=claim, body=f"Note {n}")
    loaded = claim_queries.load_claim_page(db.session, claim.id)
    everything = _expected_ids(loaded)
    history = claim_queries.claim_history(db.session, loaded, limit=3)
    assert [e.id for e in history.events] == everything[-3:]
    assert history.more
    assert not claim_queries.claim_history(db.session, loaded, limit=len(everything)).more
