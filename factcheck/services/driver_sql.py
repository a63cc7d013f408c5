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

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, Dialect

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


_PLANS: dict[tuple[str, int], tuple[Any, _Plan]] = {}


def run(connection: Connection, statement: Any, params: Mapping[str, Any]) -> list[Any]:
    """The rows of ``statement`` (kept for the process: it must be one of ``built.once``'s) with
    ``params``, as named tuples of its columns."""
    plan = _plan(connection.dialect, statement)
    raw, columns = _rows(connection, plan, params)
    if columns:
        typed = []
        for row in raw:
            items = list(row)
            for position, processor in columns:
                items[position] = processor(items[position])
            typed.append(plan.row._make(items))
        return typed
    return [plan.row._make(row) for row in raw]


def untyped(connection: Connection, statement: Any, params: Mapping[str, Any]) -> tuple[Sequence[Any], Processors]:
    """``run``'s rows as the driver gives them (plain tuples, not yet typed), with the position and
    processor of each column that needs one: for a caller that reads only some columns of some rows
    and types just those (``article_page``'s union of claims and checkers)."""
    return _rows(connection, _plan(connection.dialect, statement), params)


def _rows(connection: Connection, plan: _Plan, params: Mapping[str, Any]) -> tuple[Sequence[Any], Processors]:
    values = {**plan.given, **{name: (processor(params[name]) if processor else params[name])
                               for name, processor in plan.processors.items()}}
    parameters: Any = tuple(values[name] for name in plan.names) if plan.positional else values
    cursor = connection.exec_driver_sql(plan.sql, parameters)
    columns = plan.columns
    if columns is None:
        columns = plan.columns = _column_processors(connection.dialect, plan, cursor.cursor.description)
    return cursor.fetchall(), columns


def _plan(dialect: Dialect, statement: Any) -> _Plan:
    key = (dialect.name, id(statement))
    kept = _PLANS.get(key)
    if kept is not None and kept[0] is statement:
        return kept[1]
    compiled = statement.compile(dialect=dialect)
    if "POSTCOMPILE" in compiled.string:
        raise ValueError("a statement with parameters written out at execution cannot be run on the driver")
    names = tuple(compiled.positiontup or ()) if compiled.positional else tuple(compiled.binds)
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
    plan = _Plan(compiled.string, bool(compiled.positional), names, given, processors, row,
                 tuple(entry[3] for entry in entries))
    # The statement is kept with its plan: its id cannot stand for another while the plan is here.
    _PLANS[key] = (statement, plan)
    return plan


def _column_processors(dialect: Dialect, plan: _Plan, description: Any) -> tuple[tuple[int, Processor], ...]:
    codes = [column[1] for column in description] if description else [None] * len(plan.types)
    return tuple((position, processor) for position, (type_, code) in enumerate(zip(plan.types, codes, strict=True))
                 if (processor := type_.dialect_impl(dialect).result_processor(dialect, code)) is not None)
