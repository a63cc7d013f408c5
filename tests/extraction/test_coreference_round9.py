"""Ninth round: naming the right claimant when a surname, a courtesy title or a pronoun points
back to a person; each fix in stories of our own (invented people and places), with cases that
must not change."""

from __future__ import annotations

from factcheck.extraction import Suggestion, gender, suggest_claims
from factcheck.extraction.names import collect_names, collect_people
from tools.evaluate import _strictly_right
from tools.evaluate_attribution import Relation


def _by_start(text: str, opening: str) -> str | None:
    """Claimant of the suggestion that starts with ``opening``."""
    for s in suggest_claims(text, threshold=0.0):
        if s.quote.startswith(opening):
            return s.claimant
    raise AssertionError(f"no suggestion opens with {opening!r}")


def test_the_lexicon_reads_given_names_courtesy_titles_roles_and_pronouns() -> None:
    assert gender.of_name("Lena Varga") == "f" and gender.of_name("Tomas Varga") == "m"
    assert gender.of_name("Mr. Varga") == "m" and gender.of_name("Mrs. Varga") == "f"
    assert gender.of_name("a spokeswoman for the port") == "f" and gender.of_name("the first lady") == "f"
    # A surname alone, a title that says nothing, a name the lexicon does not know: unknown.
    for name in ("Varga", "Sen. Varga", "Kiran Dahl", "Warren"):
        assert gender.of_name(name) is None, name
    assert gender.of_pronoun("she") == "f" and gender.of_pronoun("He") == "m" and gender.of_pronoun("they") is None
    assert gender.agrees(None, "f") and gender.agrees("m", "m") and not gender.agrees("m", "f")


_TWO_VARGAS = ("Lena Varga, the mayor of Tarn, opened the new tram depot on Monday with her husband, Tomas Varga, "
               "who chairs the transport board.\n\n"
               "\"The line will carry 40,000 people a day by the end of next year,\" Mr. Varga said.\n\n"
               "\"Fares will not rise before 2027,\" Mrs. Varga said.\n")


def test_a_courtesy_title_chooses_among_people_of_one_surname() -> None:
    # "Varga" alone stands for the first Varga named in full (Lena); "Mr." says it is Tomas.
    assert _by_start(_TWO_VARGAS, "The line will carry") == "Tomas Varga"
    assert _by_start(_TWO_VARGAS, "Fares will not rise") == "Lena Varga"


def test_a_courtesy_title_no_full_name_agrees_with_gives_the_surname() -> None:
    text = ("Lena Varga, the mayor of Tarn, opened the new tram depot on Monday.\n\n"
            "\"The line will carry 40,000 people a day by the end of next year,\" Mr. Varga said.\n")
    assert _by_start(text, "The line will carry") == "Varga"


def test_the_names_map_keeps_a_courtesy_title_that_the_surname_would_get_wrong() -> None:
    names = collect_names(_TWO_VARGAS)
    assert names["Varga"] == "Lena Varga"
    assert names["Mr. Varga"] == "Tomas Varga"
    assert "Mrs. Varga" not in names  # the surname already gives her


def test_a_given_name_the_lexicon_knows_is_found_inside_a_longer_run() -> None:
    text = "Lena Varga spoke at the Tomas Varga Memorial Lecture. Mr. Varga founded the tram board."
    assert collect_people(text)["Varga"] == ["Lena Varga", "Tomas Varga"]
    assert collect_names(text)["Mr. Varga"] == "Tomas Varga"


def test_a_transcripts_speaker_in_capitals_stands_for_the_full_name() -> None:
    text = ("Mayor Lena Varga spoke to Radio Tarn on Sunday.\n\n"
            "HOST: Will the tram open on time?\n\n"
            "VARGA: The first trams will run in March, and the fares will not rise.\n")
    names = collect_names(text)
    assert names["VARGA"] == "Lena Varga"
    assert _by_start(text, "The first trams") == "Lena Varga"
    # So the label "VARGA" is matched by the full name, as a surname label is.
    found = Suggestion(quote="x", start=0, end=1, claimant="Lena Varga")
    assert _strictly_right(found, Relation("VARGA", (0, 5), []), names)
    assert not _strictly_right(found, Relation("HOST", (0, 4), []), names)


def test_she_is_the_last_woman_who_spoke_not_the_last_speaker() -> None:
    text = ("Ana Berg, the mayor, said the bridge would reopen in May.\n\n"
            "Tomas Holm, the council's engineer, said the repairs would cost 2 million euros.\n\n"
            "\"We will not raise the tolls to pay for it,\" she said.\n\n"
            "\"The steel has been ordered from a mill in Ostra,\" he said.\n")
    assert _by_start(text, "We will not raise") == "Ana Berg"
    assert _by_start(text, "The steel has been ordered") == "Tomas Holm"


def test_a_pronoun_after_a_speaker_of_unknown_gender_is_left_as_it_was() -> None:
    # Neither given name is in the lexicon: the last speaker, as before.
    text = ("Kiran Dahl, the mayor, said the bridge would reopen in May.\n\n"
            "\"We will not raise the tolls to pay for it,\" she said.\n")
    assert _by_start(text, "We will not raise") == "Kiran Dahl"


def test_she_when_no_woman_spoke_is_the_woman_named_just_before() -> None:
    text = ("Tomas Holm, the council's engineer, said the repairs would cost 2 million euros.\n\n"
            "The work was ordered by Ana Berg, who was elected mayor in 2022 on a promise to fix the bridge.\n\n"
            "\"We will not raise the tolls to pay for it,\" she said.\n")
    assert _by_start(text, "We will not raise") == "Ana Berg"


def test_a_surname_with_a_courtesy_title_speaks_for_he_later() -> None:
    # No full name for him anywhere; "Mr. Varga" is still a person "he" can be.
    text = ("Mr. Varga opened the depot on Monday.\n\n"
            "\"The line will carry 40,000 people a day,\" Mr. Varga said.\n\n"
            "\"Fares will not rise before 2027,\" he said.\n")
    assert _by_start(text, "Fares will not rise") == "Varga"


_FILLER = ("The tram line runs 14 kilometres from the harbour to the university, with 22 stops on the way and a "
           "depot at the eastern end of the route. ")


def test_he_does_not_reach_a_speaker_several_paragraphs_back() -> None:
    near = ("Tomas Holm, the council's engineer, said the repairs would cost 2 million euros.\n\n"
            + _FILLER * 4 + "\n\n\"The steel has been ordered from a mill in Ostra,\" he said.\n")
    assert _by_start(near, "The steel has been ordered") == "Tomas Holm"
    far = ("Tomas Holm, the council's engineer, said the repairs would cost 2 million euros.\n\n"
           + ("\n\n".join([_FILLER * 4] * 6)) + "\n\n\"The steel has been ordered from a mill in Ostra,\" he said.\n")
    assert _by_start(far, "The steel has been ordered") == "he"


def test_a_headlines_run_of_capitals_yields_the_names_in_it() -> None:
    # The headline is the only place she is named in full; "she" later is she.
    text = ("Ana Berg Takes On Tomas Holm Over Tram Fares\n\n"
            "Tomas Holm, the council's engineer, said the repairs would cost 2 million euros.\n\n"
            "On Monday night, Berg pressed the point at a public meeting. She said the fares would stay "
            "frozen until 2027.\n")
    assert collect_names(text)["Berg"] == "Ana Berg"
    assert _by_start(text, "She said the fares") == "Ana Berg"
    # A run with no given name the lexicon knows yields none.
    assert "Fares" not in collect_names("Tarn Council Votes On Tram Fares\n\nThe council met on Monday.")
