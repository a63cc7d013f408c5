"""Fifth round, second pass: attributed claims the threshold dropped, tags left unread, datelines.
Each in wording other than PolNeAR's."""

from __future__ import annotations

from factcheck.extraction import suggest_claims
from factcheck.extraction.furniture import find_furniture
from factcheck.extraction.suggest import THRESHOLD
from tests.support.suggested import suggested as _claims


def _at_threshold(text: str) -> list[tuple[str, str | None]]:
    return [(s.quote, s.claimant) for s in suggest_claims(text, threshold=THRESHOLD)]


def test_a_named_source_keeps_a_short_or_plain_claim_at_the_editors_threshold() -> None:
    text = ("The count ended on Sunday in the Vesla district.\n"
            "“Fair and orderly,” observer Hanne Lund said.\n"
            "“Who pays for the roads?” Mayor Oskar Brede asked.")
    got = _at_threshold(text)
    assert ("“Fair and orderly,”", "Hanne Lund") in got
    assert ("Who pays for the roads?", "Oskar Brede") in got


def test_no_floor_without_a_name_or_with_nothing_said() -> None:
    text = ("Berit Sand runs the Vesla depot.\n"
            "“Fine,” he said.\n"
            "A spokesman for Vesla Transit declined to comment.")
    quotes = [q for q, _ in _at_threshold(text)]
    assert "“Fine,” he said." not in quotes
    assert "A spokesman for Vesla Transit declined to comment." not in quotes


def test_the_outlet_that_asked_relays() -> None:
    assert _claims("The Vesla Transit office, when reached by the Harlow Post, said the depot would shut in June.") == [
        ("The Vesla Transit office, when reached by the Harlow Post, said the depot would shut in June.",
         "the Vesla Transit office", ["Harlow Post"])]
    # An asker who is not an outlet is no relay.
    assert _claims("Berit Sand, when asked by her lawyer, said the depot would shut in June.")[0][1:] == (
        "Berit Sand", [])


def test_a_named_apposition_before_said_is_the_subject_not_an_inverted_tag() -> None:
    text = "The chief of the harbour, Omar Haddad, said the old cranes need new motors."
    assert _claims(text) == [(text, "Omar Haddad", [])]
    # The inverted tag still reads a claim that has a verb.
    assert _claims("Freight fell for a third month, said the harbour chief, Omar Haddad.")[0][1] == "Omar Haddad"


def test_fronted_as_x_put_it_and_in_her_words() -> None:
    assert _claims("As the harbour chief, Omar Haddad, put it, the cranes are older than the port workers.") == [
        ("the cranes are older than the port workers.", "Omar Haddad", [])]
    assert _claims("In the words of Omar Haddad, the cranes are older than the port workers.")[0][1] == "Omar Haddad"
    text = "Berit Sand runs the depot. In her words, the roof has leaked for ten winters."
    assert _claims(text)[-1] == ("the roof has leaked for ten winters.", "Berit Sand", [])
    # "As" opening a clause of time is no tag.
    assert _claims("As freight fell, the harbour cut two shifts in June.")[0][1] is None


def test_a_name_then_its_role_before_the_verb_speaks() -> None:
    # The role's closing comma is missing: "<name>, <role> stated, …" is no inverted tag.
    text = "Mira Holt, president and CEO of Vesla Growers Association stated, “It’s not the weather; it’s the diesel.”"
    assert _claims(text) == [(text, "Mira Holt", [])]


def _furniture(text: str) -> list[str]:
    return [text[f.start:f.end] for f in find_furniture(text)]


def test_a_dateline_with_a_bare_agency_or_a_colon_is_set_aside() -> None:
    text = "Ganja, May 9, AZERTAC The regional grid said losses fell by a fifth in April."
    assert _furniture(text) == ["Ganja, May 9, AZERTAC"]
    assert [s.quote for s in suggest_claims(text, threshold=0.0)] == [
        "The regional grid said losses fell by a fifth in April."]
    story = "Grid losses fall\nQuetta: The regional grid said losses fell by a fifth in April after new meters."
    assert _furniture(story) == ["Quetta:"]


def test_a_colon_label_that_is_no_dateline_stays() -> None:
    # A headline's label, in the headline's place or in title case, and an unknown agency.
    assert _furniture("Survey: Grid losses fell by a fifth in April across the region.\nMore text follows.") == []
    assert _furniture("Grid losses fall\nQuetta: Grid Losses Fell By A Fifth In April Across The Region.") == []
    assert _furniture("Ganja, May 9, NATO said the exercise would start in April.") == []


def test_the_learned_readers_name_and_role_give_the_name() -> None:
    text = "Mira Holt, chair of the Vesla Growers Union stated, “Prices have not covered costs since 2019.”"
    assert _claims(text) == [(text, "Mira Holt", [])]
