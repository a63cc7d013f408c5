"""Which PolNeAR train articles the project may read, in one place.

PolNeAR train holds 840 articles, 120 of each of seven outlets; sorted by file name they sort
by outlet (the file name opens with it). The project reads some of them to find what its rules
miss and keeps the others unread, to measure honestly:

* ``READ_LAST = 120``: the last 120 by file name (all Western Journal), read since the eighth
  round;
* the outlet slice (tenth round): of the first 720 (the six other outlets, 120 each), within
  each outlet by file name, every ``EVERY``-th article starting at place ``FIRST`` (places
  6, 18, …, 114: 10 of each outlet, 60 in all);
* unread: the rest of the first 720 (660 articles). Only aggregate figures are taken on them
  (``python -m tools.train_stance --crossfit``); never their texts or errors one by one.

The test split is never read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

READ_LAST = 120
EVERY, FIRST = 12, 6

T = TypeVar("T")


def outlet(stem: str) -> str:
    """The outlet a PolNeAR file name opens with ("nyt_2016-…" gives "nyt")."""
    return stem.split("_", 1)[0]


def _slice_places(stems: Sequence[str]) -> set[int]:
    """The places (in ``stems``, sorted by file name) of the outlet slice."""
    seen: dict[str, int] = {}
    places: set[int] = set()
    for i, stem in enumerate(stems):
        k = seen.get(outlet(stem), 0)
        seen[outlet(stem)] = k + 1
        if k % EVERY == FIRST:
            places.add(i)
    return places


def split(items: Sequence[T], stem_of: Callable[[T], str]) -> tuple[list[T], list[T]]:
    """``items`` (train articles sorted by file name) as (readable, unread)."""
    stems = [stem_of(x) for x in items]
    if stems != sorted(stems):
        raise ValueError("train articles must be sorted by file name")
    head = len(items) - READ_LAST
    places = _slice_places(stems[:head])
    readable = [x for i, x in enumerate(items[:head]) if i in places] + list(items[head:])
    unread = [x for i, x in enumerate(items[:head]) if i not in places]
    return readable, unread


def outlet_slice(items: Sequence[T], stem_of: Callable[[T], str]) -> list[T]:
    """The tenth round's readable slice only (60 articles, 10 of each of six outlets)."""
    readable, _ = split(items, stem_of)
    return readable[: len(readable) - READ_LAST]

