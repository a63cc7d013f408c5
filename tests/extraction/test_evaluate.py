"""Floors under the figures ``make eval`` prints (tools/evaluate.py), so a regression fails.

The floors sit a little under the figures measured on the dev splits when they were
set; docs/extraction.md gives the figures. Test splits are never read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.extraction import Suggestion, learned
from tools.evaluate import (
    DEFAULT_DATA,
    OWN_DATA,
    _strictly_right,
    claimant_strict,
    claimant_words,
    evaluate_checkthat,
    evaluate_labelled,
    evaluate_polnear,
    via_equal,
)
from tools.evaluate_attribution import Relation

POLNEAR_DEV = DEFAULT_DATA / "attribution" / "polnear" / "dev"
CHECKTHAT_DEV_TEST = DEFAULT_DATA / "checkworthiness" / "checkthat2024" / "CT24_checkworthy_english_dev-test.tsv"


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"shared data not found at {path.resolve()}")


def test_strict_claimant_allows_no_extra_words() -> None:
    assert claimant_strict("a Reuters source", "Reuters source (anonymous)")
    assert claimant_strict("the Trade Ministry", "Trade Ministry")
    assert not claimant_strict("the ministry cited by TASS", "the ministry")
    assert not claimant_strict("Mira Halvorsen", "Halvorsen")
    assert claimant_strict(None, None) and not claimant_strict(None, "SANA")
    assert claimant_words("the council’s chair") == ["council", "chair"]
    assert via_equal(["the Orda"], ["Orda"]) and not via_equal(["Reuters", "X"], ["X", "Reuters"])


def test_a_source_with_a_courtesy_title_stands_for_the_full_name() -> None:
    names = {"Clarke": "Tom Clarke", "Rendell": "Ed Rendell", "Clinton": "Hillary Clinton"}
    right = [("Tom Clarke", "Mr. Clarke"), ("Ed Rendell", "Rendell, a Clinton surrogate,")]
    wrong = [("Hillary Clinton", "Rendell, a Clinton surrogate,"), ("Hillary Clinton", "Mr. Clarke")]
    for ours, label in right + wrong:
        got = _strictly_right(Suggestion(quote="x", start=0, end=1, claimant=ours), Relation(label, (0, 1), []), names)
        assert got == ((ours, label) in right), (ours, label)


def test_our_labelled_stories() -> None:
    figures = evaluate_labelled(sorted(OWN_DATA.glob("*.claims.json")))
    assert figures["articles"] >= 48
    # Measured after the fifth round (48 stories, 286 claims): recall 1.0, precision 1.0,
    # claimant 0.996 (one known miss, see test_quality.KNOWN_CLAIMANT_MISSES), via 1.0.
    assert figures["recall"] >= 0.99
    assert figures["precision"] >= 0.99
    assert figures["claimant_accuracy_strict"] >= 0.99
    assert figures["via_accuracy"] >= 0.99


def test_seed_article() -> None:
    _need(DEFAULT_DATA / "articles")
    figures = evaluate_labelled(sorted((DEFAULT_DATA / "articles").glob("*.claims.json")))
    assert figures["recall"] == 1.0
    assert figures["precision"] >= 0.9
    assert figures["claimant_accuracy_strict"] >= 0.9
    assert figures["via_accuracy"] >= 0.9


def test_polnear_dev() -> None:
    _need(POLNEAR_DEV / "attributions")
    figures = evaluate_polnear(POLNEAR_DEV)
    assert figures["articles"] == 84
    if learned.available():
        # Rules and the learned readers (measured in the thirteenth round, the longer subjects read
        # apart: right 0.653 (929/1422), precision 0.7806; ninth round, stance reader retrained:
        # 0.705, 0.782, 0.958, 0.967, right 0.651; eighth round 0.679, 0.784, 0.937, 0.960, right
        # 0.617; seventh round 0.662, 0.790, 0.935, 0.959, right 0.601).
        assert figures["recall"] >= 0.70
        assert figures["precision"] >= 0.78
        assert figures["right_claimant_of_labelled"] >= 0.65
    else:
        # Rules, the subject-verb and the stance readers, no CRF (measured in the ninth round: 0.625,
        # 0.821, 0.955, 0.963, right 0.587; eighth round 0.591, 0.826, 0.937, 0.960, right 0.549;
        # seventh round 0.565, 0.837, 0.939, 0.960, right 0.527). The ninth round's rules found more
        # (recall +0.034) at a little less precision (-0.005).
        assert figures["recall"] >= 0.62
        assert figures["precision"] >= 0.815
        assert figures["right_claimant_of_labelled"] >= 0.58
    assert figures["claimant_accuracy_strict"] >= 0.95
    assert figures["claimant_accuracy_lenient"] >= 0.96


def test_checkthat_dev_test_editor_view() -> None:
    _need(CHECKTHAT_DEV_TEST)
    figures = evaluate_checkthat(CHECKTHAT_DEV_TEST)
    assert figures["sentences"] == 318
    assert figures["recall"] >= 0.87
    assert figures["f1_yes"] >= 0.62
