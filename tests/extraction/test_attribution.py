"""Attribution patterns, each in a sentence of our own wording."""

from __future__ import annotations

import pytest

from factcheck.extraction import Suggestion, suggest_claims


def only(text: str) -> Suggestion:
    found = suggest_claims(text, threshold=0.0)
    assert len(found) == 1, [s.quote for s in found]
    s = found[0]
    assert text[s.start:s.end] == s.quote
    return s


@pytest.mark.parametrize(
    "text, quote, claimant, via",
    [
        ("Exports rose 12 percent in May, the ministry said on Tuesday.",
         "Exports rose 12 percent in May", "the ministry", []),
        ("Exports rose 12 percent in May, said Anna Berg, a spokeswoman for the ministry.",
         "Exports rose 12 percent in May", "Anna Berg", []),
        ("Exports rose 12 percent in May, Anna Berg, a spokeswoman for the ministry, said.",
         "Exports rose 12 percent in May", "Anna Berg", []),
        ("Exports rose 12 percent in May, according to a statement from the Trade Ministry.",
         "Exports rose 12 percent in May", "the Trade Ministry", []),
        ("Exports rose 12 percent in May, a spokesperson for the ministry told reporters.",
         "Exports rose 12 percent in May", "a spokesperson for the ministry", []),
        ("Exports rose 12 percent in May, Vesti reports, citing Interfax.",
         "Exports rose 12 percent in May", "Interfax", ["Vesti"]),
        ("Exports rose 12 percent in May, Vesti reported, citing Interfax, which quoted a customs official.",
         "Exports rose 12 percent in May", "a customs official", ["Interfax", "Vesti"]),
        ("Exports rose 12 percent in May, reported the state agency Kazinform.",
         "Exports rose 12 percent in May", "Kazinform", []),
        ("Exports rose 12 percent in May, Berg added, according to Interfax.",
         "Exports rose 12 percent in May", "Berg", ["Interfax"]),
        ("Exports rose 12 percent in May, one official said, declining to be named.",
         "Exports rose 12 percent in May", "one official", []),
    ],
)
def test_trailing_tags_are_left_out_of_the_quote(text: str, quote: str, claimant: str, via: list[str]) -> None:
    s = only(text)
    assert (s.quote, s.claimant, s.via) == (quote, claimant, via)


@pytest.mark.parametrize(
    "text, claimant, via",
    [
        ("The ministry said on Tuesday that exports rose 12 percent in May.", "the ministry", []),
        ("Officials told reporters exports rose 12 percent in May.", "officials", []),
        ("A Reuters source claimed exports rose 12 percent in May.", "a Reuters source", ["Reuters"]),
        ("Anna Berg told Reuters that exports rose 12 percent in May.", "Anna Berg", ["Reuters"]),
        ("A senior official, who asked not to be named, said exports rose 12 percent in May.",
         "a senior official", []),
        ("An economist at the bank, Anna Berg, said exports rose 12 percent in May.", "Anna Berg", []),
        ("Exports, Berg said, rose 12 percent in May.", "Berg", []),
        ("Trade Minister Anna Berg said exports rose 12 percent in May.", "Anna Berg", []),
    ],
)
def test_leading_tags_keep_the_whole_sentence(text: str, claimant: str, via: list[str]) -> None:
    s = only(text)
    assert s.quote == text
    assert (s.claimant, s.via) == (claimant, via)


def test_according_to_first_is_left_out() -> None:
    s = only("According to the central bank, reserves fell to $35 billion in March.")
    assert s.quote == "reserves fell to $35 billion in March."
    assert s.claimant == "the central bank"


def test_outlet_asserts_when_there_is_no_tag() -> None:
    s = only("The bridge collapsed on March 3, killing 12 people.")
    assert s.claimant is None and s.via == []
    assert s.kind == "statistic"


def test_direct_quote_with_speaker_before_it() -> None:
    s = only('Anna Berg said on Monday: "Exports will rise by a tenth this year."')
    assert s.quote == "Exports will rise by a tenth this year."
    assert (s.claimant, s.kind) == ("Anna Berg", "quote")


def test_quote_over_sentences_with_speaker_after_it() -> None:
    text = '"We did not expect this. Exports rose by a tenth in a single month," Berg told reporters.'
    s = only(text)
    assert s.quote == "We did not expect this. Exports rose by a tenth in a single month"
    assert (s.claimant, s.kind) == ("Berg", "quote")


def test_unquoted_speech_before_its_tag_is_one_claim() -> None:
    text = "Nothing has changed. The talks go on. We will meet again in May, Anna Berg said."
    s = only(text)
    assert s.quote == "Nothing has changed. The talks go on. We will meet again in May"
    assert (s.claimant, s.kind) == ("Anna Berg", "quote")


def test_report_tag_carries_back_over_its_paragraph() -> None:
    text = "The two sides agreed on a new tariff. The deal covers 40 products, the agency reported."
    found = suggest_claims(text, threshold=0.0)
    assert [(s.quote, s.claimant) for s in found] == [
        ("The two sides agreed on a new tariff.", "the agency"),
        ("The deal covers 40 products", "the agency"),
    ]


def test_surname_and_pronoun_resolve_to_the_full_name() -> None:
    text = (
        "Deputy Minister Anna Berg visited the port on Monday.\n"
        "Exports rose 12 percent in May, Berg said.\n"
        "Imports fell 3 percent, she added.\n"
    )
    found = suggest_claims(text, threshold=0.0)
    assert [s.claimant for s in found[1:]] == ["Anna Berg", "Anna Berg"]


def test_colon_intro_hands_the_speaker_to_the_next_paragraph() -> None:
    text = "Anna Berg, the trade minister, spoke to reporters in Astana:\n\"Exports rose by a tenth, and we expect more.\"\n"
    found = suggest_claims(text, threshold=0.0)
    assert [(s.quote, s.claimant) for s in found] == [("Exports rose by a tenth, and we expect more.", "Anna Berg")]


def test_the_ministry_refers_back_to_the_named_ministry() -> None:
    text = (
        "Exports rose 12 percent in May, the Trade Ministry said.\n"
        "Imports fell 3 percent, the ministry said.\n"
    )
    assert [s.claimant for s in suggest_claims(text, threshold=0.0)] == ["the Trade Ministry", "the Trade Ministry"]


@pytest.mark.parametrize(
    "text",
    [
        "The bridge, which opened in 1990, was closed on Monday.",
        "Trade with the United States grew, reaching a record in May.",
        "As stated in the report, trade grew in May.",
        "The court blocked the sale in 2019, citing a threat to public safety.",
    ],
)
def test_no_false_attribution(text: str) -> None:
    assert all(s.claimant is None for s in suggest_claims(text, threshold=0.0))


def test_to_dict_shape() -> None:
    s = only("Exports rose 12 percent in May, Vesti reports, citing Interfax.")
    assert s.to_dict() == {"quote": "Exports rose 12 percent in May", "start": 0, "end": 30,
                           "claimant": "Interfax", "via": ["Vesti"], "kind": "attributed statement",
                           "score": s.score}


# Problems found while wiring the engine into the app, each in a sentence of our own.

@pytest.mark.parametrize(
    "text, claimant",
    [
        ("The company will add four night crossings a week from May, Ida Brandt, its chief executive, "
         "said on Monday.", "Ida Brandt"),
        ("The company will add four night crossings a week from May, Marco Ferrant, the union's leader, "
         "told reporters.", "Marco Ferrant"),
        ("The company will add four night crossings a week from May, said Ida Brandt, chief executive "
         "of the operator.", "Ida Brandt"),
        ("The company will add four night crossings a week from May, Ida Brandt, 54, told a news conference.",
         "Ida Brandt"),
        ('"We will add four night crossings a week from May," House Speaker Ida Brandt, the convention chair, '
         "said in a statement.", "Ida Brandt"),
    ],
)
def test_the_name_speaks_not_its_apposition(text: str, claimant: str) -> None:
    s = only(text)
    assert s.claimant == claimant
    assert s.quote.rstrip(".").endswith("from May")


@pytest.mark.parametrize(
    "text, claimant",
    [
        ("The council voted 27 to 4 on Tuesday to build a tram line to the airport, its chair said.",
         "the council's chair"),
        ("The bank raised its main rate to 9 percent in 2023, its governor told parliament.",
         "the bank's governor"),
        ("The council voted 27 to 4 on Tuesday to build a tram line to the airport, a spokeswoman said.",
         "a spokeswoman"),
        ("The council voted 27 to 4 on Tuesday to build a tram line to the airport, officials said.",
         "officials"),
        ("The council voted 27 to 4 on Tuesday to build a tram line to the airport, the ministry said "
         "in a statement.", "the ministry"),
    ],
)
def test_description_tags_are_left_out_of_the_quote(text: str, claimant: str) -> None:
    s = only(text)
    assert s.claimant == claimant
    assert s.quote.endswith("airport") or s.quote.endswith("2023")


def test_its_refers_back_to_the_body_named_before() -> None:
    text = ("The Harbour City Council met on Monday.\n"
            "It voted 27 to 4 to build a tram line to the airport, its chair said.\n")
    assert suggest_claims(text, threshold=0.0)[-1].claimant == "the Harbour City Council's chair"


def test_its_without_a_body_stays_as_written() -> None:
    assert only("Fares will rise 5 percent in June, its chair said.").claimant == "its chair"


def test_a_headline_subject_is_not_a_claimant() -> None:
    text = "Ferry operator adds night crossings\nThe company will add four night crossings a week from May.\n"
    found = suggest_claims(text, threshold=0.0)
    assert found[0].quote == "Ferry operator adds night crossings"
    assert all(s.claimant is None for s in found)


@pytest.mark.parametrize(
    "headline, claimant",
    [
        ("Ferry fares to rise 10 percent, minister says", "minister"),
        ("Minister says ferry fares will rise 10 percent", "minister"),
        ("Ferry operator cuts winter timetable by 10 percent", None),
        ("Regulator fines ferry operator $2 million", None),
    ],
)
def test_headlines_are_attributed_only_by_an_explicit_tag(headline: str, claimant: str | None) -> None:
    found = suggest_claims(headline + "\nThe company runs six ships.\n", threshold=0.0)
    assert found[0].quote.startswith(headline.split(",")[0].split(" says ")[0][:20])
    assert found[0].claimant == claimant


# A sweep of wire-copy attribution in sentences of our own wording. The last suggestion
# of each text is checked; "\n" separates paragraphs.
_PORT = "the port handled 4.2 million tonnes of grain in March"
_PORT_CAP = "The port handled 4.2 million tonnes of grain in March"


@pytest.mark.parametrize(
    "text, claimant, via",
    [
        (f"{_PORT_CAP}, Lena Ortiz said on Monday.", "Lena Ortiz", []),
        (f"{_PORT_CAP}, said Tomas Weil, a spokesperson for the port authority.", "Tomas Weil", []),
        (f"Tomas Weil told Reuters {_PORT}.", "Tomas Weil", ["Reuters"]),
        (f"{_PORT_CAP}, Tomas Weil told Reuters.", "Tomas Weil", ["Reuters"]),
        (f"{_PORT_CAP}, two shipping agents told Reuters on Tuesday.", "two shipping agents", ["Reuters"]),
        (f"According to the port authority, {_PORT}.", "the port authority", []),
        (f"{_PORT_CAP}, according to Lena Ortiz.", "Lena Ortiz", []),
        ("The port authority said in a statement that it handled 4.2 million tonnes of grain in March.",
         "the port authority", []),
        (f"{_PORT_CAP}, the port authority said in a statement.", "the port authority", []),
        ("In a statement, the port authority said it handled 4.2 million tonnes of grain in March.",
         "the port authority", []),
        (f"In a statement on Friday, Lena Ortiz said {_PORT}.", "Lena Ortiz", []),
        (f"A port official, who declined to be named, said {_PORT}.", "a port official", []),
        (f"{_PORT_CAP}, a port official, who declined to be named, said.", "a port official", []),
        (f"{_PORT_CAP}, Nordpost reported, citing the customs service.", "the customs service", ["Nordpost"]),
        (f"Citing the customs service, Nordpost reported that {_PORT}.", "the customs service", ["Nordpost"]),
        (f"Nordpost reported, citing two shipping agents, that {_PORT}.", "two shipping agents", ["Nordpost"]),
        (f"{_PORT_CAP}, Nordpost reported, citing Baltic Wire, quoting a harbour master.",
         "a harbour master", ["Baltic Wire", "Nordpost"]),
        (f"{_PORT_CAP}, Nordpost quoted Lena Ortiz as saying.", "Lena Ortiz", ["Nordpost"]),
        (f"Lena Ortiz was quoted by Nordpost as saying that {_PORT}.", "Lena Ortiz", ["Nordpost"]),
        (f"Lena Ortiz wrote on social media that {_PORT}.", "Lena Ortiz", []),
        (f"{_PORT_CAP}, Lena Ortiz wrote on social media.", "Lena Ortiz", []),
        (f"Lena Ortiz, the port's director, spoke on Monday.\n{_PORT_CAP}, Ortiz added.", "Lena Ortiz", []),
        (f"Lena Ortiz, the port's director, said exports doubled.\n{_PORT_CAP}, she said.", "Lena Ortiz", []),
        (f"Lena Ortiz, the port's director, said exports doubled.\nShe added that {_PORT}.", "Lena Ortiz", []),
        (f'"We have never been this busy. {_PORT_CAP}," said Lena Ortiz, the port\'s director.',
         "Lena Ortiz", []),
        (f'Lena Ortiz put it plainly: "{_PORT_CAP}."', "Lena Ortiz", []),
        (f'Lena Ortiz, the port\'s director, told reporters:\n"{_PORT_CAP}."', "Lena Ortiz", []),
        ("The Ministry of Transport opened the terminal.\nRail freight fell 3 percent, the ministry said.",
         "the Ministry of Transport", []),
        (f"{_PORT_CAP}, Lena Ortiz, the port's director, told a news conference.", "Lena Ortiz", []),
        (f"{_PORT_CAP}, the port's director, Lena Ortiz, said.", "Lena Ortiz", []),
        (f"Port director Lena Ortiz said on Monday {_PORT}.", "Lena Ortiz", []),
        (f"{_PORT_CAP}, a senior official at the port authority told Reuters, speaking on condition of "
         "anonymity.", "a senior official at the port authority", ["Reuters"]),
        ("The port, Ortiz said, handled 4.2 million tonnes of grain in March.", "Ortiz", []),
        (f"{_PORT_CAP}, Lena Ortiz said, according to Nordpost.", "Lena Ortiz", ["Nordpost"]),
        (f"Asked about the harvest, Lena Ortiz said {_PORT}.", "Lena Ortiz", []),
        (f"Mr. Ortiz added: \"{_PORT_CAP}.\"", "Ortiz", []),
    ],
)
def test_wire_attribution_sweep(text: str, claimant: str, via: list[str]) -> None:
    found = suggest_claims(text, threshold=0.0)
    assert found, text
    s = found[-1]
    assert text[s.start:s.end] == s.quote
    assert (s.claimant, s.via) == (claimant, via)
    assert "said" not in s.quote or s.quote.startswith(("The port authority said", "In a", "A port", "Lena",
                                                        "Tomas", "Port director", "Asked", "Citing",
                                                        "Nordpost", "She", "The port,"))


@pytest.mark.parametrize(
    "text",
    [
        "The economy added 200,000 jobs in May.",
        "The bank raised rates twice in 2023, citing inflation.",
        "Some advisers are said to favour a rate cut in May.",
        "Their show of force in five swing states underscored the stakes.",
    ],
)
def test_no_false_attribution_in_wire_copy(text: str) -> None:
    assert all(s.claimant is None for s in suggest_claims(text, threshold=0.0))


@pytest.mark.parametrize(
    "text, claimant, role",
    [
        ("Norvian President Mira Halvorsen arrived in Karven on Monday.\n"
         "The Norvian president noted that exports to Karven had doubled since 2020.", "Mira Halvorsen",
         "the Norvian president"),
        ("Mira Halvorsen, the Norvian president, arrived in Karven on Monday.\n"
         "The president said that exports to Karven had doubled since 2020.", "Mira Halvorsen", "the president"),
        ("Vice President Tomas Lund arrived in Karven on Monday.\n"
         "The president said that exports to Karven had doubled since 2020.", "the president", None),
    ],
)
def test_a_description_resolves_to_the_person_named_earlier(text: str, claimant: str, role: str | None) -> None:
    s = suggest_claims(text, threshold=0.0)[-1]
    assert (s.claimant, s.role) == (claimant, role)
    assert "role" not in s.to_dict()


def test_a_title_before_a_title_noun_is_dropped_from_the_name() -> None:
    s = only("Harlow Mayor Ines Varga said the port would reopen in May.")
    assert s.claimant == "Ines Varga"


@pytest.mark.parametrize(
    "text, quote, claimant, via",
    [
        ("Tomas Lund told Reuters that Ines Varga had said the port would reopen in May.", None,
         "Ines Varga", ["Tomas Lund", "Reuters"]),
        ("Ines Varga said the port would reopen in May, the BBC reported.",
         "Ines Varga said the port would reopen in May", "Ines Varga", ["the BBC"]),
        ("Exports rose 12 percent in May, according to a statement from the ministry cited by state news agency TASS.",
         "Exports rose 12 percent in May", "the ministry", ["TASS"]),
        ("Exports will double by 2030, Varga was quoted by TASS as saying.",
         "Exports will double by 2030", "Varga", ["TASS"]),
        ("It was reported by the Harlow Wire that the port would reopen in May.", None, "the Harlow Wire", []),
        ("The closure of the northern quay was reported on Monday by Governor Ines Varga.", None, "Ines Varga", []),
    ],
)
def test_relays_nearest_first_and_the_outlet_never_replaces_the_speaker(
        text: str, quote: str | None, claimant: str, via: list[str]) -> None:
    s = only(text)
    assert (s.quote, s.claimant, s.via) == (quote or text, claimant, via)


@pytest.mark.parametrize(
    "text, claimant",
    [
        ("The minister called on the port operators to cut fees by 10 percent before June.", "the minister"),
        ("The agency pointed to reports of 40 ships waiting outside the harbour.", "the agency"),
        ("The board reported Friday the plant had lost 12 million crowns in the first quarter.", "the board"),
        ("The Karven government confirmed readiness to resume grain exports through the port in May.",
         "the Karven government"),
        ("After predicting a win in the first round, the leader claimed that turnout had reached 70 percent.",
         "the leader"),
    ],
)
def test_more_attribution_wording(text: str, claimant: str) -> None:
    s = only(text)
    assert (s.quote, s.claimant, s.via) == (text, claimant, [])


@pytest.mark.parametrize(
    "text",
    [
        "The data confirmed a rise of 12 percent in exports in May.",
        "The economy added 200,000 jobs in May.",
    ],
)
def test_things_still_do_not_speak(text: str) -> None:
    assert only(text).claimant is None


def test_bodies_that_report_figures_are_their_source() -> None:
    # States report their cases through their health departments: the desk checks what they
    # reported. (Until the ninth round's refitted stance reader this sentence had no claimant.)
    assert only("Twenty-seven states reported cases of the disease in May.").claimant == "Twenty-seven states"


def test_tag_in_the_next_sentence_and_a_pronoun_for_a_person_named_with_a_role() -> None:
    text = ("Mayor Ines Varga visited the quay on Monday.\n"
            "“We will not accept another closure of the northern quay this year.” She wrote this on her page.")
    found = suggest_claims(text)
    quote = next(s for s in found if s.kind == "quote")
    assert (quote.quote, quote.claimant) == ("We will not accept another closure of the northern quay this year.",
                                             "Ines Varga")
    assert not any("wrote this" in s.quote for s in found)


def test_a_long_subject() -> None:
    text = "The chairman of the supervisory board of the Harlow regional port authority said that fees would rise."
    assert only(text).claimant == "the chairman of the supervisory board of the Harlow regional port authority"


def test_a_time_after_the_speaker_is_not_the_speaker() -> None:
    assert only("Ines Varga on Wednesday called on the council to publish the port accounts.").claimant == "Ines Varga"
    text = "Harbour Fees Rise Against Forecasts\nThe Harlen Post on Saturday wrote that Lund had claimed a loss of 9 million crowns."
    s = suggest_claims(text, threshold=0.0)[-1]
    assert (s.claimant, s.via) == ("Lund", ["the Harlen Post"])


def test_a_short_quoted_verdict_is_a_claim_and_a_comma_inside_the_quote_mark_ends_it() -> None:
    s = only("“Fair and orderly,” the observers said of the vote in Harlen.")
    assert (s.quote, s.claimant, s.kind) == ("“Fair and orderly,”", "the observers", "attributed statement")
    assert s.score >= 0.35
    s = only("The vote in Harlen was “fair and orderly,” the observers said.")
    assert (s.quote, s.claimant) == ("The vote in Harlen was “fair and orderly,”", "the observers")
    assert suggest_claims("“No comment,” she said.") == []


# The second round (issue 14): wording, relays and references met in new wire stories,
# each rule checked here in other words than the stories'.
@pytest.mark.parametrize(
    "text, claimant",
    [
        ("The regulator welcomed the merger but said prices would be capped until 2028.", "the regulator"),
        ("Protesters put the number of marchers at about 20,000.", "protesters"),
        ("Rescue services estimated the damage at $40 million.", "Rescue services"),
        ("The plan was confirmed at a briefing by Mayor Ines Varga, who said work would start in May.", "Ines Varga"),
        ("The senator called the budget \"a disaster for farmers.\"", "the senator"),
        ("Minister of Culture Ida Lund said the museum would reopen in May.", "Ida Lund"),
        ("The chief engineer of the city's water utility Karl Berg said the pipes were 60 years old.", "Karl Berg"),
        ("Analysts at Halyk Bank said the tenge would weaken to 520 per dollar by June.",
         "analysts at Halyk Bank"),
        ("Election observers from the OSCE said the vote was “calm and well organised”.",
         "Election observers from the OSCE"),
        ("Neighbouring Vestria denied any role in the attack on the pipeline.", "Vestria"),
    ],
)
def test_wording_of_the_second_round(text: str, claimant: str) -> None:
    s = only(text)
    assert (s.quote, s.claimant, s.via) == (text, claimant, [])


@pytest.mark.parametrize(
    "text, quote, claimant, via",
    [
        ("Prices rose 4 percent in May, Berg said, the daily Vest Posten reported.",
         "Prices rose 4 percent in May", "Berg", ["Vest Posten"]),
        ("Anna Berg said in an interview with Interfax that exports fell 12 percent in May.", None,
         "Anna Berg", ["Interfax"]),
        ("A ministry official told local media that exports fell 12 percent in May.", None,
         "a ministry official", ["local media"]),
        ("Exports fell 12 percent in May, state media quoted Anna Berg as saying on Tuesday.",
         "Exports fell 12 percent in May", "Anna Berg", ["state media"]),
        ("According to the port authority, cited by Radio Harlow, exports fell 12 percent in May.",
         "exports fell 12 percent in May.", "the port authority", ["Radio Harlow"]),
        ("Exports fell 12 percent in May, Trade Minister Anna Berg said, Kazinform correspondent reports.",
         "Exports fell 12 percent in May", "Anna Berg", ["Kazinform"]),
        ("Exports fell 12 percent in May, said the head of the customs service, Anna Berg.",
         "Exports fell 12 percent in May", "Anna Berg", []),
        ("Anna Berg said exports would fall, according to a statement from her office cited by the Harlow Wire.",
         "Anna Berg said exports would fall", "Anna Berg", ["the Harlow Wire"]),
        ("Exports fell 12 percent in May, the ministry said on Monday, in a move that surprised traders.",
         "Exports fell 12 percent in May", "the ministry", []),
    ],
)
def test_relays_of_the_second_round(text: str, quote: str | None, claimant: str, via: list[str]) -> None:
    s = only(text)
    assert (s.quote, s.claimant, s.via) == (quote or text, claimant, via)


@pytest.mark.parametrize(
    "text, claimant",
    [
        ("The ferry operator NordLink carried 2 million passengers last year.\n"
         "Ticket sales rose 9 percent in May, the operator said.", "NordLink"),
        ("The fees were set by the harbour department in March.\n"
         "The department said the fees would rise 5 percent in June.", "the harbour department"),
        ("Neighbouring Vestria rejected the claim on Sunday.\n"
         "Its defence ministry said no troops had crossed the border on Monday.", "Vestria's defence ministry"),
        ("The Harlow Dock Union called the strike on Friday.\n"
         "The union's press office said 3,000 members had voted to stop work.",
         "the Harlow Dock Union's press office"),
        ("Anna Berg opened the forum in Harlen on Monday.\n"
         "According to him, exports fell 12 percent in May.".replace("him", "her"), "Anna Berg"),
        ("Karl Berg, who ran the port for ten years, spoke first. In a speech to the council, he called the "
         "closure \"a mistake that cost 300 jobs.\"", "Karl Berg"),
    ],
)
def test_references_of_the_second_round(text: str, claimant: str) -> None:
    last = suggest_claims(text, threshold=0.0)[-1]
    assert last.claimant == claimant


def test_it_was_reported_is_no_one() -> None:
    text = "Anna Berg said exports fell 12 percent in May.\nIt was reported that the port would close in June."
    assert suggest_claims(text, threshold=0.0)[-1].claimant is None
