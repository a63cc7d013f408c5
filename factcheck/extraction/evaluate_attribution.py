"""Measure claimant extraction against PolNeAR's attribution annotations.

    python -m factcheck.extraction.evaluate_attribution ../shared/data/attribution/polnear/dev

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

from .suggest import suggest_claims

_WORD = re.compile(r"[\w-]+")
_IGNORED = frozenset(["a", "an", "the", "of", "for", "at", "in", "on", "to", "and", "'s"])
_PRONOUN_SOURCES = frozenset(["he", "she", "they", "it", "we", "i", "his", "her", "their", "its", "who", "which", "that", "you"])


@dataclass(slots=True)
class Relation:
    source: str
    source_span: tuple[int, int]
    contents: list[tuple[int, int]]


def read_ann(path: Path) -> list[Relation]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, info, surface = (line.split("\t") + ["", ""])[:3]
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


def evaluate(folder: Path, limit: int | None = None) -> dict[str, float]:
    texts = {p.stem: p for p in (folder / "text").glob("*.txt")}
    anns = sorted((folder / "attributions").glob("*.ann"))
    if limit:
        anns = anns[:limit]
    checked = matched = pronoun = 0
    labelled = found = 0
    seen_articles: set[str] = set()
    for ann in anns:
        stem = ann.stem.rsplit("_", 1)[0]
        if stem not in texts or stem in seen_articles:
            continue  # several annotators' versions of one article: use the first
        seen_articles.add(stem)
        text = texts[stem].read_bytes().decode("utf-8")
        relations = read_ann(ann)
        suggestions = [s for s in suggest_claims(text, threshold=0.0)]
        for s in suggestions:
            if not s.claimant:
                continue
            best, best_rel = 0, None
            for rel in relations:
                ov = sum(_overlap((s.start, s.end), c) for c in rel.contents)
                if ov > best:
                    best, best_rel = ov, rel
            if best_rel is None or best < 0.5 * (s.end - s.start):
                continue
            if best_rel.source.lower() in _PRONOUN_SOURCES:
                pronoun += 1
                continue
            checked += 1
            matched += names_match(s.claimant, best_rel.source)
        for rel in relations:
            if rel.source.lower() in _PRONOUN_SOURCES:
                continue
            length = sum(c[1] - c[0] for c in rel.contents)
            if length < 20:
                continue
            labelled += 1
            for s in suggestions:
                ov = sum(_overlap((s.start, s.end), c) for c in rel.contents)
                if ov >= 0.5 * length and s.claimant and names_match(s.claimant, rel.source):
                    found += 1
                    break
    return {
        "articles": len(seen_articles),
        "attributed_suggestions_on_labelled_content": checked,
        "claimant_precision": round(matched / checked, 3) if checked else 0.0,
        "pronoun_sources_skipped": pronoun,
        "labelled_attributions": labelled,
        "attribution_recall": round(found / labelled, 3) if labelled else 0.0,
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
