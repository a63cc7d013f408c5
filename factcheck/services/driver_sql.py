"""A statement built once (``built.once``), run on the database driver: compiled once per dialect,
then each execution only binds its parameters and types its rows.

SQLAlchemy's execution of a kept select still walks the whole statement for its cache key, looks
the compiled form up, and builds a result with its metadata: for the dashboard's five aggregates
(each a few dozen rows at most) that took longer than the database's work, about 0.1–0.2 ms a
statement on SQLite. Here the compiled SQL, the order of its parameters and the processors of its
parameters and columns are worked out once; the values and rows pass through the same processors
SQLAlchemy would have used (dates from SQLite's text, aware UTC times, booleans).
"""
from __future__ import annotations

import copy
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import sqltypes
from sqlalchemy.types import TypeDecorator

from factcheck.kept_by_identity import KeptByIdentity
from factcheck.services import built

Processor = Callable[[Any], Any]
Processors = tuple[tuple[int, Processor], ...]


@dataclass
class _Plan:
    sql: str
    positional: bool
    names: tuple[str, ...]  # every parameter, in the statement's order
    given: dict[str, Any]  # processed values of the parameters that carry their own (constants, LIMIT)
    processors: dict[str, Processor | None]  # of the parameters given at execution
    row: Any  # a named tuple of the result's columns
    types: tuple[Any, ...]  # each column's SQLAlchemy type, for its result processor
    # (position, processor) of the columns that need one: worked out on the plan's first run, from
    # the driver's own type codes (psycopg's numeric processors need them).
    columns: tuple[tuple[int, Processor], ...] | None = None
    # psycopg: the SQL written with $1, $2… and run on a raw cursor (``_uncached_by_psycopg``).
    raw: bool = False


# Per statement (by identity: each is kept for the process, ``built.once``) and dialect's name. Bounded
# against statements that are not kept after all (each would be a new entry).
_PLANS: KeptByIdentity[_Plan] = KeptByIdentity(at_most=4096)


def run(connection: Connection, statement: Any, params: Mapping[str, Any]) -> list[Any]:
    """The rows of ``statement`` (kept for the process: it must be one of ``built.once``'s) with
    ``params``, as named tuples of its columns."""
    plan = _plan(connection.dialect, statement)
    description, raw = _fetched(connection, plan, params)
    return _typed(connection.dialect, plan, description, raw)


def untyped(connection: Connection, statement: Any, params: Mapping[str, Any]) -> tuple[Sequence[Any], Processors]:
    """``run_lean``'s rows as the driver gives them (plain tuples, not yet typed), with the position and
    processor of each column that needs one: for a caller that reads only some columns of some rows
    and types just those (``article_page``'s claims and checkers)."""
    rows, columns, _names = untyped_named(connection, statement, params)
    return rows, columns


def untyped_named(connection: Connection, statement: Any, params: Mapping[str, Any]
                  ) -> tuple[Sequence[Any], Processors, tuple[str, ...]]:
    """``untyped`` and the names of the statement's columns: for a caller that makes its own kind of
    row, or two kinds from one statement (the lists), rather than ``run_lean``'s named tuples."""
    plan = _plan(connection.dialect, statement)
    description, rows = _lean_fetched(connection, plan, params)
    return rows, processors(connection.dialect, plan, description), plan.row._fields


def typed(row: Sequence[Any], processors: Processors) -> list[Any]:
    """An untyped row's values, each column with a processor through it."""
    items = list(row)
    for position, processor in processors:
        items[position] = processor(items[position])
    return items


def _fetched(connection: Connection, plan: _Plan, params: Mapping[str, Any]) -> tuple[Any, Sequence[Any]]:
    parameters = _parameters(plan, params)
    if plan.raw:
        driver = connection.connection.dbapi_connection
        factory = driver.cursor_factory  # type: ignore[union-attr]
        driver.cursor_factory = _raw_cursor()  # type: ignore[union-attr]
        try:
            cursor = connection.exec_driver_sql(plan.sql, parameters)
        finally:
            driver.cursor_factory = factory  # type: ignore[union-attr]
    else:
        cursor = connection.exec_driver_sql(plan.sql, parameters)
    return cursor.cursor.description, cursor.fetchall()


def run_lean(connection: Connection, statement: Any, params: Mapping[str, Any]) -> list[Any]:
    """``run`` without SQLAlchemy's execution context and result: the statement is run by
    ``Connection._cursor_execute`` (as SQLAlchemy runs its own statements for defaults and sequences:
    the engine's cursor events fire, so it is logged and counted as any statement) on a cursor of the
    connection's own, and its rows are read from that cursor. The context, the result and its metadata
    built for each statement by ``exec_driver_sql`` were some 0.1 ms a statement, more than SQLite took
    to answer the dashboard's."""
    plan = _plan(connection.dialect, statement)
    description, rows = _lean_fetched(connection, plan, params)
    return _typed(connection.dialect, plan, description, rows)


def _lean_fetched(connection: Connection, plan: _Plan, params: Mapping[str, Any]) -> tuple[Any, Sequence[Any]]:
    parameters = _parameters(plan, params)
    driver = connection.connection
    cursor = _raw_cursor()(driver.dbapi_connection) if plan.raw else driver.cursor()
    try:
        connection._cursor_execute(cursor, plan.sql, parameters, _Lean(plan.sql, parameters))  # type: ignore[arg-type]
        return cursor.description, cursor.fetchall()
    finally:
        cursor.close()


class _Lean:
    """The execution context that the engine's cursor events and its error handling are given for a
    statement run by ``run_lean``: the statement and its parameters (Flask-SQLAlchemy's query recording
    reads them, and keeps its start time here), one execution, nothing to clean up after an error."""

    executemany = False

    def __init__(self, statement: str, parameters: Any) -> None:
        self.statement, self.parameters = statement, parameters

    def handle_dbapi_exception(self, _error: BaseException) -> None:
        pass


def _parameters(plan: _Plan, params: Mapping[str, Any]) -> Any:
    """The statement's parameters as the driver takes them: bound as their columns' types bind them,
    constants included, in place order where the driver's style is positional."""
    values = {**plan.given, **{name: (processor(params[name]) if processor else params[name])
                               for name, processor in plan.processors.items()}}
    return tuple(values[name] for name in plan.names) if plan.positional else values


def _typed(dialect: Dialect, plan: _Plan, description: Any, raw: Sequence[Any]) -> list[Any]:
    """The driver's rows as the plan's named tuples, each column through its result processor."""
    columns = processors(dialect, plan, description)
    if columns:
        typed = []
        for row in raw:
            items = list(row)
            for position, processor in columns:
                items[position] = processor(items[position])
            typed.append(plan.row._make(items))
        return typed
    return [plan.row._make(row) for row in raw]


def processors(dialect: Dialect, plan: _Plan, description: Any) -> Processors:
    """The (position, processor) of the plan's columns that need one, worked out on its first run."""
    columns = plan.columns
    if columns is None:
        columns = plan.columns = _column_processors(dialect, plan, description)
    return columns


def _plan(dialect: Dialect, statement: Any) -> _Plan:
    return _PLANS.get(statement, dialect.name, lambda: _planned(dialect, statement))


def _planned(dialect: Dialect, statement: Any) -> _Plan:
    compiled = statement.compile(dialect=dialect)
    if "POSTCOMPILE" in compiled.string:
        raise ValueError("a statement with parameters written out at execution cannot be run on the driver")
    names = tuple(compiled.positiontup or ()) if compiled.positional else tuple(compiled.binds)
    raw = dialect.driver == "psycopg" and _uncached_by_psycopg(compiled.string, len(set(names)))
    if raw:
        compiled = statement.compile(dialect=_numbered(dialect))
        names = tuple(compiled.positiontup or ())
    given: dict[str, Any] = {}
    processors: dict[str, Processor | None] = {}
    for name in set(names):
        bind = compiled.binds[name]
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if bind.value is None and bind.callable is None:
            processors[name] = processor
        else:
            value = bind.effective_value
            given[name] = processor(value) if processor else value
    entries = compiled._result_columns  # (key, name, objects, type) per column, in order
    row = namedtuple("Row", [entry[0] for entry in entries], rename=True)  # type: ignore[misc]
    return _Plan(compiled.string, bool(compiled.positional), names, given, processors, row,
                 tuple(entry[3] for entry in entries), raw=raw)


# psycopg turns a statement's %(name)s placeholders into PostgreSQL's $1, $2… at every execution, and
# keeps the result only for statements of up to 4,096 characters and 50 parameters: a longer one (the
# dashboard's selects read together, 5,500 characters) was taken apart with a regular expression every
# time, some 0.2–1 ms. Such a statement is compiled with $n placeholders once and run on psycopg's raw
# cursor, which sends it as it is.
# Per dialect (by identity: the copy is of that very dialect, never of one that had its address before).
_NUMBERED: KeptByIdentity[Dialect] = KeptByIdentity(at_most=64)


def _uncached_by_psycopg(sql: str, parameters: int) -> bool:
    from psycopg import _queries  # psycopg's own limits, where its version has them

    return (len(sql.encode()) > getattr(_queries, "MAX_CACHED_STATEMENT_LENGTH", 4096)
            or parameters > getattr(_queries, "MAX_CACHED_STATEMENT_PARAMS", 50))


def _raw_cursor() -> Any:
    import psycopg

    return psycopg.RawCursor


def _numbered(dialect: Dialect) -> Dialect:
    """The dialect writing parameters as $1, $2… (a copy: the engine's own is not changed)."""
    def make() -> Dialect:
        numbered = copy.copy(dialect)
        numbered.paramstyle, numbered.positional = "numeric_dollar", True
        return numbered
    return _NUMBERED.get(dialect, (), make)


def _column_processors(dialect: Dialect, plan: _Plan, description: Any) -> tuple[tuple[int, Processor], ...]:
    codes = [column[1] for column in description] if description else [None] * len(plan.types)
    return tuple((position, processor) for position, (type_, code) in enumerate(zip(plan.types, codes, strict=True))
                 if (processor := type_.dialect_impl(dialect).result_processor(dialect, code)) is not None)


# ---- several statements in one round trip (PostgreSQL) ------------------------------------------------
# On PostgreSQL every statement is a round trip to the server, and each costs the request more than a
# few dozen rows of work there: the page waits, the server process is woken, and the driver and
# SQLAlchemy prepare, send and read each one. A page that reads several independent selects can read
# them in one statement instead: a single row whose columns are the selects' rows, each as a JSON
# array of arrays (``json_agg`` of ``json_build_array``, in each select's order). The rows are made
# again here as named tuples of the select's columns, their values typed as the driver and the
# columns' types would have typed them.

_FROM_JSON_TYPES = (sqltypes.Integer, sqltypes.String, sqltypes.Boolean, sqltypes.Date, sqltypes.DateTime,
                    sqltypes.Float, sqltypes.NullType)


@dataclass(frozen=True)
class Together:
    """Selects read in one statement (``together``): ``run_together`` gives each one's rows."""
    statement: Any
    rows: tuple[Any, ...]  # a named tuple of each select's columns
    types: tuple[tuple[Any, ...], ...]  # each select's columns' SQLAlchemy types
    # Per dialect, each select's (position, converter) of the columns that need one: worked out on the
    # first run.
    converters: dict[str, tuple[tuple[tuple[int, Processor], ...], ...]] = field(default_factory=dict)


def together(*parts: tuple[Any, Callable[[Any], Sequence[Any]] | None]) -> Together:
    """One PostgreSQL statement reading every ``(select, order)`` of ``parts``: ``order(subquery)``
    gives the order of the select's rows by the subquery's columns (None: any order). Build it once
    (``built.once`` of the statement is not needed: keep the ``Together``)."""
    columns, rows, types = [], [], []
    for n, (part, order) in enumerate(parts):
        # Constant IN lists written in (built.constant_lists): an expanding list cannot be run here.
        sub = built.constant_lists(part).subquery(f"part_{n}")
        for column in sub.c:
            if not isinstance(_base(column.type), _FROM_JSON_TYPES):
                raise ValueError(f"a column of type {column.type!r} cannot be read back from JSON")
        row = func.json_build_array(*sub.c)
        aggregated = func.json_agg(aggregate_order_by(row, *order(sub)) if order is not None else row)
        columns.append(select(aggregated).select_from(sub).scalar_subquery().label(f"part_{n}"))
        rows.append(namedtuple("Row", [column.key for column in sub.c], rename=True))
        types.append(tuple(column.type for column in sub.c))
    return Together(select(*columns), tuple(rows), tuple(types))


def run_together(connection: Connection, selects: Together, params: Mapping[str, Any]) -> list[list[Any]]:
    """Each select's rows (named tuples of its columns), from one statement and one round trip."""
    [row] = run_lean(connection, selects.statement, params)
    dialect = connection.dialect
    every = selects.converters.get(dialect.name)
    if every is None:
        every = selects.converters[dialect.name] = tuple(from_json(dialect, types) for types in selects.types)
    out: list[list[Any]] = []
    for values, make, converters in zip(row, selects.rows, every, strict=True):
        if not values:  # json_agg of no rows is NULL
            out.append([])
        elif converters:
            typed = []
            for items in values:
                for position, convert in converters:
                    if items[position] is not None:
                        items[position] = convert(items[position])
                typed.append(make._make(items))
            out.append(typed)
        else:
            out.append([make._make(items) for items in values])
    return out


def from_json(dialect: Dialect, types: tuple[Any, ...]) -> tuple[tuple[int, Processor], ...]:
    """(position, converter) of the columns whose JSON value is not what the driver would give: dates
    and times come as ISO text (then through the column type's own result processor, as UTCDateTime's
    makes a time UTC), a float that happens to be whole as an integer."""
    converters: list[tuple[int, Processor]] = []
    for position, type_ in enumerate(types):
        base = _base(type_)
        if isinstance(base, sqltypes.Float):  # the driver's float, which JSON may have written whole
            converters.append((position, float))
            continue
        processor = type_.dialect_impl(dialect).result_processor(dialect, None)
        parse: Processor | None = None
        if isinstance(base, sqltypes.DateTime):
            parse = datetime.fromisoformat
        elif isinstance(base, sqltypes.Date):
            parse = date.fromisoformat
        if parse is None:
            if processor is not None:
                converters.append((position, processor))
            continue
        converters.append((position, parse if processor is None else _then(parse, processor)))
    return tuple(converters)


def _base(type_: Any) -> Any:
    """The type a column's values have on the driver: a TypeDecorator's implementation."""
    return type_.impl_instance if isinstance(type_, TypeDecorator) else type_


def _then(first: Processor, second: Processor) -> Processor:
    return lambda value: second(first(value))
