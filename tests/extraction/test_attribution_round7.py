"""Seventh round: tags PolNeAR train and dev showed unread or misread, each in wording of our own
(invented people, places and bodies)."""

from __future__ import annotations

from tests.support.suggested import only_claimant as _claimant


def test_a_group_that_speaks_after_a_fronted_clause() -> None:
    assert _claimant("Though the ferry to Orsk is slow and the roads north are poor, engineers say the new bridge "
                     "will cut the trip by an hour.") == "engineers"
    assert _claimant("For its second try at a merger, Velbank picked a small court in Tarn, where restructuring "
                     "lawyers say judges move quickly.") == "restructuring lawyers"


def test_a_group_that_speaks_in_a_relative_clause() -> None:
    assert _claimant("The council voted to sell the old mill on Kestrel Road, which residents say has stood "
                     "empty since 1998.") == "residents"
    assert _claimant("Lindqvist wants to cut the levy on diesel, a change that economists say would cost the "
                     "treasury 40 million kronor.") == "economists"


def test_a_share_of_those_asked_speaks() -> None:
    assert _claimant("In the latest survey of 900 farmers in the valley, 41 percent said they would sell their "
                     "land within five years.") == "41 percent"
    assert _claimant("Asked about the new tram line, 63 percent of Dorvik's commuters said they would use it "
                     "every day.") == "63 percent of Dorvik's commuters"


def test_a_group_word_that_speaks_no_claim() -> None:
    # Nothing follows the verb, or the plural is a thing: no tag inside the sentence.
    assert _claimant("The figures were revised in May, and the numbers say little about the harbour.") is None
    assert _claimant("The depot got more buses, which is what the drivers had always asked for.") is None


def test_a_figure_placed_in_a_study() -> None:
    assert _claimant("Ida Marek had 38 percent support in a Tarn Herald poll.") == "a Tarn Herald poll"
    assert _claimant("Sand was at 25 percent in the most recent Herald poll released Thursday.") == \
        "the most recent Herald poll"
    assert _claimant("In the latest Velbank survey, Marek's lead over Sand narrowed to 13 points.") == \
        "the latest Velbank survey"


def test_a_study_without_a_figure_is_no_source() -> None:
    assert _claimant("Ida Marek took part in the Herald survey on the harbour.") is None


def test_a_speaker_whose_verb_then_that_says_how_it_was_put() -> None:
    assert _claimant("Ida Marek hinted that she would run for mayor again.") == "Ida Marek"
    assert _claimant("The harbour board bristled that the audit had ignored its new cranes.") == "the harbour board"


def test_a_verb_then_that_which_is_no_saying() -> None:
    # A relative clause after an object, or a verb of knowing or making sure.
    assert _claimant("The council signed a law that the mayor opposed.") is None
    assert _claimant("Ida Marek ensured that the ferry left on time.") is None


def test_it_was_verbed_that_is_still_no_one() -> None:
    assert _claimant("It was rumoured that the ferry would stop in June.") is None


def test_a_verb_of_speech_after_a_verb_that_leads_up_to_it() -> None:
    assert _claimant("Ida Marek went on to explain that the harbour had been closed for years.") == "Ida Marek"
    assert _claimant("The harbour minister was quick to deny any role in the sale of the cranes.") == \
        "the harbour minister"
    assert _claimant("Lena Sand took to Twitter to blast the ferry company for the delays.") == "Lena Sand"


def test_a_lead_up_to_no_speech_gives_no_claimant() -> None:
    assert _claimant("Ida Marek went on to win the race for mayor by 300 votes.") is None
