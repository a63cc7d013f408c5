"""Attribution added in the fifth round (PolNeAR recall), each in wording other than PolNeAR's."""

from __future__ import annotations

import pytest

from factcheck.extraction import suggest_claims
from factcheck.extraction.names import trim_subject


def _claimants(text: str) -> list[tuple[str, str | None]]:
    return [(s.quote, s.claimant) for s in suggest_claims(text, threshold=0.0)]


def test_transcript_labels_name_their_speakers() -> None:
    # The furniture reader sets "HALE:" aside as a dateline; the label still names the speaker.
    text = ("Transcript of the interview:\nHALE: Will the plant close next year?\n"
            "MORROW: No. The plant will stay open and we will hire 200 workers by March.\n"
            "HALE: And the wages?\nMORROW: Wages will rise by 4 percent in January.")
    claims = dict(_claimants(text))
    assert claims["Wages will rise by 4 percent in January."] == "Morrow"
    assert claims["And the wages?"] == "Hale"
    quoted = '"KERR: Will the bridge open?\n"SALO: The bridge will open in May, two months late.\n"KERR: Why?\n' \
             '"SALO: The steel arrived late from the mill in Vest.'
    assert ("The steel arrived late from the mill in Vest.", "Salo") in _claimants(quoted)


def test_headline_label_is_the_person_named_in_the_story() -> None:
    text = ("Morrow: Plant Will Stay Open, Wages Will Rise\n"
            "Factory owner Edith Morrow said on Sunday that the plant in Tallin would stay open.")
    assert _claimants(text)[0] == ("Plant Will Stay Open, Wages Will Rise", "Edith Morrow")


@pytest.mark.parametrize(
    "text",
    [
        # A dateline with a colon, once, naming no one in the story.
        "BEIJING: The plant will stay open until March and employ 900 people in the region.",
        # A label that names no one.
        "UPDATE: The plant employs 900 people and will stay open until March.",
    ],
)
def test_labels_that_name_no_speaker(text: str) -> None:
    assert all(claimant is None for _, claimant in _claimants(text))


@pytest.mark.parametrize(
    "text, claimant",
    [
        # A described subject ("The union") before a verb that reports.
        ("The union also criticized the plan as reckless and costly for workers.", "the union"),
        # "is warning": a form of "be" with the verb.
        ("The regulator is warning that prices will rise by 10 percent this winter.", "the regulator"),
        # An adverb after the speaker is not part of the name.
        ("Marta Lind, the mayor, spoke on Monday. Lind now says the bridge will cost 40 million euros.",
         "Marta Lind"),
    ],
)
def test_subjects_that_report(text: str, claimant: str) -> None:
    assert _claimants(text)[-1][1] == claimant


def test_a_party_is_not_part_of_a_name() -> None:
    text = "Republican Anna Berg spoke in Harlow on Monday. Berg said the budget was a disgrace to the state."
    assert [c for _, c in _claimants(text)] == ["Anna Berg", "Anna Berg"]


@pytest.mark.parametrize(
    "text",
    [
        "The council has voted to close the bridge for repairs in the spring.",
        "The mill was criticized by residents for the noise at night.",
    ],
)
def test_deeds_and_passives_are_not_claims_of_their_subject(text: str) -> None:
    assert all(claimant is None for _, claimant in _claimants(text))


@pytest.mark.parametrize(
    "raw, subject",
    [
        ("the city council has", "the city council"),
        ("Pence went on to", "Pence"),
        ("one reader even", "one reader"),
        ("Mr. Ekdahl often", "Mr. Ekdahl"),
    ],
)
def test_a_subject_ends_before_its_verb(raw: str, subject: str) -> None:
    assert trim_subject(raw) == subject
