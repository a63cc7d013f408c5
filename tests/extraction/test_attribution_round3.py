"""Attribution added in the third round, each in wording other than the labelled stories'."""

from __future__ import annotations

import pytest

from factcheck.extraction import actor, suggest_claims
from factcheck.extraction.quotemarks import read_double_apostrophes
from tests.support.suggested import suggested as _claims


@pytest.mark.parametrize(
    "text, claimant, via",
    [
        # An aside with a number in it between the subject and its verb.
        ("The dockers' union, which has 12,500 members in five ports, said the strike would go on.",
         "the dockers' union", []),
        # A comma subject, a time, then a clause without "that".
        ("The airline's parent, Vantor Group, reported Monday its second-quarter loss had doubled.",
         "Vantor Group", []),
        # A relay to a described speaker who is then named.
        ("Ekberg told AFP that the mill's owner, Sara Holm, had said the mill would close in June.",
         "Sara Holm", ["Ekberg", "AFP"]),
        # An aside that opens with a preposition.
        ("Prime Minister Ola Strand, in a radio interview on Sunday, said the budget was balanced.",
         "Ola Strand", []),
    ],
)
def test_leading_tags_round_three(text: str, claimant: str, via: list[str]) -> None:
    [(quote, got, got_via)] = _claims(text)
    assert quote == text and got == claimant and got_via == via


def test_a_pronoun_tag_takes_no_role_and_an_afterword_ends_a_tag() -> None:
    text = ("Port traffic fell 9 percent to 3.1 million containers, the weakest since 2009, it said.\n"
            "Tolls will rise 4 percent in May, Transport Minister Jon Berg said on Monday, before the talks began.\n")
    got = _claims(text)
    assert got[0][0] == "Port traffic fell 9 percent to 3.1 million containers, the weakest since 2009"
    assert got[1][:2] == ("Tolls will rise 4 percent in May", "Jon Berg")


@pytest.mark.parametrize(
    "first, later, name",
    [
        ("Harlen Trade Minister Eva Lund announced new tariffs on Friday.",
         "The Harlenian trade minister said the tariffs would raise 40 million crowns a year.", "Eva Lund"),
        ("Opposition challenger Tomas Vik conceded on Sunday night.",
         "The challenger said 60 percent of the ballots had been counted by then.", "Tomas Vik"),
        ("Labour nominee Petra Sand spoke in Oslovik on Monday.",
         "The Labour nominee said the plan would cost 2 billion crowns.", "Petra Sand"),
    ],
)
def test_a_description_resolves_to_a_role_named_earlier(first: str, later: str, name: str) -> None:
    got = suggest_claims(first + "\n" + later + "\n", threshold=0.0)
    assert got[-1].claimant == name


def test_a_subject_before_a_reporting_verb_counted_on_train() -> None:
    assert actor.subject_verbs(), "attribution_subject_verbs.txt is shipped"
    [(_, claimant, _)] = _claims("Senator Ruth Dale accused the governor of hiding 40 million dollars in debt.")
    assert claimant == "Ruth Dale"
    [(_, claimant, _)] = _claims("Its director, Ivo Brandt, accused the mayor of hiding 12 million dollars in debt.")
    assert claimant == "Ivo Brandt"


@pytest.mark.parametrize(
    "text",
    [
        "The bridge opened to traffic on Monday after 14 months of work.",
        "Exports rose 12 percent in May to 4 billion dollars.",
    ],
)
def test_things_do_not_become_actors(text: str) -> None:
    assert all(claimant is None for _, claimant, _ in _claims(text))


def test_quotation_marks_typed_as_two_apostrophes() -> None:
    line = "''We will not cut pensions,'' Mr. Dale said. He is 6'2'' tall."
    read = read_double_apostrophes(line)
    assert len(read) == len(line)
    assert read.startswith(' "We will not cut pensions," ') and "6'2''" in read
    [(quote, claimant, _)] = [c for c in _claims(line) if "pensions" in c[0]]
    assert quote == "We will not cut pensions" and claimant == "Dale"


def test_a_quotation_keeps_its_speaker_after_the_tag() -> None:
    text = ("“Prices will fall by spring,” Lena Ohr said, “and wages will rise 3 percent. "
            "Rents will follow within the year.”\n")
    got = _claims(text)
    assert got and all(claimant == "Lena Ohr" for _, claimant, _ in got)


def test_a_quotation_tag_followed_by_the_writers_words() -> None:
    text = "“The cause of the fire is not known,” said Chief Ana Lind, on her first day in the post.\n"
    [(quote, claimant, _)] = _claims(text)
    assert quote == "The cause of the fire is not known" and claimant == "Ana Lind"
