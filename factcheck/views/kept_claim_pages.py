"""The claim page's body kept per claim and viewer, for the rows it was written from.

Everything below the page's flashes depends on the claim's, its items' and its history's rows, on the
viewer (their id, name and roles), on the settings and, where the assignment form is offered, on the
checkers; besides those, only each form's CSRF token and new idempotency key and who else has the claim
open change from one view to the next. Writing the body (the objects made from the rows, the actions,
the history described, the evidence, the conversation, the template) was about two thirds of the page's
own work on every view (issue 15). So the body is written once with stand-ins where those per-view parts
go (``Holes``), split there, and kept; a view whose rows, viewer and settings are equal to those it was
written for (compared with ``==`` on the driver's rows, before they are typed) fills the stand-ins in
and writes nothing else.

The stand-ins hold a random value made when the process starts, which no page shows, so no text a
person wrote can be taken for one; a body whose stand-ins do not count up to those written is not kept.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, NamedTuple

from flask import Flask
from markupsafe import Markup

from factcheck.views import stand_ins

_TOKEN, _TOKEN_WITH_ID, _PRESENCE = "0", "1", "2"
_STAND_INS = stand_ins.StandIns(_TOKEN + _TOKEN_WITH_ID + _PRESENCE)
PRESENCE = _STAND_INS.mark(_PRESENCE)
# Bodies are some 10-40 kB: a few MB per worker at most.
_BODIES = stand_ins.KeptPerApp("factcheck.kept_claim_pages", at_most=256)


class Holes:
    """``token_and_key`` and the take and start buttons' ``hidden_tag`` for a body written to be kept:
    each writes a stand-in, counted."""

    def __init__(self) -> None:
        self.tokens = 0

    def token_and_key(self, *, with_id: bool = False) -> Markup:
        self.tokens += 1
        return _STAND_INS.mark(_TOKEN_WITH_ID if with_id else _TOKEN)

    def hidden_tag(self) -> Markup:
        return self.token_and_key(with_id=True)


class Body(NamedTuple):
    """A written body: its text split at the stand-ins (text, kind, text, …, text) and what it was
    written for."""

    viewer: Hashable  # the viewer's name and roles, and the settings
    rows: Hashable  # the rows of the claim, its items and its history
    parts: Sequence[str]
    heartbeat: bool  # whether the presence region sends the viewer's heartbeat
    checkers: Sequence[Any] | None  # the assignment form's checkers, when it is offered
    # What names the database's state the rows were read in (``claim_page.Opening.stamp``): while the
    # database has not changed since, the rows are not read again. None: read them at every view.
    stamp: Any = None


def split(text: str, holes: Holes) -> tuple[list[str], bool]:
    """The body's text split at its stand-ins, and whether they are those ``holes`` wrote and one presence
    region (if not, the body is filled in but not kept)."""
    parts = _STAND_INS.split(text)
    kinds = parts[1::2]
    return parts, kinds.count(_PRESENCE) == 1 and len(kinds) == holes.tokens + 1


def fill(parts: Sequence[str], presence_region: Markup, token_and_key: Callable[..., Markup]) -> Markup:
    """The body with this view's tokens, idempotency keys and presence region (``token_and_key``: one
    writer for the view, ``forms.token_writer``)."""
    return stand_ins.fill(parts, {_TOKEN: token_and_key, _TOKEN_WITH_ID: lambda: token_and_key(with_id=True),
                                  _PRESENCE: lambda: presence_region})


def kept(app: Flask, claim_id: int, viewer_id: int) -> Body | None:
    found: Body | None = _BODIES.get(app, (claim_id, viewer_id))
    return found


def keep(app: Flask, claim_id: int, viewer_id: int, body: Body) -> None:
    _BODIES.put(app, (claim_id, viewer_id), body)


def forget(app: Flask) -> None:
    """Every body kept (the next view of each claim writes its page anew)."""
    _BODIES.forget(app)
