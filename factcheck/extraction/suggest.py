"""Propose an article's check-worthy claims, anchored to the text and attributed.

The pipeline: set page furniture aside, split sentences, read attribution tags
sentence by sentence within each paragraph (one line of the text), join what belongs
together (a quotation over several sentences, a report whose tag comes at the end of
its paragraph), then score and keep what clears the threshold.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import attribution as attr
from . import learned, stance
from .actor import actor_span, quoted_actor_span
from .casing import recase
from .coreference import PREVIOUS_SPEAKER, PRONOUNS, Speakers, collect_titles
from .furniture import find_furniture
from .leading import blank_discourse
from .lexicon import CAP_RUN, DOCUMENTS, FUNCTION_WORDS, NP_OPENERS, SOURCE_NOUNS
from .names import is_appositive, is_outlet, is_person_like, source_ok, trim_subject
from .quotemarks import read_double_apostrophes, read_mixed_marks, read_wrong_openings
from .quotetag import QUOTE_ENDS, quotation_tag
from .relays import relay_name, speaker_chain, told_relay
from .scoring import claim_kind, score_ceiling, score_claim, score_floor
from .sentences import split_sentences
from .title_lines import title_case_tag
from .trailing import in_disputed_note
from .types import Attribution, FurnitureLine, Span, Suggestion

# Chosen on the labelled articles (the shared one and ours) so that every labelled
# claim clears it with a margin while bylines, questions and chatter stay below.
THRESHOLD = 0.35
# Read a speaker described by a restrictive "who" clause (docs/extraction.md, "Fourteenth
# round"); off gives the thirteenth round's reading.
RELATIVE_SPEAKERS = False
# Read "X did something and said …" as X's words (same section).
DEED_AND_SAID = False
# "Let's see …" names no speaker (same section).
LETS_NO_SPEAKER = False

# Quotation marks: opening mark, closing mark.
# A single closing mark is also the apostrophe ("can’t", "Berg’s"); it closes a
# quotation only where no letter follows it.
_QUOTE_MARKS = {"“": re.compile("”"), '"': re.compile('"'), "«": re.compile("»"),
                "‘": re.compile(r"’(?![^\W\d_])")}
# A single opening mark opens a quotation after a space or bracket and before a letter
# ("in ‘08" is an elision).
_OPENING = re.compile('[“"«]|(?:(?<=^)|(?<=[\\s(\\[“]))‘(?=[^\\W\\d_])')
_NEWLINE = re.compile(r"\r\n?|\n")
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
# Wire-copy credit lines: part of the article, never a claim.
_CREDITS = re.compile(r"\(?(?:Additional |Further )?(?:reporting|writing|editing|compiled|produced|translated|"
                      r"research|graphics)(?: and \w+)? by\b", re.I)


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
    # The learned reader's chain, used only if no tag of the rules claims the unit.
    learned: list[str] = field(default_factory=list)


def _outside(furniture: list[FurnitureLine], sentences: list[Span], text: str) -> list[Span]:
    """The sentences, less what page furniture covers: a sentence inside furniture goes;
    one that a dateline opens or an end marker closes keeps the rest. Both lists are in
    text order, so this is one merge."""
    spans = sorted((f.start, f.end) for f in furniture)
    out: list[Span] = []
    k = 0
    for s in sentences:
        start, end = s.start, s.end
        while k < len(spans) and spans[k][1] <= start:
            k += 1
        j = k
        while j < len(spans) and spans[j][0] < end:
            f_start, f_end = spans[j]
            if f_start <= start:
                start = max(start, f_end)
            elif f_end >= end:
                end = min(end, f_start)
            else:
                start = end  # furniture in the middle of a sentence: drop it, as before
            j += 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(s if (start, end) == (s.start, s.end) else Span(start, end, text[start:end]))
    return out


def _paragraphs(text: str, sentences: list[Span]) -> list[list[Span]]:
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
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


def quotations(line: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each quotation in ``line`` (one line of text), marks included: the first closing mark
    after an opening one ends it, and a mark with no closing mark after it opens nothing.
    Each closing mark is looked up once per kind, so a line full of unclosed quotation
    marks costs no more than any other line."""
    next_close: dict[str, int] = {}
    pos = 0
    while True:
        m = _OPENING.search(line, pos)
        if m is None:
            return
        start = m.start()
        opener = m.group(0)
        close = next_close.get(opener, -2)
        if close != -1 and close <= start:
            found = _QUOTE_MARKS[opener].search(line, start + 1)
            close = found.start() if found else -1
            next_close[opener] = close
        if close > start + 1:
            yield start, close + 1
            pos = close + 1
        else:
            pos = start + 1


def _quote_chain(lead: str, trail: str, last_char: str = "") -> list[str] | None:
    """Who speaks a quotation, from the text before it (``lead``) and after it (``trail``)
    in its sentences; None when the quotation is framed by more than a tag. ``last_char``
    is the quotation's last character inside its closing mark."""
    if not lead.strip():
        chain = _tag_after_quotation(trail)
        if chain is None and last_char and last_char in QUOTE_ENDS:
            # "“…,” Bennett shot back.": any verb closes a tag after such a quotation.
            chain = quotation_tag(trail)
        return chain
    if trail.strip() in ("", "."):
        lead_tag = attr.lead_tag_only(lead) or attr.parse_colon_intro(lead.rstrip())
        return lead_tag.chain if lead_tag else _participle_before(lead)
    return None


# "…, telling Reuters, “…”", "…, adding: “…”": a participle of speech just before the quotation.
_PARTICIPLE_BEFORE = re.compile(r",\s+(?P<verb>telling\s+(?P<obj>[^,:]{2,40})|saying|adding|declaring|writing|"
                                r"insisting|explaining|warning|noting|arguing)\s*[,:]?\s*$")


def _participle_before(lead: str) -> list[str] | None:
    """Who speaks a quotation that a participle introduces after the writer's clause
    ("Trump returned the compliment, telling Reuters, “…”"): the clause's subject, the
    outlet told as its relay."""
    m = _PARTICIPLE_BEFORE.search(lead)
    if m is None or attr.parse_leading(lead[:m.start()]) is not None:
        # "Byrne also wrote the agents knew …, saying, “…”": the clause is a claim of its own.
        return None
    tag = attr.parse_leading(lead[:m.start()] + ", saying, x")
    if tag is None or not tag.chain or tag.according:
        return None
    relay = told_relay("told " + m.group("obj")) if m.group("obj") else None
    return [relay, *tag.chain] if relay and relay != tag.chain[-1] and len(tag.chain) == 1 else tag.chain


def _tag_after_quotation(trail: str) -> list[str] | None:
    """The tag after a quotation with nothing before it in its sentence."""
    tail = trail.strip()
    if tail in ("", "."):
        # A quotation standing alone continues the last speaker's words.
        return [PREVIOUS_SPEAKER]
    signed = _SIGNATURE.fullmatch(tail)
    if signed and is_person_like(signed.group("name")):
        # "“…” ― Carla Sanchez": a quotation signed with its speaker's name, as in reader
        # responses and epigraphs.
        return [signed.group("name")]
    parsed = attr.parse_trailing("X, " + tail.lstrip(", "))
    if not (parsed and parsed.content_end == 1) and "," in tail.lstrip(", "):
        # "“…,” said O'Neill, on his first day …", "“…,” Trump told the crowd, reciting
        # …": the tag, then the writer's own words.
        parsed = attr.parse_trailing("X, " + tail.lstrip(", ").split(",")[0])
    first = tail.lstrip(", ").split(",")[0]
    head = (_TAG_SETTING_WHO if RELATIVE_SPEAKERS else _TAG_SETTING).split(first, 1)[0]
    if head != first and (not (parsed and parsed.content_end == 1) or _SETTING_FIRST.match(first, len(head))):
        # "“…,” he told a press conference after chairing the council's meeting here
        # today.", "“…,” said Rep. Ann Lowe at the time": the tag ends where the writer
        # says when or where it was said.
        parsed = attr.parse_trailing("X, " + head)
    return parsed.chain if parsed and parsed.content_end == 1 else None


_SIGNATURE = re.compile(r"(?:--|[―—–])\s*(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})\s*\.?")
_TAG_SETTING = re.compile(r"\s+(?=(?:after|before|while|when|during|following|ahead\s+of|on\s+the\s+sidelines\s+of|"
                          r"at\s+the\s+time)(?:\s|$))")
# The same, and a restrictive "who" clause after the speaker ("said a strategist who spoke on
# condition of anonymity"): the speaker ends before it.
_TAG_SETTING_WHO = re.compile(r"\s+(?=(?:after|before|while|when|during|following|ahead\s+of|"
                              r"on\s+the\s+sidelines\s+of|at\s+the\s+time|who)(?:\s|$))")
# Settings a name read whole would swallow ("Rep. Ann Lowe at the time"): cut even when the
# whole tag reads.
_SETTING_FIRST = re.compile(r"\s+(?:when|at\s+the\s+time)(?:\s|$)")


def _quote_blocks(text: str, para: list[Span], units: list[_Unit], used: set[int],
                  carry: list[str] | None) -> None:
    """Direct speech in quotation marks, framed by a tag before or after it."""
    p_start, p_end = para[0].start, para[-1].end
    segment = text[p_start:p_end]
    if not _OPENING.search(segment):
        return
    starts = [s.start for s in para]
    for m_start, m_end in quotations(segment):
        q_start = p_start + m_start + 1
        q_end = p_start + m_end - 1
        if len(text[q_start:q_end].split()) < 4:
            continue
        first = bisect.bisect_right(starts, q_start - 1) - 1
        last = bisect.bisect_right(starts, q_end) - 1
        if first < 0 or any(i in used for i in range(first, last + 1)):
            continue
        chain = _quote_chain(text[para[first].start:q_start - 1], text[q_end + 1:para[last].end],
                             text[q_end - 1])
        if chain is None:
            continue
        if chain == [PREVIOUS_SPEAKER] and last + 1 < len(para):
            # "“...” She wrote this on her page.": the tag is the next sentence.
            tag = _NEXT_TAG.match(para[last + 1].text)
            # "“… it!” Murphy tweeted on Friday.": the mark ended the sentence, not the tag.
            after = quotation_tag(para[last + 1].text) if not tag and text[q_end - 1] in "!?" else None
            chain = (speaker_chain(tag.group("src")) if tag else after) or chain
            if tag or after:
                used.add(last + 1)
        if carry and (not chain or chain[-1].lower() in PRONOUNS or chain[-1] == PREVIOUS_SPEAKER):
            chain = list(carry)
        used.update(range(first, last + 1))
        end = q_end
        while end > q_start and text[end - 1] in " ,":
            end -= 1
        units.append(_Unit(q_start, end, list(chain), quote=True, first_person=True))
        trail_end = para[last].end
        follow = _follow_on(text, q_end + 1, trail_end)
        if follow and chain != [PREVIOUS_SPEAKER] and len(text[follow.end():trail_end].split()) >= 4:
            # "“…,” Lund said, adding that the port would appeal."
            units.append(_Unit(*_trim(text, follow.end(), trail_end), list(chain)))


_HEADLINE_SPEECH = re.compile(r"\b(?:says|say|said|tells|told|warns|warned|claims|claimed|insists|admits|"
                              r"according to)\b", re.I)
_SPACE = re.compile(r"\s")
_SENTENCE_END = re.compile(r"[.!?]")
_NEXT_TAG = re.compile(
    r"(?P<src>He|She|They|[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}|The\s+[a-z]+(?:\s+[a-z]+)?)\s+"
    r"(?:also\s+)?(?:(?:said|wrote|posted|added|tweeted|stated|told\s+\w+)\s+(?:this|that|so|it)|"
    # "He made the remarks in a video posted on his page.": the quotation's setting, no claim.
    r"made\s+(?:the|these|those|his|her|their)\s+(?:remarks|comments|statement|statements))\b[^.!?]{0,80}[.!?]?$"
)
_BARE_DOCUMENT = re.compile(rf"(?:the|this|these|those|such|new|latest)\s+(?:{DOCUMENTS})", re.I)
_NOT_SUBJECT_START = frozenset({"with", "amid", "alongside", "after", "although", "despite", "while", "when", "as",
                                "in", "on", "at", "by", "from", "if", "because", "since", "though", "before"})
_OWN_OFFICE = re.compile(r"(?:his|her|their)\s+(?:office|press\s+(?:office|service|secretary)|spokes(?:man|woman|person)|"
                         r"staff|aides?|campaign|team|lawyers?|representatives?)$", re.I)
_OUTER_RELAY = re.compile(r"\s*,?\s*(?:according|as reported|reported by)", re.I)
_CITING = re.compile(r"\s*,?\s*(?:citing|quoting)\s", re.I)


def is_headline(para: list[Span]) -> bool:
    """A line laid out as a headline: one sentence, no closing punctuation, short."""
    return len(para) == 1 and para[0].text[-1:].isalnum() and len(para[0].text.split()) <= 20


def _speech_run(text: str, pending: list[_Unit], first_person: bool) -> list[_Unit]:
    """Unquoted direct speech over several sentences, speaker named after it: when the
    tagged sentence speaks in the first person the whole run is the quotation, otherwise
    it starts at the first sentence that does."""
    if first_person:
        return list(pending)
    for k, unit in enumerate(pending):
        if attr.is_first_person(text[unit.start:unit.end]):
            return pending[k:]
    return []


# A speaker's further words after a trailing tag: "…, Lund said, adding that …".
_FOLLOW_ON = re.compile(r",\s+(?:adding|arguing|noting|insisting|explaining|stressing|warning|emphasi[sz]ing)"
                        r"(?:\s+that\b|\s*[,:])\s*(?=\S)")
# The same, with the participles that give a claim too ("…,” said Devine, suggesting that the
# contests won't be so vivifying."); same section, off gives the thirteenth round's reading.
FOLLOW_MORE = False
_FOLLOW_ON_MORE = re.compile(r",\s+(?:adding|arguing|noting|insisting|explaining|stressing|warning|emphasi[sz]ing|"
                             r"suggesting|saying|claiming|asserting|predicting|acknowledging|conceding|"
                             r"contending|complaining)(?:\s+that\b|\s*[,:])\s*(?=\S)")


def _follow_on(text: str, start: int, end: int | None = None) -> re.Match[str] | None:
    return (_FOLLOW_ON_MORE if FOLLOW_MORE else _FOLLOW_ON).search(text, start, len(text) if end is None else end)


@dataclass(slots=True)
class _Paragraph:
    """One paragraph's reading state: sentences that a trailing tag may still claim, and
    the speaker a colon introduced."""

    text: str
    units: list[_Unit]
    carry: list[str] | None
    names: dict[str, str] = field(default_factory=dict)
    pending: list[_Unit] = field(default_factory=list)

    def trailing(self, s: Span, skip: int, body: str, tag: Attribution) -> None:
        """A sentence whose tag follows the claim: "..., the ministry said."."""
        assert tag.content_end is not None
        if not tag.leading:
            lead = attr.parse_leading(body[: tag.content_end])
            # "Smith said X, according to Reuters", "He said X, the BBC reported": the
            # speaker is the innermost source; the outlet only relays.
            if lead and len(tag.chain) == 1 and (_OUTER_RELAY.match(body, tag.content_end) or tag.outlet
                                                 or is_outlet(tag.chain[0])):
                tag.chain = [relay_name(tag.chain[0]), *lead.chain]
            elif lead and len(tag.chain) == 1 and not lead.according and _CITING.match(body, tag.content_end):
                # "OTA reported that ..., citing an unnamed official": the one who reported
                # relays the one cited.
                tag.chain = [*lead.chain, tag.chain[0]]
            elif lead and _OWN_OFFICE.match(tag.chain[-1]) and is_person_like(lead.chain[-1]):
                # "X said ..., according to a statement from his office cited by Y": X's
                # own office speaks for X; Y still relays.
                tag.chain = tag.chain[:-1] + lead.chain
        start, end = _trim(self.text, s.start, s.start + skip + tag.content_end)
        first_person = attr.is_first_person(self.text[start:end])
        speech = _speech_run(self.text, self.pending, first_person)
        if speech:
            start = speech[0].start
            first_person = True
            for unit in speech:
                unit.merged = True
        # A trailing tag on a third-person report carries back over the paragraph.
        for unit in self.pending:
            if not unit.merged:
                unit.chain = list(tag.chain)
        self.pending.clear()
        self.units.append(_Unit(start, end, list(tag.chain), quote=first_person, first_person=first_person))
        follow = _follow_on(body, tag.content_end)
        if follow and len(body[follow.end():].split()) >= 4:
            # "…, the mayor said, adding that the ferries would run again": what the tag's
            # speaker added is a claim of its own.
            f_start, f_end = _trim(self.text, s.start + skip + follow.end(), s.end)
            self.units.append(_Unit(f_start, f_end, list(tag.chain)))

    def leading(self, s: Span, skip: int, tag: Attribution) -> None:
        """"X said that ...": the tag stays in the claim; "According to X, ..." does not."""
        start, end = _trim(self.text, s.start, s.end)
        if tag.according and tag.end is not None:
            # "According to X, ..." is a separable clause, like a trailing tag.
            start, end = _trim(self.text, s.start + skip + tag.end, s.end)
        self.units.append(_Unit(start, end, list(tag.chain)))
        self.pending.clear()

    def untagged(self, s: Span, learned_chain: list[str] | None = None) -> None:
        start, end = _trim(self.text, s.start, s.end)
        unit = _Unit(start, end, list(self.carry) if self.carry else [], learned=learned_chain or [])
        if self.carry:
            unit.quote = attr.is_first_person(s.text)
        else:
            self.pending.append(unit)
        self.units.append(unit)


def _dateline_end(sentence: str) -> int:
    """Where a dateline ("LONDON, June 3 (Reuters) - ") opening the sentence ends."""
    dateline = _DATELINE.match(sentence)
    return dateline.end() if dateline and dateline.end() < len(sentence) else 0


# A party and state after a name: "Sen. Lana Ortiz, D-Nev., said", "according to Rep. Dan
# Hale, R-Ohio, the …". Its commas made the name look like the end of a clause and the tag
# like the speaker ("D-Nev"); it is read as if it were not there, the closing comma kept.
_PARTY_TAG = re.compile(r",\s+[RDI]-[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*)?(?P<comma>,(?=\s)|(?=[.;:]?\s*$))")


_VERB_NEXT = re.compile(r"\s+(?:[a-z]+ly\s+)?(?:said|says|told|tells|added|wrote|writes|warned|argued|noted|"
                        r"stated|insisted|explained|claimed|predicted|acknowledged|who)\b")


def _without_party_tags(s: Span) -> Span:
    if "-" not in s.text:
        return s

    def blank(m: re.Match[str]) -> str:
        # Before the verb the closing comma goes too ("X, D-Nev., said" is "X said"); before
        # the claim it stays ("according to X, R-Ohio, the …").
        comma = "" if _VERB_NEXT.match(s.text, m.end()) else m.group("comma")
        return " " * (m.end() - m.start() - len(comma)) + comma
    return Span(s.start, s.end, _PARTY_TAG.sub(blank, s.text))


# A speaker described by a clause with no comma before it (a restrictive "who" clause), which
# the tag readers took for the claim or for part of the name: "…, said a Democratic strategist
# who spoke on condition of anonymity.", "…, according to three sources who were not authorized
# to speak.", "A White House official who spoke anonymously said Wednesday that …". The clause
# is read as if it were not there; the speaker is the noun phrase before it.
_TRAILING_WHO = re.compile(r"(?:,|[”\"])\s*(?:said|says|told\s+\S+|wrote|writes|added|according\s+to)\s+"
                           r"(?:(?!who\b|that\b)[\w'’.-]+\s+){0,7}?(?!who\b|that\b)[\w'’.-]+"
                           r"(?P<rel>\s+who\s[^“”\"]{3,200}?)(?=[.!?]?\s*$)")
_LEADING_WHO = re.compile(r"\W*(?!(?:If|When|While|Although|Because|Since|As|After|Before|Though|Unless)\b)"
                          r"(?:(?!who\b|that\b)[\w'’.-]+\s+){0,6}?(?!who\b|that\b)[\w'’.-]+"
                          r"(?P<rel>\s+who\s[^,;:“”\"]{3,150}?)"
                          r"(?=\s+(?:(?:also|later|then|previously)\s+)?(?:said|says|told|tells|wrote|writes|added)\b)")


# A deed before the speech verb: "Gary Emineth, a former state party chairman, became a delegate
# and said he is leaning toward …": who did the deed says what follows "said". The deed is read
# as if it were not there, the subject (a name, with its role or not) kept.
_DEED_AND_SAID = re.compile(r"(?P<subj>(?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’.-]*(?:,\s+[^,;:“”\"]{3,120},)?)"
                            r"(?P<deed>\s+(?!(?:said|says|told|tells|and|who|which|that)\b)[a-z]+"
                            r"(?:\s+(?!(?:said|says|that|who|which|and)\b)[^\s,;:“”\"]+){1,12}?\s+and)"
                            r"(?=\s+(?:also\s+)?(?:said|says|told|added|warned|argued|insisted|noted)\s+\S)")


def _without_speaker_asides(s: Span, skip: int) -> Span:
    """``s`` with a restrictive "who" clause after its speaker, and a deed before "and said", blanked
    (offsets kept), each as its switch says."""
    text = s.text
    if RELATIVE_SPEAKERS and " who " in text:
        for m in (_TRAILING_WHO.search(text, skip), _LEADING_WHO.match(text, skip)):
            if m is not None:
                a, b = m.span("rel")
                text = text[:a] + " " * (b - a) + text[b:]
    if DEED_AND_SAID and " and " in text:
        m = _DEED_AND_SAID.match(text, skip)
        if m is not None and is_person_like(m.group("subj").split(",")[0].strip()):
            a, b = m.span("deed")
            text = text[:a] + " " * (b - a) + text[b:]
    return s if text == s.text else Span(s.start, s.end, text)


def _read_sentence(state: _Paragraph, s: Span, headline: bool) -> None:
    # The learned readers were fitted on sentences with the party tags in place.
    learned_body = s.text[_dateline_end(s.text):]
    s = _without_party_tags(s)
    if RELATIVE_SPEAKERS or DEED_AND_SAID:
        s = _without_speaker_asides(s, _dateline_end(s.text))
    skip = _dateline_end(s.text)
    body = s.text[skip:]
    if not _SPACE.search(body):
        # One word ("Wow!", "Updated:") carries no tag: every tag has a source and a verb.
        state.untagged(s)
        return
    colon = attr.parse_colon_intro(body)
    if colon:
        state.carry = colon.chain
        state.pending.clear()
        # Not a claim itself, but it names who speaks next.
        state.units.append(_Unit(s.start, s.start, list(colon.chain), mention=True))
        return
    trailing = attr.parse_trailing(body)
    if trailing is not None:
        subject = _subject_before_tag(body, trailing)
        if subject is None:
            state.trailing(s, skip, body, trailing)
        else:
            state.leading(s, skip, subject)
        return
    second = _second_speaker(body) if _JOINED_CLAUSE.search(body) else None
    if second is not None:
        # "X stressed that A, and rights groups warned that B": two claims, two speakers.
        cut, rest, tag = second
        _read_sentence(state, Span(s.start, s.start + skip + cut, s.text[:skip + cut]), headline)
        rest += s.start + skip
        state.leading(Span(rest, s.end, state.text[rest:s.end]), 0, tag)
        return
    # A headline's subject is what it is about, not who speaks ("Ferry operator adds
    # night crossings"); only an explicit tag ("..., minister says") attributes it.
    leading = attr.parse_leading(body) if not headline or _HEADLINE_SPEECH.search(body) else None
    if leading is None:
        # "Black Lawmakers Rip Trump As A 'Fraud.'": a title-case line names its speaker first.
        leading = title_case_tag(body)
    if leading is None and not headline:
        leading = attr.inner_tag(body)
    if leading is not None:
        state.leading(s, skip, leading)
    else:
        state.untagged(s, None if headline else _learned(learned_body, state.names))


# Where a second clause joins the sentence: ", and …", ", but …", "; …".
_JOINED_CLAUSE = re.compile(r"(?:,\s+(?:and|but|while|whereas)|;)\s+(?=\S)")


def _second_speaker(body: str) -> tuple[int, int, Attribution] | None:
    """Where a second clause with a speaker of its own is joined on ("…, and rights groups
    warned that …"): the joint's start and end, and the clause's tag; only when the first
    clause has a speaker too and the two differ."""
    for joint in _JOINED_CLAUSE.finditer(body):
        rest = body[joint.end():]
        if len(rest.split()) < 6:
            break
        # Read as after an opener, where a subject in lower case is one ("And engineers warned …").
        tag = attr.parse_leading("And " + rest)
        if tag is None or tag.end is None or tag.according or tag.pronoun or not tag.chain:
            continue
        first = attr.parse_leading(body)
        if first is None or not first.chain or tag.chain[-1].lower() == first.chain[-1].lower():
            return None
        return joint.start(), joint.end(), tag
    return None


# A claim with a verb: "-ed", "-s", an auxiliary, a common irregular past.
_FINITE = re.compile(r"\b[a-z]\w*(?:ed|s)\b|\b(?:is|are|was|were|has|have|had|will|would|can|could|should|must|"
                     r"did|does|do|might|may|shall|lost|rose|fell|grew|made|took|gave|won|saw|got|went|came|paid|"
                     r"sold|cut|hit|kept|left|met|ran|spent|brought|built|found|held|led|sent|began|became)\b")


def _subject_before_tag(body: str, trailing: Attribution) -> Attribution | None:
    """The leading tag a trailing one hides, when what it leaves as the claim has no verb:
    "The head of the agency, Lina Masri, said the network needs repairs" (the same "said"
    opens the leading tag); "Jane Doe, president of the union stated, “…”" (the name, not
    its role, speaks)."""
    if trailing.content_end is None or _FINITE.search(body, 0, trailing.content_end):
        return None
    leading = attr.parse_leading(body)
    if leading is not None and leading.end is not None and leading.end > trailing.content_end:
        return leading
    name = body[:trailing.content_end].strip(" ,")
    if (len(trailing.chain) == 1 and CAP_RUN.fullmatch(name) and is_person_like(name)
            and is_appositive(trailing.chain[0])):
        chain = speaker_chain(name)
        return Attribution(chain=chain, leading=True) if chain else None
    return None


# A subordinate clause or phrase that opens the sentence, up to its comma.
_FRONTED_CLAUSE = re.compile(r"\W*(?:Although|Though|While|Whereas|If|Unless|Should|Because|Since|Even\s+if|"
                             r"Even\s+though|When|As|After|Before|Despite|With|Without|In|On|At|During|For|"
                             r"Once|Until)"
                             r"\s[^,;:]{3,120},\s+")


# The noun a possessive subject owns, up to its verb: "Lund's (campaign) doctor is …".
_OWNED = re.compile(r"(?:\s+[a-z][\w-]*){1,2}?(?=\s+(?:is|are|was|were|has|have|had|will|would|also|"
                    r"[a-z]{3,}(?:ed|s))\b)")


# Words before "'s" that make a contraction ("Let's", "It's"), not a possessive.
_CONTRACTED = frozenset({"", "let", "it", "that", "what", "here", "there", "he", "she", "who", "where", "how"})


def _learned(body: str, names: dict[str, str]) -> list[str] | None:
    """The learned reader's Source, when the rules found no tag and accept it as a speaker
    that names someone (a name, a source noun, he/she/they; not "some")."""
    body = blank_discourse(body)
    span = (learned.source_span(body) or actor_span(body) or quoted_actor_span(body, names)
            or stance.stance_span(body, names))
    if span is None:
        return None
    fronted = _FRONTED_CLAUSE.match(body)
    if fronted and span[0] < fronted.end() < span[1]:
        # "Although Orla lacks a majority, elected officials say …": a span across the fronted
        # clause's comma; whoever follows the comma speaks.
        span = (fronted.end(), span[1])
    raw = body[span[0]:span[1]]
    owned = _OWNED.match(body, span[1]) if raw.endswith(("'s", "’s")) else None
    if owned:
        # "Senator Lund's doctor is calling …": the doctor speaks, not Lund.
        raw += owned.group(0)
    elif LETS_NO_SPEAKER and raw.lower() in ("let's", "let’s"):
        return None  # "Let’s see the tone of the campaign …": an invitation, no one named
    elif raw.endswith(("'s", "’s")) and raw[:-2].lower() not in _CONTRACTED:
        # "Despite Mr. Lund's claims that …": the owner of the claims is who speaks.
        raw = raw[:-2]
    if raw.split(None, 1)[0].lower() in _NOT_SUBJECT_START:
        return None  # "With Donald Trump", "Amid what …": a fronted phrase, not the subject
    if in_disputed_note(body, span[0]):
        return None
    named = any(w[0].isupper() and w.lower() not in FUNCTION_WORDS and w.lower() not in NP_OPENERS
                for w in raw.split())
    if not source_ok(raw) or not (named or SOURCE_NOUNS.search(raw) or raw.lower() in ("he", "she", "they")):
        return None
    if _BARE_DOCUMENT.fullmatch(raw):
        # "The data confirmed a rise ...": a thing no one is named behind does not speak.
        return None
    name, comma, role = raw.partition(", ")
    if comma and CAP_RUN.fullmatch(name) and is_person_like(name) and is_appositive(role.rstrip(", ")):
        # "Mira Holt, chair of the growers' union": the name speaks, not its role.
        raw = name
    # The span as tagged decides whether it speaks; the name is cut where its subject ends
    # ("Kaine now", "Quina Jones, 25").
    return speaker_chain(trim_subject(raw) or raw)


# "WALLACE: Let’s start …" (a transcript), "Pence: Flowers won’t be at the debate" (a
# headline): a line that opens with a speaker's name and a colon gives that speaker's words.
_SPEAKER_LABEL = re.compile(r"[\"“]?(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2}):[ \t]+(?=[\"“‘'A-Z])")
# Labels that open a line without naming anyone.
_NOT_SPEAKERS = frozenset({"update", "updated", "byline", "exclusive", "watch", "video", "photo", "photos", "email",
                           "look", "boom", "busted", "note", "correction", "clarification", "related", "read",
                           "source", "sources", "breaking", "editor", "advertisement", "listen", "opinion"})


def _speaker_labels(text: str, paragraphs: list[list[Span]], names: dict[str, str]) -> dict[int, tuple[int, str]]:
    """The paragraphs (by index) that open with a speaker's label: where the words after the
    label start, and the name. A label names a speaker when the article names that person in
    full (the label is the surname or the full name) or when it opens two lines or more (a
    transcript: "WALLACE: …", "PENCE: …")."""
    found: dict[int, tuple[int, str]] = {}
    for k, para in enumerate(paragraphs):
        # Read from the line's start: page furniture may have set the label aside already
        # (a dateline's shape, "HALE:").
        line_start = text.rfind("\n", 0, para[0].start) + 1
        m = _SPEAKER_LABEL.match(text, line_start)
        if m is None or m.end() >= para[0].end or m.end() < para[0].start - 1:
            continue
        name = m.group("name")
        if name.isupper():
            name = " ".join(w.capitalize() for w in name.split())
        if name.lower() in _NOT_SPEAKERS or name.split()[0].lower() in FUNCTION_WORDS:
            continue
        found[k] = (max(m.end(), para[0].start), name)
    counts: dict[str, int] = {}
    for _, name in found.values():
        counts[name] = counts.get(name, 0) + 1
    return {k: (start, names.get(name.split()[-1], name)) for k, (start, name) in found.items()
            if counts[name] > 1 or name.split()[-1] in names or name in names.values()}


def _analyse_paragraph(text: str, para: list[Span], carried: list[str] | None,
                       units: list[_Unit], names: dict[str, str]) -> list[str] | None:
    """Append the paragraph's claim units; return the attribution a closing colon carries on."""
    used: set[int] = set()
    first_unit = len(units)
    _quote_blocks(text, para, units, used, carried)
    state = _Paragraph(text, units, carried, names)
    headline = is_headline(para)
    for i, s in enumerate(para):
        if i in used:
            state.pending.clear()
            continue
        _read_sentence(state, s, headline)
    _continue_quotations(text, para, units[first_unit:])
    for unit in units[first_unit:]:
        if unit.learned and not unit.chain:
            unit.chain = unit.learned
            unit.learned = []
    # A colon that closes the paragraph hands its speaker to the next paragraph only.
    return state.carry if para[-1].text.rstrip().endswith(":") else None


def _quotation_spans(line: str) -> Iterator[tuple[int, int]]:
    """The quotations of ``line``, and one left open at its end (a quotation that runs on
    into the next paragraph)."""
    end = 0
    for start, end in quotations(line):
        yield start, end
    tail = _OPENING.search(line, end)
    if tail is not None and len(line) - tail.start() > 20:
        yield tail.start(), len(line)


def _continue_quotations(text: str, para: list[Span], units: list[_Unit]) -> None:
    """Sentences inside one quotation have one speaker: "X said, “A. B. C.”" gives B and C
    to X as well, and so does a tag in the middle ("“A,” X said. “B.”" is one quotation
    broken by its tag)."""
    if len(units) < 2:
        return
    p_start = para[0].start
    line = text[p_start:para[-1].end]
    if not _OPENING.search(line):
        return
    spans: list[tuple[int, int]] = []
    for a, b in _quotation_spans(line):
        gap = line[spans[-1][1] - p_start:a] if spans else ""
        if spans and len(gap) <= 60 and not _SENTENCE_END.search(gap):
            # "“A,” X said, “B. C.”": one quotation broken by its tag.
            spans[-1] = (spans[-1][0], p_start + b)
        else:
            spans.append((p_start + a, p_start + b))
    for q_start, q_end in spans:
        inside = [u for u in units if not u.mention and u.end > q_start and u.start < q_end]
        # The learned reader's speaker counts too, and stays the learned reader's.
        spoken = [u for u in inside if u.chain or u.learned]
        if not spoken:
            continue
        chain = spoken[0].chain or spoken[0].learned
        if any((u.chain or u.learned) != chain for u in spoken):
            continue  # two speakers in one quotation: leave it as read
        for u in inside:
            if not u.chain and not u.learned:
                if spoken[0].chain:
                    u.chain = list(chain)
                else:
                    u.learned = list(chain)
                u.quote = u.first_person = True


def _units(text: str, sentences: list[Span], names: dict[str, str]) -> list[_Unit]:
    units: list[_Unit] = []
    carried: list[str] | None = None
    paragraphs = _paragraphs(text, sentences)
    labels = _speaker_labels(text, paragraphs, names)
    for k, para in enumerate(paragraphs):
        before = len(units)
        if k in labels:
            start, name = labels[k]
            para = [Span(start, para[0].end, text[start:para[0].end]), *para[1:]]
            carried = [name]
        carried = _analyse_paragraph(text, para, carried, units, names)
        if (before < len(units) and is_headline(para) and units[-1].start <= para[0].start + 1
                and not units[-1].chain):
            units[-1].headline = True
    units.sort(key=lambda u: u.start)
    return units


def _suggestion(text: str, work: str, unit: _Unit, chain: list[str], threshold: float) -> Suggestion | None:
    """The suggestion for ``unit``, quoted and scored from ``text``; a byline is told from
    ``work`` (the text as read, capitals re-cased)."""
    read = work[unit.start:unit.end]
    if _BYLINE.fullmatch(read) or _CREDITS.match(read):
        return None
    quote = text[unit.start:unit.end]
    # No-break and narrow spaces (some outlets' copy: "the Washington\xa0Free Beacon") shown as spaces.
    chain = [" ".join(c.split()) for c in chain]
    claimant = chain[-1] if chain else None
    floor = score_floor(quote, claimant)
    if max(floor, score_ceiling(quote, headline=unit.headline, attributed=bool(unit.chain))) < threshold:
        return None
    kind = claim_kind(quote, is_quote=unit.quote, attributed=bool(unit.chain))
    score = max(floor, score_claim(quote, kind, attributed=bool(unit.chain), headline=unit.headline))
    if score < threshold:
        return None
    via = list(reversed(chain[:-1]))
    return Suggestion(quote=quote, start=unit.start, end=unit.end, claimant=claimant,
                      via=via, kind=kind, score=round(score, 3))


# Measured in the fourteenth round and left off: a quotation broken by its tag over two sentences
# ("“A,” X said. “B.”") suggested as one claim, which is how PolNeAR labels it; our labelled
# stories hold the two parts as two claims (docs/extraction.md, "Fourteenth round").
JOIN_BROKEN_QUOTES = False
_BROKEN_BY_TAG = re.compile(r"[,.!?]?[”\"]\s+[^“”\"\n.!?]{3,150}[.!?]\s+[“\"]\s*")


def _joined_quotations(text: str, suggestions: list[Suggestion]) -> list[Suggestion]:
    out: list[Suggestion] = []
    for s in suggestions:
        last = out[-1] if out else None
        if (last is not None and last.claimant and s.claimant == last.claimant
                and _BROKEN_BY_TAG.fullmatch(text, last.end, s.start)):
            last.end, last.quote = s.end, text[last.start:s.end]
            last.score = max(last.score, s.score)
            continue
        out.append(s)
    return out


def suggest_claims(text: str, *, furniture: list[FurnitureLine] | None = None,
                   threshold: float = THRESHOLD) -> list[Suggestion]:
    """Check-worthy claims of ``text``; offsets refer to ``text`` exactly as given."""
    if furniture is None:
        furniture = find_furniture(text)
    # Lines in capitals are read re-cased; offsets are the same in both.
    work = read_mixed_marks(read_wrong_openings(read_double_apostrophes(recase(text))))
    sentences = _outside(furniture, split_sentences(work), work)
    names = attr.collect_names(" ".join(s.text for s in sentences))
    speakers = Speakers(names, collect_titles(work))
    suggestions: list[Suggestion] = []
    for unit in _units(work, sentences, names):
        chain = speakers.resolve(unit.chain, work, unit.start, unit.end)
        speakers.note(chain)
        if unit.mention or unit.merged or unit.end <= unit.start:
            continue
        found = _suggestion(text, work, unit, chain, threshold)
        if found is not None:
            # "The Norvian president" resolved to the name: the description is the role.
            found.role = speakers.role
            suggestions.append(found)
    return _joined_quotations(text, suggestions) if JOIN_BROKEN_QUOTES else suggestions
