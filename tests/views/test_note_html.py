"""A note's HTML written directly for plain notes (views/note_html.py) is exactly what the parser and
the sanitiser give, and every other note still goes through them."""
from __future__ import annotations

import random

import pytest

from factcheck.services import notes
from factcheck.views import note_html

# Characters that mean something to CommonMark or to the escaping, mixed with plain words.
_PIECES = ["word", "Word", "x", "1", "2.", "3)", " ", " ", "  ", "**", "*", "_", "&", "& ", "&amp;", "&#38;", '"', "'",
           "<", ">", "<b>", "`", "\\", "[", "]", "(", ")", "!", "#", "-", "+", "=", "~", ".", ",", ";", ":", "?",
           "é", "Ł", "’", "“", "”", "—", "…", "\u00a0", "×", "\n", "\n\n", "    ", "http://a.b/c", "@chen", "%", "$",
           "/", "1. ", "- ", "> ", "# "]


# Mostly what plain notes are made of, so that many are written directly.
_PLAIN = ["word", "Word", "x", "7", " ", " ", " ", "**", "**", "**b**", "& ", "&", '"', "'", ".", ",", ";", ":", "?",
          "!", "(", ")", "-", "é", "’", "…", "*", "_"]


def _bodies(n: int, seed: int, pieces: list[str]) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))) for _ in range(n)]


_HAND = [
    "Called the statistics office about figure 1; **provisional** until March. See table 2.",
    "**Bold** start", "ends **bold**", "ends **bold**.", "(see **this**)", "**a**", "**a** **b**", "a **b c** d",
    "a **b**c", "a**b** c", "a ** b** c", "a **b ** c", "**", "a ****", "a **b* c", "Q & A", "Q&A", "a &amp; b",
    'He said "no" & left', "it's fine", "naïve café — “quoted” …", "a  b", "a ", " a", "a\nb", "1. list",
    "A. not a list", "x\u00a0y", "a <b>c</b>", "see http://example.com/x?y=1", "@[Chen Li] please check", "#tag",
    "a!", "a ![x](y)", "Done!", "a **b!** c", "a **b)** c", "a **(b)** c", "tabs\tin", "é **é** é",
]


@pytest.mark.parametrize("body", _HAND)
def test_hand_picked_notes_read_as_the_parser_writes_them(body: str) -> None:
    assert note_html.render(body) == notes.render_markdown(body)


@pytest.mark.parametrize(("pieces", "at_least"), [(_PIECES, 100), (_PLAIN, 400)], ids=["any", "plain"])
def test_generated_notes_read_as_the_parser_writes_them(pieces: list[str], at_least: int) -> None:
    direct = 0
    for body in _bodies(10_000, 15, pieces):
        assert note_html.render(body) == notes.render_markdown(body), body
        direct += bool(note_html._SIMPLE.fullmatch(body)) and not body.endswith(" ")
    # Both ways are exercised: written directly and through the parser.
    assert at_least < direct < 9_500


def test_plain_words_with_bold_are_written_directly() -> None:
    body = "Called the office; **provisional** until March & later."
    assert note_html._SIMPLE.fullmatch(body)
    assert note_html.render(body) == "<p>Called the office; <strong>provisional</strong> until March &amp; later.</p>\n"
