"""Who said it: attribution tags around a sentence and the relay chain behind them.

News copy names its sources in layers ("..., Orda reports, citing SANA"). A tag is
parsed into a chain of sources from the outermost relay to the innermost speaker;
the innermost is the claimant and the rest, outermost last, is ``via``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Verbs that attribute whatever follows or precedes them.
_SPEECH_VERBS = (
    r"said|says|say|saying|added|adds|told|tells|claimed|claims|claim|stated|states|reported|reports|"
    r"wrote|writes|tweeted|posted|argued|argues|insisted|insists|warned|warns|alleged|alleges|asserted|"
    r"asserts|maintained|maintains|noted|notes|stressed|stresses|explained|explains|declared|declares|"
    r"announced|announces|continued|recalled|replied|responded|answered|observed|remarked|commented|"
    r"conceded|cautioned|predicted|estimated|acknowledged|admitted|confirmed|denied|disclosed|revealed|"
    r"suggested|indicated|emphasi[sz]ed|emphasi[sz]es|underlined|underscored|pointed out|has learned|"
    r"learned|understands|believes|thinks|ruled|found|finds|showed|shows|concluded|concludes|complained|"
    r"complains|testified|vowed|promised|pledged|mentioned|thought|believed|expects|expected|fears|feared|"
    r"charged|contended|contends|countered|recounted|projected|projects|forecast|forecasts|reckons|added"
)
# Of those, the ones that also take a plain object ("confirmed support for ...") and so
# attribute a sentence they open only when a clause follows ("confirmed that ...").
_CLAUSE_ONLY = frozenset(
    ["confirmed", "denied", "acknowledged", "admitted", "announced", "announces", "estimated", "predicted", "disclosed", "revealed", "suggested", "indicated", "emphasized", "emphasised", "emphasizes", "emphasises", "underlined", "underscored", "stressed", "stresses", "noted", "notes", "observed", "recalled", "continued", "answered", "remarked", "commented", "posted", "reported", "reports", "learned", "understands", "believes", "thinks", "explained", "explains", "ruled", "found", "finds", "showed", "shows", "concluded", "concludes", "complained", "complains", "testified", "vowed", "promised", "pledged", "mentioned", "thought", "believed", "expects", "expected", "fears", "feared", "charged", "contended", "contends", "countered", "recounted", "projected", "projects", "forecast", "forecasts", "reckons"]
)
_AUX = r"(?:(?:also|later|earlier|reportedly|previously|then|further|separately|recently|again|publicly|"
_AUX += r"privately|repeatedly|has|have|had|was|were|is|would|will|did|does|not|once|first|last|"
_AUX += r"allegedly|apparently|reportedly|officially|quickly|flatly|firmly|[a-z]{3,}ly)\s+){0,3}"

_VERB = rf"(?P<verb>{_SPEECH_VERBS})"
_DET = r"(?:a|an|the|one|two|three|four|several|some|many|other|another|most|senior|two|both|its|his|her|their)"
# Words that open a noun phrase naming who speaks without being a name: possessives
# ("its chair", "his spokesman") and counts ("two shipping agents", "several officials").
_NP_OPENERS = frozenset(
    ["its", "his", "her", "their", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "some", "many", "both", "other", "another", "most", "few"]
)
_POSSESSIVE_DET = frozenset(["its", "his", "her", "their"])
_PRONOUN = r"(?:he|she|they|it|we|I)"
# A source noun phrase: at most ten words, starting like a name, a description or a pronoun.
_SRC = (
    rf"(?P<src>(?:{_PRONOUN}|(?:{_DET}\s+)?[\w'’.&-]+(?:\s+[\w'’.&()-]+){{0,9}}?))"
)
_SEP = re.compile(r"\s*(?:,|—|–|\s-\s)\s*")

_TAG_ACCORDING = re.compile(r"(?:(?:all\s+)?according\s+to|as\s+(?:reported|quoted|cited)\s+by|reported\s+by|"
                            r"quoted\s+by|cited\s+by|per)\s+(?P<src>.+)", re.I)
_TAG_CITING = re.compile(r"(?:(?:which|who|that|and)\s+)?(?:citing|quoting|cited|quoted|relying\s+on)\s+(?P<src>.+)", re.I)
# Case-sensitive: "the United States" is not a tag ending in the verb "states".
_TAG_SRC_VERB = re.compile(rf"{_SRC}\s+{_AUX}{_VERB}(?P<rest>(?:\s+.*)?)", re.S)
_TAG_VERB_SRC = re.compile(rf"{_AUX}(?P<verb>said|says|added|adds|claimed|claims|stated|reported|reports|wrote|"
                           rf"tweeted|argued|insisted|warned|noted|explained|declared|announced|according\s+to)\s+"
                           rf"(?P<src>.+)", re.I)
# A bare verb closing the tag ("..., John Smith, a spokesman, said on Tuesday"): only
# short modifiers may follow, never a clause of its own.
_VERB_ONLY = re.compile(
    rf"{_AUX}(?:{_SPEECH_VERBS})(?:\s+(?:(?<=told\s)(?:(?:a|an|the)\s+)?[\w'’.&-]+|"
    rf"on|in|at|during|after|before|while|late|early|earlier|later|last|"
    rf"this|yesterday|today|tonight|to|via|through|by|from|when|as|reporters|journalists|Monday|Tuesday|"
    rf"Wednesday|Thursday|Friday|Saturday|Sunday)\b(?:\s+[\w'’.-]+){{0,8}})?",
)
# Leading attribution: "X said (on Tuesday) (that) ...", "According to X, ...".
_LEAD_ACCORDING = re.compile(r"(?:according\s+to|as\s+reported\s+by)\s+(?P<src>[^,]{2,80}),\s+", re.I)
_LEAD_SRC_VERB = re.compile(rf"{_SRC}\s+{_AUX}{_VERB}\b(?P<that>(?:\s+[^,.;:]{{0,40}}?\s+that\b|\s+that\b)?)", re.S)
_INTRO = re.compile(
    r"(?:incidentally|meanwhile|however|moreover|furthermore|separately|additionally|also|still|nevertheless|"
    r"nonetheless|indeed|instead|earlier|later|elsewhere|in addition|by contrast|at the same time|"
    r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|last week|this week|"
    r"in a statement|in an interview|in a (?:post|video|letter|speech)[^,]{0,30}|but|and|so|yet)\s*,?\s+",
    re.I,
)
_TOLD = re.compile(r"\btold\s+(?P<obj>(?:the\s+)?[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*){0,3})")
_NOT_OUTLETS = frozenset(
    ["parliament", "congress", "senate", "lawmakers", "reporters", "journalists", "the", "court", "court", "police"]
)
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My|me|I'm|We're|we're|I've|we've|ours)\b")
# Lower-case only: "Retired Lt. Gen. Michael Flynn" is a name, not a verb phrase.
_VERB_LIKE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|should|must|did|does|do|might|shall|"
                        r"(?<!\bMay )may(?! \d))\b"
                        r"|\b[a-z]\w*ed\b(?!\s+(?:by|for|to|of)\b)")
# A capitalised token: a word, an initial ("F.") or a dotted acronym ("U.S."); a
# sentence's final full stop is not part of it.
_CAP_TOKEN = r"(?:(?:[A-Z]\.)+(?![a-z])|[A-Z][\w'’-]*)"
_PARTICLE = r"(?:al|el|bin|ibn|van|von|de|da|di|du|del|der|la|le)"
_CAP_RUN = re.compile(rf"(?:{_PARTICLE}-)?{_CAP_TOKEN}(?:\s+(?:{_PARTICLE}[- ])?{_CAP_TOKEN})*")
_FUNCTION_WORDS = frozenset(
    ["a", "an", "the", "on", "in", "at", "of", "for", "to", "by", "but", "and", "or", "so", "yet", "as", "if", "when", "while", "after", "before", "since", "meanwhile", "incidentally", "however", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i", "his", "her", "its", "their", "our"]
)

# Words that describe a role; dropped from the front of a name ("Deputy Foreign Minister
# Mikhail Bogdanov" -> "Mikhail Bogdanov").
TITLE_WORDS = frozenset(
    ["deputy", "vice", "prime", "first", "foreign", "interior", "defence", "defense", "finance", "health", "economy", "trade", "justice", "energy", "minister", "president", "secretary", "general", "spokesman", "spokeswoman", "spokesperson", "senator", "sen.", "rep.", "representative", "gov.", "governor", "mayor", "chief", "executive", "officer", "ceo", "cfo", "director", "chairman", "chairwoman", "chair", "ambassador", "special", "envoy", "judge", "commissioner", "lt.", "col.", "gen.", "adm.", "dr.", "mr.", "mrs.", "ms.", "prof.", "king", "queen", "prince", "princess", "pope", "sheikh", "former", "acting", "senior", "assistant", "press", "state", "attorney", "prosecutor", "speaker", "leader", "head", "commander", "colonel", "general", "lieutenant", "captain", "sergeant", "major", "police", "chief", "opposition", "presidential", "national", "foreign", "affairs", "kremlin", "white", "house", "u.s.", "us", "uk", "eu", "un"]
)
ORG_WORDS = frozenset(
    ["ministry", "agency", "office", "department", "council", "party", "bank", "service", "committee", "commission", "court", "police", "army", "forces", "government", "administration", "university", "institute", "company", "group", "news", "times", "post", "house", "kremlin", "parliament", "senate", "congress", "union", "association", "federation", "organization", "organisation", "fund", "board", "authority", "authorities", "ministry's", "press"]
)
NEWS_OUTLETS = frozenset(
    ["reuters", "ap", "afp", "bloomberg", "interfax", "tass", "ria", "xinhua", "anadolu", "kyodo", "yonhap", "bbc", "cnn", "dpa", "efe", "ansa", "sana", "orda", "axios", "politico", "wsj", "nbc", "cbs", "abc", "kommersant", "vedomosti", "haaretz", "kazinform", "tengrinews", "irna", "isna", "wafa"]
)
_DETERMINER = re.compile(r"(?:a|an|the)\s+", re.I)
_DOCUMENTS = (r"statement|report|release|post|letter|document|note|notice|filing|tweet|communique|communiqué|"
              r"announcement|readout|data|figures|estimates?|survey|study|poll|analysis|forecast|website")
_OWNED_DOCUMENT = re.compile(rf"(?P<who>.+?)['’]s?\s+(?:\w+\s+){{0,2}}(?:{_DOCUMENTS})", re.I)
_STATEMENT_OF = re.compile(
    r"(?:(?:a|an|the)\s+)?(?:\w+\s+)?(?:data|figures|estimates?|survey|study|poll|analysis|statement|report|release|post|letter|document|note|notice|filing|tweet|"
    r"communique|communiqué|announcement|readout)\s+(?:from|by|of|issued by|published by|released by)\s+(?P<who>.+)",
    re.I,
)
_RELATIVE = re.compile(r"\s+(?:who|which|that|whose|where)\s+")
_PREPOSITION = re.compile(r"\b(?:at|of|for|from|in|with|to|on|by|close|near|inside|within)\b", re.I)
_PAREN = re.compile(r"\s*\([^)]*\)")
_SOURCE_NOUNS = re.compile(
    r"\b(?:sources?|officials?|spokes(?:man|woman|person)|representatives?|analysts?|experts?|residents?|"
    r"witnesses?|authorities|diplomats?|lawmakers?|police|ministry|government|agency|report|statement|"
    r"survey|study|data|figures|researchers?|economists?|investigators?|prosecutors?|insiders?|people|"
    r"person|aides?|adviser|advisers|advisors?|members?|observers?|activists?|organi[sz]ers?|"
    r"regulators?|bureau|commission|committee|council|board|court|union|party|organi[sz]ation|institute|"
    r"cent(?:er|re)|service|network|newspaper|outlet|channel|broadcaster|magazine|website|polls?|pollsters?|"
    r"association|federation|operators?|lawyers?|attorneys?|judges?|ministers?|candidates?|chairman|chief|"
    r"directors?|managers?|owners?|founders?|authors?|editors?|reporters?|journalists?|correspondents?|"
    r"survivors?|victims?|relatives?|family|mother|father|wife|husband|friends?|neighbou?rs?|pensioners?|"
    r"users?|customers?|patients?|students?|voters?|supporters?|critics?|opponents?|protesters?|soldiers?|"
    r"military|embassy|envoys?|delegation|negotiators?|"
    r"officers?|workers?|employees?|engineers?|scientists?|doctors?|locals?|villagers?|staff|"
    r"company|firm|campaign|office|department|side|leaders?|groups?|agents?|brokers?|traders?|dealers?|"
    r"bankers?|executives?|contacts?|participants?|insiders?|farmers?|drivers?|pilots?|crew|captains?|"
    r"masters?|nurses?|teachers?|chair|chairwoman|chairperson|head|president|secretary|governor|mayor|"
    r"professors?|academics?|consultants?|strategists?|operator)\b",
    re.I,
)


Segment = tuple[str, list[str]]  # ("according" | "citing" | "speaker" | "verb-only", sources)


@dataclass(slots=True)
class Attribution:
    """A parsed attribution of one sentence.

    ``content_end`` is the offset (relative to the sentence) where the claim proper ends
    when the tag trails it; ``None`` when the whole sentence is the claim.
    """

    chain: list[str]
    content_end: int | None = None
    leading: bool = False
    pronoun: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def claimant(self) -> str | None:
        return self.chain[-1] if self.chain else None

    @property
    def via(self) -> list[str]:
        return list(reversed(self.chain[:-1]))


def clean_source(raw: str) -> str | None:
    """Reduce a source phrase to the name of who speaks, or None if it is not a source."""
    src = raw.strip(" ,.;:\"'“”‘’")
    src = _PAREN.sub("", src).strip()
    if not src or len(src) > 120:
        return None
    statement = _STATEMENT_OF.match(src) or _OWNED_DOCUMENT.match(src)
    if statement:
        src = statement.group("who").strip()
    words = src.split()
    if len(words) > 12 or words[0].lower() in DATE_WORDS or words[0].lower() in _NOT_SOURCE_START:
        return None
    if re.fullmatch(_PRONOUN, src, re.I):
        return src.lower() if src != "I" else "I"
    first = words[0]
    if (first[0].islower() and not _DETERMINER.match(src + " ") and not _SOURCE_NOUNS.search(src)
            and not (first in _NP_OPENERS and len(words) >= 2)):
        # A bare plural group ("local engineers", "rescue workers") can speak too.
        if not (len(words) <= 4 and re.search(r"[a-z]{3,}(?:ers|ors|ists|ians|ents|ants|s)$", src)):
            return None
    # A described person with a name at the end ("Kremlin spokesman Dmitry Peskov",
    # "Syrian state agency SANA"): keep the name.
    runs = list(_CAP_RUN.finditer(src))
    if (runs and runs[0].start() == 0 and len(runs) == 2 and src[runs[0].end():runs[1].start()] == " of "
            and runs[1].end() == len(src) and runs[0].group(0).split()[-1].lower() in ORG_WORDS):
        # "The Ministry of Transport", "Bank of Finland": one name.
        return src[0].lower() + src[1:] if words[0].lower() == "the" else src
    if runs and runs[0].start() == 0 and len(runs) > 1 and re.match(r"\s+(?:for|of|at|from|with)\s", src[runs[0].end():]):
        # "Cameron Easley for Morning Consult": the writer speaks, not the outlet.
        head = _strip_titles(runs[0].group(0))
        if head.lower() not in TITLE_WORDS and not all(t.lower() in TITLE_WORDS for t in head.split()):
            return head
    described = False
    determined = bool(_DETERMINER.match(src)) or first.lower() in _NP_OPENERS
    if runs and determined and runs[-1].end() == len(src):
        # "the state news agency Kazinform" names the agency; "a source at the Finance
        # Ministry" does not name the source.
        between = src[len(src.split(None, 1)[0]):runs[-1].start()]
        described = bool(between.strip()) and not _PREPOSITION.search(between)
    if (runs and runs[-1].end() == len(src) and (described or not determined)
            and not (len(words) == 1 and _SOURCE_NOUNS.fullmatch(first))):
        name = _strip_titles(runs[-1].group(0))
        if name:
            return name
    if first.lower() in _FUNCTION_WORDS or first.lower() in _NP_OPENERS or _SOURCE_NOUNS.fullmatch(first):
        # Capitalised only because it opens the sentence ("Officials", "A Reuters source").
        return src[0].lower() + src[1:]
    return src


def _strip_titles(name: str) -> str:
    tokens = name.split()
    if tokens and tokens[-1].lower().rstrip("'’s") in ORG_WORDS:
        return name
    # "Russia's Special Representative for ..." has been cut at the comma already; the
    # possessive owner is a title too when a name follows.
    while len(tokens) > 1 and (tokens[0].lower() in TITLE_WORDS or tokens[0].endswith(("'s", "’s"))):
        tokens = tokens[1:]
    return " ".join(tokens)


_NOT_SOURCE_START = frozenset(
    ["as", "after", "before", "when", "while", "if", "because", "since", "though", "although", "until", "unless", "whether", "once", "in", "on", "at", "by", "with", "from", "for", "of", "to", "into", "than", "so", "and", "but", "or", "yet", "nor", "not", "no", "there", "here", "this", "these", "those", "what", "why", "how"]
)
# Inside a speaker's name or description these mean a clause was taken for a source.
_NOT_IN_SOURCE = frozenset(
    ["i", "we", "you", "they", "he", "she", "it", "think", "thought", "got", "get", "know", "knew", "want", "wanted", "if", "whom", "who", "which"]
)
DATE_WORDS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "today", "yesterday", "tonight", "morning", "afternoon", "evening", "night", "week", "month", "year", "earlier", "later"]
)


def _source_ok(raw: str) -> bool:
    words = raw.split()
    if not words or len(words) > 10:
        return False
    lowered = [w.lower().strip(",.;:'’\"") for w in words]
    if lowered[0] in _NOT_SOURCE_START or lowered[0] in DATE_WORDS or re.match(r"[a-z]{3,}ing$", words[0]):
        return False
    if any(w in _NOT_IN_SOURCE for w in lowered[1:]) or any(w.endswith(("'ve", "'re", "’ve", "’re", "n't", "n’t"))
                                                            for w in lowered):
        return False
    if lowered[-1] in _NOT_A_LAST_WORD:
        # "Mrs. Clinton shook her head and", "Some advisers are" (said to ...).
        return False
    if re.fullmatch(_PRONOUN, raw.strip(), re.I):
        return True
    if lowered[0] in _PRONOUNS_LOWER:
        return False
    if _VERB_LIKE.search(raw) and not _SOURCE_NOUNS.search(raw):
        return False
    return (raw[0].isupper() or bool(_DETERMINER.match(raw + " ")) or bool(_SOURCE_NOUNS.search(raw))
            or (lowered[0] in _NP_OPENERS and len(words) >= 2 and lowered[-1] not in _NOT_A_HEAD))


_NOT_A_LAST_WORD = frozenset(["and", "or", "but", "nor", "is", "are", "was", "were", "been", "be", "being", "who", "whom", "which", "that"])
_PRONOUNS_LOWER = frozenset(["he", "she", "they", "it", "we", "i"])
# Words that cannot end a noun phrase naming a speaker ("most in both", "some of").
_NOT_A_HEAD = frozenset(
    ["a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or", "but", "both", "all", "some", "many", "most", "other", "others", "its", "his", "her", "their", "this", "that", "these", "those"]
)


def _names_a_source(phrase: str) -> bool:
    """"citing SANA", "citing a source in the ministry", "citing data from the bureau";
    not "citing a threat to public health"."""
    phrase = phrase.strip()
    return bool(phrase) and (phrase[0].isupper() or bool(_SOURCE_NOUNS.search(phrase))
                             or bool(re.search(rf"\b(?:{_DOCUMENTS})\b", phrase, re.I))
                             or bool(re.search(r"\b[A-Z]", phrase)))


def _outlet_in_description(src: str) -> str | None:
    """The outlet in "a Reuters source", "two Interfax sources"."""
    for word in re.findall(r"[A-Z][\w-]+", src):
        if word.lower() in NEWS_OUTLETS:
            return word
    return None


def _speaker_chain(src_raw: str, rest: str = "") -> list[str] | None:
    src = clean_source(src_raw)
    if not src:
        return None
    chain = [src]
    outlet = _outlet_in_description(src_raw) if _DETERMINER.match(src_raw.strip() + " ") else None
    if outlet and outlet != src:
        chain.insert(0, outlet)
    told = _TOLD.search(rest) if rest else None
    if (told and told.group("obj").lower() not in _NOT_OUTLETS
            and told.group("obj").split()[0].lower() not in TITLE_WORDS):
        # "told Reuters" relays; "told Mr. Obama" is whom it was said to.
        chain.insert(0, re.sub(r"^the\s+", "", told.group("obj")))
    return chain


def _parse_segment(segment: str) -> Segment | None:
    """Classify one comma-separated tag segment: ("according"|"citing"|"speaker", sources)."""
    seg = segment.strip()
    if not seg or len(seg.split()) > 16:
        return None
    m = _TAG_ACCORDING.fullmatch(seg)
    if m and _names_a_source(m.group("src")):
        src = clean_source(m.group("src"))
        return ("according", [src]) if src else None
    m = _TAG_CITING.fullmatch(seg)
    if m and (_names_a_source(m.group("src")) or (re.match(r"(?:\w+\s+)?quot", seg, re.I)
                                                   and _DETERMINER.match(m.group("src")))):
        src = clean_source(m.group("src"))
        return ("citing", [src]) if src else None
    m = _QUOTED_AS_SAYING.fullmatch(seg + " ")
    if m and m.group("outlet"):
        outlet, speaker = clean_source(m.group("outlet")), clean_source(m.group("speaker"))
        if outlet and speaker and _source_ok(m.group("speaker")):
            return ("speaker", [outlet, speaker])
    m = _TAG_VERB_SRC.fullmatch(seg)
    if m and _source_ok(m.group("src")) and not _VERB_LIKE.search(m.group("src")):
        chain = _speaker_chain(m.group("src"))
        return ("speaker", chain) if chain else None
    if _VERB_ONLY.fullmatch(seg) and not _VERB_LIKE.search(seg.split(None, 1)[-1] if " " in seg else ""):
        return ("verb-only", [])
    m = _TAG_SRC_VERB.fullmatch(seg)
    if (m and _source_ok(m.group("src")) and len(m.group("rest").split()) <= 10
            and not (m.group("verb") not in ("told", "tells") and _CLAUSE_REST.match(m.group("rest")))):
        chain = _speaker_chain(m.group("src"), " " + m.group("verb") + m.group("rest"))
        return ("speaker", chain) if chain else None
    return None


# What follows "X said" when a clause of its own does ("the ministry said it had ..."):
# then the segment is the claim, not a tag after it.
_CLAUSE_REST = re.compile(
    r"\s+(?:that|it|he|she|they|we|I|there|the|a|an|his|her|its|their|our|"
    r"this(?!\s+(?:week|month|year|morning|afternoon|evening|weekend)))\b"
)
_AGE = re.compile(r"\d{1,3}")
# A clause said of the speaker between name and verb: "X, who declined to be named, said".
_SPEAKER_ASIDE = re.compile(r"(?:who|whose)\s+\S|[a-z]{3,}ing\b")


def _is_appositive(seg: str) -> bool:
    """A role description next to a name: "a spokesman for the ministry", "Russia's
    Special Representative for the Middle East"."""
    core = _RELATIVE.split(seg, 1)[0]
    words = core.split()
    if not words or len(seg.split()) > 20 or len(words) > 16 or _VERB_LIKE.search(core):
        return False
    first = words[0].lower()
    return (bool(_DETERMINER.match(core + " ")) or first in TITLE_WORDS or first.endswith(("'s", "’s"))
            or (first in _POSSESSIVE_DET and len(words) >= 2)
            or bool(re.match(r"(?:one|some|two|three|several|many|most|each)\s+of\b", core, re.I)))


def _is_trailing_modifier(seg: str) -> bool:
    """"declining to be identified", "speaking on condition of anonymity": said of the
    speaker, after the tag."""
    return bool(re.match(r"[a-z]{3,}ing\b", seg.strip()))


def parse_trailing(sentence: str) -> Attribution | None:
    """Parse a tag after the claim: "..., Peskov added, according to Interfax."."""
    body = sentence.rstrip().rstrip(".!?…")
    bounds = [(m.start(), m.end()) for m in _SEP.finditer(body) if m.start() > 0]
    # Walk back over comma-separated segments while they read as a tag (at most four).
    parsed: list[Segment] = []
    verb_text = ""  # the verb-only segment, for "told Reuters" once its speaker is found
    # A description before a bare verb ("..., the union's leader, said") speaks itself
    # unless a name stands before it ("..., Marco Ferrant, the union's leader, said").
    described: tuple[int, str] | None = None
    best: tuple[int, list[Segment]] | None = None
    seg_end = len(body)
    for k in range(len(bounds) - 1, max(-1, len(bounds) - 5), -1):
        sep_start, sep_end = bounds[k]
        seg = body[sep_end:seg_end].strip()
        kind = _parse_segment(seg)
        if kind is not None:
            if kind[0] == "verb-only":
                verb_text = seg
            parsed.insert(0, kind)
            if any(p[0] != "verb-only" for p in parsed):
                best = (sep_start, list(parsed))
        elif not parsed and k > 0 and (_is_appositive(seg) or _is_trailing_modifier(seg)
                                       or re.match(r"(?:who|whose)\s", seg)):
            # "..., said John Smith, a spokesman" / "..., Smith said, declining to be named" /
            # "..., said Smith, who took over in 2022": the closing phrase belongs to the tag
            # when a speaker stands right before it.
            left = _parse_segment(body[bounds[k - 1][1]:sep_start])
            if not (left and left[0] == "speaker"):
                break
        elif parsed and _is_appositive(seg):
            # "John Smith, a spokesman for the ministry, said": skip the role, keep going.
            if best and any(p[0] == "speaker" for p in parsed):
                best = (sep_start, best[1])
            elif parsed[0][0] == "verb-only":
                name = clean_source(seg) if _source_ok(seg) and len(seg.split()) <= 6 else None
                if name and name != seg and _is_person_like(name):
                    # "House Speaker Paul Ryan, the convention chair, said": a titled name.
                    parsed[0] = ("speaker", _speaker_chain(seg, " " + verb_text) or [name])
                    best = (sep_start, list(parsed))
                elif described is None:
                    described = (sep_start, seg)
        elif parsed and parsed[0][0] == "verb-only" and (_SPEAKER_ASIDE.match(seg) or _AGE.fullmatch(seg)) and k > 0:
            # "a port official, who declined to be named, said": the aside is the speaker's.
            pass
        elif parsed and parsed[0][0] == "verb-only" and _source_ok(seg) and len(seg.split()) <= 6:
            chain = _speaker_chain(seg, " " + verb_text)
            if not chain:
                break
            parsed[0] = ("speaker", chain)
            best = (sep_start, list(parsed))
        else:
            break
        seg_end = sep_start
    if parsed and parsed[0][0] == "verb-only" and described is not None:
        chain = _speaker_chain(described[1], " " + verb_text)
        if chain:
            parsed[0] = ("speaker", chain)
            best = (described[0], list(parsed))
    if not best:
        return None
    content_end, segments = best
    # "citing X" goes one level deeper than what came before; "according to X" one out.
    chain: list[str] = []
    for kind_name, sources in segments:
        chain = sources + chain if kind_name == "according" else chain + sources
    if not chain:
        return None
    return Attribution(chain=chain, content_end=content_end,
                       pronoun=bool(re.fullmatch(_PRONOUN, chain[-1], re.I)))


def parse_leading(sentence: str) -> Attribution | None:
    """Parse a tag before the claim: "X said on Tuesday that ...", "According to X, ..."."""
    start = 0
    intro = _INTRO.match(sentence)
    if intro:
        start = intro.end()
    framing = _FRAMING.match(sentence, start)
    if framing:
        # "In a statement Friday, Trump said ...", "Asked about the deal, Berg said ...",
        # "Citing the bureau, Vesti reported that ...": a fronted phrase before the tag.
        inner = parse_leading(sentence[framing.end():])
        if inner is not None:
            if "end" in inner.extra:
                inner.extra["end"] = str(int(inner.extra["end"]) + framing.end())
            if framing.group("cited"):
                cited = _parse_segment(framing.group("cited"))
                if cited and cited[0] == "citing" and not inner.extra.get("according"):
                    inner.chain = inner.chain + cited[1]
            inner.extra["framed"] = "1"
            return inner
    m = _QUOTED_AS_SAYING.match(sentence, start)
    if m:
        outlet = clean_source(m.group("outlet") or m.group("outlet2") or "")
        speaker = clean_source(m.group("speaker") or m.group("speaker2") or "")
        if speaker and _source_ok(m.group("speaker") or m.group("speaker2")):
            return Attribution(chain=([outlet] if outlet else []) + [speaker], leading=True,
                               extra={"end": str(m.end())})
    m = _LEAD_CITING.match(sentence, start)
    if m and _source_ok(m.group("src")):
        chain = _speaker_chain(m.group("src"))
        cited = _parse_segment(m.group("cited"))
        if chain and cited and cited[0] == "citing":
            return Attribution(chain=chain + cited[1], leading=True, extra={"end": str(m.end())})
    m = _LEAD_ACCORDING.match(sentence, start)
    if m:
        src = clean_source(m.group("src"))
        if src:
            return Attribution(chain=[src], leading=True, extra={"end": str(m.end()), "according": "1"})
    m = _MID_TAG.match(sentence, start)
    if m and _source_ok(m.group("src")):
        chain = _speaker_chain(m.group("src"))
        if chain:
            return Attribution(chain=chain, leading=True, extra={"mid": "1"})
    m = _LEAD_COMMA_SUBJECT.match(sentence, start)
    if m and not (m.group("verb").lower() in _CLAUSE_ONLY and not m.group("that")):
        chain = _comma_subject_chain(m.group("src"), m.group("inner"), sentence[m.end("verb"):][:60],
                                     m.group("verb"))
        if chain:
            return Attribution(chain=chain, leading=True, extra={"end": str(m.end())})
    m = _LEAD_SRC_VERB.match(sentence, start)
    if not m:
        return None
    verb = m.group("verb").lower()
    if verb in _CLAUSE_ONLY and not m.group("that"):
        return None
    raw = m.group("src")
    if (verb in ("added", "adds") and not m.group("that") and not _is_person_like(raw)
            and not re.match(r"\s*[:,]", sentence[m.end("verb"):])):
        # "The economy added 200,000 jobs": adding things, not words.
        return None
    if verb in _NOUN_LIKE_VERBS and not m.group("that") and (
            _NUMBER_WORD.search(raw.split()[-1]) or _VERB_AFTER.match(sentence, m.end("verb"))):
        # "Twenty-seven states led by ...", "Rust Belt states underscored ...": things, not a speaker.
        return None
    if not _source_ok(raw) or (raw[0].islower() and not re.fullmatch(_PRONOUN, raw, re.I)
                                and not (start and (_DETERMINER.match(raw) or raw.split()[0] in _NP_OPENERS)
                                         and len(raw.split()) <= 6 and not _VERB_LIKE.search(raw))):
        # Lower case only after an opener ("In a statement, the ministry said ...").
        return None
    rest = sentence[m.end("verb"):]
    chain = _speaker_chain(raw, " " + verb + rest[:60])
    if not chain:
        return None
    return Attribution(chain=chain, leading=True, pronoun=bool(re.fullmatch(_PRONOUN, raw, re.I)),
                       extra={"end": str(m.end())})


def _is_person_like(raw: str) -> bool:
    """A pronoun or a personal name ("Berg", "Mr. Berg", "Anna Berg"), not a described body."""
    raw = raw.strip()
    if re.fullmatch(_PRONOUN, raw, re.I):
        return True
    tokens = raw.split()
    return (bool(tokens) and all(t[0].isupper() for t in tokens) and tokens[0].lower() not in _FUNCTION_WORDS
            and not any(t.lower() in ORG_WORDS for t in tokens) and len(tokens) <= 5)


def _comma_subject_chain(src: str, inner: str, rest: str, verb: str) -> list[str] | None:
    """"A senior official, who asked not to be named, said", "An analyst at X, Jane Doe,
    said", "Jane Doe, a spokeswoman for X, said": pick who speaks."""
    inner = inner.strip()
    if re.match(r"(?:who|which|whose)\b|[a-z]{3,}ing\b", inner) or _is_appositive(inner):
        speaker = src
    elif _CAP_RUN.fullmatch(inner) and len(inner.split()) <= 4 and not _is_person_like(src):
        # "An analyst at X, Jane Doe, said"; but "Rep. Chris Collins, R-NY, says".
        speaker = inner
    else:
        return None
    if not _source_ok(speaker) or (speaker[0].islower()):
        return None
    return _speaker_chain(speaker, " " + verb + rest)


def lead_tag_only(text: str) -> Attribution | None:
    """The attribution when ``text`` is nothing but a leading tag ("X said on Tuesday that",
    "X told reporters:"), as before a quotation."""
    body = text.rstrip(" ,:—–-\t")
    parsed = parse_leading(body + " x")
    if parsed is None:
        return None
    end = int(parsed.extra.get("end", "-1"))
    if end >= len(body) or body[end:].strip() == "" or len(body[end:].split()) <= 4:
        return parsed
    return None


_NOUN_LIKE_VERBS = frozenset(["states", "reports", "claims", "notes", "posts", "says", "estimates", "forecasts", "projects"])
_VERB_AFTER = re.compile(r"\s+(?:[a-z]+ed|are|were|have|had|will|would|can|could|may|might|must|should)\b")
_NUMBER_WORD = re.compile(
    r"^(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|dozens?|hundreds|thousands|several|many|some|both|all|other)(?:-\w+)?$",
    re.I,
)
_LEAD_COMMA_SUBJECT = re.compile(
    rf"(?P<src>[^,]{{2,60}}),\s+(?P<inner>[^,]{{2,120}}),\s+{_AUX}{_VERB}\b"
    r"(?P<that>(?:\s+[^,.;:]{0,40}?\s+that\b|\s+that\b)?)",
    re.S,
)
# "The museum, Mr. Obama said, would ..." - a tag set inside the claim between commas.
_MID_TAG = re.compile(
    rf"[^,]{{3,80}},\s+(?P<src>{_PRONOUN}|(?:{_DET}\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,4}}|"
    rf"(?:{_DET}\s+)[a-z]+(?:\s+[a-z]+)?)\s+(?:also\s+)?(?:said|says|added|argued|noted|wrote|insisted|"
    rf"claimed|believes|warned|explained)\s*,\s+\S",
)
_FRAMING = re.compile(
    r"(?:(?P<cited>(?:[Cc]iting|[Qq]uoting)\s[^,]{2,60})|"
    r"(?:[Ii]n|[Oo]n|[Aa]t|[Dd]uring|[Aa]fter|[Bb]efore|[Ll]ater|[Ee]arlier|[Ww]hen|[Ww]hile|[Aa]s|[Ss]ince|"
    r"[Tt]hough|[Aa]lthough|[Dd]espite|[Ww]ith|[Ww]ithout|[Bb]y|[Ff]rom|[Ff]or|[Uu]ntil|[Oo]nce|[Ii]f|"
    r"[Ss]hortly|[Bb]ack|[A-Z][a-z]{2,}ing|[A-Z][a-z]{2,}ed)\b[^,]{1,70}),\s+(?=\S)"
)
# "Vesti reported, citing the bureau, that ...".
_LEAD_CITING = re.compile(
    rf"{_SRC}\s+{_AUX}{_VERB},\s+(?P<cited>(?:citing|quoting)\s[^,]{{2,60}}),\s+(?:that\s+)?", re.S)
# "Vesti quoted Berg as saying (that) ...", "Berg was quoted by Vesti as saying ...".
_QUOTED_AS_SAYING = re.compile(
    r"(?:(?P<speaker2>[A-Z][^,]{1,60}?)\s+(?:was|were|has\s+been|had\s+been)\s+quoted"
    r"(?:\s+by\s+(?P<outlet2>[^,]{2,50}?))?|"
    r"(?P<outlet>[A-Z][^,]{1,50}?)\s+quoted\s+(?!by\b)(?P<speaker>[^,]{2,60}?))"
    r"\s+as\s+saying(?:\s+that)?\b\s*,?\s*"
)
_COLON_VERB = re.compile(
    r"(?:\s*,[^,]{1,60},)?\s*,?\s+(?:(?:[a-z]+ly|later|earlier|also|then|again|once|first)\s+)?"
    r"(?:[a-z]+(?:ed|s)|gave|spoke|told|wrote|made|took|had|went|came|put|set|said|sent|laid)\b"
)


def parse_colon_intro(sentence: str) -> Attribution | None:
    """A sentence that ends with a colon and introduces what its subject said next."""
    if not sentence.rstrip().endswith(":"):
        return None
    lead = parse_leading(sentence)
    if lead:
        return lead
    start = 0
    intro = _INTRO.match(sentence)
    if intro:
        start = intro.end()
    if len(sentence.split()) > 25:
        return None
    for run in _CAP_RUN.finditer(sentence, start):
        # The subject is the first name in the sentence, near its start, and a verb follows.
        if run.start() - start > 40:
            break
        if any(t.lower() in DATE_WORDS for t in run.group(0).split()):
            continue
        if not _COLON_VERB.match(sentence, run.end()):
            continue
        tokens = run.group(0).split()
        while tokens and (tokens[0].lower() in _FUNCTION_WORDS or tokens[0].lower() in TITLE_WORDS):
            tokens = tokens[1:]
        name = _strip_titles(" ".join(tokens))
        if name and name.lower() not in TITLE_WORDS:
            return Attribution(chain=[name], leading=True)
    return None


def is_first_person(text: str) -> bool:
    return bool(_FIRST_PERSON.search(text))


def collect_names(text: str) -> dict[str, str]:
    """Map a surname to the first full name it appears with ("Peskov" -> "Dmitry Peskov")."""
    names: dict[str, str] = {}
    for run in _CAP_RUN.finditer(text):
        tokens = run.group(0).split()
        while tokens and tokens[0].lower() in _FUNCTION_WORDS:
            tokens = tokens[1:]
        tokens = _strip_titles(" ".join(tokens)).split()
        if tokens:
            tokens[-1] = re.sub(r"['’]s$", "", tokens[-1])
        if not 2 <= len(tokens) <= 4 or any(t.endswith(("'s", "’s")) for t in tokens):
            continue
        if any(t.lower() in ORG_WORDS or t.lower() in TITLE_WORDS or t.lower() in _FUNCTION_WORDS for t in tokens):
            continue
        names.setdefault(tokens[-1], " ".join(tokens))
        particle = re.match(rf"{_PARTICLE}-(.+)", tokens[-1])
        if particle:
            names.setdefault(particle.group(1), " ".join(tokens))
    return names
