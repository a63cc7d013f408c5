"""Extraction is linear in the length of the text, however the text is laid out.

Each case times a 10 KB text (best of several runs) and then a 1 MB text of the same
make-up, one line with no newline, in CPU time of this process (so other work on a
shared machine does not count). Linear work takes about 100 times as long; the budget
allows four times that. Quadratic work, as the splitter was (1 MB of prose: 283 s),
takes 10,000 times as long and fails.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from factcheck.extraction import find_furniture, split_sentences, suggest_claims

# The baseline is 100 kB: at 10 kB it was a millisecond or two, where the cache and the collector
# weigh more than the algorithm, and the budget came out tighter than the work (a flaky run). A
# quadratic step still fails by far: 10× the input costs 100× the time, against 40× allowed here.
SMALL, LARGE = 100_000, 1_000_000
FACTOR = 4.0

# Our own wording; one long line, as a paste without paragraph breaks arrives.
PROSE = (
    "The Harlow Valley council said on Tuesday that it would close two river crossings for repairs. "
    "Traffic on the northern bridge fell 14 percent in May, according to figures from the transport office. "
    "“We have no other choice,” Mayor Ines Varga told reporters, adding that the work would take six weeks. "
    "Residents in St. Albry, who asked not to be named, said the U.S. contractor had been slow. "
)
CASES = {
    "prose": PROSE,
    "dotted acronyms": "U.S. ",
    "unclosed quotation marks": "“an opening mark with no end ",
    "runs of stops and spaces": "Rates rose....   ...   ",
    "titles and commas": "Mr. Dr. Gen. one, two, three, ",
}


def _cpu(work: Callable[[str], object], text: str) -> float:
    """CPU seconds of ``work(text)``, the garbage collector held off: in a test worker whose heap holds
    every earlier test's objects, a full collection during the 1 MB run cost more than the work."""
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        work(text)
        return time.process_time() - started
    finally:
        gc.enable()


def _budget_holds(work: Callable[[str], object], unit: str) -> tuple[float, float]:
    small = (unit * (SMALL // len(unit) + 1))[:SMALL]
    large = (unit * (LARGE // len(unit) + 1))[:LARGE]
    work(small)  # weights loaded, patterns compiled
    baseline = min(_cpu(work, small) for _ in range(5))
    # Timer resolution: a baseline under a millisecond says little.
    baseline = max(baseline, 0.001)
    return _cpu(work, large), baseline * (LARGE / SMALL) * FACTOR


@pytest.mark.parametrize("unit", list(CASES.values()), ids=list(CASES))
def test_suggestion_is_linear_on_one_long_line(unit: str) -> None:
    took, budget = _budget_holds(suggest_claims, unit)
    assert took < budget, f"1 MB took {took:.2f} s of CPU; linear growth allows {budget:.2f} s"


@pytest.mark.parametrize("work", [split_sentences, find_furniture], ids=["sentences", "furniture"])
def test_splitting_and_furniture_are_linear(work: Callable[[str], object]) -> None:
    for unit in CASES.values():
        took, budget = _budget_holds(work, unit)
        assert took < budget, (unit, took, budget)


def test_long_lines_are_still_split_right() -> None:
    text = PROSE * 2000
    sentences = split_sentences(text)
    assert len(sentences) == 8000
    assert all(text[s.start:s.end] == s.text for s in sentences[:50])
    assert sentences[3].text.startswith("Residents in St. Albry")
    acronyms = split_sentences("U.S. " * 50_000)
    assert len(acronyms) == 1  # no sentence opener after any of them


def test_a_huge_sentence_is_scored_on_its_opening() -> None:
    claim = "Exports rose 12 percent in May, the ministry said, " + "and more words follow " * 20_000 + "."
    found = suggest_claims(claim)
    assert len(found) == 1 and found[0].start == 0
