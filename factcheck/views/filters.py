"""Jinja filters for presentation only."""
from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup

from factcheck.views import article_text
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

    The markup is written by ``article_text.write`` (the article page keeps it per text and marks).
    """
    return article_text.write(text, [(c.id, c.start, c.end, c.status) for c in claims])


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
