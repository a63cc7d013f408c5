"""Ninth round, names for continued quotations (issue #14): a quotation that goes on without a
tag after "the Norvian president said" is Mira Halvorsen's, shown by name with the description
as its role, as the tagged claim is. Stories of our own (invented people), each with a case that
must not change."""

from __future__ import annotations

from factcheck.extraction import Suggestion, suggest_claims


def _found(text: str, opening: str) -> Suggestion:
    """The suggestion that starts with ``opening``."""
    for s in suggest_claims(text, threshold=0.0):
        if s.quote.startswith(opening):
            return s
    raise AssertionError(f"no suggestion opens with {opening!r}")


_SUMMIT = ("Norvian President Mira Halvorsen met Tarsian Prime Minister Ole Brandt in Varn on Monday.\n\n"
           "\"Our exports of grain rose by 40 percent last year,\" the Norvian president said.\n\n"
           "\"We will open three new ports on the northern coast by 2028.\"\n")


def test_a_quotation_that_goes_on_after_a_description_is_the_named_speakers_with_that_role() -> None:
    tagged = _found(_SUMMIT, "Our exports")
    assert (tagged.claimant, tagged.role) == ("Mira Halvorsen", "the Norvian president")
    continued = _found(_SUMMIT, "We will open")
    assert (continued.claimant, continued.role) == ("Mira Halvorsen", "the Norvian president")
    # The role stays out of the dictionary callers read.
    assert "role" not in continued.to_dict()


def test_reported_speech_that_goes_on_after_a_description_is_the_named_speakers_too() -> None:
    text = ("Norvian President Mira Halvorsen toured the flooded valley on Monday.\n\n"
            "The new levees would be finished within a year, the Norvian president said. The army would "
            "pay for the repairs to the northern road.\n")
    tagged = _found(text, "The new levees")
    assert (tagged.claimant, tagged.role) == ("Mira Halvorsen", "the Norvian president")
    continued = _found(text, "The army would")
    assert (continued.claimant, continued.role) == ("Mira Halvorsen", "the Norvian president")


def test_a_quotation_that_goes_on_after_a_name_has_no_role() -> None:
    text = ("Norvian President Mira Halvorsen met Tarsian Prime Minister Ole Brandt in Varn on Monday.\n\n"
            "\"Our exports of grain rose by 40 percent last year,\" Halvorsen said.\n\n"
            "\"We will open three new ports on the northern coast by 2028.\"\n")
    continued = _found(text, "We will open")
    assert (continued.claimant, continued.role) == ("Mira Halvorsen", None)


def test_a_later_speaker_does_not_inherit_the_description() -> None:
    text = _SUMMIT + ("\"The ports will take trade away from our own coast,\" Brandt said.\n\n"
                      "\"Tarsia will ask the court in Lund to stop the work on the northern coast.\"\n")
    tagged = _found(text, "The ports will")
    assert (tagged.claimant, tagged.role) == ("Ole Brandt", None)
    continued = _found(text, "Tarsia will ask")
    assert (continued.claimant, continued.role) == ("Ole Brandt", None)


def test_a_description_that_names_no_one_is_left_as_written_and_goes_on_so() -> None:
    text = ("The band played in Varn on Monday.\n\n"
            "\"We sold every ticket for the northern tour in two hours,\" the band leader said.\n\n"
            "\"We will add four more concerts on the coast in the spring.\"\n")
    assert (_found(text, "We sold").claimant, _found(text, "We sold").role) == ("the band leader", None)
    continued = _found(text, "We will add")
    assert (continued.claimant, continued.role) == ("the band leader", None)


_AGES = ("Dale Forster, 70, and Ana Pell, 68, met voters in Tarn on Monday. Later Pell visited the port with "
         "Mayor Ivo Brandt.\n\n"
         "\"The tax cuts will pay for themselves within a decade,\" the 70-year-old billionaire said.\n\n"
         "\"We will build the new port at Varn by 2028,\" the 68-year-old senator said.\n")


def test_an_age_names_the_person_the_article_gave_that_age() -> None:
    older = _found(_AGES, "The tax cuts")
    assert (older.claimant, older.role) == ("Dale Forster", "the 70-year-old billionaire")
    younger = _found(_AGES, "We will build")
    assert (younger.claimant, younger.role) == ("Ana Pell", "the 68-year-old senator")


def test_an_age_before_the_name_counts_too() -> None:
    text = ("The crowd cheered as 70-year-old businessman Dale Forster took the stage next to Ana Pell in Tarn.\n\n"
            "\"The tax cuts will pay for themselves within a decade,\" the 70-year-old billionaire said.\n")
    assert _found(text, "The tax cuts").claimant == "Dale Forster"


def test_an_age_the_article_never_gave_is_still_the_person_just_named() -> None:
    text = ("Dale Forster, 70, met Ana Pell in Tarn on Monday.\n\n"
            "\"We will build the new port at Varn by 2028,\" the 68-year-old senator said.\n")
    assert _found(text, "We will build").claimant == "Ana Pell"
