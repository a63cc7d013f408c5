"""The unit of work every service write runs in."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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
