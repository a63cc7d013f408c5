"""What a list makes of the rows its statement returned, kept while the statement returns the same rows.

A list page (the claims list, the queues, the article list) reads its rows on the driver
(``driver_sql.untyped_named``) and types each column that needs it (SQLite's dates and times,
booleans) into a row of its own kind: for the claims list's fifty claims that was as much again as
the list's own markup, and for the article list's fifty articles a tenth of the page. The rows a list shows change seldom between two views, so what was made of them is
kept with the rows as the driver gave them, and used again only when the rows read now are equal
(compared, never trusted: every view still runs its statement, so it sees every change — or, for the
claims list and the queues on SQLite, learns from ``unchanged`` that nothing has been written since). Comparing
fifty tuples of plain values is done in C, a few microseconds.

What is made must depend on nothing but the rows and the key: the key names the statement (kept for
the process by ``built.once``, so its id stands for it), the dialect (which decides the typing) and
any value given with the rows that changes what is made of them (the claims list's page size).
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

Made = TypeVar("Made")


class MadeOf:
    """What was made of rows, kept under a key with the rows it was made of, and given again only while
    the rows read now are equal (compared, never trusted). The one mechanism behind ``made_of`` (the
    typed rows of a list, per process) and ``list_rows.kept_page`` (a list page's markup, per app):
    when the first gives the same row objects back, the second's comparison is one of identities.
    Holds at most ``at_most`` keys: cleared, not evicted one by one, when full (each keyset page, each
    value typed into a filter makes a new key)."""

    __slots__ = ("_at_most", "_kept")

    def __init__(self, at_most: int) -> None:
        self._kept: dict[Hashable, tuple[Sequence[Any], Any, Any]] = {}
        self._at_most = at_most

    def get(self, key: Hashable, rows: Sequence[Any], make: Callable[[], Made], *, made_for: Any = None) -> Made:
        """``make()``, or what it made under ``key`` of rows equal to ``rows`` for the same ``made_for``
        (an object compared by identity, not hashed: the settings). What is made is shared by every
        caller that gets it: it must not be changed."""
        found = self._kept.get(key)
        if found is not None and found[1] is made_for and found[0] == rows:
            made: Made = found[2]
            return made
        made = make()
        kept = self._kept
        if len(kept) >= self._at_most:
            kept.clear()
        kept[key] = (rows, made_for, made)
        return made


# A few lists times their filters and pages, each some 50 KB at most (fifty claims' words, shared by
# the driver's rows and the typed ones).
_KEPT = MadeOf(64)


def made_of(key: Hashable, rows: Sequence[Any], make: Callable[[Sequence[Any]], Made]) -> Made:
    """``make(rows)``, or what it made of rows equal to ``rows`` under ``key`` before. What is made is
    shared by the views that get it: it must not be changed."""
    return _KEPT.get(key, rows, lambda: make(rows))
