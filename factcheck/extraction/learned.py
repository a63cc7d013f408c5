"""A learned reader of who speaks, for sentences the rules leave unattributed.

A linear-chain CRF (python-crfsuite), trained offline on PolNeAR train by
``tools/train_attribution_crf.py`` (``make train``), tags each token of a sentence as part
of the Source, of the Cue, or neither. It is consulted only when the rules find no tag;
its Source counts only when the Cue it found contains a reporting verb and the rules'
own reading of the Source phrase accepts it as a speaker. The model is loaded once per
process. When python-crfsuite or the model file is missing the package runs on rules
alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .lexicon import SPEECH_VERBS

MODEL_PATH = Path(__file__).with_name("attribution_crf.model")
_TOKEN = re.compile(r"[\w'’]+(?:[-.][\w'’]+)*|[^\w\s]")
# A Cue must hold one of these to make the sentence a report of speech.
_REPORTING = frozenset(
    w for w in re.sub(r"\[[^]]*\]", "", SPEECH_VERBS).replace("(", "").replace(")", "").split("|") if " " not in w
) | {"according", "say", "tell", "claim", "announce", "confirm", "deny", "insist", "warn", "argue", "write", "told",
     "cited", "quoted"}
# The least marginal probability of "Source" on every token of the Source found; chosen
# on PolNeAR dev (see docs/extraction.md).
MIN_CONFIDENCE = 0.75
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


def features(words: list[str]) -> list[list[str]]:
    """Per-token features: the word, its shape and suffix, and its neighbours."""
    lows = [w.lower() for w in words]
    out = []
    for i, low in enumerate(lows):
        f = ["b", "w=" + low, "s=" + _shape(words[i]), "x=" + low[-3:], "r=" + str(low in _REPORTING)]
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(lows):
                f.append(f"w{d}={lows[j]}")
                f.append(f"s{d}={_shape(words[j])}")
                if d in (-1, 1):
                    f.append(f"r{d}={lows[j] in _REPORTING}")
            else:
                f.append(f"w{d}=<pad>")
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
    if not {w.lower() for w in words} & _REPORTING:
        return None  # the Cue must hold a reporting verb: no need to tag
    labels = tagger.tag(features(words))
    cue = {words[i].lower() for i, label in enumerate(labels) if label == "C"}
    if not cue & _REPORTING:
        return None
    source = [i for i, label in enumerate(labels) if label == "S"]
    if not source or source[-1] - source[0] + 1 != len(source):
        return None  # none, or in pieces
    if min(tagger.marginal("S", i) for i in source) < MIN_CONFIDENCE:
        return None
    return toks[source[0]][1], toks[source[-1]][2]
