"""The article page's claims are kept per process under what the database gave for them (issue 15), and
on SQLite read as one JSON value: every value must come back as the ORM loads it, of the same type
(the score exactly, though JSON numbers from SQLite have fifteen digits), and any change to a claim,
its assignee's name or the checkers must be read at once, never a kept row."""
from __future__ import annotations

from sqlalchemy import select, update

from factcheck.extensions import db
from factcheck.models import Article, Claim, User
from factcheck.services import article_page, claims
from tests.support.context import ctx

# Text that JSON must carry exactly.
ODD = "She said \"no\" \\ then\ttabbed\nand <b>&amp;</b> 😀 Zoë’s ﬁ"


def _claims_with_odd_values(make) -> tuple[int, list[int]]:
    editor, checker = make.user("editor"), make.user("checker")
    first = make.claim(editor=editor)
    article = db.session.get(Article, first.article_id)
    second = make.claim(article=article, quote="The council voted 27 to 4", editor=editor)
    third = make.claim(article=article, quote="Critics said the money would be better spent on buses", editor=editor)
    claims.assign(ctx(), actor=editor, claim=second, assignee=checker)
    checker.display_name = ODD
    values = {
        # A float that fifteen digits do not give back, the two ends and none.
        first.id: {"score": 0.5700000000000001, "claimant": ODD, "via": ["Reuters", ODD], "statement": ODD,
                   "text_changed": True, "changed_from": ODD},
        second.id: {"score": 1.0, "claimant": None},
        third.id: {"score": None, "claimant": "", "via": []},
    }
    for claim_id, changes in values.items():
        db.session.execute(update(Claim).where(Claim.id == claim_id).values(**changes))
    db.session.commit()
    return article.id, [first.id, second.id, third.id]


def _as_the_orm_loads(article_id: int) -> list[tuple]:
    db.session.expunge_all()
    loaded = db.session.scalar(select(Article).where(Article.id == article_id))
    assert loaded is not None
    return [tuple((claim.assignee.display_name if claim.assignee else None) if name == "assignee_name"
                  else loaded.status if name == "article_status" else getattr(claim, name)
                  for name in article_page.ArticleClaim._fields) for claim in loaded.claims]


def _same(rows, expected) -> None:
    assert [tuple(row) for row in rows] == expected
    for row, values in zip(rows, expected, strict=True):
        assert [type(v) for v in row] == [type(v) for v in values], row.id


def test_every_value_comes_back_as_the_orm_loads_it(make, count_queries):
    article_id, _ids = _claims_with_odd_values(make)
    expected = _as_the_orm_loads(article_id)
    db.session.expunge_all()
    shown = article_page.article(db.session, article_id)
    with count_queries() as statements:
        rows, checkers = article_page.claims_and_checkers(db.session, shown)
        alone = article_page.claim_rows(db.session, shown)
    assert len(statements) == 2
    _same(rows, expected)
    _same(alone, expected)
    assert rows[0].score == 0.5700000000000001 and rows[0].via == ["Reuters", ODD]
    assert ODD in {c.display_name for c in checkers}


def test_a_score_outside_zero_to_one_is_still_exact(make, count_queries):
    """SQLite's seventeen digits are not exact for every float: such a score is read from the rows."""
    article_id, ids = _claims_with_odd_values(make)
    db.session.execute(update(Claim).where(Claim.id == ids[0]).values(score=-1.543531651513868e+299))
    db.session.commit()
    expected = _as_the_orm_loads(article_id)
    db.session.expunge_all()
    shown = article_page.article(db.session, article_id)
    with count_queries() as statements:
        rows, _checkers = article_page.claims_and_checkers(db.session, shown)
    _same(rows, expected)
    assert rows[0].score == -1.543531651513868e+299
    # One statement more, on SQLite only (PostgreSQL's rows carry the float itself).
    assert len(statements) == (2 if db.engine.dialect.name == "sqlite" else 1)


def test_kept_claims_are_read_again_once_anything_they_show_changes(make):
    article_id, ids = _claims_with_odd_values(make)
    shown = article_page.article(db.session, article_id)
    first, _ = article_page.claims_and_checkers(db.session, shown)
    again, _ = article_page.claims_and_checkers(db.session, shown)
    assert again == first and all(a is b for a, b in zip(again, first, strict=True))  # kept
    assert again.key is first.key  # the kept key itself: the page's other stores find it by identity
    # A claim changed (its status and version), the assignee renamed, a checker added: each read at once.
    claim = db.session.get(Claim, ids[2])
    editor = db.session.scalar(select(User).where(User.display_name.like("Editor%")))
    claims.dismiss(ctx(), actor=editor, claim=claim, reason="Opinion, not a factual claim")
    db.session.commit()
    rows, _ = article_page.claims_and_checkers(db.session, article_page.article(db.session, article_id))
    assert [row.status for row in rows if row.id == ids[2]] == ["dismissed"]
    assignee_id = next(row.assignee_id for row in rows if row.id == ids[1])
    db.session.execute(update(User).where(User.id == assignee_id).values(display_name="Renamed <Checker>"))
    db.session.commit()
    newcomer = make.user("checker")
    db.session.commit()
    rows, checkers = article_page.claims_and_checkers(db.session, article_page.article(db.session, article_id))
    assert [row.assignee_name for row in rows if row.id == ids[1]] == ["Renamed <Checker>"]
    assert newcomer.id in {c.id for c in checkers}
    assert article_page.claim_rows(db.session, article_page.article(db.session, article_id)) == rows
    _same(rows, _as_the_orm_loads(article_id))
