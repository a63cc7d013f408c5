"""Text set in capitals, read as if it were in ordinary case.

The rules tell names from verbs by their capitals ("Berg said", "the ministry said"). A
line in capitals throughout ("THE MINISTRY SAID ON TUESDAY THAT EXPORTS ROSE") gives them
nothing to go on, so such lines are re-cased before they are read: common words and
reporting verbs in lower case, other words capitalised as names, the first word of each
sentence capitalised. Every character stays where it was, so offsets into the original
text hold, and claims are quoted from the original.
"""

from __future__ import annotations

import re

from .lexicon import DATE_WORDS, FUNCTION_WORDS, NOT_SOURCE_START, NP_OPENERS, ORG_WORDS, SOURCE_NOUNS, SPEECH_VERBS
from .markers import end_marker_start

_COMMON = frozenset(str.split(
    """
    is are was were be been being has have had will would can could should must may might shall do does did
    not no that which who whom whose what when where why how than then there here also only just very more
    most less least much many some any all each every both either neither other another such same own
    said says say told tell tells added reported according percent per cent million billion thousand
    year years month months week weeks day days time times people new first last next over under after
    before about against between into through during without within along across behind beyond up down
    out off again further once rose fell rise fall grew cut raised set make made take took give gave get got
    go went come came see saw know knew think thought want wanted use used find found work worked call called
    try tried ask asked need needed feel felt become became leave left put keep kept let begin began seem
    help show showed hear heard play run ran move moved live lived hold held bring brought happen write
    provide sit stand lose lost pay paid meet met include included continue learn change lead led understand
    watch follow stop create speak read spend spent grow open opened walk win won offer remember love consider
    appear buy wait serve die died send sent expect build built stay fall cut reach kill killed remain suggest
    raise pass sell sold require decide pull would plan plans planned government officials official minister
    ministry company council police court report statement spokesman spokeswoman spokesperson president
    """
))
_SPEECH = frozenset(re.sub(r"\[[^]]*\]", "", SPEECH_VERBS).replace("(", "").replace(")", "").split("|"))
_LOWER = _COMMON | FUNCTION_WORDS | NOT_SOURCE_START | NP_OPENERS | _SPEECH
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:][\"'”’)]*\s+)[\"'“‘(]*$")
# A line is shouting when it has this many letters and at most this share in lower case.
_MIN_LETTERS = 12
_MAX_LOWER_SHARE = 0.1
_LINE = re.compile(r"[^\r\n]+")


_LOWER_WORD = re.compile(r"[a-z]{4}")


def _shouting(line: str) -> bool:
    if len(_LOWER_WORD.findall(line, 0, 400)) > 3:
        return False  # ordinary text: most lines stop here
    letters = [ch for ch in line if ch.isalpha()]
    if len(letters) < _MIN_LETTERS:
        return False
    lower = sum(ch.islower() for ch in letters)
    upper = sum(ch.isupper() for ch in letters)
    return upper > 0 and lower <= _MAX_LOWER_SHARE * (lower + upper)


# "THE CORPORATION SAID": a body's head noun right after "the" describes a body named
# before ("the corporation"), while "ARDENIAN PETROLEUM CORPORATION" names one.
_DESCRIBING = frozenset({"the", "its", "this", "that"})


def _recase_word(word: str, at_start: bool, previous: str = "") -> str:
    low = word.lower()
    if len(low) != len(word):
        return word  # a letter whose lower case is longer: leave the word alone
    if low in ORG_WORDS and previous in _DESCRIBING:
        out = low
    elif low in DATE_WORDS:
        out = low.capitalize() if low not in ("today", "yesterday", "tonight", "earlier", "later") else low
    elif low in _LOWER or low.endswith(("ed", "ing", "ly")) or SOURCE_NOUNS.fullmatch(low):
        out = low
    else:
        out = low.capitalize()
    if at_start:
        out = out[:1].upper() + out[1:]
    return out if len(out) == len(word) else word


def _recase_line(line: str) -> str:
    parts: list[str] = []
    last = 0
    previous = ""
    for m in _WORD.finditer(line):
        gap = line[last:m.start()]
        parts.append(gap)
        at_start = bool(_SENTENCE_START.search(line, max(0, m.start() - 8), m.start()))
        parts.append(_recase_word(m.group(0), at_start, previous if gap.isspace() else ""))
        previous = m.group(0).lower()
        last = m.end()
    parts.append(line[last:])
    return "".join(parts)


def _story_part(line: str) -> str:
    """The line before an end marker: KUNA's "(end) ms.ak" is in lower case whatever the
    story's case."""
    cut = end_marker_start(line) if line.endswith(tuple("abcdefghijklmnopqrstuvwxyz)")) else None
    return line[:cut] if cut else line


def _recase_match(m: re.Match[str]) -> str:
    line = m.group(0)
    story = _story_part(line)
    return _recase_line(story) + line[len(story):] if _shouting(story) else line


def recase(text: str) -> str:
    """``text`` with every line set in capitals re-cased; other lines as they were. The
    result has the same length as ``text``, character for character."""
    if not any(_shouting(_story_part(m.group(0))) for m in _LINE.finditer(text)):
        return text
    out = _LINE.sub(_recase_match, text)
    return out if len(out) == len(text) else text
