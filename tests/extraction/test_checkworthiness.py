from __future__ import annotations

import json
from pathlib import Path

from factcheck.extraction import checkworthiness
from tools.train_checkworthiness import main as train_main


def test_scores_are_probabilities_and_rank_sensibly() -> None:
    factual = "Unemployment fell to 4.1 percent in 2023, the lowest level since 1969."
    chatter = "Thank you so much, it is great to be here tonight."
    assert 0.0 <= checkworthiness.score(chatter) < checkworthiness.score(factual) <= 1.0


def test_features_cover_numbers_dates_and_questions() -> None:
    feats = set(checkworthiness.features("Did prices rise 5% on March 3, 2024?"))
    assert {"has:number", "has:percent", "has:date", "has:year", "is:question"} <= feats


def test_shipped_weights_hold_no_sentences() -> None:
    data = json.loads(checkworthiness.WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert set(data) == {"about", "report", "weights"}
    # Only unigram and bigram features, never whole sentences.
    assert all(len(k) < 60 for k in data["weights"])


def test_training_script_runs_on_small_data(tmp_path: Path) -> None:
    rows = ["Sentence_id\tText\tclass_label"]
    for i in range(40):
        rows.append(f"{i}\tTaxes rose {i} percent in 2019 under the plan.\tYes")
        rows.append(f"{i + 100}\tThank you all for coming tonight, friends.\tNo")
    for split in ("train", "dev", "dev-test", "test_gold"):
        (tmp_path / f"CT24_checkworthy_english_{split}.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "weights.json"
    assert train_main([str(tmp_path), "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))["report"]
    assert report["f1_yes_dev_test"] == 1.0 and "f1_yes_test_gold" not in report  # test split not read
    assert train_main([str(tmp_path), "--out", str(out), "--report-test"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["report"]["f1_yes_test_gold"] == 1.0
