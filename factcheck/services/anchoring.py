"""Anchor a quote to a revision's text, the way W3C Web Annotation selectors do."""
from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT_CHARS = 32

# Pasted text often differs from the article only in typography; match through that.
_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_SPACE_RUN = re.compile(r"\s+")


@dataclass(frozen=True)
class Anchor:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def anchor_at(text: str, start: int, end: int) -> Anchor:
    return Anchor(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS):start],
        suffix=text[end:end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """Text with whitespace runs collapsed and typography unified, plus each char's original offset."""
    out: list[str] = []
    offsets: list[int] = []
    for match in re.finditer(r"\s+|\S", text):
        out.append(" " if match.group().isspace() else match.group().translate(_TYPOGRAPHY))
        offsets.append(match.start())
    return "".join(out), offsets


def find_quote(text: str, quote: str) -> Anchor | None:
    """The first place ``quote`` stands in ``text``, exactly or up to whitespace and typography."""
    quote = quote.strip()
    if not quote:
        return None
    start = text.find(quote)
    if start >= 0:
        return anchor_at(text, start, start + len(quote))
    haystack, offsets = _normalised_with_map(text)
    needle = _SPACE_RUN.sub(" ", quote).translate(_TYPOGRAPHY)
    position = haystack.find(needle)
    if position < 0:
        return None
    last = offsets[position + len(needle) - 1]
    return anchor_at(text, offsets[position], last + 1)


def find_span(text: str, start: int, end: int, exact: str) -> Anchor | None:
    """Anchor a selection made in the browser: trust the positions only if they still hold the quote."""
    if 0 <= start < end <= len(text) and text[start:end] == exact:
        return anchor_at(text, start, end)
    return find_quote(text, exact)
