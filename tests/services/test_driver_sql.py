"""A kept statement run on the driver gives the rows SQLAlchemy's own execution gives: the same
values of the same types (dates, aware UTC times, booleans), constants and parameters bound alike."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
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


def test_selects_read_together_are_the_selects_rows(make):
    """``together``: several selects in one PostgreSQL statement, each one's rows (as JSON) made again
    with the values and types the driver gives for the select alone, in the order asked for."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("one statement for several selects is PostgreSQL's (json_agg)")
    checker = make.user("checker")
    for due in (date(2024, 3, 1), date(2024, 3, 5), date(2024, 4, 1)):
        claim = make.assigned_claim(checker, due_date=due)
    claim.article.title = "Quotes \" ' \\ <b>&amp;</b>\n\t— ✓ \u2028"
    claim.score = 0.1 + 0.2
    db.session.flush()
    claims = _statement()
    scores = (select(Claim.id, Claim.score, func.avg(Claim.score).over().label("mean"), Claim.assignee_id)
              .where(Claim.id == bindparam("claim_id")))
    nothing = select(Claim.id, Claim.due_date).where(Claim.id < 0)
    selects = driver_sql.together((claims, lambda rows: (rows.c.id.desc(),)), (scores, None), (nothing, None))
    connection = db.session.connection()
    for day in (date(2024, 3, 2), date(2024, 3, 30), date(2024, 1, 1)):
        params = {"day": day, "claim_id": claim.id}
        first, second, third = driver_sql.run_together(connection, selects, params)
        expected = list(reversed(connection.execute(built.once(_statement), params).all()))
        assert [tuple(row) for row in first] == [tuple(row) for row in expected]
        assert [tuple(map(type, row)) for row in first] == [tuple(map(type, row)) for row in expected]
        assert [tuple(row) for row in second] == [tuple(row) for row in connection.execute(scores, params).all()]
        assert third == []
    [row] = second
    assert row.score == 0.1 + 0.2 and type(row.score) is float and row.assignee_id == checker.id
    titles = [row.title for row in driver_sql.run_together(connection, selects, {"day": date(2025, 1, 1),
                                                                                "claim_id": claim.id})[0]]
    assert claim.article.title in titles


def test_a_statement_too_long_for_psycopg_s_cache_is_sent_as_it_is(make):
    """A statement longer than psycopg keeps converted (4,096 characters, 50 parameters) is written with
    $1, $2… once and run on psycopg's raw cursor: the same rows, and the engine's other statements
    keep their cursor."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's")
    claim = make.assigned_claim(due_date=date(2024, 3, 1))
    day = bindparam("day", type_=Date())
    long = built.once(lambda: select(Claim.id, Claim.due_date, *(
        (Claim.due_date < day).label(f"before_the_day_with_a_long_name_{n:03}") for n in range(60))).where(
            Claim.id == bindparam("claim_id")).order_by(Claim.id))
    connection = db.session.connection()
    params = {"day": date(2024, 3, 2), "claim_id": claim.id}
    assert driver_sql._plan(connection.dialect, long).raw and not driver_sql._plan(connection.dialect,
                                                                                 built.once(_statement)).raw
    [row] = driver_sql.run(connection, long, params)
    assert tuple(row) == tuple(connection.execute(long, params).one())
    assert row.due_date == date(2024, 3, 1) and row[2] is True
    assert type(connection.connection.dbapi_connection.cursor()).__name__ == "Cursor"


def test_run_lean_gives_run_s_rows_and_is_counted(make):
    """``run_lean`` (no SQLAlchemy result: the statement through ``Connection._cursor_execute``) gives
    ``run``'s rows, values and types, and the engine's cursor events see its statement."""
    checker = make.user("checker")
    for due in (date(2024, 3, 1), date(2024, 3, 5), date(2024, 4, 1)):
        make.assigned_claim(checker, due_date=due)
    statement = built.once(_statement)
    connection = db.session.connection()
    seen: list[str] = []

    def on_execute(conn, cursor, sql, parameters, context, executemany):
        seen.append(sql)

    for day in (date(2024, 3, 2), date(2024, 3, 30), date(2024, 1, 1)):
        expected = driver_sql.run(connection, statement, {"day": day})
        sa.event.listen(db.engine, "before_cursor_execute", on_execute)
        try:
            rows = driver_sql.run_lean(connection, statement, {"day": day})
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", on_execute)
        assert rows == expected and [tuple(map(type, row)) for row in rows] == [tuple(map(type, row)) for row in expected]
        assert not rows or rows[0]._fields == expected[0]._fields
    assert len(seen) == 3 and all("claims" in sql for sql in seen)
    with pytest.raises(sa.exc.DBAPIError):  # the driver's error, wrapped as SQLAlchemy wraps it
        driver_sql.run_lean(connection, built.once(lambda: select(func.no_such_function(Claim.id))), {})

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
