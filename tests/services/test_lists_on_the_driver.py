"""The list pages read their rows on the driver (``driver_sql.untyped_named``): the same rows, typed the same way, as
the services that read them through SQLAlchemy (issue 15)."""
from __future__ import annotations

from datetime import date

from factcheck.extensions import db
from factcheck.services import articles, built, claim_queries, claims, claims_list, users
from factcheck.services.claim_queries import ClaimFilters, ClaimPage, ClaimRow
from tests.support.context import ctx
from tests.support.factories import SECOND_CLAIM


def _through_sqlalchemy(statement, params) -> list[ClaimRow]:
    """The rows as SQLAlchemy's execution gives them, as ``ClaimRow``s (the columns not selected None)."""
    result = db.session.connection().execute(statement, params)
    keys = tuple(result.keys())
    return [ClaimRow(**{key: value for key, value in zip(keys, row, strict=True) if key in ClaimRow._fields})
            for row in result]


def test_the_queues_read_what_sqlalchemy_reads(make):
    editor, checker = make.user("editor"), make.user("checker")
    make.assigned_claim(checker, editor=editor, due_date=date(2020, 1, 1))
    make.proposed_claim(checker, editor=editor)
    make.proposed_claim(checker, editor=editor)
    make.assigned_claim(checker, editor=editor)
    for limit, offset in ((50, 0), (1, 0), (1, 1), (50, 9)):
        mine = claim_queries.my_queue(db.session, checker, limit=limit, offset=offset)
        expected = _through_sqlalchemy(claim_queries._MY_QUEUE, {"user_id": checker.id, "limit": limit, "offset": offset})
        assert mine.claims == expected and mine.total == (2 if expected else 0)
        waiting = claim_queries.review_queue(db.session, limit=limit, offset=offset)
        expected = _through_sqlalchemy(claim_queries._REVIEW_QUEUE, {"limit": limit, "offset": offset})
        assert waiting.claims == expected and waiting.total == (2 if expected else 0)
        assert all(row.proposed_at.tzinfo is not None for row in waiting.claims)


def _articles_through_sqlalchemy(settings, status, query, limit, offset) -> list[articles.ArticleRow]:
    """The article list's rows as SQLAlchemy's execution gives them for the same statement."""
    connection = db.session.connection()
    statement = built.once(articles._article_list, bool(status), bool(query), settings,
                           connection.dialect.name == "postgresql")
    params = {"limit": limit, "offset": offset}
    if status:
        params["status"] = status
    if query:
        params["pattern"] = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return [articles.ArticleRow(*row) for row in connection.execute(statement, params).all()]


def test_the_article_list_reads_what_sqlalchemy_reads(make, app):
    editor, checker = make.user("editor"), make.user("checker")
    for n in range(4):
        article = make.article(editor, title=f"Tram {n} 100% _sure_ \\ <b>")
        make.assigned_claim(checker, editor=editor, article=article)
        make.claim(article=article, quote=SECOND_CLAIM, editor=editor)
    make.proposed_claim(checker, editor=editor)
    settings = ctx().settings
    for status in (None, "draft", "in_check", "published"):
        for query in (None, "tram", "100%", "_sure_", "\\", "nothing like it"):
            for limit, offset in ((2, 0), (50, 1), (50, 40)):
                read = articles.list_articles(db.session, settings, status=status, query=query, limit=limit,
                                              offset=offset)
                expected = _articles_through_sqlalchemy(settings, status, query, limit, offset)
                assert read == expected
                assert [type(value) for row in read for value in row] == \
                    [type(value) for row in expected for value in row]


def test_the_claims_list_and_its_checkers_are_what_the_services_read(make):
    editor = make.user("editor")
    first, second = make.user("checker"), make.user("checker")
    make.user("checker", active=False)
    second.display_name = "Aaron <first> & co"
    db.session.commit()
    article = make.article(editor)
    made = [make.assigned_claim(first, editor=editor, article=article, due_date=date(2020, 1, 1))]
    made.append(make.proposed_claim(second, editor=editor))
    made.append(make.claim(article=article, quote=SECOND_CLAIM, editor=editor))
    claims.assign(ctx(), actor=editor, claim=made[-1], assignee=second, due_date=date(2030, 5, 6))
    today = date(2024, 6, 1)
    for filters in (ClaimFilters(), ClaimFilters(status="proposed"), ClaimFilters(assignee_id=first.id),
                    ClaimFilters(unassigned=True), ClaimFilters(overdue=True), ClaimFilters(article_id=article.id),
                    ClaimFilters(verdict="verified"), ClaimFilters(assignee_id=-1)):
        for before_id, limit in ((None, 50), (None, 1), (made[-1].id, 50), (made[0].id, 50)):
            page, checkers = claims_list.claims_and_checkers(db.session, filters, before_id=before_id, limit=limit,
                                                             today=today)
            params = claim_queries._filter_values(filters, before_id, today)
            statement = built.once(claim_queries._claims_list, tuple(params))
            expected = ClaimPage.of(_through_sqlalchemy(statement, {**params, "limit": limit + 1}), limit)
            assert claim_queries.claims_list_rows(db.session, filters, before_id=before_id, limit=limit,
                                                  today=today) == expected
            assert page == expected
            assert [type(v) for row in page.claims for v in row] == [type(v) for row in expected.claims for v in row]
            assert [(c.id, c.display_name, c.email) for c in checkers] == \
                [(c.id, c.display_name, c.email) for c in users.checkers(db.session)]
    # The typed columns come typed: a date, a boolean, an aware time.
    [proposed] = claims_list.claims_and_checkers(db.session, ClaimFilters(status="proposed"), today=today)[0].claims
    assert isinstance(proposed.text_changed, bool)
    [overdue] = claims_list.claims_and_checkers(db.session, ClaimFilters(overdue=True), today=today)[0].claims
    assert overdue.due_date == date(2020, 1, 1)
