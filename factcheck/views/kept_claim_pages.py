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

import re
import secrets
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, NamedTuple

from flask import Flask
from markupsafe import Markup

_NONCE = secrets.token_hex(16)
_TOKEN, _TOKEN_WITH_ID, _PRESENCE = "0", "1", "2"
PRESENCE = Markup(f"\ue000{_NONCE}{_PRESENCE}\ue001")
_HOLE = re.compile(f"\ue000{_NONCE}([012])\ue001")
# Bodies are some 10-40 kB: a few MB per worker at most.
_MAX_KEPT = 256
_EXTENSION = "factcheck.kept_claim_pages"


class Holes:
    """``token_and_key`` and the take and start buttons' ``hidden_tag`` for a body written to be kept:
    each writes a stand-in, counted."""

    def __init__(self) -> None:
        self.tokens = 0

    def token_and_key(self, *, with_id: bool = False) -> Markup:
        self.tokens += 1
        return Markup(f"\ue000{_NONCE}{_TOKEN_WITH_ID if with_id else _TOKEN}\ue001")

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
    parts = _HOLE.split(text)
    kinds = parts[1::2]
    return parts, kinds.count(_PRESENCE) == 1 and len(kinds) == holes.tokens + 1


def fill(parts: Sequence[str], presence_region: Markup, token_and_key: Callable[..., Markup]) -> Markup:
    """The body with this view's tokens, idempotency keys and presence region (``token_and_key``: one
    writer for the view, ``forms.token_writer``)."""
    out = []
    for n, part in enumerate(parts):
        if not n % 2:
            out.append(part)
        elif part == _TOKEN:
            out.append(token_and_key())
        elif part == _TOKEN_WITH_ID:
            out.append(token_and_key(with_id=True))
        else:
            out.append(presence_region)
    return Markup("".join(out))


def kept(app: Flask, claim_id: int, viewer_id: int) -> Body | None:
    return app.extensions.get(_EXTENSION, {}).get((claim_id, viewer_id))


def keep(app: Flask, claim_id: int, viewer_id: int, body: Body) -> None:
    bodies: OrderedDict[tuple[int, int], Body] = app.extensions.setdefault(_EXTENSION, OrderedDict())
    bodies.pop((claim_id, viewer_id), None)
    if len(bodies) >= _MAX_KEPT:
        # The one written longest ago (a plain dict's first key, found past the slots of those taken
        # out before it, was found more slowly the more had been taken out).
        bodies.popitem(last=False)
    bodies[(claim_id, viewer_id)] = body


def forget(app: Flask) -> None:
    """Every body kept (the next view of each claim writes its page anew)."""
    app.extensions.pop(_EXTENSION, None)
