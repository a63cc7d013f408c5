"""The article page's body kept per article and viewer, for the rows it was written from.

Everything below the page's flashes (``templates/articles/_body.html``: the head, the gate, the marked
text, the claims' cards, the bulk-assignment and add-claim forms, the furniture) depends on the
article's row (the article with its current revision, every column), its claims' rows (and, where the
viewer may assign, the checkers read with them, in the same statement), on the viewer (their id and roles), the settings and
the app's addresses (its mount point); besides those, only each form's CSRF token and new idempotency
key change from one view to the next. Making the article's objects, its actions, the triage and tick
sets, the gate, the forms and the template's body again on every view was most of the page's own work
(issue 15), though each piece was already kept. So the body is written once with stand-ins where the
tokens go (``Holes``), split there and kept; a view whose article row, claims and viewer equal those it
was written for (``==`` on the driver's rows) fills the stand-ins in and writes nothing else.

The stand-ins hold a random value made when the process starts, which no page shows, so no text a
person wrote can be taken for one; a body whose stand-ins do not count up to those written is not kept.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, NamedTuple

from flask import Flask
from markupsafe import Markup

from factcheck.views import stand_ins

_TOKEN, _TOKEN_WITH_ID = "0", "1"
_STAND_INS = stand_ins.StandIns(_TOKEN + _TOKEN_WITH_ID)
_PLAIN, _WITH_ID = _STAND_INS.mark(_TOKEN), _STAND_INS.mark(_TOKEN_WITH_ID)
# Bodies are some 10-40 kB (the article's text marked, twenty cards): a few MB per worker at most.
_BODIES = stand_ins.KeptPerApp("factcheck.kept_article_pages", at_most=256)


class Holes:
    """``token_and_key`` for a body written to be kept: each call writes a stand-in, counted."""

    def __init__(self) -> None:
        self.tokens = 0

    def __call__(self, *, with_id: bool = False) -> Markup:
        self.tokens += 1
        return _WITH_ID if with_id else _PLAIN


class Body(NamedTuple):
    """A written body: its text split at the stand-ins (text, kind, text, …, text) and what it was
    written for."""

    row: Any  # the article's row as the driver gave it (``article_page.PageRows.as_read``)
    viewer: Hashable  # the viewer's roles, the settings, the mount point
    claims: Hashable  # the claims as read (``article_page.ArticleClaims.key``)
    status: str  # the article's status (the claims' statement reads it)
    title: str
    parts: Sequence[str]


def split(text: str, holes: Holes) -> tuple[list[str], bool]:
    """The body's text split at its stand-ins, and whether they are those ``holes`` wrote (if not, the
    body is filled in but not kept)."""
    parts = _STAND_INS.split(text)
    return parts, len(parts) // 2 == holes.tokens


def fill(parts: Sequence[str], token_and_key: Callable[..., Markup]) -> list[str]:
    """The body with this view's tokens and idempotency keys, as its pieces in order (the page joins
    them once with the layout around them)."""
    pieces = list(parts)
    for n in range(1, len(pieces), 2):
        pieces[n] = token_and_key(with_id=True) if pieces[n] == _TOKEN_WITH_ID else token_and_key()
    return pieces


def kept(app: Flask, article_id: int, viewer_id: int) -> Body | None:
    found: Body | None = _BODIES.get(app, (article_id, viewer_id))
    return found


def keep(app: Flask, article_id: int, viewer_id: int, body: Body) -> None:
    _BODIES.put(app, (article_id, viewer_id), body)
