"""Check-worthiness: how much a sentence asserts something a checker could verify.

A linear model over hand-made features (numbers, dates, names, reporting and factual
verbs, hedges, questions, length) and word uni/bigrams. Its weights were fitted
offline by ``train_checkworthiness`` and ship as ``checkworthiness_weights.json``;
scoring is a few dictionary look-ups per sentence.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from functools import lru_cache
from pathlib import Path

WEIGHTS_PATH = Path(__file__).with_name("checkworthiness_weights.json")

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*%?|[$€£%]")
_NUMBER = re.compile(r"\d")
_PERCENT = re.compile(r"\d\s*(?:%|per ?cent|percent)|\bpercentage points?\b")
_MONEY = re.compile(r"[$€£¥₽]\s?\d|\b\d[\d.,]*\s*(?:million|billion|trillion|bn|m)?\s*(?:dollars|euros|pounds|"
                    r"rubles|roubles|yuan|yen|tenge|francs)\b|\b(?:usd|eur|gbp)\s?\d")
_BIG_NUMBER = re.compile(r"\b\d[\d,.]*\s*(?:thousand|million|billion|trillion)\b|\b\d{1,3}(?:,\d{3})+\b")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_MONTH_DAY = re.compile(
    r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:January|February|March|April|May|"
    r"June|July|August|September|October|November|December)\b"
)
_WEEKDAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|last (?:week|month|year))\b")
_REPORTING = re.compile(r"\b(?:said|says|told|claimed|claims|stated|reported|according|announced|confirmed|denied|"
                        r"citing|added|insisted|warned|alleged)\b")
_FACTUAL = re.compile(r"\b(?:is|are|was|were|has|have|had|rose|fell|increased|decreased|doubled|tripled|cut|raised|"
                      r"killed|died|won|lost|voted|signed|passed|approved|rejected|agreed|fled|began|ended|"
                      r"launched|arrested|detained|spent|paid|received|created|built|closed|opened)\b")
_HEDGE = re.compile(r"\b(?:might|may|could|would|should|perhaps|maybe|possibly|think|believe|feel|hope|wish|"
                    r"want|wanted|going to|gonna|let's|let me|i'm|you know)\b")
_OPINION = re.compile(r"\b(?:great|terrible|wonderful|horrible|amazing|awful|disaster|best|worst|beautiful|"
                      r"incredible|wrong|right|good|bad|love|hate|fantastic|sad|tremendous)\b")
_COMPARATIVE = re.compile(r"\b(?:more|less|fewer|most|highest|lowest|largest|biggest|smallest|record|first|"
                          r"only|every|never|always|all|none|twice|half|double)\b")
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|we|us|our)\b")
_SECOND_PERSON = re.compile(r"\b(?:you|your)\b")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")


def _bucket(value: int, edges: tuple[int, ...]) -> int:
    for i, edge in enumerate(edges):
        if value <= edge:
            return i
    return len(edges)


# Binary "has:" features, in the order the learnt weights were fitted with. The word
# patterns are written in lower case and matched against the lower-cased text (the same
# answer as a case-blind match, several times faster); "digits" marks the patterns that
# cannot match without a digit.
_FLAGS: tuple[tuple[str, tuple[re.Pattern[str], ...], bool, bool], ...] = (
    # name, patterns, on the lower-cased text, needs a digit
    ("has:number", (_NUMBER,), False, True), ("has:percent", (_PERCENT,), True, False),
    ("has:money", (_MONEY,), True, True), ("has:bignumber", (_BIG_NUMBER,), True, True),
    ("has:year", (_YEAR,), False, True), ("has:date", (_MONTH_DAY, _WEEKDAY), False, False),
    ("has:reporting", (_REPORTING,), True, False), ("has:factual", (_FACTUAL,), True, False),
    ("has:hedge", (_HEDGE,), True, False), ("has:opinion", (_OPINION,), True, False),
    ("has:comparative", (_COMPARATIVE,), True, False), ("has:first_person", (_FIRST_PERSON,), False, False),
    ("has:second_person", (_SECOND_PERSON,), True, False),
)


def _flags(text: str) -> list[str]:
    low = text.lower()
    digits = _NUMBER.search(text) is not None
    return [name for name, patterns, lowered, needs_digit in _FLAGS
            if (digits or not needs_digit) and any(p.search(low if lowered else text) for p in patterns)]


def features(text: str) -> list[str]:
    """Feature names present in ``text`` (binary features)."""
    feats = ["bias"]
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    n = len(tokens)
    feats.append(f"len:{_bucket(n, (3, 6, 10, 16, 25, 40))}")
    feats.extend(_flags(text))
    if text.rstrip().endswith("?"):
        feats.append("is:question")
    feats.append(f"caps:{_bucket(len(_CAPITALISED.findall(text)), (0, 1, 3))}")
    words = ["<s>"] + ["<num>" if t[0].isdigit() else t for t in tokens] + ["</s>"]
    feats.extend("w:" + w for w in words[1:-1])
    feats.extend("b:" + a + "_" + b for a, b in itertools.pairwise(words))
    return feats


@lru_cache(maxsize=1)
def load_weights() -> dict[str, float]:
    with WEIGHTS_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)["weights"]


def logit(text: str, weights: dict[str, float] | None = None) -> float:
    w = load_weights() if weights is None else weights
    get = w.get
    return sum(get(f, 0.0) for f in features(text))


def score(text: str) -> float:
    """Probability-like check-worthiness in [0, 1]."""
    z = logit(text)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
