from __future__ import annotations

import pytest

from factcheck.extraction import Span, split_sentences


def texts(text: str) -> list[str]:
    spans = split_sentences(text)
    for s in spans:
        assert text[s.start:s.end] == s.text
        assert s.text == s.text.strip()
    return [s.text for s in spans]


def test_offsets_point_into_the_text() -> None:
    text = "  First one.  Second one!\n\nThird?  "
    assert split_sentences(text) == [Span(2, 12, "First one."), Span(14, 25, "Second one!"), Span(27, 33, "Third?")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Smith met Dr. Jones on Dec. 8. They talked.", ["Mr. Smith met Dr. Jones on Dec. 8.", "They talked."]),
        ("The U.S. Senate voted. It passed.", ["The U.S. Senate voted.", "It passed."]),
        ("He moved to the U.S. The move was costly.", ["He moved to the U.S.", "The move was costly."]),
        ("Inflation was 3.5 percent. It fell.", ["Inflation was 3.5 percent.", "It fell."]),
        ("John F. Kennedy spoke. Crowds cheered.", ["John F. Kennedy spoke.", "Crowds cheered."]),
        ("It ended at 5 p.m. Police left.", ["It ended at 5 p.m.", "Police left."]),
        ("It starts at 5 p.m. EST on Friday.", ["It starts at 5 p.m. EST on Friday."]),
        ('"It is over." Then he left.', ['"It is over."', "Then he left."]),
        ('"Is it over?" he asked. No.', ['"Is it over?" he asked.', "No."]),
        ("Wait... Really. Yes!", ["Wait...", "Really.", "Yes!"]),
        ("Photo: Grok, ill. purposes", ["Photo: Grok, ill. purposes"]),
        # Courtesy titles of Arab, South Asian and French copy: "Eng." (engineer), "Adv.", "Mme."
        ("The director, Eng. Sami Haddad, said it. Adv. Rao and Mme. Roux agreed.",
         ["The director, Eng. Sami Haddad, said it.", "Adv. Rao and Mme. Roux agreed."]),
    ],
)
def test_boundaries(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_newlines_are_hard_boundaries() -> None:
    text = "A Headline Without a Stop\nBody text follows here. And more"
    assert texts(text) == ["A Headline Without a Stop", "Body text follows here.", "And more"]


def test_list_markers_are_not_part_of_the_sentence() -> None:
    assert texts("- 2,500 runners in Almaty\n* Second item") == ["2,500 runners in Almaty", "Second item"]


def test_crlf_and_empty() -> None:
    assert texts("One.\r\nTwo.") == ["One.", "Two."]
    assert split_sentences("") == []
    assert split_sentences(" \n\t") == []
