"""List the named-source attributions the suggester gets wrong, on articles we may read.

    python -m tools.attribution_errors [--data ../shared/data/attribution/polnear] [--set slice|west|dev]

``slice`` is the tenth round's outlet slice of train (tools/polnear_splits.py: 10 articles of
each of six outlets), ``west`` the 120 Western Journal articles read since the eighth round,
``dev`` PolNeAR dev. The unread train articles and the test split cannot be chosen.

A labelled attribution counts as in `make eval` (tools/evaluate.py): a Source that is not a
pronoun, a Content of 20 characters or more. It is an error when no attributed suggestion
covering half its Content has a claimant strictly right. Each error is printed with a rough
kind: ``missing`` (no attributed suggestion covers it; ``unattributed`` when a suggestion
without claimant does), ``wrong`` (covered, claimant not the Source), and whether the Source
lies in the sentence of the Content's start (``same``) or not (``other``).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from factcheck.extraction import suggest_claims
from factcheck.extraction.names import collect_names
from tools.evaluate import _PRONOUN_SOURCES, PolnearCounts, _overlap, _strictly_right
from tools.polnear_splits import outlet, outlet_slice, split
from tools.train_attribution_crf import DEFAULT_DATA
from tools.train_stance import Article, articles


def chosen(data: Path, which: str) -> list[Article]:
    if which == "dev":
        return articles(data / "dev")
    train = articles(data / "train")
    if which == "slice":
        return outlet_slice(train, lambda a: a[0])
    readable, _ = split(train, lambda a: a[0])
    return [a for a in readable if outlet(a[0]) == "west-journal"]


def _sentence(text: str, at: int) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at)) + 1
    ends = [e for e in (text.find(". ", at), text.find("\n", at)) if e >= 0]
    return start, min(ends) + 1 if ends else len(text)


def report(arts: list[Article], *, show: bool = True) -> tuple[PolnearCounts, Counter[str]]:
    counts, kinds = PolnearCounts(), Counter[str]()
    for stem, text, relations, _ in arts:
        suggestions = suggest_claims(text)
        names = collect_names(text)
        counts.add(relations, suggestions, names)
        for rel in relations:
            length = sum(c[1] - c[0] for c in rel.contents)
            if rel.source.lower() in _PRONOUN_SOURCES or length < 20:
                continue
            covering = [s for s in suggestions if _overlap(s, rel) >= 0.5 * length]
            attributed = [s for s in covering if s.claimant]
            if any(_strictly_right(s, rel, names) for s in attributed):
                continue
            a, b = _sentence(text, rel.contents[0][0])
            place = "same" if a <= rel.source_span[0] < b else "other"
            kind = ("wrong" if attributed else "unattributed" if covering else "missing") + "/" + place
            kinds[kind] += 1
            if show:
                content = " … ".join(text[x:y] for x, y in rel.contents).replace("\n", " ")
                print(f"--- {stem} [{kind}] source {rel.source!r}")
                print(f"  content: {content[:300]}")
                lo, hi = min(a, rel.source_span[0]), max(b, rel.source_span[1])
                print(f"  context: {text[max(0, lo - 150):hi + 50]!r}"[:900])
                for s in attributed or covering:
                    print(f"  ours: {s.claimant!r} role {s.role!r} via {s.via} [{s.start}:{s.end}]")
    return counts, kinds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--set", choices=("slice", "west", "dev"), default="slice")
    parser.add_argument("--quiet", action="store_true", help="only the figures")
    args = parser.parse_args(argv)
    arts = chosen(args.data, args.set)
    counts, kinds = report(arts, show=not args.quiet)
    print(f"== {args.set}: {len(arts)} articles")
    for key, value in counts.report().items():
        print(f"  {key}: {value}")
    print(f"  right claimant: {counts.covered_right}/{counts.labelled}")
    for kind, n in kinds.most_common():
        print(f"  {kind}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
