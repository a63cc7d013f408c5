"""Why counted PolNeAR Contents are not covered by an attributed suggestion, on articles we may read.

    python -m tools.missed_contents [--data ../shared/data/attribution/polnear] [--set slice|west|dev] [--show]

A labelled attribution counts as in `make eval` (tools/evaluate.py): a Source that is not a
pronoun, a Content of 20 characters or more. It is covered (recall) when an attributed
suggestion overlaps half of its Content. Each one that is not is put in one class:

* ``unattributed``: a suggestion without claimant covers half the Content;
* ``partial/attributed`` or ``partial/unattributed``: suggestions overlap the Content, none
  by half (the span rule); ``+split`` when the Content runs over more than one sentence of
  ``extraction.sentences.split_sentences``, ``+inside`` when the Content lies in one sentence
  and the suggestion is a different part of it;
* ``none``: no suggestion overlaps the Content; then why, from the pipeline run again with
  the score threshold at 0: ``score/attributed`` (an attributed unit covers it, its score
  under the threshold), ``score/unattributed``, ``furniture`` (set aside as page furniture),
  ``merged``/``other`` (no unit covers it).

``--show`` prints each case (only for ``slice`` and ``west``); dev gives counts only. The
unread train articles and the test split cannot be chosen.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from factcheck.extraction import suggest_claims
from factcheck.extraction.furniture import find_furniture
from factcheck.extraction.sentences import split_sentences
from factcheck.extraction.types import Suggestion
from tools.attribution_errors import chosen
from tools.evaluate import _PRONOUN_SOURCES, _overlap
from tools.evaluate_attribution import Relation
from tools.train_attribution_crf import DEFAULT_DATA


def _sentences_touched(starts: list[tuple[int, int]], rel: Relation) -> int:
    return sum(any(a < e and s < b for a, b in rel.contents) for s, e in starts)


def classify(text: str, rel: Relation, suggestions: list[Suggestion], loose: list[Suggestion],
             sentences: list[tuple[int, int]], furniture: list[tuple[int, int]]) -> str | None:
    """The class of a counted attribution not covered by an attributed suggestion (None if covered)."""
    length = sum(b - a for a, b in rel.contents)
    covering = [s for s in suggestions if _overlap(s, rel) >= 0.5 * length]
    if any(s.claimant for s in covering):
        return None
    if covering:
        return "unattributed"
    touching = [s for s in suggestions if _overlap(s, rel) > 0]
    if touching:
        kind = "partial/" + ("attributed" if any(s.claimant for s in touching) else "unattributed")
        return kind + ("+split" if _sentences_touched(sentences, rel) > 1 else "+inside")
    low = [s for s in loose if _overlap(s, rel) >= 0.5 * length]
    if any(s.claimant for s in low):
        return "none/score-attributed"
    if low:
        return "none/score-unattributed"
    if any(sum(max(0, min(b, fe) - max(a, fs)) for a, b in rel.contents) >= 0.5 * length for fs, fe in furniture):
        return "none/furniture"
    if any(_overlap(s, rel) > 0 for s in loose):
        return "none/partial-unit" + ("+split" if _sentences_touched(sentences, rel) > 1 else "+inside")
    return "none/other"


def report(arts: list, *, show: bool) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for stem, text, relations, _ in arts:
        suggestions = suggest_claims(text)
        loose = suggest_claims(text, threshold=0.0)
        sentences = [(s.start, s.end) for s in split_sentences(text)]
        furniture = [(f.start, f.end) for f in find_furniture(text)]
        for rel in relations:
            length = sum(b - a for a, b in rel.contents)
            if rel.source.lower() in _PRONOUN_SOURCES or length < 20:
                continue
            kinds["counted"] += 1
            kind = classify(text, rel, suggestions, loose, sentences, furniture)
            if kind is None:
                continue
            kinds[kind] += 1
            if show:
                content = " … ".join(text[a:b] for a, b in rel.contents).replace("\n", " ")
                print(f"--- {stem} [{kind}] source {rel.source!r}")
                print(f"  content: {content[:400]}")
                for s in suggestions + [x for x in loose if x not in suggestions]:
                    if _overlap(s, rel) > 0:
                        print(f"  ours{'' if s in suggestions else ' (below)'}: {s.claimant!r} score {s.score} "
                              f"{text[s.start:s.end][:200]!r}")
    return kinds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--set", choices=("slice", "west", "dev"), default="slice")
    parser.add_argument("--show", action="store_true", help="print each case (not on dev)")
    args = parser.parse_args(argv)
    kinds = report(chosen(args.data, args.set), show=args.show and args.set != "dev")
    print(f"== {args.set}")
    for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {kind}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
