"""Who a sentence reports, when it opens with its speaker and a verb that reports.

"Trump accused Clinton of …", "The Republican nominee also praised …", "Jo Formicola, a
professor at Seton Hall, described …": the subject of a verb that, in PolNeAR train,
mostly makes its subject the Source of an attribution. Those verbs are counted by
``tools/count_subject_verbs.py`` (``make train``) into ``attribution_subject_verbs.txt``
beside this module. Asked only about a sentence for which neither the rules nor the
learned reader found a speaker; without the word list it finds nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .lexicon import CAP_RUN
from .names import is_person_like

VERBS_PATH = Path(__file__).with_name("attribution_subject_verbs.txt")

# Words that may stand between the subject and its verb ("has also", "repeatedly").
_BETWEEN = frozenset(
    ["also", "has", "have", "had", "again", "then", "now", "once", "still", "even", "never", "already", "just", "since", "long", "often", "first", "further", "will", "would", "could", "can", "may", "might", "must", "did", "does", "do", "not"]
)
# Words in "-ly" that are not adverbs: "The victim's family has called …" has no adverb.
_LY_NOUNS = frozenset({"family", "ally", "rally", "assembly", "supply", "monopoly", "reply", "anomaly", "tally",
                       "daily", "weekly", "monthly", "quarterly"})
# A name does not open with a determiner: "The group" is described, not named.
_NAME = (r"(?!(?:The|A|An|Its|His|Her|Their|Some|Many|Several)\s)(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|Sens|Reps)\.\s+)?[A-Z][\w'’.-]*"
         r"(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|al-\w+)){0,4}")
_DESCRIBED = (r"(?:The|the|A|a|An|an|Its|its|His|his|Her|her|Their|their|Some|some|Many|many|Several|several|"
              r"\d[\d,]*)\s+[\w'’-]+(?:\s+[\w'’-]+){0,6}?")


# A form of "be" before the verb counts as part of it: "is calling" reports, "was
# criticized" is done to the subject, and "is" alone says nothing.
_AUXILIARY = r"(?:(?:is|are|was|were|been|being)\s+(?=[a-z]+(?:ing|ed)\b))?"


def _pattern(verb: str) -> re.Pattern[str]:
    """An optional fronted phrase ("In a statement Friday, "), the subject, an optional
    apposition ("Jo Formicola, a professor at Seton Hall,"), up to two words such as
    "also" or "repeatedly", then the verb (``verb``, a pattern)."""
    return re.compile(
        rf"(?:[A-Z][^,;:\"“”]{{2,80}},\s+)?(?P<src>(?:{_NAME}|{_DESCRIBED})(?:(?<=['’]s)\s+[a-z][\w-]*)?)"
        rf"(?:,\s+(?P<aside>[^,]{{3,90}}),)?"
        rf"(?P<between>(?:\s+[a-z]+)??(?:\s+[a-z]+)??)\s+(?!(?:{'|'.join(sorted(_BETWEEN))})\b)(?![a-z]+ly\b)"
        rf"(?P<verb>{_AUXILIARY}{verb})\b"
    )


# Any verb: what the counting script reads.
SUBJECT_VERB = _pattern("[a-z]+")


def subject_kind(subject: str) -> str:
    """"person" for a name ("Hillary Clinton", "Mr. Obama"), else "other" ("The group")."""
    return "person" if is_person_like(subject) and len(subject.split()) <= 4 else "other"


@lru_cache(maxsize=1)
def subject_verbs() -> frozenset[str]:
    """Lines "person said", "other said": the verbs counted for each kind of subject."""
    if not VERBS_PATH.is_file():
        return frozenset()
    return frozenset(VERBS_PATH.read_text(encoding="utf-8").splitlines())


@lru_cache(maxsize=1)
def _known() -> re.Pattern[str] | None:
    verbs = sorted({line.split(" ", 1)[1].split()[-1] for line in subject_verbs() if line.strip()})
    return _pattern("|".join(verbs)) if verbs else None


def subject_verb(sentence: str, pattern: re.Pattern[str] = SUBJECT_VERB) -> re.Match[str] | None:
    """The subject and verb that open ``sentence``, when the words between are such as
    "also" or an adverb."""
    m = pattern.match(sentence)
    if m is None:
        return None
    between = m.group("between").split()
    if any(w not in _BETWEEN and not (w.endswith("ly") and w not in _LY_NOUNS) for w in between):
        return None
    return m


def actor_span(sentence: str) -> tuple[int, int] | None:
    """(start, end) of the subject of a reporting verb that opens ``sentence``, else None."""
    pattern = _known()
    if pattern is None:
        return None
    m = subject_verb(sentence, pattern)
    if m is None or f"{subject_kind(m.group('src'))} {' '.join(m.group('verb').split())}" not in subject_verbs():
        return None
    aside = m.group("aside")
    if aside and CAP_RUN.fullmatch(aside) and is_person_like(aside) and not is_person_like(m.group("src")):
        return m.span("aside")  # "Its chairman, Oskar Brende, accused ...": the name
    return m.span("src")


# A quotation of three words or more after the verb: "Cruz exhorted Republicans to “vote your
# conscience”", "Reid likened the plan to “a human leech”".
_QUOTED_WORDS = re.compile(r"[\"“](?=[^\"“”]*?\w+\s+\w+\s+\w)[^\"“”]{5,}[\"”]")


def quoted_actor_span(sentence: str, names: dict[str, str]) -> tuple[int, int] | None:
    """(start, end) of a person that opens ``sentence`` when the verb that follows leads to
    words of theirs in quotation marks, else None: someone quoted in their own sentence said
    what is quoted. The person is named in full, or by a surname the article (``names``) has
    given in full, so that "Perhaps" or "Following" opening a sentence is no one."""
    m = subject_verb(sentence)
    if m is None or not _FINITE.fullmatch(m.group("verb").split()[-1]):
        return None
    src = m.group("src")
    tokens = src.split()
    if subject_kind(src) != "person" or tokens[0].lower() in _NOT_NAMES or src.endswith(("'", "’")):
        return None
    if not (tokens[-1] in names or (len(tokens) >= 2 and all(t[:1].isupper() for t in tokens))):
        return None
    if not _QUOTED_WORDS.search(sentence, m.end("verb")):
        return None
    return m.span("src")


# A verb in a tense: "-ed", "-s", or a common irregular past.
_FINITE = re.compile(r"[a-z]{2,}(?:ed|s)|took|made|went|came|gave|spoke|wrote|sent|put|held|met|won|lost|ran|stood|"
                     r"got|kept|left|brought|struck|hit|shot|sought|fought|threw|drew|told|said|began|sang|swore|"
                     r"gone|done|taken|given|seen|written|spoken|thrown|drawn")


# Capitalised openers that name no one.
_NOT_NAMES = frozenset({"in", "on", "at", "but", "and", "so", "yet", "when", "while", "after", "before", "if", "as",
                        "this", "that", "these", "those", "there", "it", "what", "why", "how", "who", "i", "we",
                        "you", "they", "he", "she"})
