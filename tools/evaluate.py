"""Measure claim suggestion and attribution on labelled data: ``make eval``.

    python -m tools.evaluate [--data ../shared/data] [--only labelled|polnear|checkthat]

Prints, for each set:

* labelled articles (the shared seed article, and ours in tests/extraction/data):
  recall (labelled claims suggested), precision (suggestions that are a labelled claim
  or optional entry), claimant accuracy (strict: the claimant's words are the label's
  words, leading articles and brackets aside, no extra word), and via accuracy (the
  relay list equal to the label), both over the attributed claims that were found;
* PolNeAR dev: recall (labelled Content spans with a non-pronoun Source, 20+ characters,
  covered by an attributed suggestion), precision (attributed suggestions lying on a
  labelled Content span), claimant accuracy strict (no word beyond the labelled
  Source's words, a surname, with or without a courtesy title or an apposition
  ("Mr. Clarke", "Rendell, a surrogate,"), standing for the full name the article used) and lenient
  (a word in common). PolNeAR does not label relays, so
  there is no via figure;
* CheckThat! 2024 dev-test: recall, precision and F1 of the Yes class for the editor's
  view (a sentence counts as suggested when the suggester proposes it at its threshold).

Only train and dev splits are used to choose anything; test splits are never read here.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from factcheck.extraction import suggest_claims
from factcheck.extraction.names import collect_names
from factcheck.extraction.types import Suggestion
from tools.evaluate_attribution import Relation, names_match, read_ann

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / ".." / "shared" / "data"
OWN_DATA = ROOT / "tests" / "extraction" / "data"
_PARENS = re.compile(r"\([^)]*\)")
_ARTICLES = frozenset({"a", "an", "the"})
_PRONOUN_SOURCES = frozenset({"he", "she", "they", "it", "we", "i", "his", "her", "their", "its", "who", "which",
                              "that", "you"})


def claimant_words(name: str) -> list[str]:
    """Lower-cased words of a claimant without brackets, articles or a possessive 's."""
    words = re.findall(r"[\w-]+", _PARENS.sub(" ", name.lower()).replace("’", "'").replace("'s ", " "))
    return [w for w in words if w not in _ARTICLES]


def claimant_strict(got: str | None, want: str | None) -> bool:
    if got is None or want is None:
        return got is want
    return claimant_words(got) == claimant_words(want)


def via_equal(got: list[str], want: list[str]) -> bool:
    return [claimant_words(v) for v in got] == [claimant_words(v) for v in want]


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def _covering(label: dict, suggestions: list[Suggestion]) -> Suggestion | None:
    """The suggestion that covers 80 % of the label and is at most twice its length."""
    length = label["end"] - label["start"]
    for s in suggestions:
        overlap = min(s.end, label["end"]) - max(s.start, label["start"])
        if overlap >= 0.8 * length and (s.end - s.start) <= 2 * length:
            return s
    return None


@dataclass(slots=True)
class LabelledCounts:
    claims: int = 0
    found: int = 0
    suggestions: int = 0
    on_label: int = 0
    attributed_found: int = 0
    claimant_right: int = 0
    via_right: int = 0
    relays: int = 0
    relays_right: int = 0

    def add(self, labels: dict, suggestions: list[Suggestion]) -> None:
        entries = labels["claims"] + labels.get("optional", [])
        self.suggestions += len(suggestions)
        self.on_label += sum(
            any(min(s.end, e["end"]) - max(s.start, e["start"]) >= 0.5 * (s.end - s.start) for e in entries)
            for s in suggestions)
        for claim in labels["claims"]:
            self.claims += 1
            s = _covering(claim, suggestions)
            if s is None:
                continue
            self.found += 1
            if claim.get("claimant"):
                self._attribution(claim, s)

    def _attribution(self, claim: dict, s: Suggestion) -> None:
        self.attributed_found += 1
        self.claimant_right += claimant_strict(s.claimant, claim["claimant"])
        want_via = claim.get("via", [])
        right = via_equal(s.via, want_via)
        self.via_right += right
        if want_via:
            self.relays += 1
            self.relays_right += right

    def report(self) -> dict[str, object]:
        return {
            "claims": self.claims,
            "recall": _ratio(self.found, self.claims),
            "precision": _ratio(self.on_label, self.suggestions),
            "claimant_accuracy_strict": _ratio(self.claimant_right, self.attributed_found),
            "via_accuracy": _ratio(self.via_right, self.attributed_found),
            "non_empty_relays_right": f"{self.relays_right}/{self.relays}",
        }


def evaluate_labelled(paths: list[Path]) -> dict[str, object]:
    counts = LabelledCounts()
    for path in paths:
        labels = json.loads(path.read_text(encoding="utf-8"))
        text = (path.parent / labels["article"]).read_bytes().decode("utf-8")
        counts.add(labels, suggest_claims(text))
    return {"articles": len(paths), **counts.report()}


def _overlap(s: Suggestion, rel: Relation) -> int:
    return sum(max(0, min(s.end, c[1]) - max(s.start, c[0])) for c in rel.contents)


def _best(s: Suggestion, relations: list[Relation]) -> Relation | None:
    best, found = 0, None
    for rel in relations:
        ov = _overlap(s, rel)
        if ov > best:
            best, found = ov, rel
    return found if best >= 0.5 * (s.end - s.start) else None


_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Gov|Gen|Prof)\.?\s+")


def _head_surname(source: str) -> str:
    """The surname a Source opens with, courtesy title and apposition aside ("Mr. Clarke" and
    "Rendell, a Clinton surrogate," give "Clarke" and "Rendell")."""
    head = _HONORIFIC.sub("", source.strip()).split(",")[0].split()
    return head[-1] if len(head) == 1 or _HONORIFIC.match(source.strip()) else ""


def _strictly_right(s: Suggestion, rel: Relation, names: dict[str, str]) -> bool:
    """No word of our claimant (or of the role it resolved) beyond the labelled Source's words.
    A surname in the label stands for the full name used earlier ("Trump" is "Donald Trump");
    a label that is a description ("the mayor") is matched by the role we resolved."""
    theirs = set(claimant_words(rel.source)) | set(claimant_words(names.get(rel.source.strip(), "")))
    theirs |= set(claimant_words(names.get(_head_surname(rel.source), "")))
    return any(ours and ours <= theirs for ours in (set(claimant_words(w)) for w in (s.claimant, s.role) if w))


@dataclass(slots=True)
class PolnearCounts:
    labelled: int = 0
    covered: int = 0
    attributed: int = 0
    on_content: int = 0
    named: int = 0
    strict: int = 0
    lenient: int = 0
    covered_right: int = 0

    def add(self, relations: list[Relation], suggestions: list[Suggestion], names: dict[str, str]) -> None:
        attributed = [s for s in suggestions if s.claimant]
        self.attributed += len(attributed)
        for s in attributed:
            rel = _best(s, relations)
            if rel is None:
                continue
            self.on_content += 1
            if rel.source.lower() in _PRONOUN_SOURCES:
                continue  # the label keeps the pronoun; we resolve it to a name
            self.named += 1
            # A surname in the label stands for the full name used earlier ("Trump" is
            # "Donald Trump"); nothing else beyond the label's words is allowed. A label
            # that is a description ("the mayor") is matched by the role we resolved.
            self.strict += _strictly_right(s, rel, names)
            self.lenient += any(names_match(w, rel.source) for w in (s.claimant, s.role) if w)
        for rel in relations:
            length = sum(c[1] - c[0] for c in rel.contents)
            if rel.source.lower() in _PRONOUN_SOURCES or length < 20:
                continue
            self.labelled += 1
            covering = [s for s in attributed if _overlap(s, rel) >= 0.5 * length]
            self.covered += bool(covering)
            self.covered_right += any(_strictly_right(s, rel, names) for s in covering)

    def report(self) -> dict[str, object]:
        return {
            "labelled_attributions": self.labelled,
            "recall": _ratio(self.covered, self.labelled),
            "precision": _ratio(self.on_content, self.attributed),
            "claimant_accuracy_strict": _ratio(self.strict, self.named),
            "claimant_accuracy_lenient": _ratio(self.lenient, self.named),
            "right_claimant_of_labelled": _ratio(self.covered_right, self.labelled),
        }


def evaluate_polnear(folder: Path) -> dict[str, object]:
    """At the suggester's threshold, over every article of the split (first annotator)."""
    texts = {p.stem: p for p in (folder / "text").glob("*.txt")}
    counts = PolnearCounts()
    seen: set[str] = set()
    for ann in sorted((folder / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        if stem not in texts or stem in seen:
            continue
        seen.add(stem)
        text = texts[stem].read_bytes().decode("utf-8")
        counts.add(read_ann(ann), suggest_claims(text), collect_names(text))
    return {"articles": len(seen), **counts.report()}


def evaluate_checkthat(path: Path) -> dict[str, object]:
    tp = fp = fn = n = 0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            n += 1
            gold = row["class_label"].strip() == "Yes"
            guess = bool(suggest_claims(row["Text"]))
            tp += guess and gold
            fp += guess and not gold
            fn += gold and not guess
    return {"sentences": n, "recall": _ratio(tp, tp + fn), "precision": _ratio(tp, tp + fp),
            "f1_yes": _ratio(2 * tp, 2 * tp + fp + fn)}


def run(data: Path, only: str | None = None) -> dict[str, dict[str, object]]:
    results: dict[str, dict[str, object]] = {}
    seed = sorted((data / "articles").glob("*.claims.json"))
    if only in (None, "labelled"):
        if seed:
            results["seed article (shared)"] = evaluate_labelled(seed)
        results["our labelled wire stories"] = evaluate_labelled(sorted(OWN_DATA.glob("*.claims.json")))
    polnear = data / "attribution" / "polnear" / "dev"
    if only in (None, "polnear") and (polnear / "attributions").is_dir():
        results["PolNeAR dev"] = evaluate_polnear(polnear)
    checkthat = data / "checkworthiness" / "checkthat2024" / "CT24_checkworthy_english_dev-test.tsv"
    if only in (None, "checkthat") and checkthat.is_file():
        results["CheckThat! 2024 dev-test (editor view)"] = evaluate_checkthat(checkthat)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--only", choices=("labelled", "polnear", "checkthat"))
    args = parser.parse_args(argv)
    for name, figures in run(args.data, args.only).items():
        print(f"== {name}")
        for key, value in figures.items():
            print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
