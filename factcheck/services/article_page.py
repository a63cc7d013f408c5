"""Reading an article for its page: the article, its current revision, its claims and their assignees.
No writes here."""
from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Boolean, Dialect, Text, bindparam, case, cast, func, literal, null, select, union_all
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from factcheck.errors import NotFound
from factcheck.kept_by_identity import KeptByIdentity
from factcheck.models import Article, Claim, Revision, User
from factcheck.services import driver_sql, loaded_rows
from factcheck.services.context import DbSession
from factcheck.services.users import CHECKERS, Checker

# Built once, the article's id a bound parameter: building the statements and their cache keys on every
# request, and ``selectinload``'s per-path loader machinery, cost more than running them (issue 15).
# The article with its current revision: the columns the ORM's ``joinedload`` selects, read on the
# session's connection and made into the session's objects (``loaded_rows``, as the claim page's are;
# the ORM's execution and loading path cost about twice the statement).
_ARTICLE_COLUMNS, _REVISION_COLUMNS = loaded_rows.Columns(Article), loaded_rows.Columns(Revision)
_ARTICLE = (select(*loaded_rows.select_columns(_ARTICLE_COLUMNS, _REVISION_COLUMNS))
            .outerjoin(Revision, Revision.id == Article.current_revision_id)
            .where(Article.id == bindparam("article_id")))
# In the relationship's order (``Article.claims``): the same claims, in the same order, as the ORM gives.
_CLAIMS = (select(Claim).options(joinedload(Claim.assignee))
           .where(Claim.article_id == bindparam("article_id")).order_by(Claim.start, Claim.id))


class _ClaimColumns(NamedTuple):
    id: int
    revision_id: int
    start: int
    end: int
    quote: str
    statement: str
    claimant: str | None
    via: list[str]
    kind: str
    score: float | None
    status: str
    priority: str
    due_date: date | None
    assignee_id: int | None
    assignee_name: str | None
    verdict: str | None
    proposed_by_id: int | None
    finalized_at: datetime | None
    resolution: str | None
    text_changed: bool
    changed_from: str | None
    version: int
    article_status: str


class ArticleClaim(_ClaimColumns):
    """A claim as the article page shows it (its card, its mark in the text, whether it blocks approval)
    and as ``claims.ActionsByKind.of_row`` reads it: the columns of one statement, not an ORM object (an
    article's twenty claims with their assignees, built as objects, were a fifth of the page)."""

    __slots__ = ()
    # The model's own wording, so the card and the claim page cannot differ.
    label = Claim.label


_CLAIM_ROWS = (select(Claim.id, Claim.revision_id, Claim.start, Claim.end, Claim.quote, Claim.statement,
                      Claim.claimant, Claim.via, Claim.kind, Claim.score, Claim.status, Claim.priority,
                      Claim.due_date, Claim.assignee_id, User.display_name.label("assignee_name"), Claim.verdict,
                      Claim.proposed_by_id, Claim.finalized_at, Claim.resolution, Claim.text_changed,
                      Claim.changed_from, Claim.version)
               .outerjoin(User, User.id == Claim.assignee_id)
               .where(Claim.article_id == bindparam("article_id")).order_by(Claim.start, Claim.id))


def article(session: DbSession, article_id: int) -> Article:
    """The article with its current revision (404 when there is none); its claims are not loaded."""
    return article_of_row(session, article_row(session, article_id))


def article_row(session: DbSession, article_id: int) -> Any:
    """The row ``article`` makes the article and its current revision of (404 when there is none): every
    column of both, typed, compared with ``==`` by a page kept for it (``views.kept_article_pages``)."""
    session = loaded_rows.own_session(session)
    session.flush()  # what the session's autoflush would have done: the row sees the request's changes
    # On the driver (``driver_sql.run_lean``: compiled once, no cache key walked, no result built):
    # through SQLAlchemy's execution and result the one row cost about as much as making its objects.
    rows = driver_sql.run_lean(session.connection(), _ARTICLE, {"article_id": article_id})
    if not rows:
        raise NotFound("There is no such article.")
    return rows[0]


def article_of_row(session: DbSession, row: Any) -> Article:
    """The session's article and current revision of ``article_row``'s row."""
    session = loaded_rows.own_session(session)
    found: Article = loaded_rows.persistent(session, _ARTICLE_COLUMNS, row)
    loaded_rows.set_loaded(found, "current_revision", loaded_rows.persistent(session, _REVISION_COLUMNS, row))
    return found


def load(session: DbSession, article_id: int) -> Article:
    """The article with its current revision and its claims (with their assignees) loaded, for the steps
    taken from its page, in two statements (404 when there is none)."""
    found = article(session, article_id)
    # As the ORM's own loaders do, a collection this session already holds (with any change not yet
    # flushed) is kept.
    if "claims" not in found.__dict__:
        claims = list(session.scalars(_CLAIMS, {"article_id": article_id}))
        set_committed_value(found, "claims", claims)
        for claim in claims:
            # Each claim's article is this one: set, not looked up in the identity map claim by claim.
            if "article" not in claim.__dict__:
                set_committed_value(claim, "article", found)
    return found


class ArticleClaims(list[ArticleClaim]):
    """An article's claims as its page shows them, in order, with ``key``: the driver's rows they were
    made of and the article's status, which hold every value of every claim (the page's kept cards are
    kept under it, as the claims themselves are here)."""

    __slots__ = ("key",)

    def __init__(self, claims: tuple[ArticleClaim, ...], key: tuple[Any, ...]) -> None:
        super().__init__(claims)
        self.key = key


# The claims (and checkers) made of the driver's rows, kept per process under those rows and the
# article's status: an article's page is read again and again with the same rows, and typing them (the
# dates and the relays' JSON on SQLite) and making them into rows in their order was a third of reading
# them (issue 15). Any change to a claim, its assignee's name or the checkers is a new row, so a new key.
# The kept claims are shared between views: nothing changes them (their ``via`` lists included).
# Bounded, and emptied when full (as ``views.kept`` does): a bound, not an eviction policy.
_Made = tuple[tuple[ArticleClaim, ...], tuple[Checker, ...]]
_kept: dict[tuple[Any, ...], tuple[_Made, tuple[Any, ...]]] = {}
_AT_MOST = 512


def _kept_or_made(key: tuple[Any, ...], make: Callable[[], _Made]) -> tuple[tuple[ArticleClaim, ...],
                                                                          tuple[Checker, ...], tuple[Any, ...]]:
    """The claims and checkers kept under ``key`` (made the first time), and the key they were first kept
    under: equal to ``key``, but its texts the kept ones, so that the page's other stores keyed by it hold
    one copy of them and find their entries by identity rather than comparing the texts again."""
    found = _kept.get(key)
    if found is None:
        if len(_kept) >= _AT_MOST:
            _kept.clear()
        found = _kept[key] = (make(), key)
    (claims, checkers), kept_key = found
    return claims, checkers, kept_key


def _rows_key(rows: Sequence[Any]) -> tuple[Any, ...]:
    """The driver's rows as a key: as they are, but the relays' JSON as a tuple where the driver made it a
    list (psycopg does; SQLite gives its text)."""
    return tuple(row if row[_VIA].__class__ is not list else (*row[:_VIA], tuple(row[_VIA]), *row[_VIA + 1:])
                 for row in rows)


def claim_rows(session: DbSession, shown: Article) -> ArticleClaims:
    """The article's claims as its page shows them, in the order of ``Article.claims``."""
    return claim_rows_of(session, shown.id, shown.status)


def claim_rows_of(session: DbSession, article_id: int, status: str) -> ArticleClaims:
    """``claim_rows`` of the article ``article_id`` whose status is ``status``."""
    # On the session's connection, in its transaction: a Core statement needs none of the ORM session's
    # execution machinery, which cost more than reading the rows (issue 15). The flush is what the
    # session's autoflush would have done: the rows see the request's own changes.
    session.flush()
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name in _ONE_VALUE:
        [(claims_json,)], _typed = driver_sql.untyped(connection, _CLAIMS_ONE_VALUE, {"article_id": article_id})
        key: tuple[Any, ...] = (dialect.name, False, status, claims_json)
        claims, _checkers, key = _kept_or_made(key, lambda: (_claims_of_json(
            claims_json, dialect, status, lambda: _claims_of_rows(connection, article_id, status)), ()))
        return ArticleClaims(claims, key)
    rows, typed = driver_sql.untyped(connection, _CLAIM_ROWS_IN_ANY_ORDER, {"article_id": article_id})
    key = (dialect.name, False, status, _rows_key(rows))
    claims, _checkers, key = _kept_or_made(key, lambda: (_claims_in_order(rows, typed, status), ()))
    return ArticleClaims(claims, key)


def _claims_of_rows(connection: Any, article_id: int, status: str) -> tuple[ArticleClaim, ...]:
    rows, typed = driver_sql.untyped(connection, _CLAIM_ROWS_IN_ANY_ORDER, {"article_id": article_id})
    return _claims_in_order(rows, typed, status)


def _claims_in_order(rows: Sequence[Any], typed: driver_sql.Processors, status: str) -> tuple[ArticleClaim, ...]:
    return tuple(_claim(row, _claim_processors(typed), status) for row in sorted(rows, key=_PLACE))


# The relationship's order (``Article.claims``: by start, then id), both integers, so the same in Python
# as in either database: the rows are read in any order and sorted here (sorting twenty rows with their
# texts was about a sixth of SQLite's work on them).
_CLAIM_ROWS_IN_ANY_ORDER = _CLAIM_ROWS.order_by(None)
_PLACE = operator.itemgetter(_ClaimColumns._fields.index("start"), _ClaimColumns._fields.index("id"))
_VIA = _ClaimColumns._fields.index("via")
# Each plan's processors as ``_claim`` uses them, by the plan's own tuple.
_PROCESSORS: KeptByIdentity[driver_sql.Processors] = KeptByIdentity(at_most=256)


def _claim_processors(typed: driver_sql.Processors) -> driver_sql.Processors:
    """The processors of the claims' columns (not the checkers'), the relays' JSON read without the
    JSON decoder when it is the empty list most claims have (decoding it was a twentieth of the rows)."""
    return _PROCESSORS.get(typed, None, lambda: tuple(
        (position, _empty_list_first(processor) if position == _VIA else processor)
        for position, processor in typed if position < _CLAIM_WIDTH))


def _empty_list_first(processor: driver_sql.Processor) -> driver_sql.Processor:
    def process(value: Any) -> Any:
        return [] if value == "[]" else processor(value)
    return process


def _claim(row: Any, typed: driver_sql.Processors, status: str) -> ArticleClaim:
    """A claim's row from the driver (its first ``_CLAIM_WIDTH`` columns) typed as SQLAlchemy types it
    (``typed``: the processors of the columns that need one, such as SQLite's dates and JSON)."""
    if not typed:
        return ArticleClaim._make((*row[:_CLAIM_WIDTH], status))
    items = list(row[:_CLAIM_WIDTH])
    for position, processor in typed:
        items[position] = processor(items[position])
    items.append(status)
    return ArticleClaim._make(items)


# The claims' rows and, after them, the active checkers (the assignment choices of a viewer who may
# assign) in one statement: the claims' part 0, then one row (part 1) whose ``checkers`` column holds
# every active checker as a JSON array of ``[id, name, e-mail]`` (issue 15: the checkers' own statement
# was a tenth of the page; read as forty rows padded with twenty-two NULLs each to the claims' width,
# SQLite took 64 µs for what it reads in 24 as one aggregated row, and every padded row cost the driver
# as much again). The claims are ordered by their place, as alone.
_WHO_CHECKS = CHECKERS.order_by(None).subquery()
_CLAIM_PART = _CLAIM_ROWS.order_by(None).add_columns(literal(0).label("part"), null().label("checkers"))
# The first named as the claims' ids are: SQLite matches a compound select's ORDER BY term by name.
_PADDING = [null().label("id")] + [null()] * (len(_ClaimColumns._fields) - 2)
_CLAIM_WIDTH = len(_ClaimColumns._fields) - 1  # the columns of the statement before ``part``
_CHECKER_ROW = func.json_array(_WHO_CHECKS.c.id, _WHO_CHECKS.c.display_name, _WHO_CHECKS.c.email)


def _with_checkers(aggregated: Any) -> Any:
    # In no order: the claims are put in their places here (``_PLACE``), which SQLite did by sorting the
    # rows, their texts and all, in a temporary B-tree.
    return union_all(_CLAIM_PART, select(*_PADDING, literal(1), aggregated).select_from(_WHO_CHECKS))


# By dialect: each has its own JSON aggregate. PostgreSQL orders the checkers in the aggregate, by its
# collation, as ``CHECKERS`` (by name, then id); SQLite 3.40 cannot order inside an aggregate, so its
# array is sorted here by (name, id) — SQLite's BINARY collation compares UTF-8 bytes, which order as
# Python's code points do, so that is the order ``ORDER BY display_name, id`` gives.
_CLAIMS_AND_CHECKERS = {
    "sqlite": _with_checkers(func.json_group_array(_CHECKER_ROW)),
    "postgresql": _with_checkers(cast(func.json_agg(aggregate_order_by(
        func.json_build_array(_WHO_CHECKS.c.id, _WHO_CHECKS.c.display_name, _WHO_CHECKS.c.email),
        _WHO_CHECKS.c.display_name, _WHO_CHECKS.c.id)), Text)),
}
_SORTED_HERE = frozenset({"sqlite"})


@functools.lru_cache(maxsize=16)
def _checkers(aggregated: str | None, sort: bool) -> tuple[Checker, ...]:
    """The checkers of the aggregated row's JSON (sorted by name and id where ``sort``), kept by the
    text: the same on every view until someone joins, leaves or is renamed (decoding it each time was
    about a sixtieth of the page)."""
    found = [Checker(*checker) for checker in json.loads(aggregated or "[]")]
    if sort:
        found.sort(key=lambda checker: (checker.display_name, checker.id))
    return tuple(found)


def claims_and_checkers(session: DbSession, shown: Article) -> tuple[ArticleClaims, list[Checker]]:
    """``claim_rows`` and ``users.checkers``, in one statement."""
    return claims_and_checkers_of(session, shown.id, shown.status)


def claims_and_checkers_of(session: DbSession, article_id: int, status: str) -> tuple[ArticleClaims, list[Checker]]:
    """``claims_and_checkers`` of the article ``article_id`` whose status is ``status``."""
    session.flush()
    connection = session.connection()
    dialect = connection.dialect.name
    # On the driver (``driver_sql.untyped``: compiled once, no cache key walked, no result built), and only
    # the claims' columns typed: reading the union's rows through SQLAlchemy's result, every column of
    # every row processed and looked up by name, was a sixth of the page (issue 15).
    if dialect in _ONE_VALUE:
        [(claims_json, checkers_json)], _typed = driver_sql.untyped(
            connection, _CLAIMS_AND_CHECKERS_ONE_ROW, {"article_id": article_id})
        key: tuple[Any, ...] = (dialect, True, status, claims_json, checkers_json)
        claims, checkers, key = _kept_or_made(key, lambda: (
            _claims_of_json(claims_json, connection.dialect, status,
                            lambda: _claims_of_rows(connection, article_id, status)),
            _checkers(checkers_json, True)))
        return ArticleClaims(claims, key), list(checkers)
    rows, typed = driver_sql.untyped(connection, _CLAIMS_AND_CHECKERS[dialect], {"article_id": article_id})
    key = (dialect, True, status, _rows_key(rows))
    claims, checkers, key = _kept_or_made(key, lambda: _claims_and_checkers(rows, _claim_processors(typed), status,
                                                                   dialect in _SORTED_HERE))
    return ArticleClaims(claims, key), list(checkers)


def _claims_and_checkers(rows: Sequence[Any], typed: driver_sql.Processors, status: str, sort: bool
                         ) -> tuple[tuple[ArticleClaim, ...], tuple[Checker, ...]]:
    in_any_order: list[Any] = []
    checkers: tuple[Checker, ...] = ()
    for row in rows:
        if row[_CLAIM_WIDTH]:  # the part: the checkers' row
            checkers = _checkers(row[_CLAIM_WIDTH + 1], sort)
        else:
            in_any_order.append(row)
    in_any_order.sort(key=_PLACE)
    return tuple(_claim(row, typed, status) for row in in_any_order), checkers


# SQLite: the claims as one value, a JSON array of each claim's columns (``json_group_array`` of
# ``json_array``), and with the checkers' array beside it in one row. SQLite's own work grows with the
# values it hands the driver (twenty claims' twenty-two columns each were 84 µs, where the same rows as
# one value are 50), and the one text is the key the claims are kept under (``_kept``): a view of the
# same claims hashes it and reads no further. The columns are those of ``_CLAIM_ROWS``, in its order,
# each value as SQLite holds it (texts, integers, NULLs), so the same processors type them; but the
# score, a REAL, goes as its text with seventeen significant digits (JSON's number from SQLite has
# fifteen, not always the same float again). Seventeen digits from SQLite's ``printf`` (``%!.17g``:
# without the ``!`` it stops at sixteen) read back as the same float for every score the app makes
# (check-worthiness, from 0 to 1: 30,000 random floats and 15,000 random bit patterns in that range,
# SQLite 3.40), but not for some of magnitude 1e299; so a score outside 0–1 is sent as ``"?"`` and the
# claims are then read as rows (a second statement, for data the app never writes).
_ONE_VALUE = frozenset({"sqlite"})
_SCORE = _ClaimColumns._fields.index("score")
_CLAIM_COLUMNS = list(_CLAIM_ROWS.selected_columns)
_CLAIMS_ONE_VALUE = (
    select(func.json_group_array(func.json_array(*(
        case((column.is_(None), null()), (column.between(0, 1), func.printf("%!.17g", column)), else_=literal("?"))
        if position == _SCORE else column
        for position, column in enumerate(_CLAIM_COLUMNS)))))
    .select_from(Claim).outerjoin(User, User.id == Claim.assignee_id)
    .where(Claim.article_id == bindparam("article_id")))
_CLAIMS_AND_CHECKERS_ONE_ROW = select(
    _CLAIMS_ONE_VALUE.scalar_subquery(),
    select(func.json_group_array(_CHECKER_ROW)).select_from(_WHO_CHECKS).scalar_subquery())
# The claims' columns' processors by dialect (as ``driver_sql`` works them out for the rows' own).
_JSON_PROCESSORS: dict[str, driver_sql.Processors] = {}


def _claims_of_json(claims_json: str, dialect: Dialect, status: str,
                    as_rows: Callable[[], tuple[ArticleClaim, ...]]) -> tuple[ArticleClaim, ...]:
    """The claims of the array's JSON, typed and in order (``as_rows`` reads them as rows where a score
    could not be sent exactly)."""
    typed = _JSON_PROCESSORS.get(dialect.name)
    if typed is None:
        typed = _JSON_PROCESSORS[dialect.name] = _claim_processors(tuple(
            (position, processor) for position, column in enumerate(_CLAIM_COLUMNS)
            if (processor := column.type.dialect_impl(dialect).result_processor(dialect, None)) is not None))
    rows = json.loads(claims_json)
    # Each row typed in place (the decoder's own list, of the claims' columns only), a NULL left as it is
    # (every processor gives None for it): a row copied and every processor called was a third of making
    # a first view's claims.
    for row in rows:
        score = row[_SCORE]
        if score is not None:
            if score == "?":
                return as_rows()
            row[_SCORE] = float(score)
        for position, convert in typed:
            value = row[position]
            if value is not None:
                row[position] = convert(value)
        row.append(status)
    rows.sort(key=_PLACE)
    return tuple(map(ArticleClaim._make, rows))


# ---- the page in one statement ------------------------------------------------------------------------
# The article's row (the article with its current revision) and, beside it in the same row, its claims as
# one JSON value and, for a viewer who may assign, the active checkers as another: one statement and (on
# PostgreSQL) one round trip, where the article and its claims were two (issue 15: on PostgreSQL each
# statement was about a sixth of the page's time, mostly waiting on the server). The claims' text is the
# key they are kept under (``_kept``), as on SQLite before; on PostgreSQL the claims are
# ``json_agg(json_build_array(…))`` of ``_CLAIM_ROWS``' columns, cast to text, and typed back here as
# ``driver_sql`` types the JSON of the selects it reads together (dates and times from their ISO text, the
# score a float even when JSON wrote it whole, the relays a list as the driver gives them).
_ARTICLE_WIDTH = len(_ARTICLE.selected_columns)
_WITH_CHECKERS = bindparam("with_checkers", type_=Boolean)
_PG_CLAIMS = cast(
    select(func.json_agg(func.json_build_array(*_CLAIM_COLUMNS)))
    .select_from(Claim).outerjoin(User, User.id == Claim.assignee_id)
    .where(Claim.article_id == bindparam("article_id")).scalar_subquery(), Text)
_PG_CHECKERS = cast(
    select(func.json_agg(aggregate_order_by(
        func.json_build_array(_WHO_CHECKS.c.id, _WHO_CHECKS.c.display_name, _WHO_CHECKS.c.email),
        _WHO_CHECKS.c.display_name, _WHO_CHECKS.c.id))).select_from(_WHO_CHECKS).scalar_subquery(), Text)
_SQLITE_CHECKERS = select(func.json_group_array(_CHECKER_ROW)).select_from(_WHO_CHECKS).scalar_subquery()
_PAGE = {
    "sqlite": _ARTICLE.add_columns(_CLAIMS_ONE_VALUE.scalar_subquery(),
                                   case((_WITH_CHECKERS, _SQLITE_CHECKERS), else_=null())),
    "postgresql": _ARTICLE.add_columns(_PG_CLAIMS, case((_WITH_CHECKERS, _PG_CHECKERS), else_=null())),
}


class PageRows(NamedTuple):
    """What ``page_rows`` read: the article's row as the driver gave it (``as_read``: compared by a kept
    page before anything is typed) and its claims' and checkers' JSON."""

    as_read: tuple[Any, ...]
    claims_json: str | None
    checkers_json: str | None
    with_checkers: bool
    processors: driver_sql.Processors  # of the article's columns that need one
    # The dialect of the connection it was read on: ``page_claims`` needs no more of the session (asking
    # it for its connection again was a fortieth of a first view).
    dialect: Dialect | None = None

    @property
    def article(self) -> tuple[Any, ...]:
        """The article's row typed, as ``article_row`` gives it (for ``article_of_row``)."""
        return tuple(driver_sql.typed(self.as_read, self.processors)) if self.processors else self.as_read


def page_rows(session: DbSession, article_id: int, *, with_checkers: bool) -> PageRows:
    """The article's row, its claims and (``with_checkers``) the active checkers, in one statement (404
    when there is no such article). A dialect without its statement here reads them as two."""
    session = loaded_rows.own_session(session)
    session.flush()  # what the session's autoflush would have done: the rows see the request's changes
    connection = session.connection()
    statement = _PAGE.get(connection.dialect.name)
    if statement is None:
        return PageRows(tuple(article_row(session, article_id)), None, None, with_checkers, (), connection.dialect)
    # Untyped: a view of a kept page compares the driver's values and types none of them (SQLite's
    # dates and the revision's furniture JSON were a thirtieth of such a view).
    rows, processors = driver_sql.untyped(connection, statement, {"article_id": article_id,
                                                                  "with_checkers": with_checkers})
    if not rows:
        raise NotFound("There is no such article.")
    row = rows[0]
    return PageRows(tuple(row[:_ARTICLE_WIDTH]), row[_ARTICLE_WIDTH], row[_ARTICLE_WIDTH + 1], with_checkers,
                    _article_processors(processors), connection.dialect)


_ARTICLE_PROCESSORS: KeptByIdentity[driver_sql.Processors] = KeptByIdentity(at_most=256)


def _article_processors(processors: driver_sql.Processors) -> driver_sql.Processors:
    """The processors of the article's columns among the statement's (kept by the plan's own tuple)."""
    return _ARTICLE_PROCESSORS.get(processors, None, lambda: tuple(
        (position, processor) for position, processor in processors if position < _ARTICLE_WIDTH))


def page_claims(session: DbSession, article_id: int, status: str, read: PageRows
                ) -> tuple[ArticleClaims, list[Checker]]:
    """The claims (and checkers, where read) of ``page_rows``, as ``claims_and_checkers`` (or
    ``claim_rows``, with no checkers) gives them, kept under the same kind of key."""
    dialect = read.dialect or loaded_rows.own_session(session).connection().dialect
    if dialect.name not in _PAGE:
        return (claims_and_checkers_of(session, article_id, status) if read.with_checkers
                else (claim_rows_of(session, article_id, status), []))
    claims_json = read.claims_json or "[]"  # PostgreSQL's json_agg of no rows is NULL
    key: tuple[Any, ...] = ((dialect.name, True, status, claims_json, read.checkers_json) if read.with_checkers
                            else (dialect.name, False, status, claims_json))
    if dialect.name in _ONE_VALUE:
        def make() -> _Made:
            return (_claims_of_json(claims_json, dialect, status, lambda: _claims_of_rows(
                        loaded_rows.own_session(session).connection(), article_id, status)),
                    _checkers(read.checkers_json, True) if read.with_checkers else ())
    else:
        def make() -> _Made:
            return (_claims_of_typed_json(claims_json, dialect, status),
                    _checkers(read.checkers_json, dialect.name in _SORTED_HERE) if read.with_checkers else ())
    claims, checkers, key = _kept_or_made(key, make)
    return ArticleClaims(claims, key), list(checkers)


# The claims' columns' converters from JSON by dialect (``driver_sql``'s, as for selects read together).
_FROM_JSON: dict[str, driver_sql.Processors] = {}


def _claims_of_typed_json(claims_json: str, dialect: Dialect, status: str) -> tuple[ArticleClaim, ...]:
    """The claims of PostgreSQL's JSON array of their columns, typed as the driver's rows are, in order."""
    converters = _FROM_JSON.get(dialect.name)
    if converters is None:
        converters = _FROM_JSON[dialect.name] = driver_sql.from_json(
            dialect, tuple(column.type for column in _CLAIM_COLUMNS))
    rows = json.loads(claims_json)
    for row in rows:
        for position, convert in converters:
            if row[position] is not None:
                row[position] = convert(row[position])
    rows.sort(key=_PLACE)
    return tuple(ArticleClaim._make((*row, status)) for row in rows)
