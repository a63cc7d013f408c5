"""Wire-copy markers inside a line: datelines before the story, end markers after it.

A dateline ("LONDON, June 3 (Reuters) -", "KARVEN, Aug. 2 (UPI) --", "ASTANA. KAZINFORM -",
"MOSCOW, March 3. /TASS/.", "(MENAFN- Trend News Agency)") frames the story; an end
marker ("(end)", "/ENDS") closes it. Neither is part of a claim. They are found here
as spans of a line so the furniture detector can set them aside with offsets intact.
"""

from __future__ import annotations

import re

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DATE = rf"(?:{_MONTH}\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?)"
# A city in capitals: "LONDON", "NEW YORK", "NUR-SULTAN", "ST. PETERSBURG".
_CAPS_CITY = r"[A-Z][A-Z'’.-]+(?:[ -][A-Z][A-Z'’.-]+){0,3}"
# A city as a name ("Paris"), only before an agency in brackets.
# "Hamburg/Berlin (dpa)", and ANI's "New Delhi [India]".
_NAME_CITY = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}(?:/[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})?(?:\s*\[[A-Z][\w ]{1,30}\])?"
_REGION = r"(?:,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})"
# dpa writes its name in lower case: "Rostal (dpa) -".
_AGENCY_NAME = r"(?:[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4}|dpa(?:-[A-Z]+)?)"
# EFE closes its dateline with a full stop and a dash, unspaced: "Madrid (EFE).- ".
_SEPARATOR = r"(?:\s*(?:--|[-–—:])\s+|\.[-–—]\s*)"
# Agencies that may close a dateline with no separator at all ("Baku, March 3, AZERTAC").
_BARE_AGENCY = r"(?:AZERTAC|APA|Trend|Report|Xinhua|WAM|SPA|QNA|KUNA|Petra|PETRA|IRNA|Anadolu|Kazinform|KAZINFORM|TASS)"
_DATELINE = re.compile(
    rf"""
    (?P<menafn>\(MENAFN-?\s*[^)\n]{{1,80}}\)\s*)?
    (?:
        # "LONDON, June 3 (Reuters) -", "KARVEN, Aug. 2 (UPI) --", "NEW YORK (AP) —",
        # "OSLOVIK, Norvia —", "MOSCOW. March 3 (Interfax) -"
        {_CAPS_CITY}{_REGION}?(?:[,.]\s*{_DATE})?\s*\({_AGENCY_NAME}\){_SEPARATOR}
        # "Almaty. March 5. KazTAG -", "BAKU, Azerbaijan, March 5. Trend:": a date, a full
        # stop, then the agency's one-word name and a separator
      | (?:{_CAPS_CITY}|{_NAME_CITY}){_REGION}?[,.]\s*{_DATE}\.\s+[A-Z][\w.&'’-]{{1,20}}{_SEPARATOR}
        # "NEW DELHI, March 3 (IANS) Exports ...": a date and the agency, no dash
      | {_CAPS_CITY}{_REGION}?[,.]\s*{_DATE}\s*\({_AGENCY_NAME}\)\s+
      | {_CAPS_CITY}{_REGION}?(?:[,.]\s*{_DATE})?{_SEPARATOR}
        # "Paris (AFP) -", "New Delhi, Mar 3 (PTI)"
      | {_NAME_CITY}\s*\({_AGENCY_NAME}\){_SEPARATOR}
      | {_NAME_CITY}{_REGION}?,\s*{_DATE}\s*\({_AGENCY_NAME}\)(?:{_SEPARATOR}|\s+)
        # "Baku, Azerbaijan, March 3. " (Trend)
      | {_NAME_CITY}{_REGION},\s*{_DATE}\.\s+
        # "Aug. 21 (UPI) --": a date and the agency, no city
      | {_DATE}\s*\({_AGENCY_NAME}\){_SEPARATOR}
        # "Baku, March 3, AZERTAC The ...": a known agency after a comma, no separator
      | (?:{_NAME_CITY}|{_CAPS_CITY}){_REGION}?,\s*{_DATE},\s*{_BARE_AGENCY}\s+
        # "Karachi: The ...": a city as a name and a colon, before a sentence of the story
      | (?P<colon>{_NAME_CITY}):\s+
        # "RIYADH, March 3, 2026, SPA --": the agency after a comma, no brackets
      | {_CAPS_CITY}{_REGION}?,\s*{_DATE},\s*[A-Z]{{2,8}}{_SEPARATOR}
        # "MOSCOW, March 3. /TASS/.", "ASTANA. KAZINFORM -", "ASTANA, March 3. KAZINFORM -"
      | {_CAPS_CITY}{_REGION}?(?:[,.]\s*{_DATE})?\.\s*/\s*{_AGENCY_NAME}\s*/\.?\s+
        # "TASHKENT, March 5 /Xinhua/ --": the agency between slashes, then a dash
      | {_CAPS_CITY}{_REGION}?(?:[,.]\s*{_DATE})?\s*/\s*{_AGENCY_NAME}\s*/{_SEPARATOR}
      | {_CAPS_CITY}(?:[,.]\s*{_DATE})?\.\s+[A-Z][A-Z.-]{{2,}}(?:\s+[A-Z][A-Z.-]{{2,}})?{_SEPARATOR}
        # "BAKU, Azerbaijan, March 3. " (Trend): a date and a full stop
      | {_CAPS_CITY}{_REGION}?,\s*{_DATE}\.\s+
    )?
    (?=[A-Z0-9“"‘'«(])
    """,
    re.X,
)
# Desk initials after the marker: KUNA's "(end) sbk.rk", Xinhua's "Enditem".
_INITIALS = r"(?:\s+[a-z]{2,5}(?:[./-][a-z]{2,5}){0,4})?"
_END_MARKER = (r"(?:(?:\(\s*end\s*\)|\(\s*ends\s*\)|/\s*ends?\s*/?|\[\s*end\s*\]|-{1,3}\s*end\s*-{1,3}|###|-30-|"
               rf"\+\+\+|enditem){_INITIALS})")
END_MARKER_LINE = re.compile(rf"{_END_MARKER}|ends?\.?", re.I)
# AFP's and others' sign-off of desk initials on a line of its own: "ef/jm/rl", "sbk.rk".
SIGN_OFF_LINE = re.compile(r"[a-z]{2,5}(?:[/.-][a-z]{2,5}){1,5}")
# Agencies that sign off with their name on a line of its own, alone or with the desk's
# initials after it: "--IANS", "-- BERNAMA", "==Kyodo", "EFE", "PTI RKS MJ", "dpa kel xx ab".
_SIGNING_AGENCY = (r"(?:PTI|IANS|ANI|UNI|dpa|EFE|Kyodo|KYODO|Yonhap|BERNAMA|Bernama|WAM|SPA|QNA|KUNA|Petra|PETRA|"
                   r"IRNA|APA|Trend|Xinhua|AFP|AP|Reuters|TASS|Interfax|Anadolu|AA|Kazinform|Orda|UPI|MENAFN)")
AGENCY_SIGN_OFF_LINE = re.compile(
    rf"(?:[-=—–]{{1,3}}\s*)?(?:{_SIGNING_AGENCY}|\(\s*{_SIGNING_AGENCY}\s*\)|/{_SIGNING_AGENCY}/)(?:\s+(?:[A-Z]{{2,4}}|[a-z]{{2,4}})(?:[/.-][A-Za-z]{{2,4}})*){{0,5}}"
)
_END_MARKER_TAIL = re.compile(rf"\s+{_END_MARKER}\s*$", re.I)
# At most this many characters of a line are looked at for a dateline.
_DATELINE_WINDOW = 200


# A sentence of the story: eight words or more, not in title case, closed by a full stop.
_STORY_SENTENCE = re.compile(r"(?=(?:\S+\s+){7})(?!(?:[A-Z]\S*\s+){4})[A-Z0-9“\"‘'][^\n]*[.!?][\"”’']?")


def dateline_end(line: str, *, headline_slot: bool = False) -> int:
    """Where a dateline opening ``line`` ends (0 when there is none). At least one word
    of the story must follow it. ``headline_slot``: the line opens the text, where a
    headline stands."""
    m = _DATELINE.match(line[:_DATELINE_WINDOW])
    if not m or m.end() == 0 or m.end() >= len(line.rstrip()):
        return 0
    if m.group("colon") and (headline_slot or not _STORY_SENTENCE.fullmatch(line[m.end():].rstrip())):
        # "Karachi:" before a sentence of the story; "Poll: Clinton and Trump in dead heat"
        # and "Pence: Flowers Won't Be at Debate" are a headline's label.
        return 0
    if m.group("menafn") is None and line.isupper() and not re.search(rf"{_DATE}|\(|/", m.group(0), re.I):
        # A line in capitals throughout: "THE MINISTRY SAID -" is not a dateline unless
        # a date or an agency says so.
        return 0
    return m.end()


def end_marker_start(line: str) -> int | None:
    """Where an end marker closing ``line`` starts, if it has one after some text."""
    m = _END_MARKER_TAIL.search(line[-40:])
    if not m:
        return None
    start = len(line) - len(line[-40:]) + m.start()
    return start if line[:start].strip() else None
