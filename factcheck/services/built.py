"""Statements built once per process for each shape, their values given as parameters at every
execution.

Building a select, its cache key and (for a new select object) the columns of its result took
SQLAlchemy longer than the database took to run the list pages' statements (0.3–1 ms each on a small
newsroom). A page's statement depends on a few things known in advance (which filters it has, the
dialect, a setting); those are its shape, and only the shape is kept, never a value.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import literal
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

_BUILT: dict[tuple[Any, ...], Any] = {}


def once(build: Callable[..., Any], *shape: Any) -> Any:
    """``build(*shape)``, built once per process for each ``shape`` (every value it depends on, all
    hashable), with its constant ``IN`` lists written in (``constant_lists``). ``build`` is told apart
    by its qualified name, so a function defined inside another may be given."""
    key = (build.__module__, build.__qualname__, *shape)
    statement = _BUILT.get(key)
    if statement is None:
        statement = _BUILT[key] = constant_lists(build(*shape))
    return statement


def constant_lists(statement: Any) -> Any:
    """The statement with each ``IN`` of a constant list (statuses) given one parameter per value: an
    expanding list parameter is written out into the SQL again at every execution."""
    def replace(element: Any, **_kw: Any) -> Any:
        if isinstance(element, BinaryExpression) and element.operator in (operators.in_op, operators.not_in_op) \
                and isinstance(element.right, BindParameter) and element.right.expanding \
                and element.right.callable is None and isinstance(element.right.value, list | tuple):
            values = [literal(value, type_=element.left.type) for value in element.right.value]
            return element.left.in_(values) if element.operator is operators.in_op else element.left.not_in(values)
        return None
    return visitors.replacement_traverse(statement, {}, replace)
