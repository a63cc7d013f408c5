"""Throughput of claim suggestion on one long article.

    python bench/bench_suggest.py [--sentences 20000]

Builds an article of about N sentences by repeating the labelled test articles
(tests/extraction/data), times ``suggest_claims`` on it and prints sentences per
second. The target is at least 2,000 sentences per second on one core. Then times
the same copy as one 1 MB line (target: under 2 s).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.extraction import split_sentences, suggest_claims  # noqa: E402


def build_article(target: int) -> str:
    sources = sorted((ROOT / "tests" / "extraction" / "data").glob("*.txt"))
    if not sources:
        raise SystemExit("no articles found in tests/extraction/data")
    parts = [p.read_text(encoding="utf-8") for p in sources]
    per_round = sum(len(split_sentences(p)) for p in parts)
    rounds = max(1, target // per_round + 1)
    return "\n".join(parts * rounds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is reported")
    args = parser.parse_args()
    text = build_article(args.sentences)
    n = len(split_sentences(text))
    suggest_claims(text[:5000])  # load the weights outside the timing
    best = float("inf")
    count = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        count = len(suggest_claims(text))
        best = min(best, time.perf_counter() - started)
    print(f"{n} sentences, {len(text):,} characters, {count} suggestions")
    print(f"best of {args.repeat}: {best:.2f} s, {n / best:,.0f} sentences/s")
    # The same copy pasted as one 1 MB line (no paragraph breaks): the target is < 2 s.
    line = " ".join(text.split("\n"))[:1_000_000]
    cpu, wall = time.process_time(), time.perf_counter()
    count = len(suggest_claims(line))
    print(f"1 MB on one line ({len(split_sentences(line))} sentences, {count} suggestions): "
          f"{time.perf_counter() - wall:.2f} s wall-clock, {time.process_time() - cpu:.2f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
