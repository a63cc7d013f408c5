"""Tags before the claim: "X said on Tuesday that ...", "According to X, ...".

Also the forms wire copy puts in front: a fronted phrase before the tag ("Asked about
the deal, X said"), "X reported, citing Y, that", "Y was quoted by X as saying", a
subject with an aside ("X, who asked not to be named, said"), a tag set inside the
claim ("Exports, X said, rose"), and a sentence ending with a colon that introduces
what its subject said next.
"""

from __future__ import annotations

import re

from .lexicon import (
    AUX,
    CAP_RUN,
    CLAUSE_ONLY,
    DATE_WORDS,
    DET,
    DETERMINER,
    FUNCTION_WORDS,
    INTRO,
    NP_OPENERS,
    PRONOUN,
    SOURCE_NOUNS,
    SRC,
    TITLE_NOUNS,
    TITLE_WORDS,
    VERB,
    VERB_LIKE,
    is_pronoun,
    read_title_case_speech,
)
from .names import (
    clean_source,
    ends_in_name,
    is_appositive,
    is_person_like,
    names_a_source,
    source_ok,
    strip_titles,
)
from .relays import (
    CITED_BY,
    QUOTED_AS_SAYING,
    described_source_ok,
    quoted_as_saying_chain,
    speaker_chain,
    told_relay,
    without_participle,
)
from .trailing import parse_segment
from .types import Attribution

# "According to X, quoted by Y, ...": Y relays X.
_LEAD_ACCORDING = re.compile(r"(?:according\s+to|as\s+reported\s+by)\s+(?P<src>[^,]{2,120}),\s+"
                             r"(?:(?:as\s+)?(?:quoted|cited|carried|reported)\s+by\s+(?P<relay>[^,]{2,60}),\s+)?", re.I)
# A role set after the name in a leading "According to X, a role, …".
_ROLE_AFTER = re.compile(r"(?P<role>(?:an?|the)\s+[^,]{2,80}),\s+")
_LEAD_SRC_VERB = re.compile(rf"{SRC}\s+{AUX}{VERB}\b(?P<that>(?:\s+[^,.;:]{{0,40}}?\s+that\b|\s+that\b)?)", re.S)
_NOUN_LIKE_VERBS = frozenset({"states", "reports", "claims", "notes", "posts", "says", "estimates", "forecasts",
                              "projects"})
_VERB_AFTER = re.compile(r"\s+(?:[a-z]+ed|are|were|have|had|will|would|can|could|may|might|must|should)\b")
_NUMBER_WORD = re.compile(
    r"^(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|dozens?|hundreds|thousands|several|many|some|both|all|other)(?:-\w+)?$",
    re.I,
)
# A comma between digits ("2,400 boat owners") does not end an aside.
_ASIDE = r"(?:[^,]|(?<=\d),(?=\d)){2,120}"
# Asides of the writer's that say nothing of the speaker: "X, for its part, warned",
# "X, Jane Doe, when contacted, said".
_DISCOURSE = (r"(?:for\s+(?:its|his|her|their)\s+part|when\s+(?:contacted|asked|reached)(?:\s+by\s+[^,]{2,40})?|"
              r"however|meanwhile|in\s+turn|though|too|also|in\s+response|for\s+(?:its|his|her|their)\s+side)")
_LEAD_COMMA_SUBJECT = re.compile(
    rf"(?P<src>[^,]{{2,60}}),\s+(?P<inner>{_ASIDE})(?:,\s+{_DISCOURSE})?,\s+{AUX}{VERB}\b"
    r"(?P<that>(?:\s+[^,.;:]{0,40}?\s+that\b|\s+that\b)?)",
    re.S,
)
# "The museum, Mr. Obama said, would ..." - a tag set inside the claim between commas.
_MID_TAG = re.compile(
    rf"[^,]{{3,80}},\s+(?P<src>{PRONOUN}|(?:{DET}\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,4}}|"
    rf"(?:{DET}\s+)[a-z]+(?:\s+[a-z]+)?)\s+(?:also\s+)?(?:said|says|added|argued|noted|wrote|insisted|"
    rf"claimed|believes|warned|explained)(?:\s+(?:then|later|earlier|again|today|yesterday))?\s*,\s+\S",
)
_MID_ACCORDING = re.compile(r"[^,]{3,80},\s+according\s+to\s+(?P<src>[^,]{2,80}),\s+\S")
_FRAMING = re.compile(
    r"(?:(?P<cited>(?:[Cc]iting|[Qq]uoting)\s[^,]{2,60})|"
    r"(?:[Ii]n|[Oo]n|[Aa]t|[Dd]uring|[Aa]fter|[Bb]efore|[Ll]ater|[Ee]arlier|[Ww]hen|[Ww]hile|[Aa]s|[Ss]ince|"
    r"[Tt]hough|[Aa]lthough|[Dd]espite|[Ww]ith|[Ww]ithout|[Bb]y|[Ff]rom|[Ff]or|[Uu]ntil|[Oo]nce|[Ii]f|"
    r"[Ss]hortly|[Bb]ack|[Tt]o|[A-Z][a-z]{2,}ing|[A-Z][a-z]{2,}ed)\b[^,]{1,150}),\s+(?=\S)"
)
# "Vesti reported, citing the bureau, that ...".
_LEAD_CITING = re.compile(
    rf"{SRC}\s+{AUX}{VERB},\s+(?P<cited>(?:citing|quoting)\s[^,]{{2,60}}),\s+(?:that\s+)?", re.S)
_COLON_VERB = re.compile(
    r"(?:\s*,[^,]{1,60},)?\s*,?\s+(?:(?:[a-z]+ly|later|earlier|also|then|again|once|first)\s+)?"
    r"(?:[a-z]+(?:ed|s)|gave|spoke|told|wrote|made|took|had|went|came|put|set|said|sent|laid)\b"
)
# Fronted phrases are peeled off one at a time; more than this is not a tag.
_MAX_FRAMES = 3


def _intro_end(sentence: str) -> int:
    intro = INTRO.match(sentence)
    return intro.end() if intro else 0


def _framed(sentence: str, framing: re.Match[str], depth: int) -> Attribution | None:
    """"In a statement Friday, Trump said ...", "Asked about the deal, Berg said ...",
    "Citing the bureau, Vesti reported that ...": a fronted phrase before the tag."""
    # Read on from the end of the phrase, in place: a lower-case subject is fine there
    # ("After predicting a win, the leader claimed ...").
    inner = _parse_leading(sentence, depth + 1, framing.end())
    if inner is None:
        return None
    if framing.group("cited"):
        cited = parse_segment(framing.group("cited"))
        if cited and cited[0] in ("citing", "citing-doc") and not inner.according \
                and not (cited[0] == "citing-doc" and is_person_like(inner.chain[-1])):
            inner.chain = inner.chain + cited[1]
    elif len(inner.chain) == 1 and not inner.according:
        # "In an interview with state broadcaster KTV, the minister said ...": KTV relays.
        relay = told_relay(sentence[:framing.end()].rstrip(", "))
        if relay and relay != inner.chain[0]:
            inner.chain = [relay, *inner.chain]
    inner.framed = True
    return inner


def _quoted_as_saying(sentence: str, start: int) -> Attribution | None:
    """"Vesti quoted Berg as saying ...", "Berg was quoted by Vesti as saying ..."."""
    m = QUOTED_AS_SAYING.match(sentence, start)
    if not m or not source_ok(m.group("speaker") or m.group("speaker2")):
        return None
    chain = quoted_as_saying_chain(m)
    return Attribution(chain=chain, leading=True, end=m.end()) if chain else None


def _reported_citing(sentence: str, start: int) -> Attribution | None:
    """"Vesti reported, citing the bureau, that ..."."""
    m = _LEAD_CITING.match(sentence, start)
    if not (m and source_ok(m.group("src"))):
        return None
    chain = speaker_chain(m.group("src"))
    cited = parse_segment(m.group("cited"))
    if chain and cited and cited[0] in ("citing", "citing-doc"):
        return Attribution(chain=chain + cited[1], leading=True, end=m.end())
    return None


# "As Berg put it, ...", "In the words of Berg, ...", "In her words, ...": a separable
# clause, like "According to Berg, ...".
_LEAD_IN_WORDS = re.compile(
    r"(?:(?i:in\s+the\s+(?:own\s+)?words\s+of)\s+(?P<src>[^,]{2,80})"
    r"|(?i:in\s+(?P<pron>his|her|their|its)\s+(?:own\s+)?words)"
    r"|(?i:as)\s+(?P<src2>[^,]{2,60}?)(?:,\s+(?P<named>[^,]{2,40}),)?\s+(?:(?:put|puts|has\s+put|had\s+put)\s+it"
    # "As one analyst pointed out in a column, …", "As many experts have noted, …".
    r"|(?:has\s+|have\s+|had\s+)?(?:pointed\s+out|noted|observed|argued|explained|warned|wrote|acknowledged|conceded|"
    r"stressed|emphasi[sz]ed|insisted|predicted|suggested))(?:\s+(?:in|on|at|to|with|during|after|last|this)\s[^,]{1,70})?"
    r"),\s+")
_POSSESSIVE_PRONOUN = {"his": "he", "her": "she", "their": "they", "its": "it"}


def _in_words(sentence: str, start: int) -> Attribution | None:
    """"As Berg put it, ...", "In her words, ..."."""
    m = _LEAD_IN_WORDS.match(sentence, start)
    if not m:
        return None
    if m.group("pron"):
        return Attribution(chain=[_POSSESSIVE_PRONOUN[m.group("pron").lower()]], leading=True, end=m.end(),
                           according=True, pronoun=True)
    # "As the mayor, Oskar Brede, put it": the name speaks.
    named = m.group("named")
    src = clean_source(named if named and CAP_RUN.fullmatch(named) else m.group("src") or m.group("src2"))
    if not src:
        return None
    return Attribution(chain=[src], leading=True, end=m.end(), according=True)


def _according(sentence: str, start: int) -> Attribution | None:
    """"According to X, ..."."""
    m = _LEAD_ACCORDING.match(sentence, start)
    if not m:
        return None
    # "According to a statement from the ministry cited by TASS, ...": TASS relays.
    raw, relay = [*CITED_BY.split(m.group("src"), 1), m.group("relay") or ""][:2]
    src = clean_source(raw)
    if not src:
        return None
    outer = clean_source(relay) if relay else None
    end = m.end()
    role = _ROLE_AFTER.match(sentence, end)
    # "Almaty-based" is an adjective, not a verb.
    if role and not relay and is_person_like(src) and is_appositive(re.sub(r"\S+-\S+\s*", "", role.group("role"))):
        # "According to Aigerim Sadykova, an analyst at the Center, trade …": the role
        # belongs to the tag.
        end = role.end()
    return Attribution(chain=[outer, src] if outer else [src], leading=True, end=end, according=True)


def _mid_tag(sentence: str, start: int) -> Attribution | None:
    """"Exports, Berg said, rose ...", "The firm receives, according to one report, $2 million"."""
    inside = _MID_ACCORDING.match(sentence, start)
    if inside and names_a_source(inside.group("src")):
        src = clean_source(inside.group("src"))
        return Attribution(chain=[src], leading=True, mid=True) if src else None
    group = _MID_GROUP.match(sentence, start) if " sa" in sentence else None
    if group and source_ok(group.group("src")):
        # The group speaks whoever it is said to be close to ("advisers to Mr. Lund").
        return Attribution(chain=[" ".join(group.group("src").split())], leading=True, mid=True)
    m = _MID_TAG.match(sentence, start)
    if not (m and source_ok(m.group("src"))):
        return None
    chain = speaker_chain(m.group("src"))
    return Attribution(chain=chain, leading=True, mid=True) if chain else None


def _comma_subject(sentence: str, start: int) -> Attribution | None:
    """"A senior official, who asked not to be named, said ..."."""
    m = _LEAD_COMMA_SUBJECT.match(sentence, start)
    if not m or (m.group("verb").lower() in CLAUSE_ONLY and not m.group("that")
                 and not _TIME_THEN_CLAUSE.match(sentence, m.end("verb"))
                 and not _QUOTATION_NEXT.match(sentence, m.end("verb"))
                 and not (m.group("verb").lower() in _STANCE_VERBS
                          and (_speaks(m.group("src")) or _role_before_name(m.group("inner").strip())))):
        return None
    told = _LEAD_SRC_VERB.match(m.group("src"))
    if told and told.group("that"):
        return None  # "X told Reuters that the manager, Y, had said": a relay, read by _subject_verb
    chain = comma_subject_chain(m.group("src"), m.group("inner"), sentence[m.end("verb"):][:60], m.group("verb"))
    return Attribution(chain=chain, leading=True, end=m.end()) if chain else None


# "X, a pilot who worked the quay, recalled, “…”": a quotation is what the verb gives.
_QUOTATION_NEXT = re.compile(r"\s*[,:]?\s*[“\"‘]")
# "The board reported Friday the plant had ...": a time, then a clause without "that".
_TIME_THEN_CLAUSE = re.compile(
    r"\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|earlier|"
    r"last\s+(?:week|month|year|night)|this\s+(?:week|month|year))\s+"
    r"(?:the|a|an|its|their|his|her|it|he|she|they|there|[A-Z][\w'’-]*\s+(?:had|has|have|was|were|is|are|will|would))\b"
)
# Verbs whose object is a stance a speaker takes ("confirmed readiness to", "denied any
# role in"): said of a person or a body, they attribute without "that".
_STANCE_VERBS = frozenset({"confirmed", "denied", "announced", "acknowledged", "admitted", "reaffirmed", "promised",
                           "pledged", "vowed", "reiterated", "repeated"})


# "A Quinnipiac poll found 74 percent …", "The survey shows both candidates …": a study
# reports its findings without "that".
_EVIDENCE_VERBS = frozenset({"shows", "showed", "found", "finds", "suggests", "suggested", "indicates", "indicated",
                             "revealed", "reveals"})
_EVIDENCE_NOUN = re.compile(r"(?:poll|polls|survey|study|analysis|report|census|audit|review|research)", re.I)


def _evidence(verb: str, raw: str) -> bool:
    words = raw.split()
    return verb in _EVIDENCE_VERBS and bool(words) and bool(_EVIDENCE_NOUN.fullmatch(words[-1]))


def _speaks(raw: str) -> bool:
    """A person or a body that can take a stance, not a document or a figure."""
    return is_person_like(raw) or bool(_BODY_NOUNS.search(raw))


_BODY_NOUNS = re.compile(
    r"\b(?:government|ministry|minister|president|company|council|board|agency|authority|authorities|office|"
    r"party|union|court|police|army|bank|committee|commission|spokes(?:man|woman|person)|officials?|leaders?|"
    r"administration|campaign|embassy|kremlin|parliament)\b", re.I)


def _names_things(sentence: str, m: re.Match[str]) -> bool:
    """"The economy added 200,000 jobs", "Twenty-seven states led by ...": a thing does
    something, no one speaks."""
    verb, raw, has_that = m.group("verb").lower(), m.group("src"), bool(m.group("that"))
    if verb in CLAUSE_ONLY and not has_that and not _TIME_THEN_CLAUSE.match(sentence, m.end("verb")) \
            and not (verb in _STANCE_VERBS and _speaks(raw)) and not _evidence(verb, raw):
        return True
    if (verb in ("added", "adds") and not has_that and not is_person_like(raw)
            and not re.match(r"\s*[:,]", sentence[m.end("verb"):])):
        return True
    if _possessive(raw) and not has_that:
        # "the agency's reports of …", "Lund's continued absence": a possessive owns a noun
        # (or its adjective); it is no subject of a verb.
        return True
    return verb in _NOUN_LIKE_VERBS and not has_that and (
        bool(_NUMBER_WORD.search(raw.split()[-1])) or bool(_VERB_AFTER.match(sentence, m.end("verb"))))


# Words before "'s" that make a contraction ("he's said", "it's reported"), not a possessive.
_CONTRACTED = frozenset({"he", "she", "it", "that", "who", "there", "what", "here", "let"})
# A fronted preposition before a possessive subject ("Despite Lund's claims that …").
_FRONTED_WORD = re.compile(r"(?:Despite|Amid|After|Before|With|Without|Given|Following|Under|Against)\s+")


def _possessive(raw: str) -> bool:
    words = raw[:-2].split() if raw.endswith(("'s", "’s")) else []
    return bool(words) and words[-1].lower() not in _CONTRACTED


def _subject_ok(raw: str, start: int) -> bool:
    """Lower case only after an opener ("In a statement, the ministry said ...")."""
    if not described_source_ok(raw):
        return False
    if not raw[0].islower() or is_pronoun(raw) or ends_in_name(raw):
        return True
    return bool(start) and (bool(DETERMINER.match(raw)) or raw.split()[0] in NP_OPENERS
                            or bool(_BARE_GROUP.fullmatch(raw)) or _people_group(raw)
                            or bool(_CLOSE_SOURCES.fullmatch(raw))) \
        and len(raw.split()) <= 6 and not VERB_LIKE.search(without_participle(raw))


# A group named by a plural with no determiner ("But critics say …", "Still, tax experts
# say …"): who speaks is the group.
_BARE_GROUP = re.compile(r"(?:[a-z][\w-]+\s+)?(?:experts|critics|analysts|officials|economists|observers|scientists|"
                         r"researchers|lawmakers|activists|advocates|opponents|supporters|historians|strategists|"
                         r"pollsters|doctors|lawyers|prosecutors|investigators|diplomats|residents)")



# Unnamed insiders, perhaps said whose they are ("But sources close to her campaign say …",
# "Rather, people familiar with the talks said …").
_CLOSE_SOURCES = re.compile(r"(?:[a-z][\w-]+\s+)?(?:sources|aides|advisers|advisors|allies|insiders|people)"
                            r"(?:\s+(?:close\s+to|familiar\s+with|in|inside|within|at|around)\s+"
                            r"(?:[\w'’.-]+\s+){0,3}[\w'’.-]+)?")


# Any group named by what its people do, after an opener ("But engineers warned …", "…, and
# human rights groups said …").
_PEOPLE_GROUP = re.compile(r"(?:[a-z][\w-]+\s+){0,2}(?:[a-z]{3,}(?:ers|ors|ists|ians|ents|ants)|groups|people|"
                           r"residents|families|villagers|fishermen|workers|parents|voters)")


def _people_group(raw: str) -> bool:
    return bool(_PEOPLE_GROUP.fullmatch(raw)) and raw.split()[-1] not in _NOT_A_GROUP


_IMPERSONAL = re.compile(r"\s+(?:(?:also|later|earlier|now|widely)\s+)?(?:was|is|has\s+been|had\s+been|were|will\s+be)\s")


def _subject_verb(sentence: str, start: int) -> Attribution | None:
    """"X said (on Tuesday) (that) ..."."""
    m = _LEAD_SRC_VERB.match(sentence, start)
    if not m or _names_things(sentence, m):
        return None
    raw = m.group("src")
    if _possessive(raw):
        # "Despite Mr. Lund's claims that …", "Lund's repeated insistence that …": the owner
        # of what is claimed speaks.
        raw = _FRONTED_WORD.sub("", raw[:-2], count=1)
        if not _subject_ok(raw, start) or not (ends_in_name(raw) or CAP_RUN.fullmatch(raw)):
            return None
    elif not _subject_ok(raw, start):
        return None
    if raw.lower() == "it" and _IMPERSONAL.match(sentence, m.end("src")):
        # "It was reported that ...", "it is understood that": no one in particular.
        return None
    sent = _SENT_SAYING.fullmatch(raw) if m.group("verb").lower() == "saying" else None
    if sent is not None:
        # "Rubio's campaign sent out a press release saying …": who sent it speaks.
        raw = sent.group("who")
        if not _subject_ok(raw, start):
            return None
    chain = speaker_chain(raw, " " + m.group("verb").lower() + sentence[m.end("verb"):][:60])
    if not chain:
        return None
    found = Attribution(chain=chain, leading=True, pronoun=is_pronoun(raw), end=m.end())
    return _relayed(sentence, found) if m.group("that") else found


# A subject that sent a document, read before "saying": "X sent out a press release".
_SENT_SAYING = re.compile(
    r"(?P<who>.+?)\s+(?:(?:also|later|then|quickly)\s+)?(?:sent(?:\s+out)?|put\s+out|issued|released|published|"
    r"posted|circulated|distributed|e-?mailed)\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:statement|release|letter|memo|tweet|e-?mail|note|message|notice|post)")


# "KHT 7 is reporting that …", "Critics have been arguing that …": a verb of speech in its
# progressive form, with "that".
_PROGRESSIVE = re.compile(rf"{SRC}\s+(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\s+"
                          r"(?P<verb>reporting|claiming|arguing|warning|insisting|predicting|suggesting|urging|"
                          r"demanding|confirming|stressing|saying|promising|acknowledging|admitting|denying|noting|"
                          r"explaining|alleging|asserting|maintaining|announcing|emphasi[sz]ing|cautioning|"
                          r"pointing\s+out|telling\s+(?:[\w'’.-]+\s+){1,3}?)(?P<that>\s*that\b)")


def _progressive(sentence: str, start: int) -> Attribution | None:
    m = _PROGRESSIVE.match(sentence, start)
    if not m or not _subject_ok(m.group("src"), start):
        return None
    chain = speaker_chain(m.group("src"), " " + m.group("verb"))
    return Attribution(chain=chain, leading=True, end=m.end()) if chain else None


def _relayed(sentence: str, outer: Attribution) -> Attribution:
    """"X told Reuters that Y had said ...": Y speaks, relayed by X, then Reuters."""
    assert outer.end is not None
    rest = sentence[outer.end:].lstrip()
    offset = len(sentence) - len(rest)
    m = _LEAD_SRC_VERB.match(rest)
    if not m or m.group("verb").lower() not in _RELAYED_VERBS or _names_things(rest, m) \
            or not rest[:1].isupper() or not source_ok(m.group("src")) or is_pronoun(m.group("src")):
        # "X told Reuters that the plant's manager, Arne Falk, had said ...".
        m = _LEAD_COMMA_SUBJECT.match(rest)
        if not m or m.group("verb").lower() not in _RELAYED_VERBS:
            return outer
        inner_chain = comma_subject_chain(m.group("src"), m.group("inner"), "", m.group("verb"))
        if not inner_chain or is_pronoun(inner_chain[-1]):
            return outer
        return Attribution(chain=outer.chain + inner_chain, leading=True, end=offset + m.end())
    inner = speaker_chain(m.group("src"))
    if not inner:
        return outer
    return Attribution(chain=outer.chain + inner, leading=True, end=offset + m.end())


# Verbs of a speaker reported inside another's words ("X said that Y had said ...").
_RELAYED_VERBS = frozenset({"said", "says", "told", "claimed", "claims", "stated", "wrote", "warned", "insisted",
                            "argued", "added", "announced", "confirmed", "denied"})


_PASSIVE_BY = re.compile(
    r"(?:.{0,200}?\s)?(?:was|were|has\s+been|had\s+been|is|are)\s+(?:first\s+)?"
    r"(?:reported|announced|stated|confirmed|disclosed|revealed|said|claimed|denied)"
    r"(?:\s+(?:on\s+)?[A-Z][a-z]+day|\s+(?:earlier|later|today|yesterday|last\s+\w+))?"
    # "was announced in a post on X by ...", "was confirmed at a briefing by ..."
    r"(?:\s+(?:in|at|on|during|through|via)\s+(?:a|an|the|his|her|its|their)\s+[^,;:.]{1,40}?)?"
    r"\s+by\s+(?P<src>[^,;:.]{2,80}?)(?=\s+(?:that|as|in|on|at|after|when)\b|[,;:.]|$)"
    # "... by Lind's lawyer, Tomas Ek, who said": the name after the role speaks.
    r"(?:,\s+(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})(?=[,.;]|$))?"
)


def _passive(sentence: str, start: int) -> Attribution | None:
    """"The closure was reported on Monday by Governor Ines Varga", "It was reported by the
    Harlow Wire that ...": the agent is the source."""
    m = _PASSIVE_BY.match(sentence, start)
    if not m or not source_ok(m.group("src")):
        return None
    chain = speaker_chain(m.group("name") if m.group("name") and is_person_like(m.group("name")) else m.group("src"))
    return Attribution(chain=chain, leading=True) if chain else None


# "The committee welcomed the ruling but said ...": a first verb, then the speech verb.
# The first verb of "X welcomed the ruling but said …": a past tense, perhaps perfect ("has
# encouraged"), or a common irregular one ("made a strong condemnation … and pledged …").
_FIRST_VERB = r"(?:(?:has|have|had)\s+)?(?P<first>[a-z]{3,}ed|made|gave|took|held|met|spoke|sent|wrote)"
# The second verb, of speech or of a pledge, perhaps perfect ("but has said").
_SECOND_VERB = (r"(?:(?:has|have|had)\s+)?(?P<verb>said|says|added|warned|noted|stressed|insisted|argued|claimed|"
                r"stated|told\s+[\w'’.-]+|pledged\s+to|vowed\s+to|promised\s+to)\b")
_COORDINATED = re.compile(
    r"(?P<src>(?:[Tt]he\s+)?[A-Z][\w'’.&-]*(?:\s+(?:of|for|to|and|the|[A-Z][\w'’.&-]*)){0,7}"
    r"|[Tt]he\s+(?:[\w'’-]+\s+){0,2}[a-z][\w-]*)"
    r"(?:\s+on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))?"
    rf"\s+{_FIRST_VERB}\b[^,;:.\"“”]{{1,80}}?,?\s+(?:but|and)\s+(?:also\s+)?{_SECOND_VERB}"
)
# "X called the case “political revenge”", "X described the result as “a hollow victory”":
# a verdict in quotation marks.
_VERDICT_VERB = (r"(?P<verb>called|calls|described|describes|branded|brands|labell?ed|labels|dubbed|dubs|termed|"
                 r"terms)\s+(?:[^\s\"“‘]+\s+){0,6}?(?:as\s+)?(?:an?\s+)?[\"“‘]")
_VERDICT = re.compile(rf"{SRC}\s+{AUX}{_VERDICT_VERB}")
_VERDICT_ASIDE = re.compile(rf"(?P<src>[^,]{{2,60}}),\s+(?P<inner>(?:who|whose|which)\s[^,]{{2,120}}),\s+{AUX}{_VERDICT_VERB}")
# "Organisers put the figure at more than 10,000", "Police estimated the crowd at 35,000".
_FIGURE = re.compile(
    rf"{SRC}\s+{AUX}(?P<verb>put|puts|estimated|estimates|placed|places|pegged|pegs)\s+"
    r"(?:the|its|their|his|her)\s+(?:[\w'’-]+\s+){0,3}?at\s+(?:(?:about|around|roughly|some|nearly|almost|"
    r"more\s+than|over|under|less\s+than|at\s+least|up\s+to)\s+)?[\d$€£¥₽]")

_FIGURE_ASIDE = re.compile(rf"(?P<src>[^,]{{2,60}}),\s+(?P<inner>[^,]{{2,120}}),\s+{AUX}"
                           r"(?P<verb>put|puts|estimated|estimates|placed|places|pegged|pegs)\s+"
                           r"(?:the|its|their|his|her)\s+(?:[\w'’-]+\s+){0,3}?at\s+")
# "The minister of finance, Saad Al-Mutairi, was quoted by KUNA as saying ...".
_QUOTED_ASIDE = re.compile(r"(?P<src>[A-Z][^,]{1,60}),\s+(?P<inner>[^,]{2,120}),\s+(?:was|were|has\s+been|had\s+been)"
                           r"\s+quoted\s+by\s+(?P<outlet>[^,]{2,50}?)\s+as\s+saying(?:\s+that)?\b\s*,?\s*")


def _aside_readers(sentence: str, start: int) -> Attribution | None:
    """A subject with an aside before a figure or "was quoted by X as saying": "An official
    at the ministry, speaking on condition of anonymity, put the toll at 17"."""
    m = _QUOTED_ASIDE.match(sentence, start)
    if m:
        chain = comma_subject_chain(m.group("src"), m.group("inner"), "", "said")
        outlet = clean_source(m.group("outlet"))
        return Attribution(chain=[outlet, *chain], leading=True, end=m.end()) if chain and outlet else None
    m = _FIGURE_ASIDE.match(sentence, start)
    if m and _subject_ok(m.group("src"), start):
        chain = comma_subject_chain(m.group("src"), m.group("inner"), "", m.group("verb"))
        return Attribution(chain=chain, leading=True) if chain else None
    return None


# "The company's president, Takumi Arai, apologized ... and said ...".
_COORDINATED_ASIDE = re.compile(
    rf"(?P<src>[^,]{{2,60}}),\s+(?P<inner>[^,]{{2,60}}),\s+{_FIRST_VERB}\b[^,;:.\"“”]{{1,80}}?,?\s+(?:but|and)\s+"
    rf"(?:also\s+)?{_SECOND_VERB}"
)


def _coordinated(sentence: str, start: int) -> Attribution | None:
    aside = _COORDINATED_ASIDE.match(sentence, start)
    if aside and _subject_ok(aside.group("src"), start):
        chain = comma_subject_chain(aside.group("src"), aside.group("inner"), "", aside.group("verb"))
        if chain:
            return Attribution(chain=chain, leading=True, end=aside.end())
    m = _COORDINATED.match(sentence, start)
    if not m or not _subject_ok(m.group("src"), start) or not (_speaks(m.group("src"))
                                                               or SOURCE_NOUNS.search(m.group("src"))):
        return None
    chain = speaker_chain(m.group("src"), " " + m.group("verb"))
    return Attribution(chain=chain, leading=True, end=m.end()) if chain else None


def _verdict(sentence: str, start: int) -> Attribution | None:
    m = _VERDICT.match(sentence, start)
    if m and _subject_ok(m.group("src"), start):
        chain = speaker_chain(m.group("src"))
        return Attribution(chain=chain, leading=True, pronoun=is_pronoun(m.group("src"))) if chain else None
    m = _VERDICT_ASIDE.match(sentence, start)
    if not m:
        return None
    chain = comma_subject_chain(m.group("src"), m.group("inner"), "", m.group("verb"))
    return Attribution(chain=chain, leading=True) if chain else None


def _figure(sentence: str, start: int) -> Attribution | None:
    m = _FIGURE.match(sentence, start)
    if not m or not _subject_ok(m.group("src"), start) or not (_speaks(m.group("src"))
                                                               or SOURCE_NOUNS.search(m.group("src"))):
        return None
    chain = speaker_chain(m.group("src"))
    return Attribution(chain=chain, leading=True) if chain else None


# "The mayor mocked the complaint, saying anyone who …", "Berg is defending her posts,
# arguing that …": a participle of speech after the subject's own clause gives the
# subject's words.
_PARTICIPLE = re.compile(
    r"(?P<src>[Tt]he\s+(?:[\w'’-]+\s+){0,2}[a-z][\w-]*"
    # "Ulmeria's opposition leader Veronika Salis", "Party leader Ana Berg": a role, then the name.
    r"|(?:[A-Z][\w'’-]*\s+)?(?:[a-z][\w-]*\s+){1,2}[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}"
    # "Some local fishing communities": a share of a group of people.
    r"|(?:[Ss]ome|[Mm]any|[Ss]everal|[Mm]ost)\s+(?:[a-z][\w-]*\s+){0,3}[a-z]{3,}s"
    r"|(?:[Tt]he\s+)?[A-Z][\w'’.&-]*(?:\s+(?:of|for|the|[A-Z][\w'’.&-]*)){0,6})"
    r"(?:\s+\([^()]{1,30}\))?(?:,\s+(?:an?|the|his|her|its|their)\s+[^,]{2,80},)?"
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today))?"
    r"\s+(?!(?:this|thus|his|hers|its|ours|theirs|always|perhaps|whereas|unless|across|"
    r"towards|besides|as|us)\b)(?P<first>[a-z]{2,}(?:ed|s)|is|are|was|were|has|have|had|will|would|could|can|"
    r"did|does|also|then|later|again|still|once|now|just|[a-z]{2,}ly|took|made|went|came|gave|spoke|wrote|sent|"
    r"put|held|met|won|lost|ran|stood|got|kept|left|brought|struck|hit|shot|sought|fought|threw|drew)\b"
    r"[^;:.?!\"“”]{1,120}?,\s+"
    r"(?P<verb>(?:saying|arguing|insisting|claiming|noting|warning|stressing|explaining|declaring|asserting|"
    r"contending)\b(?:\s+that\b|\s*,)?|adding(?:\s+that\b|\s*,)|telling\s+(?:[\w'’.-]+\s+){1,4}?that\b|"
    # A verdict on someone: "…, comparing Carson to a bully", "…, calling the plan a fraud".
    r"(?:comparing|calling|accusing|blaming|describing|dismissing|reminding|urging|promising|vowing|"
    r"predicting|questioning|praising|criticizing|criticising|mocking|likening)\b)"
)


def _participle(sentence: str, start: int) -> Attribution | None:
    m = _PARTICIPLE.match(sentence, start)
    if not m or m.group("first") in FUNCTION_WORDS or m.group("first") in _NOT_FIRST_VERBS:
        return None
    raw = m.group("src")
    if not _subject_ok(raw, start) or not (_speaks(raw) or SOURCE_NOUNS.search(raw) or _titled(raw)
                                           or _PEOPLE.search(raw) or ends_in_name(_lower_opening(raw))):
        return None
    chain = speaker_chain(raw, " said")
    return Attribution(chain=chain, leading=True, end=m.end()) if chain else None


# Groups of people who take a stand: "some local fishing communities", "many farmers".
_PEOPLE = re.compile(r"\b(?:[a-z]+(?:ers|ors|ists|ians|ents|ants)|communities|groups|people|residents|families|"
                     r"villagers|fishermen|workers|parents|voters)$")


def _lower_opening(raw: str) -> str:
    """"Ulmeria's opposition leader X" read as "opposition leader X"."""
    first, _, rest = raw.partition(" ")
    return rest if first[:1].isupper() and rest[:1].islower() else raw


# Words after a subject that make it part of a longer subject or a clause, not its verb.
_NOT_FIRST_VERBS = frozenset({"who", "whose", "which", "or", "nor", "with", "from", "into", "about", "over",
                              "under", "between", "among", "than", "like", "during", "after", "before"})


def _titled(raw: str) -> bool:
    return any(w.lower().strip(".,") in TITLE_WORDS for w in raw.split())


# "Jana Kolar, 59, of Riverside, who watched the parade, said …", "Michael Brandt, president
# of the union, which represents dock workers, said …", "Kall -- co-editor of a book on the
# debates -- said …": a named person, then asides the one-aside reader cannot take.
_TITLED_NAME = rf"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof)\.\s+)?(?:{CAP_RUN.pattern})"
_LONG_ASIDES = re.compile(
    rf"(?P<src>{_TITLED_NAME}),\s+(?P<inner>(?:(?:[^,]|(?<=\d),(?=\d)){{1,120}},\s+){{2,4}}){AUX}{VERB}\b"
    r"(?P<that>(?:\s+[^,.;:]{0,40}?\s+that\b|\s+that\b)?)"
    rf"|(?P<src2>{_TITLED_NAME})\s+(?:--|—|―)\s+(?P<inner2>[^—―]{{2,200}}?)\s+(?:--|—|―)\s+{AUX}"
    r"(?P<verb2>said|says|told|tells|added|wrote|argued|explained|noted)\b"
    # One long "who" clause: "Dr. Ana Ruiz, who as a navy captain was … and later retired …, said".
    rf"|(?P<src3>{_TITLED_NAME}),\s+(?P<inner3>(?:who|whose)\s[^,]{{120,250}}),\s+{AUX}"
    r"(?P<verb3>said|says|told|tells|added|wrote|argued|explained|noted)\b",
    re.S,
)


def _long_asides(sentence: str, start: int) -> Attribution | None:
    m = _LONG_ASIDES.match(sentence, start)
    if not m:
        return None
    raw = m.group("src") or m.group("src2") or m.group("src3")
    verb = (m.group("verb") or m.group("verb2") or m.group("verb3")).lower()
    if not (is_person_like(raw) and len(raw.split()) >= 1) or raw.split()[0].lower() in FUNCTION_WORDS:
        return None
    if verb in CLAUSE_ONLY and not m.group("that"):
        return None
    inner = m.group("inner") or m.group("inner2") or m.group("inner3")
    if re.search(r"\b(?:said|says|told)\b", inner):
        return None  # "X, who said A, B, said": the aside holds a tag of its own
    chain = speaker_chain(raw, " " + verb)
    return Attribution(chain=chain, leading=True, end=m.end()) if chain else None


# "The chairman of the committee on finance, taxation and customs policy, Yuriy Dovbush, on
# Thursday called on …", "The company's chief executive, Ida Brandt, who took over in January
# after …, said …": a role too long (or with commas of its own) for the one-aside reader,
# then the name, then asides the name owns. The name speaks.
_NAMED_AFTER_ROLE = re.compile(rf",\s+(?P<name>{CAP_RUN.pattern}),\s+")
_ROLE_OPENER = re.compile(r"(?:the|its|his|her|their|[A-Z][\w'’-]*['’]s)\s", re.I)
_TIME_BEFORE_VERB = (r"(?:(?:on|late|early)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|"
                     r"yesterday|earlier|later)(?:\s+(?:morning|afternoon|evening|night))?\s+")
_NAME_THEN_VERB = re.compile(
    rf"(?P<asides>(?:(?:who|whose|[a-z]{{3,}}ing|\d{{1,3}}\b|an?\s|the\s)(?:[^,]|(?<=\d),(?=\d)){{0,160}},\s+){{0,3}})"
    rf"(?:{_TIME_BEFORE_VERB})?{AUX}{VERB}\b(?P<that>(?:\s+[^,.;:]{{0,40}}?\s+that\b|\s+that\b)?)")


def _role_then_name(sentence: str, start: int) -> Attribution | None:
    opener = _ROLE_OPENER.match(sentence, start)
    if not opener:
        return None
    for named in _NAMED_AFTER_ROLE.finditer(sentence, start, start + 220):
        role, name = sentence[start:named.start()], named.group("name")
        if not (is_person_like(name) and 2 <= len(name.split()) <= 4) or VERB_LIKE.search(role) \
                or not any(w.lower().strip(",") in TITLE_NOUNS for w in role.split()) or len(role.split()) > 30:
            continue
        m = _NAME_THEN_VERB.match(sentence, named.end())
        if not m or re.search(r"\b(?:said|says|told)\b", m.group("asides")):
            return None
        verb = m.group("verb").lower()
        if verb in CLAUSE_ONLY and not m.group("that") and verb not in _STANCE_VERBS \
                and not _TIME_THEN_CLAUSE.match(sentence, m.end("verb")):
            return None
        chain = speaker_chain(name, " " + verb + sentence[m.end("verb"):][:60])
        return Attribution(chain=chain, leading=True, end=m.end()) if chain else None
    return None


# "The broadcaster, TVU, has rejected the charge", "Kaltra disputes that account": a denial
# with the thing denied as its object is the denier's claim; so is "drew attention to".
_REJECTION = re.compile(
    rf"(?P<src>[^,]{{2,60}}?)(?:,\s+(?P<inner>{_ASIDE}),)?\s+{AUX}(?:(?P<verb>rejected|rejects|dismissed|dismisses|"
    r"disputed|disputes|denied|denies|refuted|refutes|contested|contests)\s+(?:the|these|those|such|all|any|that|this|"
    r"his|her|their|its)\s+(?:[\w'’-]+\s+){0,2}?(?:charges?|claims?|accusations?|allegations?|criticism|reports?|"
    r"account|version|assertions?|figures)\b"
    # "The ombudsman drew attention to reports of …": a pointer, like "pointed to".
    r"|(?:drew|draws|has\s+drawn|had\s+drawn)\s+(?:particular\s+)?attention\s+to\b)")


def _rejection(sentence: str, start: int) -> Attribution | None:
    m = _REJECTION.match(sentence, start)
    if not m or not _subject_ok(m.group("src"), start):
        return None
    named = [m.group("src").removeprefix("The ").removeprefix("the "), (m.group("inner") or "").strip()]
    if not (_speaks(m.group("src")) or any(CAP_RUN.fullmatch(n) for n in named)):
        return None
    if m.group("inner"):
        chain = comma_subject_chain(m.group("src"), m.group("inner"), "", m.group("verb") or "said")
    else:
        chain = speaker_chain(m.group("src"), " " + (m.group("verb") or "said"))
    return Attribution(chain=chain, leading=True, pronoun=is_pronoun(m.group("src")), end=m.end()) if chain else None


# "The engineer further related that …", "Marek hinted that …": a speaker, a verb in a tense the
# speech list does not hold, then "that" and a clause; the verb says how the claim was put.
_VERB_THAT = re.compile(
    rf"{SRC}\s+{AUX}(?P<verb>[a-z]{{3,}}(?:ed|es|s))\s+that\s+"
    r"(?=(?:the|a|an|he|she|it|they|we|I|there|his|her|its|their|this|these|those|[A-Z][\w'’-]+)\s)")
_NOT_SAYING = frozenset({"ensured", "ensures", "means", "meant", "is", "was", "has", "does", "seems", "seemed",
                         "appears", "appeared", "hopes", "hoped", "wishes", "wished", "assumed", "assumes",
                         "discovered", "learned", "heard", "hears", "knows", "realized", "realised", "noticed",
                         "forgot", "ordered", "orders", "required", "requires", "asked", "asks", "agreed", "agrees"})


def _verb_that(sentence: str, start: int) -> Attribution | None:
    m = _VERB_THAT.match(sentence, start)
    if not m or m.group("verb") in _NOT_SAYING or m.group("src").lower() in ("it", "this", "there") \
            or (m.group("verb") in _NOUN_LIKE_VERBS and m.group("src").endswith(("'s", "’s"))) \
            or not _subject_ok(m.group("src"), start) \
            or not _speaks(m.group("src")) or VERB_LIKE.search(m.group("src")):
        return None
    chain = speaker_chain(m.group("src"), " " + m.group("verb") + " that")
    return Attribution(chain=chain, leading=True, pronoun=is_pronoun(m.group("src")), end=m.end()) if chain else None


# "But experts note that …", "Critics argue that …": a group speaking in the plain present,
# which the speech verbs list holds only in the third person singular and the past; "that"
# and a clause must follow.
_PLURAL_THAT = re.compile(
    rf"{SRC}\s+{AUX}(?P<verb>note|argue|warn|insist|believe|contend|predict|suggest|acknowledge|admit|maintain|"
    r"fear|worry|agree|stress|concede|caution|complain|assert|allege|explain|point\s+out|acknowledge|estimate|"
    r"caution|charge|counter|recall|observe)\s+that\s+(?=[\w'’“\"])")


def _plural_that(sentence: str, start: int) -> Attribution | None:
    m = _PLURAL_THAT.match(sentence, start)
    if not m:
        return None
    raw = m.group("src")
    if raw.lower() in ("it", "this", "there", "he", "she") or not _subject_ok(raw, start) or VERB_LIKE.search(raw) \
            or not (_speaks(raw) or _BARE_GROUP.fullmatch(raw) or _people_group(raw) or raw.lower() in ("we", "they")):
        return None
    chain = speaker_chain(raw, " " + m.group("verb") + " that")
    return Attribution(chain=chain, leading=True, pronoun=is_pronoun(raw), end=m.end()) if chain else None


# "Marek went on to say …", "The minister was quick to deny …", "Sand took to Twitter to
# blast …": a verb of speech in its plain form after a verb that leads up to it.
_LEAD_UP = re.compile(
    rf"{SRC}\s+{AUX}(?:went\s+on|goes\s+on|go\s+on|proceeded|were\s+quick|was\s+quick|is\s+quick|"
    r"took\s+to\s+(?:[\w'’.-]+\s+){1,3}?|takes\s+to\s+(?:[\w'’.-]+\s+){1,3}?)\s*to\s+"
    r"(?P<verb>say|explain|argue|note|claim|insist|warn|add|suggest|predict|describe|call|accuse|praise|"
    r"critici[sz]e|blast|slam|tell|question|point\s+out|write|tweet|declare|deny|admit|acknowledge|"
    r"defend|dismiss|reject|condemn|stress|emphasi[sz]e|assure|promise|reassure)\b")


def _lead_up(sentence: str, start: int) -> Attribution | None:
    m = _LEAD_UP.match(sentence, start)
    if not m or m.group("src").lower() in ("it", "this", "there") or not _subject_ok(m.group("src"), start):
        return None
    chain = speaker_chain(m.group("src"), " said")
    return Attribution(chain=chain, leading=True, pronoun=is_pronoun(m.group("src"))) if chain else None


# "But some note that …", "Others argue the tax …", "Those close to him say that, …": an
# unnamed share of people holds a view. PolNeAR makes the share ("some") the Source, and a desk
# checks such a line as an unnamed source's claim, not the outlet's.
_SHARE_SUBJECT = re.compile(
    r"(?P<src>[Ss]ome|[Oo]thers|[Mm]any|[Ff]ew|[Mm]ost|[Aa]ll|[Tt]hose\s+close\s+to\s+(?:him|her|them|the\s+[a-z]+))"
    r"(?:\s+(?:also|still|now|even|privately|publicly|however))?\s+"
    r"(?P<verb>say|said|note|noted|argue|argued|believe|believed|contend|contended|warn|warned|insist|insisted|"
    r"suggest|suggested|claim|claimed|agree|agreed|fear|feared|worry|worried|think|thought|point\s+out|"
    r"pointed\s+out|predict|predicted|maintain|maintained|complain|complained|doubt|doubted|speculate|"
    r"speculated|wonder|wondered|suspect|suspected)"
    # A clause follows, not an infinitive or an object ("all agreed to share", "many fear change").
    r"(?P<that>\s+that\b|(?=\s+(?:the|a|an|he|she|it|they|there|this|these|his|her|its|their|[A-Z][\w'’-]*)\s))")


_OUGHT = re.compile(r"\b(?:should|ought|must|needs?\s+to)\b")


def _share_subject(sentence: str, start: int) -> Attribution | None:
    m = _SHARE_SUBJECT.match(sentence, start)
    if m is None or _OUGHT.search(sentence, m.end()):
        # "Some argue the bank should have moved sooner": what unnamed people think ought to
        # be done is opinion, not a claim to check; it stays the outlet's, as before.
        return None
    src = " ".join(m.group("src").split())
    return Attribution(chain=[src[0].lower() + src[1:]], leading=True, end=m.end())


# "X made it clear that …", "X left no doubt that …": a speaker's statement put as an idiom.
# A clause must follow: "made clear his aim to …" states no claim of the speaker's.
_MADE_CLEAR = re.compile(
    rf"{SRC}\s+{AUX}(?P<verb>(?:made|makes|make)\s+(?:it\s+)?(?:clear|plain)|(?:left|leaves|leave)\s+(?:no|little)\s+"
    r"doubt|(?:made|makes)\s+no\s+secret\s+of\s+the\s+fact"
    # "X made the point that …", "X made the case that …": with "that" only.
    r"|(?:made|makes)\s+the\s+(?:point|case|argument)(?=\s+that\b))"
    # "… made it clear on Monday that …": a time between the idiom and "that".
    r"(?P<that>(?:\s+(?:on\s+[A-Z]\w+|last\s+\w+|this\s+\w+|earlier|yesterday|again|repeatedly))?\s+that\b"
    r"|\s+(?=(?:he|she|it|they|there|we|the|this|these|those|[A-Z][\w'’-]*)\s+[a-z]))")


def _made_clear(sentence: str, start: int) -> Attribution | None:
    if " clear" not in sentence and " plain" not in sentence and " doubt" not in sentence \
            and " secret" not in sentence and " the point" not in sentence and " the case" not in sentence \
            and " the argument" not in sentence:
        return None  # cheap: most sentences have none of the idiom's words
    m = _MADE_CLEAR.match(sentence, start)
    if not m or not _subject_ok(m.group("src"), start):
        return None
    chain = speaker_chain(m.group("src"))
    return Attribution(chain=chain, leading=True, end=m.end()) if chain else None


_LEADING_READERS = (_in_words, _quoted_as_saying, _reported_citing, _according, _mid_tag, _long_asides,
                    _role_then_name, _rejection,
                    _comma_subject, _passive, _subject_verb, _coordinated, _verdict, _figure, _aside_readers,
                    _participle, _progressive, _made_clear, _verb_that, _plural_that, _lead_up, _share_subject)


def _parse_leading(sentence: str, depth: int, start: int = 0) -> Attribution | None:
    intro = INTRO.match(sentence, start)
    if intro:
        found = _parse_from(sentence, depth, intro.end())
        # "In a video posted on ...," is a fronted phrase, not the opener "In a video".
        return found if found is not None else _parse_from(sentence, depth, start)
    return _parse_from(sentence, depth, start)


def _parse_from(sentence: str, depth: int, start: int) -> Attribution | None:
    framing = _FRAMING.match(sentence, start) if depth < _MAX_FRAMES else None
    if framing:
        inner = _framed(sentence, framing, depth)
        if inner is not None:
            return inner
    for reader in _LEADING_READERS:
        found = reader(sentence, start)
        if found is not None:
            return found
    return None


_DISCOURSE_ASIDE = re.compile(rf",\s+{_DISCOURSE},(?=\s)")
# Discourse asides are looked for this far into the sentence (where a subject ends).
_ASIDE_REACH = 120


def _discourse_aside(sentence: str) -> re.Match[str] | None:
    aside = _DISCOURSE_ASIDE.search(sentence, 0, _ASIDE_REACH)
    if aside is None or _FRAMING.match(sentence[:aside.start()] + ", x") or INTRO.match(sentence):
        # "On Thursday, however, Trump spoke ...": the aside closes a fronted phrase.
        return None
    return aside


def blank_discourse(sentence: str) -> str:
    """"The chamber, for its part, warned that ..." read as if the aside were not there:
    blanked with spaces, so offsets stay those of the sentence."""
    aside = _discourse_aside(sentence)
    if aside is None:
        return sentence
    return sentence[:aside.start()] + " " * (aside.end() - aside.start()) + sentence[aside.end():]


# A bracket right after the name that opens a sentence: "(R-Utah)", "(who has 25 delegates)".
_NAME_PAREN = re.compile(rf"(?:{CAP_RUN.pattern})\s+(?P<paren>\([^()]{{1,80}}\))(?=[\s,])")
# "X, when contacted by Reuters, said": the outlet that asked relays, as in "X told Reuters".
_ASKED_BY = re.compile(r",\s+when\s+(?:contacted|asked|reached)\s+by\s+(?P<by>[^,]{2,40}),")


def parse_leading(sentence: str) -> Attribution | None:
    """Parse a tag before the claim: "X said on Tuesday that ...", "According to X, ..."."""
    sentence = read_title_case_speech(sentence)
    paren = _NAME_PAREN.match(sentence)
    if paren:
        # "Kasich (who has 25 delegates) said …": read as if the bracket were not there.
        sentence = sentence[:paren.start("paren")] + " " * len(paren.group("paren")) + sentence[paren.end("paren"):]
    aside = _discourse_aside(sentence)
    if aside is None:
        found = _parse_leading(sentence, 0)
        heading = _RUN_IN_HEADING.match(sentence) if found is None and ": " in sentence[:60] else None
        # "Road safety: Engineers say the bridge …": a run-in heading, then the tag.
        return _parse_leading(sentence, 1, heading.end()) if heading else found
    found = _parse_leading(sentence[:aside.start()] + " " * (aside.end() - aside.start()) + sentence[aside.end():], 0)
    asked = _ASKED_BY.match(aside.group())
    if found is not None and asked and len(found.chain) == 1 and not found.according:
        relay = told_relay("told " + asked.group("by"))
        if relay and relay != found.chain[0]:
            found.chain = [relay, *found.chain]
    return found


# A heading of a few words, no clause ("We have been here before:" is one), before a colon.
_RUN_IN_HEADING = re.compile(r"(?!(?:We|I|You|He|She|It|They|This|That|There|Here)\b)[A-Z][\w'’-]*"
                             r"(?:\s+(?!(?:is|are|was|were|be|been|has|have|had|will|would)\b)[a-z][\w'’-]*){0,4}"
                             r":\s+(?=[A-Z])")


# "a think tank based in Selmarsk": where a body sits is no verb of the aside's.
_BASED_IN = re.compile(r"\s+(?:based|headquartered|located)\s+in\s+[^,]*$")
_ROLE_BEFORE_NAME = re.compile(rf"(?:[A-Z][a-z]+\s+)?(?P<role>[a-z][\w-]+(?:\s+[a-z][\w-]+)?)\s+(?P<name>{CAP_RUN.pattern})")


def _role_before_name(inner: str) -> re.Match[str] | None:
    """"Dutch diplomat Anna Berg", "pensioner Ivo Marek": a role of nouns, then a full name."""
    m = _ROLE_BEFORE_NAME.fullmatch(inner)
    if m is None or " " not in m.group("name") or VERB_LIKE.search(m.group("role")) \
            or any(w in FUNCTION_WORDS for w in m.group("role").split()):
        return None
    return m


def comma_subject_chain(src: str, inner: str, rest: str, verb: str) -> list[str] | None:
    """"A senior official, who asked not to be named, said", "An analyst at X, Jane Doe,
    said", "Jane Doe, a spokeswoman for X, said": pick who speaks."""
    inner = inner.strip()
    named = inner.split(None, 1)[-1]
    if (inner.split()[0].lower() in TITLE_WORDS and inner.split()[0].endswith(".") and CAP_RUN.fullmatch(named)
            and is_person_like(named) and not CAP_RUN.fullmatch(src)):
        # "Secretary-General of the Authority, Eng. Lina Masri, said": a courtesy title
        # opens the name, not a role.
        inner = named
    role_and_name = _role_before_name(inner)
    if re.match(rf"(?:who|which|whose)\b|[a-z]{{3,}}ing\b|{_DISCOURSE}$|(?:at|in|on|during|after|before|later|earlier|"
                r"speaking|writing|asked|like|unlike)\s", inner) or is_appositive(_BASED_IN.sub("", inner)):
        speaker = src
    elif role_and_name and not (is_person_like(src) and CAP_RUN.fullmatch(src)):
        # "The head of the mission, Dutch diplomat Anna Berg, said", "One of them, pensioner
        # Ivo Marek, said": a role in lower case before the name; the name speaks.
        speaker = role_and_name.group("name")
    elif CAP_RUN.fullmatch(inner.removesuffix(".")) and len(inner.split()) <= 4 \
            and not (is_person_like(src) and CAP_RUN.fullmatch(src)):
        # "An analyst at X, Jane Doe, said", "The operator, Harlow Rail Co., said"; but
        # "Rep. Chris Collins, R-NY, says".
        speaker = inner
    else:
        return None
    if not source_ok(speaker) or (speaker[0].islower()):
        return None
    return speaker_chain(speaker, " " + verb + rest)


def lead_tag_only(text: str) -> Attribution | None:
    """The attribution when ``text`` is nothing but a leading tag ("X said on Tuesday that",
    "X told reporters:"), as before a quotation."""
    body = text.rstrip(" ,:—–-\t")
    parsed = parse_leading(body + " x")
    if parsed is None:
        return None
    end = parsed.end if parsed.end is not None else -1
    rest = body[end:]
    if end >= len(body) or rest.strip() == "" or (len(rest.split()) <= 4 and not VERB_LIKE.search(rest)):
        # "X said on Tuesday:", not "X said the vote was" (the quotation ends a clause).
        return parsed
    return None


def _colon_subject(sentence: str, start: int) -> str | None:
    """The first name near the start of the sentence that a verb follows."""
    for run in CAP_RUN.finditer(sentence, start):
        if run.start() - start > 40:
            break
        if any(t.lower() in DATE_WORDS for t in run.group(0).split()) or not _COLON_VERB.match(sentence, run.end()):
            continue
        tokens = run.group(0).split()
        first = 0
        while first < len(tokens) and (tokens[first].lower() in FUNCTION_WORDS or tokens[first].lower() in TITLE_WORDS):
            first += 1
        name = strip_titles(" ".join(tokens[first:]))
        if name and name.lower() not in TITLE_WORDS:
            return name
    return None


def parse_colon_intro(sentence: str) -> Attribution | None:
    """A sentence that ends with a colon and introduces what its subject said next."""
    if not sentence.rstrip().endswith(":"):
        return None
    lead = parse_leading(sentence)
    if lead:
        return lead
    if len(sentence.split()) > 25:
        return None
    name = _colon_subject(sentence, _intro_end(sentence))
    return Attribution(chain=[name], leading=True) if name else None


# A tag inside a longer sentence whose subject is a group and no one in particular: after a
# fronted clause ("Though the roads are poor, engineers say the bridge …"), in a relative
# clause ("the mill, which residents say has …"), or a share of those asked ("In the
# survey, 41 percent said they …"). The sentence is the group's claim.
_INNER_SHARE = r"\d[\d.,]*\s*(?:%|percent|per\s+cent)(?:\s+of\s+(?:[\w'’-]+\s+){0,2}?[\w'’-]+)?"
# People by what they do ("engineers", "residents", "historians"), with one word before.
_INNER_GROUP = r"(?:(?!(?:which|that|where|the|a|an|and|or|but|as|if)\s)[a-z][\w-]+\s+)?[a-z]{3,}(?:ers|ors|ists|ians|ents|ants)"
# "The bridge, engineers say, will …", "…, advisers to Mr. Lund say, the mayor has …": a
# group's tag between commas, the group perhaps said to be someone's.
_MID_GROUP = re.compile(
    rf"[^,]{{3,80}},\s+(?P<src>(?:{_BARE_GROUP.pattern}|{_INNER_GROUP}|(?:[a-z][\w-]+\s+)?(?:advisers|aides|allies|sources|insiders))"
    r"(?:\s+(?:to|of|for|close\s+to|at|in|with)\s+[\w'’.-]+(?:\s+[\w'’.-]+){0,3})?)\s+(?:also\s+)?(?:say|said)\s*,\s+\S")
_INNER_TAG = re.compile(
    rf"(?:^|,\s+|\b(?:which|that|where)\s+)(?P<src>{_INNER_SHARE}|{_BARE_GROUP.pattern}|{_INNER_GROUP})"
    r"\s+(?:also\s+|now\s+)?(?:say|says|said)\b(?!\s*[,.;:!?)]|\s*$)"
)


_NOT_A_GROUP = frozenset({"others", "numbers", "figures", "papers", "letters", "orders", "answers", "matters"})


# A figure placed in a study, the study named before or after it: "Marek had 38 percent in a
# Herald poll", "In the latest Velbank survey, Marek's lead narrowed to 13 points".
_STUDY = r"(?:a|an|the|this|that|its|their)\s+(?:[\w'’/.&-]+\s+){0,6}?(?:poll|survey|study|census)"
_STUDY_AFTER = re.compile(rf"\s(?:in|by)\s+(?P<src>{_STUDY})"
                          r"(?:,?\s+(?:released|conducted|published|taken|carried\s+out)\b[^,.;:]{0,60})?\W*$")
_STUDY_BEFORE = re.compile(rf"(?:In|By)\s+(?P<src>{_STUDY})(?:,?\s+(?:released|conducted|published|taken)\b"
                           r"[^,]{0,60})?,\s")
_HAS_FIGURE = re.compile(r"\d|\bpercent\b")


def _study_tag(sentence: str) -> Attribution | None:
    m = _STUDY_BEFORE.match(sentence) or _STUDY_AFTER.search(sentence)
    if m is None or not _HAS_FIGURE.search(sentence):
        return None
    return Attribution(chain=[" ".join(m.group("src").split())], leading=True)


def _group_tag(sentence: str) -> Attribution | None:
    m = _INNER_TAG.search(sentence)
    if m is None or m.group("src").split()[-1] in _NOT_A_GROUP:
        return None
    words = m.group("src").split()
    if words[0] in ("which", "that", "where"):
        words = words[1:]  # the group's optional word before it took the relative pronoun
    return Attribution(chain=[" ".join(words)], leading=True)


def inner_tag(sentence: str) -> Attribution | None:
    """A tag the leading readers do not see: a group inside a longer sentence, or a study a
    figure is placed in. Most sentences have neither word and need no regular expression."""
    found = _group_tag(sentence) if " sa" in sentence else None
    if found is None and ("poll" in sentence or "survey" in sentence or "stud" in sentence or "census" in sentence):
        found = _study_tag(sentence)
    return found
