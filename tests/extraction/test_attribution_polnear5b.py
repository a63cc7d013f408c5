"""Fifth round, second pass: attributed claims the threshold dropped, tags left unread, datelines.
Each in wording other than PolNeAR's."""

from __future__ import annotations

from factcheck.extraction import suggest_claims
from factcheck.extraction.suggest import THRESHOLD


def _at_threshold(text: str) -> list[tuple[str, str | None]]:
    return [(s.quote, s.claimant) for s in suggest_claims(text, threshold=THRESHOLD)]


def test_a_named_source_keeps_a_short_or_plain_claim_at_the_editors_threshold() -> None:
    text = ("The count ended on Sunday in the Vesla district.\n"
            "“Fair and orderly,” observer Hanne Lund said.\n"
            "“Who pays for the roads?” Mayor Oskar Brede asked.")
    got = _at_threshold(text)
    assert ("“Fair and orderly,”", "Hanne Lund") in got
    assert ("Who pays for the roads?", "Oskar Brede") in got


def test_no_floor_without_a_name_or_with_nothing_said() -> None:
    text = ("Berit Sand runs the Vesla depot.\n"
            "“Fine,” he said.\n"
            "A spokesman for Vesla Transit declined to comment.")
    quotes = [q for q, _ in _at_threshold(text)]
    assert "“Fine,” he said." not in quotes
    assert "A spokesman for Vesla Transit declined to comment." not in quotes
