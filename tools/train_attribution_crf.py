"""Train the learned attribution reader (factcheck/extraction/learned.py) on PolNeAR train.

    python -m tools.train_attribution_crf [--data ../shared/data/attribution/polnear]

Every sentence of PolNeAR train (first annotator of each article) becomes a sequence of
tokens labelled S (inside a labelled Source), C (inside a Cue) or O. The CRF is fitted
with L-BFGS (seeded data order; crfsuite's L-BFGS is deterministic), its L2 weight is picked
on PolNeAR dev by token F1 of S, and the model is written beside learned.py. The test
split is never read.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import pycrfsuite

from factcheck.extraction import split_sentences
from factcheck.extraction.learned import MAX_TOKENS, MODEL_PATH, features, tokens

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


def read_split(folder: Path) -> list[tuple[list[list[str]], list[str]]]:
    texts = {p.stem: p for p in (folder / "text").glob("*.txt")}
    seen: set[str] = set()
    data = []
    for ann in sorted((folder / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        if stem not in texts or stem in seen:
            continue
        seen.add(stem)
        text = texts[stem].read_bytes().decode("utf-8")
        spans = _spans(ann)
        for s in split_sentences(text):
            toks = tokens(s.text)
            if not 3 <= len(toks) <= MAX_TOKENS:
                continue
            labels = [_label(s.start + a, s.start + b, spans) for _, a, b in toks]
            data.append((features([t[0] for t in toks]), labels))
    return data


def _fit(train: list, c2: float, path: Path, iterations: int) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in train:
        trainer.append(xseq, yseq)
    trainer.set_params({"c1": 0.0, "c2": c2, "max_iterations": iterations, "feature.minfreq": 2})
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    train = read_split(args.data / "train")
    dev = read_split(args.data / "dev")
    random.Random(args.seed).shuffle(train)
    best = (-1.0, 0.0)
    for c2 in (0.1, 1.0):
        _fit(train, c2, args.out, args.iterations)
        f1 = _source_f1(args.out, dev)
        print(f"c2={c2}: Source token F1 on dev {f1:.3f}", flush=True)
        best = max(best, (f1, c2))
    _fit(train, best[1], args.out, args.iterations)
    print(f"kept c2={best[1]} (dev F1 {best[0]:.3f}); {len(train)} train sentences; "
          f"{args.out.stat().st_size / 1e6:.1f} MB at {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
