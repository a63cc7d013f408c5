"""Relays: through whom a claim reached the page.

"A Reuters source", "X told Interfax", "Vesti quoted Berg as saying", "..., citing SANA"
all put a second source between the speaker and the reader. A chain lists the
sources from the outermost relay to the innermost speaker.
"""

from __future__ import annotations

import re

from .lexicon import DETERMINER, NOT_OUTLETS, TITLE_WORDS, is_pronoun
from .names import clean_source, is_outlet, is_person_like, outlet_in_description, source_ok

Segment = tuple[str, list[str]]  # ("according" | "citing" | "citing-doc" | "speaker" | "verb-only", sources)

# "citing figures from the ministry", "according to a copy of the report": a paper cited as
# evidence. After a person's tag it is that person's evidence, not a relay: the person speaks.
CITED_DOCUMENT = re.compile(
    r"(?:(?:an?|the|his|her|their|its|official|new|latest|internal|leaked)\s+)?(?:[\w'’-]+\s+){0,2}?"
    r"(?:copy|copies|letter|letters|report|reports|document|documents|figures|data|statistics|records?|study|"
    r"survey|e-?mails?|memo|filing|minutes)\b", re.I)

# "told Reuters", "told state media", "in an interview with TASS", "speaking to CNN".
_MEDIA = r"(?:state|local|national|foreign|regional|official|independent|western|russian|chinese)\s+(?:media|press|television|tv|radio)"
# "a local radio station", "a regional newspaper": an outlet described, not named.
_MEDIA_DESCRIBED = (r"an?\s+(?:[a-z][\w-]*\s+){0,2}?(?:radio\s+station|(?:television|tv)\s+(?:station|channel)|"
                    r"newspaper|news\s+(?:site|website|portal|outlet)|broadcaster)")
# "state broadcaster KTV", "the daily Vesti": what kind of outlet, before its name.
_OUTLET_KIND = (r"(?:(?:the|a)\s+)?(?:[a-z][\w-]*\s+){0,2}?(?:broadcaster|channel|daily|newspaper|(?:news\s+)?agency|"
                r"radio|station|outlet|website|portal|magazine|weekly|network|television|tv)\s+")
_TOLD = re.compile(
    r"\b(?P<verb>told|(?:[Ii]n\s+(?:an?\s+)?(?:\w+\s+)?interview\s+(?:with|to)|[Ss]peaking\s+to|[Ii]n\s+comments\s+to|"
    # "In a statement to Petra", "in remarks to Kyodo": said to the outlet, as "told".
    r"[Ii]n\s+(?:an?\s+)?(?:\w+\s+)?(?:statement|remarks|comments)\s+to))\s+"
    rf"(?P<kind>{_OUTLET_KIND})?"
    rf"(?P<obj>(?:the\s+)?[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*){{0,3}}|{_MEDIA}|{_MEDIA_DESCRIBED})")
# "Vesti quoted Berg as saying (that) ...", "Berg was quoted by Vesti as saying ...".
QUOTED_AS_SAYING = re.compile(
    # "deputy transport minister Rui Costa was quoted by Lusa": a role in lower case may open it.
    r"(?:(?P<speaker2>(?:[a-z][\w-]*\s+){0,3}[A-Z][^,]{1,60}?)\s+(?:was|were|has\s+been|had\s+been)\s+(?:quoted|cited)"
    r"(?:\s+by\s+(?P<outlet2>[^,]{2,50}?))?|"
    rf"(?P<outlet>(?:the\s+)?[A-Z][^,]{{1,50}}?|{_MEDIA}\b[^,]{{0,30}}?)\s+quoted\s+(?!by\b)(?P<speaker>[^,]{{2,60}}?))"
    # "Berg was quoted as saying by the Harlow Post" puts the outlet last.
    r"\s+as\s+saying(?:\s+by\s+(?P<outlet3>(?:the\s+)?[A-Z][^,]{1,50}?)(?=\s*$|\s*[,.]))?(?:\s+that)?\b\s*,?\s*"
)


# "... cited by TASS": the outlet that relays what comes before.
CITED_BY = re.compile(r"\s+(?:cited|quoted|carried|reported|relayed)\s+by\s+")


def told_relay(rest: str) -> str | None:
    """The relay in "told Reuters"; "told Mr. Obama" or "told reporters" is an audience."""
    told = _TOLD.search(rest) if rest else None
    if not told:
        return None
    obj = told.group("obj")
    if re.fullmatch(_MEDIA, obj) or re.fullmatch(_MEDIA_DESCRIBED, obj):
        return obj
    if told.group("kind") and obj[:1].isupper():
        return re.sub(r"^the\s+", "", obj)
    if re.sub(r"^the\s+", "", obj.lower()) in NOT_OUTLETS or obj.split()[0].lower() in TITLE_WORDS:
        return None
    if told.group("verb") != "told" and not told.group("verb").endswith(("statement to", "remarks to")) and not (is_outlet(obj) or re.fullmatch(r"[A-Z]{2,6}", obj)
                                            or re.fullmatch(_MEDIA, obj)):
        # An interview with a person is not a relay; one with an outlet is.
        return None
    return re.sub(r"^the\s+", "", obj)


# "analysts at Prima Capital", "Observers from the regional security body SEMO": people
# described by where they are from speak, not the body they are from.
_PEOPLE_FROM = re.compile(
    r"(?:[A-Za-z][\w-]*\s+)?(?i:analysts|observers|economists|experts|strategists|researchers|monitors|"
    r"inspectors|traders|investigators)\s+(?:at|from|with)\s+\S.*")


# "Deputy akim of Tarazhan Yerlan Zhakupov", "First deputy mayor of Lund Ida Berg": an office
# in lower case for a place, then the name, its last two words.
_LOWER_OFFICE_OF = re.compile(r"(?P<title>[A-Z][\w-]*)\s+(?:[a-z][\w-]*\s+){1,2}(?:of|for)\s+(?:the\s+)?"
                              r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*?\s+(?P<name>[A-Z][\w'’-]+\s+[A-Z][\w'’-]+)")


def _people_from(src: str) -> str:
    """"Analysts at X" opens a sentence, so it is read "analysts at X"; "Election observers
    from X" keeps its capital, as every description that opens with a word of its own."""
    return src[0].lower() + src[1:] if _PEOPLE_FROM.match(src.split(None, 1)[0] + " at x") else src


def speaker_chain(src_raw: str, rest: str = "") -> list[str] | None:
    """The chain for a speaker phrase and what follows its verb: "a Reuters source" is
    relayed by Reuters, "X told Interfax" by Interfax."""
    office = _LOWER_OFFICE_OF.fullmatch(src_raw.strip())
    if office and office.group("title").lower() in TITLE_WORDS:
        src_raw = office.group("name")
    people = _PEOPLE_FROM.fullmatch(src_raw.strip())
    src = _people_from(src_raw.strip()) if people else clean_source(src_raw)
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
    outlet = clean_source(match.group("outlet") or match.group("outlet2") or match.group("outlet3") or "")
    return ([outlet] if outlet else []) + [speaker]


def _a_person(name: str) -> bool:
    """"she", "Siri Dahl"; not "Vesti", which may be an outlet that relays what it cites."""
    return is_pronoun(name) or (is_person_like(name) and " " in name and not is_outlet(name))


def join_segments(segments: list[Segment]) -> list[str]:
    """"citing X" goes one level deeper than what came before; "according to X" one out,
    and so does an outlet reporting after a speaker ("..., X said, the daily Y reported")."""
    chain: list[str] = []
    for kind_name, sources in segments:
        if kind_name == "citing-doc" and chain and _a_person(chain[-1]):
            continue  # "…, she said, citing figures from the ministry": she says it
        if kind_name == "outlet" and chain:
            chain = [relay_name(s) for s in sources] + chain
        elif kind_name == "according":
            chain = sources + chain
        else:
            chain = chain + sources
    return chain


_CORRESPONDENT = re.compile(r"\b(?:correspondent|reporter|journalist|staff)s?\b", re.I)


# "a Trend correspondent", "an Interfax reporter": the capitalised words name the outlet,
# known to the lexicon or not.
_OUTLETS_REPORTER = re.compile(r"(?:(?:a|an|the)\s+)?(?P<outlet>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,2})\s+"
                               r"(?:correspondent|reporter|journalist)s?", re.I)


# "Interfax news agency", "Deutschlandfunk radio": the kind of outlet after its name.
_KIND_AFTER = re.compile(r"(?P<name>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})\s+(?:(?:state\s+)?news\s+agency|"
                         r"agency|radio|television|tv|newspaper|daily|channel|website|broadcaster|portal)")


def relay_name(name: str) -> str:
    """"Kazinform correspondent" relays as Kazinform, "Interfax news agency" as Interfax."""
    kind_after = _KIND_AFTER.fullmatch(name)
    if kind_after:
        return kind_after.group("name")
    return reporters_outlet(name) or name


def reporters_outlet(name: str) -> str | None:
    """The outlet whose reporter ``name`` is ("a Trend correspondent": Trend), else None."""
    if not _CORRESPONDENT.search(name):
        return None
    outlet = outlet_in_description(name)
    if outlet is None:
        m = _OUTLETS_REPORTER.fullmatch(name)
        outlet = m.group("outlet") if m and m.group("outlet")[0].isupper() else None
    return outlet


# A participle used as an adjective after a determiner: "the retired surgeon", "an embattled
# mayor", "two unnamed officials". Its "-ed" made the phrase look like a clause.
_PARTICIPLE_AFTER_DETERMINER = re.compile(
    r"(?P<det>(?:[Tt]he|[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ss]everal|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+)"
    r"(?:[a-z]+-)?[a-z]{3,}ed\s+(?=[a-z][\w-]*\s*$|[a-z][\w-]*\s+[a-z][\w-]*\s*$)")


def without_participle(raw: str) -> str:
    """``raw`` without a participle adjective after its determiner, for the checks of what a
    speaker phrase may look like; the speaker keeps it."""
    return _PARTICIPLE_AFTER_DETERMINER.sub(r"\g<det>", raw, count=1) if "ed " in raw else raw


def described_source_ok(raw: str) -> bool:
    """``source_ok``, a participle adjective after the determiner allowed."""
    return source_ok(raw) or (without_participle(raw) != raw and source_ok(without_participle(raw)))
