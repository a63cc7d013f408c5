"""Who a sentence reports, when it opens with its speaker and a verb PolNeAR reads as a cue.

"Trump accused Clinton of …", "The Republican nominee also praised …", "Jo Formicola, a
professor at Seton Hall, described …": the subject of a verb that reports speech, a
stance or a judgement. The verbs are the cue words the training script counted on
PolNeAR train (``attribution_cues.txt``) that are verb forms; the rules' own lexicon
already covers "said", "told" and the like. Asked only about a sentence for which neither
the rules nor the learned reader found a speaker.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import learned

# Learned cue words that are not a verb a subject could govern.
_NOT_VERBS = frozenset(
    "according assertion complaints chants eager officially openly repeatedly reportedly titled named nominated "
    "listed reads express discuss mention reveal suggest indicate insist announce acknowledge argue".split()
)
# Words that may stand between the subject and its verb.
_BETWEEN = (r"(?:also|has|have|had|again|then|now|once|still|even|never|already|just|quickly|publicly|privately|"
            r"openly|repeatedly|previously|recently|later|first|since|long|often|frequently|initially|largely|"
            r"flatly|sharply|strongly|immediately|explicitly|implicitly|falsely|wrongly|correctly|directly|"
            r"separately|subsequently|ultimately|further|\w+ly)")
_NAME = r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|Sens|Reps)\.\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|al-\w+)){0,4}"
_DESCRIBED = r"(?:The|the|A|a|An|an|Its|its|His|his|Her|her|Their|their|Some|some|Many|many|Several|several|\d[\d,]*)\s+[\w'’-]+(?:\s+[\w'’-]+){0,6}"
_APPOSITION = r"(?:,\s+[^,]{3,90},)?"


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str] | None:
    verbs = sorted(w for w in learned.cue_words() if w not in _NOT_VERBS)
    if not verbs:
        return None
    return re.compile(
        rf"(?:[A-Z][^,;:\"“”]{{2,80}},\s+)?(?P<src>{_NAME}|{_DESCRIBED}){_APPOSITION}"
        rf"(?:\s+{_BETWEEN}){{0,2}}\s+(?:{'|'.join(verbs)})\b"
    )


def actor_span(sentence: str) -> tuple[int, int] | None:
    """(start, end) of the subject of a cue verb that opens ``sentence``, else None."""
    pattern = _pattern()
    if pattern is None:
        return None
    m = pattern.match(sentence)
    return m.span("src") if m else None
