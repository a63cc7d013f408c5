"""Claim suggestion engine: pure Python, no Flask or database imports.

Given an article's text it sets page furniture aside, splits sentences, works out
who made each claim and through whom it was relayed, and scores how check-worthy
it is. Offsets always refer to the text exactly as given.
"""

from __future__ import annotations

from pathlib import Path

from .furniture import find_furniture
from .sentences import split_sentences
from .suggest import suggest_claims
from .types import FurnitureLine, Span, Suggestion

__all__ = [
    "FurnitureLine",
    "Span",
    "Suggestion",
    "find_furniture",
    "split_sentences",
    "suggest_claims",
    "suggest_file",
]


def suggest_file(path: str | Path) -> list[dict[str, object]]:
    """Suggestions for a UTF-8 text file, as dicts with offsets into its decoded text."""
    # Decoded as is (no newline translation) so offsets match the file's text.
    text = Path(path).read_bytes().decode("utf-8")
    return [s.to_dict() for s in suggest_claims(text)]
