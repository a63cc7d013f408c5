"""The unit of work every service write runs in."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Commit the change and its audit event together, or neither."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
