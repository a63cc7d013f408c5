"""Page furniture: lines that came with the web page but are not the article.

They are reported, not deleted, so the editor sees what was set aside and offsets
into the text stay valid. Bylines and datelines are part of the article and are
left alone.
"""

from __future__ import annotations

import re

from .sentences import split_lines
from .types import FurnitureLine

_I = re.IGNORECASE

# A heading after which the page lists other articles' headlines.
_LIST_HEADING = re.compile(
    r"(?:latest(?: news| stories| headlines)?|read more|read also|also read|more news|more stories|"
    r"more from [\w .'-]{1,40}|more on (?:this|that)(?: story| topic)?|related(?: news| stories| articles| content| coverage| topics)?|"
    r"most (?:read|popular|viewed|shared)|popular(?: now| stories)?|trending(?: now| stories)?|top stories|"
    r"editor'?s picks|recommended(?: for you| stories)?|you may also like|you might also like|see also|"
    r"in other news|what to read next|don't miss|must read)\s*[:：]?",
    _I,
)
# A one-line pointer to another article ("Read more: ...", "RELATED: ...").
_POINTER = re.compile(
    r"(?:read more|read also|also read|related|see also|more|watch|listen|opinion|analysis)\s*[:：|]\s*\S", _I
)
_IMAGE_CREDIT = re.compile(
    r"(?:(?:photo|image|picture|photograph|illustration|graphic|video|footage|cover image|main image|top image|file photo)"
    r"(?: credit| by| source)?|credit|credits|source of (?:the )?(?:photo|image))\s*[:：]",
    _I,
)
_CREDIT_AGENCY = re.compile(
    r"(?:getty images|shutterstock|alamy|ap photo|afp photo|reuters/|epa-efe|istock|pool photo|via getty|"
    r"photo by|photograph by|image by|illustration by)",
    _I,
)
_NEWSLETTER = re.compile(
    r"(?:sign up|subscribe|register|join)\b.{0,60}\b(?:newsletter|inbox|e-?mail|updates|briefing|digest|alerts?)"
    r"|newsletter\b.{0,40}\b(?:sign up|subscribe|inbox)"
    r"|^(?:subscribe(?: now| today)?|sign up(?: now| today)?|get (?:our|the) [\w ]{0,30}newsletter)\b",
    _I,
)
_SHARE = re.compile(
    r"(?:share(?: this)?(?: article| story| post| page)?(?: on [\w ,/&]+)?|follow us(?: on [\w ,/&]+)?|"
    r"share on [\w ,/&]+|tweet(?: this)?|print(?: this)?(?: article)?|e-?mail(?: this)?(?: article)?|copy link|"
    r"comments?(?: \(\d+\))?|\d+ comments?|advertisement|sponsored(?: content)?|listen to (?:this )?article.*)\s*[:.!]?",
    _I,
)
_COOKIES = re.compile(r"\bcookies?\b.{0,120}\b(?:accept|consent|privacy|policy|experience|settings)\b", _I)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright\b).{0,80}$|.{0,80}\ball rights reserved\b", _I)
_BULLET = re.compile(r"[-*•–—]\s+|\d{1,2}[.)]\s+")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")

_SHORT_LINE_WORDS = 25


def _words(line: str) -> int:
    return line.count(" ") + 1


def _looks_like_prose(line: str) -> bool:
    """A line that reads like article body text rather than a listed headline."""
    return bool(_SENTENCE_END.search(line)) and _words(line) >= 12 and not _BULLET.match(line)


def _single_line_reason(line: str) -> str | None:
    short = _words(line) <= _SHORT_LINE_WORDS
    if _IMAGE_CREDIT.match(line) and short:
        return "image credit"
    if _CREDIT_AGENCY.search(line) and _words(line) <= 15 and not _SENTENCE_END.search(line.rstrip(")")):
        return "image credit"
    if _NEWSLETTER.search(line) and short:
        return "newsletter prompt"
    if _COOKIES.search(line) and _words(line) <= 60:
        return "cookie notice"
    if _SHARE.fullmatch(line):
        return "share prompt"
    if _COPYRIGHT.fullmatch(line) and short:
        return "copyright notice"
    if _POINTER.match(line) and short:
        return "link to another article"
    return None


def find_furniture(text: str) -> list[FurnitureLine]:
    """Lines of ``text`` that are page furniture, each with a short reason."""
    found: list[FurnitureLine] = []
    lines = split_lines(text)
    i = 0
    while i < len(lines):
        line = lines[i]
        if _LIST_HEADING.fullmatch(line.text):
            found.append(FurnitureLine(line.start, line.end, line.text, "related headlines heading"))
            i += 1
            # The list runs until the article's prose resumes.
            while i < len(lines) and not _looks_like_prose(lines[i].text):
                item = lines[i]
                reason = _single_line_reason(item.text) or "related headlines list"
                found.append(FurnitureLine(item.start, item.end, item.text, reason))
                i += 1
            continue
        single = _single_line_reason(line.text)
        if single:
            found.append(FurnitureLine(line.start, line.end, line.text, single))
        i += 1
    return found
