"""A note's HTML (``notes.render_markdown``: CommonMark, then sanitised), cheaper for the notes most are.

The claim page renders the markdown of each of its notes; a claim seen for the first time by a
process (as most are when editors and checkers read many claims) paid the parser and the sanitiser
for every note: about a tenth of the page (issue 15). Two things make it cheaper without changing a
byte of what is shown:

* **A one-line note of plain words, with at most some ``**bold**`` words** — most notes — is written
  directly: for such text CommonMark gives one paragraph, the bold runs as ``<strong>``, ``&`` as
  ``&amp;`` and ``"`` as ``&quot;``, which the sanitiser writes back as ``"``. What counts as such text
  is deliberately narrow (``_SIMPLE``): it starts with a letter (no list, heading, quote, code or HTML
  block can start there), holds none of the characters that start inline markup (`` ` \\ [ ] < > ! _ ~``,
  ``*`` outside a bold pair, ``&`` before anything but a space: an entity), no line break, no leading
  or trailing blank, and each bold pair opens after a blank (or the start) on a letter or digit and
  closes on one before a blank, the end or closing punctuation, so that CommonMark's rules for
  delimiter runs can only pair them as written. ``tests/views/test_note_html.py`` compares this with
  the parser and sanitiser on many thousands of generated notes.
* Anything else goes through the parser as before, and the sanitiser is one ``nh3.Cleaner`` built
  once with the settings of ``render_markdown`` (``nh3.clean`` builds one for every call: most of its
  time).
"""
from __future__ import annotations

import re

import nh3
from markupsafe import Markup

from factcheck.services import notes

# The characters of a plain word run (no markup can start with them in the middle of a line). Letters
# and digits, the blank, common punctuation, and letters and typographic marks beyond ASCII.
_WORDS = r"A-Za-z0-9 ,.;:'\"?()%$/+=@#\-\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u2018\u2019\u201c\u201d\u2013\u2014\u2026"
_ALNUM = r"A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
# ``&`` only before a blank: anywhere else it may begin an entity (``&amp;``, ``&#38;``).
_RUN = rf"(?:[{_WORDS}!]|&(?= ))"
_BOLD = rf"\*\*[{_ALNUM}](?:{_RUN}*[{_ALNUM}])?\*\*"
# A bold pair opens at the start or after a blank, and closes before a blank, the end or . , ; : ! ? )
_SIMPLE = re.compile(
    rf"(?:[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]|{_BOLD}(?=$|[ .,;:!?)]))"
    rf"(?:{_RUN}|(?<= ){_BOLD}(?=$|[ .,;:!?)]))*"
)
_BOLD_PAIR = re.compile(r"\*\*(.+?)\*\*")
_STRONG = r"<strong>\1</strong>"

_CLEANER = nh3.Cleaner(tags=notes._ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                       url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener noreferrer")


def render(body: str) -> Markup:
    """What ``notes.render_markdown(body)`` gives."""
    if _SIMPLE.fullmatch(body) and not body.endswith(" "):
        return Markup("<p>" + _BOLD_PAIR.sub(_STRONG, body.replace("&", "&amp;")) + "</p>\n")
    return Markup(_CLEANER.clean(notes._markdown.render(body)))
