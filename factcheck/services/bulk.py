"""Thousands of rows in one driver ``executemany``, without SQLAlchemy's work for each row.

Core's ``session.execute(insert(table), rows)`` builds every row's parameters in Python (its
defaults called, each value through its type's processor, a dict per row): on an import's
thousands of claims and audit events that is most of the time the import holds the database's
write lock. Here the statement is compiled once per table, columns and dialect; Python-side
defaults are worked out once per batch; a row is one tuple (or dict, for a driver with named
parameters), and only the columns whose type processes values pay for it.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Dialect, Table, insert

from factcheck.services.context import DbSession

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class _Plan:
    sql: str
    names: tuple[str, ...]  # the parameters, in the statement's order
    positional: bool
    processors: tuple[Processor | None, ...]


_PLANS: dict[tuple[str, str, tuple[str, ...], frozenset[str]], _Plan] = {}


def insert_rows(session: DbSession, table: Table, rows: Sequence[Mapping[str, Any]], *,
                common: Mapping[str, Any] | None = None, raw: Collection[str] = ()) -> None:
    """Insert ``rows`` (column -> value, all with the same columns) into ``table``, each with the
    values of ``common`` too. Columns given in neither take their Python-side default, once for the
    whole batch (a time taken once: the rows are written at one moment), or the server's. Columns in
    ``raw`` are bound as they are: their values are in the database's form already (JSON text)."""
    if not rows:
        return
    common = dict(common or {})
    given = tuple(rows[0])
    connection = session.connection()
    dialect = connection.dialect
    for column in table.columns:
        if column.key not in common and column.key not in rows[0] and _python_default(column):
            common[column.key] = _default_value(column)
    plan = _plan(dialect, table, given + tuple(common), frozenset(raw))
    fixed = {name: _bound(plan, name, common[name]) for name in common}
    # Built a column at a time, each column one pass in C (itemgetter, map, repeat) and the rows
    # zipped together at the end: a generator over each row's columns cost 12 µs a row of ~17
    # columns, a fifth of the time an import holds the write lock (issue 12's 200 ms).
    count = len(rows)
    columns = [repeat(fixed[name], count) if name in fixed
               else map(processor, map(itemgetter(name), rows)) if processor else map(itemgetter(name), rows)
               for name, processor in zip(plan.names, plan.processors, strict=True)]
    parameters: list[Any]
    if plan.positional:
        parameters = list(zip(*columns, strict=True))
    else:
        parameters = [dict(zip(plan.names, values, strict=True)) for values in zip(*columns, strict=True)]
    connection.exec_driver_sql(plan.sql, parameters)



def _python_default(column: Column[Any]) -> bool:
    default = column.default
    return default is not None and (getattr(default, "is_scalar", False) or getattr(default, "is_callable", False))


def _default_value(column: Column[Any]) -> Any:
    default: Any = column.default
    # A callable default is wrapped by SQLAlchemy to take the execution context; ours read none.
    return default.arg(None) if default.is_callable else default.arg


def _bound(plan: _Plan, name: str, value: Any) -> Any:
    processor = plan.processors[plan.names.index(name)]
    return processor(value) if processor else value


def _plan(dialect: Dialect, table: Table, columns: tuple[str, ...], raw: frozenset[str]) -> _Plan:
    key = (dialect.name, table.name, columns, raw)
    plan = _PLANS.get(key)
    if plan is None:
        # Compiled as for an executemany: no RETURNING of the new id, which a single row would get.
        compiled = insert(table).compile(dialect=dialect, column_keys=list(columns), for_executemany=True)
        if compiled.positional:
            names = tuple(compiled.positiontup or ())
        else:
            names = tuple(compiled.binds)
        if set(names) != set(columns) or compiled.escaped_bind_names:
            # Only plain column names are planned here; anything else is a caller's mistake.
            raise ValueError(f"cannot bulk-insert {table.name} with columns {columns!r}")
        processors = tuple(None if name in raw else
                           table.columns[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names)
        plan = _PLANS[key] = _Plan(compiled.string, names, bool(compiled.positional), processors)
    return plan
