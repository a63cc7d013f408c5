"""Jinja filters for presentation only."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from markupsafe import Markup, escape


def _datetime(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _status_label(value: str | None) -> str:
    return (value or "").replace("_", " ")


def _highlight(text: str, claims: list) -> Markup:
    """The article text with each claim's span wrapped in a mark carrying its status.

    The marks add no characters: the element's textContent is exactly ``text``, so the page's
    selection script can turn a selection into character offsets of the revision. The status is
    shown by colour and, for people who cannot tell the colours apart, by the mark's underline
    style and a label the stylesheet draws from ``data-status-label`` (generated content is not
    part of the text and cannot be selected). The marks hold no links, so a drag that starts inside
    one selects text instead of dragging a link; the claim cards beside the text link to each claim,
    and selection.js takes a plain click on a mark to its card.
    """
    pieces: list[str] = []
    cursor = 0
    for claim in sorted(claims, key=lambda c: (c.start, -c.end)):
        if claim.start < cursor or claim.end > len(text):  # overlaps: the earlier mark wins; stale spans are skipped
            continue
        label = escape(_status_label(claim.status))
        pieces.append(str(escape(text[cursor:claim.start])))
        pieces.append(
            f'<mark class="claim status-{escape(claim.status)}" id="claim-mark-{claim.id}" data-claim-id="{claim.id}" '
            f'data-status="{escape(claim.status)}" data-status-label="{label}" title="Claim {claim.id}: {label}">'
            f'{escape(text[claim.start:claim.end])}</mark>'
        )
        cursor = claim.end
    pieces.append(str(escape(text[cursor:])))
    return Markup("".join(pieces))


_ROLE_LABELS = {"checker": "fact-checker"}


def _role_label(value: str) -> str:
    label = _ROLE_LABELS.get(str(value), str(value))
    return label[:1].upper() + label[1:]


def init_app(app: Flask) -> None:
    app.jinja_env.filters["role_label"] = _role_label
    app.jinja_env.filters["datetime"] = _datetime
    app.jinja_env.filters["date"] = _date
    app.jinja_env.filters["status_label"] = _status_label
    app.jinja_env.filters["highlight"] = _highlight
