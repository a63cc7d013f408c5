"""Measure a candidate attribution CRF without installing it.

    python -m tools.crf_candidate --model /tmp/c.model --groups all stance --weights /tmp/w.json
    python -m tools.crf_candidate --model /tmp/c.model --groups all eval [--weights /tmp/w.json]

A model fitted with other features (``tools.train_attribution_crf --groups ... --keep-all
--out ...``) is read with those features in this process only: neither the shipped model nor
the shipped stance weights are touched. ``stance`` refits the stance reader on the candidate's
output, as ``make train`` would after installing it (``tools.train_stance --crossfit``: dev
threshold, then the 660 unread train articles cross-fitted), writing the weights to
``--weights``; ``eval`` runs ``tools.evaluate`` with the candidate and the stance weights in
``--weights`` (the shipped ones when not given). Comparing two CRFs fairly means refitting the
stance reader for each: it reads only what the CRF leaves.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from factcheck.extraction import learned, stance


def install(model: Path, groups: frozenset[str], weights: Path | None) -> None:
    """Point this process's learned reader (and stance reader) at the candidate files."""
    learned.MODEL_PATH = model
    learned.OUTLET_GROUPS = groups
    learned._tagger.cache_clear()
    if weights is not None:
        stance.WEIGHTS_PATH = weights
        stance._model.cache_clear()


def main(argv: list[str] | None = None) -> int:
    from tools.train_attribution_crf import parse_groups

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--groups", default="none", help="the outlet-independent feature groups the model was fitted with")
    parser.add_argument("--weights", type=Path, default=None, help="stance weights: written by stance, read by eval")
    parser.add_argument("command", choices=("stance", "eval"))
    parser.add_argument("--only", choices=("labelled", "polnear", "checkthat"), default=None)
    args = parser.parse_args(argv)
    if not args.model.is_file():
        raise SystemExit(f"no model at {args.model}")
    if args.command == "stance" and args.weights is None:
        raise SystemExit("stance needs --weights (the shipped stance weights are never rewritten here)")
    install(args.model, parse_groups(args.groups), args.weights)
    if args.command == "stance":
        from tools import train_stance

        return train_stance.main(["--crossfit"])
    from tools import evaluate

    return evaluate.main(["--only", args.only] if args.only else [])


if __name__ == "__main__":
    sys.exit(main())
