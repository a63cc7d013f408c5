"""Who has a claim open in a page where they can change it ("Chen Li has this claim open since
14:02"). Only a courtesy: nothing is locked, and the claim's version still decides between two saves.

The browser of a person on such a page sends a heartbeat every half minute; a person counts as
there while their last heartbeat is under a minute old. Heartbeats are kept in the database (one
row per claim and person) so that every app server sees them all. They record no audit event: a
heartbeat changes nothing in the record of the claim, and writing one every half minute for every
open page would bury the log's real events.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, delete, select, true, update
from sqlalchemy.exc import IntegrityError

from factcheck.errors import PermissionDenied
from factcheck.models import Claim, ClaimPresence, User
from factcheck.security import Action
from factcheck.services.claims import ClaimActions, allowed_actions
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction
from factcheck.services.notifications import UNREAD_OF_CLAIM

# How often an open claim page says it is still there (views/claim_items.presence_region: every 30s).
HEARTBEAT = timedelta(seconds=30)
# Two missed heartbeats and the person has left (closed the page, or their laptop).
FRESH_FOR = 2 * HEARTBEAT
# Rows nobody refreshed for this long are removed by later heartbeats on the same claim.
FORGET_AFTER = timedelta(days=1)


class Person(NamedTuple):
    id: int
    display_name: str


@dataclass(frozen=True)
class Present:
    user: Person  # who, as the page names them (not a User object: the page only reads)
    since: datetime


def may_edit(ctx: Context, user: User, claim: Claim) -> bool:
    """The pages that count: those where the person may add evidence, propose a verdict or write."""
    return editing(allowed_actions(ctx.settings, user, claim))


def editing(actions: ClaimActions) -> bool:
    """``may_edit`` from what the claim page has already worked out the viewer may do."""
    return actions.evidence or actions.propose or actions.note


def heartbeat(ctx: Context, *, actor: User, claim: Claim) -> None:
    """``actor`` has the claim open in a page where they can change it, now. Not audited (see above).
    Two tabs of the same person racing to start the row is no error: the second finds it."""
    ctx.require(actor, Action.READ, claim)
    if not may_edit(ctx, actor, claim):
        raise PermissionDenied("You can read this claim but not change it, so nobody is told you have it open.")
    try:
        _beat(ctx, actor, claim)
    except IntegrityError:
        _beat(ctx, actor, claim)


def _beat(ctx: Context, actor: User, claim: Claim) -> None:
    now = ctx.now()
    with transaction(ctx.session):
        # A heartbeat after a gap (the page was closed, the laptop slept) starts a new "since".
        kept = ctx.session.execute(
            update(ClaimPresence)
            .where(ClaimPresence.claim_id == claim.id, ClaimPresence.user_id == actor.id,
                   ClaimPresence.seen_at >= now - FRESH_FOR)
            .values(seen_at=now)
        )
        if not getattr(kept, "rowcount", 0):
            ctx.session.execute(delete(ClaimPresence).where(
                ClaimPresence.claim_id == claim.id,
                (ClaimPresence.user_id == actor.id) | (ClaimPresence.seen_at < now - FORGET_AFTER)))
            ctx.session.add(ClaimPresence(claim_id=claim.id, user_id=actor.id, since=now, seen_at=now))


# Every view of a claim page asks it: built once, the claim, the viewer and the time bound parameters.
_PRESENT = (select(User.id, User.display_name, ClaimPresence.since)
            .join(User, User.id == ClaimPresence.user_id)
            .where(User.is_active_account.is_(True), ClaimPresence.claim_id == bindparam("claim_id"),
                   ClaimPresence.user_id != bindparam("viewer_id"), ClaimPresence.seen_at >= bindparam("fresh_since"))
            .order_by(ClaimPresence.since, ClaimPresence.user_id))


def others_present(session: DbSession, claim_id: int, viewer: User, now: datetime) -> list[Present]:
    """Who else has had the claim open in an editing page within the last minute, longest there first."""
    # On the session's connection, in its transaction: the ORM session's execution path cost more than
    # the statement (issue 15). The flush is what its autoflush would have done.
    session.flush()
    rows = session.connection().execute(
        _PRESENT, {"claim_id": claim_id, "viewer_id": viewer.id, "fresh_since": now - FRESH_FOR})
    return [Present(Person(user_id, name), since) for user_id, name, since in rows]


class Opening(NamedTuple):
    present: list[Present]
    unread: bool  # the viewer has notifications about the claim not yet read


# Opening a claim's page asks both, in one statement: a row holding whether the viewer has unread
# notifications about the claim, joined to whoever else is there (none: one row, its person empty).
_WHO_ELSE = _PRESENT.order_by(None).add_columns(ClaimPresence.user_id.label("present_id")).subquery()
_UNREAD_FLAG = select(UNREAD_OF_CLAIM.label("unread")).subquery()
_OPENING = (select(_UNREAD_FLAG.c.unread, _WHO_ELSE.c.id, _WHO_ELSE.c.display_name, _WHO_ELSE.c.since)
            .select_from(_UNREAD_FLAG.outerjoin(_WHO_ELSE, true()))
            .order_by(_WHO_ELSE.c.since, _WHO_ELSE.c.present_id))


def on_opening(session: DbSession, claim_id: int, viewer: User, now: datetime) -> Opening:
    """``others_present``, and whether the viewer has unread notifications about the claim (what
    ``notifications.mark_claim_read`` asks first): two indexed reads, one statement (issue 15)."""
    session.flush()
    rows = session.connection().execute(
        _OPENING, {"claim_id": claim_id, "viewer_id": viewer.id, "user_id": viewer.id, "fresh_since": now - FRESH_FOR})
    present, unread = [], False
    for flag, user_id, name, since in rows:
        unread = bool(flag)
        if user_id is not None:
            present.append(Present(Person(user_id, name), since))
    return Opening(present, unread)
