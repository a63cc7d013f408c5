"""Fit the stance reader (factcheck/extraction/stance.py) on PolNeAR train.

    python -m tools.train_stance [--data ../shared/data/attribution/polnear] [--crossfit] [--wide]

The examples are the sentences the suggester leaves without a speaker (every tag reader,
the CRF and the counted subject verbs have found none) that open with a subject and a verb.
An example is positive when a labelled Source (first annotator) overlaps the subject and
its Content is covered by half by the sentence, or covers half of it. The logistic
regression is fitted with the check-worthiness fitter (AdaGrad, seeded), on all of train.
Its threshold is the one that gives the most right claimants on PolNeAR dev (ties: the
higher precision), precision falling by no more than 0.005 (at three places) from the
suggester without the reader.

``--crossfit`` measures the reader honestly on train articles it was not fitted on: the
unread train articles (tools/polnear_splits.py: 660 of the first 720 by file name) are split
into two halves (even and odd places); each half is scored by a model fitted on the other half
and the readable articles (the last 120 and the outlet slice of 60), with the threshold chosen
above. Only aggregate figures are printed. The test split is never read.

``--wide`` fits the reader on subjects after an opening conjunction and the first clause
boundaries too (``stance.WIDE``, saved with the weights); the eleventh round measured it and
left it off (docs/extraction.md, "Eleventh round: wide attributions").

``--long off|shared|kind|all`` reads the longer subjects (``stance.LONG_SUBJECTS``) with their
features shared or apart (``stance.LONG_APART``); with ``all`` and ``--long-threshold`` the two
models are fitted apart and the longer subjects get a threshold of their own, chosen on dev by the
rule above with the opening pattern's (``--threshold``, or searched first) fixed: how the shipped
weights were fitted (docs/extraction.md, "Thirteenth round"), and what ``make train`` does as
stance.py ships (searching the opening pattern's threshold first):

    python -m tools.train_stance --crossfit --long all --long-threshold --threshold 0.8

``--fronted-lower on`` and ``--deed-speech on`` try the thirteenth round's other shapes; ``--out``
writes the weights elsewhere. The file records the switches it was fitted with.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from factcheck.extraction import learned, stance, suggest
from factcheck.extraction.leading import blank_discourse
from factcheck.extraction.names import collect_names
from tools.evaluate import PolnearCounts
from tools.evaluate_attribution import Relation, read_ann
from tools.polnear_splits import split
from tools.train_attribution_crf import DEFAULT_DATA, _spans
from tools.train_checkworthiness import fit

# File stem, text, labelled relations, Source and Cue spans.
Article = tuple[str, str, list[Relation], dict[str, list[tuple[int, int]]]]
Example = tuple[list[str], int]

# Chosen on PolNeAR dev (docs/extraction.md, "Eighth round").
EPOCHS, RATE, L2, MIN_COUNT, SEED = 6, 0.1, 1e-3, 5, 13
THRESHOLDS = [round(0.50 + 0.025 * i, 3) for i in range(19)]
# Precision on dev may fall by 0.005 at most, at three places as `make eval` prints it (the
# floor in tests/extraction/test_evaluate.py).
MAX_PRECISION_LOSS = 0.005


def articles(folder: Path) -> list[Article]:
    """Each article of a split (first annotator), by file name."""
    texts = {p.stem: p for p in (folder / "text").glob("*.txt")}
    seen: dict[str, Article] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        if stem in texts and stem not in seen:
            seen[stem] = (stem, texts[stem].read_bytes().decode("utf-8"), read_ann(ann), _spans(ann))
    return [seen[k] for k in sorted(seen)]


def _asked(text: str) -> list[tuple[int, str, dict[str, str]]]:
    """The sentences the suggester asks the learned readers about, gets no speaker for
    (without this reader) and suggests as claims: where each starts in ``text``, the
    sentence, the article's names. A sentence that is not suggested counts for nothing."""
    asked: list[tuple[int, str, dict[str, str]]] = []
    where = {"start": 0}
    read, learned, model = suggest._read_sentence, suggest._learned, stance._model

    def reading(state: Any, s: Any, headline: bool) -> None:
        where["start"] = s.start + suggest._dateline_end(s.text)
        read(state, s, headline)

    def asking(body: str, names: dict[str, str]) -> list[str] | None:
        found = learned(body, names)
        if found is None:
            asked.append((where["start"], blank_discourse(body), names))
        return found

    suggest._read_sentence, suggest._learned, stance._model = reading, asking, lambda: None  # type: ignore[assignment]
    try:
        suggested = suggest.suggest_claims(text)
    finally:
        suggest._read_sentence, suggest._learned, stance._model = read, learned, model
    return [a for a in asked if any(s.start <= a[0] + len(a[1]) // 2 < s.end for s in suggested)]


def _positive(start: int, end: int, subject: tuple[int, int], relations: list[Relation]) -> bool:
    for rel in relations:
        if not (rel.source_span[0] < subject[1] and subject[0] < rel.source_span[1]):
            continue
        overlap = sum(max(0, min(end, b) - max(start, a)) for a, b in rel.contents)
        if overlap >= 0.5 * sum(b - a for a, b in rel.contents) or overlap >= 0.5 * (end - start):
            return True
    return False


# The share of a word's uses inside a Cue (or a Source) is put in a bucket by these edges.
_SHARE_EDGES = (0.02, 0.1, 0.25, 0.5, 0.75)
_MIN_USES = 5


def rates(arts: list[Article]) -> stance.Rates:
    """How often each word of ``arts`` is part of a labelled Cue and of a labelled Source."""
    uses: Counter[str] = Counter()
    inside: dict[str, Counter[str]] = {"Cue": Counter(), "Source": Counter()}
    for _, text, _, spans in arts:
        for word, start, end in learned.tokens(text):
            low = word.lower()
            uses[low] += 1
            for kind, counter in inside.items():
                counter[low] += any(a <= start and end <= b for a, b in spans[kind])

    def buckets(counter: Counter[str]) -> dict[str, str]:
        return {w: str(sum(counter[w] / n > e for e in _SHARE_EDGES)) for w, n in sorted(uses.items())
                if n >= _MIN_USES and counter[w]}
    return stance.Rates(buckets(inside["Cue"]), buckets(inside["Source"]))


Asked = dict[str, list[tuple[int, str, dict[str, str]]]]


def asked(arts: list[Article]) -> Asked:
    return {stem: _asked(text) for stem, text, _, _ in arts}


def examples(arts: list[Article], questions: Asked, fold_rates: stance.Rates,
             wide: stance.Wide = stance.NARROW) -> list[Example]:
    out: list[Example] = []
    for stem, _, relations, _ in arts:
        for start, body, names in questions[stem]:
            for feats, span in stance.candidates(body, names, fold_rates, wide):
                out.append((feats, int(_positive(start, start + len(body), (start + span[0], start + span[1]),
                                                 relations))))
    return out


def fitted_apart(arts: list[Article], questions: Asked, fold_rates: stance.Rates,
                 wide: stance.Wide = stance.NARROW) -> dict[str, float]:
    """With the longer subjects' features all apart (``stance.LONG_APART`` "all"), two models in
    one file: the opening pattern's fitted on the examples the reader has without the longer
    subjects (as without them: the same weights), the longer subjects' on theirs alone."""
    stance.LONG_SUBJECTS = False
    try:
        plain = fitted(examples(arts, questions, fold_rates, wide))
    finally:
        stance.LONG_SUBJECTS = True
    longer = [e for e in examples(arts, questions, fold_rates, wide) if "long=True" in e[0]]
    print(f"{len(longer)} examples of longer subjects ({sum(y for _, y in longer)} positive)", flush=True)
    return plain | fitted(longer)


def fitted(data: list[Example]) -> dict[str, float]:
    """The reader's weights, those too small to matter left out."""
    return {f: round(w, 4) for f, w in fit(data, epochs=EPOCHS, rate=RATE, l2=L2, min_count=MIN_COUNT, seed=SEED).items() if abs(w) >= 1e-3 or f == "bias"}


def score(arts: list[Article], model: stance.Model | None) -> PolnearCounts:
    """The suggester's PolNeAR counts on ``arts`` with the given reader (None: without it)."""
    loaded = stance._model
    stance._model = lambda: model  # type: ignore[assignment]
    counts = PolnearCounts()
    try:
        for _, text, relations, _ in arts:
            counts.add(relations, suggest.suggest_claims(text), collect_names(text))
    finally:
        stance._model = loaded
    return counts


def line(name: str, c: PolnearCounts) -> str:
    return (f"{name}: right claimant {c.covered_right}/{c.labelled} = {c.covered_right / c.labelled:.4f}, "
            f"recall {c.covered / c.labelled:.3f}, precision {c.on_content / c.attributed:.4f}, "
            f"strict {c.strict / c.named:.3f}")


def choose_threshold(weights: dict[str, float], fold_rates: stance.Rates, dev: list[Article],
                     wide: stance.Wide = stance.NARROW, long_apart: bool = False,
                     fixed: float | None = None) -> tuple[float, float | None]:
    """The threshold by the rule above; with ``long_apart``, first without the longer subjects
    (their threshold out of reach; ``fixed``: already chosen so), then theirs by the same rule with
    the first one fixed."""
    base = score(dev, None)
    print(line("dev without the reader", base), flush=True)
    floor = round(round(base.on_content / base.attributed, 3) - MAX_PRECISION_LOSS, 3)

    def pick(model: Any, name: str) -> float:
        best = (base.covered_right, 0.0, 1.0)
        for t in THRESHOLDS:
            c = score(dev, model(t))
            print(line(f"dev at {name} {t}", c), flush=True)
            precision = c.on_content / c.attributed
            if round(precision, 3) >= floor and (c.covered_right, precision) > best[:2]:
                best = (c.covered_right, precision, t)
        return best[2]

    if not long_apart:
        return pick(lambda t: stance.Model(weights, t, fold_rates, wide), "threshold"), None
    threshold = fixed if fixed is not None else pick(lambda t: stance.Model(weights, t, fold_rates, wide, 2.0),
                                                     "threshold (no longer subjects)")
    return threshold, pick(lambda t: stance.Model(weights, threshold, fold_rates, wide, t), "long threshold")


def crossfit(train: list[Article], questions: Asked, threshold: float, wide: stance.Wide = stance.NARROW,
             long_threshold: float | None = None, apart: bool = False) -> None:
    rest, unread = split(train, lambda a: a[0])
    halves = [unread[0::2], unread[1::2]]
    total_base, total = PolnearCounts(), PolnearCounts()
    for k, half in enumerate(halves):
        other = halves[1 - k]
        fold_rates = rates(other + rest)
        weights = fitted_apart(other + rest, questions, fold_rates, wide) if apart \
            else fitted(examples(other + rest, questions, fold_rates, wide))
        model = stance.Model(weights, threshold, fold_rates, wide, long_threshold)
        for target, c in ((total_base, score(half, None)), (total, score(half, model))):
            for field in ("labelled", "covered", "attributed", "on_content", "named", "strict", "lenient",
                          "covered_right"):
                setattr(target, field, getattr(target, field) + getattr(c, field))
    print(line(f"unread {len(unread)} without the reader", total_base))
    print(line(f"unread {len(unread)}, cross-fitted", total))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--crossfit", action="store_true", help="also score the unread train articles, cross-fitted")
    parser.add_argument("--wide", action="store_true",
                        help="also weigh subjects after an opening conjunction and clause boundaries (stance.WIDE)")
    parser.add_argument("--long", choices=("off", "shared", "kind", "all"), default=None,
                        help="read longer subjects (stance.LONG_SUBJECTS), their features shared, their kinds "
                             "apart, or all apart (stance.LONG_APART); default: as stance.py ships")
    parser.add_argument("--fronted-lower", choices=("on", "off"), default=None,
                        help="read lower-case subjects after a fronted clause (stance.FRONTED_LOWER)")
    parser.add_argument("--deed-speech", choices=("on", "off"), default=None,
                        help="read deeds whose object is words (stance.DEED_SPEECH)")
    parser.add_argument("--long-threshold", action="store_true",
                        help="give the longer subjects a threshold of their own, chosen after the threshold")
    parser.add_argument("--threshold", type=float, default=None,
                        help="with --long all --long-threshold: the opening pattern's threshold, already chosen "
                             "(its weights are those fitted without the longer subjects)")
    parser.add_argument("--out", type=Path, default=None, help="write the weights here, not beside stance.py")
    args = parser.parse_args(argv)
    if args.long is not None:
        stance.LONG_SUBJECTS = args.long != "off"
        stance.LONG_APART = "" if args.long in ("off", "shared") else args.long
    if args.fronted_lower is not None:
        stance.FRONTED_LOWER = args.fronted_lower == "on"
    if args.deed_speech is not None:
        stance.DEED_SPEECH = args.deed_speech == "on"
    wide = stance.WIDE if args.wide else stance.NARROW
    train = articles(args.data / "train")
    dev = articles(args.data / "dev")
    questions = asked(train)
    train_rates = rates(train)
    # As shipped (LONG_APART "all"), the longer subjects are fitted apart with their own threshold.
    apart = stance.LONG_SUBJECTS and stance.LONG_APART == "all" and (args.long_threshold or args.long is None)
    if apart:
        weights = fitted_apart(train, questions, train_rates, wide)
    else:
        data = examples(train, questions, train_rates, wide)
        print(f"{len(data)} examples ({sum(y for _, y in data)} positive) from {len(train)} train articles",
              flush=True)
        weights = fitted(data)
    threshold, long_threshold = choose_threshold(weights, train_rates, dev, wide,
                                                 stance.LONG_SUBJECTS and (args.long_threshold or apart),
                                                 args.threshold)
    saved: dict[str, Any] = {"threshold": threshold, "weights": weights, "cue": train_rates.cue,
                             "source": train_rates.source}
    if long_threshold is not None:
        saved["long_threshold"] = long_threshold
    if wide != stance.NARROW:
        saved.update(places=sorted(wide.places), extend=wide.extend)
    # As fitted: stance.py must read the same subjects (tests/extraction hold the shipped file to it).
    saved.update(long_subjects=stance.LONG_SUBJECTS, long_apart=stance.LONG_APART,
                 fronted_lower=stance.FRONTED_LOWER, deed_speech=stance.DEED_SPEECH)
    out = args.out or stance.WEIGHTS_PATH
    out.write_text(json.dumps(saved, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    print(f"{len(weights)} weights, threshold {threshold}, longer subjects {long_threshold}, into {out}")
    if args.crossfit:
        crossfit(train, questions, threshold, wide, long_threshold, apart)
    return 0


if __name__ == "__main__":
    sys.exit(main())
