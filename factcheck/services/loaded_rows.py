"""Rows of a Core statement made into the ORM session's own objects, as a query would have loaded them.

A page that reads a handful of objects on every request paid the ORM's execution and loading path
(its compiled-cache lookup, per-path loaders, result processing by entity) at two to three times the
cost of the statement itself (issue 15). Here the statement runs on the session's connection and each
row's columns become an identity-mapped, persistent instance: the one the session already holds for
that key (its loaded values stand and only what it had not loaded or had expired is filled in, as a
query does), else a new one whose committed state is the row. Relationships are set as loaded, again
only where the instance had not loaded them.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, inspect
from sqlalchemy.orm import Mapper, Session, scoped_session
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from factcheck.services.context import DbSession

T = TypeVar("T")


class Columns:
    """The loaded columns of one mapped class, as they sit in a row from ``start`` on: what a query for
    the class (or an alias of it) selects, deferred columns excepted."""

    def __init__(self, model: type[Any], entity: Any = None) -> None:
        mapper: Mapper[Any] = inspect(model)
        self.model = model
        self.mapper = mapper
        self.keys = tuple(prop.key for prop in mapper.column_attrs if not prop.deferred)
        self.primary_key = tuple(mapper.get_property_by_column(column).key for column in mapper.primary_key)
        source = entity if entity is not None else model
        self.columns: tuple[ColumnElement[Any], ...] = tuple(getattr(source, key) for key in self.keys)
        self.start = 0
        self.end = len(self.keys)
        self.identity_class = mapper._identity_class
        self._unloaded: tuple[frozenset[str], tuple[str, ...]] | None = None

    def unloaded(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """The attributes a new instance of these columns has not loaded, and those of them a load
        on access fills in (deferred columns): the same for every such instance, so worked out once
        (when the mappers are configured: the first row)."""
        if self._unloaded is None:
            manager = self.mapper.class_manager
            names = frozenset(manager).difference(self.keys)
            self._unloaded = names, tuple(name for name in names if manager[name].impl.accepts_scalar_loader)
        return self._unloaded

    def placed(self, start: int) -> Columns:
        self.start, self.end = start, start + len(self.keys)
        return self

    def values(self, row: Sequence[Any]) -> dict[str, Any] | None:
        """The row's values for these columns, or None where an outer join found nothing."""
        values = dict(zip(self.keys, row[self.start:self.end], strict=True))
        for key in self.primary_key:
            if values[key] is None:
                return None
        return values


def select_columns(*groups: Columns) -> list[ColumnElement[Any]]:
    """The columns of each group in turn, each group told where its own begin in the row."""
    columns: list[ColumnElement[Any]] = []
    for group in groups:
        group.placed(len(columns))
        columns.extend(group.columns)
    return columns


def persistent(session: DbSession, group: Columns, row: Sequence[Any]) -> Any:
    """The session's instance for the row's columns of ``group`` (None for an outer join's empty side)."""
    values = group.values(row)
    if values is None:
        return None
    # The Session itself, looked up once: each attribute read through the scoped proxy looks it up again.
    own = own_session(session)
    key = (group.identity_class, tuple(values[name] for name in group.primary_key), None)
    existing = own.identity_map.get(key)
    if existing is not None:
        unloaded = instance_state(existing).unloaded
        for name in group.keys:
            if name in unloaded:
                set_committed_value(existing, name, values[name])
        return existing
    instance = group.mapper.class_manager.new_instance()
    instance.__dict__.update(values)
    _loaded_as_detached(instance_state(instance), key, group)
    # What ``session.add`` does for a detached instance, without its save-update cascade: a new
    # instance has no relationship loaded yet, so the cascade finds nothing, but walking the mapper's
    # relationships to learn that was the largest single cost here. (SQLAlchemy is pinned; the test
    # of this module holds the instances persistent, identity-mapped and written when changed.)
    own._update_impl(instance_state(instance))
    return instance


def _loaded_as_detached(state: Any, key: tuple[Any, ...], group: Columns) -> None:
    """``make_transient_to_detached`` for a new instance holding exactly ``group``'s columns: its key
    (known already), nothing to commit (nothing was set through its attributes), the attributes it has
    not loaded marked expired. That function worked the key and the unloaded attributes out again for
    every instance, a third of the cost of making one."""
    names, expirable = group.unloaded()
    state.key = key
    state.expired_attributes.update(expirable)
    state.manager.dispatch.expire(state, names)


def own_session(session: DbSession) -> Session:
    """The request's Session behind the scoped proxy the views pass (a caller that reads several rows
    looks it up once)."""
    return session() if isinstance(session, scoped_session) else session


def set_loaded(instance: Any, name: str, value: Any) -> None:
    """A relationship as a loader sets it: as loaded, unless the instance had loaded it already."""
    if name not in instance.__dict__:
        set_committed_value(instance, name, value)
