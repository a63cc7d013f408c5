"""Count, on PolNeAR train, the verbs that make the subject opening a sentence its Source.

    python -m tools.count_subject_verbs [--data ../shared/data/attribution/polnear] [--share 0.5]

For every sentence of PolNeAR train (first annotator) that opens with a subject and a
verb (``actor.SUBJECT_VERB``), the verb counts as a use; it counts as an attribution when
a labelled Source overlaps the subject and a labelled Cue the verb. Verbs used so at least
``--min-count`` times and in at least ``--share`` of their uses are written to
``attribution_subject_verbs.txt`` beside actor.py. Counting is deterministic; the share
was chosen on PolNeAR dev (docs/extraction.md). The test split is never read.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from factcheck.extraction import split_sentences
from factcheck.extraction.actor import VERBS_PATH, subject_kind, subject_verb
from factcheck.extraction.stance import DEEDS
from tools.train_attribution_crf import DEFAULT_DATA, _articles

# Chosen on PolNeAR dev (docs/extraction.md): lower shares buy recall with actions read as
# speech ("Trump took …", "Clinton is …" at 0.1).
MIN_COUNT = 3
SHARE = {"person": 0.3, "other": 0.3}
# Deeds, not words (the stance reader leaves them out too).
ACTIONS = DEEDS


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for s, e in spans)


def count(folder: Path) -> tuple[Counter[str], Counter[str]]:
    uses: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for text, spans in _articles(folder):
        for s in split_sentences(text):
            m = subject_verb(s.text)
            if m is None:
                continue
            verb = f"{subject_kind(m.group('src'))} {' '.join(m.group('verb').split())}"
            uses[verb] += 1
            src, cue = m.span("src"), m.span("verb")
            hits[verb] += (_overlaps(s.start + src[0], s.start + src[1], spans["Source"])
                           and _overlaps(s.start + cue[0], s.start + cue[1], spans["Cue"]))
    return uses, hits


def verbs(uses: Counter[str], hits: Counter[str], min_count: int = MIN_COUNT,
          share: dict[str, float] | None = None) -> list[str]:
    share = share or SHARE
    return sorted(v for v, n in hits.items()
                  if n >= min_count and n >= share[v.split()[0]] * uses[v] and v.split(" ", 1)[1] not in ACTIONS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--min-count", type=int, default=MIN_COUNT)
    parser.add_argument("--person-share", type=float, default=SHARE["person"])
    parser.add_argument("--other-share", type=float, default=SHARE["other"])
    args = parser.parse_args(argv)
    uses, hits = count(args.data / "train")
    found = verbs(uses, hits, args.min_count, {"person": args.person_share, "other": args.other_share})
    VERBS_PATH.write_text("\n".join(found) + "\n", encoding="utf-8")
    print(f"{len(found)} subject verbs from {sum(uses.values())} subject-verb openings of train into {VERBS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
