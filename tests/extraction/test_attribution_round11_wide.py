"""Eleventh round, PolNeAR's wide attributions (issue #14): a stance verb with a noun object whose
subject does not open the sentence ("…, while Ostra Bank lists them …", "In May, the agency
proposed …", "But critics fear …") or was read as the verb ("Coastal farmers oppose …"). The stance
reader (``extraction/stance.py``) now weighs a subject at each of these places; which it believes
is learnt, so these tests hold what the places are, and that a model picks the likeliest of them,
with a small model of our own, not the shipped weights."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from factcheck.extraction import stance
from factcheck.extraction.stance import NARROW, WIDE, Model, Rates, Wide, candidates, features
from tests.support.suggested import only_claimant
from tools.attribution_errors import report
from tools.evaluate_attribution import Relation


def _subjects(text: str) -> dict[str, set[str]]:
    """Each candidate subject, with the places ("at=…") it was found at."""
    found: dict[str, set[str]] = {}
    for feats, (a, b) in candidates(text, {}, Rates(), WIDE):
        found.setdefault(text[a:b], set()).update(f for f in feats if f.startswith("at="))
    return found


def test_the_subject_of_a_second_clause_after_while_is_weighed() -> None:
    text = "Forvik Capital lists the brothers at $40 billion each, while Ostra Bank lists them at $55 billion."
    subjects = _subjects(text)
    assert subjects["Forvik Capital"] == {"at=open"}
    assert "at=clause=while" in subjects["Ostra Bank"]


def test_the_subject_after_a_fronted_phrase_or_an_opening_conjunction_is_weighed() -> None:
    assert "Donald Lund" in _subjects("After bragging for a year about his thrift, Donald Lund is spending freely.")
    assert "at=opener" in _subjects("But many critics fear the levy will hurt the valley's farmers.")["many critics"]


def test_leading_space_does_not_hide_the_subject() -> None:
    # Sentences of Breitbart and New York Times copy often keep the space before them.
    assert _subjects(" The chancellery also rejected a push by the environment minister.") == {
        "The chancellery": {"at=open"}}


def test_a_plural_noun_read_as_the_verb_is_weighed_both_ways() -> None:
    subjects = _subjects("Coastal farmers typically oppose taxing diesel on fairness grounds.")
    assert "Coastal farmers" in subjects and "Coastal" in subjects
    # Not when what follows is an object: "Ostra Bank lists them" keeps "lists" as its verb.
    assert "Ostra Bank lists" not in _subjects("Ostra Bank lists them at $55 billion.")


def test_a_sentence_without_clauses_keeps_its_one_candidate_and_deeds_stay_out() -> None:
    # The neighbours: one clause, one candidate, the one ``features`` gives.
    text = "Many economists suspect the figures from the port were revised."
    assert _subjects(text) == {"Many economists": {"at=open"}}
    assert [f for f in candidates(text, {}, Rates(), WIDE)[0][0] if not f.startswith(("at=", "at|", "k|at=", "ext="))] \
        == features(text, {}, Rates())[0]
    # A deed after a clause boundary is no candidate either: "In May, the court blocked …".
    assert all("v=blocked" not in f for f, _ in candidates("In May, the court blocked the sale.", {}, Rates(), WIDE))
    # Past the fourth boundary nothing more is tried (each costs a regular expression).
    listed = "Ada, Bo, Cy, Di, Ed, and the council wants a vote."
    assert "the council" not in _subjects(listed)


def test_narrow_is_the_default_and_weighs_the_opening_only() -> None:
    # As shipped: only the subject that opens the sentence, with the features it always had.
    text = "Forvik Capital lists the brothers at $40 billion each, while Ostra Bank lists them at $55 billion."
    found = candidates(text, {}, Rates())
    assert found == candidates(text, {}, Rates(), NARROW)
    assert [text[a:b] for _, (a, b) in found] == ["Forvik Capital"]
    assert found[0] == features(text, {}, Rates())
    assert not any(f.startswith(("at=", "ext=")) for f in found[0][0])


def test_the_weights_file_says_how_wide_the_reader_was_fitted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = {"threshold": 0.8, "weights": {"bias": 1.0}, "cue": {}, "source": {}}
    for extra, wide in (({}, NARROW), ({"places": ["clause", "opener"], "extend": True}, WIDE)):
        path = tmp_path / "stance_weights.json"
        path.write_text(json.dumps(saved | extra), encoding="utf-8")
        monkeypatch.setattr(stance, "WEIGHTS_PATH", path)
        stance._model.cache_clear()
        try:
            model = stance._model()
            assert model is not None and model.wide == wide
        finally:
            stance._model.cache_clear()


@pytest.fixture
def believes_second_clauses() -> Iterator[None]:
    """A model of our own: a subject after ", while" stands behind the sentence, nothing else does."""
    loaded = stance._model
    model = Model({"bias": -5.0, "at=clause=while": 10.0}, 0.8, Rates(), WIDE)
    stance._model = lambda: model  # type: ignore[assignment]
    try:
        yield
    finally:
        stance._model = loaded


@pytest.mark.usefixtures("believes_second_clauses")
def test_the_likeliest_subject_of_the_sentence_is_its_claimant() -> None:
    text = "Forvik Capital lists the brothers at $40 billion each, while Ostra Bank lists them at $55 billion."
    assert only_claimant(text) == "Ostra Bank"


@pytest.mark.usefixtures("believes_second_clauses")
def test_below_the_threshold_no_subject_is_read() -> None:
    # The neighbour: no ", while", so every candidate scores below the threshold.
    assert only_claimant("Forvik Capital lists the brothers at $40 billion each.") is None


@pytest.mark.parametrize("wide, second_clause", [(NARROW, "candidate-not-source"), (WIDE, "below-threshold")])
def test_attribution_errors_say_why_the_reader_gave_no_claimant(wide: Wide, second_clause: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # tools.attribution_errors --why, on an invented article, with a model of our own that
    # believes no one: the first clause's subject is weighed and falls short; the second
    # clause's is weighed only when the reader is wide, and else someone else is its best.
    model = Model({"bias": -5.0}, 0.8, Rates(), wide)
    monkeypatch.setattr(stance, "_model", lambda: model)
    text = "Forvik Capital lists the brothers at $40 billion each, while Ostra Bank lists them at $55 billion.\n"
    content = [(text.index("lists the"), text.index("."))]

    def why(source: str) -> set[str]:
        at = text.index(source)
        relation = Relation(source, (at, at + len(source)), content)
        _, kinds = report([("invented", text, [relation], {})], show=False, why=True)
        return {k.removeprefix("why ") for k in kinds if k.startswith("why ")}

    assert why("Forvik Capital") == {"below-threshold"}
    assert why("Ostra Bank") == {second_clause}
