"""Jinja filters for presentation only."""
from __future__ import annotations

import functools
import itertools
from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from factcheck.views.list_rows import date_text, datetime_text, status_text


def _highlight(text: str, claims: list[Any]) -> Markup:
    """The article text with each claim's span wrapped in a mark carrying its status.

    The marks add no characters: the element's textContent is exactly ``text``, so the page's
    selection script can turn a selection into character offsets of the revision. Claims may nest
    (a quotation inside an attributed sentence) or overlap: the text is cut at every claim's start
    and end, and each piece is wrapped in the marks of every claim that covers it, outermost first,
    so every claim is highlighted and a click on any piece reaches the innermost claim there. The
    first piece of a claim carries its id (``claim-mark-N``), the anchor its card links to.

    The status is shown by colour and, for people who cannot tell the colours apart, by the mark's
    underline style and a label the stylesheet draws from ``data-status-label`` (generated content is
    not part of the text and cannot be selected). The marks hold no links, so a drag that starts
    inside one selects text instead of dragging a link; selection.js takes a plain click on a mark to
    its card.
    """
    spans = sorted((c for c in claims if 0 <= c.start < c.end <= len(text)), key=lambda c: (c.start, -c.end, c.id))
    cuts = sorted({0, len(text), *(c.start for c in spans), *(c.end for c in spans)})
    starting: dict[int, list[Any]] = {}
    for claim in spans:
        starting.setdefault(claim.start, []).append(claim)
    # A sweep over the cuts: the claims covering a piece are those begun and not yet ended, kept in the
    # order of ``spans`` (outermost first), rather than every claim asked about every piece.
    covering: list[Any] = []
    started: set[int] = set()
    pieces: list[str] = []
    for begin, end in itertools.pairwise(cuts):
        if covering:
            covering = [c for c in covering if c.end > begin]
        covering.extend(starting.get(begin, ()))
        piece = escape(text[begin:end])
        if covering:
            marks = []
            for claim in covering:  # outermost first, as each wraps the ones after it
                claim_id = claim.id
                before, between, after = _mark_parts(claim.status)
                anchor = "" if claim_id in started else f' id="claim-mark-{claim_id}"'
                started.add(claim_id)
                marks.append(f'{before}{anchor} data-claim-id="{claim_id}"{between}{claim_id}{after}')
            marks.append(piece)
            marks.append("</mark>" * len(covering))
            pieces.append("".join(marks))
        else:
            pieces.append(piece)
    return Markup("".join(pieces))


@functools.lru_cache(maxsize=64)
def _mark_parts(status: str) -> tuple[str, str, str]:
    """A mark's opening tag for a claim of this status, around its anchor and its id (twice), in three
    parts: the status and its label escaped once per process, not for every piece of every claim."""
    label = escape(status_text(status))
    return (f'<mark class="claim status-{escape(status)}"',
            f' data-status="{escape(status)}" data-status-label="{label}" title="Claim ',
            f': {label}">')


_ROLE_LABELS = {"checker": "fact-checker"}


def _role_label(value: str) -> str:
    label = _ROLE_LABELS.get(str(value), str(value))
    return label[:1].upper() + label[1:]


def init_app(app: Flask) -> None:
    app.jinja_env.filters["role_label"] = _role_label
    app.jinja_env.filters["datetime"] = datetime_text
    app.jinja_env.filters["date"] = date_text
    app.jinja_env.filters["status_label"] = status_text
    app.jinja_env.filters["highlight"] = _highlight
