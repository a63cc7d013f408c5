"""The by-outlet estimate of the learned attribution reader (tools/crf_by_outlet.py), and the
shipped model's size and single load."""

from __future__ import annotations

import pytest

from factcheck.extraction import learned
from tools import crf_by_outlet
from tools.evaluate import PolnearCounts
from tools.train_attribution_crf import DEFAULT_DATA, main

POLNEAR = DEFAULT_DATA


def _need_polnear() -> None:
    if not (POLNEAR / "metadata.tsv").is_file() or not (POLNEAR / "train" / "attributions").is_dir():
        pytest.skip(f"PolNeAR not found at {POLNEAR.resolve()}")


def test_outlets_are_dealt_into_folds_each_held_out_once() -> None:
    names = ["nyt", "breitbart", "politico", "nyt", "wash-post", "huff-post", "usa-today", "west-journal"]
    assert crf_by_outlet.outlet_folds(names, 7) == [[n] for n in sorted(set(names))]
    three = crf_by_outlet.outlet_folds(names, 3)
    assert three == [["breitbart", "politico", "west-journal"], ["huff-post", "usa-today"], ["nyt", "wash-post"]]
    assert crf_by_outlet.outlet_folds(names, 20) == crf_by_outlet.outlet_folds(names, 7)


def test_a_fold_is_trained_without_the_outlets_it_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    _need_polnear()
    import tools.train_attribution_crf as trainer

    arts = crf_by_outlet.read_train(POLNEAR)
    assert {a.outlet for a in arts} == {"breitbart", "huff-post", "nyt", "politico", "usa-today", "wash-post",
                                         "west-journal"}
    arts = [a for name in ("nyt", "politico", "usa-today") for a in [b for b in arts if b.outlet == name][:3]]
    fitted: list[str] = []
    texts = {a.text: a.outlet for a in arts}
    real = trainer.sequences

    def sequences(articles: list) -> list:
        fitted.extend(texts[text] for text, _ in articles)
        return real(articles)

    monkeypatch.setattr(trainer, "sequences", sequences)
    base, with_crf = crf_by_outlet.run_fold(arts, ["nyt"], per_outlet=2, c2=1.0, iterations=5, seed=13)
    assert sorted(set(fitted)) == ["politico", "usa-today"] and len(fitted) == 6
    sample = crf_by_outlet._sample(arts, ["nyt"], 2, 13)
    assert [a.outlet for a in sample] == ["nyt", "nyt"]
    # Rules alone on the sample, figured directly, are what the fold reports.
    with crf_by_outlet.reader(None, learned.cue_words()):
        direct = crf_by_outlet.score(sample)
    assert base == direct and base.labelled > 0
    assert with_crf.labelled == base.labelled
    # The shipped reader is back in place afterwards.
    assert learned._tagger() is None or learned.available()


def test_by_outlet_from_the_command_line_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    _need_polnear()
    before = {p: p.read_bytes() for p in (learned.MODEL_PATH, learned.CUES_PATH) if p.is_file()}
    assert main(["--by-outlet", "--folds", "7", "--limit", "2", "--per-outlet", "1", "--iterations", "3"]) == 0
    out = capsys.readouterr().out
    assert out.count("held out ") == 14  # seven outlets, rules alone and with the CRF
    assert "all 7 folds (1 articles per outlet), with the CRF: right claimant" in out
    assert {p: p.read_bytes() for p in before} == before


def test_the_total_adds_every_count() -> None:
    total = PolnearCounts()
    crf_by_outlet.add(total, PolnearCounts(labelled=3, covered=2, covered_right=1, attributed=5, on_content=4))
    crf_by_outlet.add(total, PolnearCounts(labelled=1, covered=1, covered_right=1, attributed=1, on_content=1))
    assert total == PolnearCounts(labelled=4, covered=3, covered_right=2, attributed=6, on_content=5)
    assert "right claimant 2/4 = 0.5000, recall 0.750, precision 0.8333" in crf_by_outlet.line("x", total)


def test_the_shipped_model_is_small_and_loaded_once() -> None:
    if not learned.available():
        pytest.skip("python-crfsuite or the model file is not installed: rules only")
    assert learned.MODEL_PATH.stat().st_size < 50_000_000
    first = learned._tagger()
    hits = learned._tagger.cache_info().hits
    learned.source_span("The port will reopen in May, Ines Varga told a briefing in Harlen on Monday.")
    learned.source_span("Fees will rise, the port authority said on Tuesday after the vote.")
    assert learned._tagger() is first
    assert learned._tagger.cache_info().misses <= 1 and learned._tagger.cache_info().hits > hits
