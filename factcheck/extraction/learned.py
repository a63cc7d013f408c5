"""A learned reader of who speaks, for sentences the rules leave unattributed.

A linear-chain CRF (python-crfsuite), trained offline on PolNeAR train by
``tools/train_attribution_crf.py`` (``make train``), tags each token of a sentence as part
of the Source, of the Cue, or neither. It is consulted only when the rules find no tag;
its Source (the likeliest run of tokens that are each at least 55 % likely to be Source)
counts only when the Cue it found contains a reporting verb or a word PolNeAR train mostly
marks as a cue, and the rules' own reading of the Source phrase accepts it as a speaker. The model is loaded once per process. When python-crfsuite or the model file is missing the package runs on rules
alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .lexicon import SPEECH_VERBS

MODEL_PATH = Path(__file__).with_name("attribution_crf.model")
# Words PolNeAR train marks as (part of) a Cue at least half of the times they occur,
# written by the training script beside the model.
CUES_PATH = Path(__file__).with_name("attribution_cues.txt")
_TOKEN = re.compile(r"[\w'’]+(?:[-.][\w'’]+)*|[^\w\s]")
# Reporting verbs of the rules' lexicon: one of these, or a learned cue word, must be in
# the Cue the model finds for the sentence to count as a report.
_REPORTING = frozenset(
    w for w in re.sub(r"\[[^]]*\]", "", SPEECH_VERBS).replace("(", "").replace(")", "").split("|") if " " not in w
) | {"according", "say", "tell", "claim", "announce", "confirm", "deny", "insist", "warn", "argue", "write", "told",
     "cited", "quoted"}
_QUOTES = frozenset('"“”‘’«»')
# The least marginal probability of "Source" on every token of the Source found; chosen
# on PolNeAR dev (see docs/extraction.md).
MIN_CONFIDENCE = 0.55
# Sentences longer than this many tokens are left to the rules.
MAX_TOKENS = 80


def tokens(sentence: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]


def _shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if word.isupper():
        return "U"
    if word[:1].isupper():
        return "T"
    if word.islower():
        return "l"
    return "o"


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    """The learned cue words (empty before the model is trained)."""
    if not CUES_PATH.is_file():
        return frozenset()
    return frozenset(CUES_PATH.read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def _gate() -> frozenset[str]:
    return _REPORTING | cue_words()


def _nearest_cue(flags: list[bool]) -> list[str]:
    """For each token, where the nearest cue word is: "b2" two tokens before it, "a1"
    one after it, "far" beyond three, "none" without one. Two linear passes."""
    n = len(flags)
    after = [10**6] * n  # distance to the next cue word at or after i
    before = [10**6] * n
    nxt = prv = None
    for i in range(n - 1, -1, -1):
        if flags[i]:
            nxt = i
        if nxt is not None:
            after[i] = nxt - i
    for i in range(n):
        if flags[i]:
            prv = i
        if prv is not None:
            before[i] = i - prv
    out = []
    for i in range(n):
        d_after, d_before = after[i], before[i]
        if d_after == d_before == 10**6:
            out.append("none")
        elif d_after <= d_before:
            out.append(f"b{d_after}" if d_after <= 3 else "bfar")
        else:
            out.append(f"a{d_before}" if d_before <= 3 else "afar")
    return out


def features(words: list[str]) -> list[list[str]]:
    """Per-token features: the word, its shape, prefix and suffix, whether it is a
    reporting verb or a learned cue word, where the nearest cue word is, whether it sits
    inside quotation marks, and the same for its neighbours."""
    lows = [w.lower() for w in words]
    cues = cue_words()
    reporting = [low in _REPORTING for low in lows]
    cue = [low in cues or r for low, r in zip(lows, reporting, strict=True)]
    near = _nearest_cue(cue)
    quoted, inside = [], False
    for w in words:
        if w in _QUOTES:
            inside = not inside
        quoted.append(inside)
    shapes = [_shape(w) for w in words]
    out = []
    for i, low in enumerate(lows):
        f = ["b", "w=" + low, "s=" + shapes[i], "x=" + low[-3:], "p=" + low[:3], "r=" + str(reporting[i]),
             "k=" + str(cue[i]), "n=" + near[i], "q=" + str(quoted[i]), "i=" + (str(i) if i < 3 else "m")]
        for d in (-3, -2, -1, 1, 2, 3):
            j = i + d
            if 0 <= j < len(lows):
                f.append(f"w{d}={lows[j]}")
                f.append(f"s{d}={shapes[j]}")
                if -2 <= d <= 2:
                    f.append(f"r{d}={reporting[j]}")
                    f.append(f"k{d}={cue[j]}")
            else:
                f.append(f"w{d}=<pad>")
        if i:
            f.append(f"b={lows[i - 1]}|{low}")
            f.append(f"ss={shapes[i - 1]}{shapes[i]}")
        out.append(f)
    return out


@lru_cache(maxsize=1)
def _tagger() -> Any | None:
    try:
        import pycrfsuite
    except ImportError:
        return None
    if not MODEL_PATH.is_file():
        return None
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL_PATH))
    return tagger


def available() -> bool:
    return _tagger() is not None


def source_span(sentence: str) -> tuple[int, int] | None:
    """(start, end) of the Source in ``sentence`` when the model finds a Source and a
    reporting Cue, else None."""
    tagger = _tagger()
    if tagger is None:
        return None
    toks = tokens(sentence)
    if not 3 <= len(toks) <= MAX_TOKENS:
        return None
    words = [t[0] for t in toks]
    gate = _gate()
    if not {w.lower() for w in words} & gate:
        return None  # the Cue must hold a reporting verb or a cue word: no need to tag
    labels = tagger.tag(features(words))
    cue = {words[i].lower() for i, label in enumerate(labels) if label == "C"}
    if not cue & gate:
        return None
    run = _surest_run([tagger.marginal("S", i) for i in range(len(words))])
    if run is None:
        return None
    return toks[run[0]][1], toks[run[1]][2]


def _surest_run(source: list[float]) -> tuple[int, int] | None:
    """The first and last token of the run of tokens whose marginal probability of "Source"
    is at least MIN_CONFIDENCE with the most probability in it. Read from the marginals, not
    the best tag sequence: that sequence often leaves a likely Source untagged or in pieces
    ("Gowdy’s office calls …")."""
    best: tuple[float, int, int] | None = None
    start = None
    for i, p in enumerate([*source, 0.0]):
        if p >= MIN_CONFIDENCE and start is None:
            start = i
        elif p < MIN_CONFIDENCE and start is not None:
            mass = sum(source[start:i])
            if best is None or mass > best[0]:
                best = (mass, start, i - 1)
            start = None
    return (best[1], best[2]) if best else None
