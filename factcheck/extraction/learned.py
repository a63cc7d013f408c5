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

from .lexicon import (
    FUNCTION_WORDS,
    NEWS_OUTLETS,
    ORG_WORDS,
    PRONOUNS_LOWER,
    SOURCE_NOUNS,
    SPEECH_VERBS,
    TITLE_WORDS,
)

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
# Groups of clues that say the same on every outlet (a word's kind by the rules' lexicon,
# its long shape, its place in a capitalised run or among the quotation marks, ...), added to
# the word-level features; see ``outlet_features``. The model file is fitted with the groups
# named here: change them only with a refit (``make train``).
OUTLET_GROUPS: frozenset[str] = frozenset()
ALL_OUTLET_GROUPS = frozenset({"kind", "long", "suffix2", "run", "quotes", "quarter", "pairs", "context"})


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


_KINDS: dict[str, str] = {}
_LONG_SHAPES: dict[str, str] = {}
_LONG = re.compile(r"([A-Z])[A-Z]*|([a-z])[a-z]*|(\d)\d*")


def _kind(low: str) -> str:
    """What the rules' lexicon calls a word: the same on every outlet, unlike the word."""
    kind = _KINDS.get(low)
    if kind is None:
        if low in PRONOUNS_LOWER:
            kind = "pro"
        elif low in FUNCTION_WORDS:
            kind = "fn"
        elif low in TITLE_WORDS or low + "." in TITLE_WORDS:
            kind = "title"
        elif low in NEWS_OUTLETS:
            kind = "outlet"
        elif low in ORG_WORDS:
            kind = "org"
        elif SOURCE_NOUNS.fullmatch(low):
            kind = "src"
        else:
            kind = "-"
        if len(_KINDS) < 200_000:
            _KINDS[low] = kind
    return kind


def _long_shape(word: str) -> str:
    """"McCain" -> XxXx, "R-Ky." -> X-Xx.: letters and digits by class, runs collapsed."""
    shape = _LONG_SHAPES.get(word)
    if shape is None:
        shape = _LONG.sub(lambda m: "X" if m.group(1) else "x" if m.group(2) else "d", word)
        if len(_LONG_SHAPES) < 200_000:
            _LONG_SHAPES[word] = shape
    return shape


def _runs(words: list[str]) -> list[str]:
    """Each token's place in a run of capitalised words: B(egins), I(nside), S(ingle), -."""
    caps = [w[:1].isupper() for w in words]
    n = len(words)
    out = []
    for i, cap in enumerate(caps):
        if not cap:
            out.append("-")
            continue
        before = i > 0 and caps[i - 1]
        after = i + 1 < n and caps[i + 1]
        out.append("I" if before else "B" if after else "S")
    return out


def _quote_places(words: list[str]) -> list[str]:
    """Each token's place among the sentence's quotation marks: none in the sentence,
    before the first, between the first and the last, after the last."""
    marks = [i for i, w in enumerate(words) if w in _QUOTES]
    if not marks:
        return ["none"] * len(words)
    first, last = marks[0], marks[-1]
    return ["pre" if i < first else "post" if i > last else "in" for i in range(len(words))]


def outlet_features(words: list[str], lows: list[str], near: list[str], quoted: list[bool],
                    groups: frozenset[str]) -> list[list[str]]:
    """The clues in ``groups`` for each token, which read the same on any outlet."""
    n = len(words)
    kinds = [_kind(low) for low in lows] if groups & {"kind", "pairs", "context"} else []
    runs = _runs(words) if groups & {"run", "pairs", "context"} else []
    columns: list[list[str]] = []
    if "kind" in groups:
        columns.append(["kd=" + k for k in kinds])
    if "long" in groups:
        columns.append(["L=" + _long_shape(w) for w in words])
    if "suffix2" in groups:
        columns.append(["x2=" + low[-2:] for low in lows])
    if "run" in groups:
        columns.append(["cr=" + r for r in runs])
    if "quotes" in groups:
        columns.append(["qp=" + place for place in _quote_places(words)])
    if "quarter" in groups:
        columns.append([f"qt={4 * i // n}" for i in range(n)])
    if "pairs" in groups:
        columns.append([f"nk={d}|{k}" for d, k in zip(near, kinds, strict=True)])
        columns.append([f"nr={d}|{r}" for d, r in zip(near, runs, strict=True)])
        columns.append([f"qk={q}|{k}" for q, k in zip(quoted, kinds, strict=True)])
    out = [list(f) for f in zip(*columns, strict=True)] if columns else [[] for _ in words]
    if "context" in groups:
        _add_context(out, kinds, runs)
    return out


def _add_context(out: list[list[str]], kinds: list[str], runs: list[str]) -> None:
    """The kind and capitalised-run place of two tokens either side, and the previous kind."""
    n = len(out)
    for i, f in enumerate(out):
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(f"kd{d}={kinds[j]}")
                f.append(f"cr{d}={runs[j]}")
        if i:
            f.append(f"kk={kinds[i - 1]}|{kinds[i]}")


def features(words: list[str], groups: frozenset[str] | None = None) -> list[list[str]]:
    """Per-token features: the word, its shape, prefix and suffix, whether it is a
    reporting verb or a learned cue word, where the nearest cue word is, whether it sits
    inside quotation marks, and the same for its neighbours; then the outlet-independent
    clues of ``groups`` (OUTLET_GROUPS unless given)."""
    if groups is None:
        groups = OUTLET_GROUPS
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
    if groups:
        for f, extra in zip(out, outlet_features(words, lows, near, quoted, groups), strict=True):
            f.extend(extra)
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
