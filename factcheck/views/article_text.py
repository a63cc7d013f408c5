"""The article page's text with its claims marked, written once per text and set of marks and kept.

The marks (the ``highlight`` filter's, written by ``write``: the text cut at every claim's start and
end, each piece escaped and wrapped in the marks of the claims covering it) were about a twelfth of the page (issue 15), and they
are the same on every view until the text or a claim's place or status changes: a new revision is a
new text, and a claim added, moved, dismissed or checked is a new span or status. So the markup is
kept per process under the text and every mark's id, place and status (``kept.Kept``, bounded).

Written here, a piece is escaped as plain text (``list_rows.html_text``: the same entities as
``markupsafe.escape``) and a mark's tag from its status's parts made once; ``filters._highlight``
says what the marks mean.
"""
from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from factcheck.views.kept import Kept
from factcheck.views.list_rows import html_text, status_text

# A span: (claim id, start, end, status).
Span = tuple[int, int, int, str]

# Enough for every article of a large newsroom's working set, each text (a few kilobytes) with its
# marks; emptied when full (``Kept``).
_kept: Kept[Markup] = Kept(at_most=512)


def marked(text: str, claims: Iterable[Any]) -> Markup:
    """``text|highlight(claims)``, kept per text and marks."""
    spans = tuple((c.id, c.start, c.end, c.status) for c in claims)
    return _kept.get((text, spans), lambda: write(text, spans))


# The same, kept under the claims as read (``article_page.ArticleClaims.key``: every value of every
# claim) and the revision they are marked in: the spans need not be made again from the claims on a view.
_kept_by_rows: Kept[Markup] = Kept(at_most=512)


def marked_claims(text: str, revision_id: int | None, claims: Any) -> Markup:
    """``marked`` of the article page's claims (``article_page.ArticleClaims``) on the current revision's
    ``text``: those on an older revision (orphaned ones) are listed but cannot be marked in it."""
    return _kept_by_rows.get((text, revision_id, claims.key), lambda: marked(
        text, (c for c in claims if c.revision_id == revision_id)))


def write(text: str, spans: Iterable[Span]) -> Markup:
    """``text`` with each span marked (``filters._highlight`` says what the marks mean): cut at every
    span's start and end, each piece escaped as plain text and wrapped in the marks covering it."""
    length = len(text)
    ordered = sorted((s for s in spans if 0 <= s[1] < s[2] <= length), key=lambda s: (s[1], -s[2], s[0]))
    if all(ordered[n - 1][2] <= ordered[n][1] for n in range(1, len(ordered))):
        return _write_apart(text, ordered)
    cuts = sorted({0, length, *(s[1] for s in ordered), *(s[2] for s in ordered)})
    starting: dict[int, list[Span]] = {}
    for span in ordered:
        starting.setdefault(span[1], []).append(span)
    covering: list[Span] = []
    started: set[int] = set()
    pieces: list[str] = []
    for begin, end in itertools.pairwise(cuts):
        if covering:
            covering = [s for s in covering if s[2] > begin]
        begun = starting.get(begin)
        if begun:
            covering.extend(begun)
        piece = html_text(text[begin:end])
        if covering:
            for claim_id, _start, _end, status in covering:  # outermost first, as each wraps the ones after it
                before, between, after = _mark_parts(status)
                anchor = "" if claim_id in started else f' id="claim-mark-{claim_id}"'
                started.add(claim_id)
                pieces.append(f'{before}{anchor} data-claim-id="{claim_id}"{between}{claim_id}{after}')
            pieces.append(piece)
            pieces.append("</mark>" * len(covering))
        else:
            pieces.append(piece)
    return Markup("".join(pieces))


def _write_apart(text: str, ordered: list[Span]) -> Markup:
    """``write`` where no two marks overlap (an article's claims nearly always): each mark is one piece
    of the text, wrapped in its own tag, with the text between the marks escaped as it stands. The same
    markup as the cutting above, without its cuts, sets and lists (half of writing a first view's text)."""
    pieces: list[str] = []
    started: set[int] = set()
    at = 0
    for claim_id, start, end, status in ordered:
        if start > at:
            pieces.append(html_text(text[at:start]))
        before, between, after = _mark_parts(status)
        anchor = "" if claim_id in started else f' id="claim-mark-{claim_id}"'
        started.add(claim_id)
        pieces.append(f'{before}{anchor} data-claim-id="{claim_id}"{between}{claim_id}{after}'
                      f'{html_text(text[start:end])}</mark>')
        at = end
    if at < len(text):
        pieces.append(html_text(text[at:]))
    return Markup("".join(pieces))


@functools.lru_cache(maxsize=64)
def _mark_parts(status: str) -> tuple[str, str, str]:
    """A mark's opening tag for a claim of this status, around its anchor and its id (twice)."""
    label = html_text(status_text(status))
    shown = html_text(status)
    return (f'<mark class="claim status-{shown}"',
            f' data-status="{shown}" data-status-label="{label}" title="Claim ',
            f': {label}">')
