"""Idempotency keys: a form sent twice (a double click, a retry after an answer that never arrived)
is carried out once (issue 12, point 5).

* Every form a page renders carries a new random key (factcheck/forms: beside the CSRF token). The
  key of a submission is that key hashed with what was sent (``submission_key``): the same form
  sent again from a stale page with other text in it is another submission, not a retry.
* Before a submission runs, the web layer looks its key up (``find``). Found: the change was made
  already, and the person gets the answer the first time gave; nothing runs again.
* Not found: the key is *expected* on the request's database session (``expect``). The first
  commit of that session that writes anything inserts the key's row in the same transaction, so the
  key is used up exactly when the change is committed; a write that fails or is rolled back leaves
  it unused, and sending the form again works.
* Two copies sent at the same moment both pass ``find``. The second to commit meets the first's row
  (PostgreSQL waits for the first transaction to end; SQLite has one writer at a time): its insert
  adds nothing, and ``AlreadySaved`` rolls its whole transaction back.

A user's keys older than ``KEEP_FOR`` are deleted when they next use one: a retry comes within
minutes, and the table stays the size of a week of work.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, event, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from factcheck.models import IdempotencyKey
from factcheck.services.context import DbSession

# The name of the form field that carries the key.
FIELD = "idempotency_key"
KEEP_FOR = timedelta(days=7)
LOCATION_LENGTH = 500
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")

_PENDING = "factcheck.idempotency.pending"
_USED = "factcheck.idempotency.used"
_WROTE = "factcheck.idempotency.wrote"


class AlreadySaved(Exception):
    """Another copy of this submission committed first; this one's transaction was rolled back."""

    def __init__(self, pending: Pending) -> None:
        super().__init__(f"submission {pending.key[:12]}… of user {pending.user_id} was already carried out")
        self.pending = pending


@dataclass
class Pending:
    """A submission's key, waiting for the commit that carries out the submission."""

    user_id: int
    key: str
    now: datetime
    inserted: bool = False  # in the transaction under way (not committed yet)
    # Where the answer will send the person, when the view knows it before the commit (``answer_to``):
    # written with the key, in its INSERT, instead of by an UPDATE of its own after the answer.
    location: str | None = None


def new_key() -> str:
    return secrets.token_urlsafe(18)


def submission_key(form_key: str, fields: Iterable[tuple[str, str]]) -> str | None:
    """The key of one submission: the form's key with what was sent in it (name and value pairs,
    uploaded files as their names and digests), or None when the form sent no usable key (a page
    from before keys existed: such a submission runs as it always did)."""
    if not _KEY.fullmatch(form_key):
        return None
    digest = hashlib.sha256(form_key.encode())
    for name, value in sorted(fields):
        digest.update(b"\x00" + name.encode("utf-8", "replace") + b"\x01" + value.encode("utf-8", "replace"))
    return digest.hexdigest()


def find(session: DbSession, user_id: int, key: str) -> IdempotencyKey | None:
    """The record of this submission, when it was carried out already."""
    return session.get(IdempotencyKey, (user_id, key))


def expect(session: DbSession, user_id: int, key: str, now: datetime) -> None:
    """Use ``key`` up with the first commit of ``session`` that writes anything."""
    session.info[_PENDING] = Pending(user_id, key, now)


def used(session: DbSession) -> Pending | None:
    """The key a commit of this session used up, if one did."""
    value = session.info.get(_USED)
    return value if isinstance(value, Pending) else None


def expecting(session: DbSession) -> bool:
    """Whether a key waits on ``session`` for the commit that carries out its submission."""
    pending = session.info.get(_PENDING)
    return isinstance(pending, Pending) and not pending.inserted


def answer_to(session: DbSession, location: str) -> None:
    """Where the answer will send the person if the submission's change is committed, said before
    the commit: the key's row is then written with it, and ``remember_location`` has nothing left to
    write for that answer (a transaction, and on SQLite a second fsync, fewer per form sent)."""
    pending = session.info.get(_PENDING)
    if isinstance(pending, Pending) and not pending.inserted and len(location) <= LOCATION_LENGTH:
        pending.location = location


def remember_location(session: DbSession, used_key: Pending, location: str) -> None:
    """Where the first answer sent the person, for a retry's answer. Written after the answer is
    made, on a connection of its own: the session may hold anything by then, and none of it must be
    committed by this. Nothing is written when the key's row holds that place already (``answer_to``)."""
    if len(location) > LOCATION_LENGTH or used_key.location == location:
        return
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with engine.begin() as connection:
        connection.execute(update(IdempotencyKey).where(
            IdempotencyKey.user_id == used_key.user_id, IdempotencyKey.key == used_key.key).values(location=location))


# ---- using the key up with the first commit that writes -------------------------------------------------

@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _flush_context: Any) -> None:
    if _PENDING in session.info:
        session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if _PENDING in state.session.info and (state.is_insert or state.is_update or state.is_delete):
        state.session.info[_WROTE] = True


def wrote(session: DbSession) -> None:
    """Say that a statement run on the session's connection, past the session (``driver_sql``), wrote:
    the key waiting on the session is used up by its commit, as by any write through the session."""
    info = session.info
    if _PENDING in info:
        info[_WROTE] = True


@event.listens_for(Session, "before_commit")
def _use_key(session: Session) -> None:
    pending = session.info.get(_PENDING)
    if not isinstance(pending, Pending) or pending.inserted:
        return
    if not (session.info.get(_WROTE) or session.new or session.dirty or session.deleted):
        return  # a commit that changed nothing does not use the key up
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    with session.no_autoflush:
        added = session.execute(
            insert(IdempotencyKey).values(user_id=pending.user_id, key=pending.key, created_at=pending.now,
                                          location=pending.location)
            .on_conflict_do_nothing(index_elements=["user_id", "key"]).returning(IdempotencyKey.key)).first()
        if added is None:
            raise AlreadySaved(pending)
        session.execute(delete(IdempotencyKey).where(
            IdempotencyKey.user_id == pending.user_id, IdempotencyKey.created_at < pending.now - KEEP_FOR,
        ).execution_options(synchronize_session=False))
    pending.inserted = True


@event.listens_for(Session, "after_commit")
def _used(session: Session) -> None:
    pending = session.info.get(_PENDING)
    if isinstance(pending, Pending) and pending.inserted:
        del session.info[_PENDING]
        session.info[_USED] = pending


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return  # a savepoint: the transaction around it goes on
    session.info.pop(_WROTE, None)
    pending = session.info.get(_PENDING)
    if isinstance(pending, Pending):
        pending.inserted = False  # rolled back with the rest: the key is still unused

