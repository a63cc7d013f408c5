"""Numbered pages for the lists a desk reads top down (articles, my queue, the review queue).

A list page shows the newsroom's page size (``Settings.page_size``, as the claims list does) however
long the list is, so its time stops growing once a page is full (issue 15); "Previous" and "Next"
carry the list's filters. The page number comes from the
query string and is never trusted: anything that is not a page number shows the first page.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from flask import request, url_for
from markupsafe import Markup

from factcheck.views.common import context, layout_url, parse_id
from factcheck.views.list_rows import html_text


# Named tuples, not frozen dataclasses: a frozen dataclass sets each field through ``object.__setattr__``,
# and both are made on every view of three lists.
class Pager(NamedTuple):
    number: int  # 1 for the first page
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def links(self, endpoint: str, shown: int, *, more: bool, kept: Mapping[str, Any]) -> PageLinks:
        """The page's links: ``shown`` rows on it, ``more`` when rows follow; ``kept`` are the list's
        filters and sort, carried to the other pages."""
        args: dict[str, Any] = {name: value for name, value in kept.items() if value}

        def to(number: int) -> str:
            if not args:  # the list's kept address and the number (what ``url_for`` builds: digits need no quoting)
                return f"{layout_url(endpoint)}?page={number}" if number > 1 else layout_url(endpoint)
            return url_for(endpoint, **(args | {"page": number} if number > 1 else args))
        return PageLinks(
            number=self.number, first_row=self.offset + 1, last_row=self.offset + shown,
            previous_url=to(self.number - 1) if self.number > 1 and shown else None,
            next_url=to(self.number + 1) if more else None,
            first_url=to(1) if self.number > 1 and not shown else None,
        )


class PageLinks(NamedTuple):
    number: int
    first_row: int
    last_row: int
    previous_url: str | None
    next_url: str | None
    first_url: str | None  # a page past the end: the way back to the start

    def html(self, label: str, noun: str) -> Markup:
        """The pager's ``<nav>`` ("← Previous claims", "Claims 51–100", "Next claims →"), or nothing
        when the list fits one page. Written here, not by a macro: importing a macro template costs
        each render more than the pager's markup."""
        if not (self.previous_url or self.next_url or self.first_url):
            return Markup("")
        parts = []
        if self.previous_url:
            parts.append(f'<a rel="prev" href="{html_text(self.previous_url)}">← Previous {html_text(noun)}</a>')
        if self.last_row >= self.first_row:
            parts.append(f'<span class="meta">{html_text(noun.capitalize())} {self.first_row}–{self.last_row}</span>')
        if self.next_url:
            parts.append(f'<a rel="next" href="{html_text(self.next_url)}">Next {html_text(noun)} →</a>')
        if self.first_url:
            parts.append(f'<a href="{html_text(self.first_url)}">Back to the first page</a>')
        return Markup(f'<nav class="pager" aria-label="{html_text(label)}">{"".join(parts)}</nav>')


def current_pager() -> Pager:
    """The page the query string asks for (``?page=N``); the first for a missing or bad number."""
    # No query string (most views): nothing parsed into werkzeug's arguments. ``in`` first: ``get`` of
    # a missing name raises and catches a KeyError built as an HTTP error.
    args = request.args if request.query_string else None
    return Pager((parse_id(args["page"]) if args and "page" in args else None) or 1, context().settings.page_size)

