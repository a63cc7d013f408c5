"""How check-worthy a claim is, and what kind of claim it is.

The lexical model (``checkworthiness``) learnt from debate transcripts; news copy adds
its own evidence (an attribution, a statistic, a date, a past event, names), combined
as a noisy-or, and traits that make a sentence less checkable damp the result.
"""

from __future__ import annotations

import math
import re

from .checkworthiness import logit
from .lexicon import CAP_RUN, PRONOUN_RE

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
)
_EVENT = re.compile(
    r"\b(?:\w{3,}ed|began|fled|won|lost|took|made|went|came|fell|rose|left|met|held|led|fought|struck|shot|"
    r"hit|sent|spent|paid|built|sold|bought|grew|ran|drew|broke|caught|chose|drove|froze|gave|kept|"
    r"overtook|overthrew|sank|sought|stole|swore|threw|told|wrote|became|begun|taken|given|seized|died)\b"
)
# News-specific evidence, combined with the lexical model as a noisy-or: each is the
# chance on its own that a sentence with that trait is worth checking.
EVIDENCE = {"attributed": 0.45, "statistic": 0.5, "date": 0.35, "event": 0.3, "names": 0.1}
# Traits that make a sentence less checkable, as multipliers.
DAMPING = {"question": 0.3, "short": 0.3, "headline": 0.6, "hedge": 0.7, "no comment": 0.2}
_HEDGE = re.compile(r"\b(?:might|may|could|perhaps|maybe|possibly|probably|hope|hopes|wish|should|opinion|"
                    r"i think|we think|i believe|we believe|i feel)\b")
# _STAT, _HEDGE and _NO_COMMENT are written in lower case and matched against the
# lower-cased claim: the same answer as a case-blind match, several times faster.
# A claim longer than this is judged on its opening characters: news sentences run to a
# few hundred characters, and scoring stays linear in the text however long a line is.
SCORED_CHARS = 2000
_NO_COMMENT = re.compile(r"\b(?:declined to comment|could not be reached|did not (?:immediately )?respond|"
                         r"did not return|no (?:immediate )?comment|declined to elaborate|"
                         r"(?:has|have|had|did) not (?:yet |immediately )?comment(?:ed)?|"
                         r"could not (?:immediately )?be reached|was not available for comment)\b")


# What a named source says is worth an editor's look however short or plain: the lexical
# model learnt from debates scores short quotations, questions and plain statements low
# ("“Fair and orderly,” Ms. Lund said."), and a desk checks them. At the editor's threshold,
# chosen on PolNeAR dev (right claimant +0.011 at higher precision; CheckThat! unchanged).
NAMED_FLOOR = 0.35
_ARTICLES = frozenset({"the", "a", "an"})


def _named(claimant: str | None) -> bool:
    """A claimant with a capitalised word beyond a leading article: "Ms. Lund", "the UN
    agency", not "he" or "the ministry"."""
    if not claimant or PRONOUN_RE.fullmatch(claimant):
        return False
    words = claimant.split()
    if words[0].lower() in _ARTICLES:
        words = words[1:]
    return any(w[:1].isupper() for w in words)


def score_floor(quote: str, claimant: str | None) -> float:
    """The least score of a claim made by ``claimant``: NAMED_FLOOR for a named source,
    unless it says nothing ("declined to comment")."""
    if not _named(claimant) or _NO_COMMENT.search(quote[:SCORED_CHARS].lower()):
        return 0.0
    return NAMED_FLOOR


def claim_kind(quote: str, *, is_quote: bool, attributed: bool) -> str:
    """quote, attributed statement, statistic, event with date, event or statement, in
    that order of precedence."""
    quote = quote[:SCORED_CHARS]
    if is_quote:
        return "quote"
    if attributed:
        return "attributed statement"
    if _STAT.search(quote.lower()):
        return "statistic"
    if _DATE.search(quote):
        return "event with date"
    if _EVENT.search(quote):
        return "event"
    return "statement"


def _news_evidence(quote: str, low: str, kind: str, attributed: bool) -> float:
    """The chance that none of the news traits makes the sentence worth checking."""
    miss = 1.0
    if attributed:
        miss *= 1.0 - EVIDENCE["attributed"]
    if kind == "statistic" or _STAT.search(low):
        miss *= 1.0 - EVIDENCE["statistic"]
    if _DATE.search(quote):
        miss *= 1.0 - EVIDENCE["date"]
    if kind in ("event", "event with date") or _EVENT.search(quote):
        miss *= 1.0 - EVIDENCE["event"]
    if len(CAP_RUN.findall(quote)) >= 2:
        miss *= 1.0 - EVIDENCE["names"]
    return miss


def _damping(quote: str, low: str, headline: bool, verdict: bool = False) -> float:
    factor = 1.0
    if quote.rstrip("\"”’' ").endswith("?"):
        factor *= DAMPING["question"]
    if len(quote.split()) < 5 and not verdict:
        factor *= DAMPING["short"]
    if headline:
        factor *= DAMPING["headline"]
    if _HEDGE.search(low):
        factor *= DAMPING["hedge"]
    if _NO_COMMENT.search(low):
        factor *= DAMPING["no comment"]
    return factor


def _verdict(quote: str, attributed: bool) -> bool:
    """A short quoted verdict with a speaker ("“fair and orderly,” observers said") is a
    claim however short."""
    return attributed and quote[:1] in "“\"‘«"


def score_ceiling(quote: str, *, headline: bool, attributed: bool = False) -> float:
    """The highest score ``quote`` can get: the damping alone. A claim whose ceiling is
    under the threshold need not be scored (a four-word line, a question)."""
    quote = quote[:SCORED_CHARS]
    return _damping(quote, quote.lower(), headline, _verdict(quote, attributed))


def score_claim(quote: str, kind: str, *, attributed: bool, headline: bool) -> float:
    """A 0..1 ranking score (not a calibrated probability)."""
    quote = quote[:SCORED_CHARS]
    z = max(-30.0, min(30.0, logit(quote)))
    miss = 1.0 - 1.0 / (1.0 + math.exp(-z))
    low = quote.lower()
    miss *= _news_evidence(quote, low, kind, attributed)
    return (1.0 - miss) * _damping(quote, low, headline, _verdict(quote, attributed))
