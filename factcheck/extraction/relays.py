"""Relays: through whom a claim reached the page.

"A Reuters source", "X told Interfax", "Vesti quoted Berg as saying", "..., citing SANA"
all put a second source between the speaker and the reader. A chain lists the
sources from the outermost relay to the innermost speaker.
"""

from __future__ import annotations

import re

from .lexicon import DETERMINER, NOT_OUTLETS, TITLE_WORDS
from .names import clean_source, outlet_in_description

Segment = tuple[str, list[str]]  # ("according" | "citing" | "speaker" | "verb-only", sources)

_TOLD = re.compile(r"\btold\s+(?P<obj>(?:the\s+)?[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*){0,3})")
# "Vesti quoted Berg as saying (that) ...", "Berg was quoted by Vesti as saying ...".
QUOTED_AS_SAYING = re.compile(
    r"(?:(?P<speaker2>[A-Z][^,]{1,60}?)\s+(?:was|were|has\s+been|had\s+been)\s+quoted"
    r"(?:\s+by\s+(?P<outlet2>[^,]{2,50}?))?|"
    r"(?P<outlet>[A-Z][^,]{1,50}?)\s+quoted\s+(?!by\b)(?P<speaker>[^,]{2,60}?))"
    r"\s+as\s+saying(?:\s+that)?\b\s*,?\s*"
)


# "... cited by TASS": the outlet that relays what comes before.
CITED_BY = re.compile(r"\s+(?:cited|quoted|carried|reported|relayed)\s+by\s+")


def told_relay(rest: str) -> str | None:
    """The relay in "told Reuters"; "told Mr. Obama" or "told reporters" is an audience."""
    told = _TOLD.search(rest) if rest else None
    if not told:
        return None
    obj = told.group("obj")
    if obj.lower() in NOT_OUTLETS or obj.split()[0].lower() in TITLE_WORDS:
        return None
    return re.sub(r"^the\s+", "", obj)


def speaker_chain(src_raw: str, rest: str = "") -> list[str] | None:
    """The chain for a speaker phrase and what follows its verb: "a Reuters source" is
    relayed by Reuters, "X told Interfax" by Interfax."""
    src = clean_source(src_raw)
    if not src:
        return None
    chain = [src]
    outlet = outlet_in_description(src_raw) if DETERMINER.match(src_raw.strip() + " ") else None
    if outlet and outlet.lower() != re.sub(r"^(?:the|a|an)\s+", "", src.lower()):
        chain.insert(0, outlet)
    relay = told_relay(rest)
    if relay:
        chain.insert(0, relay)
    return chain


def quoted_as_saying_chain(match: re.Match[str]) -> list[str] | None:
    """The chain of a QUOTED_AS_SAYING match: the outlet relays the speaker."""
    raw_speaker = match.group("speaker") or match.group("speaker2") or ""
    speaker = clean_source(raw_speaker)
    if not speaker:
        return None
    outlet = clean_source(match.group("outlet") or match.group("outlet2") or "")
    return ([outlet] if outlet else []) + [speaker]


def join_segments(segments: list[Segment]) -> list[str]:
    """"citing X" goes one level deeper than what came before; "according to X" one out."""
    chain: list[str] = []
    for kind_name, sources in segments:
        chain = sources + chain if kind_name == "according" else chain + sources
    return chain
