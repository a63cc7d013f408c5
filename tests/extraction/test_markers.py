"""Wire-copy furniture and markers: datelines, end markers, bylines, keyword lines, photo
captions, navigation; single curly quotes, capitals, carriage returns, other languages.
All texts are our own."""

from __future__ import annotations

import pytest

from factcheck.extraction import find_furniture, suggest_claims
from factcheck.extraction.language import detect_language, is_english

STORY = "The Harlow port will reopen on Friday after repairs, the port authority said on Monday."
CLAIM = "The Harlow port will reopen on Friday after repairs"


@pytest.mark.parametrize(
    "dateline",
    [
        "LONDON, June 3 (Reuters) - ",  # Reuters
        "NEW YORK (AP) — ",  # AP
        "ST. ALBRY, Fla. (AP) — ",  # AP with a state
        "Paris (AFP) - ",  # AFP
        "KARVEN, Aug. 2 (UPI) -- ",  # UPI
        "OSLOVIK, Norvia — ",  # city and country
        "MOSCOW, March 3. /TASS/. ",  # TASS
        "MOSCOW. March 3 (Interfax) - ",  # Interfax
        "BEIJING, March 3 (Xinhua) -- ",  # Xinhua
        "ANKARA (AA) - ",  # Anadolu
        "KUWAIT, March 3 (KUNA) -- ",  # KUNA
        "ASTANA. KAZINFORM - ",  # Kazinform
        "ALMATY, March 3 (Orda) - ",  # Orda.kz
        "(MENAFN- Harlow Wire) ",  # MENAFN
        "(MENAFN- Trend) BAKU, Azerbaijan, March 3. ",  # Trend through MENAFN
        "May 3 (UPI) -- ",  # UPI without a city
        "OSLOVIK — ",  # a city alone
        "HARLOW. May 3 (Interfax-Ukraine) - ",  # an agency with a hyphen
        "Velmora, Mar 3 (EFE).- ",  # EFE, full stop and dash unspaced
        "Velmora (EFE).- ",  # EFE without a date
        "Velmora (dpa) - ",  # dpa, in lower case
        "OSLOVIK (Kyodo) -- ",  # Kyodo
        "OSLOVIK, March 3 (Yonhap) -- ",  # Yonhap
        "NEW HARLOW, March 3 (Bernama) -- ",  # Bernama
        "Velmora, May 14 (IANS) ",  # IANS, no dash
        "Velmora/Oslovik (dpa) - ",  # dpa, two cities
        "New Velmora [Norvia], March 3 (ANI): ",  # ANI, the country in square brackets
        "OSLOVIK, March 3, 2026, SPA -- ",  # SPA, the agency after a comma
    ],
)
def test_datelines_are_set_aside_and_left_out_of_the_claim(dateline: str) -> None:
    text = "Port to reopen\n" + dateline + STORY + "\nShips queued outside the harbour for a week, pilots said.\n"
    furniture = [f for f in find_furniture(text) if f.reason == "dateline"]
    assert [f.text for f in furniture] == [dateline.rstrip()]
    found = suggest_claims(text)
    claim = next(s for s in found if "reopen on Friday" in s.quote)
    assert (claim.quote, claim.claimant) == (CLAIM, "the port authority")
    assert not any(dateline.strip()[:5] in s.quote for s in found)


@pytest.mark.parametrize(
    "line",
    [
        "NATO - the alliance said it would meet.",
        "THE MINISTRY SAID - EXPORTS ROSE IN MAY.",
        "Exports rose in May, the ministry said.",
        "By the end of June the ministry expects exports to rise 4 percent.",
        "Updated figures showed exports rose 4 percent in May.",
        "Published in 2019, the report found exports rose 4 percent.",
        "AP reporters saw ships queued outside the harbour for a week.",
        "Editors of the daily said exports rose 4 percent in May.",
        "With inputs from the port authority, the ministry said exports rose 4 percent in May.",
        "March 3, 2026 was the day the port reopened after repairs.",
        "Exports rose 4 percent in May, the minister told Reuters.",
    ],
)
def test_sentences_that_only_look_like_datelines_stay(line: str) -> None:
    assert find_furniture("Headline\n" + line + "\n") == []


@pytest.mark.parametrize(
    "line, reason",
    [
        ("Skip to content", "navigation"),
        ("Skip to main content", "navigation"),
        ("By Ines Varga", "byline"),
        ("By Ines Varga and Tomas Lund, Harlow Wire", "byline"),
        ("(Reporting by Ines Varga; Editing by Tomas Lund)", "byline"),
        ("(end)", "end marker"),
        ("/ENDS", "end marker"),
        ("-- END --", "end marker"),
        ("Keywords: ports, shipping, Harlow", "keywords"),
        ("Tags: economy; trade; Norvia", "keywords"),
        ("#ports #shipping #harlow", "keywords"),
        ("Workers repair the quay wall at the Harlow port on Monday, March 3, after storms damaged two berths and "
         "closed the harbour to ships for a week. REUTERS/Ines Varga", "photo caption"),
        ("A pilot boat guides a tanker into the harbour at dawn while cranes stand idle on the closed northern "
         "quay. (AP Photo/Tomas Lund)", "photo caption"),
        ("Ferries wait at the terminal in Oslovik as the strike enters its second day and passengers look for "
         "other ways to cross. Photo: Harlow Wire", "photo caption"),
        ("Enditem", "end marker"),  # Xinhua
        ("(end) gta.ml", "end marker"),  # KUNA, with the desk's initials
        ("dk/jm/ab", "end marker"),  # AFP's sign-off
        ("Orda.kz", "source line"),
        ("MENAFN03052026000187011011ID1109876543", "source line"),
        ("Follow us on X @HarlowWire", "share prompt"),
        ("Ines Varga   |03.05.2026 - Update : 03.05.2026", "byline"),  # Anadolu
        ("Harlow Wire reporter Tomas Lund in Oslovik contributed to this report.", "byline"),
        ("(MENAFN- Harlow Wire) By Ines Varga", "byline"),
        ("Updated 9:05 AM GMT, June 4, 2026", "byline"),  # AP's time stamp
        ("Published on May 3, 2026 10:04 AM", "byline"),
        ("By Ines Varga, dpa", "byline"),
        ("tlund@harlowwire.com", "byline"),  # Yonhap's address line
        ("--IANS", "end marker"),
        ("-- BERNAMA", "end marker"),
        ("==Kyodo", "end marker"),
        ("EFE", "end marker"),
        ("PTI IV TL", "end marker"),  # PTI's sign-off with the desk's initials
        ("dpa iv xx tl", "end marker"),
        ("(video)(photo)", "end marker"),  # EFE's note of what goes with the story
        ("Tags / Keywords: ports, shipping, Harlow", "keywords"),
        ("Keywords", "keywords"),  # Yonhap's heading over its tags
        ("#Harlow #Oslovik #port strike", "keywords"),
        ("Pilots guide a tanker into the Harlow harbour at dawn on March 3, 2026, a day after the strike ended. "
         "(Kyodo)", "photo caption"),  # a caption ending in the agency alone
        ("Our Standards: The Thomson Reuters Trust Principles.", "copyright notice"),
        ("Editor: Zhang Hao", "byline"),  # Xinhua
        ("Editor: Liu Jia/Xinhua", "byline"),
        ("(With inputs from agencies)", "byline"),  # PTI, IANS
        ("Ines Varga, Reuters", "byline"),
        ("March 3, 2026 at 10:04 AM", "byline"),  # a time stamp without a word
        ("Mar 3, 2026, 10:04 AM ET", "byline"),
        ("(Xinhua)", "end marker"),
        ("/TASS/", "end marker"),
        ("— AFP", "end marker"),
        ("EFE/Juan Pérez", "image credit"),
        ("[Photo: Yonhap]", "image credit"),
        ("#Harlow", "keywords"),
        ("Pilots guide a tanker into the Harlow harbour at dawn on March 3, 2026, a day after the strike ended. "
         "EFE/Juan Pérez", "photo caption"),
        ("Pilots guide a tanker into the Harlow harbour at dawn on March 3, 2026, a day after the strike ended. "
         "Yonhap", "photo caption"),
        ("Pilots guide a tanker into the Harlow harbour at dawn on March 3, 2026, a day after the strike ended. "
         "[Yonhap photo]", "photo caption"),
        ("(This story has not been edited by our staff and is auto-generated from a syndicated feed.)",
         "copyright notice"),
        ("Anadolu Agency website contains only a portion of the news stories offered to subscribers in the AA "
         "News Broadcasting System (HAS), and in summarized form.", "copyright notice"),
    ],
)
def test_marker_lines(line: str, reason: str) -> None:
    text = f"{STORY}\n{line}\nShips queued outside the harbour for a week, pilots said."
    found = find_furniture(text)
    assert [(f.text, f.reason) for f in found] == [(line, reason)]
    assert not any(line[:20] in s.quote for s in suggest_claims(text))


@pytest.mark.parametrize("marker", ["(end)", "/ENDS", "(ENDS)", "###"])
def test_end_marker_after_the_last_sentence(marker: str) -> None:
    text = f"{STORY} {marker}\n"
    assert [(f.text, f.reason) for f in find_furniture(text)] == [(marker, "end marker")]
    assert [s.quote for s in suggest_claims(text)] == [CLAIM]


def test_single_curly_quotes() -> None:
    text = "‘We can’t keep the Harlow bridge open past May,’ Mayor Ines Varga said on Monday."
    [s] = suggest_claims(text)
    assert (s.quote, s.claimant, s.kind) == ("We can’t keep the Harlow bridge open past May", "Ines Varga", "quote")


def test_a_single_mark_before_a_number_is_an_elision() -> None:
    text = "“The turnout in ‘08 was the highest the county ever saw,” the county clerk said on Monday."
    [s] = suggest_claims(text)
    assert (s.quote, s.claimant) == ("The turnout in ‘08 was the highest the county ever saw", "the county clerk")


def test_text_in_capitals() -> None:
    text = ("THE PORT AUTHORITY SAID ON MONDAY THAT THE HARLOW PORT WILL REOPEN ON FRIDAY.\n"
            "SHIP TRAFFIC FELL 40 PERCENT DURING THE CLOSURE, INES VARGA, A SPOKESWOMAN, TOLD REUTERS.\n")
    found = suggest_claims(text)
    # Which capitals a body's name had is lost in capitals; names of people come back.
    assert [(s.claimant.lower(), s.via) for s in found if s.claimant] == [
        ("the port authority", []), ("ines varga", ["Reuters"])]
    assert found[1].claimant == "Ines Varga"
    assert found[1].quote == "SHIP TRAFFIC FELL 40 PERCENT DURING THE CLOSURE"  # quoted as written


def test_carriage_returns_alone_end_lines() -> None:
    text = "Port to reopen\r" + STORY + "\rPhoto: Harlow Wire\rShip traffic fell 40 percent during the closure, pilots said."
    assert [(f.text, f.reason) for f in find_furniture(text)] == [("Photo: Harlow Wire", "image credit")]
    found = suggest_claims(text)
    assert [(s.quote, s.claimant) for s in found] == [
        (CLAIM, "the port authority"), ("Ship traffic fell 40 percent during the closure", "pilots")]


@pytest.mark.parametrize(
    "text, language",
    [
        (STORY + " Ships queued outside the harbour for a week, pilots said.", "en"),
        ("Der Hafen von Harlow wird nach den Reparaturen am Freitag wieder geöffnet, teilte die Behörde mit.", "de"),
        ("Le port de Harlow rouvrira vendredi après les réparations, a indiqué l'autorité portuaire lundi.", "fr"),
        ("El puerto de Harlow reabrirá el viernes tras las reparaciones, dijo el lunes la autoridad portuaria.", "es"),
        ("Порт Харлоу вновь откроется в пятницу после ремонта, сообщили в понедельник в администрации порта.", "ru"),
        ("Harlow", "und"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language
    assert is_english(text) is (language in ("en", "und"))
