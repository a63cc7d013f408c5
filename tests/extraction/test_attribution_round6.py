"""Sixth round: tags PolNeAR train and dev showed unread or misread, each in wording of our own
(invented people, places and bodies)."""

from __future__ import annotations

from factcheck.extraction.names import clean_source
from tests.support.suggested import claimant_by_quote
from tests.support.suggested import only_claimant as _claimant
from tests.support.suggested import suggested as _claims


def test_a_participle_of_speech_after_the_subjects_own_clause() -> None:
    assert _claimant("Mayor Ines Varga rejected the audit on Friday, saying its figures were ten years old.") == \
        "Ines Varga"
    assert _claimant("The harbour union is defending the strike, arguing that wages fell for six years.") == \
        "the harbour union"
    assert _claimant("Berit Sand, a nurse at the clinic, lashed out at the board, telling members that the ward "
                     "had lost half its beds.") == "Berit Sand"
    text = "Omar Haddad was short with reporters when asked about the cranes, saying, “They will be fixed.”"
    assert _claims(text) == [("They will be fixed.", "Omar Haddad", [])]


def test_a_participle_that_is_no_speech_gives_no_claimant() -> None:
    assert _claimant("Freight rose sharply in March, adding to pressure on the port.") is None
    assert _claimant("The report was released on Monday, saying the port had grown.") is None
    assert _claimant("Prices at the pump went up again, noting a trend no one could miss.") is None


def test_a_subject_that_owns_what_speaks() -> None:
    # The speaker is the family and the doctor, not the person they belong to.
    assert _claimant("The driver's family has called on the police to release the footage.") == \
        "the driver's family"
    assert _claimant("The senator's doctor is calling her “fit for the office.”") == "the senator's doctor"


def test_a_named_speaker_with_several_asides() -> None:
    assert _claimant("Jana Kolar, 59, of Riverside, who watched the parade from a bench, said the march brought "
                     "back memories of her father.") == "Jana Kolar"
    assert _claimant("Ivo Marek, president of the Dockers' Union, which represents 4,000 workers, said he hopes "
                     "the strike ends soon.") == "Ivo Marek"
    assert _claimant("Lind -- co-author of a book on the harbour's history -- said the cranes were never "
                     "replaced.") == "Lind"
    # An aside with a tag of its own is not read across.
    assert _claimant("Ivo Marek, who said on Monday that the port was safe, a claim others dispute, said the "
                     "cranes were new.") != "Ivo Marek, who said on Monday that the port was safe"


def test_a_bracket_after_the_opening_name() -> None:
    assert _claimant("Marek (who has 25 delegates so far) said he can still win the nomination.") == "Marek"
    assert _claimant("Rep. Ola Dahl (R-Utah), who chairs the panel, said the subpoenas were not optional.") == \
        "Ola Dahl"


def test_a_quotation_signed_with_a_dash() -> None:
    assert _claims("“We will not leave the port until the contract is signed.” ― Carla Mendes") == [
        ("We will not leave the port until the contract is signed.", "Carla Mendes", [])]
    assert _claimant("“The most expensive bridge ever built in the province.” — Tomas Ek") == "Tomas Ek"
    # A dash before words that are no name signs nothing.
    assert _claimant("“The bridge is late.” — and that is the least of it") is None


def test_a_line_opening_with_a_closing_mark() -> None:
    text = "”Fear. I am truly afraid that the mayor will win. His support is scary.” ― Edwin Salas"
    assert _claims(text) == [("Fear. I am truly afraid that the mayor will win. His support is scary.",
                              "Edwin Salas", [])]


def test_a_group_named_by_a_bare_plural_after_an_opener() -> None:
    assert _claimant("But critics say the money would be better spent on schools.") == "critics"
    assert _claimant("Still, tax experts say the plan would cost the city $3 billion.") == "tax experts"
    assert _claimant("But prices say little about the market.") is None


def test_a_study_reports_without_that() -> None:
    assert _claimant("A Harlow University poll released in late May found 61 percent of voters backed the "
                     "bridge.") == "a Harlow University poll"
    assert _claimant("The survey shows both candidates ahead of the mayor by five points.") == "the survey"
    assert _claimant("The Harlow Budget Office estimates that the toll would raise $40 million a year.") == \
        "the Harlow Budget Office"
    # A thing that shows something reports nothing.
    assert _claimant("The economy shows signs of slowing.") is None


def test_according_to_set_inside_the_claim() -> None:
    assert _claimant("Exports, according to the trade ministry, rose 4 percent in May.") == "the trade ministry"
    assert _claimant("The port receives, according to one estimate, $30 million a year from the state.") == \
        "one estimate"


def test_a_tag_inside_the_claim_with_a_time_after_its_verb() -> None:
    assert _claimant("The truth, the senator said then, was that the mayor had never read the audit.") == \
        "the senator"


def test_a_role_before_a_name_in_a_quotations_tag() -> None:
    assert _claimant("“The rules do not hold,” said 9/11 widow Terry Ostrom.") == "Terry Ostrom"
    assert _claimant("“Imagine the port without cranes,” mused radio co-host Ana Villar.") == "Ana Villar"


def test_a_source_loses_what_its_verb_phrase_left_in_it() -> None:
    assert _claimant("Lund went on to say the cranes would be replaced by June.") == "Lund"
    assert _claimant("One reader even noted that the paper had printed the wrong date.") == "one reader"
    assert _claimant("The Harbour Committee this week announced that fares would rise in June.") == \
        "the Harbour Committee"
    assert _claimant("The local press has always claimed itself to be “neutral.”") == "the local press"
    text = "“The port is at a turning point,” Lund in his speech said."
    assert _claims(text)[0][1] == "Lund"


def test_a_named_person_whose_sentence_quotes_their_words() -> None:
    text = ("Senator Ida Brandt spoke at the convention on Tuesday.\n"
            "Brandt exhorted delegates to “vote your conscience” in the second ballot.\n"
            "In recent weeks, Brandt has gone after the mayor as “a man who will sell the harbour.”\n"
            "Ola Marek likened the toll to “a tax on the poor.”")
    got = claimant_by_quote(text)
    assert got["Brandt exhorted delegates to “vote your conscience” in the second ballot."] == "Ida Brandt"
    assert got["In recent weeks, Brandt has gone after the mayor as “a man who will sell the harbour.”"] == \
        "Ida Brandt"
    assert got["Ola Marek likened the toll to “a tax on the poor.”"] == "Ola Marek"


def test_a_quotation_in_a_sentence_that_no_named_person_opens() -> None:
    # A capitalised opener that is no one, a single word the article never names in full,
    # a title in quotation marks of two words.
    text = ("Perhaps the bridge, known as the “Harbour Link of the North,” was late.\n"
            "Following an outcry, the bill, known as the “Harbour Safety Act of 2026,” was passed.\n"
            "Marek sang “Blue Harbour” to the crowd.")
    assert all(claimant is None for _, claimant, _ in _claims(text))


def test_a_pronoun_tag_later_in_a_sentence_its_subject_opens() -> None:
    text = ("Mayor Ines Varga and Governor Ola Marek spoke in Harlow on Monday.\n"
            "Marek said the bridge would open in June.\n"
            "At the forum, Varga called the toll a mistake, but she noted that the bridge was paid for.\n"
            "Varga is promising lower fares, but she has also warned that the ferry will close.")
    got = claimant_by_quote(text)
    assert got["At the forum, Varga called the toll a mistake, but she noted that the bridge was paid for."] == \
        "Ines Varga"
    assert got["Varga is promising lower fares, but she has also warned that the ferry will close."] == "Ines Varga"
    # A quotation's first word opens no sentence of the writer's: "he" is still the last speaker.
    text = ("Sell Coal, a slogan, was painted on the wall. Tom Clarke spoke next.\n"
            "“Coal isn't the villain,” he said.")
    assert _claims(text)[-1][1] == "Tom Clarke"


def test_a_verdict_participle_and_a_progressive_verb_of_speech() -> None:
    assert _claimant("The mayor unleashed a harsh attack on her rival last night, comparing him to a con man.") == \
        "the mayor"
    assert _claimant("Local broadcaster KHT 7 is reporting that two ferries ran aground on Friday night.") == "KHT 7"
    assert _claimant("Critics of the toll have been arguing that the bridge is too expensive.") == \
        "critics of the toll"
    # A thing does not compare or call.
    assert _claimant("The storm hit the coast on Monday, calling into question the new sea wall.") is None
    assert _claimant("The ferry is reporting delays of an hour.") is None


def test_what_the_speaker_adds_after_a_trailing_tag() -> None:
    text = "The ferries will run again on Monday, the mayor said, adding that the bridge would take two more years."
    assert _claims(text) == [("The ferries will run again on Monday", "the mayor", []),
                             ("the bridge would take two more years.", "the mayor", [])]
    # A short aside after the tag is no claim of its own.
    assert len(_claims("The ferries will run again on Monday, the mayor said, adding that too.")) == 1
    # After a quotation's tag too.
    assert _claims("“We are not done,” Lund said, adding that the port would appeal the ruling in June.") == [
        ("We are not done", "Lund", []), ("the port would appeal the ruling in June.", "Lund", [])]


def test_a_speech_verb_in_a_title_case_headline() -> None:
    assert _claimant("Varga Says New Bridge Will Open in June") == "Varga"
    assert _claims("Bridge Tolls Could Fund Schools, Mayor Ines Varga Says")[0][1] == "Ines Varga"
    # Title case without a speech verb still attributes nothing; "Says" in prose is no verb.
    assert _claimant("Ferry Operator Adds Night Crossings") is None
    assert _claimant("The ferry, known locally as Simon Says, sails at noon.") is None


def test_a_body_known_by_dotted_initials_and_a_role_without_an_article() -> None:
    assert _claimant("The S.E.C. said it would increase oversight of the harbour fund.") == "the S.E.C."
    assert _claimant("The harbour fund is short of cash, says Ana Villar, founder and chief of the Harbour "
                     "Watch group.") == "Ana Villar"
    assert _claimant("The harbour fund is short of cash, said Ana Villar, professor of law at Harlow "
                     "University.") == "Ana Villar"


def test_a_long_who_clause_after_a_titled_name() -> None:
    assert _claimant("Dr. Ana Ruiz, who as a navy captain was the physician of the fleet under former Governor "
                     "Ola Marek and later retired from the service as a rear admiral, said that in 1998 the fleet "
                     "had no doctors.") == "Ana Ruiz"


def test_when_a_study_came_out_and_the_writers_words_before_a_dash_are_not_the_source() -> None:
    assert _claimant("A Harlow University poll released in late August found that 74 percent of voters backed "
                     "the bridge.") == "a Harlow University poll"
    # A reader's span that ran over a dash into the writer's words keeps the name after it.
    assert clean_source("the debate over the port is also predictable - Ines Varga") == "Ines Varga"
    assert clean_source("the port - and the bridge") == "the port - and the bridge"
