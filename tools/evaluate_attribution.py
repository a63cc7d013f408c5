"""Measure claimant extraction against PolNeAR's attribution annotations.

    python -m tools.evaluate_attribution ../shared/data/attribution/polnear/dev

PolNeAR labels every attribution as Source / Cue / Content spans (brat standoff; ``E``
lines tie them). For each suggestion that overlaps a labelled Content span we check
whether our claimant names the labelled Source; for each labelled Content span with
a Source we check whether some suggestion covers it with a matching claimant.
Pronoun sources ("he said") are counted apart: the annotation keeps the pronoun,
while we resolve it to a name.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from factcheck.extraction.suggest import suggest_claims
from factcheck.extraction.types import Suggestion

_WORD = re.compile(r"[\w-]+")
_IGNORED = frozenset({"a", "an", "the", "of", "for", "at", "in", "on", "to", "and", "'s"})
_PRONOUN_SOURCES = frozenset({"he", "she", "they", "it", "we", "i", "his", "her", "their", "its", "who", "which",
                              "that", "you"})
_BRAT_ID = re.compile(r"[TE]\d+\t")


@dataclass(slots=True)
class Relation:
    source: str
    source_span: tuple[int, int]
    contents: list[tuple[int, int]]


def read_ann(path: Path) -> list[Relation]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        # A surface text running over several lines continues on lines of its own, which
        # may open with a "T" or an "E" ("The …").
        if _BRAT_ID.match(line) is None:
            continue
        if line.startswith("T"):
            tid, info, surface = [*line.split("\t"), "", ""][:3]
            label, _, ranges = info.partition(" ")
            parts = [(int(a), int(b)) for a, b in (r.split() for r in ranges.split(";"))]
            spans[tid] = (label, parts, surface)
        elif line.startswith("E"):
            _, args = line.split("\t", 1)
            events.append(dict(a.split(":", 1)[::-1] for a in args.split()))
    relations: list[Relation] = []
    for ev in events:
        by_role = {role: tid for tid, role in ev.items()}
        src, content = by_role.get("Source"), by_role.get("Content")
        if not src or not content or src not in spans or content not in spans:
            continue
        s_parts = spans[src][1]
        relations.append(Relation(spans[src][2], (s_parts[0][0], s_parts[-1][1]), spans[content][1]))
    return relations


def _tokens(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _IGNORED}


def names_match(ours: str, theirs: str) -> bool:
    a, b = _tokens(ours), _tokens(theirs)
    return bool(a & b)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _best_relation(s: Suggestion, relations: list[Relation]) -> Relation | None:
    """The labelled relation whose Content covers most of the suggestion (at least half)."""
    best, best_rel = 0, None
    for rel in relations:
        ov = sum(_overlap((s.start, s.end), c) for c in rel.contents)
        if ov > best:
            best, best_rel = ov, rel
    return best_rel if best_rel is not None and best >= 0.5 * (s.end - s.start) else None


def _found(rel: Relation, suggestions: list[Suggestion]) -> bool:
    """Some suggestion covers half the labelled Content with a claimant naming the Source."""
    length = sum(c[1] - c[0] for c in rel.contents)
    return any(s.claimant and names_match(s.claimant, rel.source)
               and sum(_overlap((s.start, s.end), c) for c in rel.contents) >= 0.5 * length
               for s in suggestions)


@dataclass(slots=True)
class _Counts:
    checked: int = 0
    matched: int = 0
    pronoun: int = 0
    labelled: int = 0
    found: int = 0

    def add(self, relations: list[Relation], suggestions: list[Suggestion]) -> None:
        for s in suggestions:
            rel = _best_relation(s, relations) if s.claimant else None
            if rel is None or s.claimant is None:
                continue
            if rel.source.lower() in _PRONOUN_SOURCES:
                self.pronoun += 1
                continue
            self.checked += 1
            self.matched += names_match(s.claimant, rel.source)
        for rel in relations:
            if rel.source.lower() in _PRONOUN_SOURCES or sum(c[1] - c[0] for c in rel.contents) < 20:
                continue
            self.labelled += 1
            self.found += _found(rel, suggestions)


def _articles(folder: Path, limit: int | None) -> list[tuple[Path, Path]]:
    """(text, annotation) pairs; of several annotators' versions of one article, the first."""
    texts = {p.stem: p for p in (folder / "text").glob("*.txt")}
    anns = sorted((folder / "attributions").glob("*.ann"))
    if limit:
        anns = anns[:limit]
    pairs: dict[str, tuple[Path, Path]] = {}
    for ann in anns:
        stem = ann.stem.rsplit("_", 1)[0]
        if stem in texts and stem not in pairs:
            pairs[stem] = (texts[stem], ann)
    return list(pairs.values())


def evaluate(folder: Path, limit: int | None = None) -> dict[str, float]:
    counts = _Counts()
    articles = _articles(folder, limit)
    for text_path, ann in articles:
        text = text_path.read_bytes().decode("utf-8")
        counts.add(read_ann(ann), suggest_claims(text, threshold=0.0))
    return {
        "articles": len(articles),
        "attributed_suggestions_on_labelled_content": counts.checked,
        "claimant_precision": round(counts.matched / counts.checked, 3) if counts.checked else 0.0,
        "pronoun_sources_skipped": counts.pronoun,
        "labelled_attributions": counts.labelled,
        "attribution_recall": round(counts.found / counts.labelled, 3) if counts.labelled else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a PolNeAR split: the folder with text/ and attributions/")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    for key, value in evaluate(args.folder, args.limit).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
