"""Names and descriptions of who speaks.

A source phrase taken from a tag ("Kremlin spokesman Dmitry Peskov", "a statement from
the Trade Ministry", "two shipping agents") is reduced here to the name or description
a desk shows as the claimant. Titles are dropped from names; descriptions keep their
wording.
"""

from __future__ import annotations

import itertools
import re

from . import gender
from .lexicon import (
    CAP_RUN,
    COURTESY,
    DATE_WORDS,
    DETERMINER,
    DOCUMENTS,
    FIRST_PERSON,
    FUNCTION_WORDS,
    LEADING_ADJECTIVES,
    NEWS_OUTLETS,
    NOT_A_HEAD,
    NOT_A_LAST_WORD,
    NOT_IN_SOURCE,
    NOT_SOURCE_START,
    NP_OPENERS,
    ORG_WORDS,
    PAREN,
    PARTICLE,
    POSSESSIVE_DET,
    PREPOSITION,
    PRONOUNS_LOWER,
    RELATIVE,
    SOURCE_NOUNS,
    TITLE_NOUNS,
    TITLE_WORDS,
    VERB_LIKE,
    is_pronoun,
)

_OWNED_DOCUMENT = re.compile(rf"(?P<who>.+?)['’]s?\s+(?:\w+\s+){{0,2}}(?:{DOCUMENTS})", re.I)
_STATEMENT_OF = re.compile(
    r"(?:(?:a|an|the)\s+)?(?:\w+\s+)?(?:data|figures|estimates?|survey|study|poll|analysis|statement|report|release|post|letter|document|note|notice|filing|tweet|"
    r"communique|communiqué|announcement|readout)\s+(?:from|by|of|issued by|published by|released by)\s+(?P<who>.+)",
    re.I,
)
# "Chinese customs data", "Eurostat figures", "central bank data": the body whose figures
# they are (a name, or a body's head noun in lower case).
_NAMED_DATA = re.compile(r"(?:the\s+)?(?P<who>[A-Z][\w'’&.-]*(?:\s+[\w'’&.-]+){0,3}?|"
                         r"(?:[a-z][\w'’&-]*\s+){0,2}(?:bank|ministry|office|agency|service|customs|bureau|"
                         r"department|authority|fund|government|commission|committee|company|firm|operator|corporation))\s+"
                         r"(?:data|figures|statistics|estimates)")
_TRAILING_TIME = re.compile(
    r"\s+(?:(?:on|last|this|late|early|earlier)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"yesterday|today|tonight)(?:\s+(?:morning|afternoon|evening|night))?$")
# The start of a verb phrase or a setting after the subject, read into it by a tag whose
# verb comes later: "Pence went on to (say)", "The U.S. media has (always claimed)", "One
# reader even (noted)", "The committee this week (announced)", "Trump in his speech (said)",
# "Another source speaking to Fox News (said)".
_TRAILING_NOT_SOURCE = re.compile(
    r"\s+(?:went\s+on\s+to|goes\s+on\s+to|has|have|had|even|further|(?:this|last|next)\s+(?:week|month|year)|"
    r"in\s+(?:his|her|their|its|a|an)\s+(?:speech|statement|interview|remarks|letter|post|tweet|column|op-ed)|"
    r"(?:speaking|writing|talking)\s+(?:to|in|on|with)\s+[^,]+|"
    # "A Harlow poll released in late August (found …)": when a study came out is not its name.
    r"(?:released|published|conducted|issued|taken)\s+(?:in|on|last|this|earlier|late|early)\b[^,]*)$")
# The writer's words before a dash, read into the source: "… is predictable - Donald J. Trump".
_BEFORE_DASH = re.compile(r"^.*\s[-–—―]\s+(?=[A-Z])")
_DOTTED = re.compile(r"(?P<det>[Tt]he\s+)?(?P<abbr>(?:[A-Z]\.){2,}(?:[A-Z]\b)?)")
# Capitalised words that show a run of capitals is a headline, not a name.
_HEADLINE_WORDS = frozenset({"against", "about", "over", "under", "after", "before", "into", "onto", "upon", "without",
                             "within", "between", "among", "through", "says", "said", "will", "could", "would"})
_BARE_GROUP = re.compile(r"[a-z]{3,}(?:ers|ors|ists|ians|ents|ants|s)$")


_BEFORE_NAME = re.compile(r"\s(?:from|at|of|with|in)\s+(?:the\s+)?$")
_NUMBERED = re.compile(r"\s\d{1,3}$")
_OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they"}


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def _unwrap(raw: str) -> str | None:
    """The phrase without quotes, brackets, and the document it was said in ("a statement
    from the ministry" is the ministry's); None when empty or too long for a source."""
    src = raw.strip(" ,.;:\"'“”‘’")
    src = PAREN.sub("", src).strip()
    if not src or len(src) > 160:
        return None
    statement = _STATEMENT_OF.match(src) or _OWNED_DOCUMENT.match(src)
    if statement:
        return statement.group("who").strip()
    data = _NAMED_DATA.fullmatch(src)
    if data:
        # "central bank data" is the central bank's.
        who = data.group("who").strip()
        return who if who[0].isupper() else f"the {who}"
    return src


def _lowercase_speaker_ok(src: str, words: list[str]) -> bool:
    """A phrase opening in lower case speaks only as a description ("the ministry",
    "its chair", "rescue workers")."""
    first = words[0]
    if (DETERMINER.match(src + " ") or SOURCE_NOUNS.search(src)
            or (first in NP_OPENERS and len(words) >= 2) or ends_in_name(src)):
        return True
    # A bare plural group ("local engineers", "rescue workers") can speak too.
    return len(words) <= 4 and bool(_BARE_GROUP.search(src))


def _name_in_phrase(src: str, words: list[str]) -> str | None:
    """The name a described source ends with ("Kremlin spokesman Dmitry Peskov", "the
    state news agency Kazinform"), or the body a name-of-name phrase is."""
    runs = list(CAP_RUN.finditer(src))
    if not runs:
        return None
    office = _office_then_name(src, words)
    if office:
        return office
    first = runs[0]
    if (first.start() == 0 and len(runs) == 2 and src[first.end():runs[1].start()] == " of "
            and runs[1].end() == len(src) and first.group(0).split()[-1].lower() in ORG_WORDS):
        # "The Ministry of Transport", "Bank of Finland": one name.
        return _lower_first(src) if words[0].lower() == "the" else src
    if first.start() == 0 and len(runs) > 1 and re.match(r"\s+(?:for|of|at|from|with)\s", src[first.end():]):
        # "Cameron Easley for Morning Consult": the writer speaks, not the outlet.
        head = strip_titles(first.group(0))
        if (head.lower() not in TITLE_WORDS and not all(_title_word(t) for t in head.split())
                and not SOURCE_NOUNS.fullmatch(head)):
            return head
    last = runs[-1]
    if (len(runs) > 1 and not DETERMINER.match(src) and SOURCE_NOUNS.search(src[:last.start()])
            and _BEFORE_NAME.search(src[:last.start()])):
        # "Election observers from the OSCE", "Analysts at Goldman Sachs": people described
        # by where they are from, not the body itself.
        return None
    number = _NUMBERED.search(src)
    if number and number.start() == last.end() and len(words) > 2:
        # "local broadcaster Kanal 7": a numbered channel's name.
        return f"{strip_titles(last.group(0))}{number.group(0)}"
    if last.end() != len(src) or (len(words) == 1 and SOURCE_NOUNS.fullmatch(words[0])):
        return None
    determined = bool(DETERMINER.match(src)) or words[0].lower() in NP_OPENERS
    if determined:
        # "the state news agency Kazinform" names the agency; "a source at the Finance
        # Ministry" does not name the source.
        between = src[len(src.split(None, 1)[0]):last.start()]
        if not between.strip():
            return None
        if PREPOSITION.search(between) and not _apposed_name(between, last.group(0)):
            return None
    return strip_titles(last.group(0)) or None


def _title_word(token: str) -> bool:
    """"Minister", and the compounds "Secretary-General", "Director-General"."""
    low = token.lower()
    return low in TITLE_WORDS or ("-" in low and all(part in TITLE_WORDS for part in low.split("-")))


def _office_then_name(src: str, words: list[str]) -> str | None:
    """"Speaker of Parliament Amira Saleh": the office, then the name."""
    # "Ostrian Minister of Water and Irrigation Rami Haddadin": a country's adjective may
    # come before the office.
    lead = 1 if (len(words) > 4 and words[0][:1].isupper() and words[0].lower() not in FUNCTION_WORDS
                 and words[0].lower() not in NP_OPENERS and words[1].lower() in TITLE_NOUNS) else 0
    if len(words) > 3 + lead and words[lead].lower() in TITLE_NOUNS and words[lead + 1] in ("of", "for"):
        name = strip_titles(" ".join(words[lead:]))
        if name != src and is_person_like(name):
            return name
    return None


def _apposed_name(before: str, run: str) -> bool:
    """"the head of the regional health department Gulnar Seitova": a person's name right
    after the noun of a description; "a source at the Finance Ministry" names no one,
    and in "a spokesman for Senator Ida Berg" the name is not the speaker's."""
    tokens = run.split()
    last_word = before.split()[-1] if before.split() else ""
    return (len(tokens) >= 2 and last_word.islower() and not PREPOSITION.fullmatch(last_word)
            and last_word not in FUNCTION_WORDS and not any(t.lower() in ORG_WORDS or t.lower() in TITLE_WORDS
                                                            for t in tokens))


def clean_source(raw: str) -> str | None:
    """Reduce a source phrase to the name of who speaks, or None if it is not a source."""
    dotted = _DOTTED.fullmatch(raw.strip(" ,;:"))
    if dotted:
        # "The S.E.C.", "the F.B.I.": a body known by its initials, full stops and all.
        return f"the {dotted.group('abbr')}" if dotted.group("det") else dotted.group("abbr")
    src = _unwrap(raw)
    if not src:
        return None
    # "David Axelrod on Wednesday", "The Times on Saturday": the time is not the source.
    src = _TRAILING_TIME.sub("", src) or src
    src = _TRAILING_ADVERB.sub("", src) or src
    src = _TRAILING_NOT_SOURCE.sub("", src) or src
    after_dash = _BEFORE_DASH.sub("", src)
    if after_dash != src and CAP_RUN.fullmatch(after_dash):
        src = after_dash
    words = src.split()
    if len(words) > 1 and words[0].lower() in LEADING_ADJECTIVES and words[1][0].isupper():
        # "Neighbouring Brenmark denied ...": capitalised only because it opens the sentence.
        src = src.split(None, 1)[1]
        words = words[1:]
    if len(words) > 16 or words[0].lower() in DATE_WORDS or words[0].lower() in NOT_SOURCE_START:
        return None
    if is_pronoun(src):
        return src.lower() if src != "I" else "I"
    if src.lower() in _OBJECT_PRONOUNS:
        # "According to him, ...": the speaker named before.
        return _OBJECT_PRONOUNS[src.lower()]
    first = words[0]
    if first[0].islower() and not _lowercase_speaker_ok(src, words):
        return None
    name = _name_in_phrase(src, words)
    if name:
        return name
    if first.lower() in FUNCTION_WORDS or first.lower() in NP_OPENERS or SOURCE_NOUNS.fullmatch(first):
        # Capitalised only because it opens the sentence ("Officials", "A Reuters source").
        return _lower_first(src)
    return src


def strip_titles(name: str) -> str:
    tokens = name.split()
    if tokens and tokens[-1].lower().rstrip("'’s") in ORG_WORDS:
        return name
    # "Russia's Special Representative for ..." has been cut at the comma already; the
    # possessive owner is a title too when a name follows.
    first = 0
    while first < len(tokens) - 1 and (tokens[first].lower() in TITLE_WORDS or tokens[first].endswith(("'s", "’s"))
                                       or (tokens[first].lower() in _PARTY_WORDS and tokens[first + 1][:1].isupper())):
        first += 1
    # "Norvian President Mira Halvorsen", "Harlow Mayor Ines Varga": what comes before a
    # title noun belongs to the title.
    for k in range(len(tokens) - 2, first - 1, -1):
        if tokens[k].lower() in TITLE_NOUNS:
            first = k + 1
            break
    if first and tokens[first - 1].lower() in TITLE_NOUNS and first < len(tokens) - 2 \
            and tokens[first].lower() in ("of", "for") \
            and (tokens[first + 1].lower() != "the" or len(tokens) - first > 5):
        # "Speaker of Parliament Amira Saleh", "Minister of Labour Yusuf Karim": the office
        # runs on to the name, which is the last two words (three with a particle).
        keep = 3 if len(tokens) - first > 3 and re.fullmatch(PARTICLE, tokens[-2]) else 2
        first = len(tokens) - keep
    # "Domestic Trade Minister Datuk Razif Hamdan": an honorific after the office.
    while first and first < len(tokens) - 2 and tokens[first].lower() in TITLE_WORDS:
        first += 1
    return " ".join(tokens[first:])


def title_and_name(run: str) -> tuple[str, str] | None:
    """("Norvian President", "Mira Halvorsen") for a titled name, else None."""
    name = strip_titles(run)
    title = run[: len(run) - len(name)].strip()
    if not title or not name or not any(t.lower() in TITLE_NOUNS for t in title.split()):
        return None
    return title, name


def _has_clause_words(lowered: list[str]) -> bool:
    return (any(w in NOT_IN_SOURCE for w in lowered[1:])
            or any(w.endswith(("'ve", "'re", "’ve", "’re", "n't", "n’t")) for w in lowered))


def source_ok(raw: str) -> bool:
    """Whether a phrase before or after a speech verb can name a speaker."""
    words = raw.split()
    if not words or len(words) > 15:
        return False
    lowered = [w.lower().strip(",.;:'’\"") for w in words]
    if lowered[0] in NOT_SOURCE_START or lowered[0] in DATE_WORDS or re.match(r"[a-z]{3,}ing$", words[0]):
        return False
    if _has_clause_words(lowered) or lowered[-1] in NOT_A_LAST_WORD:
        # "Mrs. Clinton shook her head and", "Some advisers are" (said to ...).
        return False
    if is_pronoun(raw.strip()):
        return True
    if lowered[0] in PRONOUNS_LOWER:
        return False
    if VERB_LIKE.search(raw) and not SOURCE_NOUNS.search(raw):
        return False
    return (raw[0].isupper() or bool(DETERMINER.match(raw + " ")) or bool(SOURCE_NOUNS.search(raw))
            or ends_in_name(raw)
            or (lowered[0] in NP_OPENERS and len(words) >= 2 and lowered[-1] not in NOT_A_HEAD))


def names_a_source(phrase: str) -> bool:
    """"citing SANA", "citing a source in the ministry", "citing data from the bureau";
    not "citing a threat to public health"."""
    phrase = phrase.strip()
    return bool(phrase) and (phrase[0].isupper() or bool(SOURCE_NOUNS.search(phrase))
                             or bool(re.search(rf"\b(?:{DOCUMENTS})\b", phrase, re.I))
                             or bool(re.search(r"\b[A-Z]", phrase)))


def outlet_in_description(src: str) -> str | None:
    """The outlet in "a Reuters source", "two Interfax sources"."""
    for word in re.findall(r"[A-Z][\w-]+", src):
        if word.lower() in NEWS_OUTLETS:
            return word
    return None


_OUTLET_WORDS = re.compile(r"\b(?:news|agency|newspaper|broadcaster|television|tv|radio|channel|wire|times|post|"
                           r"daily|gazette|herald|journal|magazine|outlet|website)\b", re.I)


# "speaker Ivan Petrov", "challenger Lena Holm": one or two lower-case words of role,
# then a name of two or more words.
# "widow Terry Strada", "9/11 widow Terry Strada", "co-host Stu Burguiere".
_ROLE_THEN_NAME = re.compile(r"(?:[a-z]|\d[\d/-]*\s+[a-z])[\w-]*(?:\s+[a-z][\w-]*)?\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+")


def ends_in_name(raw: str) -> bool:
    return bool(_ROLE_THEN_NAME.fullmatch(raw.strip())) and raw.split()[0] not in NOT_SOURCE_START \
        and raw.split()[0] not in FUNCTION_WORDS


def is_outlet(name: str) -> bool:
    """A news outlet ("Reuters", "the BBC", "state news agency TASS", "the Harlow Wire")."""
    return outlet_in_description(name) is not None or bool(_OUTLET_WORDS.search(name))


def is_person_like(raw: str) -> bool:
    """A pronoun or a personal name ("Berg", "Mr. Berg", "Anna Berg"), not a described body."""
    raw = raw.strip()
    if is_pronoun(raw):
        return True
    tokens = raw.split()
    return (bool(tokens) and all(t[0].isupper() for t in tokens) and tokens[0].lower() not in FUNCTION_WORDS
            and not any(t.lower() in ORG_WORDS for t in tokens) and len(tokens) <= 5)


# Roles with no article that are not titles before a name: "founder and CEO of …",
# "professor of law at …", "co-author of …".
_ROLE_NOUNS = frozenset({"founder", "co-founder", "author", "co-author", "editor", "professor", "economist",
                         "analyst", "fellow", "partner", "owner", "researcher", "historian", "strategist",
                         "pollster", "lawyer", "member", "organizer", "organiser", "activist", "adviser", "advisor",
                         "aide", "host", "co-host", "correspondent", "columnist", "scholar", "consultant",
                         "veteran", "physician"})


def is_appositive(seg: str) -> bool:
    """A role description next to a name: "a spokesman for the ministry", "Russia's
    Special Representative for the Middle East"."""
    core = RELATIVE.split(seg, 1)[0]
    words = core.split()
    if not words or len(seg.split()) > 20 or len(words) > 16 or VERB_LIKE.search(core):
        return False
    first = words[0].lower()
    return (bool(DETERMINER.match(core + " ")) or first in TITLE_WORDS or first.endswith(("'s", "’s"))
            or (first in _ROLE_NOUNS and len(words) >= 3)
            or (first in POSSESSIVE_DET and len(words) >= 2)
            or bool(re.match(r"(?:one|some|two|three|several|many|most|each)\s+of\b", core, re.I)))


def is_first_person(text: str) -> bool:
    return bool(FIRST_PERSON.search(text))


def _name_tokens(run: str) -> list[str]:
    tokens = run.split()
    first = 0
    while first < len(tokens) and (tokens[first].lower() in FUNCTION_WORDS
                                   or tokens[first].lower() in LEADING_ADJECTIVES
                                   or tokens[first].lower() in _PARTY_WORDS):
        first += 1
    tokens = strip_titles(" ".join(tokens[first:])).split()
    if tokens:
        tokens[-1] = re.sub(r"['’]s$", "", tokens[-1])
    return tokens


def _is_full_name(tokens: list[str]) -> bool:
    if not 2 <= len(tokens) <= 4 or any(t.endswith(("'s", "’s")) for t in tokens):
        return False
    return not any(t.lower() in ORG_WORDS or t.lower() in TITLE_WORDS or t.lower() in FUNCTION_WORDS
                   or t.lower() in _HEADLINE_WORDS for t in tokens)


_OFFICE_BEFORE = re.compile(rf"\b(?i:{'|'.join(sorted(TITLE_NOUNS))})\s+(?:of|for)\s+(?:the\s+)?"
                            r"(?:[A-Z][\w'’-]*\s+(?:and|&)\s+|[A-Z][\w'’-]*,\s+)*$")


def _full_names(text: str) -> list[list[str]]:
    """The tokens of every full name in ``text``, in text order."""
    found: list[list[str]] = []
    for run in CAP_RUN.finditer(text):
        tokens = _name_tokens(run.group(0))
        if (len(tokens) > 2 and tokens[0] == run.group(0).split()[0]
                and _OFFICE_BEFORE.search(text, max(0, run.start() - 80), run.start())):
            # "Minister of Water and Irrigation Rami Haddadin", "Secretary of State John F.
            # Kerry": the run opens with the office's last word (and title words).
            cut = 1
            while cut < len(tokens) - 2 and tokens[cut].lower() in TITLE_WORDS:
                cut += 1
            tokens = tokens[cut:]
        if _is_full_name(tokens):
            found.append(tokens)
        elif len(tokens) > 2:
            # "Hillary Clinton Goes After Donald Trump": a headline's run of capitals holds
            # names where a given name the lexicon knows comes before another capital.
            found.extend([first, last] for first, last in itertools.pairwise(tokens)
                         if gender.of_given_name(first) and _is_full_name([first, last]))
    return found


def collect_people(text: str, full_names: list[list[str]] | None = None) -> dict[str, list[str]]:
    """Every full name a surname appears with, first seen first ("Obama" -> ["Michelle
    Obama", "Barack Obama"]); ``full_names``, when given, are ``text``'s already read."""
    people: dict[str, list[str]] = {}
    for tokens in _full_names(text) if full_names is None else full_names:
        _add_person(people, tokens)
    # "Barack Obama Election Day": a given name the lexicon knows before a known surname, in
    # a longer run of capitals.
    for run in CAP_RUN.finditer(text):
        tokens = run.group(0).split()
        for first, last in itertools.pairwise(tokens):
            if last in people and gender.of_given_name(first):
                _add_person(people, [first, last])
    return people


def _add_person(people: dict[str, list[str]], tokens: list[str]) -> None:
    known = people.setdefault(tokens[-1], [])
    if " ".join(tokens) not in known:
        known.append(" ".join(tokens))


# "PENCE: Well, look, …": a transcript's speaker, the surname set in capitals.
_TRANSCRIPT_LABEL = re.compile(r"^[\"“]?(?P<label>[A-Z][A-Z'’-]+):[ \t]", re.M)


def _courtesy_names(text: str, full_names: list[list[str]], names: dict[str, str]) -> dict[str, str]:
    """"Mr. Obama" -> "Barack Obama" where the surname alone stands for someone else (the
    first full name with it is "Michelle Obama"): the first full name the title agrees with."""
    found: dict[str, str] = {}
    people: dict[str, list[str]] | None = None
    for m in COURTESY.finditer(text):
        surname = m.group("surname")
        key = f"{m.group('title')}. {surname}"
        if key in found or surname not in names:
            continue
        want = gender.of_honorific(m.group("title"))
        if gender.agrees(gender.of_name(names[surname]), want):
            continue
        if people is None:
            people = collect_people(text, full_names)  # rarely needed: read only then
        agreeing = [full for full in people.get(surname, []) if gender.of_name(full) == want]
        if agreeing:
            found[key] = agreeing[0]
            found.setdefault(f"{m.group('title')} {surname}", agreeing[0])
    return found


def collect_names(text: str) -> dict[str, str]:
    """Map a surname to the first full name it appears with ("Peskov" -> "Dmitry Peskov");
    also the other ways the article writes a name that the surname alone would get wrong or
    miss: "Mr. Obama" when the first Obama named in full is a woman, and a transcript's
    "PENCE:"."""
    names: dict[str, str] = {}
    full_names = _full_names(text)
    for tokens in full_names:
        names.setdefault(tokens[-1], " ".join(tokens))
        particle = re.match(rf"{PARTICLE}-(.+)", tokens[-1])
        if particle:
            names.setdefault(particle.group(1), " ".join(tokens))
    extra = _courtesy_names(text, full_names, names)
    for m in _TRANSCRIPT_LABEL.finditer(text):
        surname = m.group("label").capitalize()
        if surname in names:
            extra.setdefault(m.group("label"), names[surname])
    names.update(extra)
    return names


# Adverbs that end a subject the learned reader ran on past ("Kaine now", "the senator
# also"). Auxiliaries are not cut: "Some advisers are (said to …)" must stay unaccepted.
_SUBJECT_ENDERS = frozenset({"now", "also", "then", "still", "again", "already", "often", "later", "never", "always",
                             "once", "reportedly", "repeatedly", "recently", "previously", "publicly", "privately",
                             "frequently", "usually", "initially", "originally", "quickly", "immediately", "openly"})
# The same adverbs after a source the rules read ("Clinton now says", "Mexicans often say").
_TRAILING_ADVERB = re.compile(rf"\s+(?:{'|'.join(sorted(_SUBJECT_ENDERS))})$")
# A party before a name is not part of it: "Republican Donald Trump" is Donald Trump.
_PARTY_WORDS = frozenset({"republican", "democrat", "democratic", "libertarian", "gop", "independent"})


# Words that open a verb phrase; a subject ends before them. "are"/"is" are left out: "Some
# advisers are (said to …)" must stay unaccepted.
_VERB_STARTS = frozenset({"has", "have", "had", "will", "would", "went", "even", "this", "appeared", "took", "sent",
                          "in", "during", "speaking", "writing"})


def trim_subject(raw: str) -> str:
    """A source span cut where the subject ends: at an age ("Sarandon, 69"), or at a
    lower-case past tense or adverb after the subject's head ("a survey released", "Kaine now")."""
    raw = re.sub(r",\s*\d{1,3}\s*,?$", "", raw.strip())
    tokens = raw.split()
    for i in range(1, len(tokens)):
        word = tokens[i]
        head = tokens[i - 1]
        head_done = (head[:1].isupper() and head.lower() not in FUNCTION_WORDS) or bool(SOURCE_NOUNS.fullmatch(head)) \
            or head.lower() in TITLE_WORDS or head.lower() in ORG_WORDS
        if head_done and word[:1].islower() and (word in _SUBJECT_ENDERS or re.fullmatch(r"[a-z]{3,}ed", word)):
            return " ".join(tokens[:i])
        if (head.lower() not in FUNCTION_WORDS and head.lower() not in NP_OPENERS and word in _VERB_STARTS
                and not head.endswith(",")):
            # "the U.S. media has (always claimed)", "Pence went (on to say)", "Gowdy's office
            # assured (the American people …)": the learned reader ran on into the verb.
            return " ".join(tokens[:i])
    return raw
