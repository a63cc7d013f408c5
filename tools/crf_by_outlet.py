"""How the learned attribution reader carries over to outlets it was not trained on.

    python -m tools.train_attribution_crf --by-outlet [--folds 7] [--per-outlet 40] [--jobs 2] [--only nyt]

PolNeAR train holds 120 articles of each of seven outlets (metadata.tsv). The outlets are
dealt, in order of name, into ``folds`` groups (7: leave one outlet out). For each group the
cue words are counted and the CRF is fitted on the train articles of the other outlets only
(same features, c2 and iterations as ``make train``), and a seeded sample of ``per_outlet``
articles of each held-out outlet is read by the whole suggester with that model: rules and
CRF, and for comparison rules alone. The stance reader is switched off in both (its shipped
weights were fitted on all of train, the held-out outlet included); the counted subject verbs
(also counted on all of train) stay on. Only aggregate figures are printed: right claimant of
named-source attributions, recall and precision (tools/evaluate.py's PolNeAR measure). The
dev and test splits are not read.
"""

from __future__ import annotations

import csv
import multiprocessing
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pycrfsuite

from factcheck.extraction import learned, stance, suggest
from factcheck.extraction.names import collect_names
from tools.evaluate import PolnearCounts
from tools.evaluate_attribution import Relation, read_ann

Spans = dict[str, list[tuple[int, int]]]


@dataclass(slots=True)
class Article:
    stem: str
    outlet: str
    text: str
    relations: list[Relation]
    spans: Spans


def read_train(data: Path) -> list[Article]:
    """Every PolNeAR train article (first annotator), by file name, with its outlet."""
    from tools.train_attribution_crf import _spans

    outlet: dict[str, str] = {}
    with (data / "metadata.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["compartment"] == "train":
                outlet[row["filename"]] = row["publisher"]
    folder = data / "train"
    texts = {p.stem: p for p in (folder / "text").glob("*.txt")}
    seen: dict[str, Article] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        if stem in texts and stem not in seen:
            seen[stem] = Article(stem, outlet.get(stem, stem.split("_", 1)[0]),
                                 texts[stem].read_bytes().decode("utf-8"), read_ann(ann), _spans(ann))
    return [seen[k] for k in sorted(seen)]


def outlet_folds(outlets: list[str], folds: int) -> list[list[str]]:
    """The outlets, in order of name, dealt into ``folds`` groups."""
    names = sorted(set(outlets))
    folds = max(1, min(folds, len(names)))
    return [names[k::folds] for k in range(folds)]


@contextmanager
def reader(model: Path | None, cues: frozenset[str]) -> Iterator[None]:
    """The suggester with this CRF (None: rules alone) and cue words, the stance reader off."""
    saved = learned.cue_words, learned._tagger, stance._model
    tagger: Any = None
    if model is not None:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model))
    learned.cue_words = lambda: cues  # type: ignore[assignment]
    learned._tagger = lambda: tagger  # type: ignore[assignment]
    stance._model = lambda: None  # type: ignore[assignment]
    learned._gate.cache_clear()
    try:
        yield
    finally:
        learned.cue_words, learned._tagger, stance._model = saved
        learned._gate.cache_clear()
        if tagger is not None:
            tagger.close()


def score(arts: list[Article]) -> PolnearCounts:
    counts = PolnearCounts()
    for a in arts:
        counts.add(a.relations, suggest.suggest_claims(a.text), collect_names(a.text))
    return counts


def _sample(arts: list[Article], held: list[str], per_outlet: int, seed: int) -> list[Article]:
    out: list[Article] = []
    for name in held:
        mine = [a for a in arts if a.outlet == name]
        out += mine if len(mine) <= per_outlet else random.Random(f"{seed}:{name}").sample(mine, per_outlet)
    return out


def run_fold(arts: list[Article], held: list[str], per_outlet: int, c2: float, iterations: int,
             seed: int) -> tuple[PolnearCounts, PolnearCounts]:
    """(rules alone, rules and a CRF fitted without ``held``) on the sample of ``held``."""
    from tools.train_attribution_crf import cue_lexicon, fit, sequences

    rest = [a for a in arts if a.outlet not in held]
    sample = _sample(arts, held, per_outlet, seed)
    cues = frozenset(cue_lexicon([(a.text, a.spans) for a in rest]))
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "fold.model"
        with reader(None, cues):
            train = sequences([(a.text, a.spans) for a in rest])
            random.Random(seed).shuffle(train)
            fit(train, c2, model, iterations)
            base = score(sample)
        with reader(model, cues):
            with_crf = score(sample)
    return base, with_crf


def _run_fold(job: tuple[list[Article], list[str], int, float, int, int]) -> tuple[PolnearCounts, PolnearCounts]:
    return run_fold(*job)


def add(total: PolnearCounts, more: PolnearCounts) -> None:
    for f in fields(PolnearCounts):
        setattr(total, f.name, getattr(total, f.name) + getattr(more, f.name))


def line(name: str, c: PolnearCounts) -> str:
    return (f"{name}: right claimant {c.covered_right}/{c.labelled} = {c.covered_right / max(1, c.labelled):.4f}, "
            f"recall {c.covered / max(1, c.labelled):.3f}, precision {c.on_content / max(1, c.attributed):.4f}")


def by_outlet(data: Path, folds: int, per_outlet: int, c2: float, iterations: int, seed: int, jobs: int = 1,
              limit: int | None = None, only: str | None = None) -> tuple[PolnearCounts, PolnearCounts]:
    """Print each held-out group's figures as it is done and the total; return (rules alone,
    with the CRF). ``limit`` keeps only the first articles of each outlet (for a quick test);
    ``only`` runs only the fold that holds out this outlet."""
    arts = read_train(data)
    if limit is not None:
        arts = [a for name in sorted({a.outlet for a in arts}) for a in [b for b in arts if b.outlet == name][:limit]]
    groups = [g for g in outlet_folds([a.outlet for a in arts], folds) if only is None or only in g]
    jobs_list = [(arts, held, per_outlet, c2, iterations, seed) for held in groups]
    total_base, total = PolnearCounts(), PolnearCounts()

    def report(held: list[str], base: PolnearCounts, with_crf: PolnearCounts) -> None:
        print(line(f"held out {'+'.join(held)}, rules alone", base), flush=True)
        print(line(f"held out {'+'.join(held)}, with the CRF", with_crf), flush=True)
        add(total_base, base)
        add(total, with_crf)

    if jobs > 1 and len(groups) > 1:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(groups))) as pool:
            for held, result in zip(groups, pool.imap(_run_fold, jobs_list), strict=True):
                report(held, *result)
    else:
        for held, job in zip(groups, jobs_list, strict=True):
            report(held, *_run_fold(job))
    what = f"{len(groups)} of {folds} folds" if only else f"all {len(groups)} folds"
    print(line(f"{what} ({per_outlet} articles per outlet), rules alone", total_base))
    print(line(f"{what} ({per_outlet} articles per outlet), with the CRF", total))
    return total_base, total
