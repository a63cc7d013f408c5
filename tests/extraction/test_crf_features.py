"""The learned reader's outlet-independent features (factcheck/extraction/learned.py) and the
tools that fit and measure a CRF with them without installing it."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.extraction import learned, stance
from tools import crf_candidate
from tools.train_attribution_crf import parse_groups

SENTENCE = "“We will win,” said Sen. John McCain (R-Ariz.) on Tuesday, officials said."


def _words(sentence: str) -> list[str]:
    return [t[0] for t in learned.tokens(sentence)]


def _by_token(words: list[str], groups: frozenset[str]) -> dict[str, list[str]]:
    return {w: f for w, f in zip(words, learned.features(words, groups), strict=True)}


def test_the_shipped_groups_are_what_features_adds_by_default() -> None:
    words = _words(SENTENCE)
    assert learned.features(words) == learned.features(words, learned.OUTLET_GROUPS)
    assert learned.OUTLET_GROUPS <= learned.ALL_OUTLET_GROUPS
    plain = learned.features(words, frozenset())
    wide = learned.features(words, learned.ALL_OUTLET_GROUPS)
    # The outlet-independent clues come after the word-level ones, which stay as they are.
    assert all(w[: len(p)] == p and len(w) > len(p) for p, w in zip(plain, wide, strict=True))


def test_each_token_gets_its_kind_shape_run_and_place_among_the_quotes() -> None:
    words = _words(SENTENCE)
    feats = _by_token(words, learned.ALL_OUTLET_GROUPS)
    assert {"kd=pro", "L=Xx", "cr=S", "qp=in", "qt=0"} <= set(feats["We"])
    assert {"kd=title", "cr=S", "qp=post"} <= set(feats["Sen"])  # "Sen." is a title word
    assert {"kd=-", "L=XxXx", "cr=I", "cr-1=B", "kk=-|-"} <= set(feats["McCain"])
    assert {"L=X-Xx", "x2=iz"} <= set(feats["R-Ariz"])
    assert {"kd=src", "qt=3", "nk=b1|src", "nr=b1|-", "qk=False|src"} <= set(feats["officials"])
    first_said = learned.features(words, learned.ALL_OUTLET_GROUPS)[words.index("said")]
    assert {"nk=b0|-", "kd1=title", "cr1=S", "qp=post"} <= set(first_said)


def test_a_sentence_without_quotation_marks_says_so_on_every_token() -> None:
    words = _words("The ministry said the talks would resume on Monday.")
    feats = learned.features(words, frozenset({"quotes", "run"}))
    assert all("qp=none" in f for f in feats)
    assert feats[0][-2:] == ["cr=S", "qp=none"]  # only the groups asked for
    assert not any(x.startswith(("kd", "L=", "x2=", "qt=", "nk=")) for f in feats for x in f)


def test_groups_are_read_from_the_command_line() -> None:
    assert parse_groups(None) == learned.OUTLET_GROUPS
    assert parse_groups("all") == learned.ALL_OUTLET_GROUPS
    assert parse_groups("none") == frozenset()
    assert parse_groups("kind,run") == {"kind", "run"}
    with pytest.raises(SystemExit):
        parse_groups("kind,colour")


def test_a_candidate_is_read_in_this_process_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("MODEL_PATH", "OUTLET_GROUPS"):
        monkeypatch.setattr(learned, name, getattr(learned, name))
    monkeypatch.setattr(stance, "WEIGHTS_PATH", stance.WEIGHTS_PATH)
    shipped_path = learned.MODEL_PATH
    shipped = shipped_path.read_bytes() if shipped_path.is_file() else None
    crf_candidate.install(tmp_path / "none.model", frozenset({"kind"}), tmp_path / "w.json")
    try:
        assert not learned.available()  # no file at the candidate's path: rules alone
        assert stance._model() is None
        assert learned.features(_words(SENTENCE))[0][-1].startswith("kd=")
    finally:
        learned._tagger.cache_clear()
        stance._model.cache_clear()
    assert shipped is None or shipped_path.read_bytes() == shipped


def test_the_candidate_tool_never_refits_over_the_shipped_stance_weights(tmp_path: Path) -> None:
    model = tmp_path / "c.model"
    model.write_bytes(b"")
    with pytest.raises(SystemExit, match="--weights"):
        crf_candidate.main(["--model", str(model), "stance"])
