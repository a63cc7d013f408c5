"""Eighth round: the learned reader of stance, deed and evidence verbs (``extraction/stance.py``),
in sentences of our own (invented people, places and bodies)."""

from __future__ import annotations

import pytest

from factcheck.extraction import stance
from factcheck.extraction.stance import Rates, features
from tests.support.suggested import only_claimant as _claimant


def test_a_group_that_holds_a_view_stands_behind_it() -> None:
    # No speech verb: the group's fear, doubt or suspicion is what a desk checks.
    assert _claimant("Many experts doubt the bridge will be finished by 2030.") == "many experts"


@pytest.mark.parametrize("text, holder", [
    ("Many economists suspect the figures from the port were revised to hide a loss.", "many economists"),
    ("Critics fear the new levy on diesel will hurt farmers in the valley.", "critics"),
])
def test_other_views_are_read_as_their_holders_at_the_refitted_threshold(text: str, holder: str) -> None:
    # The threshold is chosen on PolNeAR dev with precision allowed to fall 0.005 at most. Refitted on
    # the eighth round's rules it was 0.85 and these views stayed short of it (0.77-0.83); refitted on
    # the ninth round's it is 0.80, and they are read (0.82, 0.83). A deed stays far below.
    model = stance._model()
    assert model is not None
    found = features(text, {}, model.rates)
    assert found is not None
    assert stance.probability(found[0], model.weights) >= model.threshold
    assert _claimant(text) == holder
    deed = features("The storm destroyed three houses on Kestrel Road.", {}, model.rates)
    assert deed is None or stance.probability(deed[0], model.weights) < 0.5


def test_a_view_just_above_the_refitted_threshold_is_read() -> None:
    # Above the refitted threshold (0.80 since the ninth round; 0.85 and 0.875 before).
    assert _claimant("Opponents fear the new levy will drive trade away from the port.") == "opponents"


def test_the_reader_is_what_finds_them() -> None:
    # Without the weights the same sentences have no claimant: no rule reads them.
    loaded = stance._model
    stance._model = lambda: None  # type: ignore[assignment]
    try:
        assert _claimant("Many experts doubt the bridge will be finished by 2030.") is None
        assert _claimant("Critics fear the new levy on diesel will hurt farmers in the valley.") is None
    finally:
        stance._model = loaded  # type: ignore[assignment]


@pytest.mark.parametrize(
    "text",
    [
        "The court blocked the sale of the mill in 2019.",  # a deed a desk does not check
        "The storm destroyed three houses on Kestrel Road.",
        "Lindqvist was elected mayor in 2014.",  # done to the subject
        "Marek opened the new library on Monday.",
        "It's a good bet that the ferry will run late again this winter.",  # "It's" is no one
        "The ferry company added two night crossings to Orsk.",
        "Prices at the pump rose by four percent in May.",
    ],
)
def test_deeds_and_things_stand_behind_nothing(text: str) -> None:
    assert _claimant(text) is None


def test_the_subject_runs_past_a_noun_read_as_a_verb() -> None:
    # "Federal investigators have also discovered …": "investigators" is the subject's head, not its verb.
    found = features("Federal investigators have also discovered that the ledger was altered.", {}, Rates())
    assert found is not None
    text = "Federal investigators have also discovered that the ledger was altered."
    assert text[found[1][0]:found[1][1]] == "Federal investigators"
    assert "v=discovered" in found[0] and "aux=perfect" in found[0]


def test_how_the_verb_is_read() -> None:
    def verb_features(text: str) -> set[str]:
        found = features(text, {}, Rates())
        assert found is not None
        return {f for f in found[0] if f.startswith(("v=", "aux=", "neg="))}

    assert verb_features("Dock workers weren't too concerned about the rules.") == {"v=were", "aux=copula", "neg=True"}
    assert verb_features("Holm was dubbed the winner.") == {"v=dubbed", "aux=passive", "neg=False"}
    assert verb_features("The union is demanding a raise.") == {"v=demanding", "aux=progressive", "neg=False"}
    assert verb_features("Farmers would welcome the rain.") == {"v=welcome", "aux=modal", "neg=False"}
    assert verb_features("Voters didn't care.") == {"v=did", "aux=auxiliary", "neg=True"}
    # A deed, a preposition or "It's" gives no candidate at all.
    assert features("Mayor Ida Marek signed the budget on Friday.", {}, Rates()) is None
    assert features("Critics of the plan fear the worst.", {}, Rates()) is None
    assert features("It's a good bet that prices will rise.", {}, Rates()) is None
