"""Who "he", "Peskov", "the ministry" and "its chair" are, from what came before.

Claims are visited in the order of the text; each resolved speaker is noted, and later
references resolve to the last compatible one.
"""

from __future__ import annotations

import re

from . import gender
from .gender import Gender
from .lexicon import (
    ABBREVIATED_TITLES,
    CAP_RUN,
    COURTESY,
    DATE_WORDS,
    FUNCTION_WORDS,
    LEADING_ADJECTIVES,
    ORG_WORDS,
    PARTIES,
    SOURCE_NOUNS,
    TITLE_NOUNS,
    TITLE_WORDS,
    US_STATES,
)
from .names import collect_people, is_outlet, is_person_like, strip_titles, title_and_name

# A quotation standing alone continues the last speaker's words.
PREVIOUS_SPEAKER = "\x00previous speaker"
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})

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
_DESCRIBED: dict[str, re.Pattern[str]] = {}
_LOWER_BODY: dict[str, re.Pattern[str]] = {}
# Nouns that describe a body named right after them: "the national pipeline operator
# TalvGas", "the independent daily Nord Posten", "the mining company KazMinerals".
_DESCRIBED_NOUNS = (r"operator|company|agency|regulator|producer|maker|manufacturer|carrier|airline|miner|insurer|"
                    r"lender|bank|group|firm|daily|newspaper|broadcaster|portal|website|channel|outlet|utility|"
                    r"developer|retailer|exporter|importer|supplier|watchdog|union|party|fund|ministry|council|"
                    r"authority|office|service|committee|commission|bureau|court|department|organi[sz]ation")
_DESCRIBED_REF = re.compile(rf"the\s+(?P<before>[a-z]+\s+)?(?P<noun>{_DESCRIBED_NOUNS})", re.I)
# "the ministry", "the port authority": a body by its head noun, with at most one word
# before it that the full name must end with too.
_DEFINITE = re.compile(r"the\s+(?P<before>[a-z]+\s+)?(?P<noun>ministry|agency|company|bank|government|regulator|"
                       r"office|department|service|committee|commission|council|court|police|army|group|firm|"
                       r"authority|party|union|board|bureau|administration|inspectorate|prosecutor's office|"
                       r"corporation|chamber|foundation|association|federation|institute|exchange|"
                       r"directorate|coalition|alliance)", re.I)
# "the ministry's press service": the body's, once the body is known.
_POSSESSED = re.compile(r"(?P<owner>the\s+(?:[a-z]+\s+)?[a-z]+)['’]s\s+(?P<what>[a-z][\w -]{2,40})", re.I)
_TITLE_NOUN = "|".join(sorted(TITLE_NOUNS, key=len, reverse=True))
# "Mira Halvorsen, the Norvian president," names a person by a role.
_APPOSITION = re.compile(
    rf"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){{1,3}}),\s+(?:the|a|an|its|their)\s+"
    rf"(?P<title>(?:[\w'’-]+\s+){{0,3}}?(?i:{_TITLE_NOUN}))\b"
)
# "Republican presidential nominee Donald Trump", "party leader Ana Berg": a role in lower
# case (after an optional capitalised word) before a name.
_LOWER_ROLE = re.compile(
    rf"(?:(?P<adj>[A-Z][\w'’-]+)\s+)?(?P<title>(?:[a-z][\w'’-]*\s+){{0,2}}?(?:{_TITLE_NOUN}))\s+"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2})\b"
)
# Words that make a different office of the same noun: "the president" is not the
# vice president.
_OTHER_OFFICE = frozenset({"vice", "deputy", "assistant", "former", "acting", "associate", "under", "lieutenant",
                           "interim", "ex"})
# A definite description of a person by role: "the president", "the Norvian president".
# "the former secretary of state": the office may run on with "of".
_ROLE = re.compile(rf"the\s+(?P<words>(?:[\w'’-]+\s+){{0,3}}?)(?P<noun>{_TITLE_NOUN})"
                   r"(?P<of>\s+(?:of|for)\s+(?:the\s+)?[A-Za-z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})?", re.I)
# A sentence that opens with a name: "Ekdahl thanked ...", "Oleg Marin told ...".
_SUBJECT = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"”’]\s)|(?<=\n))(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})"
                      r"(?=\s+[a-z]|,)", re.M)
# The same, a role in lower case allowed before the name: "Opposition leader Vikram Solanth
# accused ...", "Party spokesperson Meera Joshal said ...".
_TITLED_SUBJECT = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"”’]\s)|(?<=\n))"
                             rf"(?:[A-Z][\w'’-]+\s+(?:{_TITLE_NOUN})\s+)?"
                             r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})(?=\s+[a-z]|,)", re.M)
_SUBJECT_WINDOW = 300
# The name a claim opens with, after an optional fronted phrase ("At the forum, Clinton …").
# A courtesy title may come before it ("Ms. Ekdahl is promising …").
_CLAIM_OPENER = re.compile(r"(?:[A-Z][^,.;:\"“]{1,40},\s+)?(?:(?:Mr|Mrs|Ms|Miss)\.?\s+)?"
                           r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})(?=\s+[a-z])")
# A person described, not named: "his lawyer", "the country's agriculture minister".
_DESCRIPTION = re.compile(r"(?:the|his|her|their)\s+(?:[a-z][\w'’-]*\s+){0,3}[a-z][\w-]+")
_FULL_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}"
# Owners that say whose a role is, not which role: "the country's agriculture minister".
_OWNERS = frozenset({"country's", "nation's", "state's", "government's", "republic's", "kingdom's",
                     "country’s", "nation’s", "state’s", "government’s", "republic’s", "kingdom’s"})
# How far after a claim a description is looked for a name (about two paragraphs).
_AHEAD = 1200
# How far into a claim a body it names is looked for ("The X Bank kept ..., the bank said").
_IN_CLAIM = 200
# How far back a body named without speaking is looked for.
_BODY_WINDOW = 3000
_ITS_WINDOW = 400
# "the central bank" is what the country's "National Bank" is called too.
_SAME_BODY = {("central", "bank"): "national"}
# "Several of them told Interfax …" after "The bank's clients queued …": a share of the group
# the sentence before opened with.
_SHARE_OF_THEM = re.compile(r"(?P<share>several|some|many|most|two|three|four|five|both|all|one)\s+of\s+them", re.I)
_GROUP_SUBJECT = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?P<group>(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?:[\w'’-]+\s+){0,3}?"
                            r"[a-z]{3,}s)\s+(?:[a-z]+ed|were|are|have|had)\b")
# Reported speech goes on in its tenses: "would", "could", "had been". ("was" and "were" are
# the writer's background as often: PolNeAR dev.)
_BACKSHIFTED = re.compile(r"\b(?:would|could|might|had\s+been)\b")
# The writer's own openings, and first-person words that would be a quotation.
_NOT_CONTINUED = re.compile(r"(?:It|There|This|That|These|Those|He|She|They|We|I|In\s+\d{4}|Last\s+year|"
                            r"Earlier|Meanwhile|However|If|When|Unless)\b|.*\b(?:say|says|said|told|according)\b")
_PAST_BE = re.compile(r"\b(?:was|were)\b")
# Words reported in the past: "Crews had been working …", "She said investigators had not
# yet determined …" (a tag that opens the sentence, then the tense of reported speech).
_REPORTED_PAST = re.compile(r"(?:(?:He|She|They|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})\s+(?:also\s+)?said\s+"
                            r"(?:that\s+)?)?(?!(?:It|There|This|That|These|Those|He|She|They|We|I)\b)"
                            r"(?:(?!\b(?:say|says|said|told)\b)[^,])*?"
                            r"\b(?:had\s+(?:not\s+)?(?:yet\s+)?(?:been|[a-z]+ed|[a-z]+en)|would|could)\b")
_WILL = re.compile(r"\bwill\b")
# A courtesy title just before a surname that opens a sentence.
_COURTESY_BEFORE = re.compile(r"\b(?P<title>Mr|Mrs|Ms|Miss)\.?\s+$")
# How far before and after a claim its tag's courtesy title is looked for.
_TAG_REACH = 150
# How far back (in characters, from claim to claim) "he" or "she" still reaches a speaker or
# a person named with a role: about four paragraphs. On PolNeAR dev the speakers found were
# all within 1,700 characters; further back, "he" is more likely someone new.
_PRONOUN_REACH = 2500
# How far back a woman merely named (not speaking) is looked for, for "she".
_NAMED_REACH = 1500


def _head(text: str, start: int, end: int) -> str:
    """A claim's main clause, roughly: its first words, before any comma."""
    return " ".join(text[start:end].split()[:12]).split(",", 1)[0]


_SENTENCE_CLOSED = re.compile(r"[.!?][\"”’']?\s*$")
# "the 61-year-old", "the 61-year-old former judge": a person by age, just written about.
_AGED = re.compile(r"the\s+\d{1,3}-year-old(?:\s+[a-z][\w'’-]*){0,3}", re.I)
# Nouns any body may be called by, whatever its name's head: "the regulator", "the lender".
_GENERIC_BODY = frozenset({"regulator", "lender", "watchdog", "company", "firm", "group", "operator", "carrier",
                           "insurer", "producer", "agency", "utility", "developer", "exporter", "supplier"})
# A person described, not named, who may be "he" or "she" next: "a senior official of the
# port authority", "a spokesman for the ministry", "his lawyer".
_PERSON_DESCRIBED = re.compile(
    rf"(?:a|an)\s+(?:[\w'’-]+\s+){{0,3}}?(?:official|source|diplomat|officer|lawyer|adviser|advisor|aide|"
    rf"analyst|executive|employee|engineer|{_TITLE_NOUN})"
    r"(?:\s+(?:of|for|at|in|with|from)\s.*)?", re.I)


def _named_body(noun: str) -> re.Pattern[str]:
    """A body named in full with ``noun`` as its head: "the Transport Ministry", "the Ministry
    of Transport"."""
    if noun not in _NAMED_BODY:
        head = noun.capitalize()
        _NAMED_BODY[noun] = re.compile(
            rf"(?:[Tt]he\s+)?(?:(?:[A-Z][\w'’&-]*\s+){{1,4}}{head}\b(?:\s+of(?:\s+(?:the\s+)?[A-Z][\w'’&-]*){{1,3}})?|"
            rf"{head}\s+of(?:\s+(?:the\s+)?[A-Z][\w'’&-]*){{1,4}})")
    return _NAMED_BODY[noun]


def _described(noun: str) -> re.Pattern[str]:
    """``noun`` in lower case before the name it describes: "operator TalvGas", "The heating
    company, Tarazhan Teplo,"."""
    if noun not in _DESCRIBED:
        _DESCRIBED[noun] = re.compile(
            rf"\b{noun}(?:\s+|,\s+(?=[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){{0,3}},))"
            rf"(?P<name>(?!(?:on|in|at|said|says)\b)[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){{0,3}})")
    return _DESCRIBED[noun]


def _lower_body(noun: str) -> re.Pattern[str]:
    """A body described in lower case: "the defense ministry", "the city's construction department",
    "the regional department of the Committee for …"."""
    if noun not in _LOWER_BODY:
        # "the regional department of the Committee for the Regulation of Natural Monopolies":
        # the body it belongs to is part of its name.
        _LOWER_BODY[noun] = re.compile(rf"\b[Tt]he\s+(?:[a-z][\w'’-]*\s+){{1,3}}{noun}\b"
                                       r"(?:\s+of\s+the\s+[A-Z][\w'’-]*(?:\s+(?:(?:of|for|and|on)\s+(?:the\s+)?)?"
                                       r"[A-Z][\w'’-]*)*)?")
    return _LOWER_BODY[noun]


def _last_match(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text, start, end):  # noqa: B007 - the last one is wanted
        pass
    return found


def _age_given(age: str) -> re.Pattern[str]:
    """Where an article gives a person ``age``: "Donald Trump, 70," and "70-year-old (businessman)
    Donald Trump"."""
    return re.compile(rf"\b(?P<name>{_FULL_NAME}|[A-Z][\w'’-]+),\s+{age}(?=[,.;]|\s+(?:and|said|says)\b)|"
                      rf"\b{age}-year-old\s+(?:[a-z][\w'’-]*\s+){{0,3}}?(?P<before>{_FULL_NAME})\b")


def _definite_name(name: str) -> str:
    return name[0].lower() + name[1:] if name.split()[0] in ("The", "the") else name


Titled = tuple[int, frozenset[str], str]  # (offset, words of the title, name)


# "Ostrian Minister of Water and Irrigation Rami Haddadin": an office of several words, then
# the name, which runs to the first word in lower case.
# Case-sensitive, so that only capitals start a try: the regex runs over the whole text.
_OFFICE_NAME = re.compile(
    rf"(?:\b(?P<former>former|then|ex-)\s+)?"
    rf"\b(?P<title>(?:[A-Z][\w'’-]*\s+){{0,2}}(?:{'|'.join(w.capitalize() for w in _TITLE_NOUN.split('|'))}))"
    r"(?P<office>\s+(?:of|for)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’-]*(?:\s+(?:and|&)\s+|,\s+|\s+)){1,5}?)"
    r"(?P<name>[A-Z][\w'’-]+\s+[A-Z][\w'’-]+)(?=\s+[a-z]|[,.;])")
# "Vermont Sen. Bernie Sanders", "Gov. Mike Pence of Indiana", "Sen. Lindsey Graham (R-S.C.)":
# an abbreviated title, with the state (and party) that the copy may describe the person by later.
_ABBREVIATED = re.compile(
    r"(?:(?P<adj>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+)?"
    rf"\b(?P<abbr>{'|'.join(a.capitalize() for a in ABBREVIATED_TITLES)})\.\s+"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+){1,2})"
    r"(?:\s+of\s+(?P<of>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)|\s+\((?:(?P<party>[RDI])-)?(?P<state>[A-Z][\w.]*(?:\s?[A-Z][\w.]*)?)\))?")
_POSSESSIVE = re.compile(r"['’]s?$")
_PARTY_NAMES = frozenset(PARTIES.values())
# A subordinate clause before the main one: "As far as whether …, the senator said".
# Words a description may put before its role and still be precise (an office's words, a
# party, a state): "the former Florida governor", "the GOP nominee".
_DESCRIBING = TITLE_WORDS | frozenset(PARTIES) | frozenset(w for state in US_STATES.values() for w in state.split())
# A candidate for the presidency is its party's nominee in campaign copy.
_SAME_ROLE = {"candidate": "nominee", "challenger": "nominee"}
_SENTENCE_START = re.compile(r"[.!?][\"”’]?\s+|\n")
_FRONTED = re.compile(r"(?:As|When|While|After|Before|Asked|If|Although|Though|Since|Despite|Because)\b")


def _words_of(title: str) -> frozenset[str]:
    """A title's words as descriptions are compared: in lower case, "GOP" as "republican",
    "Sen." as "senator", no article."""
    words = set()
    for word in title.lower().replace("’", "'").split():
        word = ABBREVIATED_TITLES.get(word.rstrip("."), word)
        words.add(PARTIES.get(word, word))
    return frozenset(words - {"the", "a", "an"})


def _role_words(role: re.Match[str], words: list[str]) -> frozenset[str]:
    """What a description of a person by role says: "the former secretary of state" is
    {former, secretary, of, state}."""
    return _words_of(" ".join([*words, role.group("noun"), role.group("of") or ""]))


def _abbreviated_titles(text: str) -> list[Titled]:
    """People named with an abbreviated title: "Vermont Sen. Bernie Sanders" is the Vermont
    senator; "Sen. Lindsey Graham (R-S.C.)" the South Carolina senator and a Republican."""
    found: list[Titled] = []
    for m in _ABBREVIATED.finditer(text):
        words = [ABBREVIATED_TITLES[m.group("abbr").lower()]]
        # "Former Texas Gov. Rick Perry"; not the "But" of "But Sen. Ted Cruz".
        words += [w for w in (m.group("adj") or "").split() if w.lower() not in FUNCTION_WORDS]
        place = m.group("of") or US_STATES.get((m.group("state") or "").lower().replace(" ", ""), "")
        words += place.split()
        if m.group("party"):
            words.append(PARTIES.get(m.group("party").lower(), ""))
        found.append((m.start(), _words_of(" ".join(words)), _POSSESSIVE.sub("", m.group("name"))))
    return found


def collect_titles(text: str) -> list[Titled]:
    """People named with a role, in text order: "Norvian President Mira Halvorsen",
    "Mira Halvorsen, the Norvian president"."""
    found: list[Titled] = []
    for run in CAP_RUN.finditer(text):
        titled = title_and_name(run.group(0))
        if titled and len(titled[1].split()) >= 2:
            found.append((run.start(), _words_of(titled[0]), _POSSESSIVE.sub("", titled[1])))
    for m in _LOWER_ROLE.finditer(text):
        name = strip_titles(m.group("name"))
        if len(name.split()) >= 2 and m.group("name").split()[0].lower() not in FUNCTION_WORDS:
            found.append((m.start(), _words_of(f"{m.group('adj') or ''} {m.group('title')}"), _POSSESSIVE.sub("", name)))
    for m in _OFFICE_NAME.finditer(text):
        # "former Secretary of State Hillary Clinton": the office is "former secretary of state".
        office = f"{m.group('former') or ''} {m.group('title')} {m.group('office')}".replace(",", " ")
        found.append((m.start(), _words_of(office), m.group("name")))
    for m in _APPOSITION.finditer(text):
        name = m.group("name")
        if name.split()[0].lower() not in ("the", "a", "an") and len(name.split()) >= 2:
            found.append((m.start(), _words_of(m.group("title")), name))
    found += _abbreviated_titles(text)
    found.sort()
    return found


class Speakers:
    """Who has spoken so far, to resolve "he said", "Peskov added" and "the ministry said"."""

    def __init__(self, names: dict[str, str], titles: list[Titled] | None = None) -> None:
        self.names = names
        self.titles = titles or []
        self.last_person: str | None = None
        # Every person who spoke, with where: "she" is the last woman (or person of unknown
        # gender) within reach, not the last person.
        self.people: list[tuple[int, str]] = []
        self.at = 0
        self.end = 0
        self._read: str | None = None
        self._people: dict[str, list[str]] | None = None
        self._courtesy: dict[str, set[Gender]] = {}
        self.last_any: str | None = None
        self.last_chain: list[str] = []
        self.seen: list[str] = []
        # "the regulator" once it stood for "the National Bank of Drevlia".
        self.aliases: dict[str, str] = {}
        # The claim read last: where it ended and whose it was.
        self.prev_start = self.prev_end = -1
        self.prev_chain: list[str] = []
        # The last speaker a tag described ("the Indiana governor"), with the name it resolved to.
        self.described: tuple[str, str] | None = None
        # The description to show as the role of the claim resolved last ("the Indiana governor"
        # for Mike Pence), whether its own tag described him or it goes on from one that did.
        self.role: str | None = None

    def resolve(self, chain: list[str], text: str = "", start: int = 0, end: int = 0) -> list[str]:
        self.at, self.end = start, end
        self._know(text)
        resolved = self._resolve(chain, text, start, end)
        if chain and resolved and chain[-1] != PREVIOUS_SPEAKER:
            # "The Indiana governor said …" resolved to Mike Pence: the quotations that go on
            # without a tag are his too, with the same role.
            described = chain[-1] != resolved[-1] and chain[-1][:4].lower() == "the "
            self.described = (resolved[-1], chain[-1]) if described else None
        self.role = self.described[1] if self.described and resolved and resolved[-1] == self.described[0] else None
        if end > start:
            self.prev_start, self.prev_end, self.prev_chain = start, end, resolved
        return resolved

    def _continued(self, text: str, start: int, end: int) -> list[str]:
        """"Crews had been working 20-hour shifts, he said. Many of the trucks were over 25
        years old.": a sentence in reported speech's tenses, with no tag of its own, right
        after a tagged one in the same paragraph, goes on with that speaker's words."""
        if not (text and self.prev_chain and 0 <= self.prev_end <= start):
            return []
        gap = text[self.prev_end:start]
        if "\n" in gap or "\r" in gap or len(gap) > 120 or not _SENTENCE_CLOSED.search(text[self.prev_end - 1:start]):
            return []
        # The main clause's verb: in its first words, before any comma ("Still, the study
        # suggests …" opens with the writer's own words).
        head = _head(text, start, end)
        if _NOT_CONTINUED.match(head) or len(head.split()) < 4:
            return []
        before = _head(text, self.prev_start, self.prev_end)
        # The tense the speaker's words were put in goes on: "would", "had been", then "were"
        # too; "will" after "will".
        if not (_BACKSHIFTED.search(head) or (_PAST_BE.search(head) and _REPORTED_PAST.match(before))
                or (_WILL.search(before) and _WILL.search(head))):
            return []
        return list(self.prev_chain)

    def _resolve(self, chain: list[str], text: str, start: int, end: int) -> list[str]:
        if not chain:
            return self._continued(text, start, end)
        if chain == [PREVIOUS_SPEAKER]:
            # The speaker goes on, through the same relay ("“A,” Saar told The Associated
            # Press. “B.”": B too reached the page through the AP).
            if self.last_chain and self.last_chain[-1] == self.last_any:
                return list(self.last_chain)
            return [self.last_any] if self.last_any else []
        return [self._its(who, text, start, end) if who.startswith("its ") else self._one(who, text, start)
                for who in chain]

    def _its(self, who: str, text: str, start: int, end: int) -> str:
        """"its chair" after "The council voted ..." is the council's chair: the body is the
        subject of the claim, or else the last one named before it."""
        found = _BODY.search(text, start, min(end, start + 80))
        if found is None:
            found = _last_match(_BODY, text, max(0, start - _ITS_WINDOW), start)
            # "Neighbouring Brenmark denied it. Its foreign ministry said ...": a country or
            # company opening a later sentence is nearer than a body named before it.
            subject = self._thing_before(text, start)
            if subject is not None and (found is None or subject[0] > found.start()):
                return subject[1] + ("'" if subject[1].endswith("s") else "'s") + who[3:]
        if found is None:
            return who
        body = self._one(_definite_name(found.group(0)))
        return body + ("'" if body.endswith("s") else "'s") + who[3:]

    def _thing_before(self, text: str, start: int) -> tuple[int, str] | None:
        """The last sentence opening within reach that names a thing, not a person."""
        thing = None
        for found in _SUBJECT.finditer(text, max(0, start - _ITS_WINDOW), start):
            tokens = found.group("name").split()
            while tokens and tokens[0].lower() in LEADING_ADJECTIVES:
                tokens = tokens[1:]
            name = " ".join(tokens)
            if (not tokens or tokens[0].lower() in FUNCTION_WORDS or tokens[0].lower() in TITLE_WORDS
                    or SOURCE_NOUNS.fullmatch(tokens[0]) or name in self.names.values()
                    or tokens[-1] in self.names):
                continue
            thing = (found.start(), name)
        return thing

    def _body(self, head: re.Match[str], low: str, text: str, start: int) -> str | None:
        """"the ministry" after "the Emergency Situations Ministry said"; "the port
        authority" after "the Karven port authority"."""
        noun = head.group("noun").lower()
        before = (head.group("before") or "").strip().lower()
        described = self._described_at(noun, text, start)
        for earlier in reversed(self.seen[-50:]):
            # "the Ministry of Transport" is a ministry too.
            words = earlier.lower().split(" of ", 1)[0].split()
            if (words and words[-1] == noun and (not before or words[-2:-1] == [before]
                                                 or words[-2:-1] == [_SAME_BODY.get((before, noun))])
                    and earlier.lower() != low and "'" not in earlier):
                if described and described[0] > text.rfind(earlier, 0, start) >= 0:
                    # "the state news agency KUNA" was named after Interfax last spoke.
                    return described[1]
                return earlier
        if described:
            return described[1]
        if text and not before:
            # Named without speaking, before the claim or in it: "The Ministry of
            # Transport opened ...", "The Lindmark Central Bank kept ..., the bank said".
            found = _last_match(_named_body(noun), text, max(0, start - _BODY_WINDOW), start + _IN_CLAIM)
            if found:
                name = found.group(0)
                return name[0].lower() + name[1:] if name.startswith("The ") else name
            # Or only described: "... by the defense ministry. The ministry has said ...".
            found = _last_match(_lower_body(noun), text, max(0, start - _BODY_WINDOW), start)
            if found:
                return found.group(0)[0].lower() + found.group(0)[1:]
        return None

    def _described_body(self, noun: str, text: str, start: int) -> str | None:
        """"the operator" after "the national pipeline operator TalvGas"; not "the bank"
        after "the central bank Governor Ingrid Solberg"."""
        found = self._described_at(noun, text, start)
        return found[1] if found else None

    def _described_at(self, noun: str, text: str, start: int) -> tuple[int, str] | None:
        if not text:
            return None
        found = _last_match(_described(noun), text, max(0, start - _BODY_WINDOW), start)
        if found is None:
            return None
        name = found.group("name")
        apposed = text[found.start("name") - 2] == ","  # "the heating company, Tarazhan Teplo,"
        if name.split()[0].lower() in TITLE_WORDS or (name in self.names.values() and not apposed):
            return None
        return found.start(), name

    def _one(self, who: str, text: str = "", start: int = 0) -> str:
        low = who.lower()
        if low in ("he", "she", "i"):
            # The person a sentence just before opened with, the last person who spoke,
            # or else the last person named with a role.
            return self._pronoun(low, text, start) or who
        if low in PRONOUNS:
            return self.last_any or who
        full = self._full_name(who, self._courtesy_at(who, text)) if " " not in who else None
        if full:
            return full
        by_context = self._by_context(who, text, start)
        if by_context:
            return by_context
        head = _DEFINITE.fullmatch(who)
        if head:
            return self._definite(head, low, text, start) or who
        possessed = _POSSESSED.fullmatch(who)
        if possessed and _DEFINITE.fullmatch(possessed.group("owner")):
            owner = self._one(possessed.group("owner"), text, start)
            if owner.lower() != possessed.group("owner").lower():
                return f"{owner}'s {possessed.group('what')}"
        described = _DESCRIBED_REF.fullmatch(who)
        if described:
            return self._remembered(low, self._described_body(described.group("noun").lower(), text, start)
                                    or self.aliases.get(low) or self._claim_body(low, text, start)) or who
        role = _ROLE.fullmatch(who)
        if role:
            person = self._person(role, start) or self._described_person(role, text, start)
            if person:
                return person
        if _DESCRIPTION.fullmatch(who):
            # "his lawyer said" in the lede, "his lawyer, Irena Saar, told ..." later.
            return self._apposed(who, text, start) or self._titled_after(role, start) or who
        return who

    def _by_context(self, who: str, text: str, start: int) -> str | None:
        """People described by what was just written: "the 61-year-old former judge" is the
        person just named; "several of them" a share of the group the sentence before opened
        with ("The bank's clients queued …")."""
        if _AGED.fullmatch(who):
            return self._given_age(who, text, start) or self._last_mentioned(text, start) or self.last_person
        share = _SHARE_OF_THEM.fullmatch(who)
        if share is None:
            return None
        group = _last_match(_GROUP_SUBJECT, text, max(0, start - _ITS_WINDOW), start)
        if group is None:
            return None
        g = group.group("group")
        return f"{share.group('share').capitalize()} of {g[0].lower() + g[1:]}"

    def _given_age(self, who: str, text: str, start: int) -> str | None:
        """"the 70-year-old billionaire": the person the article gave that age before ("Donald
        Trump, 70,", "70-year-old Donald Trump"), the latest of them."""
        age = re.search(r"\d{1,3}", who)
        if age is None or not text:
            return None
        person = None
        for m in _age_given(age.group(0)).finditer(text, 0, start):
            name = m.group("name") or m.group("before")
            # "Republican Donald Trump, 70,": the article's name for the person, not the words before it.
            full = self.names.get(name.split()[-1]) or name
            if " " in full and is_person_like(full):
                person = full
        return person

    def _definite(self, head: re.Match[str], low: str, text: str, start: int) -> str | None:
        """"the ministry", "the regulator": a body named before, or the one the claim opens
        with; once found, the same words stand for it further on."""
        return self._remembered(low, self._body(head, low, text, start) or self.aliases.get(low)
                                or self._claim_body(low, text, start))

    def _remembered(self, low: str, body: str | None) -> str | None:
        """Once "the regulator" stood for a body, it stands for it further on."""
        if body:
            self.aliases[low] = body
        return body

    def _claim_body(self, low: str, text: str, start: int) -> str | None:
        """"The National Bank of Drevlia has revoked …, the regulator said": a body's generic
        noun, no body of that head in sight, is the named body the claim opens with."""
        if not text or low.split()[-1] not in _GENERIC_BODY:
            return None
        found = _BODY.match(text, start, start + _IN_CLAIM)
        if found is None or not any(w[:1].isupper() for w in found.group(0).split()[1:]):
            return None
        return _definite_name(found.group(0))

    def _last_mentioned(self, text: str, start: int) -> str | None:
        """The known person whose name (or surname) stands last before ``start``."""
        best, person = -1, None
        window = text[max(0, start - _SUBJECT_WINDOW * 2):start]
        for surname, full in self.names.items():
            for m in re.finditer(rf"\b{re.escape(surname)}\b", window):
                if m.start() > best:
                    best, person = m.start(), full
        return person

    def _know(self, text: str) -> None:
        """Read once per text: every full name by surname, and the courtesy titles each
        surname is given ("Mrs. Clinton")."""
        if text is self._read:
            return
        self._read = text
        self._people = None
        self._courtesy = {}
        for m in COURTESY.finditer(text):
            title = gender.of_honorific(m.group("title"))
            if title:
                self._courtesy.setdefault(m.group("surname"), set()).add(title)

    def _full_names(self, surname: str) -> list[str]:
        """Every full name with ``surname`` in the text, read when first asked (rarely)."""
        if self._people is None:
            self._people = collect_people(self._read) if self._read else {}
        return self._people.get(surname, [])

    def _gender(self, person: str) -> Gender | None:
        """A man's or a woman's, by the name's own words, else by the one courtesy title the
        article gives the surname, when the surname is one person's."""
        found = gender.of_name(person)
        if found or not person[:1].isupper():
            return found
        surname = person.split()[-1]
        titles = self._courtesy.get(surname, set())
        return next(iter(titles)) if len(titles) == 1 and len(self._full_names(surname)) <= 1 else None

    def _courtesy_at(self, surname: str, text: str) -> Gender | None:
        """The gender of the courtesy title the claim's tag gives ``surname`` ("…," Mr. Obama
        said): the title nearest the claim, in it or beside it."""
        if not text or not surname[:1].isupper():
            return None
        found = [m for m in COURTESY.finditer(text, max(0, self.at - _TAG_REACH), self.end + _TAG_REACH)
                 if m.group("surname") == surname]
        nearest = min(found, key=lambda m: max(0, self.at - m.end(), m.start() - self.end), default=None)
        return gender.of_honorific(nearest.group("title")) if nearest else None

    def _full_name(self, word: str, want: Gender | None = None) -> str | None:
        """The full name a surname stands for, of the gender the tag's courtesy title says
        ("Mr. Obama" is not the Michelle Obama named first; with no man of that surname named
        in full, the surname alone); or a given name, as Malay, Indonesian and Thai copy goes
        on by it ("According to Razif, ..."), when one full name opens with it."""
        if word in self.names:
            full = self.names[word]
            if gender.agrees(self._gender(full), want):
                return full
            agreeing = [f for f in self._full_names(word) if gender.agrees(self._gender(f), want)]
            return agreeing[0] if agreeing else word
        if not word[:1].isupper():
            return None
        given = {full for full in self.names.values() if full.split()[0] == word and " " in full}
        return given.pop() if len(given) == 1 else None

    def _named(self, name: str, text: str, at: int) -> str | None:
        """The known person a sentence opens with: a full name the article uses, or a surname
        ("Ekdahl", "Mr. Obama": the courtesy title just before ``at`` chooses among people of
        that surname)."""
        surname = name.split()[-1]
        if surname not in self.names:
            return None  # the names of the text's sentences: a dateline's city is none
        if " " in name:
            return name if name == self.names[surname] or name in self._full_names(surname) else None
        title = _COURTESY_BEFORE.search(text, max(0, at - 6), at)
        return self._full_name(surname, gender.of_honorific(title.group("title")) if title else None)

    def _pronoun(self, low: str, text: str, start: int) -> str | None:
        """"he", "she" or "I": the person a sentence just before opened with, the last person
        who spoke, or else the last person named with a role; of the pronoun's gender when
        the name shows one, and the speaker within reach."""
        want = gender.of_pronoun(low)
        return (self._claim_opener(text, start, want) or self._subject_before(text, start, want)
                or self._surname_just_before(text, start, want)
                or self._last_person(start, want) or self._latest_titled(start, want)
                or self._last_named(text, start, want))

    def _surname_just_before(self, text: str, start: int, want: Gender | None) -> str | None:
        """"“…,” Obama said after meeting Putin. He didn't suggest retaliation.": the claim
        just before, in the same paragraph, was tagged with a surname the article never gives
        in full; "he" is that person, not the last person named in full."""
        if not (text and self.prev_chain and 0 <= self.prev_end <= start):
            return None
        gap = text[self.prev_end:start]
        if "\n" in gap or len(gap) > _SUBJECT_WINDOW:
            return None
        who = self.prev_chain[-1]
        if (" " in who or not who[:1].isupper() or who.isupper() or who.lower() in PRONOUNS
                or who.lower() in ORG_WORDS or is_outlet(who) or not self._agrees(who, want)):
            return None
        return who

    def _agrees(self, person: str | None, want: Gender | None) -> bool:
        return person is not None and gender.agrees(self._gender(person), want)

    def _last_named(self, text: str, start: int, want: Gender | None) -> str | None:
        """"She" when no woman spoke within reach: the last known person named in the lines
        before whose name says she is a woman (a gender of the name's own, not merely one that
        does not clash). Not for "he": men are named too often in political copy for the last
        one to be the speaker (PolNeAR dev: the one "he" it reached was someone else)."""
        if want != "f" or not text:
            return None
        best, person = -1, None
        window = text[max(0, start - _NAMED_REACH):start]
        for surname in self.names:
            if " " in surname or not surname[:1].isupper():
                continue
            for m in re.finditer(rf"\b{re.escape(surname)}\b", window):
                named = self._named(surname, window, m.start())
                if m.start() > best and named and self._gender(named) == want:
                    best, person = m.start(), named
        return person

    def _last_person(self, start: int, want: Gender | None) -> str | None:
        for at, person in reversed(self.people):
            if start - at > _PRONOUN_REACH:
                break
            if self._agrees(person, want):
                return person
        return None

    def _apposed(self, who: str, text: str, start: int) -> str | None:
        """The name set beside the same description elsewhere in the article ("his lawyer,
        Irena Saar," / "Irena Saar, his lawyer,"), the nearest before the claim, else the
        first after it."""
        if not text:
            return None
        words = r"\s+".join(re.escape(w) for w in who.split())
        pattern = re.compile(rf"(?i:{words}),\s+(?P<a>{_FULL_NAME})(?=[,.])|(?P<b>{_FULL_NAME}),\s+(?i:{words})\b")
        before = _last_match(pattern, text, max(0, start - _BODY_WINDOW), start)
        found = before or pattern.search(text, start, start + _AHEAD)
        if found is None:
            return None
        name = found.group("a") or found.group("b")
        return None if name.split()[0].lower() in FUNCTION_WORDS else name

    def _titled_after(self, role: re.Match[str] | None, start: int) -> str | None:
        """"the country's agriculture minister said" in the lede, "Agriculture Minister Selin
        Aydar" in the next paragraph: a description precise enough (a word beside the role's
        noun) names the first person given that title after it."""
        if role is None:
            return None
        words = [w for w in role.group("words").split() if w.lower() not in _OWNERS]
        if not words:
            return None
        wanted = _role_words(role, words)
        for offset, title, name in self.titles:
            if start < offset < start + _AHEAD and wanted <= title and not (title - wanted) & _OTHER_OFFICE:
                return name
        return None

    def _subject_before(self, text: str, start: int, want: Gender | None = None) -> str | None:
        """"Ekdahl thanked voters. He promised ...": the name that opens the sentence
        before ``start`` (within a few lines), if it is a known person's of the gender wanted."""
        if not text:
            return None
        # The last opening that is a known person's name: "In a video ..." opens with no one.
        person = None
        for found in _TITLED_SUBJECT.finditer(text, max(0, start - _SUBJECT_WINDOW), start):
            named = self._named(found.group("name"), text, found.start())
            if self._agrees(named, want):
                person = named
        return person

    def _claim_opener(self, text: str, start: int, want: Gender | None = None) -> str | None:
        """"Trump is promising lower taxes, but he has also said …": a pronoun tag later in a
        claim whose sentence opens with a known person's name is that person."""
        if not text or (start and text[start - 1] in "\"“‘'"):
            return None  # a quotation's words open no sentence of the writer's
        found = _CLAIM_OPENER.match(text, start)
        if found is None:
            return None
        named = self._named(found.group("name"), text, found.start("name"))
        return named if self._agrees(named, want) else None

    def _latest_titled(self, start: int, want: Gender | None = None) -> str | None:
        for offset, _, name in reversed(self.titles):
            if start - offset > _PRONOUN_REACH:
                break
            if offset < start and self._agrees(name, want):
                return name
        return None

    def _person(self, role: re.Match[str], start: int) -> str | None:
        """"the Norvian president" after "Norvian President Mira Halvorsen": the latest
        person named before ``start`` whose title has the role's noun and its other words."""
        words = [w for w in role.group("words").split() if w.lower() not in _OWNERS]
        wanted = _role_words(role, words)
        found = self._titled_with(wanted, start)
        # "the Norvian fisheries minister" after "Fisheries Minister Leni Haugvik": a
        # country's adjective may be left out of the title (a party's may not).
        plain = wanted - {w.lower() for w in words if w[:1].isupper() and w.lower() not in PARTIES}
        return found or (self._titled_with(plain, start) if plain != wanted else None)

    def _described_person(self, role: re.Match[str], text: str, start: int) -> str | None:
        """"Mike Pence says … The Indiana governor said …": a description precise enough (a
        word beside the role's noun) that no title in the article matches stands for the
        person the sentence before opened with, else the last who spoke, as "he" would; not a
        person the description rules out (another party, the other sex, a vice president for
        "the president")."""
        words = [w for w in role.group("words").split() if w.lower() not in _OWNERS]
        if not words or not text or not all(w.lower() in _DESCRIBING for w in words):
            return None  # "the band leader", "the Christian leader": another role than a leader's
        wanted = _role_words(role, words)
        want = gender.of_name(role.group(0))

        def fits(person: str | None) -> bool:
            return self._agrees(person, want) and person is not None and self._may_be(person, wanted)

        described = re.search(re.escape(role.group(0)), text[start:start + _IN_CLAIM], re.I)
        at = start + described.start() if described else start
        mentioned = self._mentioned_before(text, at)
        # A clause fronted before the tag names its subject first ("As far as whether Sanders
        # still senses hatred of Clinton …, the Vermont senator acknowledged"); the words
        # before a trailing tag are what was said, not who said it.
        fronted = _FRONTED.match(text, start) is not None
        in_claim = [person for offset, person in mentioned if offset >= start] if fronted else []
        # Then the person a sentence just before opened with ("Mike Pence says too much is made
        # of Donald Trump’s tweets. … The Indiana governor said …"), the first person the
        # sentence before names ("On Thursday Hillary Clinton spoke … Donald Trump …. “…,” said
        # the Democratic nominee."), the last person named before the claim ("… a problem with
        # Donald Trump’s microphone. … The GOP nominee complained").
        back = start
        while back > 0 and text[back - 1] in " \t\r\n\"“‘'":
            back -= 1  # the quotation marks and the break that open the claim
        opened = _last_match(_SENTENCE_START, text, max(0, back - _SUBJECT_WINDOW), max(0, back - 1))
        sentence = opened.end() if opened else max(0, back - _SUBJECT_WINDOW)
        before = [(offset, person) for offset, person in mentioned if offset < start]
        first = [person for offset, person in before[::-1] if offset >= sentence]
        candidates = [*in_claim[::-1], self._subject_before(text, start), *first, *(person for _, person in before)]
        return next((person for person in candidates if fits(person)), None)

    def _mentioned_before(self, text: str, at: int) -> list[tuple[int, str]]:
        """The known people named in the lines before ``at``, with where, the nearest first."""
        origin = max(0, at - _SUBJECT_WINDOW * 2)
        window = text[origin:at]
        found: list[tuple[int, str]] = []
        for surname in self.names:
            if (" " in surname or not surname[:1].isupper() or surname.lower() in _DESCRIBING
                    or surname.lower() in DATE_WORDS):
                continue  # "Republican" is no one's surname, whatever "Kent County Republican" is
            for m in re.finditer(rf"\b{re.escape(surname)}\b", window):
                named = self._named(surname, window, m.start())
                if named and " " in named and is_person_like(named):
                    found.append((origin + m.start(), named))
        return sorted(found, reverse=True)

    def _may_be(self, person: str, wanted: frozenset[str]) -> bool:
        """Whether what the article calls ``person`` elsewhere allows the description: no
        title of theirs names another party, or the described office with a word that makes
        it another ("vice presidential nominee" is not "the presidential nominee")."""
        titles = [title for _, title, name in self.titles if name == person]
        parties = {w for title in titles for w in title if w in _PARTY_NAMES}
        if parties and (wanted & _PARTY_NAMES) - parties:
            return False
        nouns = {_SAME_ROLE.get(w, w) for w in wanted & TITLE_NOUNS}
        same_office = [title for title in titles if nouns & {_SAME_ROLE.get(w, w) for w in title}]
        if titles and not same_office:
            return False  # "the former governor" is not the man titled a senator
        return any(not (title - wanted) & _OTHER_OFFICE for title in same_office) if same_office else True

    def _titled_with(self, wanted: frozenset[str], start: int) -> str | None:
        for offset, title, name in reversed(self.titles):
            if offset < start and wanted <= title and not (title - wanted) & _OTHER_OFFICE:
                return name
        return None

    def note(self, chain: list[str]) -> None:
        """Record who spoke. "He" later means the subject of the tag: the first person in
        the chain ("Marin told Trend that Aliyeva had said": Marin), outlets aside."""
        person = None
        if chain:
            self.last_chain = list(chain)
        for who in chain:
            if who.lower() in PRONOUNS:
                continue
            self.last_any = who
            self.seen.append(who)
            tokens = who.split()
            if (person is None and len(tokens) >= 2 and who[0].isupper() and all(t[0].isupper() for t in tokens)
                    and tokens[-1].lower() not in ORG_WORDS and not is_outlet(who)):
                person = who
            elif person is None and len(tokens) == 1 and who in self._courtesy:
                # "Obama" where the article says "Mr. Obama" but never names him in full.
                person = who
        if person is None and chain and _PERSON_DESCRIBED.fullmatch(chain[-1]) \
                and not any(w[:1].isupper() for w in chain[-1].split()[:3] if w.lower() not in FUNCTION_WORDS):
            # "a senior official of the port authority told Xinhua …. He said …": the official.
            person = chain[-1]
        if person is not None:
            self.last_person = person
            self.people.append((self.at, person))
