"""Twelfth round, subjects the stance reader could not read (issue #14): a sentence that opens
with its Source in a shape the opening pattern stops short of ("Senator X of Y, a …, advocates
…", "A number of … delegates have petitioned …", "X and Y both campaigned …", "Orvik, 41, noted
…") was weighed as no one, because a word such as "of" or "and" was read as its verb. The stance
reader (``extraction/stance.py``) can read the longer subject when the opening pattern gives no
candidate (``stance.LONG_SUBJECTS``, off as shipped: refitted with it, two invented sentences of the
older tests fell below the threshold). Which subjects stand behind a sentence is learnt, so these
tests hold what is read, and, with a small model of our own, that it reaches the claimant; not the
shipped weights."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from factcheck.extraction import stance
from factcheck.extraction.stance import Model, Rates, candidates, features
from tests.support.suggested import only_claimant


@pytest.fixture
def long_subjects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stance, "LONG_SUBJECTS", True)


def _subjects(text: str) -> list[str]:
    return [text[a:b] for _, (a, b) in candidates(text, {}, Rates())]


@pytest.mark.usefixtures("long_subjects")
@pytest.mark.parametrize("text, subject", [
    ("Senator Ilse Varga of Ostrava, a Liberal on the budget committee, advocates a carbon levy modelled on Sweden's.",
     "Senator Ilse Varga of Ostrava"),
    ("A number of Coastal Party delegates have petitioned for a recount in the northern districts.",
     "A number of Coastal Party delegates"),
    ("The 4th District Court of Appeals on Tuesday overturned the ruling on the harbour lease.",
     "The 4th District Court of Appeals"),
    ("Mara Lindqvist and Tomas Berg both campaigned hard in Ostrava, hoping to win over the farm vote.",
     "Mara Lindqvist and Tomas Berg"),
    ("Orvik, 41, noted the ministry returned the permits to him in May.", "Orvik"),
    ("The latest Norvik/Halden poll showed Varga leading the field with 31 percent.",
     "The latest Norvik/Halden poll"),
    ("Hanna Sorel of Kestrel Radio then describes what happens in the recording.", "Hanna Sorel of Kestrel Radio"),
    # A place after the name, with its region between commas, is no apposition naming someone else.
    ("Lena Quist of Burke County, Ostland, knows the senator better than most.", "Lena Quist of Burke County"),
    ("Jonas Holm, the former harbour master, and Senator Ada Lund of Ostland would let the port borrow.",
     "Jonas Holm, the former harbour master, and Senator Ada Lund of Ostland"),
])
def test_a_longer_subject_that_opens_the_sentence_is_weighed(text: str, subject: str) -> None:
    found = candidates(text, {}, Rates())
    assert [text[a:b] for _, (a, b) in found] == [subject]
    assert "long=True" in found[0][0]


def test_switched_off_the_longer_subjects_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stance, "LONG_SUBJECTS", False)
    assert "Orvik" not in _subjects("Orvik, 41, noted the ministry returned the permits to him in May.")
    assert _subjects("A number of Coastal Party delegates have petitioned for a recount.") == []


@pytest.mark.usefixtures("long_subjects")
def test_what_the_opening_pattern_reads_is_weighed_as_before() -> None:
    # The neighbours: a subject the opening pattern takes keeps its one candidate and its
    # features; the longer reading is not tried.
    for text in ("Many economists suspect the figures from the port were revised.",
                 "Senator Ilse Varga criticised the levy on Monday.",
                 "In a statement Friday, the Ostland Growers' Union criticised the levy."):
        found = candidates(text, {}, Rates())
        assert len(found) == 1 and found[0] == features(text, {}, Rates())
        assert "long=True" not in found[0][0]


@pytest.mark.usefixtures("long_subjects")
def test_no_subject_is_made_up() -> None:
    # Lower-case openings, a preposition and a deed are still no one.
    assert _subjects("more than half of them agreed with the plan.") == []
    assert _subjects("A number of Coastal Party delegates signed the petition.") == []  # a deed
    assert _subjects("Of the 40 delegates, most stayed home.") == []


@pytest.fixture
def believes_long_subjects() -> Iterator[None]:
    """A model of our own: a longer subject stands behind the sentence, nothing else does."""
    loaded = stance._model
    model = Model({"bias": -5.0, "long=True": 10.0}, 0.8, Rates())
    stance._model = lambda: model  # type: ignore[assignment]
    try:
        yield
    finally:
        stance._model = loaded


@pytest.mark.usefixtures("long_subjects", "believes_long_subjects")
def test_the_longer_subject_is_the_claimant() -> None:
    assert only_claimant("Senator Ilse Varga of Ostrava, a Liberal on the budget committee, advocates a carbon "
                         "levy modelled on Sweden's.") == "Ilse Varga"
    assert only_claimant("Orvik, 41, noted the ministry returned the permits to him in May.") == "Orvik"


@pytest.mark.usefixtures("long_subjects", "believes_long_subjects")
def test_below_the_threshold_no_claimant() -> None:
    # The neighbour: the opening pattern's own subject scores the bias alone.
    assert only_claimant("Senator Ilse Varga advocates a carbon levy modelled on Sweden's.") is None


@pytest.mark.usefixtures("long_subjects")
def test_a_clause_opener_is_no_subject() -> None:
    # "If …" opens a condition, not a subject: nothing is read from it, not even the names in it.
    assert _subjects("If Mara Lindqvist or Tomas Berg comes out on top, voters will notice.") == []
    assert _subjects("Although Ostra Bank and Forvik Capital both expected a cut, rates held.") == []
