"""What the suggestion engine proposes for a text of our own, at every score: the extraction tests'
shared way of asking it."""
from __future__ import annotations

from factcheck.extraction import suggest_claims


def suggested(text: str) -> list[tuple[str, str | None, list[str]]]:
    """(quote, claimant, via) of every suggestion, in order."""
    return [(s.quote, s.claimant, s.via) for s in suggest_claims(text, threshold=0.0)]


def only_claimant(text: str) -> str | None:
    """The claimant of the text's one suggestion (the text must give exactly one)."""
    found = suggested(text)
    assert len(found) == 1, found
    return found[0][1]


def claimant_by_quote(text: str) -> dict[str, str | None]:
    """Each suggestion's claimant, by its quote."""
    return {quote: claimant for quote, claimant, _ in suggested(text)}
