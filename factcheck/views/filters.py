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
    """The article text with each claim's span wrapped in a mark carrying its status."""
    pieces: list[str] = []
    cursor = 0
    for claim in sorted(claims, key=lambda c: (c.start, -c.end)):
        if claim.start < cursor:  # overlapping spans: the earlier one keeps its mark
            continue
        pieces.append(str(escape(text[cursor:claim.start])))
        pieces.append(
            f'<mark class="claim status-{claim.status}" id="claim-mark-{claim.id}" data-claim-id="{claim.id}" '
            f'title="Claim {claim.id}: {escape(_status_label(claim.status))}">'
            f'<a href="#claim-{claim.id}">{escape(text[claim.start:claim.end])}</a>'
            f'<span class="status-tag">[{escape(_status_label(claim.status))}]</span></mark>'
        )
        cursor = claim.end
    pieces.append(str(escape(text[cursor:])))
    return Markup("".join(pieces))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = _datetime
    app.jinja_env.filters["date"] = _date
    app.jinja_env.filters["status_label"] = _status_label
    app.jinja_env.filters["highlight"] = _highlight
