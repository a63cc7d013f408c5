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


# A participle used as an adjective after the determiner: "the retired surgeon said".

def test_a_participle_before_the_speakers_noun_keeps_the_speaker() -> None:
    for sentence, opening, who in (
        ("The retired harbour pilot acknowledged that he had never seen the quay so crowded.",
         "The retired harbour", "the retired harbour pilot"),
        ("But the embattled treasurer said the levy would be repaid within four years.", "But the embattled",
         "the embattled treasurer"),
        ("The north quay will stay shut until May, the retired surgeon said.", "The north quay",
         "the retired surgeon"),
    ):
        assert _by_start(sentence, opening) == who, sentence


def test_a_participle_after_the_noun_is_still_a_clause() -> None:
    # "The plan approved on Monday" is a thing done, not a speaker.
    sentence = "The plan approved on Monday said the quay would reopen in May."
    assert _by_start(sentence, "The plan") is None


# Western Journal's conventions (neutral on dev, not on the unread train articles).

def test_a_title_case_line_with_just_and_a_past_tense_names_its_subject() -> None:
    from factcheck.extraction.title_lines import title_case_tag
    for line, who in (("Mayor Ida Marek Just Revealed The 1 Thing She Will Do About The Quay.", "Ida Marek"),
                      ("Harbour Board Announces Plans For The North Quay.", "Harbour Board")):
        tag = title_case_tag(line)
        assert tag is not None and tag.chain == [who], line


def test_a_short_tag_with_said_after_an_exclamation_names_the_speaker() -> None:
    text = ("The mayor spoke at length on Monday. “We are tired of being told the quay plan is a waste "
            "of money!” Varga said at the rally.")
    assert _by_start(text, "We are tired") == "Varga"


def test_a_party_between_commas_is_not_the_speaker() -> None:
    assert _by_start("Sen. Lana Ortiz, D-Nev., said the levy would fail in the Senate next week.",
                     "Sen. Lana") == "Lana Ortiz"
    assert _by_start("According to Rep. Dan Hale, R-Ohio, the levy will fail in the Senate next week.",
                     "the levy") == "Dan Hale"
