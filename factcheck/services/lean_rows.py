"""A kept select's rows straight from the driver's cursor, untyped, with the processors that type them.

``driver_sql.run_lean`` runs a statement on the driver without SQLAlchemy's execution context and
result (the engine's cursor events still fire: it is logged and counted as any statement), then
makes every row a named tuple. The lists make each row a ``ClaimRow`` of their own, and the claims
list reads two kinds of row from one statement: a named tuple per row on the way there was work
thrown away. Here the rows come as the driver gives them, with the column names and the (position,
processor) of each column that needs typing, the same plan as ``driver_sql``'s (compiled once).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Connection

from factcheck.services import driver_sql


def fetch(connection: Connection, statement: Any, params: Mapping[str, Any]
          ) -> tuple[Sequence[Any], driver_sql.Processors, tuple[str, ...]]:
    """``statement``'s rows (plain tuples, untyped), the processors of its columns that need one, and
    its columns' names. ``statement`` must be kept for the process (module level or ``built.once``)."""
    plan = driver_sql._plan(connection.dialect, statement)
    parameters = driver_sql._parameters(plan, params)
    driver = connection.connection
    cursor = driver_sql._raw_cursor()(driver.dbapi_connection) if plan.raw else driver.cursor()
    try:
        lean = driver_sql._Lean(plan.sql, parameters)
        connection._cursor_execute(cursor, plan.sql, parameters, lean)  # type: ignore[arg-type]
        description, rows = cursor.description, cursor.fetchall()
    finally:
        cursor.close()
    columns = plan.columns
    if columns is None:
        columns = plan.columns = driver_sql._column_processors(connection.dialect, plan, description)
    return rows, columns, plan.row._fields


def typed(row: Sequence[Any], processors: driver_sql.Processors) -> list[Any]:
    """A row's values, each column with a processor through it."""
    items = list(row)
    for position, processor in processors:
        items[position] = processor(items[position])
    return items
