"""The presentation filters; ``highlight`` must keep the article text intact for the selection script."""
from __future__ import annotations

import html
import re
from types import SimpleNamespace

from factcheck.views.filters import _highlight

TEXT = 'Mayor said: "Crime fell 5% & rents <rose>".\nCafé 🙂 owners agree.\n'


def _claim(id_: int, quote: str, status: str, text: str = TEXT) -> SimpleNamespace:
    start = text.index(quote)
    return SimpleNamespace(id=id_, start=start, end=start + len(quote), status=status)


def _text_content(markup: str) -> str:
    """What the browser's textContent gives: the markup without tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_highlight_adds_no_characters_to_the_text():
    claims = [_claim(1, "Crime fell 5% & rents <rose>", "in_progress"), _claim(2, "Café 🙂 owners", "final")]
    markup = str(_highlight(TEXT, claims))
    assert _text_content(markup) == TEXT
    assert markup.count("<mark") == 2


def test_highlight_gives_a_non_colour_status_cue_as_attributes():
    markup = str(_highlight(TEXT, [_claim(7, "Crime fell 5%", "in_progress")]))
    assert 'data-status="in_progress"' in markup
    assert 'data-status-label="in progress"' in markup
    assert 'title="Claim 7: in progress"' in markup
    assert "<a " not in markup  # a link would turn a drag inside the mark into a link drag


def test_highlight_marks_overlapping_spans_and_skips_stale_ones():
    first = _claim(1, "Crime fell 5% & rents", "open")
    overlapping = _claim(2, "rents <rose>", "open")
    stale = SimpleNamespace(id=3, start=len(TEXT) - 2, end=len(TEXT) + 10, status="open")
    markup = str(_highlight(TEXT, [first, overlapping, stale]))
    # "rents" is in both claims: cut into pieces, every claim marked once by id, the stale one not at all.
    assert markup.count('id="claim-mark-1"') == 1 and markup.count('id="claim-mark-2"') == 1
    assert 'data-claim-id="3"' not in markup
    assert _text_content(markup) == TEXT
