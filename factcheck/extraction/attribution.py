"""Who said it: attribution tags around a sentence and the relay chain behind them.

News copy names its sources in layers ("..., Orda reports, citing SANA"). A tag is
parsed into a chain of sources from the outermost relay to the innermost speaker;
the innermost is the claimant and the rest, outermost last, is ``via``.

The work is split by job; this module is the entry point that keeps the names the
rest of the package (and older callers) use:

| module | job |
|---|---|
| ``lexicon`` | speech verbs, title, organisation and outlet words, name patterns |
| ``names`` | reduce a source phrase to a name or description; collect full names |
| ``relays`` | relay chains: "told Reuters", "a Reuters source", "quoted ... as saying" |
| ``trailing`` | tags after the claim |
| ``leading`` | tags before the claim, mid-sentence tags, colon introductions |
| ``coreference`` | "he", "Peskov", "the ministry", "its chair" resolved across the article |
"""

from __future__ import annotations

from .leading import inner_tag, lead_tag_only, parse_colon_intro, parse_leading
from .lexicon import CAP_RUN, DATE_WORDS, NEWS_OUTLETS, ORG_WORDS, TITLE_WORDS
from .names import clean_source, collect_names, is_first_person
from .relays import Segment
from .trailing import parse_segment, parse_trailing
from .types import Attribution

__all__ = [
    "CAP_RUN",
    "DATE_WORDS",
    "NEWS_OUTLETS",
    "ORG_WORDS",
    "TITLE_WORDS",
    "Attribution",
    "Segment",
    "clean_source",
    "collect_names",
    "inner_tag",
    "is_first_person",
    "lead_tag_only",
    "parse_colon_intro",
    "parse_leading",
    "parse_segment",
    "parse_trailing",
]
