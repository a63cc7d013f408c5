"""Who speaks in a line set in title case: "Black Lawmakers Rip Trump As A 'Fraud.'",
"Poll: Wealthy Voters Abandon …", "Obama on Climate Change: The Trends Are 'Terrifying.'".

A headline written this way puts its speaker first and says what they did with their words
in one verb ("Calls", "Vows", "Slams", "Reveals"), or sets the speaker before a colon. PolNeAR's
annotators read such lines as that speaker's; so does a desk, which checks "Senator Calls Plan
'A Fraud'" as the senator's verdict. A deed in the verb ("Gives", "Faces", "Targets") is the
outlet's report and names no speaker, so only verbs of speech and stance are read.
"""

from __future__ import annotations

import re

from .lexicon import DATE_WORDS, FUNCTION_WORDS
from .names import source_ok
from .relays import speaker_chain
from .types import Attribution

# Verbs of speech and stance, in the forms a headline uses (third person and plural).
_VERBS = (
    r"Says|Say|Tells|Warns|Warn|Claims|Claim|Admits|Insists|Writes|Calls|Call|Vows|Vow|Slams|Slam|Blasts|Blast|"
    r"Rips|Rip|Knocks|Knock|Attacks|Attack|Accuses|Accuse|Blames|Blame|Urges|Urge|Demands|Demand|Pledges|Pledge|"
    r"Promises|Promise|Predicts|Predict|Reveals|Reveal|Sees|See|Seeks|Seek|Wants|Want|Fears|Fear|Doubts|Doubt|"
    r"Backs|Back|Endorses|Endorse|Praises|Praise|Defends|Defend|Denies|Deny|Rejects|Reject|Dismisses|Dismiss|"
    r"Questions|Question|Mocks|Mock|Touts|Tout|Argues|Argue|Explains|Explain|Speaks|Speak|Shares|Share|Rally|"
    r"Rallies|Shows|Show|Hammers|Hammer|Corners|Grills|Grill|Presses|Press|Decries|Decry|Condemns|Condemn|"
    r"Criticizes|Criticises|Criticize|Criticise|Applauds|Applaud|Welcomes|Welcome|Laments|Lament|Asks|Ask|"
    r"Suggests|Suggest|Hints|Hint|Threatens|Threaten|Challenges|Challenge|Lambasts|Lambast|Scolds|Scold|"
    r"Chides|Chide|Disputes|Dispute|Sounds\s+Off|Breaks\s+With|Break\s+With|Goes\s+After|Go\s+After|"
    r"Sums\s+Up|Points\s+Out|Point\s+Out|Lashes\s+Out|Lash\s+Out|Weighs\s+In|Weigh\s+In|Pushes\s+For|"
    r"Push\s+For|Takes\s+Aim|Take\s+Aim|Hits\s+Back|Hit\s+Back|Fires\s+Back|Fire\s+Back|Opens\s+Up|Open\s+Up|"
    r"Announces|Announce|Responds|Respond|Insults|Insult|"
    # The past tense, mostly after "Just" ("Senator Just Revealed …", "Mayor Just Vowed To …").
    r"Said|Told|Warned|Claimed|Admitted|Wrote|Called|Vowed|Slammed|Blasted|Ripped|Attacked|Accused|Blamed|"
    r"Urged|Demanded|Pledged|Promised|Predicted|Revealed|Praised|Defended|Denied|Rejected|Dismissed|Mocked|"
    r"Shared|Explained|Announced|Responded|Insulted|Questioned|Threatened|Endorsed|Exposed"
)
# "Governor Just Announced …", "Mayor Now Says …": an adverb between the subject and its verb.
_ADVERB = r"(?:(?:Just|Now|Also|Finally|Again|Quietly|Openly|Publicly)\s+)?"
_WORD = r"[A-Z][\w'’.-]*"
# "Railing Against Trump, Sanders Vows …": a fronted participle phrase before the subject.
_FRONTED = r"(?:[A-Z][a-z]{2,}ing\b[^,:;]{1,50},\s+)?"
_SUBJECT_VERB = re.compile(
    rf"{_FRONTED}(?P<src>(?:\d{{1,4}}\s+)?{_WORD}(?:\s+{_WORD}){{0,3}}?)\s+{_ADVERB}(?:{_VERBS})(?=\s+\S+\s+\S)")
# "Pat Caddell: Voters Worried …", "Obama on Climate Change: The Trends Are …".
_COLON = re.compile(rf"(?P<src>{_WORD}(?:\s+{_WORD}){{0,2}})(?:\s+on\s+[^:;,.]{{2,40}})?:\s+(?=[\"“‘'A-Z])")
# Labels before a colon that name no one.
_NOT_SPEAKERS = frozenset({"update", "updated", "watch", "video", "photo", "photos", "exclusive", "breaking",
                           "opinion", "analysis", "editorial", "review", "correction", "clarification", "note",
                           "related", "read", "live", "listen", "explainer", "factbox", "timeline", "q&a",
                           "interview", "transcript", "editor's", "editor’s", "boom", "wow", "look", "bombshell",
                           "shocking", "huge", "alert", "just", "must", "warning", "wait", "yikes", "ouch"})
# Words in a title-case phrase that make it a topic, not a speaker ("Stealth Over Health").
_NOT_IN_NAME = frozenset({"over", "under", "with", "without", "against", "from", "into", "amid", "vs", "about", "like",
                          "up", "down", "off", "out", "is", "are", "was", "were", "how", "why", "what", "who"})


def is_title_case(sentence: str) -> bool:
    """Four words or more, most of them capitalised."""
    words = sentence.split()
    return len(words) >= 4 and sum(w[:1].isupper() or w[:1].isdigit() for w in words) >= 0.6 * len(words)


def _speaker(src: str) -> bool:
    lowered = [w.lower().strip(".,'’") for w in src.split()]
    if any(w in FUNCTION_WORDS or w in DATE_WORDS or w in _NOT_SPEAKERS or w in _NOT_IN_NAME for w in lowered):
        return False
    # "31 Latinos": a count of people opens the subject.
    return not src.endswith(("'s", "’s")) and source_ok(re.sub(r"^\d+\s+", "", src))


def title_case_tag(sentence: str) -> Attribution | None:
    """The speaker a title-case line opens with, before a verb of speech or stance or a colon."""
    if not is_title_case(sentence):
        return None
    colon = _COLON.match(sentence)
    # "Revealed:", "BUSTED:": an exclamation of the outlet's, not a speaker.
    if colon and _speaker(colon.group("src")) and not re.fullmatch(r"\w+ed", colon.group("src"), re.I):
        chain = speaker_chain(colon.group("src"))
        return Attribution(chain=chain, leading=True, according=True, end=colon.end()) if chain else None
    m = _SUBJECT_VERB.match(sentence)
    if m is None or not _speaker(m.group("src")):
        return None
    chain = speaker_chain(m.group("src"))
    return Attribution(chain=chain, leading=True) if chain else None
