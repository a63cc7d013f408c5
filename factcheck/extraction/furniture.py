"""Page furniture: lines that came with the web page but are not the article.

They are reported, not deleted, so the editor sees what was set aside and offsets
into the text stay valid. Bylines and datelines are part of the article and are
left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .lexicon import NEWS_OUTLETS
from .markers import AGENCY_SIGN_OFF_LINE, END_MARKER_LINE, SIGN_OFF_LINE, dateline_end, end_marker_start
from .sentences import split_lines
from .types import FurnitureLine, Span

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
    r"follow us on .{1,60}|share on [\w ,/&]+|tweet(?: this)?|print(?: this)?(?: article)?|e-?mail(?: this)?(?: article)?|copy link|"
    r"comments?(?: \(\d+\))?|\d+ comments?|advertisement|sponsored(?: content)?|listen to (?:this )?article.*)\s*[:.!]?",
    _I,
)
_COOKIES = re.compile(r"\bcookies?\b.{0,120}\b(?:accept|consent|privacy|policy|experience|settings)\b", _I)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright\b).{0,80}$|.{0,80}\ball rights reserved\b", _I)
_NAVIGATION = re.compile(r"(?:skip to (?:main )?(?:content|navigation|search)|jump to (?:navigation|content|search)|"
                         r"main menu|menu|search|toggle navigation|back to top)\s*[.:]?", _I)
_KEYWORD_WORD = r"(?:key ?words?|tags?|topics?|filed under|categories|category|subjects?|related topics)"
# "Keywords: ...", "Tags / Keywords: ...", and Yonhap's "Keywords" heading over its tags.
_KEYWORDS = re.compile(rf"{_KEYWORD_WORD}(?:\s*[/&,]\s*{_KEYWORD_WORD})?\s*[:：]\s*\S", _I)
_KEYWORD_HEADING = re.compile(rf"{_KEYWORD_WORD}\s*[:：]?", _I)
# "#ports #shipping", and Yonhap's tags of several words: "#Hanmar #fishing talks".
_HASHTAGS = re.compile(r"(?:#\w+[\s,]*){1,}|#\w[^#.!?\n]{0,30}(?:#\w[^#.!?\n]{0,30}){1,15}")
# The writer's address alone on a line, as Yonhap ends its stories.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# EFE's note of what goes with the story: "(photo)", "(video)(photo)".
_MEDIA_NOTE = re.compile(r"(?:\(\s*(?:photos?|videos?|audio|graphics?|infographics?)\s*\)\s*){1,4}", _I)
# A credit closing a caption after its full stop: "... on Monday. REUTERS/Anna Berg",
# "... (AP Photo/Carl Doe)", "... Photo: Press office", "... Picture by Ida Lund".
_PHOTO_AGENCY = (r"(?:REUTERS|Reuters|AFP|AP|EPA(?:-EFE)?|EFE|dpa|Xinhua|XINHUA|TASS|Anadolu(?: Agency)?|AA|UPI|KUNA|"
                 r"Kazinform|Sputnik|WAM|SPA|IRNA|Yonhap|Kyodo|Bernama|ANI|PTI)")
# "[Yonhap photo]", "[Photo: Yonhap]", "[Photo courtesy of the ministry]".
_SQUARE_CREDIT = r"\[(?:[A-Z][\w.-]*\s+)?(?:[Pp]hoto|[Ii]mage|[Pp]icture)s?(?:\s*(?:[:/]|by|courtesy\s+of)\s*[^\]]{1,60})?\]"
# "... (Xinhua/Zhang Hao)", "... ( Serkan Yildiz - Anadolu Agency )": a credit in brackets
# naming an agency and the photographer.
_BRACKETED_CREDIT = (rf"\(\s*{_PHOTO_AGENCY}\s*/\s*[A-Z][^()]{{1,50}}\)"
                     # Kyodo's and Xinhua's captions end in the agency alone: "... of the line. (Kyodo)"
                     rf"|(?<=[.!?]\s)\(\s*{_PHOTO_AGENCY}\s*\)"
                     rf"|\(\s*[A-Z][^()]{{1,50}}?(?:\s[-–—]\s|/){_PHOTO_AGENCY}\s*\)")
# A photographer's credit alone on a line: "EFE/Juan Pérez", "WAM/Hatem Mohammed", "[Photo: Yonhap]".
_CREDIT_LINE = re.compile(rf"{_PHOTO_AGENCY}\s*/\s*[A-Z][\w .'’-]{{1,50}}|{_SQUARE_CREDIT}")
_CAPTION_CREDIT = re.compile(
    r"(?:[.!?]\s+|\s)(?:"
    rf"{_BRACKETED_CREDIT}|{_SQUARE_CREDIT}|"
    # "... ended. Yonhap": the agency alone after the caption's full stop.
    rf"(?<=[.!?]\s){_PHOTO_AGENCY}|"
    rf"(?:{_PHOTO_AGENCY}|Getty Images|[A-Z][\w.-]+ (?:Photo|Images))\s*/\s*[A-Z][\w .'’-]{{1,50}}"
    r"|\((?:[A-Z][\w.-]* )?(?:Photo|Picture|Image)s?(?:\s*(?:/|:|by)\s*[^)]{1,60})?\)"
    r"|(?:Photo|Picture|Image|Photograph)s?\s*(?:by|:|credit:)\s*[^.]{1,60}"
    r")\s*$"
)
# "By Anna Berg", "By Anna Berg and Carl Doe, Reuters", "(Reporting by ...; Editing by ...)".
_BYLINE = re.compile(
    r"(?:By|BY)\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December|the|The|then|now)\b)"
    r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|and|&|de|van|von|al|bin)){0,6}"
    r"(?:\s*[,|–—-]\s*(?:[A-Z]|dpa\b)[^.!?]{0,50})?"
    r"|(?:-{1,3}\s*)?\(?(?:Additional |Further )?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Pp]roduced|[Tt]ranslated)"
    r"(?: and \w+)? by\b[^()]{1,200}\)?\.?"
)
# A byline with a time stamp: "Emre Kaya |14.03.2026 - Update : 14.03.2026", "Updated: 12:30 GMT".
_STAMP = re.compile(r"(?:[A-Z][\w'’.-]*\s+){0,4}[|,–—-]?\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|"
                    r"(?:last\s+)?(?:updated?|published|posted)(?:\s*:|\s+(?:on\s+|at\s+)?(?=\d|[A-Z][a-z]{2,8}\.?\s+\d)))"
                    r"[\w\s:./|,+–—-]{0,60}", _I)
# An agency's name or web address alone on a line ("Orda.kz", "Reuters") names the source of
# the copy; a wire service's closing notice about what its website carries; MENAFN's id line.
_SOURCE_LINE = re.compile(r"(?:[A-Z][\w-]*\.)?[\w-]+\.(?:com|kz|ru|az|uz|kg|tr|cn|net|org|info|news|ua)|"
                          r"MENAFN\d{6,}ID\d+")
_NOTICE = re.compile(r".{0,60}\b(?:website contains only a portion of the news|offered to subscribers\b|"
                     r"for subscription options|is not responsible for (?:the )?content|"
                     r"auto-generated from a syndicated feed|has not been edited by (?:our|the|\w+) staff|"
                     r"trust principles)\b.{0,200}", _I)
# Xinhua's "Editor: Zhang Hao", PTI's "(With inputs from agencies)", "Anna Berg, Reuters".
_EDITOR = re.compile(r"(?:(?:web |chief |managing )?editors?|edited by|translated by|compiled by)\s*[:：]?\s*"
                     r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}(?:\s*/\s*[A-Z][\w-]*)?"
                     r"|\(?\s*with (?:additional )?inputs? from [^()]{2,60}\)?\.?", _I)
_NAME_AGENCY = re.compile(rf"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){{1,3}},\s+{_PHOTO_AGENCY}")
# A date and a time alone on a line: "March 3, 2026 at 10:04 AM", "Mar 3, 2026, 10:04 AM ET".
_DATE_TIME = re.compile(
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4},?\s+(?:at\s+)?"
    r"\d{1,2}[:.]\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,4})?")
# "Associated Press writer Lena Berg in Tallinn contributed to this report."
# AP also closes with a bare "… writer Ola Berg in Tarn contributed." (a writer named, no object).
_CONTRIBUTED = re.compile(r"[^.!?]{3,120}\bcontributed(?: reporting)? to (?:this|the) (?:report|story|article)\.?"
                          r"|[^.!?]{0,60}\b(?:writers?|reporters?|correspondents?)\b[^.!?]{3,80}\bcontributed"
                          r"(?: reporting)?\.?", _I)
_BULLET = re.compile(r"[-*•–—]\s+|\d{1,2}[.)]\s+")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")

_SHORT_LINE_WORDS = 25


def _words(line: str) -> int:
    return line.count(" ") + 1


def _looks_like_prose(line: str) -> bool:
    """A line that reads like article body text rather than a listed headline."""
    return bool(_SENTENCE_END.search(line)) and _words(line) >= 12 and not _BULLET.match(line)


# (at most this many words, test, reason): navigation, bylines, end markers, keyword lines
# and captions that end in a credit.
_MARKER_RULES: tuple[tuple[int, Callable[[str], object], str], ...] = (
    (6, _NAVIGATION.fullmatch, "navigation"),
    (16, _BYLINE.fullmatch, "byline"),
    (30, _CONTRIBUTED.fullmatch, "byline"),
    (3, END_MARKER_LINE.fullmatch, "end marker"),
    (1, SIGN_OFF_LINE.fullmatch, "end marker"),
    (6, AGENCY_SIGN_OFF_LINE.fullmatch, "end marker"),
    (4, _MEDIA_NOTE.fullmatch, "end marker"),
    (1, _EMAIL.fullmatch, "byline"),
    (10, _EDITOR.fullmatch, "byline"),
    (6, _NAME_AGENCY.fullmatch, "byline"),
    (8, _DATE_TIME.fullmatch, "byline"),
    (8, _CREDIT_LINE.fullmatch, "image credit"),
    (16, lambda line: _STAMP.fullmatch(line) and not _SENTENCE_END.search(line), "byline"),
    (2, lambda line: _SOURCE_LINE.fullmatch(line) or line.lower() in NEWS_OUTLETS, "source line"),
    (60, _NOTICE.fullmatch, "copyright notice"),
    (40, lambda line: _KEYWORDS.match(line) or _HASHTAGS.fullmatch(line), "keywords"),
    (3, _KEYWORD_HEADING.fullmatch, "keywords"),
    (80, lambda line: _CAPTION_CREDIT.search(line[-120:]), "photo caption"),
)


def _marker_reason(line: str, words: int) -> str | None:
    """The first of _MARKER_RULES the line meets, if any."""
    return next((reason for most, test, reason in _MARKER_RULES if words <= most and test(line)), None)


def _single_line_reason(line: str) -> str | None:
    marker = _marker_reason(line, _words(line))
    if marker:
        return marker
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
        else:
            found.extend(_markers_in(text, line, dateline_allowed=line.start < _DATELINE_REACH))
        i += 1
    return found


_SPACE = re.compile(r"\s*")
# Datelines open a story: only looked for near the top of the text.
_DATELINE_REACH = 3000


def _markers_in(text: str, line: Span, *, dateline_allowed: bool) -> list[FurnitureLine]:
    """A dateline opening the line and an end marker closing it, as spans of their own."""
    found = []
    lead = _SPACE.match(text, 0, _DATELINE_REACH)
    head = dateline_end(line.text, headline_slot=line.start <= (lead.end() if lead else 0)) if dateline_allowed else 0
    if head and _BYLINE.fullmatch(line.text[head:].strip()):
        # "(MENAFN- AzerNews) By Leyla Mamedova": the marker and a byline, nothing else.
        return [FurnitureLine(line.start, line.end, line.text, "byline")]
    if head:
        end = line.start + len(line.text[:head].rstrip())
        found.append(FurnitureLine(line.start, end, text[line.start:end], "dateline"))
    tail = end_marker_start(line.text)
    if tail is not None and tail > head:
        start = line.start + tail + (len(line.text[tail:]) - len(line.text[tail:].lstrip()))
        found.append(FurnitureLine(start, line.end, text[start:line.end], "end marker"))
    return found
