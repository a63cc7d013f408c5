"""Tenth round, rules from every outlet (issue #14): shapes found on a readable slice of PolNeAR
train that holds ten articles of each of six outlets (tools/polnear_splits.py), written here as
invented sentences of the same shapes, each with a neighbour that must not change."""

from __future__ import annotations

import pytest

from factcheck.extraction import Suggestion, suggest_claims
from factcheck.extraction import attribution as attr
from factcheck.extraction.quotemarks import read_mixed_marks


def _found(text: str, opening: str) -> Suggestion:
    """The suggestion that starts with ``opening``."""
    for s in suggest_claims(text, threshold=0.0):
        if s.quote.startswith(opening):
            return s
    raise AssertionError(f"no suggestion opens with {opening!r}")


# Mixed quotation marks ------------------------------------------------------------------

def test_a_quotation_opened_straight_and_closed_curly_is_read_as_one() -> None:
    text = ("“This is a terrible outcome for the port authority in the north,” said Tomas Verle, an adviser to "
            "the mayor. \"Just when you thought the week could not get any worse, it just did.”\n")
    continued = _found(text, "Just when you thought")
    assert continued.claimant == "Tomas Verle"


@pytest.mark.parametrize("text, read", [
    ('He said "the port will close,” and left.', "He said “the port will close,” and left."),
    ("“The port will close,\" he said.", "“The port will close,” he said."),
    # Marks of one kind, and apostrophes, stay as they are.
    ('"The port will close," he said.', '"The port will close," he said.'),
    ("“The port’s gates will close,” he said.", "“The port’s gates will close,” he said."),
])
def test_mixed_marks_are_read_as_curly_ones_and_nothing_moves(text: str, read: str) -> None:
    assert read_mixed_marks(text) == read
    assert len(read_mixed_marks(text)) == len(text)


# A setting after the tag ------------------------------------------------------------------

def test_a_tag_after_a_quotation_ends_where_when_begins() -> None:
    text = ("“Anyone who breaks the harbour rules puts every family on the coast at risk,” said county voter "
            "Dan Holvik when asked about the new bill.\n")
    assert _found(text, "Anyone who breaks").claimant == "Dan Holvik"


def test_at_the_time_is_no_part_of_the_name() -> None:
    text = ("“It is not new in the valley at all,” said Rep. Ann Lowe (D-Va.) at the time, adding that “we "
            "have been electing farmers to office for a long time.”\n")
    assert _found(text, "It is not new").claimant == "Ann Lowe"
    # A name that ends the tag is kept whole.
    plain = "“It is not new in the valley at all,” said Rep. Ann Lowe.\n"
    assert _found(plain, "It is not new").claimant == "Ann Lowe"


# Possessives and participles --------------------------------------------------------------

def test_a_possessive_before_claims_is_no_subject_of_a_verb() -> None:
    tag = attr.parse_leading("Despite Mr. Orlan's claims that his fortune exceeds $10 billion, all of the "
                             "research firms put him far lower.")
    assert tag is None or not tag.chain[-1].endswith(("'s", "’s"))
    # "claims" after a subject that owns nothing is still the verb.
    tag = attr.parse_leading("Mr. Orlan claims that his fortune exceeds $10 billion.")
    assert tag is not None and tag.chain == ["Orlan"]


def test_a_participle_with_its_agent_after_a_dash_is_no_tag() -> None:
    text = ("But the next day, a harbour office spokesman indicated that the number did not come from any "
            "survey of the office - a fact later confirmed by the ministry.\n")
    assert _found(text, "But the next day").claimant == "a harbour office spokesman"
    tagged = "The number did not come from any survey of the office - the ministry confirmed on Friday.\n"
    assert _found(tagged, "The number did").claimant == "the ministry"


# Cues: groups in the plain present, documents sent, insiders --------------------------------

@pytest.mark.parametrize("text, claimant", [
    ("But experts note that despite the new limits, there are still dozens of coal plants being built.",
     "experts"),
    ("Critics argue that the plan would raise prices for families across the valley.", "critics"),
    ("Many economists believe that the tax will fall on workers in the end.", "many economists"),
])
def test_a_group_speaking_in_the_plain_present_with_that(text: str, claimant: str) -> None:
    assert suggest_claims(text, threshold=0.0)[0].claimant == claimant


def test_the_plain_present_needs_that_and_a_group_that_speaks() -> None:
    # No "that": the verb is read no further than before.
    assert attr.parse_leading("Critics argue the point every week in the valley press.") is None
    # A thing is no speaker: "The figures suggest that …" has none.
    tag = attr.parse_leading("The figures suggest that the harbour lost money last year.")
    assert tag is None or tag.chain != ["the figures"]


def test_who_sent_a_press_release_saying_speaks() -> None:
    text = ("Shortly after the call ended, Verle's campaign sent out a press release saying Holvik owes the "
            "county an explanation for voting against the levee money.\n")
    assert _found(text, "Shortly after").claimant == "Verle's campaign"
    text = "The union issued a statement saying the strike would go on until the contract was signed.\n"
    assert _found(text, "The union issued").claimant == "the union"


def test_unnamed_sources_between_commas_speak() -> None:
    text = "The editorial, sources said, settled the argument the campaign had tried to make for months.\n"
    assert _found(text, "The editorial").claimant == "sources"
    text = "The plan, campaign sources say, will be unveiled in Varn next week.\n"
    assert _found(text, "The plan").claimant == "campaign sources"


@pytest.mark.parametrize("text, claimant", [
    ("But sources close to her campaign say she stands fully behind the mayor’s plan for the port.",
     "sources close to her campaign"),
    ("Rather, people familiar with the talks said the deal would be signed on Friday.",
     "people familiar with the talks"),
    ("In fact, the ministry said the plan was never approved by the cabinet.", "the ministry"),
    ("Days later, the ministry said the plan was never approved by the cabinet.", "the ministry"),
])
def test_openers_and_insiders(text: str, claimant: str) -> None:
    assert suggest_claims(text, threshold=0.0)[0].claimant == claimant


# A quotation after the writer's clause and a participle -----------------------------------

def test_a_quotation_after_a_participle_of_speech_is_the_clause_subjects() -> None:
    text = ("Hours later, Verle returned the compliment to Holvik, telling Reuters, “Dan and I have been "
            "friends for a long time.”\n")
    quote = _found(text, "Dan and I")
    assert (quote.claimant, quote.via) == ("Verle", ["Reuters"])
    text = "The mayor closed the meeting early, telling reporters: “We have done what we came to do today.”\n"
    quote = _found(text, "We have done")
    assert (quote.claimant, quote.via) == ("the mayor", [])


def test_a_clause_that_is_a_claim_keeps_its_own_suggestion() -> None:
    text = ("Holvik also wrote that the guards knew to brace for the storms, saying, “They did not happen "
            "every day, but behind closed doors we learned about them fast.”\n")
    lead = _found(text, "Holvik also wrote")
    assert lead.claimant == "Holvik"


# No-break spaces ------------------------------------------------------------------------

def test_a_no_break_space_in_a_claimant_is_shown_as_a_space() -> None:
    text = "The harbour lost $4 million last year, the Varn\xa0Harbour Gazette reported on Friday.\n"
    found = suggest_claims(text, threshold=0.0)
    assert found and found[0].claimant == "the Varn Harbour Gazette"


def test_the_owner_of_claims_that_speaks_and_a_possessive_is_no_claimant() -> None:
    text = ("Peter Orlan, a radio host, was arrested in January.\n\n"
            "Despite Orlan's continued insistence that he was at the refuge as a reporter, a judge kept him in "
            "jail after hearing clips of his show.\n")
    assert _found(text, "Despite Orlan's").claimant == "Peter Orlan"
    tag = attr.parse_leading("Orlan's repeated claim that the harbour was sold in secret angered the council.")
    assert tag is not None and tag.chain == ["Orlan"]
    # Without "that" a possessive owns a noun and no one speaks.
    assert attr.parse_leading("Orlan's continued absence from the hearings angered the council.") is None
