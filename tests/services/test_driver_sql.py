"""A kept statement run on the driver gives the rows SQLAlchemy's own execution gives: the same
values of the same types (dates, aware UTC times, booleans), constants and parameters bound alike."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Date, bindparam, func, select

from factcheck.extensions import db
from factcheck.models import Article, Claim
from factcheck.services import built, driver_sql


def _statement():
    day = bindparam("day", type_=Date())
    return (select(Claim.id, Claim.due_date, Claim.created_at, Claim.text_changed, Claim.status, Article.title,
                   func.count().over().label("total"))
            .join(Article, Article.id == Claim.article_id)
            .where(Claim.status.in_(["assigned", "open"]), Claim.due_date < day)
            .order_by(Claim.id).limit(10))


def test_the_rows_are_sqlalchemy_s_rows(make):
    checker = make.user("checker")
    for due in (date(2024, 3, 1), date(2024, 3, 5), date(2024, 4, 1)):
        make.assigned_claim(checker, due_date=due)
    make.claim()
    statement = built.once(_statement)
    connection = db.session.connection()
    for day in (date(2024, 3, 2), date(2024, 3, 30), date(2024, 1, 1)):
        expected = connection.execute(statement, {"day": day}).all()
        rows = driver_sql.run(connection, statement, {"day": day})
        assert [tuple(row) for row in rows] == [tuple(row) for row in expected]
        assert [tuple(map(type, row)) for row in rows] == [tuple(map(type, row)) for row in expected]
    [first] = driver_sql.run(connection, statement, {"day": date(2024, 3, 2)})
    assert first.due_date == date(2024, 3, 1) and first.total == 1 and first.text_changed is False
    assert first.created_at.tzinfo is not None


def test_a_parameter_left_out_is_an_error(make):
    with pytest.raises(KeyError):
        driver_sql.run(db.session.connection(), built.once(_statement), {})


def test_a_float_column_is_typed_as_sqlalchemy_types_it(make):
    """psycopg's numeric result processors need the driver's type code: a plan that asked without it
    failed on PostgreSQL ("Unknown PG numeric type") for any Float column, such as a claim's score."""
    claim = make.claim()
    claim.score = 0.625
    db.session.flush()
    statement = built.once(lambda: select(Claim.id, Claim.score, func.avg(Claim.score).over().label("mean"))
                           .where(Claim.id == bindparam("claim_id")))
    connection = db.session.connection()
    expected = connection.execute(statement, {"claim_id": claim.id}).all()
    rows = driver_sql.run(connection, statement, {"claim_id": claim.id})
    assert [tuple(row) for row in rows] == [tuple(row) for row in expected] == [(claim.id, 0.625, 0.625)]
    assert [tuple(map(type, row)) for row in rows] == [tuple(map(type, row)) for row in expected]


def test_untyped_rows_typed_by_their_processors_are_run_s_rows(make):
    """``untyped`` gives the driver's rows and the processors that make them ``run``'s."""
    checker = make.user("checker")
    make.assigned_claim(checker, due_date=date(2024, 3, 1))
    statement = built.once(_statement)
    connection = db.session.connection()
    rows, processors = driver_sql.untyped(connection, statement, {"day": date(2024, 4, 1)})
    typed = []
    for row in rows:
        items = list(row)
        for position, processor in processors:
            items[position] = processor(items[position])
        typed.append(tuple(items))
    assert typed == [tuple(row) for row in driver_sql.run(connection, statement, {"day": date(2024, 4, 1)})]
    assert len(typed) == 1
