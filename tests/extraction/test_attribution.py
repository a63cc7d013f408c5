"""Attribution patterns, each in a sentence of our own wording."""

from __future__ import annotations

import pytest

from factcheck.extraction import Suggestion, suggest_claims


def only(text: str) -> Suggestion:
    found = suggest_claims(text, threshold=0.0)
    assert len(found) == 1, [s.quote for s in found]
    s = found[0]
    assert text[s.start:s.end] == s.quote
    return s


@pytest.mark.parametrize(
    "text, quote, claimant, via",
    [
        ("Exports rose 12 percent in May, the ministry said on Tuesday.",
         "Exports rose 12 percent in May", "the ministry", []),
        ("Exports rose 12 percent in May, said Anna Berg, a spokeswoman for the ministry.",
         "Exports rose 12 percent in May", "Anna Berg", []),
        ("Exports rose 12 percent in May, Anna Berg, a spokeswoman for the ministry, said.",
         "Exports rose 12 percent in May", "Anna Berg", []),
        ("Exports rose 12 percent in May, according to a statement from the Trade Ministry.",
         "Exports rose 12 percent in May", "the Trade Ministry", []),
        ("Exports rose 12 percent in May, a spokesperson for the ministry told reporters.",
         "Exports rose 12 percent in May", "a spokesperson for the ministry", []),
        ("Exports rose 12 percent in May, Vesti reports, citing Interfax.",
         "Exports rose 12 percent in May", "Interfax", ["Vesti"]),
        ("Exports rose 12 percent in May, Vesti reported, citing Interfax, which quoted a customs official.",
         "Exports rose 12 percent in May", "a customs official", ["Interfax", "Vesti"]),
        ("Exports rose 12 percent in May, reported the state agency Kazinform.",
         "Exports rose 12 percent in May", "Kazinform", []),
        ("Exports rose 12 percent in May, Berg added, according to Interfax.",
         "Exports rose 12 percent in May", "Berg", ["Interfax"]),
        ("Exports rose 12 percent in May, one official said, declining to be named.",
         "Exports rose 12 percent in May", "one official", []),
    ],
)
def test_trailing_tags_are_left_out_of_the_quote(text: str, quote: str, claimant: str, via: list[str]) -> None:
    s = only(text)
    assert (s.quote, s.claimant, s.via) == (quote, claimant, via)


@pytest.mark.parametrize(
    "text, claimant, via",
    [
        ("The ministry said on Tuesday that exports rose 12 percent in May.", "the ministry", []),
        ("Officials told reporters exports rose 12 percent in May.", "officials", []),
        ("A Reuters source claimed exports rose 12 percent in May.", "a Reuters source", ["Reuters"]),
        ("Anna Berg told Reuters that exports rose 12 percent in May.", "Anna Berg", ["Reuters"]),
        ("A senior official, who asked not to be named, said exports rose 12 percent in May.",
         "a senior official", []),
        ("An economist at the bank, Anna Berg, said exports rose 12 percent in May.", "Anna Berg", []),
        ("Exports, Berg said, rose 12 percent in May.", "Berg", []),
        ("Trade Minister Anna Berg said exports rose 12 percent in May.", "Anna Berg", []),
    ],
)
def test_leading_tags_keep_the_whole_sentence(text: str, claimant: str, via: list[str]) -> None:
    s = only(text)
    assert s.quote == text
    assert (s.claimant, s.via) == (claimant, via)


def test_according_to_first_is_left_out() -> None:
    s = only("According to the central bank, reserves fell to $35 billion in March.")
    assert s.quote == "reserves fell to $35 billion in March."
    assert s.claimant == "the central bank"


def test_outlet_asserts_when_there_is_no_tag() -> None:
    s = only("The bridge collapsed on March 3, killing 12 people.")
    assert s.claimant is None and s.via == []
    assert s.kind == "statistic"


def test_direct_quote_with_speaker_before_it() -> None:
    s = only('Anna Berg said on Monday: "Exports will rise by a tenth this year."')
    assert s.quote == "Exports will rise by a tenth this year."
    assert (s.claimant, s.kind) == ("Anna Berg", "quote")


def test_quote_over_sentences_with_speaker_after_it() -> None:
    text = '"We did not expect this. Exports rose by a tenth in a single month," Berg told reporters.'
    s = only(text)
    assert s.quote == "We did not expect this. Exports rose by a tenth in a single month"
    assert (s.claimant, s.kind) == ("Berg", "quote")


def test_unquoted_speech_before_its_tag_is_one_claim() -> None:
    text = "Nothing has changed. The talks go on. We will meet again in May, Anna Berg said."
    s = only(text)
    assert s.quote == "Nothing has changed. The talks go on. We will meet again in May"
    assert (s.claimant, s.kind) == ("Anna Berg", "quote")


def test_report_tag_carries_back_over_its_paragraph() -> None:
    text = "The two sides agreed on a new tariff. The deal covers 40 products, the agency reported."
    found = suggest_claims(text, threshold=0.0)
    assert [(s.quote, s.claimant) for s in found] == [
        ("The two sides agreed on a new tariff.", "the agency"),
        ("The deal covers 40 products", "the agency"),
    ]


def test_surname_and_pronoun_resolve_to_the_full_name() -> None:
    text = (
        "Deputy Minister Anna Berg visited the port on Monday.\n"
        "Exports rose 12 percent in May, Berg said.\n"
        "Imports fell 3 percent, she added.\n"
    )
    found = suggest_claims(text, threshold=0.0)
    assert [s.claimant for s in found[1:]] == ["Anna Berg", "Anna Berg"]


def test_colon_intro_hands_the_speaker_to_the_next_paragraph() -> None:
    text = "Anna Berg, the trade minister, spoke to reporters in Astana:\n\"Exports rose by a tenth, and we expect more.\"\n"
    found = suggest_claims(text, threshold=0.0)
    assert [(s.quote, s.claimant) for s in found] == [("Exports rose by a tenth, and we expect more.", "Anna Berg")]


def test_the_ministry_refers_back_to_the_named_ministry() -> None:
    text = (
        "Exports rose 12 percent in May, the Trade Ministry said.\n"
        "Imports fell 3 percent, the ministry said.\n"
    )
    assert [s.claimant for s in suggest_claims(text, threshold=0.0)] == ["the Trade Ministry", "the Trade Ministry"]


@pytest.mark.parametrize(
    "text",
    [
        "The bridge, which opened in 1990, was closed on Monday.",
        "Trade with the United States grew, reaching a record in May.",
        "As stated in the report, trade grew in May.",
        "The court blocked the sale in 2019, citing a threat to public safety.",
    ],
)
def test_no_false_attribution(text: str) -> None:
    assert all(s.claimant is None for s in suggest_claims(text, threshold=0.0))


def test_to_dict_shape() -> None:
    s = only("Exports rose 12 percent in May, Vesti reports, citing Interfax.")
    assert s.to_dict() == {"quote": "Exports rose 12 percent in May", "start": 0, "end": 30,
                           "claimant": "Interfax", "via": ["Vesti"], "kind": "attributed statement",
                           "score": s.score}
