"""What a list makes of the rows its statement returned, kept while the statement returns the same rows.

A list page (the claims list, the queues, the article list) reads its rows on the driver
(``driver_sql.untyped_named``) and types each column that needs it (SQLite's dates and times,
booleans) into a row of its own kind: for the claims list's fifty claims that was as much again as
the list's own markup, and for the article list's fifty articles a tenth of the page. The rows a list shows change seldom between two views, so what was made of them is
kept with the rows as the driver gave them, and used again only when the rows read now are equal
(compared, never trusted: every view still runs its statement, so it sees every change). Comparing
fifty tuples of plain values is done in C, a few microseconds.

What is made must depend on nothing but the rows and the key: the key names the statement (kept for
the process by ``built.once``, so its id stands for it), the dialect (which decides the typing) and
any value given with the rows that changes what is made of them (the claims list's page size).
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

Made = TypeVar("Made")

# A few lists times their filters and pages, each some 50 KB at most (fifty claims' words, shared by
# the driver's rows and the typed ones); cleared, not evicted one by one, when full (each keyset page
# of the claims list, each filter's value typed into the address makes a new key).
_AT_MOST = 64
_KEPT: dict[Hashable, tuple[Sequence[Any], Any]] = {}


def made_of(key: Hashable, rows: Sequence[Any], make: Callable[[Sequence[Any]], Made]) -> Made:
    """``make(rows)``, or what it made of rows equal to ``rows`` under ``key`` before. What is made is
    shared by the views that get it: it must not be changed."""
    found = _KEPT.get(key)
    if found is not None and found[0] == rows:
        made: Made = found[1]
        return made
    made = make(rows)
    if len(_KEPT) >= _AT_MOST:
        _KEPT.clear()
    _KEPT[key] = (rows, made)
    return made
