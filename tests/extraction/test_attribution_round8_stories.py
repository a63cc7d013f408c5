"""Eighth round: what eight unseen wire stories showed, each fix tested in wording of our own
(invented people, places and bodies), never the stories' sentences."""

from __future__ import annotations

from factcheck.extraction import suggest_claims
from tests.support.suggested import only_claimant as _claimant
from tests.support.suggested import suggested


def _claims(text: str) -> list[tuple[str, str | None, list[str]]]:
    return suggested(text)


def _by_start(text: str, opening: str) -> tuple[str | None, list[str]]:
    """Claimant and relays of the suggestion that starts with ``opening``."""
    for s in suggest_claims(text, threshold=0.0):
        if s.quote.startswith(opening):
            return s.claimant, s.via
    raise AssertionError(f"no suggestion opens with {opening!r}")


def test_a_long_role_then_the_name_then_its_asides() -> None:
    # A role with commas of its own, then the name, then a time before the verb.
    assert _claimant("The head of the assembly's commission on roads, bridges and ports, Marta Ilves, on "
                     "Tuesday called on the cabinet to publish the tender documents.") == "Marta Ilves"
    # A role of more than ten words.
    assert _claimant("The deputy chairman of the supervisory board and chief financial officer of the Ostra "
                     "Shipping Group, Lev Armand, confirmed the group's plan to sell two tankers.") == "Lev Armand"
    # A "who" clause with a verb of its own between the name and the speech verb.
    assert _claimant("The utility's chief engineer, Paula Breck, who joined in May after her predecessor retired "
                     "over a billing scandal, said the grid would need 300 new transformers.") == "Paula Breck"


def test_a_lower_case_role_before_the_apposed_name() -> None:
    assert _claimant("The leader of the monitoring team, Irish lawyer Conor Walsh, confirmed his team's "
                     "readiness to inspect the ballot boxes.") == "Conor Walsh"
    assert _claimant("One of the drivers, trucker Emil Sorensen, said the queue at the border stretched for "
                     "nine kilometres.") == "Emil Sorensen"


def test_where_a_body_is_based_is_no_verb_of_its_aside() -> None:
    assert _claimant("Rudbeck Research, a consultancy based in Tarn, estimated that the strike had cut exports "
                     "by 4 percent.") == "Rudbeck Research"


def test_an_apposition_before_a_bodys_tag_stays_in_the_claim() -> None:
    found = _claims("The Tarn Mint has stopped printing the old notes, the country's only printer of money, the "
                    "agency said on Friday.")
    assert found == [("The Tarn Mint has stopped printing the old notes, the country's only printer of money",
                      "the agency", [])]


def test_a_generic_noun_is_the_body_the_claim_opens_with_and_keeps_standing_for_it() -> None:
    text = ("The Maritime Safety Board of Ostra has grounded the ferry Kestrel after a fire on board, the "
            "watchdog said.\n\nThe watchdog reported Monday the ship had sailed with two lifeboats missing.")
    assert _by_start(text, "The Maritime")[0] == "the Maritime Safety Board of Ostra"
    assert _by_start(text, "The watchdog reported")[0] == "the Maritime Safety Board of Ostra"


def test_a_person_by_age_is_the_person_just_named() -> None:
    text = ("Mayor Ilse Brandvold lost the vote by 200 ballots, officials said.\n\n"
            "“The count in the harbour district was not finished,” the 58-year-old former teacher told reporters.")
    assert _by_start(text, "The count")[0] == "Ilse Brandvold"


def test_he_after_an_anonymous_official_is_that_official() -> None:
    text = ("Finance Minister Jana Kell said in May that the tunnel would cost 2 billion crowns.\n\n"
            "The second tube will open in 2029, an engineer of the tunnel company told reporters on condition "
            "of anonymity. He said about 60 percent of the drilling had been finished.")
    assert _by_start(text, "He said")[0] == "an engineer of the tunnel company"


def test_a_body_apposed_to_its_description_is_what_the_description_means_later() -> None:
    text = ("The water company, Ostra Vatten, said the pipes were older than 50 years.\n\n"
            "In 2024, it spent 80 million crowns on repairs, the company said.")
    assert _by_start(text, "In 2024")[0] == "Ostra Vatten"


def test_a_described_outlet_relays_what_it_was_told() -> None:
    assert _claims("Its founder, Ada Ruud, told a regional newspaper that the mill would reopen in June.") == [
        ("Its founder, Ada Ruud, told a regional newspaper that the mill would reopen in June.", "Ada Ruud",
         ["a regional newspaper"])]


def test_a_long_according_to_with_its_relay() -> None:
    text = ("According to a statement from the State Committee for Water Resources and Land Reclamation cited by "
            "state news agency Ostpress, the dam held 61 percent of its capacity on Monday.")
    assert _claims(text) == [("the dam held 61 percent of its capacity on Monday.",
                              "the State Committee for Water Resources and Land Reclamation", ["Ostpress"])]


def test_a_trailing_passive_tag_with_the_name_after_the_role() -> None:
    assert _claims("Two schools in Varn were closed for the week, it was reported on Tuesday by the town's mayor, "
                   "Oskar Lind.") == [("Two schools in Varn were closed for the week", "Oskar Lind", [])]


def test_a_paper_a_person_cites_is_that_persons_evidence() -> None:
    assert _claims("Hospital waiting lists grew by 14 percent last year, he said, citing figures from the health "
                   "ministry.") == [("Hospital waiting lists grew by 14 percent last year", "he", [])]
    found = _claims("Union leader Ola Brekke told Reuters that the yard had laid off 300 welders, according to a "
                    "copy of the notice seen by the union.")
    assert [(c, v) for _, c, v in found] == [("Ola Brekke", ["Reuters"])]
    # An outlet that cites a paper still relays it.
    assert _claims("Exports of timber fell 9 percent in May, Vesti reported, citing customs data.")[0][2] == ["Vesti"]


def test_people_described_by_where_they_are_from_speak() -> None:
    assert _claimant("Steel output will fall again next year, analysts at Ostra Securities, a Tarn brokerage, "
                     "wrote in a note.") == "analysts at Ostra Securities"
    assert _claimant("Observers from the regional rights body ORMA said voting had been calm in most "
                     "districts.") == "observers from the regional rights body ORMA"


def test_untagged_words_in_the_tenses_of_reported_speech_go_on_with_the_speaker() -> None:
    text = ("Transport Minister Ivo Sand said the bridge had been inspected in March. Traffic would stay closed "
            "until the end of the month.")
    assert _by_start(text, "Traffic")[0] == "Ivo Sand"
    text = "Nurses had worked double shifts since Monday, she said. Two of the wards were closed for lack of staff."
    assert _by_start(text, "Two of the wards")[0] == "she"
    text = "Fares will rise by 6 percent in May, Berg said. The price of a monthly pass will reach 900 crowns."
    assert _by_start(text, "The price")[0] == "Berg"


def test_the_writers_own_words_after_a_tag_stay_the_writers() -> None:
    # A new paragraph, a fronted phrase, or "it was" are the writer's.
    text = "Fares will rise by 6 percent in May, Berg said.\n\nThe line would be the first to charge by distance."
    assert _by_start(text, "The line")[0] is None
    text = "The plant had been idle since June, the ministry said. Still, the owners could reopen it in spring."
    assert _by_start(text, "Still")[0] is None


def test_a_share_of_them_is_a_share_of_the_group_just_named() -> None:
    text = ("The plant's workers gathered outside the gates on Friday. Several of them told Reuters they had not "
            "been paid since March.")
    assert _by_start(text, "Several")[0] == "Several of the plant's workers"


def test_the_central_bank_is_the_countrys_national_bank() -> None:
    text = ("The National Bank of Ostra raised its key rate to 9 percent, the bank said.\n\n"
            "The central bank pointed to rising food prices as the main reason.")
    assert _by_start(text, "The central bank")[0] == "the National Bank of Ostra"


def test_an_office_in_lower_case_for_a_place_then_the_name() -> None:
    assert _claimant("Deputy mayor of Korvik Aigul Serikova, speaking at a briefing, said 4,000 homes had no "
                     "heating.") == "Aigul Serikova"


def test_a_participle_tag_after_a_role_and_a_name_or_a_group() -> None:
    assert _claimant("Tarn's opposition leader Ivo Marek on Sunday rejected the count, saying observers had been "
                     "kept out of 40 polling stations.") == "Ivo Marek"
    assert _claimant("Some local farming families have fought the pipeline, saying it will cut across their "
                     "grazing land.") == "some local farming families"


def test_a_denial_with_what_it_denies_as_its_object() -> None:
    assert _claimant("The airline, Nordflyg, has rejected the accusation.") == "Nordflyg"
    assert _claimant("The ministry dismissed the reports as rumours.") == "the ministry"


def _furniture(text: str) -> list[str]:
    from factcheck.extraction import find_furniture

    return [text[f.start:f.end] for f in find_furniture(text)]


def test_datelines_found_by_probes_after_the_stories() -> None:
    # Probes in other agencies' styles, written after the stories (whose furniture was all found).
    assert _furniture("SAMARKAND, April 2 /Xinhua/ -- The bank cut its key rate to 12 percent.\n") == \
        ["SAMARKAND, April 2 /Xinhua/ --"]
    assert _furniture("Shymkent. April 2. KazTAG - The akimat said 3,000 homes had no water.\n") == \
        ["Shymkent. April 2. KazTAG -"]
    assert _furniture("GANJA, Azerbaijan, April 2. Trend: The ministry said exports rose 4 percent.\n") == \
        ["GANJA, Azerbaijan, April 2. Trend:"]
    # A date and a full stop before a sentence is no agency's.
    assert _furniture("The company said, on April 2. Sales rose 5 percent in the year to March.\n") == []


def test_a_bare_contribution_line_is_furniture() -> None:
    assert _furniture("Associated Press writers Ida Holm in Tarn and Ola Berg in Varn contributed.\n") == \
        ["Associated Press writers Ida Holm in Tarn and Ola Berg in Varn contributed."]
    assert _furniture("Experts contributed to the debate, which lasted three hours.\n") == []


def test_probes_after_the_stories_a_figure_object_a_lower_case_role_quoted_by_and_drew_attention() -> None:
    # A stance verb with a figure as its object is the claim, not a trailing tag after a fronted clause.
    assert _claims("Having toured the flooded districts, the prime minister promised 50 million euros in aid.") == [
        ("Having toured the flooded districts, the prime minister promised 50 million euros in aid.",
         "the prime minister", [])]
    assert _claims("The airport will reopen on Monday, deputy transport minister Rui Costa was quoted by Lusa as "
                   "saying.") == [("The airport will reopen on Monday", "Rui Costa", ["Lusa"])]
    assert _claimant("The ministry drew attention to reports of prisoners held without charge for months.") == \
        "the ministry"
