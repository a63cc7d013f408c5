"""``driver_sql.untyped`` without SQLAlchemy's execution context and result, as ``driver_sql.run_lean``
is ``run`` without them: for the article page's claims (and checkers), read on every view.

``untyped`` ran its statement through ``exec_driver_sql``, which builds an execution context, a
``CursorResult`` and its metadata (the union's 25 columns looked up and keyed) for every statement:
about a sixth of the claims' statement on SQLite, more than typing the rows (issue 15). Here the
statement runs by ``Connection._cursor_execute`` on a cursor of the connection's own, as ``run_lean``
runs its own (the engine's cursor events fire: the statement is logged and counted as any other), and
the rows are the driver's tuples, typed by the caller.

Kept out of ``driver_sql`` (shared by other pages' sessions) as its own module; it uses that module's
plans, parameters and processors, so a statement runs here exactly as ``untyped`` would run it.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Connection

from factcheck.services import driver_sql


def untyped(connection: Connection, statement: Any, params: Mapping[str, Any]) -> tuple[Sequence[Any], driver_sql.Processors]:
    """``driver_sql.untyped``'s rows and processors, the statement run as ``driver_sql.run_lean`` runs it."""
    plan = driver_sql._plan(connection.dialect, statement)
    parameters = driver_sql._parameters(plan, params)
    driver = connection.connection
    cursor = driver_sql._raw_cursor()(driver.dbapi_connection) if plan.raw else driver.cursor()
    try:
        connection._cursor_execute(cursor, plan.sql, parameters, driver_sql._Lean(plan.sql, parameters))  # type: ignore[arg-type]
        description, rows = cursor.description, cursor.fetchall()
    finally:
        cursor.close()
    columns = plan.columns
    if columns is None:
        columns = plan.columns = driver_sql._column_processors(connection.dialect, plan, description)
    return rows, columns
