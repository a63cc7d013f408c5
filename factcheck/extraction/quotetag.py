"""A short tag after a quotation that ends in a comma, question or exclamation mark.

"“…,” Bennett shot back.", "“…,” replied Obama, whose critics …", "“…!” Murphy Tweeted on
Friday.": after such a quotation the next words are the tag whatever the verb, so any verb
in the past or present tense (or one of a few irregular ones) closes it. Asked only when
the rules' tag readers find nothing.
"""

from __future__ import annotations

import re

from .names import source_ok
from .relays import speaker_chain

_SUBJECT = (r"(?:[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|[a-z][\w-]*(?=\s+[A-Z]))){0,4}|"
            r"[a-z][\w-]*(?:\s+[a-z][\w-]*)?\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)+|(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir)\s+"
            r"(?:[\w'’-]+\s+){0,3}?[\w'’-]+|[Hh]e|[Ss]he|[Tt]hey)")
# Past or present tense of a regular verb, or an irregular past a tag uses.
_VERB = (r"(?:[a-z]{3,}(?:ed|es|s)|[A-Z][a-z]{2,}(?:ed|s)|said|told|shot|hit|fired|wrote|spoke|swore|sang|went|struck|"
         r"snapped|quipped)")
_NOT_VERBS = frozenset({"does", "goes", "seems", "is", "was", "has", "its", "needs", "makes", "gets",
                        "takes", "comes", "remains", "appears", "looks"})
_SETTING = r"(?:\s+(?:back|out|up|in|on|at|during|to|from|with|after|before|later|earlier|last|this)\b[^,.!?;]{0,50})?"
_AFTER = re.compile(rf"\s*(?P<src>{_SUBJECT})(?:,[^,]{{2,60}},)?\s+(?P<verb>{_VERB}){_SETTING}\s*[.!?]?\s*$")
_INVERTED = re.compile(rf"\s*(?P<verb>{_VERB})(?:\s+back)?\s+(?P<src>{_SUBJECT})(?:,\s+(?:who|whose|a|an|the)\b.*)?"
                       r"\s*[.!?]?\s*$")
# The quotation must end in one of these, inside its closing mark: "…," or "…?" or "…!".
QUOTE_ENDS = ",!?"


def quotation_tag(tail: str) -> list[str] | None:
    """The chain of a short tag ``tail`` after a quotation, if it is one."""
    for pattern in (_AFTER, _INVERTED):
        m = pattern.match(tail)
        if not m or m.group("verb").lower() in _NOT_VERBS:
            continue
        src = m.group("src")
        chain = speaker_chain(src)
        # "a tired Ola Berg": a description may open the name ("tired" is no verb here).
        if chain and (source_ok(src) or chain[-1][:1].isupper()):
            return chain
    return None
