"""The checkers as an assignment form offers them, kept while the database gives the same rows.

The claims list offers every active checker twice (its filter and the bulk form) on every view. Their
rows are read on every view, as before — the statement stays: a role change does not touch the user's
row, so no cheap signature of the users table would see it —, but on the driver (``driver_sql``) and
compared with the rows kept: only when they differ are the pairs made again. Making a ``Checker``
and its label for fifty rows through the ORM session's execution was some 13 % of the page.
"""
from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

from factcheck.services import driver_sql
from factcheck.services.context import DbSession
from factcheck.services.users import CHECKERS, Checker

People = tuple[tuple[int, str], ...]

# Per database: the rows last read and the (id, label) pairs made of them.
_KEPT: weakref.WeakKeyDictionary[Any, tuple[Sequence[Any], People]] = weakref.WeakKeyDictionary()


def checker_people(session: DbSession) -> People:
    """The active checkers by name, as (id, "Name (e-mail)") pairs: ``checker_choices``' values and labels."""
    # The flush is what autoflush would have done: a checker added in this request is offered.
    session.flush()
    # The driver's rows as they come: compared, not read, when nothing changed.
    rows = driver_sql.run_plain(session.connection(), CHECKERS, {})[1]
    engine = session.get_bind()
    kept = _KEPT.get(engine)
    if kept is not None and kept[0] == rows:
        return kept[1]
    people = tuple((checker.id, checker.choice_label) for checker in (Checker(*row) for row in rows))
    _KEPT[engine] = rows, people
    return people
