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
    eng adv amb brig supt insp cpl pvt messrs mme
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

# Terminal punctuation, then closing quotes or brackets. A boundary needs whitespace
# and something that can start a sentence after them. Every step below looks only at
# the characters next to the candidate, so splitting is linear in the length of a line
# however many full stops, abbreviations or spaces it holds.
_TERMINALS = re.compile(r"[.!?…]+")
_CLOSING = re.compile(r"[\"'”’»)\]]*")
_BLANKS = re.compile(r"[ \t]+")
_SPACES = re.compile(r"\s*")
_STARTER = re.compile(r"[\"'“‘«(\[]?[A-Z0-9]")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
_SENTENCE_OPENER = re.compile(
    r"[\"“‘]?(?:The|A|An|He|She|It|They|We|I|But|And|This|That|These|Those|In|On|At|Most|Some|"
    r"His|Her|Its|Their|There|However|Police|Officials)\b"
)
# A line ends at a newline; a lone carriage return (old Mac files) ends one too.
_LINE = re.compile(r"[^\r\n]+")
_LIST_MARKER = re.compile(r"[-*•–—]\s+|\d{1,2}[.)]\s+(?=[A-Z])")
# No real abbreviation or initial is longer than this; longer tokens are words.
_MAX_TOKEN = 12


def _skip(pattern: re.Pattern[str], line: str, pos: int) -> int:
    """The end of ``pattern`` (which may match nothing) at ``pos``."""
    m = pattern.match(line, pos)
    return m.end() if m else pos


def _token_before(line: str, dot: int) -> str:
    """The run of non-space characters that ends at ``line[dot]`` (at most _MAX_TOKEN + 1
    of them), lower-cased and without opening quotes or brackets."""
    start = dot
    floor = max(0, dot - _MAX_TOKEN - 1)
    while start > floor and not line[start - 1].isspace():
        start -= 1
    if start == floor and start > 0 and not line[start - 1].isspace():
        return ""  # a long word, not an abbreviation
    return line[start:dot].lstrip("\"'“‘(«[").lower()


def _is_abbreviation(line: str, dot: int) -> bool:
    """True when the full stop at ``line[dot]`` belongs to an abbreviation or initial."""
    token = _token_before(line, dot)
    if not token:
        return False
    after = _skip(_SPACES, line, dot + 1)
    if token in _TIME_ABBREVIATIONS:
        return bool(_TIME_FOLLOWERS.match(line, after))
    if token in ABBREVIATIONS:
        return not _DOTTED.fullmatch(token) or not _SENTENCE_OPENER.match(line, after)
    # Single initials ("John F. Kennedy").
    if len(token) == 1 and token.isalpha():
        return True
    # Dotted acronyms ("U.S.", "N.A.T.O") end a sentence only before a word that
    # typically opens one ("... in the U.S. The bank said").
    if _DOTTED.fullmatch(token):
        return not _SENTENCE_OPENER.match(line, after)
    return False


def _boundary_end(line: str, run: re.Match[str]) -> int | None:
    """Where the sentence ends if the terminal run ``run`` closes one, else None."""
    end = _skip(_CLOSING, line, run.end())
    blanks = _BLANKS.match(line, end)
    if blanks is None or not _STARTER.match(line, blanks.end()):
        return None
    # Only a lone full stop can be an abbreviation's; "?", "!" and "..." end sentences.
    if run.group(0) == "." and _is_abbreviation(line, run.start()):
        return None
    return end


def _split_line(text: str, start: int, end: int, out: list[Span]) -> None:
    line = text[start:end]
    marker = _LIST_MARKER.match(line)
    cursor = marker.end() if marker else 0
    for run in _TERMINALS.finditer(line, cursor):
        boundary = _boundary_end(line, run)
        if boundary is None:
            continue
        _emit(text, start + cursor, start + boundary, out)
        cursor = boundary
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
