"""The learned attribution reader and how it is combined with the rules."""

from __future__ import annotations

import pytest

from factcheck.extraction import learned, suggest_claims


def test_the_model_tags_a_source_and_a_reporting_cue() -> None:
    if not learned.available():
        pytest.skip("python-crfsuite or the model file is not installed: rules only")
    text = ("The port will reopen in May and fees will rise, Ines Varga told a briefing in Harlen "
            "on Monday evening after the vote.")
    span = learned.source_span(text)
    assert span is not None and text[span[0]:span[1]] == "Ines Varga"
    assert learned.source_span("The port will reopen in May after the repairs.") is None
    assert learned.source_span("Short one.") is None


def test_the_learned_source_is_used_only_where_the_rules_find_none(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(sentence: str) -> tuple[int, int] | None:
        start = sentence.find("Tomas Lund")
        return (start, start + len("Tomas Lund")) if start >= 0 else None

    monkeypatch.setattr(learned, "source_span", fake)
    text = ("Tomas Lund believes the port will lose 9 million crowns this year.\n"
            "Tomas Lund and the council disagree. Fees rose 12 percent in May, the port authority said.\n"
            "Ines Varga said fees rose 12 percent in May after Tomas Lund left.\n")
    found = {s.quote.split(" the ")[0]: s.claimant for s in suggest_claims(text, threshold=0.0)}
    assert found["Tomas Lund believes"] == "Tomas Lund"  # rules: none; learned: Lund
    assert found["Tomas Lund and"] == "the port authority"  # the paragraph's tag wins
    assert found["Ines Varga said fees rose 12 percent in May after Tomas Lund left."] == "Ines Varga"  # rules first


def test_without_the_model_the_rules_run_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(learned, "_tagger", lambda: None)
    assert not learned.available()
    assert learned.source_span("Ines Varga told a briefing the port will reopen in May.") is None
    [s] = suggest_claims("Fees rose 12 percent in May, the port authority said.")
    assert s.claimant == "the port authority"
