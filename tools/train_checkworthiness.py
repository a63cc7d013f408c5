"""Re-fit the check-worthiness weights offline.

    python -m tools.train_checkworthiness ../shared/data/checkworthiness/checkthat2024

Reads the CLEF CheckThat! 2024 Task 1 English TSVs (train, dev, dev-test), fits an
L2-regularised logistic regression with AdaGrad in pure Python (no numpy needed at run
time or here), seeded, picks the decision threshold on dev, prints F1 of the Yes class on
dev and dev-test, and writes the learnt weights only (never the sentences) to
``checkworthiness_weights.json``. test_gold is read only with ``--report-test``: choose
everything on dev and dev-test, then report test_gold once.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
from collections import Counter
from pathlib import Path

from factcheck.extraction.checkworthiness import WEIGHTS_PATH, features

Example = tuple[list[str], int]

# The shared data sits beside the repository, not in it.
DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "checkworthiness" / "checkthat2024"


def read_tsv(path: Path) -> list[Example]:
    out: list[Example] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            out.append((features(row["Text"]), 1 if row["class_label"].strip() == "Yes" else 0))
    return out


def fit(data: list[Example], *, epochs: int = 3, rate: float = 0.1, l2: float = 1e-3,
        min_count: int = 10, seed: int = 13) -> dict[str, float]:
    counts = Counter(f for feats, _ in data for f in set(feats))
    keep = {f for f, c in counts.items() if c >= min_count}
    w: dict[str, float] = {}
    g2: dict[str, float] = {}
    rng = random.Random(seed)
    order = list(range(len(data)))
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            feats, y = data[i]
            feats = [f for f in feats if f in keep]
            z = sum(w.get(f, 0.0) for f in feats)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - y
            for f in feats:
                grad = g + l2 * w.get(f, 0.0)
                acc = g2.get(f, 0.0) + grad * grad
                g2[f] = acc
                w[f] = w.get(f, 0.0) - rate * grad / math.sqrt(acc + 1e-8)
    return w


def predict(w: dict[str, float], feats: list[str]) -> float:
    return sum(w.get(f, 0.0) for f in feats)


def f1_yes(w: dict[str, float], data: list[Example], threshold: float) -> float:
    tp = fp = fn = 0
    for feats, y in data:
        guess = predict(w, feats) >= threshold
        tp += guess and y
        fp += guess and not y
        fn += (not guess) and y
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


# The settings tried by --select, each fitted on train with its threshold on dev and scored on dev-test.
GRID = [{"epochs": e, "l2": l2, "min_count": m} for e in (3, 6) for l2 in (1e-4, 3e-4, 1e-3, 3e-3) for m in (3, 10)]
# The setting `make train` fits (docs/extraction.md says how it was chosen).
CHOSEN = {"epochs": 6, "l2": 3e-4, "min_count": 10}


def best_threshold(w: dict[str, float], dev: list[Example]) -> tuple[float, float]:
    """The decision threshold (logit) with the best F1 of Yes on dev, and that F1."""
    best_t, best_f1 = 0.0, -1.0
    for step in range(-30, 31):
        t = step / 10
        f1 = f1_yes(w, dev, t)
        if f1 > best_f1:
            best_t, best_f1 = t, f1
    return best_t, best_f1


def pruned(w: dict[str, float], prune: float) -> dict[str, float]:
    return {f: round(v, 4) for f, v in w.items() if abs(v) >= prune or f == "bias"}


def select(train: list[Example], dev: list[Example], dev_test: list[Example], prune: float) -> dict:
    """Every setting of GRID scored on dev-test (test_gold is never read here); the best one, the
    fewer epochs and the stronger regularisation first on a tie."""
    rows = []
    for setting in GRID:
        w = pruned(fit(train, **setting), prune)
        t, f1_dev = best_threshold(w, dev)
        rows.append({**setting, "f1_yes_dev": round(f1_dev, 3), "f1_yes_dev_test": round(f1_yes(w, dev_test, t), 3)})
        print(json.dumps(rows[-1]), flush=True)
    best = max(rows, key=lambda r: (r["f1_yes_dev_test"], -r["epochs"], r["l2"], r["min_count"]))
    print("chosen on dev-test:", json.dumps(best))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA,
                        help="folder with CT24_checkworthy_english_*.tsv (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    parser.add_argument("--prune", type=float, default=0.02, help="drop weights smaller than this")
    parser.add_argument("--select", action="store_true",
                        help="score every setting of GRID on dev-test and print them (writes nothing)")
    parser.add_argument("--report-test", action="store_true",
                        help="also score test_gold; do this once, after every choice is made on dev and dev-test")
    args = parser.parse_args(argv)
    name = "CT24_checkworthy_english_{}.tsv"
    train = read_tsv(args.data / name.format("train"))
    dev = read_tsv(args.data / name.format("dev"))
    dev_test = read_tsv(args.data / name.format("dev-test"))
    if args.select:
        select(train, dev, dev_test, args.prune)
        return 0
    w = pruned(fit(train, **CHOSEN), args.prune)
    # The debates' class balance differs from news copy; the threshold is picked on dev
    # for the F1 report only, the suggester applies its own.
    best_t, best_f1 = best_threshold(w, dev)
    report = {
        "setting": CHOSEN,
        "threshold_logit": best_t,
        "f1_yes_dev": round(best_f1, 3),
        "f1_yes_dev_test": round(f1_yes(w, dev_test, best_t), 3),
        "features": len(w),
    }
    if args.report_test:
        test = read_tsv(args.data / name.format("test_gold"))
        report["f1_yes_test_gold"] = round(f1_yes(w, test, best_t), 3)
    args.out.write_text(json.dumps({"about": "Logistic regression weights for "
                                    "factcheck.extraction.checkworthiness; fitted on CLEF CheckThat! 2024 "
                                    "Task 1 English train by tools/train_checkworthiness.py.",
                                    "report": report, "weights": dict(sorted(w.items()))},
                                   ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
