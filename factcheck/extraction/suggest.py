"""Propose an article's check-worthy claims, anchored to the text and attributed.

The pipeline: set page furniture aside, split sentences, read attribution tags
sentence by sentence within each paragraph (one line of the text), join what belongs
together (a quotation over several sentences, a report whose tag comes at the end of
its paragraph), then score and keep what clears the threshold.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from . import attribution as attr
from .checkworthiness import logit
from .furniture import find_furniture
from .sentences import split_sentences
from .types import FurnitureLine, Span, Suggestion

# Chosen on the labelled articles (the shared one and ours) so that every labelled
# claim clears it with a margin while bylines, questions and chatter stay below.
THRESHOLD = 0.35

_QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"|«([^»\n]+)»")
_CONNECTIVE = re.compile(
    r"(?:Incidentally|Meanwhile|However|Moreover|Furthermore|Separately|Additionally|Also|Still|Nevertheless|"
    r"Nonetheless|Indeed|In addition|By contrast|At the same time|But|And|So|Yet)\s*,?\s+(?=[A-Z\"“])"
)
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]{1,40},?\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+)?(?:\d{4}\s+)?"
                       r"(?:\((?:[A-Za-z .]{2,30})\)\s*)?[-–—]\s+")
_BYLINE = re.compile(
    r"(?:By|From|(?:Additional )?[Rr]eporting by|Writing by|Editing by|Compiled by)\s+[A-Z][\w'’.-]*"
    r"(?:\s+(?:and\s+)?[A-Z][\w'’.-]*){0,5}(?:\s*[,|].{0,60})?"
)
PREVIOUS_SPEAKER = "\x00previous speaker"
# Wire-copy credit lines: part of the article, never a claim.
_CREDITS = re.compile(r"\(?(?:Additional |Further )?(?:reporting|writing|editing|compiled|produced|translated|"
                      r"research|graphics)(?: and \w+)? by\b", re.I)
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
_DATE = re.compile(
    r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\b(?:\s+\d{4})?"
    r"|\b(?:in|since|by|until|from|of)\s+(?:(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+)?(?:1[89]|20)\d\d\b"
    r"|\b(?:on|last|this|next)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_STAT = re.compile(
    r"\d\s*(?:%|per ?cent|percent)|[$€£¥₽]\s?\d|\b\d[\d,.]*\s*(?:thousand|million|billion|trillion|bn)\b"
    r"|\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?\s*(?:people|persons|deaths|dead|votes|tons|tonnes|barrels|"
    r"km|kilometres|kilometers|miles|hectares|jobs|cases|times|points|percentage|years? old|troops|"
    r"soldiers|civilians|children|households|homes|companies|members|participants)\b"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twice|half|a third|a quarter|double|triple)"
    r"\b.{0,20}\b(?:percent|million|billion|times)\b",
    re.I,
)
_EVENT = re.compile(
    r"\b(?:\w{3,}ed|began|fled|won|lost|took|made|went|came|fell|rose|left|met|held|led|fought|struck|shot|"
    r"hit|sent|spent|paid|built|sold|bought|grew|ran|drew|broke|caught|chose|drove|froze|gave|kept|"
    r"overtook|overthrew|sank|sought|stole|swore|threw|told|wrote|became|begun|taken|given|seized|died)\b"
)
# News-specific evidence, combined with the lexical model as a noisy-or: each is the
# chance on its own that a sentence with that trait is worth checking.
_EVIDENCE = {"attributed": 0.45, "statistic": 0.5, "date": 0.35, "event": 0.3, "names": 0.1}
# Traits that make a sentence less checkable, as multipliers.
_DAMPING = {"question": 0.3, "short": 0.3, "headline": 0.6, "hedge": 0.7, "no comment": 0.2}
_HEDGE = re.compile(r"\b(?:might|may|could|perhaps|maybe|possibly|probably|hope|hopes|wish|should|opinion|"
                    r"I think|we think|I believe|we believe|I feel)\b", re.I)


@dataclass(slots=True)
class _Unit:
    start: int
    end: int
    chain: list[str] = field(default_factory=list)
    quote: bool = False
    first_person: bool = False
    headline: bool = False
    mention: bool = False
    merged: bool = False  # folded into a later unit (a quotation over several sentences)


def _overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_right(starts, end) - 1
    while i >= 0 and spans[i][1] > start:
        if spans[i][0] < end:
            return True
        i -= 1
    return False


def _paragraphs(text: str, sentences: list[Span]) -> list[list[Span]]:
    newlines = [m.start() for m in re.finditer("\n", text)]
    groups: dict[int, list[Span]] = {}
    for s in sentences:
        groups.setdefault(bisect.bisect_left(newlines, s.start), []).append(s)
    return [groups[k] for k in sorted(groups)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop what frames a claim without being part of it: datelines, connectives, a
    trailing comma or colon, surrounding spaces."""
    seg = text[start:end]
    m = _DATELINE.match(seg)
    if m and m.end() < len(seg):
        start += m.end()
        seg = text[start:end]
    m = _CONNECTIVE.match(seg)
    if m and m.end() < len(seg):
        start += m.end()
    while end > start and text[end - 1] in " \t,;:—–-":
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _quote_blocks(text: str, para: list[Span], units: list[_Unit], used: set[int],
                  carry: list[str] | None) -> None:
    """Direct speech in quotation marks, framed by a tag before or after it."""
    p_start, p_end = para[0].start, para[-1].end
    segment = text[p_start:p_end]
    if '"' not in segment and "“" not in segment and "«" not in segment:
        return
    starts = [s.start for s in para]
    for m in _QUOTE.finditer(segment):
        q_start = p_start + m.start() + 1
        q_end = p_start + m.end() - 1
        if len(text[q_start:q_end].split()) < 4:
            continue
        first = bisect.bisect_right(starts, q_start - 1) - 1
        last = bisect.bisect_right(starts, q_end) - 1
        if first < 0 or any(i in used for i in range(first, last + 1)):
            continue
        lead = text[para[first].start:q_start - 1]
        trail = text[q_end + 1:para[last].end]
        chain: list[str] | None = None
        if not lead.strip():
            tail = trail.strip()
            if tail in ("", "."):
                # A quotation standing alone continues the last speaker's words.
                chain = [PREVIOUS_SPEAKER]
            else:
                parsed = attr.parse_trailing("X, " + tail.lstrip(", "))
                if parsed and parsed.content_end == 1:
                    chain = parsed.chain
        elif trail.strip() in ("", "."):
            parsed = attr.lead_tag_only(lead) or attr.parse_colon_intro(lead.rstrip())
            if parsed:
                chain = parsed.chain
        if chain is None:
            continue
        if carry and (not chain or chain[-1].lower() in _PRONOUNS or chain[-1] == PREVIOUS_SPEAKER):
            chain = list(carry)
        used.update(range(first, last + 1))
        end = q_end
        while end > q_start and text[end - 1] in " ,":
            end -= 1
        units.append(_Unit(q_start, end, list(chain), quote=True, first_person=True))


_HEADLINE_SPEECH = re.compile(r"\b(?:says|say|said|tells|told|warns|warned|claims|claimed|insists|admits|"
                              r"according to)\b", re.I)


def is_headline(para: list[Span]) -> bool:
    """A line laid out as a headline: one sentence, no closing punctuation, short."""
    return len(para) == 1 and para[0].text[-1:].isalnum() and len(para[0].text.split()) <= 20


def _analyse_paragraph(text: str, para: list[Span], carried: list[str] | None,
                       units: list[_Unit]) -> list[str] | None:
    """Append the paragraph's claim units; return the attribution a closing colon carries on."""
    used: set[int] = set()
    _quote_blocks(text, para, units, used, carried)
    pending: list[_Unit] = []  # unattributed sentences a trailing tag may still claim
    carry = carried
    # A headline's subject is what it is about, not who speaks ("Ferry operator adds
    # night crossings"); only an explicit tag ("..., minister says") attributes it.
    headline = is_headline(para)
    for i, s in enumerate(para):
        if i in used:
            pending.clear()
            continue
        # A dateline ("LONDON, June 3 (Reuters) - ") frames the story, not the sentence.
        dateline = _DATELINE.match(s.text)
        skip = dateline.end() if dateline and dateline.end() < len(s.text) else 0
        body = s.text[skip:]
        colon = attr.parse_colon_intro(body)
        if colon:
            carry = colon.chain
            pending.clear()
            # Not a claim itself, but it names who speaks next.
            units.append(_Unit(s.start, s.start, list(colon.chain), mention=True))
            continue
        trailing = attr.parse_trailing(body)
        leading = None
        if trailing is None and (not headline or _HEADLINE_SPEECH.search(body)):
            leading = attr.parse_leading(body)
        if trailing is not None:
            assert trailing.content_end is not None
            if leading is None and not trailing.leading:
                lead = attr.parse_leading(body[: trailing.content_end])
                # "Smith said X, according to Reuters": the speaker is the innermost source.
                if lead and len(trailing.chain) == 1 and re.match(r"\s*,?\s*(?:according|as reported|reported by)",
                                                                   body[trailing.content_end:], re.I):
                    trailing.chain = trailing.chain + lead.chain
            start, end = _trim(text, s.start, s.start + skip + trailing.content_end)
            first_person = attr.is_first_person(text[start:end])
            if pending:
                # Unquoted direct speech over several sentences, speaker named after it:
                # when the tagged sentence speaks in the first person the whole run is
                # the quotation, otherwise it starts at the first sentence that does.
                speech = list(pending) if first_person else []
                if not first_person:
                    for k, unit in enumerate(pending):
                        if attr.is_first_person(text[unit.start:unit.end]):
                            speech = pending[k:]
                            break
                if speech:
                    start = speech[0].start
                    first_person = True
                    for unit in speech:
                        unit.merged = True
                    pending = [u for u in pending if not u.merged]
            for unit in pending:
                unit.chain = list(trailing.chain)
            pending.clear()
            units.append(_Unit(start, end, list(trailing.chain), quote=first_person, first_person=first_person))
            continue
        start, end = _trim(text, s.start, s.end)
        if leading is not None and leading.extra.get("according"):
            # "According to X, ..." is a separable clause, like a trailing tag.
            start, end = _trim(text, s.start + skip + int(leading.extra["end"]), s.end)
        if leading is not None:
            units.append(_Unit(start, end, list(leading.chain)))
            pending.clear()
            continue
        unit = _Unit(start, end, list(carry) if carry else [])
        if carry:
            unit.quote = attr.is_first_person(s.text)
        else:
            pending.append(unit)
        units.append(unit)
    # A colon that closes the paragraph hands its speaker to the next paragraph only.
    last = para[-1].text.rstrip()
    return carry if last.endswith(":") else None


class _Speakers:
    """Who has spoken so far, to resolve "he said", "Peskov added" and "the ministry said"."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.last_person: str | None = None
        self.last_any: str | None = None
        self.seen: list[str] = []

    def resolve(self, chain: list[str], text: str = "", start: int = 0, end: int = 0) -> list[str]:
        if chain == [PREVIOUS_SPEAKER]:
            return [self.last_any] if self.last_any else []
        return [self._its(who, text, start, end) if who.startswith("its ") else self._one(who, text, start)
                for who in chain]

    def _its(self, who: str, text: str, start: int, end: int) -> str:
        """"its chair" after "The council voted ..." is the council's chair: the body is the
        subject of the claim, or else the last one named before it."""
        found = None
        claim = _BODY.search(text, start, min(end, start + 80))
        if claim:
            found = claim
        else:
            for found in _BODY.finditer(text, max(0, start - 400), start):
                pass
        if found is None:
            return who
        body = found.group(0)
        body = self._one(body[0].lower() + body[1:] if body.split()[0] in ("The", "the") else body)
        return body + ("'" if body.endswith("s") else "'s") + who[3:]

    def _one(self, who: str, text: str = "", start: int = 0) -> str:
        low = who.lower()
        if low in ("he", "she", "i"):
            return self.last_person or who
        if low in _PRONOUNS:
            return self.last_any or who
        if " " not in who and who in self.names:
            return self.names[who]
        head = _DEFINITE.fullmatch(who)
        if head:
            # "the ministry" after "the Emergency Situations Ministry said".
            noun = head.group(1).lower()
            for earlier in reversed(self.seen[-50:]):
                # "the Ministry of Transport" is a ministry too.
                words = earlier.lower().split(" of ", 1)[0].split()
                if words and words[-1] == noun and earlier.lower() != low and "'" not in earlier:
                    return earlier
            if text:
                # Named earlier without speaking: "The Ministry of Transport opened ...".
                found = None
                for found in _named_body(noun).finditer(text, max(0, start - 3000), start):
                    pass
                if found:
                    name = found.group(0)
                    return name[0].lower() + name[1:] if name.startswith("The ") else name
        return who

    def note(self, who: str) -> None:
        if who.lower() in _PRONOUNS:
            return
        self.last_any = who
        self.seen.append(who)
        tokens = who.split()
        if (len(tokens) >= 2 and who[0].isupper() and all(t[0].isupper() for t in tokens)
                and tokens[-1].lower() not in attr.ORG_WORDS):
            self.last_person = who


_BODY = re.compile(
    r"\b(?:[Tt]he\s+(?:[\w'’&-]+\s+){0,2}|(?:[A-Z][\w'’&.-]*\s+){1,4})"
    r"(?i:council|ministry|company|operator|bank|government|agency|regulator|office|department|service|"
    r"committee|commission|court|police|army|group|firm|authority|party|union|board|airline|carrier|club|"
    r"team|city|port|hospital|school|university|institute|utility|network|exchange|fund|association|"
    r"federation|organi[sz]ation|administration|parliament|assembly|bureau|municipality|county|state|"
    r"producer|maker|manufacturer|retailer|insurer|lender|railway|broadcaster|newspaper|campaign)\b"
    r"(?:\s+of\s+[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*){0,3})?"
)
_NAMED_BODY: dict[str, re.Pattern[str]] = {}


def _named_body(noun: str) -> re.Pattern[str]:
    """A body named in full with ``noun`` as its head: "the Transport Ministry", "the Ministry
    of Transport"."""
    if noun not in _NAMED_BODY:
        head = noun.capitalize()
        _NAMED_BODY[noun] = re.compile(
            rf"(?:[Tt]he\s+)?(?:(?:[A-Z][\w'’&-]*\s+){{1,4}}{head}\b|"
            rf"{head}\s+of(?:\s+(?:the\s+)?[A-Z][\w'’&-]*){{1,4}})")
    return _NAMED_BODY[noun]


_DEFINITE = re.compile(r"the\s+(ministry|agency|company|bank|government|regulator|office|department|"
                       r"service|committee|council|court|police|army|group|firm|authority|party|union)", re.I)
_NO_COMMENT = re.compile(r"\b(?:declined to comment|could not be reached|did not (?:immediately )?respond|"
                         r"did not return|no immediate comment|declined to elaborate)\b", re.I)


def _kind(unit: _Unit, quote: str) -> str:
    if unit.quote:
        return "quote"
    if unit.chain:
        return "attributed statement"
    if _STAT.search(quote):
        return "statistic"
    if _DATE.search(quote):
        return "event with date"
    if _EVENT.search(quote):
        return "event"
    return "statement"


def _score(quote: str, unit: _Unit, kind: str) -> float:
    z = max(-30.0, min(30.0, logit(quote)))
    miss = 1.0 - 1.0 / (1.0 + math.exp(-z))
    ev = _EVIDENCE
    if unit.chain:
        miss *= 1.0 - ev["attributed"]
    if kind == "statistic" or _STAT.search(quote):
        miss *= 1.0 - ev["statistic"]
    if _DATE.search(quote):
        miss *= 1.0 - ev["date"]
    if kind in ("event", "event with date") or _EVENT.search(quote):
        miss *= 1.0 - ev["event"]
    if len(attr._CAP_RUN.findall(quote)) >= 2:
        miss *= 1.0 - ev["names"]
    score = 1.0 - miss
    damp = _DAMPING
    if quote.rstrip("\"”’' ").endswith("?"):
        score *= damp["question"]
    if len(quote.split()) < 5:
        score *= damp["short"]
    if unit.headline:
        score *= damp["headline"]
    if _HEDGE.search(quote):
        score *= damp["hedge"]
    if _NO_COMMENT.search(quote):
        score *= damp["no comment"]
    return score


def suggest_claims(text: str, *, furniture: list[FurnitureLine] | None = None,
                   threshold: float = THRESHOLD) -> list[Suggestion]:
    """Check-worthy claims of ``text``; offsets refer to ``text`` exactly as given."""
    if furniture is None:
        furniture = find_furniture(text)
    blocked = sorted((f.start, f.end) for f in furniture)
    blocked_starts = [b[0] for b in blocked]
    sentences = [s for s in split_sentences(text) if not _overlaps(blocked, blocked_starts, s.start, s.end)]
    names = attr.collect_names(" ".join(s.text for s in sentences))
    units: list[_Unit] = []
    carried: list[str] | None = None
    for para in _paragraphs(text, sentences):
        before = len(units)
        carried = _analyse_paragraph(text, para, carried, units)
        if before < len(units) and is_headline(para) and units[-1].start <= para[0].start + 1:
            if not units[-1].chain:
                units[-1].headline = True
    units.sort(key=lambda u: u.start)
    suggestions: list[Suggestion] = []
    speakers = _Speakers(names)
    for unit in units:
        chain = speakers.resolve(unit.chain, text, unit.start, unit.end)
        for who in chain:
            speakers.note(who)
        if unit.mention or unit.merged or unit.end <= unit.start:
            continue
        quote = text[unit.start:unit.end]
        if _BYLINE.fullmatch(quote) or _CREDITS.match(quote):
            continue
        kind = _kind(unit, quote)
        score = _score(quote, unit, kind)
        if score < threshold:
            continue
        claimant = chain[-1] if chain else None
        via = list(reversed(chain[:-1]))
        suggestions.append(Suggestion(quote=quote, start=unit.start, end=unit.end, claimant=claimant,
                                      via=via, kind=kind, score=round(score, 3)))
    return suggestions
