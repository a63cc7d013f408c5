"""The claim and article pages read what they show through statements built once (issue 15): the
article page's claims as rows, the claim page's history by the shape of its claim. What they read must
be what the ORM's own loading and the model say."""
from __future__ import annotations

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import joinedload, selectinload

from factcheck.extensions import db
from factcheck.models import Article, AuditEvent, Claim, Evidence, Note
from factcheck.services import article_page, claim_queries, claims, evidence, notes, users
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


def test_the_claims_read_with_the_checkers_are_what_each_statement_gives_alone(make, count_queries):
    """An editor's article page reads its claims and the checkers in one statement: the same rows, in the
    same orders (claims by place, then id; checkers by name, not by id), as ``claim_rows`` and
    ``users.checkers``; an inactive checker is not offered."""
    article = _article_in_every_state(make)
    make.user("checker").display_name = "Aaron First"  # made last, named first
    make.user("checker", active=False)
    article_id = article.id
    db.session.commit()
    shown = article_page.article(db.session, article_id)
    with count_queries() as statements:
        rows, checkers = article_page.claims_and_checkers(db.session, shown)
    assert len(statements) == 1
    assert rows == article_page.claim_rows(db.session, shown)
    assert checkers == users.checkers(db.session)
    assert checkers[0].display_name == "Aaron First" and checkers != sorted(checkers, key=lambda c: c.id)
    assert all(isinstance(row, article_page.ArticleClaim) and row.article_status == shown.status for row in rows)
    assert len(rows) == 4 and len(checkers) == 3  # the final and the proposed claims' checkers, and Aaron


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


def _page_values(claim) -> dict:
    """What the claim page reads off its objects: every column of the claim, its article and people,
    its evidence and notes with theirs."""
    def columns(obj) -> dict | None:
        return None if obj is None else {a.key: getattr(obj, a.key) for a in inspect(obj).mapper.column_attrs}
    return {"claim": columns(claim), "article": columns(claim.article), "assignee": columns(claim.assignee),
            "proposed_by": columns(claim.proposed_by),
            "evidence": [(columns(e), columns(e.added_by), columns(e.removed_by)) for e in claim.evidence],
            "notes": [(columns(n), columns(n.author)) for n in claim.notes]}


def test_the_claim_page_objects_are_what_the_orm_loads_and_the_sessions_own(make):
    """Read on the connection and made into objects (issue 15): the same values as the ORM's joined
    loading, and the session's own instances: identity-mapped, persistent, written when changed."""
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.proposed_claim(checker, editor=editor)
    removed = evidence.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/y", title="Y",
                                    stance="refutes")
    evidence.remove_evidence(ctx(), actor=editor, evidence=removed, reason="Not about this.")
    notes.add_note(ctx(), actor=editor, claim=claim, body="Check the minutes.")
    claim_id = claim.id
    db.session.expunge_all()
    orm = db.session.scalar(select(Claim).options(
        joinedload(Claim.article), joinedload(Claim.assignee), joinedload(Claim.proposed_by),
        selectinload(Claim.evidence).joinedload(Evidence.added_by), selectinload(Claim.evidence).joinedload(Evidence.removed_by),
        selectinload(Claim.notes).joinedload(Note.author)).where(Claim.id == claim_id))
    expected = _page_values(orm)
    db.session.expunge_all()

    loaded = claim_queries.load_claim_page(db.session, claim_id)
    assert _page_values(loaded) == expected
    assert len(loaded.evidence) == 2 and loaded.evidence[1].removed_by is not None and loaded.notes
    for obj in (loaded, loaded.article, loaded.assignee, loaded.proposed_by, *loaded.evidence, *loaded.notes):
        assert inspect(obj).persistent and obj in db.session
    assert loaded.assignee is loaded.proposed_by  # one person, one instance
    assert db.session.get(Claim, claim_id) is loaded
    assert claim_queries.load_claim_page(db.session, claim_id) is loaded

    loaded.priority = "high"
    db.session.commit()  # written as any loaded object's change is; the commit expires it
    assert db.session.scalar(select(Claim.priority).where(Claim.id == claim_id)) == "high"
    db.session.execute(update(Claim).where(Claim.id == claim_id).values(rationale="Changed elsewhere."))
    again = claim_queries.load_claim_page(db.session, claim_id)  # the expired instance filled from the row
    columns = {a.key for a in inspect(Claim).column_attrs}
    assert again is loaded and not inspect(again).expired_attributes & columns
    assert again.rationale == "Changed elsewhere." and again.evidence and again.article is not None


def test_the_article_page_objects_are_what_the_orm_loads_and_the_sessions_own(make):
    """The article and its current revision, read on the connection and made into objects (issue 15):
    every column as the ORM's joined loading gives it, the session's own persistent instances."""
    article = _article_in_every_state(make)
    article_id = article.id
    db.session.expunge_all()
    orm = db.session.scalar(select(Article).options(joinedload(Article.current_revision))
                            .where(Article.id == article_id))
    assert orm is not None and orm.current_revision is not None

    def values(obj) -> dict:
        return {a.key: getattr(obj, a.key) for a in inspect(type(obj)).column_attrs}

    expected = (values(orm), values(orm.current_revision))
    db.session.expunge_all()

    loaded = article_page.article(db.session, article_id)
    assert (values(loaded), values(loaded.current_revision)) == expected
    for obj in (loaded, loaded.current_revision):
        assert inspect(obj).persistent and obj in db.session
    assert db.session.get(Article, article_id) is loaded
    assert article_page.article(db.session, article_id) is loaded
    assert "claims" not in loaded.__dict__  # read as rows by the page, loaded only for a step

    loaded.outlet = "The Ledger"
    db.session.commit()  # written as any loaded object's change is; the commit expires it
    assert db.session.scalar(select(Article.outlet).where(Article.id == article_id)) == "The Ledger"
    db.session.execute(update(Article).where(Article.id == article_id).values(byline="Changed elsewhere"))
    again = article_page.article(db.session, article_id)  # the expired instance filled from the row
    assert again is loaded and again.byline == "Changed elsewhere" and again.current_revision is not None


def test_the_claim_page_reads_its_evidence_and_notes_in_one_statement(make, count_queries):
    """Both collections, each in id order, from one statement; a collection the session already holds
    (with a change not yet flushed) is kept, the other read."""
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.proposed_claim(checker, editor=editor)
    evidence.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/z", title="Z", stance="refutes")
    for n in range(3):
        notes.add_note(ctx(), actor=editor if n % 2 else checker, claim=claim, body=f"Note {n}")
    claim_id, authors = claim.id, [checker.email, editor.email, checker.email]
    db.session.expunge_all()
    evidence_ids = list(db.session.scalars(select(Evidence.id).where(Evidence.claim_id == claim_id).order_by(Evidence.id)))
    note_ids = list(db.session.scalars(select(Note.id).where(Note.claim_id == claim_id).order_by(Note.id)))
    assert len(evidence_ids) >= 2 and len(note_ids) == 3

    with count_queries() as statements:
        loaded = claim_queries.load_claim_page(db.session, claim_id)
    assert len(statements) == 2, statements  # the claim's row; its evidence and notes
    assert [item.id for item in loaded.evidence] == evidence_ids
    assert [note.id for note in loaded.notes] == note_ids
    assert [note.author.email for note in loaded.notes] == authors

    loaded.evidence[0].title = "Renamed, not flushed"
    db.session.expire(loaded, ["notes"])
    again = claim_queries.load_claim_page(db.session, claim_id)
    assert again is loaded and again.evidence[0].title == "Renamed, not flushed"
    assert [note.id for note in again.notes] == note_ids
