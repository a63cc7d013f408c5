"""Whether a person named or referred to is a man or a woman, when the words say so.

A compact lexicon, written by hand: common English-language given names (and some that
recur in international news), the courtesy titles ("Mr.", "Mrs."), the pronouns and the
role nouns that carry a gender ("spokeswoman", "first lady"). Anything else is unknown,
and an unknown gender agrees with both: the lexicon only ever rules a candidate out.
"""

from __future__ import annotations

import re
from typing import Literal

Gender = Literal["m", "f"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MALE_NAMES = _words(
    """
    aaron abdul abraham adam adrian ahmed al alan albert alex alexander alexei alfred ali alistair alton andre andrew
    andy angus anthony antonin antonio ari arnold arthur arturo barack barney barry bashar ben benjamin bernard bernie
    bill billy bob bobby boris brad bradley brendan brent brett brian bruce bryan byron calvin carl carlos cecil chad
    charles charlie chip chris christian christopher chuck clarence claude clifford clint cody colin conor corey cory
    craig dale dan daniel danny dante darrell dave david dean dennis derek devin dick dmitry don donald doug douglas
    drew duncan dwight earl eddie edgar eduardo edward eli elijah elliot emil emmanuel enrique eric erik ernest evan
    ezra felipe ferdinand fidel francis francisco frank franklin fred frederick gabriel gary gavin gene geoff geoffrey
    george gerald gilbert glen glenn gordon graham greg gregory guy hamid hans harold harry harvey hassan henry herbert
    herman howard hugh hugo ian igor isaac ivan jack jacob jaime jake james jared jason javier jay jeb jeff jeffrey
    jeremy jerome jerry jesse jim jimmy joaquin joe joel john johnny jon jonah jonathan jorge jose joseph josh joshua
    juan julian justin karl keith ken kenneth kevin khalid kirk kofi lars kurt lamar lance larry lawrence leo leon leonard
    lewis lincoln lou louis luis luke lyndon malcolm manuel marc marco marcus mario mark marshall martin marty
    marvin matt matthew maurice max michael miguel mike mikhail milton mitch mitt mohamed mohammad mohammed muhammad
    muammar moammar nate nathan neal neil nelson newt nicholas nick nicolas nigel noah norm norman oliver omar oscar
    osama otto owen pablo patrick paul pedro pete peter phil philip pierre rafael rahm ralph rand randy raul ray raymond
    recep reggie reince reinhold richard rick ricky rob robby robert roberto rod rodney roger roland ron ronald ross
    roy rudolph rudy rupert russ russell ryan saddam sam samuel scott sean sebastian sergei sergey seth shane sheldon
    sherrod shinzo sidney simon solomon stan stanley stefan stephen steve steven stuart sven ted terrence theodore thomas tomas
    tim timothy toby todd tom tommy tony travis trent trey troy tyler victor viktor vincent vladimir wade walter warren
    wayne wesley will william willie xavier yuri zach zachary
    """
)
FEMALE_NAMES = _words(
    """
    abigail ada alexandra alice alicia alison amanda amber amy ana andrea angela angelina ann anna anne annie
    antonia ashley barbara beatrice becky betsy betty beverly bonnie brenda brigid brittany camila carly carmen carol
    caroline carolyn catherine cathy cecile charlotte chelsea cheryl christina christine cindy claire clara claudia
    condoleezza connie courtney cynthia daniela deb debbie debby deborah debra denise diana diane donna doris
    dorothy elaine eleanor elena elise elizabeth ellen emily emma erica erin esther eva eve evelyn fatima fiona florence
    frances gabriela gabrielle gail gina giselle gloria grace gwen hannah harriet heather heidi helen hillary
    holly hope huma ida ines irene ingrid iris isabel isabella ivanka jackie jacqueline jane janet janice jeanne jenna
    jennifer jenny jessica jill jo joan joanna jodi joni josephine joy joyce judith judy julia julie june karen kate
    katherine kathleen kathryn kathy katie kay kayleigh kellyanne kelsey kirsten kristen kristin laura lauren lena leah
    linda lisa liz lois loretta lori louise lucy lydia lynn madeleine madison maggie marcia margaret maria marie
    marilyn marina marion marta marla martha mary maureen maxine maya megan megyn melania melanie melissa meryl mia michele
    michelle mika mira miriam molly monica nadia nancy naomi natalie nicole nikki nina nora olga olivia pam pamela
    patricia patti paula pauline peggy penny phyllis priscilla rachel rebecca regina renee rita roberta rosa rosalind
    rose ruth sabrina sally samantha sandra sara sarah selina shannon sharon sheila shelby shirley sofia sonia sophia
    sophie stacey stephanie sue susan suzanne sylvia tamara tammy tanya teresa theresa tiffany tina tracy ursula
    valerie vanessa vera veronica victoria wendy whitney yvonne zoe
    """
)
_HONORIFICS: dict[str, Gender] = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "dame": "f",
                                  "lady": "f", "lord": "m", "madam": "f"}
# Role words that carry a gender: "the spokeswoman", "the first lady", "congressman".
_ROLE_WORDS: dict[str, Gender] = {
    "spokesman": "m", "spokeswoman": "f", "chairman": "m", "chairwoman": "f", "congressman": "m",
    "congresswoman": "f", "businessman": "m", "businesswoman": "f", "king": "m", "queen": "f", "prince": "m",
    "princess": "f", "husband": "m", "wife": "f", "father": "m", "mother": "f", "son": "m", "daughter": "f",
    "brother": "m", "sister": "f", "widow": "f", "widower": "m", "actress": "f", "actor": "m", "grandmother": "f",
    "grandfather": "m", "sheikh": "m", "councilman": "m", "councilwoman": "f", "assemblyman": "m",
    "assemblywoman": "f", "anchorman": "m", "anchorwoman": "f", "man": "m", "woman": "f", "boy": "m", "girl": "f",
    "mom": "f", "dad": "m", "uncle": "m", "aunt": "f", "nephew": "m", "niece": "f",
}
_PRONOUNS: dict[str, Gender] = {"he": "m", "him": "m", "his": "m", "himself": "m",
                                "she": "f", "her": "f", "hers": "f", "herself": "f"}
_FIRST_LADY = re.compile(r"\bfirst\s+lady\b", re.I)
_WORD = re.compile(r"[A-Za-z][\w'’-]*\.?")


def of_pronoun(word: str) -> Gender | None:
    """"he" is a man, "she" a woman; "they", "it", "I" say nothing."""
    return _PRONOUNS.get(word.strip().lower())


def of_honorific(word: str) -> Gender | None:
    """"Mr." a man, "Mrs.", "Ms." and "Miss" a woman; "Sen.", "Dr." say nothing."""
    return _HONORIFICS.get(word.strip().rstrip(".").lower())


def of_given_name(word: str) -> Gender | None:
    low = word.strip().lower()
    if low in MALE_NAMES and low not in FEMALE_NAMES:
        return "m"
    if low in FEMALE_NAMES and low not in MALE_NAMES:
        return "f"
    return None


def of_name(name: str) -> Gender | None:
    """The gender a name or a description shows: by its courtesy title ("Mrs. Clinton"), its
    given name ("Hillary Clinton"), or a role word ("the party's spokeswoman", "the first
    lady"); None when nothing says."""
    if _FIRST_LADY.search(name):
        return "f"
    words = _WORD.findall(name)
    if not words:
        return None
    for word in words:
        low = word.rstrip(".").lower()
        if low in _ROLE_WORDS:
            return _ROLE_WORDS[low]
    # The last word is the surname: "Ryan", "Warren" and "Kelly" are surnames too.
    for word in words[:-1]:
        found = of_honorific(word) or of_given_name(word)
        if found:
            return found
    return None


def agrees(a: Gender | None, b: Gender | None) -> bool:
    """Whether two genders may be the same person's: an unknown one agrees with either."""
    return a is None or b is None or a == b
