"""Ninth round: cues the rules did not read, each fix tested in wording of our own (invented
people, places and bodies), with cases that must not change."""

from __future__ import annotations

from factcheck.extraction import suggest_claims
from factcheck.extraction.title_lines import is_title_case, title_case_tag
from tests.support.suggested import claimant_by_quote


def _by_start(text: str, opening: str) -> str | None:
    """Claimant of the suggestion that starts with ``opening``."""
    for s in suggest_claims(text, threshold=0.0):
        if s.quote.startswith(opening):
            return s.claimant
    raise AssertionError(f"no suggestion opens with {opening!r}")


def _story(line: str) -> str:
    return (f"{line}\n\nThe port of Tarn will close its north quay for repairs next month, the harbour board "
            "said on Tuesday.\n")


# Title-case lines: the speaker first, then a verb of speech or stance, or a colon.

def test_a_title_case_line_with_a_verb_of_stance_names_its_subject() -> None:
    for line, who in (("Harbour Workers Slam Tarn Board Over ‘Reckless’ Quay Closure.", "Harbour Workers"),
                      ("Mayor Ida Marek Vows To Reopen The North Quay By Spring.", "Ida Marek"),
                      ("Veterans Rally Outside Parliament To ‘Save Our Pensions.’", "Veterans"),
                      ("Retired Admiral Reveals ‘Chaotic’ Handover Of The Fleet.", "Retired Admiral")):
        assert _by_start(_story(line), line[:12]) == who, line


def test_a_fronted_phrase_before_a_title_case_subject_is_read_past() -> None:
    line = "Campaigning In The Valley, Orla Vance Calls Toll Plan ‘A Tax On Farmers.’"
    assert _by_start(_story(line), "Campaigning In The Valley") == "Orla Vance"


def test_a_title_case_line_with_a_speaker_before_its_colon() -> None:
    for line, who in (("Tomas Berg: Quay Closure Will Cost Tarn Its Ferry Trade.", "Tomas Berg"),
                      ("Berg on the Port: ‘We Were Never Asked.’", "Berg"),
                      ("Poll: Most Voters In Tarn Back The Quay Repairs.", "poll")):
        found = claimant_by_quote(_story(line))
        # The label is set aside: the claim is what follows the colon.
        after = line.split(": ", 1)[1]
        assert [c for q, c in found.items() if after.strip("‘’.") in q] == [who], found
        assert not any(q.startswith(line[:4]) for q in found), found


def test_a_deed_or_a_topic_in_a_title_case_line_names_no_one() -> None:
    for line in ("Harbour Board Gives Ferry Firm A Second Chance At The Quay.",
                 "Storm Over Tarn: Ferry Firm Was Told To Leave But Stayed On.",
                 "Revealed: What The Harbour Board Spent On The North Quay.",
                 "Wow: The Quay Repairs Could Take Twice As Long As Planned.",
                 "Editor’s Note: This Story Was Updated On Wednesday."):
        assert title_case_tag(line) is None, line


def test_only_title_case_lines_are_read_so() -> None:
    # In sentence case, "shows" and "calls" are left to the other readers as before.
    assert not is_title_case("Harbour workers slam the board over the closure.")
    assert title_case_tag("Harbour workers slam the board over the closure of the quay.") is None


# "As X pointed out, …": a fronted clause that names its source, like "According to X, …".

def test_as_someone_pointed_out_or_noted_is_a_separable_tag() -> None:
    for text, who in (("As one harbour pilot pointed out in a letter to the board, the quay has sunk by "
                       "ten centimetres since 2019.", "one harbour pilot"),
                      ("As several engineers, including Mr. Holm, have noted, the north quay was never built "
                       "for the new ferries.", "several engineers"),
                      ("As Ms. Vance put it in an interview with the Tarn Courier in May, the port is "
                       "running on borrowed time.", "Vance")):
        found = claimant_by_quote(text)
        assert list(found.values()) == [who], found
        # The tag is set aside like "According to X,": the claim is what follows it.
        assert not next(iter(found)).startswith("As "), found


def test_as_with_no_verb_of_speech_is_no_tag() -> None:
    for text in ("As the storm approached the coast, the ferry firm moved its boats to the north quay.",
                 "As expected, the harbour board voted to close the quay for two months."):
        assert set(claimant_by_quote(text).values()) == {None}, text


# "Some note that …": an unnamed share of people holds the view.

def test_an_unnamed_share_of_people_with_a_verb_of_saying_or_believing_is_the_source() -> None:
    for text, who in (("But some note that the north quay was rebuilt only eleven years ago.", "some"),
                      ("Others argue the toll would drive the ferry firms to Holm instead.", "others"),
                      ("Many suspect that the board had chosen its builder long before the tender.", "many"),
                      ("Those close to her say that, whatever the board decides, Vance will run again.",
                       "those close to her")):
        assert list(claimant_by_quote(text).values()) == [who], text


def test_a_share_with_an_infinitive_or_a_plain_object_is_no_tag() -> None:
    for text in ("Many fear change in a port town that has known little of it since the war.",
                 "Few thought about the north quay until the storm of 2019 broke its wall in two places.",
                 # What unnamed people think ought to be done is opinion: not read, as before.
                 "Some argue the harbour board should have closed the quay two winters ago."):
        assert set(claimant_by_quote(text).values()) == {None}, text


# Two speakers in one sentence: "X said A, but Y warned that B" is two claims.

def test_a_second_clause_with_a_speaker_of_its_own_is_a_claim_of_its_own() -> None:
    text = ("Mayor Ida Marek said the north quay would reopen in May, but harbour engineers warned that the "
            "wall could not be repaired before the autumn storms.")
    found = claimant_by_quote(text)
    assert found == {"Mayor Ida Marek said the north quay would reopen in May": "Ida Marek",
                     "harbour engineers warned that the wall could not be repaired before the autumn storms.":
                         "harbour engineers"}, found


def test_a_second_clause_of_the_same_speaker_or_with_no_speaker_stays_one_claim() -> None:
    for text in ("Ida Marek said the north quay would reopen in May, and she said that the ferries would be back "
                 "within a week of it.",
                 "Ida Marek said the north quay would reopen in May, and the ferries would be back within a week "
                 "of it."):
        assert list(claimant_by_quote(text).values()) == ["Ida Marek"], text



# "…," retired army general Lloyd Pell said: a participle before a role and a name describes the person.

def test_a_participle_before_a_role_and_a_name_is_part_of_the_trailing_speaker() -> None:
    for tail, who in (("retired harbour pilot Ivo Marek said.", "Ivo Marek"),
                      ("said retired navy captain Ada Lind.", "Ada Lind"),
                      ("detained union leader Tomas Berg said in a letter.", "Tomas Berg")):
        text = f"“The north quay has been sinking for ten years and nobody on the board listened,” {tail}"
        assert list(claimant_by_quote(text).values()) == [who], text


def test_a_participle_before_a_description_alone_is_still_no_speaker() -> None:
    text = "“The north quay has been sinking for ten years and nobody listened,” said the embattled harbour."
    assert set(claimant_by_quote(text).values()) == {None}


# "X, like Y, has welcomed A but has said B": the first verb perfect or irregular, an aside with "like".

def test_a_speech_verb_after_a_first_verb_in_the_perfect_or_an_irregular_past() -> None:
    for text, who in (("The harbour board has welcomed the ruling but has said it will appeal the part on "
                       "the north quay.", "the harbour board"),
                      ("The port council on Friday made a strong protest to the ministry and pledged to keep "
                       "the north quay open through the winter.", "the port council"),
                      ("Mayor Ida Marek, like her rival, has praised the dock workers but has said the quay "
                       "must close for repairs.", "Ida Marek")):
        assert list(claimant_by_quote(text).values()) == [who], text


def test_a_first_verb_with_no_speech_verb_after_it_is_no_tag() -> None:
    text = "The harbour board has welcomed the ruling and has closed the north quay for the winter months."
    assert set(claimant_by_quote(text).values()) == {None}


# "The attorney general is confirming that …"; "To varying degrees, …"; a long fronted phrase.

def test_a_verb_of_speech_in_the_progressive_with_that() -> None:
    for verb in ("confirming", "stressing", "acknowledging", "pointing out"):
        text = f"The Tarn harbour master is {verb} that the north quay will stay shut until the spring tides."
        assert list(claimant_by_quote(text).values()) == ["the Tarn harbour master"], text


def test_a_fronted_phrase_opening_with_to_or_running_long_is_read_past() -> None:
    for text, who in (("To varying degrees, all agreed that the wall of the north quay could not be saved.", "all"),
                      ("Based on a survey of the quay that the harbour board ordered after the storm of 2019 and "
                       "published only last month, some argued that the repairs would cost twice the estimate.",
                       "some")):
        assert list(claimant_by_quote(text).values()) == [who], text


def test_a_verb_that_needs_that_takes_a_quotation_after_a_subject_with_an_aside() -> None:
    text = ("Ivo Marek, a pilot who worked the quay for years, recalled, “We had no warning at all before the "
            "wall gave way.”")
    assert list(claimant_by_quote(text).values()) == ["Ivo Marek"]
