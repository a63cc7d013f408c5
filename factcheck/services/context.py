"""What every service call needs besides its arguments, passed in explicitly.

A page, a command, a background job and a test each build a ``Context``: the database session, the
newsroom's settings, the clock and who is asking from where. Services read nothing else, so they
run the same without a web request (the way hypothesis/h hands collaborators to its services).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, scoped_session

from factcheck.models import User, utcnow
from factcheck.security.permissions import Action, require
from factcheck.services.checkpoints import CheckpointSink, NoCheckpoints
from factcheck.settings import Settings

# Flask-SQLAlchemy hands out a scoped session; scripts and jobs may use a plain one.
DbSession = Session | scoped_session[Any]
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class RequestInfo:
    """Where a call came from, for the audit log: the client's address and the request's id."""

    ip_address: str | None = None
    request_id: str | None = None


@dataclass
class Runtime:
    """The long-lived collaborators of one app (or one command, or one worker)."""

    settings: Settings = field(default_factory=Settings)
    clock: Clock = utcnow
    # Where the audit chain's head is anchored outside the database after each commit that wrote events.
    checkpoints: CheckpointSink = field(default_factory=NoCheckpoints)

    def now(self) -> datetime:
        return self.clock()


@dataclass(frozen=True)
class Context:
    session: DbSession
    settings: Settings = field(default_factory=Settings)
    clock: Clock = utcnow
    request: RequestInfo = RequestInfo()
    checkpoints: CheckpointSink = field(default_factory=NoCheckpoints)

    @classmethod
    def of(cls, session: DbSession, runtime: Runtime, request: RequestInfo | None = None) -> Context:
        # ``runtime.now`` rather than ``runtime.clock``: a clock swapped later (tests) is still seen.
        return cls(session, runtime.settings, runtime.now, request or RequestInfo(), runtime.checkpoints)

    def now(self) -> datetime:
        return self.clock()

    def require(self, actor: User | None, action: Action | str, obj: Any = None) -> None:
        require(actor, action, obj, settings=self.settings)
