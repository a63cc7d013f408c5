"""What was made for an object, kept under the object's identity and a key of plain values.

Several hot paths keep what they made for an object they must not hash: the settings (a frozen
dataclass whose hash on every page cost more than the answer kept for it), a list of checkers or the
pairs made of it (the same object comes back while the database is unchanged; hashing fifty pairs is
what keeping was meant to save), a compiled statement or a dialect. Each used to write the same few
lines by hand: a dict keyed by ``id(obj)``, the object kept beside the value, compared with ``is`` on
the way out, and the dict emptied when full.

The object is held by the store with its value: while it is held its id cannot be another object's, so
a value is never given for an object that merely took a freed one's address. The store is bounded and
emptied when full (a bound against keys that requests could multiply, not an eviction policy: what is
still asked for is made again at its next use). Values must depend on nothing but the object and the
key, and are shared by every caller: they must not be changed.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class KeptByIdentity(Generic[V]):
    """Values kept per (object by identity, key), at most ``at_most`` of them; emptied when full.
    ``at_most=1`` keeps the last one only."""

    __slots__ = ("_at_most", "_items")

    def __init__(self, at_most: int) -> None:
        if at_most < 1:
            raise ValueError("at_most must be at least 1")
        self._at_most = at_most
        self._items: dict[tuple[int, Hashable], tuple[object, V]] = {}

    def get(self, of: object, key: Hashable, make: Callable[[], V]) -> V:
        """The value made for ``of`` (this very object) and ``key``; ``make()``, kept, the first time.
        ``key`` must hash (a TypeError otherwise, before anything is made)."""
        entry = (id(of), key)
        found = self._items.get(entry)
        if found is not None and found[0] is of:
            return found[1]
        value = make()
        items = self._items
        if len(items) >= self._at_most:
            items.clear()
        items[entry] = (of, value)
        return value

    def forget(self) -> None:
        """Everything kept: each value is made again at its next use."""
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
