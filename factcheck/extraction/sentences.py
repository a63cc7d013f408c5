"""Sentence splitting with offsets into the original text.

A rule-based splitter is enough for edited news copy and keeps the engine free of
model downloads. Newlines are hard boundaries because headlines, list items and
photo captions are laid out one per line and rarely end with a full stop.
"""

from __future__ import annotations

import re

from .types import Span


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Tokens that end with a full stop without ending the sentence. Lower-cased, without
# the final dot. Months are here because "Dec. 8" is AP style.
ABBREVIATIONS = _words(
    """
    mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm maj st jr sr rev hon pres
    inc ltd co corp bros plc llc dept univ assn approx vs etc al cf fig no nos vol pp
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    mt ft ave blvd rd hwy
    e.g i.e u.s u.k u.n u.s.a e.u a.k.a ph.d d.c n.y l.a
    """
)
# After these the next capitalised word often is a new sentence ("at 5 p.m. Police said"),
# except before a time-zone or weekday.
_TIME_ABBREVIATIONS = frozenset({"a.m", "p.m"})
_TIME_FOLLOWERS = re.compile(
    r"(?:[A-Z]{2,4}T|GMT|UTC|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then
# whitespace and something that can start a sentence.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=[ \t]+[\"'“‘«(\[]?[A-Z0-9])")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
_SENTENCE_OPENER = re.compile(
    r"[\"“‘]?(?:The|A|An|He|She|It|They|We|I|But|And|This|That|These|Those|In|On|At|Most|Some|"
    r"His|Her|Its|Their|There|However|Police|Officials)\b"
)
_CLOSERS = "\"'”’»)]"
_LINE = re.compile(r"[^\n]+")
_LIST_MARKER = re.compile(r"[-*•–—]\s+|\d{1,2}[.)]\s+(?=[A-Z])")
_PREV_TOKEN = re.compile(r"(\S+)$")


def _is_abbreviation(line: str, dot: int) -> bool:
    """True when the full stop at ``line[dot]`` belongs to an abbreviation or initial."""
    match = _PREV_TOKEN.search(line, 0, dot)
    if not match:
        return False
    token = match.group(1).lstrip("\"'“‘(«[").lower()
    if not token:
        return False
    if token in _TIME_ABBREVIATIONS:
        rest = line[dot + 1 :].lstrip()
        return bool(_TIME_FOLLOWERS.match(rest))
    if token in ABBREVIATIONS:
        return not _DOTTED.fullmatch(token) or not _SENTENCE_OPENER.match(line[dot + 1 :].lstrip())
    # Single initials ("John F. Kennedy").
    if len(token) == 1 and token.isalpha():
        return True
    # Dotted acronyms ("U.S.", "N.A.T.O") end a sentence only before a word that
    # typically opens one ("... in the U.S. The bank said").
    if _DOTTED.fullmatch(token):
        return not _SENTENCE_OPENER.match(line[dot + 1 :].lstrip())
    return False


def _split_line(text: str, start: int, end: int, out: list[Span]) -> None:
    line = text[start:end]
    marker = _LIST_MARKER.match(line)
    cursor = marker.end() if marker else 0
    for match in _BOUNDARY.finditer(line, cursor):
        # Only a lone full stop can be an abbreviation's; "?", "!" and "..." end sentences.
        if match.group(0).rstrip(_CLOSERS) == "." and _is_abbreviation(line, match.start()):
            continue
        _emit(text, start + cursor, start + match.end(), out)
        cursor = match.end()
    _emit(text, start + cursor, end, out)


def _emit(text: str, start: int, end: int, out: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end, text[start:end]))


def split_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentences; ``text[s.start:s.end] == s.text`` for each."""
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        _split_line(text, line.start(), line.end(), spans)
    return spans


def split_lines(text: str) -> list[Span]:
    """Non-blank lines of ``text`` with offsets, stripped of surrounding whitespace."""
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        _emit(text, line.start(), line.end(), spans)
    return spans
