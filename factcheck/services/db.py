"""The unit of work every service write runs in."""
from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session, scoped_session


@contextmanager
def transaction(session: Session | scoped_session[Any]) -> Iterator[None]:
    """Commit the change and its audit event together, or neither."""
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def serialise(session: Session | scoped_session[Any], name: str) -> None:
    """Hold off every other transaction that serialises on ``name`` until this one ends, so a check
    made next (the last administrator, say) still holds when this transaction commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(name.encode())})
    else:
        # SQLite has one writer at a time: any write statement takes the lock (waiting up to busy_timeout),
        # even one that matches no row.
        session.execute(text("UPDATE users SET id = id WHERE 0 = 1"))
