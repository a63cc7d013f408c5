"""Attribution added in the fourth round, each in wording other than the labelled stories'."""

from __future__ import annotations

import pytest

from factcheck.extraction import find_furniture, suggest_claims
from factcheck.extraction.names import trim_subject
from tests.support.suggested import suggested as _claims


@pytest.mark.parametrize(
    "text, quote, claimant, via",
    [
        # A correspondent's tag after the speaker's: the agency relays, the speaker stays.
        ("Grain exports will rise by a tenth this season, Farm Minister Ivo Lind said at a briefing, "
         "a Trend correspondent reports.", "Grain exports will rise by a tenth this season", "Ivo Lind", ["Trend"]),
        ("Two new berths will open in Vest in May, port director Ada Holm told reporters on Friday, "
         "an Interfax correspondent reported.", "Two new berths will open in Vest in May", "Ada Holm",
         ["Interfax"]),
        # The correspondent alone: the reporter, relayed by the agency.
        ("Ice closed the northern channel to shipping on Monday, a Trend correspondent reports.",
         "Ice closed the northern channel to shipping on Monday", "a Trend correspondent", ["Trend"]),
        # A body's name with "of" in it.
        ("The Chamber of Shipping estimated the cost of the closure at 40 million crowns.",
         "The Chamber of Shipping estimated the cost of the closure at 40 million crowns.",
         "the Chamber of Shipping", []),
        ("The Harlow Society of Engineers said the bridge had been inspected twice since 2019.",
         "The Harlow Society of Engineers said the bridge had been inspected twice since 2019.",
         "the Harlow Society of Engineers", []),
        # Figures named by their body.
        ("Unemployment fell to 5.9 percent in October, according to Eurostat figures.",
         "Unemployment fell to 5.9 percent in October", "Eurostat", []),
        ("Car sales rose 8 percent in the first half, according to Harlow customs statistics.",
         "Car sales rose 8 percent in the first half", "Harlow customs", []),
        # An interview with an outlet, fronted, relays the speaker.
        ("In an interview with the daily Nord Posten on Sunday, Ola Berg said the mill would close in June.",
         "In an interview with the daily Nord Posten on Sunday, Ola Berg said the mill would close in June.",
         "Ola Berg", ["Nord Posten"]),
        ("Speaking to Radio Vest, Ola Berg said the mill would close in June.",
         "Speaking to Radio Vest, Ola Berg said the mill would close in June.", "Ola Berg", ["Radio Vest"]),
        ("Ola Berg told regional broadcaster Vest TV that the mill would close in June.",
         "Ola Berg told regional broadcaster Vest TV that the mill would close in June.", "Ola Berg",
         ["Vest TV"]),
        # An interview with a person is no relay.
        ("In an interview with his biographer, Ola Berg said the mill had lost money since 2019.",
         "In an interview with his biographer, Ola Berg said the mill had lost money since 2019.",
         "Ola Berg", []),
    ],
)
def test_tags_and_relays_round_four(text: str, quote: str, claimant: str, via: list[str]) -> None:
    [(got_quote, got, got_via)] = _claims(text)
    assert (got_quote, got, got_via) == (quote, claimant, via)


@pytest.mark.parametrize(
    "lede, later, name",
    [
        # A lede that describes the speaker; the next paragraph names the same role.
        ("Harlow's fish catch fell by a third this year, the nation's fisheries minister said on Monday.",
         "Fisheries Minister Ola Dahl told a news conference that quotas would be cut again.", "Ola Dahl"),
        # The same description set beside a name later ("her spokesman, Lars Berg,").
        ("The senator will not run again in 2028, her spokesman said on Tuesday.",
         "“She has made up her mind,” her spokesman, Lars Berg, told reporters.", "Lars Berg"),
    ],
)
def test_a_description_in_the_lede_takes_the_name_given_later(lede: str, later: str, name: str) -> None:
    first = suggest_claims(lede + "\n\n" + later + "\n", threshold=0.0)[0]
    assert first.claimant == name


def test_a_bare_role_does_not_take_a_later_name() -> None:
    text = ("Tolls will rise 4 percent in May, the minister said on Monday.\n\n"
            "Finance Minister Ola Dahl said separately that the budget would be balanced by 2028.\n")
    assert suggest_claims(text, threshold=0.0)[0].claimant == "the minister"


def test_a_continued_quotation_keeps_its_relay() -> None:
    text = ("“The mill has lost money for five years,” Ola Berg told Reuters. “It will close in June. "
            "Every worker will be offered a job at the new plant.”\n")
    got = _claims(text)
    assert [(claimant, via) for _, claimant, via in got] == [("Ola Berg", ["Reuters"])] * len(got)
    assert any(quote.startswith("It will close in June") for quote, _, _ in got)


def test_a_line_in_capitals_before_an_end_marker() -> None:
    text = ("The Harlow Shipping Corporation said on Monday that it would order four new ferries.\n"
            "THE CORPORATION SAID THE FERRIES WOULD COST 90 MILLION DOLLARS. (end) ab.cd\n")
    last = suggest_claims(text, threshold=0.0)[-1]
    assert last.quote == "THE CORPORATION SAID THE FERRIES WOULD COST 90 MILLION DOLLARS."
    assert last.claimant == "the Harlow Shipping Corporation"


@pytest.mark.parametrize(
    "caption",
    [
        "A worker checks a wind turbine at a farm in Harlow province on May 3, 2026. (Xinhua/Li Ming)",
        "Fishing boats are moored in the harbour of Vest on Monday. ( Ayse Demir - Anadolu Agency )",
        "Passengers wait for the first ferry of the season in Oslovik. (Ines Varga/AFP)",
    ],
)
def test_photo_captions_with_a_bracketed_agency_credit(caption: str) -> None:
    text = f"Ferry traffic rose 12 percent in May, the port authority said.\n{caption}\n"
    assert [(f.text, f.reason) for f in find_furniture(text)] == [(caption, "photo caption")]
    assert [s.quote for s in suggest_claims(text)] == ["Ferry traffic rose 12 percent in May"]


@pytest.mark.parametrize(
    "text, claimant, via",
    [
        # A kind of outlet after its name is not part of the relay's name.
        ("The ministry said on Monday it had received no request for talks, Trend news agency reported.",
         "the ministry", ["Trend"]),
        # A subject with an aside before a figure.
        ("A doctor at the district hospital, speaking on condition of anonymity, put the death toll at 23.",
         "a doctor at the district hospital", []),
        # A subject with an apposition, quoted by an outlet.
        ("The head of the port, Oskar Lind, was quoted by Radio Vest as saying that traffic had doubled.",
         "Oskar Lind", ["Radio Vest"]),
    ],
)
def test_asides_and_outlet_kinds(text: str, claimant: str, via: list[str]) -> None:
    [(_, got, got_via)] = _claims(text)
    assert (got, got_via) == (claimant, via)


def test_the_agency_is_the_one_named_last() -> None:
    text = ("The ministry denied the report, Trend news agency said.\n"
            "According to the state news agency Vestpress, the cabinet approved the budget on Monday.\n"
            "The budget foresees a deficit of 2 billion crowns, the agency said.\n")
    assert suggest_claims(text, threshold=0.0)[-1].claimant == "Vestpress"


@pytest.mark.parametrize(
    "text, claimant",
    [
        ("“They will have to find the money somewhere else,” Holm shot back.", "Holm"),
        ("“The plant will close before the winter,” a tired Ola Berg conceded.", "Ola Berg"),
        ("“We did not expect the vote to be this close,” replied Berg, whose party lost two seats.", "Berg"),
        ("“Nobody told the workers anything!” Holm tweeted on Friday.", "Holm"),
    ],
)
def test_any_verb_closes_a_short_tag_after_a_quotation(text: str, claimant: str) -> None:
    [(_, got, _)] = _claims(text)
    assert got == claimant


@pytest.mark.parametrize(
    "raw, subject",
    [("Sarandon, 69", "Sarandon"), ("Kaine now", "Kaine"), ("the Harlow senator declined to", "the Harlow senator"),
     ("Some advisers are", "Some advisers are"),
     ("a Harlow Herald survey released", "a Harlow Herald survey"), ("the retired general", "the retired general")],
)
def test_a_learned_source_is_cut_where_its_subject_ends(raw: str, subject: str) -> None:
    assert trim_subject(raw) == subject


def test_a_stance_with_its_object_after_an_aside_is_not_a_tag() -> None:
    text = "The former mayor, who left office in May, has pledged to rebuild the bridge within a year."
    [(quote, claimant, _)] = _claims(text)
    assert quote == text and claimant != "May"


def test_a_dateline_with_the_agency_and_no_dash() -> None:
    text = "OSLOVIK, May 4 (NTB) Ferry traffic rose 12 percent in April, the port authority said on Monday.\n"
    assert [(f.text, f.reason) for f in find_furniture(text)] == [("OSLOVIK, May 4 (NTB)", "dateline")]
    assert [(s.quote, s.claimant) for s in suggest_claims(text)] == [
        ("Ferry traffic rose 12 percent in April", "the port authority")]


@pytest.mark.parametrize(
    "dateline",
    ["Oslovik, Mar 3 (NTB)", "OSLOVIK, 3rd March, 2026 (NTB) --", "Oslovik, Norvia, March 3.",
     "SEOUL, March 3 (Yonhap) --"],
)
def test_datelines_of_more_agencies(dateline: str) -> None:
    text = f"{dateline} Ferry traffic rose 12 percent in April, the port authority said on Monday.\n"
    assert [(f.text, f.reason) for f in find_furniture(text)] == [(dateline, "dateline")]
    assert [s.quote for s in suggest_claims(text)] == ["Ferry traffic rose 12 percent in April"]


def test_a_credit_line_after_dashes() -> None:
    line = "--Reporting by Ines Varga; Editing by Tomas Lund"
    text = f"Ferry traffic rose 12 percent in April, the port authority said.\n{line}\n"
    assert [(f.text, f.reason) for f in find_furniture(text)] == [(line, "byline")]


@pytest.mark.parametrize(
    "text, quote, claimant",
    [
        ("Harlow's inflation slowed to 4.1 percent in May, central bank data showed.",
         "Harlow's inflation slowed to 4.1 percent in May", "the central bank"),
        # The writer's "as …" after a tag is not part of the claim.
        ("Ferry fares will rise 8 percent from July, the transport ministry said on Monday, as the operator "
         "seeks to cut losses.", "Ferry fares will rise 8 percent from July", "the transport ministry"),
    ],
)
def test_lower_case_data_and_an_as_clause_after_a_tag(text: str, quote: str, claimant: str) -> None:
    [(got_quote, got, _)] = _claims(text)
    assert (got_quote, got) == (quote, claimant)


@pytest.mark.parametrize(
    "text, quote",
    [
        ("According to Ola Berg, an analyst at the Oslovik-based Institute of Trade, exports could double by 2030.",
         "exports could double by 2030."),
        ("According to Ola Berg, the port handled 4 million tonnes in May, a record.",
         "the port handled 4 million tonnes in May, a record."),
    ],
)
def test_a_role_after_a_leading_according_to_belongs_to_the_tag(text: str, quote: str) -> None:
    [(got_quote, got, _)] = _claims(text)
    assert (got_quote, got) == (quote, "Ola Berg")
