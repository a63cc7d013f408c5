"""Tags after the claim: "..., Peskov added, according to Interfax."

The end of a sentence is read backwards, one comma-separated segment at a time, while
the segments read as a tag: a speaker with a verb ("the ministry said on Tuesday"), a
bare verb after a name and its role ("..., Anna Berg, a spokeswoman, said"), a relay
("citing SANA", "according to a statement from the ministry").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import (
    AUX,
    DETERMINER,
    INTRO,
    PRONOUN,
    SPEECH_VERBS,
    SRC,
    VERB,
    VERB_LIKE,
    is_pronoun,
    read_title_case_speech,
)
from .names import clean_source, is_appositive, is_outlet, is_person_like, names_a_source, source_ok
from .relays import (
    CITED_BY,
    CITED_DOCUMENT,
    QUOTED_AS_SAYING,
    Segment,
    described_source_ok,
    join_segments,
    reporters_outlet,
    speaker_chain,
)
from .types import Attribution

# A comma may sit inside the closing quotation mark ("... “fair and orderly,” the
# observers said"): the mark then stays with the claim.
_SEP = re.compile(r"\s*(?:,(?P<mark>[\"”’](?=\s))?|—|–|\s-\s)\s*")
_TAG_ACCORDING = re.compile(r"(?:(?:all\s+)?according\s+to|as\s+(?:reported|quoted|cited)\s+by|reported\s+by|"
                            r"quoted\s+by|cited\s+by|per|"
                            # "…, it was reported on Monday by the region's governor, X."
                            r"it\s+(?:was|has\s+been|had\s+been)\s+(?:reported|announced|stated|said)"
                            r"(?:\s+(?:on|in|at|late|early|earlier|last|this)\b[^,]{0,30}?)?\s+by)\s+(?P<src>.+)",
                            re.I)
_TAG_CITING = re.compile(r"(?:(?:which|who|that|and)\s+)?(?:citing|quoting|cited|quoted|relying\s+on)\s+(?P<src>.+)", re.I)
# Case-sensitive: "the United States" is not a tag ending in the verb "states".
_TAG_SRC_VERB = re.compile(rf"{SRC}\s+{AUX}{VERB}(?P<rest>(?:\s+.*)?)", re.S)
_BY_AGENT = re.compile(r"\s+by\s")
_SAID_WHEN = re.compile(r"\s+(?:at\s+the\s+time|when\s.*)$", re.S)
_TAG_VERB_SRC = re.compile(rf"{AUX}(?P<verb>said|says|added|adds|claimed|claims|stated|reported|reports|wrote|"
                           rf"tweeted|argued|insisted|warned|noted|explained|declared|announced|according\s+to)\s+"
                           rf"(?P<src>.+)", re.I)
# A bare verb closing the tag ("..., John Smith, a spokesman, said on Tuesday"): only
# short modifiers may follow, never a clause of its own.
_VERB_ONLY = re.compile(
    rf"{AUX}(?:{SPEECH_VERBS})(?:\s+(?:(?<=told\s)(?:(?:a|an|the)\s+)?[\w'’.&-]+|"
    rf"on|in|at|during|after|before|while|late|early|earlier|later|last|"
    rf"this|yesterday|today|tonight|to|via|through|by|from|when|as|reporters|journalists|Monday|Tuesday|"
    rf"Wednesday|Thursday|Friday|Saturday|Sunday)\b(?:\s+[\w'’.-]+){{0,8}})?",
)
# What follows "X said" when a clause of its own does ("the ministry said it had ..."):
# then the segment is the claim, not a tag after it.
_CLAUSE_REST = re.compile(
    # "…, the prime minister promised 50 million euros in aid": a figure is an object too.
    r"\s+(?:\d[\d,.]*|that|it|he|she|they|we|I|there|the|a|an|his|her|its|their|our|"
    r"this(?!\s+(?:week|month|year|morning|afternoon|evening|weekend)))\b"
)
# Verbs whose object is what was said ("called on both sides to ..."): with an object
# they make a claim of their own, not a tag after one.
_OBJECT_VERBS = frozenset({"called on", "called for", "calls on", "calls for", "urged", "urges", "pointed to",
                           "points to", "demanded", "demands", "appealed to"})
_AGE = re.compile(r"\d{1,3}")
# A clause said of the speaker between name and verb: "X, who declined to be named, said".
_SPEAKER_ASIDE = re.compile(r"(?:who|whose)\s+\S|[a-z]{3,}ing\b")
_SPEAKING = ("speaker", "outlet")
# Segments whose source a name set after them may stand for.
_NAMED_BY_ROLE = ("speaker", "according")
_NAME = re.compile(r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}")
# What the writer adds after a tag: "..., the union said, in a move that could ...".
_AFTERWORD = re.compile(r"(?:in\s+(?:a|an)\s+(?:move|sign|bid|attempt|apparent|effort|step|reference|response)|"
                        r"(?:a|one|two|three|several)\s+(?:day|days|week|weeks|hour|hours)\s+(?:after|before)|"
                        r"amid|ahead\s+of|following|after|before|while|when|"
                        r"as\s+(?:the|a|an|it|he|she|they|its|his|her|their|[A-Z]))\b")
# At most this many segments from the end of the sentence make up a tag.
_MAX_SEGMENTS = 4


# A segment that matched a pattern but names no source: not a tag, and no other
# reading is tried.
_REJECT: Segment = ("reject", [])


def _according_segment(seg: str) -> Segment | None:
    """"according to X": one level out from what came before."""
    m = _TAG_ACCORDING.fullmatch(seg)
    if not (m and names_a_source(m.group("src"))):
        return None
    # "according to a statement from the ministry cited by TASS": TASS relays the ministry.
    raw, relay = ([*CITED_BY.split(m.group("src"), 1), ""])[:2]
    src = clean_source(raw)
    outer = clean_source(relay) if relay else None
    if not src:
        return _REJECT
    return ("according", [outer, src] if outer else [src])


def _citing_segment(seg: str) -> Segment | None:
    """"citing X", "quoting a customs official": one level in."""
    m = _TAG_CITING.fullmatch(seg)
    if not (m and (names_a_source(m.group("src"))
                   or (re.match(r"(?:\w+\s+)?quot", seg, re.I) and DETERMINER.match(m.group("src"))))):
        return None
    src = clean_source(m.group("src"))
    if not src:
        return _REJECT
    return ("citing-doc" if CITED_DOCUMENT.match(m.group("src")) else "citing", [src])


# "... quoted Aliyev as saying on its website": a short setting may follow.
_AFTER_SAYING = re.compile(r"(?:on|in|at|during|after|before|late|earlier|last|this)\b[^,]{0,40}")


def _quoted_segment(seg: str) -> Segment | None:
    """"Vesti quoted Berg as saying": the outlet relays the speaker."""
    m = QUOTED_AS_SAYING.match(seg + " ")
    if not m or not (m.end() == len(seg) + 1 or _AFTER_SAYING.fullmatch(seg[m.end():])):
        return None
    raw_outlet = m.group("outlet") or m.group("outlet2") or m.group("outlet3")
    raw_speaker = m.group("speaker") or m.group("speaker2")
    if not raw_outlet:
        return None
    # "Vesti quoted Berg as saying" or "Berg was quoted by Vesti as saying".
    outlet, speaker = clean_source(raw_outlet), clean_source(raw_speaker)
    if outlet and speaker and source_ok(raw_speaker):
        return ("speaker", [outlet, speaker])
    return None


# A verb in the past that no "-ed" shows, or a figure: what follows "said" is then a clause
# ("The head of the agency, Lina Masri, said the network lost 38 percent"), not a speaker.
_CLAUSE_IN_SOURCE = re.compile(
    r"\b(?:lost|rose|fell|grew|made|took|gave|won|saw|got|went|came|paid|sold|cut|hit|kept|left|met|ran|"
    r"spent|brought|bought|built|found|held|led|meant|sent|stood|began|became|knew|told|thought|shut|"
    r"sank|shrank|drew|wrote|broke|chose|flew|froze|rang|spoke|stole|struck|swore|threw|wore)\b"
    r"|\d[\d,.]*\s*(?:%|percent\b|per\s+cent\b)")


# "retired army general Lloyd Newton": a participle describing the person named after it, not a verb.
_DESCRIBED_NAME = re.compile(r"[a-z]{3,}ed\s+(?P<rest>(?:[A-Za-z][\w-]*\s+){1,4}?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2})")


def _described(src: str) -> str:
    """``src`` without a participle before a role and a full name ("retired general X")."""
    m = _DESCRIBED_NAME.fullmatch(src.strip())
    if m is None or not is_person_like(" ".join(m.group("rest").split()[-2:])):
        return src
    return m.group("rest")


# "…, say economists at the central bank", "…, say some Democrats, who …": the plural verb
# before its speakers (docs/extraction.md, "Fourteenth round"); off gives the thirteenth
# round's reading.
INVERTED_SAY = False
# A title, a name and a verb: "Sen. Bernie Sanders remains committed to …, his top aide said" is
# the claim, not the role of the speaker after it (the title made it read as one); same
# section, off gives the thirteenth round's reading.
TITLED_CLAUSE = False
_TITLED_CLAUSE = re.compile(r"(?:[A-Z][\w'’-]*\.?\s+){1,3}[A-Z][\w'’-]*\s+(?:\([^()]{1,30}\)\s+)?(?:(?:also|still|now|not)\s+)?"
                            r"(?!(?:of|for|from|at|in|on|and|the|to|with|who|whose)\b)[a-z]+(?:s|ed)\s+\S")
# "say" also gives an example ("for, say a billion dollars"): a figure is no speaker.
_TAG_SAY_SRC = re.compile(r"say\s+(?P<src>(?![^,]*(?:\d|\b(?:hundred|thousand|million|billion|trillion|dozen|"
                          r"dollars?|euros?|pounds?|percent|per\s?cent)\b)).+)", re.S)


def _verb_source_segment(seg: str) -> Segment | None:
    """"said Anna Berg", "added the ministry", "say economists"."""
    m = _TAG_VERB_SRC.fullmatch(seg) or (_TAG_SAY_SRC.fullmatch(seg) if INVERTED_SAY else None)
    # "said Rep. Ann Lowe at the time", "said Dan Berg when asked about it": the setting goes.
    src = _described(_SAID_WHEN.sub("", m.group("src"))) if m else ""
    if not (m and source_ok(src) and not VERB_LIKE.search(src) and not _CLAUSE_IN_SOURCE.search(src)):
        return None
    chain = speaker_chain(src)
    return _speaker_segment(src, chain) if chain else _REJECT


def _speaker_segment(raw: str, chain: list[str]) -> Segment:
    """"the daily Al-Sabah reported", "(a) Kazinform correspondent reports": an outlet
    that relays whatever speaker the sentence named before it."""
    if len(chain) == 2 and reporters_outlet(chain[1]) == chain[0]:
        # "a Kazinform correspondent" is Kazinform's reporter, relayed by Kazinform.
        return ("outlet", [chain[1]])
    if len(chain) == 1 and reporters_outlet(chain[0]):
        return ("outlet", chain)
    return ("outlet" if len(chain) == 1 and is_outlet(raw) else "speaker", chain)


# "has promised to halve inflation": a stance with its object is the claim, not a tag.
_STANCE_TO = re.compile(r"(?:\w+\s+)?(?:promised|pledged|vowed|agreed|threatened|refused|declined|offered|"
                        r"proposed|hoped|wanted|planned|sought|tried)\s+to\s+[a-z]+")


def _verb_only_segment(seg: str) -> Segment | None:
    """A bare "said on Tuesday" whose speaker stands in the segment before."""
    if _STANCE_TO.match(seg) and len(seg.split()) > 4:
        return None
    if _VERB_ONLY.fullmatch(seg) and not VERB_LIKE.search(seg.split(None, 1)[-1] if " " in seg else ""):
        return ("verb-only", [])
    return None


# "..., a charge Ostrava denied": the writer's note of who disputes it, not a tag.
_DISPUTED = re.compile(r"(?:a|an)\s+(?:charge|claim|accusation|allegation|assertion|version)\s", re.I)


def in_disputed_note(body: str, at: int) -> bool:
    """Whether position ``at`` lies in a closing "..., a charge X denied" note, where no reader may
    find the sentence's speaker."""
    comma = body.rfind(",", 0, at)
    return comma >= 0 and _DISPUTED.match(body[comma + 1:at].lstrip()) is not None


def _source_verb_segment(seg: str) -> Segment | None:
    """"the ministry said on Tuesday", "Berg told Reuters"."""
    if _DISPUTED.match(seg):
        return _REJECT
    m = _TAG_SRC_VERB.fullmatch(seg)
    if m and _BY_AGENT.match(m.group("rest")):
        # "…, a fact later confirmed by the department": a participle with its agent, no tag.
        return None
    src = _described(m.group("src")) if m else ""
    if not (m and described_source_ok(src) and len(m.group("rest").split()) <= 10
            and not (m.group("verb") not in ("told", "tells") and _CLAUSE_REST.match(m.group("rest")))
            and not (m.group("verb") in _OBJECT_VERBS and m.group("rest").strip())):
        return None
    chain = speaker_chain(src, " " + m.group("verb") + m.group("rest"))
    return _speaker_segment(src, chain) if chain else _REJECT


_SEGMENT_READERS = (_according_segment, _citing_segment, _quoted_segment, _verb_source_segment,
                    _verb_only_segment, _source_verb_segment)


def parse_segment(segment: str) -> Segment | None:
    """Classify one comma-separated tag segment: ("according"|"citing"|"speaker"|"verb-only", sources)."""
    seg = segment.strip()
    if not seg or len(seg.split()) > 16:
        return None
    for reader in _SEGMENT_READERS:
        found = reader(seg)
        if found is not None:
            return None if found is _REJECT else found
    return None


@dataclass(slots=True)
class _Walk:
    """Reading a sentence's segments from the end while they make up a tag."""

    body: str
    bounds: list[tuple[int, int]]
    parsed: list[Segment] = field(default_factory=list)
    verb_text: str = ""  # the verb-only segment, for "told Reuters" once its speaker is found
    # A description before a bare verb ("..., the union's leader, said") speaks itself
    # unless a name stands before it ("..., Marco Ferrant, the union's leader, said").
    described: tuple[int, str] | None = None
    best: tuple[int, list[Segment]] | None = None
    name_after: str | None = None  # a bare name closing the tag after a description
    first_text: str = ""  # the segment nearest the claim read so far

    def waits_for_speaker(self) -> bool:
        return bool(self.parsed) and self.parsed[0][0] == "verb-only"

    def found(self, sep_start: int, chain: list[str]) -> None:
        self.parsed[0] = ("speaker", chain)
        self.best = (sep_start, list(self.parsed))

    def step(self, k: int, seg: str) -> bool:
        """Take the segment before bounds[k]; False when the tag starts after it."""
        sep_start = self.bounds[k][0]
        kind = parse_segment(seg)
        if kind is not None and self.name_after and kind[0] in _NAMED_BY_ROLE and not is_person_like(kind[1][-1]):
            # "..., said the head of the mission, Anna Berg", "..., according to a report by
            # the auditor general, Anna Berg": the name speaks.
            kind = (kind[0], [*kind[1][:-1], self.name_after])
        self.name_after = None
        if kind is not None:
            if kind[0] == "verb-only":
                self.verb_text = seg
            self.parsed.insert(0, kind)
            self.first_text = seg
            if any(p[0] != "verb-only" for p in self.parsed):
                self.best = (sep_start, list(self.parsed))
            return True
        if not self.parsed:
            return k > 0 and (self._name_after_role(k, seg) or self._closing_phrase(k, seg))
        if is_appositive(seg) and not self._pronoun_speaks() and not (TITLED_CLAUSE and _TITLED_CLAUSE.match(seg)):
            # "..., the lowest since 1991, it added": a pronoun has no role beside it.
            if self._body_speaks():
                # "… Promtorg Bank, the country's ninth-largest lender, the regulator said": a
                # body names no role of its own in front of it; the apposition is the claim's.
                return False
            self._role(sep_start, seg)
            return True
        if not self.waits_for_speaker():
            return False
        if (_SPEAKER_ASIDE.match(seg) or _AGE.fullmatch(seg)) and k > 0:
            # "a port official, who declined to be named, said": the aside is the speaker's.
            return True
        if described_source_ok(seg) and len(seg.split()) <= 6:
            chain = speaker_chain(seg, " " + self.verb_text)
            if chain:
                self.found(sep_start, chain)
            return chain is not None
        return False

    def _pronoun_speaks(self) -> bool:
        return bool(self.parsed) and self.parsed[0][0] == "speaker" and bool(self.parsed[0][1]) \
            and is_pronoun(self.parsed[0][1][-1])

    def _body_speaks(self) -> bool:
        """"the regulator said": a described body before its verb."""
        return bool(self.parsed) and self.parsed[0][0] in _SPEAKING and bool(self.parsed[0][1]) \
            and not is_person_like(self.parsed[0][1][-1]) and bool(DETERMINER.match(self.parsed[0][1][-1] + " ")) \
            and _TAG_SRC_VERB.fullmatch(self.first_text) is not None

    def _name_after_role(self, k: int, seg: str) -> bool:
        """"..., said the head of the mission, Anna Berg": keep the name for the speaker."""
        if not (_NAME.fullmatch(seg) and is_person_like(seg)):
            return False
        left = parse_segment(self.body[self.bounds[k - 1][1]:self.bounds[k][0]])
        if left and left[0] in _NAMED_BY_ROLE and left[1] and not is_person_like(left[1][-1]):
            self.name_after = seg
            return True
        return False

    def _closing_phrase(self, k: int, seg: str) -> bool:
        """"..., said John Smith, a spokesman" / "..., Smith said, declining to be named" /
        "..., said Smith, who took over in 2022": the closing phrase belongs to the tag
        when a speaker stands right before it."""
        if not (is_appositive(seg) or re.match(r"[a-z]{3,}ing\b", seg) or re.match(r"(?:who|whose)\s", seg)
                or _AFTERWORD.match(seg)):
            return False
        left = parse_segment(self.body[self.bounds[k - 1][1]:self.bounds[k][0]])
        # "..., according to Berg, who spoke to Harlow Wire": the aside is Berg's too.
        return bool(left and (left[0] in _SPEAKING or (left[0] == "according" and not _AFTERWORD.match(seg))))

    def _role(self, sep_start: int, seg: str) -> None:
        """"John Smith, a spokesman for the ministry, said": skip the role, keep going."""
        if self.best and any(p[0] in _SPEAKING for p in self.parsed):
            self.best = (sep_start, self.best[1])
            return
        if not self.waits_for_speaker():
            return
        name = clean_source(seg) if source_ok(seg) and len(seg.split()) <= 6 else None
        if name and name != seg and is_person_like(name):
            # "House Speaker Paul Ryan, the convention chair, said": a titled name.
            self.found(sep_start, speaker_chain(seg, " " + self.verb_text) or [name])
        elif self.described is None:
            self.described = (sep_start, seg)

    def finish(self) -> tuple[int, list[Segment]] | None:
        if self.waits_for_speaker() and self.described is not None:
            chain = speaker_chain(self.described[1], " " + self.verb_text)
            if chain:
                self.found(self.described[0], chain)
        return self.best


# "One of the drivers, trucker Emil Sorensen, said the queue stretched for nine kilometres": a
# name (a role in lower case before it) right before "said" is its subject, not the claim.
_ROLE_NAME = re.compile(r"(?:[a-z][\w-]*\s+){0,2}[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}")


def _named_subject_before(body: str, content_end: int) -> bool:
    if not _TAG_VERB_SRC.fullmatch(body[content_end:].lstrip(" ,")):
        return False
    before = body[:content_end].rstrip(" ,")
    last = before[before.rfind(",") + 1:].strip() if "," in before else ""
    if not (last and _ROLE_NAME.fullmatch(last)):
        return False
    return is_person_like(" ".join(w for w in last.split() if w[0].isupper()))


def _persons_evidence(body: str, content_end: int, segments: list[Segment]) -> bool:
    """"X told UPI that …, according to a copy of the report seen by the union", "X told local
    media that …, citing a letter he had received": a paper cited after a person's leading tag
    is that person's evidence; the leading tag is the attribution."""
    if len(segments) != 1 or segments[0][0] not in ("citing-doc", "according"):
        return False
    tail = body[content_end:].lstrip(" ,")
    cited = re.sub(r"^(?:according\s+to|citing|quoting)\s+", "", tail, flags=re.I)
    if cited == tail or not CITED_DOCUMENT.match(cited) or re.match(r"(?:a|the)\s+statement\b", cited, re.I):
        return False
    from .leading import parse_leading  # the leading reader imports this module

    lead = parse_leading(body[:content_end])
    return lead is not None and not lead.according and is_person_like(lead.chain[-1])


def parse_trailing(sentence: str) -> Attribution | None:
    """Parse a tag after the claim: "..., Peskov added, according to Interfax."."""
    body = read_title_case_speech(sentence).rstrip().rstrip(".!?…")
    bounds = [(m.start() + (2 if m.group("mark") else 0), m.end()) for m in _SEP.finditer(body) if m.start() > 0]
    walk = _Walk(body, bounds)
    seg_end = len(body)
    for k in range(len(bounds) - 1, max(-1, len(bounds) - 1 - _MAX_SEGMENTS), -1):
        if not walk.step(k, body[bounds[k][1]:seg_end].strip()):
            break
        seg_end = bounds[k][0]
    best = walk.finish()
    if not best:
        return None
    content_end, segments = best
    if _persons_evidence(body, content_end, segments) or _named_subject_before(body, content_end):
        return None
    chain = join_segments(segments)
    if not chain or INTRO.fullmatch(body[:content_end].strip() + " "):
        # Nothing but "Earlier," before the tag: the sentence leads with its subject.
        return None
    outlet_of_reporter = reporters_outlet(chain[0]) if len(chain) == 1 else None
    if outlet_of_reporter:
        # "..., a Kazinform correspondent reports" alone: the reporter, relayed by the agency.
        chain = [outlet_of_reporter, chain[0]]
        return Attribution(chain=chain, content_end=content_end, pronoun=False, outlet=False)
    outlet = len(chain) == 1 and any(kind == "outlet" for kind, _ in segments)
    return Attribution(chain=chain, content_end=content_end, pronoun=is_pronoun(chain[-1]), outlet=outlet)


__all__ = ["PRONOUN", "parse_segment", "parse_trailing"]
