"""Ninth round, descriptions: "the Vermont senator", "the GOP nominee", "the former secretary of
state" name the person the article described so before (or the person just written about); a
surname the article never gives in full is "he" in the sentence after its tag. Stories of our
own (invented people), each with a case that must not change."""

from __future__ import annotations

from factcheck.extraction import Suggestion, suggest_claims
from factcheck.extraction.coreference import collect_titles


def _found(text: str, opening: str) -> Suggestion:
    """The suggestion that starts with ``opening``."""
    for s in suggest_claims(text, threshold=0.0):
        if s.quote.startswith(opening):
            return s
    raise AssertionError(f"no suggestion opens with {opening!r}")


def _titles(text: str) -> dict[str, set[frozenset[str]]]:
    found: dict[str, set[frozenset[str]]] = {}
    for _, words, name in collect_titles(text):
        found.setdefault(name, set()).add(words)
    return found


def test_an_abbreviated_title_gives_the_office_the_state_and_the_party() -> None:
    titles = _titles("Vermont Sen. Carla Ruiz met Sen. Owen Tate (R-S.C.) and Gov. Lise Moreau of Ohio on Monday.")
    assert frozenset({"vermont", "senator"}) in titles["Carla Ruiz"]
    assert frozenset({"south", "carolina", "senator", "republican"}) in titles["Owen Tate"]
    assert frozenset({"governor", "ohio"}) in titles["Lise Moreau"]


def test_an_office_with_of_keeps_its_words_and_former() -> None:
    titles = _titles("The prize went to former Secretary of State Ines Marlow, who spoke for an hour.")
    assert titles["Ines Marlow"] == {frozenset({"former", "secretary", "of", "state"})}


def test_a_possessive_is_not_part_of_the_titled_name() -> None:
    assert "Dale Forster" in _titles("Critics read Republican presidential nominee Dale Forster’s tax returns.")


_SENATORS = ("Sen. Carla Ruiz (D-Vt.) and Sen. Owen Tate (R-S.C.) spent Monday touring the flooded valley.\n\n"
             "The Vermont senator said the federal government would pay for the new levees within a year.\n\n"
             "The South Carolina senator said the state had asked for 40 million dollars in emergency aid.\n\n"
             "The Ohio senator said nothing about the levees.\n")


def test_a_state_and_an_office_name_the_senator_so_titled_and_keep_the_description() -> None:
    found = _found(_SENATORS, "The Vermont senator said")
    assert (found.claimant, found.role) == ("Carla Ruiz", "the Vermont senator")
    assert _found(_SENATORS, "The South Carolina senator said").claimant == "Owen Tate"


_NOMINEES = ("Republican nominee Dale Forster and Democratic nominee Ana Pell met in Tarn on Monday.\n\n"
             "The GOP nominee said the tax cuts would pay for themselves within a decade.\n\n"
             "The Democratic presidential nominee said the cuts would add 3 trillion dollars to the deficit.\n")


def test_gop_is_republican_and_a_party_is_never_dropped_from_a_description() -> None:
    assert _found(_NOMINEES, "The GOP nominee said").claimant == "Dale Forster"
    # Not Dale Forster, the Republican: the party is part of what the description says.
    assert _found(_NOMINEES, "The Democratic presidential nominee said").claimant == "Ana Pell"


def test_a_former_office_is_not_the_office() -> None:
    text = ("The award went to former Secretary of State Ines Marlow on Monday.\n\n"
            "The former secretary of state said the treaty would be signed within a year.\n\n"
            "The secretary of state said the talks had stalled over fishing rights in the bay.\n")
    assert _found(text, "The former secretary of state said").claimant == "Ines Marlow"
    assert _found(text, "The secretary of state said").claimant != "Ines Marlow"


def test_a_description_no_title_matches_is_the_person_the_sentence_before_opened_with() -> None:
    text = ("Mark Ellery says too much is made of Dale Forster's remarks about the port strike.\n\n"
            "The Indiana governor said the strike would be over by Friday and the ships back at sea.\n")
    found = _found(text, "The Indiana governor said")
    assert (found.claimant, found.role) == ("Mark Ellery", "the Indiana governor")


def test_a_description_is_not_given_to_a_person_of_another_party_named_nearer() -> None:
    text = ("Ana Pell and Republican nominee Dale Forster will meet in Tarn.\n\n"
            "Ana Pell has spent the week in the mill towns of the north. Dale Forster leads her there on trade, "
            "a new poll shows.\n\n"
            "The Democratic nominee said the mills would reopen if the tariffs were lifted.\n")
    assert _found(text, "The Democratic nominee said").claimant == "Ana Pell"


def test_in_the_claims_own_sentence_the_first_person_named_is_its_subject() -> None:
    text = ("Ana Pell and Owen Tate spoke in Tarn on Monday.\n\n"
            "As far as whether Tate still sees anger at Pell among his voters, the Ohio senator said there "
            "were still some who felt that way about the mill closures.\n")
    assert _found(text, "As far as whether Tate").claimant == "Owen Tate"
    # Before a trailing tag, the person named is what was said about, not who said it.
    text = ("Ana Pell and Owen Tate spoke in Tarn on Monday.\n\n"
            "Tate has no plan for the mills, the Democratic nominee said on Tuesday, and the towns know it.\n")
    assert _found(text, "Tate has no plan").claimant == "Ana Pell"


def test_a_compound_role_is_not_a_description_of_the_person_named_before() -> None:
    text = ("Owen Tate threw open his back yard for the yearly cookout on Monday.\n\n"
            "At the cookout, the band leader said the town would build a new stage by the summer.\n")
    assert _found(text, "At the cookout, the band leader said").claimant == "the band leader"


_SURNAME_ONLY = ("Rep. Ida Stroud, the top Democrat on the harbour committee, called for new sanctions on Monday.\n\n"
                 "\"We have had problems with the fishing fleets of other countries before,\" Varn said after "
                 "meeting the Ostrian president. He did not suggest sanctions. \"Our goal is not to start a trade "
                 "war over fish,\" the statement went on.\n")


def test_he_after_a_tag_with_a_surname_never_given_in_full_is_that_surname() -> None:
    # Not Ida Stroud, the last person named in full: "Varn" said the sentence before.
    assert _found(_SURNAME_ONLY, "He did not suggest").claimant == "Varn"


def test_she_after_a_surname_tag_still_wants_a_woman() -> None:
    text = ("Rep. Ida Stroud, the top Democrat on the harbour committee, called for new sanctions on Monday.\n\n"
            "\"We have had problems with the fishing fleets of other countries before,\" Mr. Varn said after "
            "meeting the Ostrian president. She said the fleets would be fined 2 million euros each.\n")
    assert _found(text, "She said the fleets").claimant == "Ida Stroud"


def test_a_description_is_not_given_to_a_person_titled_otherwise() -> None:
    assert frozenset({"former", "texas", "governor"}) in _titles("Former Texas Gov. Rod Harlan spoke.")["Rod Harlan"]
    text = ("Sen. Ted Varga (R-Ohio) won the endorsement of Rod Harlan on Monday.\n\n"
            "\"Varga will be ready on day one,\" Harlan said. Ted Varga thanked him.\n\n"
            "The Texas governor, who left the race in September, said voters wanted an outsider.\n")
    # Ted Varga is named last, but the article calls him a senator.
    assert _found(text, "The Texas governor").claimant == "Rod Harlan"


def test_a_description_with_a_word_that_is_no_office_party_or_state_is_left_as_written() -> None:
    text = ("Owen Tate spoke at the church on Sunday.\n\n"
            "The Christian leader said the town would build a new shelter by the winter.\n")
    assert _found(text, "The Christian leader said").claimant == "the Christian leader"


def test_a_trailing_tag_takes_the_first_person_the_sentence_before_names() -> None:
    text = ("On Thursday evening Ana Pell accepted the nomination, painting her rival, Dale Forster, as unfit "
            "for the job.\n\n"
            "\"A man you can bait with a tweet is not a man we can trust with the fleet,\" said the Democratic "
            "nominee.\n")
    assert _found(text, "A man you can bait").claimant == "Ana Pell"


def test_a_quotation_that_goes_on_without_a_tag_keeps_the_name_and_the_role_the_tag_gave() -> None:
    text = ("Republican nominee Dale Forster and Democratic nominee Ana Pell met in Tarn on Monday.\n\n"
            "\"The tax cuts will pay for themselves within a decade,\" the GOP nominee said.\n\n"
            "\"We will build the new port at Varn by 2028.\"\n\n"
            "\"Nobody has ever cut taxes like we will,\" he said.\n")
    tagged = _found(text, "The tax cuts")
    assert (tagged.claimant, tagged.role) == ("Dale Forster", "the GOP nominee")
    # Where the tag is not read, the speaker is still the name, with the role the tag gave.
    continued = _found(text, "We will build")
    assert (continued.claimant, continued.role) == ("Dale Forster", "the GOP nominee")
    assert _found(text, "Nobody has ever").claimant == "Dale Forster"
