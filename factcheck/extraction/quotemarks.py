"""Quotation marks typed as two apostrophes (''…'', the style of some newspaper archives),
and a closing mark typed where an opening one belongs (”…” at the start of a line).

The rest of the pipeline knows one-character quotation marks. Each pair of apostrophes
that opens or closes a quotation is read as a straight double quote plus a space, on the
side away from the quoted words, so that every offset stays where it was:
``''He won,'' she said`` is read as ``␠"He won,"␠ she said``.
"""

from __future__ import annotations

import re

# Opening: at the start of a line or after a space or bracket, before a word character
# or a quote; closing: after a letter, digit or punctuation and not before a letter.
_OPENING = re.compile(r"(?:^|(?<=[\s(\[—–-]))''(?=[\w“‘\"])", re.M)
_CLOSING = re.compile(r"(?<=[\w.,!?;:’”)\-—])''(?![\w])")
_DIGIT_BEFORE = re.compile(r"\d''")


def read_double_apostrophes(text: str) -> str:
    """``text`` with apostrophe pairs that act as quotation marks made plain; same length."""
    if "''" not in text:
        return text
    out = _OPENING.sub(' "', text)
    return _CLOSING.sub(lambda m: m.group(0) if _DIGIT_BEFORE.match(text, m.start() - 1) else '" ', out)


# A line that opens with a closing mark before a word, and closes it later: ”Fear. …” is
# “Fear. …”, as a keyboard's smart quotes sometimes turn it.
_WRONG_OPENING = re.compile(r"^([ \t]*)”(?=[^\W\d_][^\n]*”)", re.M)


def read_wrong_openings(text: str) -> str:
    """``text`` with a line-opening ” that a later ” closes read as “; same length."""
    if "”" not in text:
        return text
    return _WRONG_OPENING.sub(lambda m: m.group(1) + "“", text)


# A quotation opened with one kind of mark and closed with the other: "Just when …,” and
# “It was …," as copy pasted from several sources types them. Neither crosses another mark.
_STRAIGHT_THEN_CURLY = re.compile(r'(?:^|(?<=[\s(\[—–-]))"(?=[^\W\d_])([^"“”\n]{1,400}?)”', re.M)
_CURLY_THEN_STRAIGHT = re.compile(r'“([^"“”\n]{1,400}?[\w.,!?;:’)\-—])"(?![\w])')


def read_mixed_marks(text: str) -> str:
    """``text`` with quotations opened by one kind of double mark and closed by the other
    read as “…”; same length."""
    if '"' not in text:
        return text
    text = _STRAIGHT_THEN_CURLY.sub(lambda m: "“" + m.group(1) + "”", text)
    return _CURLY_THEN_STRAIGHT.sub(lambda m: "“" + m.group(1) + "”", text)
