"""A pooled server connection is pinged before use only when it has sat in the pool for a while.

SQLAlchemy's ``pool_pre_ping`` asks the server before every checkout, so every request paid one
more round trip to PostgreSQL than it needed (issue 15: four trips beyond the page's statements on a
signed-in page, the ping one of them). A connection dropped by the server (a restart, a failover, an
idle timeout at a proxy) is almost always one that sat unused; those are still pinged, and a dead one
is replaced before the request sees it. A connection checked in moments ago is trusted: if the server
went away in between, the request's first statement fails, the app answers 503 "nothing was saved,
try again" (views/errors_db.py), and SQLAlchemy's disconnect handling discards the pool's older
connections, so the next request reconnects.
"""
from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

DEFAULT_IDLE_SECONDS = 5.0
_CHECKED_IN = "factcheck_checked_in"


def ping_after_idle(engine: Engine, idle_seconds: float = DEFAULT_IDLE_SECONDS) -> None:
    """Ping ``engine``'s connections on checkout when they were checked in ``idle_seconds`` ago or more."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_CHECKED_IN)
        if since is None or time.monotonic() - since < idle_seconds:
            return  # just connected, or back from a request moments ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool's documented way to say "this one is dead": it is discarded and a new
            # connection is made for this checkout.
            raise DisconnectionError("the pooled connection no longer answers") from error
