"""Thirteenth round, issue #14: three more shapes for the stance reader (``extraction/stance.py``),
in sentences of our own (invented people, places and bodies).

- A longer subject's features kept apart from the opening pattern's (``stance.LONG_APART``), so that
  its many negatives do not lean on plain "X verb …" sentences.
- A lower-case subject after a fronted clause (``stance.FRONTED_LOWER``): "Arriving upon the scene,
  police began …", "So far, no group has claimed …".
- A deed whose object is words (``stance.DEED_SPEECH``): "X took aim at …", "X released a statement …".

Which subjects stand behind a sentence is learnt, so these tests hold what is read and, with a small
model of our own, that it reaches the claimant; the shipped weights are held to the switches they were
fitted with."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from factcheck.extraction import stance
from factcheck.extraction.stance import Model, Rates, candidates
from tests.support.suggested import only_claimant


def _read(text: str) -> list[tuple[str, list[str]]]:
    return [(text[a:b], feats) for feats, (a, b) in candidates(text, {}, Rates())]


def _subjects(text: str) -> list[str]:
    return [subject for subject, _ in _read(text)]


@pytest.fixture
def fronted_lower(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stance, "FRONTED_LOWER", True)


@pytest.fixture
def deed_speech(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stance, "DEED_SPEECH", True)


@pytest.mark.usefixtures("fronted_lower")
@pytest.mark.parametrize("text, subject", [
    ("Arriving upon the quay, harbour police began questioning the crew of the Kestrel.", "harbour police"),
    ("So far, no shipping firm has claimed the cargo left on the northern quay.", "no shipping firm"),
    ("In a letter to the council on Monday, local fishermen warned the dredging would ruin the bay.",
     "local fishermen"),
    ("After the storm, most farmers also doubted the dam would hold.", "most farmers"),
    ("Three days after the vote, two councillors quietly admitted the count was wrong.", "two councillors"),
])
def test_a_lower_case_subject_after_a_fronted_clause_is_weighed(text: str, subject: str) -> None:
    found = _read(text)
    assert [s for s, _ in found] == [subject]
    assert "front=lower" in found[0][1] and "fronted=True" in found[0][1]


@pytest.mark.usefixtures("fronted_lower")
def test_what_the_opening_pattern_reads_after_a_fronted_clause_is_weighed_as_before(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stance, "LONG_SUBJECTS", False)  # which reads "Critics of the plan" below
    # A name or a described subject after the fronted clause is the opening pattern's, with its
    # features as before; a pronoun, a clause of "who", a present tense and a capitalised subject
    # are not read as lower-case subjects.
    text = "In a statement Friday, the Ostland Growers' Union criticised the levy."
    found = _read(text)
    assert [s for s, _ in found] == ["the Ostland Growers' Union"] and "front=lower" not in found[0][1]
    assert _subjects("After the vote, he admitted the plan was dead.") == []
    assert _subjects("Critics of the plan, who met on Monday, fear the worst.") == []
    assert _subjects("After the storm, farmers fear the dam will not hold.") == []
    assert "front=lower" not in _read("After the storm, Mayor Ines Varga doubted the dam would hold.")[0][1]


def test_switched_off_lower_case_subjects_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stance, "FRONTED_LOWER", False)
    assert "harbour police" not in _subjects("Arriving upon the quay, harbour police began questioning the crew.")
    assert "no shipping firm" not in _subjects("So far, no shipping firm has claimed the cargo.")


@pytest.mark.usefixtures("deed_speech")
@pytest.mark.parametrize("text, subject", [
    ("Senator Ada Lund took aim at the harbour levy on Monday, calling it a tax on fishermen.", "Senator Ada Lund"),
    ("Mayor Ines Varga released a statement praising the crew of the Kestrel.", "Mayor Ines Varga"),
    ("The Ostland Growers' Union put out a short statement backing the levy.", "The Ostland Growers' Union"),
    ("Tomas Berg made the case that the quay should stay open all winter.", "Tomas Berg"),
    ("Lena Quist took issue with the council's figures on the dredging.", "Lena Quist"),
])
def test_a_deed_whose_object_is_words_is_weighed(text: str, subject: str) -> None:
    found = _read(text)
    assert [s for s, _ in found] == [subject]
    assert "deed=speech" in found[0][1]


@pytest.mark.usefixtures("deed_speech")
def test_other_deeds_stay_out() -> None:
    for text in ("Senator Ada Lund released the prisoners held on the Kestrel.",
                 "The council took the money and built a second quay.",
                 "Mayor Ines Varga made a trip to the northern quay.",
                 "Tomas Berg signed the statement on the quay.",  # signing is not saying
                 "Lena Quist won the argument in the end."):
        assert _subjects(text) == [], text


def test_switched_off_deeds_stay_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stance, "DEED_SPEECH", False)
    assert _subjects("Senator Ada Lund took aim at the harbour levy on Monday.") == []


@pytest.mark.parametrize("apart, prefixed", [("", set()), ("kind", {"k=", "k|l="}), ("all", {"bias", "v=", "k="})])
def test_a_longer_subjects_features_are_kept_apart(monkeypatch: pytest.MonkeyPatch, apart: str,
                                                    prefixed: set[str]) -> None:
    monkeypatch.setattr(stance, "LONG_SUBJECTS", True)
    monkeypatch.setattr(stance, "LONG_APART", apart)
    (feats, _), = candidates("A number of Coastal Party delegates have petitioned for a recount.", {}, Rates())
    assert "long=True" in feats
    for prefix in prefixed:
        assert any(f.startswith("long|" + prefix) for f in feats)
        assert not any(f.startswith(prefix) for f in feats)
    if not apart:
        assert not any(f.startswith("long|") for f in feats)
    # The opening pattern's own subject keeps the shared features.
    (plain, _), = candidates("Many economists suspect the figures from the port were revised.", {}, Rates())
    assert not any(f.startswith("long|") for f in plain)


def test_the_shipped_weights_were_fitted_as_the_reader_reads() -> None:
    saved = json.loads(stance.WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert bool(saved.get("long_subjects", False)) == stance.LONG_SUBJECTS
    assert saved.get("long_apart", "") == stance.LONG_APART
    assert bool(saved.get("fronted_lower", False)) == stance.FRONTED_LOWER
    assert bool(saved.get("deed_speech", False)) == stance.DEED_SPEECH


@pytest.fixture
def believes_new_shapes() -> Iterator[None]:
    """A model of our own: a lower-case subject after a fronted clause, or a deed with words as its
    object, stands behind the sentence; nothing else does."""
    loaded = stance._model
    model = Model({"bias": -5.0, "front=lower": 10.0, "deed=speech": 10.0}, 0.8, Rates())
    stance._model = lambda: model  # type: ignore[assignment]
    try:
        yield
    finally:
        stance._model = loaded


@pytest.mark.usefixtures("fronted_lower", "deed_speech", "believes_new_shapes")
def test_the_new_shapes_give_the_claimant() -> None:
    assert only_claimant("Senator Ada Lund took aim at the harbour levy on Monday.") == "Ada Lund"
    assert only_claimant("Arriving upon the quay, harbour police began questioning the crew.") == "harbour police"


@pytest.mark.usefixtures("fronted_lower", "deed_speech", "believes_new_shapes")
def test_below_the_threshold_no_claimant() -> None:
    # The neighbour: the opening pattern's own subject scores the bias alone.
    assert only_claimant("Senator Ada Lund criticised the harbour levy on Monday.") is None


@pytest.mark.parametrize("long_threshold, claimant", [(None, None), (0.6, "Ilse Varga"), (0.99, None)])
def test_a_longer_subject_has_a_threshold_of_its_own(monkeypatch: pytest.MonkeyPatch, long_threshold: float | None,
                                                      claimant: str | None) -> None:
    # The longer subject scores 0.73 and the plain one 0.73 too: the threshold (0.8) turns both
    # down; a threshold of its own below that score reads the longer one, and only it.
    monkeypatch.setattr(stance, "LONG_SUBJECTS", True)
    monkeypatch.setattr(stance, "LONG_APART", "")  # the bias is shared
    model = Model({"bias": 1.0}, 0.8, Rates(), long_threshold=long_threshold)
    monkeypatch.setattr(stance, "_model", lambda: model)
    assert only_claimant("Senator Ilse Varga of Ostrava, a Liberal on the budget committee, advocates a carbon "
                         "levy modelled on Sweden's.") == claimant
    assert only_claimant("Senator Ilse Varga advocates a carbon levy modelled on Sweden's.") is None


def test_as_shipped_a_longer_subject_is_read_apart() -> None:
    # The shipped switches: "Critics of the plan" (the opening pattern reads "of" as the verb and
    # gives nothing) is weighed as a longer subject, with its own features.
    (feats, (a, b)), = candidates("Critics of the plan fear the worst.", {}, Rates())
    assert "Critics of the plan fear the worst."[a:b] == "Critics of the plan"
    assert stance.LONG_APART == "all" and "long=True" in feats and "long|bias" in feats and "bias" not in feats
