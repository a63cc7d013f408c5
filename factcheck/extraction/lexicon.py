"""Word lists and regular-expression pieces that attribution is read with.

Data only: the verbs that report speech, the words that make a title, an
organisation or a news outlet, and the patterns for names and source phrases.
The modules that parse tags (``leading``, ``trailing``, ``relays``) and read names
(``names``) share them from here.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that attribute whatever follows or precedes them.
SPEECH_VERBS = (
    r"said|says|say|saying|added|adds|told|tells|claimed|claims|claim|stated|states|reported|reports|"
    r"wrote|writes|tweeted|posted|argued|argues|insisted|insists|warned|warns|alleged|alleges|asserted|"
    r"asserts|maintained|maintains|noted|notes|stressed|stresses|explained|explains|declared|declares|"
    r"announced|announces|continued|recalled|replied|responded|answered|observed|remarked|commented|"
    r"conceded|cautioned|predicted|estimated|acknowledged|admitted|confirmed|denied|disclosed|revealed|"
    r"suggested|indicated|emphasi[sz]ed|emphasi[sz]es|underlined|underscored|pointed out|has learned|"
    r"learned|understands|believes|thinks|ruled|found|finds|showed|shows|concluded|concludes|complained|"
    r"complains|testified|vowed|promised|pledged|mentioned|thought|believed|expects|expected|fears|feared|"
    r"charged|contended|contends|countered|recounted|projected|projects|forecast|forecasts|reckons|estimates|"
    r"called on|called for|calls on|calls for|urged|urges|pointed to|points to|demanded|demands|appealed to|"
    r"reaffirmed|reiterated|repeated|informed"
)
# Of those, the ones that also take a plain object ("confirmed support for ...") and so
# attribute a sentence they open only when a clause follows ("confirmed that ...").
CLAUSE_ONLY = _words(
    "confirmed denied acknowledged admitted announced announces estimated predicted disclosed revealed "
    "suggested indicated emphasized emphasised emphasizes emphasises underlined underscored stressed "
    "stresses noted notes observed recalled continued answered remarked commented posted reported reports "
    "learned understands believes thinks explained explains ruled found finds showed shows concluded concludes "
    "complained complains testified vowed promised pledged mentioned thought believed expects expected fears "
    "feared charged contended contends countered recounted projected projects forecast forecasts reckons "
    "reiterated repeated"
)
# Capitalised only because they open a sentence before a name ("Neighbouring Brenmark").
LEADING_ADJECTIVES = _words("neighbouring neighboring fellow nearby")
AUX = r"(?:(?:also|later|earlier|reportedly|previously|then|further|separately|recently|again|publicly|"
AUX += r"privately|repeatedly|has|have|had|was|were|is|would|will|did|does|not|once|first|last|"
AUX += r"allegedly|apparently|reportedly|officially|quickly|flatly|firmly|"
# Not every word in "-ly" is an adverb: "The driver's family has called on …".
AUX += r"(?!(?:family|ally|rally|assembly|supply|monopoly|tally|daily|weekly|monthly|quarterly)\b)[a-z]{3,}ly)\s+){0,3}"

VERB = rf"(?P<verb>{SPEECH_VERBS})"
DET = r"(?:a|an|the|one|two|three|four|several|some|many|other|another|most|senior|two|both|its|his|her|their)"
# Words that open a noun phrase naming who speaks without being a name: possessives
# ("its chair", "his spokesman") and counts ("two shipping agents", "several officials").
NP_OPENERS = _words(
    "its his her their one two three four five six seven eight nine ten several some many both other "
    "another most few"
)
POSSESSIVE_DET = _words("its his her their")
PRONOUN = r"(?:he|she|they|it|we|I)"
PRONOUN_RE = re.compile(PRONOUN, re.I)
# A source noun phrase: at most ten words, starting like a name, a description or a pronoun.
SRC = rf"(?P<src>(?:{PRONOUN}|(?:{DET}\s+)?[\w'’.&-]+(?:\s+[\w'’.&()-]+){{0,14}}?))"

FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My|me|I'm|We're|we're|I've|we've|ours)\b")
# Lower-case only: "Retired Lt. Gen. Michael Flynn" is a name, not a verb phrase.
VERB_LIKE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|should|must|did|does|do|might|shall|"
                       r"(?<!\bMay )may(?! \d))\b"
                       r"|\b[a-z]\w*ed\b(?!\s+(?:by|for|to|of)\b)")
# A capitalised token: a word, an initial ("F.") or a dotted acronym ("U.S."); a
# sentence's final full stop is not part of it.
CAP_TOKEN = r"(?:(?:[A-Z]\.)+(?![a-z])|[A-Z][\w'’-]*)"
PARTICLE = r"(?:al|el|bin|ibn|van|von|de|da|di|du|del|der|la|le)"
CAP_RUN = re.compile(rf"(?:{PARTICLE}-)?{CAP_TOKEN}(?:\s+(?:{PARTICLE}[- ])?{CAP_TOKEN})*")
FUNCTION_WORDS = _words(
    "a an the on in at of for to by but and or so yet as if when while after before since meanwhile "
    "incidentally however this that these those it he she they we i his her its their our"
)

# Words that describe a role; dropped from the front of a name ("Deputy Foreign Minister
# Mikhail Bogdanov" -> "Mikhail Bogdanov").
TITLE_WORDS = _words(
    """
    deputy vice prime first foreign interior defence defense finance health economy trade justice energy
    minister president secretary general spokesman spokeswoman spokesperson senator sen. rep. representative
    gov. governor mayor chief executive officer ceo cfo director chairman chairwoman chair ambassador special
    envoy judge commissioner lt. col. gen. adm. dr. mr. mrs. ms. prof. king queen prince princess pope sheikh
    former acting senior assistant press state attorney prosecutor speaker leader head commander colonel
    general lieutenant captain sergeant major police chief opposition presidential national foreign affairs
    kremlin white house u.s. us uk eu un nominee candidate challenger
    datuk dato dato' datin eng. adv.
    """
)
# The nouns among the title words: what a person is ("the Norvian president").
TITLE_NOUNS = _words(
    """
    minister president secretary spokesman spokeswoman spokesperson senator governor mayor director chairman
    chairwoman chair ambassador envoy judge commissioner king queen prince princess pope sheikh attorney
    prosecutor speaker leader head commander colonel general lieutenant captain sergeant chief ceo cfo
    officer representative premier chancellor nominee candidate challenger
    """
)
ORG_WORDS = _words(
    """
    ministry agency office department council party bank service committee commission court police army
    forces government administration university institute company group news times post house kremlin
    parliament senate congress union association federation organization organisation fund board authority
    authorities ministry's press chamber corporation bureau foundation society centre center assembly
    directorate inspectorate exchange league alliance coalition tribunal secretariat
    """
)
NEWS_OUTLETS = _words(
    """
    reuters ap afp bloomberg interfax tass ria xinhua anadolu kyodo yonhap bbc cnn dpa efe ansa sana orda
    axios politico wsj nbc cbs abc kommersant vedomosti haaretz kazinform tengrinews irna isna wafa
    """
)
# The audience of "told", never a relay.
NOT_OUTLETS = _words("parliament congress senate lawmakers reporters journalists the court court police assembly "
                     "legislature cabinet")
DATE_WORDS = _words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december today yesterday tonight morning afternoon evening night "
    "week month year earlier later"
)
DETERMINER = re.compile(r"(?:a|an|the)\s+", re.I)
# "Mr. Obama", "Mrs. Clinton": a surname with a courtesy title that says whose it is.
COURTESY = re.compile(r"\b(?P<title>Mr|Mrs|Ms|Miss)\.?\s+(?P<surname>[A-Z][\w'’-]+)")
DOCUMENTS = (r"statement|report|release|post|letter|document|note|notice|filing|tweet|communique|communiqué|"
             r"announcement|readout|data|figures|estimates?|survey|study|poll|analysis|forecast|website")
RELATIVE = re.compile(r"\s+(?:who|which|that|whose|where)\s+")
PREPOSITION = re.compile(r"\b(?:at|of|for|from|in|with|to|on|by|close|near|inside|within)\b", re.I)
PAREN = re.compile(r"\s*\([^)]*\)")
SOURCE_NOUNS = re.compile(
    r"\b(?:sources?|officials?|spokes(?:man|woman|person)|representatives?|analysts?|experts?|residents?|"
    r"witnesses?|authorities|diplomats?|lawmakers?|police|ministry|government|agency|report|statement|"
    r"survey|study|data|figures|researchers?|economists?|investigators?|prosecutors?|insiders?|people|"
    r"person|aides?|adviser|advisers|advisors?|members?|observers?|activists?|organi[sz]ers?|"
    r"regulators?|bureau|commission|committee|council|board|court|union|party|organi[sz]ation|institute|"
    r"cent(?:er|re)|services?|network|newspaper|outlet|channel|broadcaster|magazine|website|polls?|pollsters?|"
    r"association|federation|operators?|lawyers?|attorneys?|judges?|ministers?|candidates?|chairman|chief|"
    r"directors?|managers?|owners?|founders?|authors?|editors?|reporters?|journalists?|correspondents?|"
    r"survivors?|victims?|relatives?|family|mother|father|wife|husband|friends?|neighbou?rs?|pensioners?|"
    r"users?|customers?|patients?|students?|voters?|supporters?|critics?|opponents?|protesters?|soldiers?|"
    r"military|embassy|envoys?|delegation|negotiators?|media|"
    r"officers?|workers?|employees?|engineers?|scientists?|doctors?|locals?|villagers?|staff|"
    r"company|firm|campaign|office|department|side|leaders?|groups?|agents?|brokers?|traders?|dealers?|"
    r"bankers?|executives?|contacts?|participants?|insiders?|farmers?|drivers?|pilots?|crew|captains?|"
    r"masters?|nurses?|teachers?|chair|chairwoman|chairperson|head|president|secretary|governor|mayor|"
    r"professors?|academics?|consultants?|strategists?|operator)\b",
    re.I,
)
NOT_SOURCE_START = _words(
    "as after before when while if because since though although until unless whether once in on at by with "
    "from for of to into than so and but or yet nor not no there here this these those what why how who whom whose which "
    "where"
)
# Inside a speaker's name or description these mean a clause was taken for a source.
NOT_IN_SOURCE = _words("i we you they he she it think thought got get know knew want wanted if whom who which that")
NOT_A_LAST_WORD = _words("and or but nor is are was were been be being who whom which that than")
PRONOUNS_LOWER = _words("he she they it we i")
# Words that cannot end a noun phrase naming a speaker ("most in both", "some of").
NOT_A_HEAD = _words(
    "a an the of in on at to for by with from and or but both all some many most other others "
    "its his her their this that these those"
)
# Discourse openers and fronted settings before a tag ("Meanwhile, ...", "In a statement, ...").
INTRO = re.compile(
    r"(?:incidentally|meanwhile|however|moreover|furthermore|separately|additionally|also|still|nevertheless|"
    r"nonetheless|indeed|instead|earlier|later|elsewhere|in addition|by contrast|at the same time|"
    r"rather|in fact|in turn|in response|for example|for instance|likewise|similarly|of course|after all|even so|"
    r"(?:hours|days|minutes|moments|weeks|months|years|a\s+(?:day|week|month|year)|two\s+days)\s+(?:later|earlier)|"
    r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|last week|this week|"
    r"in a statement|in an interview|in a (?:post|video|letter|speech)[^,]{0,30}|but|and|so|yet)\s*,?\s+",
    re.I,
)


def is_pronoun(text: str) -> bool:
    return bool(PRONOUN_RE.fullmatch(text))


# A speech verb in a line set in title case: "Obama Says Museum Will Tell …", "…, Graham Says".
_TITLE_SPEECH = re.compile(r"(?<=\S )(?:Says|Said|Tells|Told|Warns|Warned|Claims|Claimed|Admits|Insists|Writes|Wrote)"
                           r"(?=\s|$)")


def read_title_case_speech(sentence: str) -> str:
    """``sentence`` with the speech verb of a title-case line in lower case, so that the tag
    readers know it; same length."""
    words = sentence.split()
    if len(words) < 4 or sum(w[:1].isupper() for w in words) < 0.6 * len(words):
        return sentence
    return _TITLE_SPEECH.sub(lambda m: m.group(0).lower(), sentence, count=1)


# Abbreviated titles before a name ("Sen. Bernie Sanders"), with the office each stands for.
ABBREVIATED_TITLES = {"sen": "senator", "rep": "representative", "gov": "governor", "gen": "general",
                      "lt": "lieutenant", "adm": "admiral", "col": "colonel", "sec": "secretary"}
# A party as the copy names it in a title or a description: "GOP nominee" is the Republican nominee.
PARTIES = {"republican": "republican", "gop": "republican", "democratic": "democratic", "democrat": "democratic",
           "r": "republican", "d": "democratic", "libertarian": "libertarian", "green": "green"}
# The states of the United States as AP style abbreviates them after a name ("Sen. Lindsey
# Graham (R-S.C.)"), for "the South Carolina senator" later; the states AP spells out are
# read as written.
US_STATES = {
    "ala.": "alabama", "ariz.": "arizona", "ark.": "arkansas", "calif.": "california", "colo.": "colorado",
    "conn.": "connecticut", "del.": "delaware", "fla.": "florida", "ga.": "georgia", "ill.": "illinois",
    "ind.": "indiana", "kan.": "kansas", "ky.": "kentucky", "la.": "louisiana", "md.": "maryland",
    "mass.": "massachusetts", "mich.": "michigan", "minn.": "minnesota", "miss.": "mississippi", "mo.": "missouri",
    "mont.": "montana", "neb.": "nebraska", "nev.": "nevada", "n.h.": "new hampshire", "n.j.": "new jersey",
    "n.m.": "new mexico", "n.y.": "new york", "n.c.": "north carolina", "n.d.": "north dakota", "okla.": "oklahoma",
    "ore.": "oregon", "pa.": "pennsylvania", "r.i.": "rhode island", "s.c.": "south carolina", "s.d.": "south dakota",
    "tenn.": "tennessee", "vt.": "vermont", "va.": "virginia", "wash.": "washington", "w.va.": "west virginia",
    "wis.": "wisconsin", "wyo.": "wyoming", "alaska": "alaska", "hawaii": "hawaii", "idaho": "idaho",
    "iowa": "iowa", "maine": "maine", "ohio": "ohio", "texas": "texas", "utah": "utah",
}
