"""Which language a text is in, as far as claim suggestion needs to know.

The rules of this package read English only. ``detect_language`` tells the app when a
text is not English, so the article page can say "English only" instead of quietly
suggesting claims with no claimant. It looks at the script of the letters and at the
share of very common function words of a few languages; no model is loaded.
"""

from __future__ import annotations

import re
import unicodedata

# The most frequent short words of each language (function words only).
_FUNCTION_WORDS = {
    "en": "the of and to in is that for it was on with as by he said at from his an be have are were this which",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus",
    "fr": "le la les de des et à un une du en est que qui dans pour pas sur au par se plus ne il elle ont",
    "es": "el la de que y en los las del se por un una con para es al lo como más pero sus su fue ha",
    "it": "il di che la è e per un una in del della non si le dei con sono gli al ha da anche",
    "pt": "o a de que e do da em um para é com não uma os no se na por mais as dos como foi",
    "nl": "de het een en van in is op te dat die voor met zijn niet aan er ook als bij door",
    "tr": "ve bir bu da de için ile olarak çok daha olan gibi ama en kadar sonra ancak ise",
    "kk": "мен және бұл да де үшін деп бар болды еді осы оның",
    "ru": "и в не на что с по как это он к но из у за от так же бы для она был",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# How much of a text is looked at, and how many words it needs before a verdict.
_SAMPLE_CHARS = 20_000
_MIN_WORDS = 8
# Scripts named in Unicode character names, and the language code given for each.
_SCRIPTS = (("CYRILLIC", "ru"), ("ARABIC", "ar"), ("CJK", "zh"), ("HIRAGANA", "ja"), ("KATAKANA", "ja"),
            ("HANGUL", "ko"), ("GREEK", "el"), ("HEBREW", "he"), ("DEVANAGARI", "hi"), ("THAI", "th"),
            ("GEORGIAN", "ka"), ("ARMENIAN", "hy"))


def _script(letters: str) -> str | None:
    """The non-Latin script most letters are in, if most are not Latin."""
    counts: dict[str, int] = {}
    latin = 0
    for ch in letters:
        if ch.isascii():
            latin += 1
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("LATIN"):
            latin += 1
            continue
        for script, code in _SCRIPTS:
            if script in name:
                counts[code] = counts.get(code, 0) + 1
                break
    if not counts or sum(counts.values()) <= latin:
        return None
    return max(counts, key=lambda code: counts[code])


def detect_language(text: str) -> str:
    """An ISO 639-1 code ("en", "de", "ru", ...) or "und" when the text is too short or
    unlike any language known here."""
    sample = text[:_SAMPLE_CHARS]
    script = _script("".join(ch for ch in sample if ch.isalpha()))
    words = [w.lower() for w in _TOKEN.findall(sample)]
    if len(words) < _MIN_WORDS:
        return script or "und"
    scores = {lang: sum(w in vocabulary for w in words) / len(words) for lang, vocabulary in _WORDS.items()}
    if script is not None and script not in ("ru",):
        return script
    best = max(scores, key=lambda lang: scores[lang])
    if script == "ru":
        return "kk" if scores["kk"] > scores["ru"] else "ru"
    return best if scores[best] >= 0.08 else "und"


def is_english(text: str) -> bool:
    """Whether the rules can read ``text``: English, or too short to tell."""
    return detect_language(text) in ("en", "und")
