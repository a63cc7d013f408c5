"""Markup (or what a view derives) kept per process under a key that holds everything it shows.

Several views write the same markup again and again for the same figures (the dashboard's tables, a
chosen period's fields, the audit filter's fields at their defaults). Each is kept here under a key
made of every value it shows, so a change in any of them is a new key, never a stale entry; the store
is bounded and simply emptied when full (a bound against keys that typed values could multiply, not an
eviction policy: what is still shown is written again on its next view).
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    def __init__(self, at_most: int) -> None:
        self._at_most = at_most
        self._items: dict[Hashable, V] = {}

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept under ``key``, made (and kept) by ``make`` the first time."""
        value = self._items.get(key)
        if value is None:
            if len(self._items) >= self._at_most:
                self._items.clear()
            value = self._items[key] = make()
        return value
