"""Nested and overlapping claims are all highlighted and reachable from the text (issue 13)."""
from __future__ import annotations

import re
from types import SimpleNamespace

from factcheck.views.filters import _highlight

TEXT = 'The mayor said "the bridge cost 96 million euros" on Monday, and the council agreed.'


def _claim(claim_id: int, quote: str, status: str = "open", occurrence: int = 0) -> SimpleNamespace:
    start = [m.start() for m in re.finditer(re.escape(quote), TEXT)][occurrence]
    return SimpleNamespace(id=claim_id, start=start, end=start + len(quote), status=status)


def _plain(html: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def test_a_claim_inside_another_claims_sentence_is_highlighted_too():
    outer = _claim(1, 'The mayor said "the bridge cost 96 million euros" on Monday', "assigned")
    inner = _claim(2, "the bridge cost 96 million euros", "final")
    html = str(_highlight(TEXT, [outer, inner]))
    assert _plain(html) == TEXT  # the marks add no characters: offsets stay true
    assert 'id="claim-mark-1"' in html and 'id="claim-mark-2"' in html
    # The inner claim's words sit inside both marks, the inner one innermost.
    inner_piece = re.search(r'<mark[^>]*data-claim-id="1"[^>]*><mark[^>]*data-claim-id="2"[^>]*>the bridge', html)
    assert inner_piece, html


def test_overlapping_claims_are_cut_into_pieces_each_reachable():
    first = _claim(1, "96 million euros\" on Monday")
    second = _claim(2, "on Monday, and the council agreed")
    html = str(_highlight(TEXT, [first, second]))
    assert _plain(html) == TEXT
    assert html.count('id="claim-mark-1"') == 1 and html.count('id="claim-mark-2"') == 1
    both = re.search(r'<mark[^>]*data-claim-id="1"[^>]*><mark[^>]*data-claim-id="2"[^>]*>on Monday</mark></mark>', html)
    assert both, html
    assert html.count('data-claim-id="2"') == 2  # "on Monday" inside claim 1, then the rest alone


def test_spans_outside_the_text_are_left_out():
    stale = SimpleNamespace(id=9, start=10, end=len(TEXT) + 5, status="orphaned")
    assert str(_highlight(TEXT, [stale])) == TEXT.replace('"', "&#34;")
