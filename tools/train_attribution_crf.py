"""Train the learned attribution reader (factcheck/extraction/learned.py) on PolNeAR train.

    python -m tools.train_attribution_crf [--data ../shared/data/attribution/polnear]

First the cue words are counted on PolNeAR train: a word (letters only) that occurs in a
labelled Cue at least 8 times and in at least half of its occurrences; they are written
beside learned.py, which uses them as a feature and as a gate. Then every sentence of
PolNeAR train (first annotator of each article) becomes a sequence of tokens labelled S
(inside a labelled Source), C (inside a Cue) or O. The CRF is fitted with L-BFGS (seeded
data order; crfsuite's L-BFGS is deterministic), its L2 weight is picked on PolNeAR dev by
token F1 of S, and the model is written beside learned.py. The test split is never read.

``--by-outlet`` writes nothing: it estimates how the reader carries over to an outlet it was
not trained on (tools/crf_by_outlet.py), fitting one CRF per group of held-out outlets on
the other outlets' train articles and scoring a sample of the held-out ones with the whole
suggester. Dev and test are not read.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pycrfsuite

from factcheck.extraction import learned, split_sentences
from factcheck.extraction.learned import CUES_PATH, MAX_TOKENS, MODEL_PATH, features, tokens

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / ".." / "shared" / "data" / "attribution" / "polnear"


def _spans(ann: Path) -> dict[str, list[tuple[int, int]]]:
    found: dict[str, list[tuple[int, int]]] = {"Source": [], "Cue": []}
    for line in ann.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if not line.startswith("T") or len(fields) < 2:
            continue  # a surface text running over several lines
        info = fields[1]
        label, _, ranges = info.partition(" ")
        if label in found:
            for part in ranges.split(";"):
                a, b = part.split()[:2]
                found[label].append((int(a), int(b)))
    return found


def _label(start: int, end: int, spans: dict[str, list[tuple[int, int]]]) -> str:
    for label, key in (("S", "Source"), ("C", "Cue")):
        if any(a <= start and end <= b for a, b in spans[key]):
            return label
    return "O"


def _articles(folder: Path) -> list[tuple[str, dict[str, list[tuple[int, int]]]]]:
    """Each article's text and its Source and Cue spans (first annotator)."""
    texts = {p.stem: p for p in (folder / "text").glob("*.txt")}
    seen: set[str] = set()
    out = []
    for ann in sorted((folder / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        if stem not in texts or stem in seen:
            continue
        seen.add(stem)
        out.append((texts[stem].read_bytes().decode("utf-8"), _spans(ann)))
    return out


# A cue word: letters only, in a Cue at least this often, and in at least this share of its uses.
CUE_MIN_COUNT = 8
CUE_MIN_SHARE = 0.5
# The L2 weight the last `make train` kept on dev (the default of --by-outlet).
C2 = 1.0


def cue_lexicon(articles: list[tuple[str, dict[str, list[tuple[int, int]]]]]) -> list[str]:
    in_cue: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for text, spans in articles:
        for word, start, end in tokens(text):
            low = word.lower()
            total[low] += 1
            in_cue[low] += any(a <= start and end <= b for a, b in spans["Cue"])
    return sorted(w for w, n in in_cue.items()
                  if n >= CUE_MIN_COUNT and n >= CUE_MIN_SHARE * total[w] and re.fullmatch(r"[a-z’']+", w))


def read_split(folder: Path, groups: frozenset[str] | None = None) -> list[tuple[list[list[str]], list[str]]]:
    return sequences(_articles(folder), groups)


def sequences(articles: list[tuple[str, dict[str, list[tuple[int, int]]]]],
              groups: frozenset[str] | None = None) -> list[tuple[list[list[str]], list[str]]]:
    """Each sentence of 3 to MAX_TOKENS tokens: its features and its S / C / O labels."""
    data = []
    for text, spans in articles:
        for s in split_sentences(text):
            toks = tokens(s.text)
            if not 3 <= len(toks) <= MAX_TOKENS:
                continue
            labels = [_label(s.start + a, s.start + b, spans) for _, a, b in toks]
            data.append((features([t[0] for t in toks], groups), labels))
    return data


def fit(train: list, c2: float, path: Path, iterations: int, c1: float = 0.0) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in train:
        trainer.append(xseq, yseq)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.minfreq": 2})
    trainer.train(str(path))


def _source_f1(path: Path, dev: list) -> float:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    tp = fp = fn = 0
    for xseq, yseq in dev:
        for got, want in zip(tagger.tag(xseq), yseq, strict=True):
            tp += got == want == "S"
            fp += got == "S" != want
            fn += want == "S" != got
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def parse_groups(text: str | None) -> frozenset[str]:
    if text is None:
        return learned.OUTLET_GROUPS
    if text == "all":
        return learned.ALL_OUTLET_GROUPS
    groups = frozenset(g for g in text.split(",") if g and g != "none")
    unknown = groups - learned.ALL_OUTLET_GROUPS
    if unknown:
        raise SystemExit(f"unknown feature groups: {sorted(unknown)}")
    return groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--by-outlet", action="store_true",
                        help="write nothing; estimate the reader on outlets held out of training (tools/crf_by_outlet.py)")
    parser.add_argument("--folds", type=int, default=7, help="--by-outlet: groups of outlets (7: leave one out)")
    parser.add_argument("--per-outlet", type=int, default=40, help="--by-outlet: held-out articles scored per outlet")
    parser.add_argument("--c2", type=float, default=C2, help="--by-outlet: the L2 weight")
    parser.add_argument("--jobs", type=int, default=1, help="--by-outlet: folds fitted at once")
    parser.add_argument("--limit", type=int, default=None, help="--by-outlet: only the first articles of each outlet")
    parser.add_argument("--only", default=None, help="--by-outlet: only the fold that holds out this outlet")
    parser.add_argument("--grid", default="0.1,1.0",
                        help="the L2 weights tried; the best by Source token F1 on dev is kept")
    parser.add_argument("--groups", default=None,
                        help="outlet-independent feature groups (comma-separated, 'all' or 'none'; "
                             "default: learned.OUTLET_GROUPS, what the shipped model is fitted with)")
    parser.add_argument("--keep-all", action="store_true",
                        help="keep every candidate beside --out as <out>.c2-<c2> (for comparing on dev)")
    args = parser.parse_args(argv)
    groups = parse_groups(args.groups)
    if args.by_outlet:
        from tools.crf_by_outlet import by_outlet

        # Every fold (forked) fits and reads with these groups; this process only.
        learned.OUTLET_GROUPS = groups

        by_outlet(args.data, args.folds, args.per_outlet, args.c2, args.iterations, args.seed, args.jobs, args.limit,
                  args.only)
        return 0
    cues = cue_lexicon(_articles(args.data / "train"))
    cue_text = "\n".join(cues) + "\n"
    if not CUES_PATH.is_file() or CUES_PATH.read_text(encoding="utf-8") != cue_text:
        CUES_PATH.write_text(cue_text, encoding="utf-8")
    learned.cue_words.cache_clear()
    learned._gate.cache_clear()
    print(f"{len(cues)} cue words learnt from train into {CUES_PATH}", flush=True)
    train = read_split(args.data / "train", groups)
    dev = read_split(args.data / "dev", groups)
    random.Random(args.seed).shuffle(train)
    grid = [float(c) for c in args.grid.split(",")]
    best = (-1.0, 0.0)
    for c2 in grid:
        candidate = args.out.with_suffix(f".c2-{c2}")
        fit(train, c2, candidate, args.iterations)
        f1 = _source_f1(candidate, dev)
        print(f"c2={c2}: Source token F1 on dev {f1:.3f} ({candidate.stat().st_size / 1e6:.1f} MB)", flush=True)
        best = max(best, (f1, c2))
    if args.keep_all:
        print(f"best c2={best[1]} (dev F1 {best[0]:.3f}); candidates kept beside {args.out}")
        return 0
    for c2 in grid:
        candidate = args.out.with_suffix(f".c2-{c2}")
        if c2 == best[1]:
            shutil.move(candidate, args.out)
        else:
            candidate.unlink()
    print(f"kept c2={best[1]} (dev F1 {best[0]:.3f}); {len(train)} train sentences; "
          f"{args.out.stat().st_size / 1e6:.1f} MB at {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
