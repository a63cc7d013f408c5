"""Attribution shapes the fifth round's unseen stories showed (PTI, IANS, Yonhap, Kyodo,
EFE, dpa, AP, Reuters, Bernama, MENAFN/Petra), each tested here in other words than the
stories' own. All texts are our own."""

from __future__ import annotations

import pytest

from factcheck.extraction import suggest_claims


def _by_claim(text: str) -> dict[str, tuple[str | None, list[str]]]:
    return {s.quote: (s.claimant, s.via) for s in suggest_claims(text)}


def _find(text: str, words: str) -> tuple[str | None, list[str]]:
    found = [(s.claimant, s.via) for s in suggest_claims(text) if words in s.quote]
    assert found, f"no suggestion holds {words!r}: {_by_claim(text)}"
    return found[0]


def test_an_office_of_several_words_before_the_name() -> None:
    text = ("Harlovian Minister of Trade and Industry Selim Varga said that exports rose 4 percent in May.\n"
            "The minister called on exporters to find new markets, warning that demand in Europe would fall "
            "by a tenth next year.\n"
            "Varga told reporters the ministry would open three trade offices in Asia by 2027.")
    assert _find(text, "exports rose 4 percent")[0] == "Selim Varga"
    assert _find(text, "demand in Europe")[0] == "Selim Varga"
    assert _find(text, "three trade offices")[0] == "Selim Varga"


def test_an_honorific_after_the_title_and_a_given_name_later() -> None:
    text = ("The state will cut the price of diesel by 10 sen a litre from June 1, said Finance Minister "
            "Datuk Amir Hassan.\n"
            "According to Amir, the subsidy will cost the treasury RM1.2 billion this year.")
    assert _find(text, "price of diesel")[0] == "Amir Hassan"
    assert _find(text, "RM1.2 billion")[0] == "Amir Hassan"


def test_a_compound_office_and_a_courtesy_title_before_the_name() -> None:
    text = ("Director-General of the Port Authority, Eng. Omar Saleh, said that cargo volumes rose "
            "by 12 percent in the first quarter.")
    assert _find(text, "cargo volumes")[0] == "Omar Saleh"


def test_company_data_is_the_company_named_before() -> None:
    text = ("The state mining company Harmet said on Monday it would sell a 20 percent stake in its copper unit.\n"
            "The unit produced 310,000 tonnes of copper last year, according to company data.")
    assert _find(text, "310,000 tonnes")[0] == "Harmet"


@pytest.mark.parametrize("opener", ["In a statement to Harlow Wire on Monday,", "In remarks to Harlow Wire,"])
def test_a_statement_to_an_outlet_relays(opener: str) -> None:
    text = f"{opener} Ines Varga said the port had lost 40 million euros during the strike."
    assert _find(text, "40 million euros") == ("Ines Varga", ["Harlow Wire"])


def test_an_assembly_is_an_audience_not_a_relay() -> None:
    text = ("Health Minister Ines Varga said 40 people had died of heatstroke since May.\n"
            "The toll was the highest in a single month since 2019, she told the Assembly.")
    assert _find(text, "highest in a single month") == ("Ines Varga", [])


@pytest.mark.parametrize(
    "sentence, speaker",
    [
        ("The Harlow Chamber of Commerce, for its part, warned that the strike could cost 4,000 jobs this year.",
         "Harlow Chamber of Commerce"),
        ("The head of the dockers' union, Tomas Lund, when contacted, said the port had lost 4,000 jobs this year.",
         "Tomas Lund"),
        ("The chairman of the port board, Tomas Lund, resigned on Monday and said the port had lost 4,000 jobs "
         "this year.", "Tomas Lund"),
        ("The operator, Harlow Rail Co., reported Tuesday the line would stay closed for at least 4 weeks.",
         "Harlow Rail Co"),
    ],
)
def test_asides_between_the_subject_and_its_verb(sentence: str, speaker: str) -> None:
    [s] = suggest_claims(sentence)
    assert s.claimant is not None and s.claimant.removeprefix("the ").removeprefix("The ") == speaker


def test_the_one_who_reports_relays_the_one_cited() -> None:
    text = ("The daily Harlow Post reported on Monday that the port would reopen on Friday after repairs, "
            "citing a senior official.")
    assert _find(text, "reopen on Friday") == ("a senior official", ["Harlow Post"])


def test_a_report_by_a_role_then_the_name() -> None:
    text = "The bridge's cost has risen to 4.6 billion euros, according to a report by the state auditor, Ines Varga."
    assert _find(text, "4.6 billion euros") == ("Ines Varga", [])


def test_the_writers_comparison_before_the_tag_stays_in_the_claim() -> None:
    [s] = suggest_claims("The bridge will open in late 2028, a year later than planned, the city council said on Monday.")
    assert (s.quote, s.claimant, s.via) == ("The bridge will open in late 2028, a year later than planned",
                                            "the city council", [])


def test_a_long_setting_after_a_quotations_tag() -> None:
    text = ("“Stocks will last at least four months. There is no need to hoard rice,” he told a press conference "
            "after chairing the National Food Council meeting in the capital today.")
    [s] = suggest_claims("Minister Ines Varga spoke on Monday.\n" + text)[-1:]
    assert s.quote == "Stocks will last at least four months. There is no need to hoard rice"


def test_a_charge_someone_denied_is_not_a_tag() -> None:
    [s] = suggest_claims("The talks collapsed in May after the coast guard seized two trawlers for fishing "
                         "illegally, a charge the ministry denied.")
    assert s.claimant is None


def test_he_after_a_quotation_is_the_titled_subject_before_it() -> None:
    text = ("Health Minister Ines Varga said on Monday that 40 people had died of heatstroke since May.\n"
            "Opposition leader Tomas Lund, however, accused the government of hiding deaths. “The real toll is "
            "three times higher. Hospitals are not recording heatstroke as the cause of death.” He wrote this "
            "on his X page.")
    assert _find(text, "three times higher")[0] == "Tomas Lund"
    assert _find(text, "accused the government")[0] == "Tomas Lund"


@pytest.mark.parametrize("rest", ["the network lost 38 percent of its water", "the network lost much of its water"])
def test_a_clause_after_said_is_no_inverted_tag(rest: str) -> None:
    [s] = suggest_claims(f"The head of the water agency, Ines Varga, said {rest}.")
    assert s.claimant == "Ines Varga" and s.quote.endswith(f"{rest}.")


@pytest.mark.parametrize(
    "tag, chain",
    [
        ("Berg was quoted as saying by the Harlow Post", ("Berg", ["the Harlow Post"])),
        ("Berg was cited as saying by Harlow Wire", ("Berg", ["Harlow Wire"])),
        ("according to Berg, who spoke to reporters on Monday", ("Berg", [])),
        ("Berg informed reporters", ("Berg", [])),
    ],
)
def test_more_trailing_tags_of_wire_copy(tag: str, chain: tuple[str, list[str]]) -> None:
    [s] = suggest_claims(f"Exports of grain rose 4 percent in May to 2.1 million tonnes, {tag}.")
    assert (s.quote, (s.claimant, s.via)) == ("Exports of grain rose 4 percent in May to 2.1 million tonnes", chain)
