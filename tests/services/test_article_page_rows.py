"""The article page reads the article, its claims and (for a viewer who may assign) the checkers in one
statement (``article_page.page_rows``, issue 15): every claim's value must come back as the ORM loads
it, of the same type, on both databases (on PostgreSQL through ``json_agg``: dates and times from ISO
text, a whole score still a float, the relays a list), and the checkers as ``claims_and_checkers`` reads
them."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from factcheck.errors import NotFound
from factcheck.extensions import db
from factcheck.models import Article, Claim, User
from factcheck.services import article_page
from tests.services.test_article_claims_kept import ODD, _as_the_orm_loads, _claims_with_odd_values, _same


def _odd_dates(ids: list[int]) -> None:
    db.session.execute(update(Claim).where(Claim.id == ids[1]).values(due_date=date(2026, 12, 31)))
    db.session.execute(update(Claim).where(Claim.id == ids[2]).values(
        finalized_at=datetime(2026, 11, 27, 23, 59, 58, 123456, tzinfo=UTC)))
    db.session.commit()


def test_one_statement_gives_the_article_its_claims_and_the_checkers(make, count_queries):
    article_id, ids = _claims_with_odd_values(make)
    _odd_dates(ids)
    expected = _as_the_orm_loads(article_id)
    db.session.expunge_all()
    shown = article_page.article(db.session, article_id)
    _rows, checkers = article_page.claims_and_checkers(db.session, shown)
    row = tuple(article_page.article_row(db.session, article_id))
    for with_checkers in (True, False):
        db.session.expunge_all()
        with count_queries() as statements:
            read = article_page.page_rows(db.session, article_id, with_checkers=with_checkers)
            claims, read_checkers = article_page.page_claims(db.session, article_id, shown.status, read)
        assert len(statements) == 1
        assert read.article == row
        _same(claims, expected)
        assert read_checkers == (checkers if with_checkers else [])
        assert claims[0].score == 0.5700000000000001 and claims[0].via == ["Reuters", ODD]
        assert claims[1].score == 1.0 and type(claims[1].score) is float
        assert claims[1].due_date == date(2026, 12, 31)
        assert claims[2].finalized_at == datetime(2026, 11, 27, 23, 59, 58, 123456, tzinfo=UTC)
        # The article made of the row is the one ``article`` gives.
        made = article_page.article_of_row(db.session, read.article)
        assert (made.id, made.title, made.current_revision.number) == (shown.id, shown.title, shown.current_revision.number)


def test_a_change_is_read_at_once_and_an_unchanged_read_is_kept(make):
    article_id, ids = _claims_with_odd_values(make)
    status = db.session.get(Article, article_id).status
    first = article_page.page_claims(db.session, article_id, status,
                                     article_page.page_rows(db.session, article_id, with_checkers=True))
    again = article_page.page_claims(db.session, article_id, status,
                                     article_page.page_rows(db.session, article_id, with_checkers=True))
    assert again[0][0] is first[0][0] and again[0].key is first[0].key
    checker_id = first[0][1].assignee_id
    db.session.execute(update(User).where(User.id == checker_id).values(display_name="Renamed"))
    db.session.execute(update(Claim).where(Claim.id == ids[2]).values(status="dismissed"))
    db.session.commit()
    claims, checkers = article_page.page_claims(db.session, article_id, status,
                                                article_page.page_rows(db.session, article_id, with_checkers=True))
    assert claims[1].assignee_name == "Renamed" and claims[2].status == "dismissed"
    assert "Renamed" in {c.display_name for c in checkers} and claims.key != first[0].key


def test_an_article_without_claims_and_no_article(make, count_queries):
    editor = make.user("editor")
    make.user("checker")
    article = make.article(editor)
    db.session.commit()
    read = article_page.page_rows(db.session, article.id, with_checkers=True)
    claims, checkers = article_page.page_claims(db.session, article.id, article.status, read)
    assert list(claims) == [] and len(checkers) == 1
    with pytest.raises(NotFound):
        article_page.page_rows(db.session, article.id + 1000, with_checkers=False)
