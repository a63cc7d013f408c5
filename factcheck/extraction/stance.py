"""Who stands behind a sentence whose verb is a stance, a deed or a finding, not speech.

"Warren grilled Stumpf over …", "Clinton wants …", "Republicans weren't too concerned …",
"The study found …": PolNeAR's annotators make the subject the Source of what follows, and
a desk checks it as that subject's claim. Which verbs and subjects do so is learnt: a
logistic regression over a subject and verb (``actor.SUBJECT_VERB``) and what surrounds them,
weighed where the sentence opens (and, switched on, after an opening conjunction and its first
clause boundaries: "…, while Bloomberg lists them …"; the likeliest wins), fitted on PolNeAR train
by ``tools/train_stance.py`` (``make train``) into ``stance_weights.json`` beside this module,
with its threshold chosen on dev.
Asked last, only about a sentence for which no tag and no other reader found a speaker;
what it finds still passes the rules' test of a speaker. Without the weights file it finds
nothing.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .actor import _AUXILIARY, _BETWEEN, _LY_NOUNS, subject_verb
from .lexicon import FUNCTION_WORDS, NEWS_OUTLETS, ORG_WORDS, SOURCE_NOUNS, TITLE_WORDS, is_pronoun
from .names import is_person_like

WEIGHTS_PATH = Path(__file__).with_name("stance_weights.json")

_WORD = re.compile(r"[\w'’-]+|[^\w\s]")
_NEGATION = frozenset({"not", "n't", "never", "no", "nothing", "hardly"})
_FIRST_PERSON = frozenset({"i", "we", "my", "our", "me", "us"})
_QUOTES = frozenset('"“”')
# Deeds, not words: PolNeAR's annotators sometimes mark their subject as a Source ("the
# court blocked …", "Ekdahl thanked voters …"), but a desk does not check a deed as a claim.
DEEDS = frozenset({"blocked", "put", "went", "gone", "goes", "released", "named", "voted", "thanked", "is thanking",
                   "took", "made", "won", "lost", "signed", "set", "spent", "paid"})
# A deed whose object is words: "Biden took aim at …", "Gowdy released a statement
# highlighting …", "She made the case that …", "He put out a statement …". Read as a stance
# (with its own feature) when DEED_SPEECH is on; off, as FRONTED_LOWER below says why.
_SPEECH_OBJECT = re.compile(
    r"\s+(?:(?:out|up)\s+)?(?:aim\b|issue\s+with\b|clear\b|(?:a|an|the|his|her|their|its|this|that|two|several)\s+"
    r"(?:[\w'’-]+\s+){0,2}?(?:statements?|reports?|letters?|memos?|videos?|ads?|advertisements?|op-eds?|editorials?|"
    r"tweets?|case|claim|argument|point|remarks|comments|swipe|shot|jab|dig|warning|apology|rebuttal|response)\b)"
)
_SPEECH_DEEDS = frozenset({"took", "released", "put", "made"})
DEED_SPEECH = False
# Lower-case words after a name that are no verb: the subject goes on past them.
_NOT_VERBS = FUNCTION_WORDS | frozenset(
    {"who", "which", "whose", "with", "from", "about", "than", "more", "most", "all", "some", "no", "one", "other",
     "many", "be", "been", "being", "there", "you", "not", "also", "into", "over", "up", "out", "such", "only",
     "very", "de", "la", "del", "von", "van", "and", "or", "nor", "both", "each", "every", "any", "own"})
_AUXILIARIES = frozenset({"is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "should",
                          "must", "may", "might", "do", "does", "did"})
_ADVERBS = frozenset({"also", "now", "still", "just", "never", "not", "already", "long", "often", "again", "even"})
_BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
_PAST = re.compile(r"[a-z]{2,}ed")
# After a plural noun read as the verb, the real verb: an auxiliary (and the verb after it)
# or a past tense, with adverbs between.
_VERB_AFTER_NOUN = re.compile(
    rf"(?P<more>(?:\s+[a-z]+)??)(?P<between>(?:\s+(?:{'|'.join(sorted(_ADVERBS))}|[a-z]+ly))*)"
    rf"\s+(?P<verb>(?:{'|'.join(sorted(_AUXILIARIES))})(?:n['’]t)?(?:\s+(?:not|also|never|been|being|long|already))*"
    r"(?:\s+[a-z]+(?:ed|ing|en))?|[a-z]{2,}ed)\b"
)
# Openings that are no one: "It's a good bet …", "There are …".
_NO_ONE = frozenset({"it's", "it’s", "it", "there", "there's", "there’s", "this", "that", "what", "here", "here's"})
# How many words after the verb are read as a bag of words.
_REST_WORDS = 12


def _lemma(verb: str) -> str:
    """A crude stem, so that "wants", "wanted" and "wanting" share a weight."""
    for ending in ("ing", "ied", "ies", "ed", "es", "s"):
        if verb.endswith(ending) and len(verb) - len(ending) >= 3:
            stem = verb[: -len(ending)]
            return stem + "y" if ending in ("ied", "ies") else stem
    return verb


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    return str(next((i for i, e in enumerate(edges) if n <= e), len(edges)))


def subject_kinds(subject: str, names: dict[str, str]) -> list[str]:
    """What kind of subject opens the sentence: a pronoun, a person (known to the article by
    a full name or not), a title before a name, a body, a source noun, a description."""
    words = subject.split()
    lows = [w.lower().strip(",.") for w in words]
    kinds = []
    if is_pronoun(subject.strip()):
        kinds.append("pronoun=" + lows[0])
    elif is_person_like(subject):
        kinds.append("person")
        kinds.append("known" if words[-1] in names or subject in names.values() else "unknown")
        if len(words) > 1 and lows[0] in TITLE_WORDS:
            kinds.append("titled")
    if any(w in ORG_WORDS or w in NEWS_OUTLETS for w in lows):
        kinds.append("body")
    if SOURCE_NOUNS.search(subject):
        kinds.append("source-noun")
    if lows[0] in ("the", "a", "an", "some", "many", "several", "its", "his", "her", "their"):
        kinds.append("described=" + lows[0])
    if any(w.endswith(("'s", "’s")) for w in lows):
        kinds.append("possessive")
    return kinds or ["other"]


def _aux_kind(words: list[str]) -> str:
    """"passive" for "was dubbed", "progressive" for "is demanding", "perfect" for "has
    slammed", "modal" for "would hope", "-" for a verb on its own."""
    verb = next((w for w in words if w not in _AUXILIARIES and w not in _BE and w not in _ADVERBS
                 and not w.endswith("ly")), "")
    if not verb:  # "Clinton aides were coy …", "Voters didn't …"
        return "copula" if any(w in _BE for w in words) else "auxiliary"
    if any(w in _BE for w in words):
        return "progressive" if verb.endswith("ing") else "passive"
    if any(w in ("has", "have", "had") for w in words):
        return "perfect"
    if any(w in _AUXILIARIES for w in words):
        return "modal"
    return "-"


@dataclass(frozen=True, slots=True)
class Rates:
    """How often, in PolNeAR train, a word is part of a labelled Cue and of a labelled
    Source, as a bucket ("0" … "5"); words seen fewer than five times are left out. They let
    a verb or a subject seldom met as an example borrow from all its uses."""

    cue: dict[str, str] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)


def features(sentence: str, names: dict[str, str], rates: Rates) -> tuple[list[str], tuple[int, int]] | None:
    """The features of the subject and verb that open ``sentence`` as the opening pattern reads
    them (not the longer subjects), and the subject's span; None when the sentence does not open
    with a subject and a verb."""
    found = _read_match(sentence, subject_verb(sentence), 0, "open", names, rates, NARROW, False)
    return found[0] if found else None


# Where else the subject of a clause may stand: after a comma, semicolon, colon or dash, with
# a conjunction after it or not ("…, while Bloomberg lists them …", "In May, the EPA proposed
# …", "…; the campaign wants …").
_CLAUSE_START = re.compile(
    r"(?:[,;:]|\s?[―—–]|\s--)\s+(?:(?P<joint>and|but|while|whereas|yet|so|though|although|because|as|since|when|"
    r"after|if|even\s+as)\s+)?(?=[A-Za-z\d])"
)
# A word that opens the sentence and is no subject: "But at least some of …", "Yet Congress …".
_OPENER = re.compile(r"\s*(?P<joint>But|And|Yet|So|Still|Now|Instead|Meanwhile|Indeed|Moreover|However|Then|Or|Also)"
                     r",?\s+(?=[A-Za-z\d])")
# How many places after the opening are tried: each costs a regular expression.
MAX_PLACES = 4


@dataclass(frozen=True, slots=True)
class Wide:
    """Where else the reader looks: the places beyond the opening ("opener", "clause"), and
    whether a noun read as the verb is weighed both ways. Saved with the weights, as they were
    fitted. Off by default: refitted with them the reader gains right claimants on dev only
    along the same curve of precision, and the threshold train_stance picks (0.9) gives fewer
    on dev than without them (docs/extraction.md, "Eleventh round: wide attributions")."""

    places: frozenset[str] = frozenset()
    extend: bool = False


NARROW = Wide()
WIDE = Wide(frozenset({"opener", "clause"}), True)


def candidates(sentence: str, names: dict[str, str], rates: Rates,
               wide: Wide = NARROW) -> list[tuple[list[str], tuple[int, int]]]:
    """Every subject and verb the reader weighs in ``sentence``: the ones that open it (after
    any leading space) and, with ``wide``, after an opening conjunction ("But many critics
    fear …") and after the first clause boundaries ("After bragging for a year, Donald Trump
    is spending …", "…, while Bloomberg lists them …"); each with its features (where it
    stands among them) and the subject's span in ``sentence``."""
    start = len(sentence) - len(sentence.lstrip())
    found = _read(sentence, start, "open", names, rates, wide)
    opener = _OPENER.match(sentence, start) if "opener" in wide.places else None
    if opener:
        found += _read(sentence, opener.end(), "opener", names, rates, wide)
    boundaries = _CLAUSE_START.finditer(sentence, start) if "clause" in wide.places else iter(())
    for tried, boundary in enumerate(boundaries):
        if tried == MAX_PLACES:
            break
        joint = boundary.group("joint")
        place = "clause=" + (joint.split()[-1] if joint else sentence[boundary.start()].strip() or "dash")
        found += _read(sentence, boundary.end(), place, names, rates, wide)
    return found


# After a capitalised word and a plural noun read as the verb, the verb itself: "Democratic
# politicians typically oppose …", "Business groups criticize …".
_PRESENT_AFTER_NOUN = re.compile(r"(?P<between>(?:\s+[a-z]+ly)*)\s+(?P<verb>[a-z]{3,})\b")
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our",
                          "my", "your", "some", "any", "no", "every", "each", "all", "both"})
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "it", "us", "me", "you", "himself", "herself", "themselves",
                              "itself"})


# Subjects the opening pattern (actor.SUBJECT_VERB) stops short of, so that it reads a word
# such as "of" or "and" as the verb and weighs nothing: a prepositional phrase ("Senator Ben
# Cardin of Maryland, a Democrat …, advocates", "A number of GOP delegates have petitioned",
# "The 6th Circuit Court of Appeals on Tuesday overturned"), two subjects ("Bernie Sanders and
# Ted Cruz both campaigned", "Jeb Bush, the former governor, and Senator Marco Rubio would let",
# "Liberal and conservative economists are finding"), a description before a name ("Popular
# Christian and corporate speaker Lance Wallnau believes"), a short apposition ("Zimmerman, 32,
# noted"), a parenthesis, "Reuters/Ipsos". Read only when that pattern gives no candidate, so
# what it already weighs is weighed as before.
_W = r"[\w'’.&/-]+"
_CAP = r"[A-Z][\w'’.&/-]*"
_RUN = rf"{_CAP}(?:\s+(?:{_CAP}|de|van|von|al-\w+)){{0,4}}"
_DETERMINER = r"(?:The|the|A|a|An|an|Its|its|His|his|Her|her|Their|their|Our|our|Some|some|Many|many|Several|several)"
_HEAD = (rf"(?:{_DETERMINER}\s+{_W}(?:\s+{_W}){{0,6}}?|(?!{_DETERMINER}\s)(?:[A-Z][\w'’-]*(?:\s+{_W}){{0,5}}?\s+)?{_RUN}"
         rf"|[A-Z][a-z]+\s+and\s+[a-z]+)")
_OF = r"(?:\s+(?:of|from|at|in|for)\s+(?:the\s+|a\s+)?[\w'’.&/-]+(?:\s+[\w'’.&/-]+){0,3}?)?"
_WHEN = (r"(?:\s+(?:on|last|this|early|late)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|"
         r"year|night|morning))?")
_LONG_BETWEEN = _BETWEEN | frozenset({"both", "all", "each", "jointly", "together", "later", "first", "then"})


# Capitalised words that open a clause or phrase, not a subject: "If Bernie Sanders or Donald
# Trump comes out on top …" is no one's claim.
_NO_SUBJECT = ("If|When|While|Whereas|After|Before|As|In|On|At|Although|Though|Because|Since|Despite|For|With|Without|"
               "During|Once|Until|Unless|Whether|So|But|And|Yet|Or|Nor|It|There|This|That|These|Those|What|Why|How|Who|"
               "Where|Here|Then|Now|Even|Only|Also|Just|To|From|By|Of|Under|Over|Like|Unlike|Amid|Among|Following|"
               "Regarding|According|Not|No|Perhaps|Maybe|Indeed|However|Meanwhile|Still|Instead")


def _long_pattern() -> re.Pattern[str]:
    not_verbs = "|".join(sorted(_NOT_VERBS | {"than", "to", "with", "by"}))
    return re.compile(
        rf"(?!(?:{_NO_SUBJECT})\b)(?P<src>{_HEAD}{_OF}(?:(?:,\s+[^,]{{1,90}},)?\s+and\s+{_HEAD}{_OF})?(?:\s*\([^()]{{1,90}}\))?)"
        rf"(?:,\s+(?P<aside>[^,]{{1,90}}),)?{_WHEN}"
        rf"(?P<between>(?:\s+[a-z]+)??(?:\s+[a-z]+)??)\s+(?!(?:{'|'.join(sorted(_LONG_BETWEEN))}|{not_verbs})\b)"
        rf"(?![a-z]+ly\b)(?P<verb>{_AUXILIARY}[a-z]+)\b"
    )


def _long_subject(text: str) -> re.Match[str] | None:
    """The subject and verb that open ``text`` read with the longer subject shapes above."""
    m = _LONG.match(text)
    if m is None or not any(w[:1].isupper() for w in m.group("src").split()):
        return None
    between = m.group("between").split()
    if any(w not in _LONG_BETWEEN and not (w.endswith("ly") and w not in _LY_NOUNS) for w in between):
        return None
    return m


_LONG = _long_pattern()
# Whether the longer subject shapes are read. On since the thirteenth round, with their features
# all apart (LONG_APART "all") and a threshold of their own (Model.long_threshold): the weights of
# the opening pattern's subjects are those fitted without them, and the longer subjects' are fitted
# on their examples alone (tools.train_stance --long all --long-threshold). Shared, refitted with
# them, two invented sentences of ours fell below the new threshold (docs/extraction.md, "Twelfth
# round" and "Thirteenth round"). The shipped weights record the switches they were fitted with.
LONG_SUBJECTS = True
# How a longer subject's features are kept apart from the opening pattern's: "" shares them (the
# twelfth round), "kind" gives it its own subject kinds ("long|k=person", "long|k|l=person|advocate"),
# "all" gives it its own copy of every feature ("long|v=advocates", "long|bias"), so that its many
# negatives do not lean on the weights of plain "X verb …" sentences.
LONG_APART = "all"
_KIND_FEATURES = ("k=", "k|l=", "k|at=")


# A lower-case subject after a fronted clause, which the opening pattern (a name or a
# determiner) does not take: "Arriving upon the scene, police began …", "So far, no terrorist
# organization has claimed …". Its verb is a past tense, after "has", "would", an adverb … or
# not, so that the subject ends where the verb begins ("armed men attacked", not "armed").
_IRREGULAR_PAST = ("began|said|told|found|thought|felt|knew|saw|gave|kept|held|brought|sought|wrote|spoke|chose|led|"
                   "met|ran|left|came|became|fought|heard|meant|stood|understood|taught|caught|showed|drew|grew|rose|"
                   "fell|broke|struck")
_LOWER_DETERMINERS = r"no|some|many|most|few|several|both|all|other|two|three|four|five|dozens\s+of|hundreds\s+of"


def _fronted_lower_pattern() -> re.Pattern[str]:
    between = "|".join(sorted(_LONG_BETWEEN))
    not_subject = "|".join(sorted((_NOT_VERBS - {"no", "some", "many", "most", "all", "both", "other"})
                                  | {"he", "she", "they", "we", "i", "you", "it", "there", "this", "that"}))
    word = rf"(?!(?:{not_subject})\b)[a-z][\w'’-]*"
    return re.compile(
        rf"(?P<front>[A-Z][^,;:\"“”]{{2,80}}),\s+(?P<src>(?:(?:{_LOWER_DETERMINERS})\s+)?{word}(?:\s+{word}){{0,2}}?)"
        rf"(?P<aside>(?!))?(?P<between>(?:\s+(?:{between}|[a-z]+ly))*)"
        rf"\s+(?!(?:{between})\b)(?P<verb>{_AUXILIARY}(?:[a-z]{{2,}}ed|{_IRREGULAR_PAST}))\b"
    )


_FRONTED_LOWER = _fronted_lower_pattern()
# Whether lower-case subjects after a fronted clause are read. Off: refitted with them (and with
# DEED_SPEECH) the reader gave fewer right claimants on dev at the threshold the rule picks (926
# against 927), and both shapes' own features were fitted negative (docs/extraction.md,
# "Thirteenth round").
FRONTED_LOWER = False


def _fronted_lower(text: str, opening: re.Match[str] | None) -> re.Match[str] | None:
    """A lower-case subject and its verb after a fronted clause, where the opening pattern gave
    none or read the clause's first word as the subject ("So far, …" read as "So" and "far",
    "Arriving upon the scene, …" as "Arriving" and "upon")."""
    m = _FRONTED_LOWER.match(text)
    if m is None:
        return None
    if opening is not None and not (opening.start("src") == 0 and len(opening.group("src").split()) == 1
                                    and opening.end("verb") <= m.end("front")):
        return None  # the opening pattern's subject is not a word of the fronted clause read as one
    if any(w not in _LONG_BETWEEN and not (w.endswith("ly") and w not in _LY_NOUNS)
                        for w in m.group("between").split()):
        return None
    return m


def _read(sentence: str, at: int, place: str, names: dict[str, str], rates: Rates,
          wide: Wide) -> list[tuple[list[str], tuple[int, int]]]:
    """The candidates (none, one, or two when a noun may have been read as the verb) whose
    subject starts at ``at``: features and the subject's span in ``sentence``."""
    text = sentence[at:]
    opening = subject_verb(text)
    if FRONTED_LOWER:
        lower = _fronted_lower(text, opening)
        if lower is not None:
            return _read_match(text, lower, at, place, names, rates, wide, False, lower=True)
    found = _read_match(text, opening, at, place, names, rates, wide, False)
    if not LONG_SUBJECTS or (found and not _name_read_as_fronted(text, opening)):
        return found
    m = _long_subject(text)
    return _read_match(text, m, at, place, names, rates, wide, True) if m else found


def _name_read_as_fronted(text: str, m: re.Match[str] | None) -> bool:
    """Whether the opening pattern took a bare name for a fronted phrase: "Orvik, 41, noted …"
    read as "Orvik," then a subject "41, noted"; the name and its apposition are the subject."""
    if m is None or m.start("src") == 0:
        return False
    words = text[:m.start("src")].rstrip(", ").split()
    return all(w[:1].isupper() and w.lower() not in FUNCTION_WORDS and w.lower() not in _NO_ONE for w in words) \
        and len(words) <= 4


def _read_match(text: str, m: re.Match[str] | None, at: int, place: str, names: dict[str, str], rates: Rates,
                wide: Wide, long: bool, lower: bool = False) -> list[tuple[list[str], tuple[int, int]]]:
    if m is None:
        return []
    subject, src_span, verb_span = m.group("src"), m.span("src"), m.span("verb")
    between = m.group("between").lower().split()
    verb_words = m.group("verb").lower().split()
    read = [(subject, src_span, verb_span, between, verb_words, False)]
    goes_on = _VERB_AFTER_NOUN.match(text, verb_span[1])
    single_noun = len(verb_words) == 1 and not between and not _PAST.fullmatch(verb_words[0]) \
        and verb_words[0] not in _AUXILIARIES
    if goes_on and single_noun:
        # "Federal investigators have also discovered …": the noun was the subject's head.
        src_span = (src_span[0], goes_on.end("more"))
        read = [(text[src_span[0]:src_span[1]], src_span, goes_on.span("verb"), goes_on.group("between").lower().split(),
                 goes_on.group("verb").lower().split(), False)]
    elif wide.extend and single_noun and verb_words[0].endswith("s") and subject[:1].isupper():
        present = _PRESENT_AFTER_NOUN.match(text, verb_span[1])
        if present and present.group("verb") not in _NOT_VERBS | _AUXILIARIES | _OBJECT_PRONOUNS | _DETERMINERS:
            # "Democratic politicians typically oppose …": weighed both ways.
            span = (src_span[0], verb_span[1])
            read.append((text[span[0]:span[1]], span, present.span("verb"), present.group("between").lower().split(),
                         [present.group("verb")], True))
    out = []
    for subject, src_span, verb_span, between, verb_words, extended in read:
        found = _features(text, m, subject, src_span, verb_span, between, verb_words, place, extended, names, rates,
                          wide, long, lower)
        if found is not None:
            out.append((found[0], (found[1][0] + at, found[1][1] + at)))
    return out


def _features(sentence: str, m: re.Match[str], subject: str, src_span: tuple[int, int], verb_span: tuple[int, int],
              between: list[str], verb_words: list[str], place: str, extended: bool, names: dict[str, str],
              rates: Rates, wide: Wide, long: bool = False,
              lower: bool = False) -> tuple[list[str], tuple[int, int]] | None:
    verb = verb_words[-1]
    speech_deed = _speech_deed(sentence, verb_words, verb_span)
    if speech_deed is None:
        return None
    if verb in _NOT_VERBS or verb in TITLE_WORDS or verb in ORG_WORDS or subject.split()[0].lower() in _NO_ONE:
        return None  # "E.U. and NATO …", "Sen. Lund of …": the subject goes on
    rest = sentence[verb_span[1]:]
    contracted = verb.endswith(("n't", "n’t"))
    if contracted or (rest.startswith(("'t", "’t")) and verb.endswith("n") and verb != "can"):
        # "weren't" is "were" and a negation.
        verb = verb[:-3] if contracted else verb
        verb = {"won": "will", "wo": "will", "ca": "can"}.get(verb, verb[:-1] if not contracted else verb)
        verb_words[-1] = verb
    lemma = _lemma(verb)
    after = [w.lower() for w in _WORD.findall(rest)[:4]] + ["<end>"] * 4
    kinds = subject_kinds(subject, names)
    head = subject.split()[-1]
    head_low = head.lower().strip(",.")
    rest_words = {w.lower() for w in _WORD.findall(rest)}
    # "weren't", "doesn't": the verb pattern stops at the apostrophe.
    negated = (bool(_NEGATION & set(between)) or contracted or after[0] in ("'t", "’t", "not", "never")
               or rest.startswith(("'t", "’t")))
    feats = [
        "bias",
        "v=" + verb,
        "l=" + lemma,
        # "was dubbed" is done to the subject; "is demanding" is the subject's own.
        "aux=" + _aux_kind(verb_words + between),
        "h=" + (head_low if head[:1].islower() else "<Cap>"),
        "n1=" + after[0],
        "l|n1=" + lemma + "|" + after[0],
        "n2=" + after[0] + "|" + after[1],
        "neg=" + str(negated),
        "l|neg=" + lemma + "|" + str(negated),
        "that=" + str("that" in after[:2]),
        "q=" + str(any(c in _QUOTES for c in rest)),
        "fp=" + str(bool(_FIRST_PERSON & rest_words)),
        "fronted=" + str(m.start("src") > 0),
        "aside=" + str(m.group("aside") is not None),
        "len=" + _bucket(len(rest.split()), (4, 8, 15, 25, 40)),
        "slen=" + _bucket(len(subject.split()), (1, 2, 3, 5)),
        "qmark=" + str(sentence.rstrip().endswith("?")),
    ]
    if wide.places:  # where the subject stands: "at=clause=while" for "…, while Bloomberg lists …"
        feats += ["at=" + place, "at|l=" + place + "|" + lemma, "at|vc=" + place + "|" + rates.cue.get(verb, "-")]
    if wide.extend:
        feats.append("ext=" + str(extended))
    # A longer subject, a lower-case one after a fronted clause, a deed with words as its object.
    feats += ["long=True"] * long + ["front=lower"] * lower + ["deed=speech"] * speech_deed
    feats += ["btw=" + w for w in between]
    feats.append("vc=" + rates.cue.get(verb, "-"))
    feats.append("n1c=" + rates.cue.get(after[0], "-"))
    feats.append("hs=" + rates.source.get(head_low, "-"))
    feats.append("vc|hs=" + rates.cue.get(verb, "-") + "|" + rates.source.get(head_low, "-"))
    lows = [w.lower() for w in subject.split()]
    feats.append("s0=" + (lows[0] if lows[0] in FUNCTION_WORDS or not subject[:1].isupper() else "<Cap>"))
    feats.append("open=" + (sentence.split(None, 1)[0].lower() if m.start("src") > 0 else "<subject>"))
    feats.append("digit=" + str(any(c.isdigit() for c in subject)))
    feats += ["r=" + w for w in set(_WORD.findall(rest.lower())[:_REST_WORDS])]
    for kind in kinds:
        feats.append("k=" + kind)
        feats.append("k|l=" + kind + "|" + lemma)
        if wide.places:
            feats.append("k|at=" + kind + "|" + place)
    feats = _apart(feats, long)
    span = src_span
    aside = m.group("aside")
    if aside and is_person_like(aside) and not is_person_like(subject) \
            and not (long and subject.split()[-1][:1].isupper()):
        # "Betsy Sharp of Burke County, Georgia, knows …": a longer subject that ends in a
        # name keeps it.
        span = m.span("aside")  # "Its chairman, Oskar Brende, grilled …": the name
    return feats, span


def _speech_deed(sentence: str, verb_words: list[str], verb_span: tuple[int, int]) -> bool | None:
    """None for a deed, which is no one's claim; True for a deed whose object is words ("…
    took aim at …", "… released a statement …") when DEED_SPEECH is on; False for any other verb."""
    verb = verb_words[-1]
    if " ".join(verb_words) not in DEEDS and verb not in DEEDS:
        return False
    if DEED_SPEECH and verb in _SPEECH_DEEDS and _SPEECH_OBJECT.match(sentence, verb_span[1]):
        return True
    return None


def _apart(feats: list[str], long: bool) -> list[str]:
    """A longer subject's features, kept apart from the opening pattern's as LONG_APART says."""
    if not long:
        return feats
    if LONG_APART == "all":
        return [f if f == "long=True" else "long|" + f for f in feats]
    if LONG_APART == "kind":
        return ["long|" + f if f.startswith(_KIND_FEATURES) else f for f in feats]
    return feats


@dataclass(frozen=True, slots=True)
class Model:
    weights: dict[str, float]
    threshold: float
    rates: Rates
    wide: Wide = NARROW
    # A threshold of its own for a longer subject (None: the threshold), chosen on dev after the
    # threshold: with its features apart (LONG_APART "all") it is a model of its own.
    long_threshold: float | None = None


@lru_cache(maxsize=1)
def _model() -> Model | None:
    if not WEIGHTS_PATH.is_file():
        return None
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    wide = Wide(frozenset(data.get("places", ())), bool(data.get("extend", False)))
    return Model(data["weights"], data["threshold"], Rates(data["cue"], data["source"]), wide,
                 data.get("long_threshold"))


def probability(feats: list[str], weights: dict[str, float]) -> float:
    z = sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def stance_span(sentence: str, names: dict[str, str]) -> tuple[int, int] | None:
    """(start, end) of the subject that stands behind ``sentence``, else None."""
    model = _model()
    if model is None:
        return None
    best, span = 0.0, None
    for feats, where in candidates(sentence, names, model.rates, model.wide):
        p = probability(feats, model.weights)
        threshold = model.threshold
        if model.long_threshold is not None and "long=True" in feats:
            threshold = model.long_threshold
        if p >= threshold and p >= best:
            best, span = p, where
    return span
