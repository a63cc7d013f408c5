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

``--why`` adds, for each error left without a claimant in the Content's own sentence, why the
stance reader (extraction/stance.py, asked last) did not give one: ``no-candidate`` (no subject
and verb it weighs; ``src-at-start`` when the Source opens the sentence, else ``src-later``),
``candidate-not-source`` (its best subject is someone else), ``below-threshold`` (with the
probability), ``rejected`` (the suggester's test of a speaker turned it down), ``not-asked``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from factcheck.extraction import Suggestion, stance, suggest, suggest_claims
from factcheck.extraction.leading import blank_discourse
from factcheck.extraction.names import collect_names
from tools.evaluate import _PRONOUN_SOURCES, PolnearCounts, _overlap, _strictly_right
from tools.evaluate_attribution import Relation
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


# Where a sentence the stance reader was asked about starts, and the sentence.
Asked = list[tuple[int, str, dict[str, str]]]


def _suggest_and_ask(text: str) -> tuple[list[Suggestion], Asked]:
    """The suggestions, and the sentences the learned readers were asked about."""
    asked: Asked = []
    where = {"start": 0}
    read, learned = suggest._read_sentence, suggest._learned

    def reading(state: Any, s: Any, headline: bool) -> None:
        where["start"] = s.start + suggest._dateline_end(s.text)
        read(state, s, headline)

    def asking(body: str, names: dict[str, str]) -> list[str] | None:
        asked.append((where["start"], blank_discourse(body), names))
        return learned(body, names)

    suggest._read_sentence, suggest._learned = reading, asking
    try:
        return suggest_claims(text), asked
    finally:
        suggest._read_sentence, suggest._learned = read, learned


def why_unattributed(s: Suggestion, rel: Relation, asked: Asked) -> str:
    """Why the stance reader gave ``s`` (a suggestion covering ``rel``'s Content) no claimant."""
    model = stance._model()
    question = next((a for a in asked if s.start <= a[0] + len(a[1]) // 2 < s.end), None)
    if model is None or question is None:
        return "not-asked"
    start, body, names = question
    source = (rel.source_span[0] - start, rel.source_span[1] - start)
    scored = [(stance.probability(f, model.weights), span) for f, span in stance.candidates(body, names, model.rates,
                                                                                          model.wide)]
    if not scored:
        return "no-candidate/" + ("src-at-start" if body[:max(0, source[0])].strip() == "" else "src-later")
    p, span = max(scored)
    own = [q for q, (a, b) in scored if a < source[1] and source[0] < b]
    if not own:
        return f"candidate-not-source {body[span[0]:span[1]]!r} p={p:.2f}"
    if max(own) < model.threshold:
        return f"below-threshold p={max(own):.2f}"
    return "rejected" if p == max(own) else f"candidate-not-source {body[span[0]:span[1]]!r} p={p:.2f}"


def report(arts: list[Article], *, show: bool = True, why: bool = False) -> tuple[PolnearCounts, Counter[str]]:
    counts, kinds = PolnearCounts(), Counter[str]()
    for stem, text, relations, _ in arts:
        suggestions, asked = _suggest_and_ask(text)
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
            reason = why_unattributed(covering[0], rel, asked) if why and kind == "unattributed/same" else ""
            if reason:
                kinds["why " + reason.split()[0]] += 1
            if show:
                content = " … ".join(text[x:y] for x, y in rel.contents).replace("\n", " ")
                print(f"--- {stem} [{kind}] source {rel.source!r}" + (f" ({reason})" if reason else ""))
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
    parser.add_argument("--why", action="store_true", help="why the stance reader left each unattributed")
    args = parser.parse_args(argv)
    arts = chosen(args.data, args.set)
    counts, kinds = report(arts, show=not args.quiet, why=args.why)
    print(f"== {args.set}: {len(arts)} articles")
    for key, value in counts.report().items():
        print(f"  {key}: {value}")
    print(f"  right claimant: {counts.covered_right}/{counts.labelled}")
    for kind, n in kinds.most_common():
        print(f"  {kind}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
