"""The claims list page's claims and the checkers its forms offer, read on the driver.

The page shows a page of claims (``claim_queries.claims_list_rows``) and, for its assignee filter and
its bulk-assign form, every active checker (``users.checkers``). Each statement went through
SQLAlchemy's execution (its cache key walked over the whole select, a result and its metadata built)
for a few dozen rows, which cost about what the database took to answer; here they run on the driver
(``driver_sql.untyped_named``).

On PostgreSQL both are read in one statement, a ``UNION ALL`` (as the article page reads its claims
with the checkers): a statement there is a round trip, and psycopg's work on each. On SQLite, where a
statement is a function call, the union cost more than the two it replaces (0.21 against 0.13 ms
in SQLite alone at 16×: each checker's row padded with the claims' seventeen columns, the claims
copied through a subquery for their ORDER BY and LIMIT), so SQLite runs the two, and only once the database has changed since they last ran
(``unchanged.kept_while_unchanged``).
"""
from __future__ import annotations

import operator
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, literal_column, null, select, union_all

from factcheck.services import built, claim_queries, driver_sql, kept_reads, unchanged, users
from factcheck.services.claim_queries import ClaimFilters, ClaimPage, ClaimRow
from factcheck.services.context import DbSession
from factcheck.services.users import CHECKERS, Checker


def claims_and_checkers(session: DbSession, filters: ClaimFilters, *, before_id: int | None = None, limit: int = 50,
                        today: date | None = None) -> tuple[ClaimPage[ClaimRow], list[Checker]]:
    """``claim_queries.claims_list_rows`` and ``users.checkers``. What is made of the rows read is kept
    while the same rows come back (``kept_reads``, as ``claim_queries`` keeps its lists'): typing fifty
    rows and making their ``ClaimRow``s was some 5 % of the page."""
    session.flush()  # what autoflush would have done
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        # Kept while the database has not changed (``unchanged``: SQLite's ``data_version``, moved by every
        # commit of any connection), as the dashboard's and the audit log's reads are: the two statements
        # and the comparison of their rows were some 45 % of the page's own work. They depend on nothing
        # but the rows and these values.
        return unchanged.kept_while_unchanged(
            connection, ("claims list", filters, before_id, limit, today),
            lambda: (claim_queries.claims_list_rows(session, filters, before_id=before_id, limit=limit, today=today),
                     users.checkers(session)))
    values = claim_queries._filter_values(filters, before_id, today)
    # The page size is written into the statement (one per setting), not given as a parameter: see
    # ``_with_checkers``.
    statement = built.once(_with_checkers, tuple(values), limit + 1)
    raw, typed, keys = driver_sql.untyped_named(connection, statement, values)
    return kept_reads.made_of(("postgresql", id(statement), *values.items()), raw,
                              lambda rows: _claims_and_checkers_of(rows, typed, keys, limit))


def _claims_and_checkers_of(raw: Sequence[Any], typed: driver_sql.Processors, keys: tuple[str, ...],
                            limit: int) -> tuple[ClaimPage[ClaimRow], list[Checker]]:
    """The page of claims and the checkers from the rows of ``_with_checkers``."""
    part = keys.index("part")
    place = operator.itemgetter(part + 3)
    # The rows come in no particular order (an ORDER BY over the union would sort the claims' wide rows
    # too): each part is put in its order here.
    claims = sorted((row for row in raw if not row[part]), key=place, reverse=True)
    # A checker's name and e-mail are in columns typed by the claims' NULLs there: the driver's text as is.
    checkers = [Checker(row[0], row[part + 1], row[part + 2]) for row in sorted((row for row in raw if row[part]), key=place)]
    # Only the claims' own columns, before ``part``, are typed for a claim.
    claim_typed = tuple(processor for processor in typed if processor[0] < part)
    return ClaimPage.of(claim_queries.claim_rows_of(claims, claim_typed, keys), limit), checkers


def _with_checkers(names: tuple[str, ...], rows: int) -> Any:
    """The claims list with the conditions ``names`` (``claim_queries._claims_list``: the newest claims),
    ``rows`` of them, then the checkers: each row of the same columns, a checker's id in ``id``, its name
    and e-mail in the two after ``part``, then ``place``: a claim's id (newest first: the largest), a
    checker's rank by name as ``users.CHECKERS`` orders them (the database's collation: not Python's).

    The number of rows and the checkers' role are written into the SQL (``unchanged.constants_written``),
    not given as parameters. psycopg prepares a statement run five times on a connection, and PostgreSQL
    then plans it once for all executions only if that generic plan looks no dearer than the plans made
    for the values given; with the LIMIT a parameter, the generic plan guessed a tenth of the claims and
    was never taken, so the statement was planned afresh at every view: 0.35–0.5 ms of the server's time
    (EXPLAIN ANALYZE of the prepared statement, 16×) against 0.005 ms with the constants written, for
    an execution of 0.2 ms."""
    claims = claim_queries._claims_list(names).limit(literal_column(str(int(rows)))).subquery("listed")
    who = CHECKERS.order_by(None).subquery("who")
    width = len(claims.c)
    claim_part = select(*claims.c, literal_column("0").label("part"), null().label("checker_name"),
                        null().label("checker_email"), claims.c.id.label("place"))
    rank = func.row_number().over(order_by=(who.c.display_name, who.c.id))
    checker_part = select(who.c.id, *[null()] * (width - 1), literal_column("1"), who.c.display_name, who.c.email,
                          rank)
    return unchanged.constants_written(union_all(claim_part, checker_part))
