"""Quotation marks typed as two apostrophes (''…'', the style of some newspaper archives).

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
