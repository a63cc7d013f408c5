"""Ninth round, second pass: cues that carry over to outlets the rules were not read on, each
fix tested in wording of our own (invented people, places and bodies), with cases that must
not change."""

from __future__ import annotations

from factcheck.extraction import suggest_claims


def _by_start(text: str, opening: str) -> str | None:
    """Claimant of the suggestion that starts with ``opening``."""
    for s in suggest_claims(text, threshold=0.0):
        if s.quote.startswith(opening):
            return s.claimant
    raise AssertionError(f"no suggestion opens with {opening!r}")


# "X made it clear that …": a statement put as an idiom.

def test_made_it_clear_and_left_no_doubt_name_their_subject() -> None:
    for sentence, who in (
        ("Senator Ines Halloran made it clear that she would not back the quay closure.", "Ines Halloran"),
        ("The harbour master has made it clear the north quay will stay shut until May.", "the harbour master"),
        ("Mayor Tomas Berg left no doubt that he would veto the ferry levy.", "Tomas Berg"),
        ("The union made no secret of the fact that it opposed the new rota.", "the union"),
        ("Dock workers made the point that the cranes had not been serviced in a decade.", "Dock workers"),
        ("The treasurer made the case that the levy would pay for the repairs within four years.",
         "the treasurer"),
    ):
        assert _by_start(sentence, sentence[:15]) == who, sentence


def test_the_idiom_after_an_opener_is_read_too() -> None:
    sentence = "But the harbour board made it clear on Monday that the quay would close for a month."
    assert _by_start(sentence, "But the harbour") == "the harbour board"


def test_made_clear_with_an_object_or_the_case_for_names_no_one() -> None:
    # An aim or a case for something states no claim of the speaker's.
    for sentence in ("The mayor made clear her aim to rebuild the harbour before winter.",
                     "The treasurer made the case for a new levy on the ferry operators.",
                     "Fog made it hard for the pilots to see the north quay on Monday."):
        assert _by_start(sentence, sentence[:12]) is None, sentence

