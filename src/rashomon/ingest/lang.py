"""The language of an article: identified from its words (``py3langid``), never asserted.

``identify(title, text, stated)`` returns a :class:`LanguageGuess`: the ISO 639-1 code and
how it was found. A text too short to tell, or one whose best guess is unsure or a language
outside :data:`SUPPORTED`, stays unknown (``code`` None). A language the input states (a
record's ``language`` field, a page's ``<html lang>``) is kept with basis ``"stated"``
unless the words clearly say another one: then the detected code wins and the basis says
so (``"detected; input said de"``).

Every number is data, here, with how it was set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

SUPPORTED = ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh")
"""The languages the multilingual embedding (Universal Sentence Encoder multilingual v3:
16 languages, zh-cn and zh-tw here one code) places in one space, English among them: an
article in any of these can join a story told in another."""

MIN_LETTERS = 40
"""Fewer letters than this (title and lede together) and the language stays unknown: three
or four words do not tell a language (set by hand: a headline alone runs 30-70 letters)."""

MIN_CONFIDENCE = 0.90
"""The identifier's normalised probability of its best guess (over all of its 97 languages)
below which the language stays unknown. Set by hand, not fitted: short mixed texts
(a headline with a foreign name) score 0.5-0.9, a paragraph of one language above 0.99."""

CLEAR_DISAGREEMENT = 0.95
"""A stated language is overruled only when the words say another one at least this surely
(by hand: one invented sentence of Spanish scores 0.97, of Russian 0.99; a stated language is
usually right, so the bar is above ``MIN_CONFIDENCE``)."""

READ_CHARS = 2000
"""How much of title + text the identifier reads (the lede says the language; the rest costs time)."""

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_STATED = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """What is known of an article's language."""

    code: str | None
    """ISO 639-1 code, or None when unknown."""
    basis: str | None
    """"detected", "stated", "detected; input said xx", or None when unknown."""
    confidence: float | None
    """The identifier's probability for ``code`` when it was detected; None otherwise."""


@lru_cache(maxsize=1)
def _identifier():
    from .lang_loading import load_identifier  # the package's model, kept unpacked between runs

    return load_identifier(norm_probs=True)


def stated_code(value: object) -> str | None:
    """An ISO 639-1 code from a stated language ("en", "en-US", "DE_de"), else None."""
    if not isinstance(value, str):
        return None
    match = _STATED.match(value)
    return match.group(1).lower() if match and len(match.group(1)) == 2 else None


def detect(text: str) -> tuple[str | None, float]:
    """The identifier's best language over all it knows and its probability; None when the
    text is too short, the guess unsure, or outside :data:`SUPPORTED`."""
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return None, 0.0
    code, confidence = _identifier().classify(text[:READ_CHARS])
    if confidence < MIN_CONFIDENCE or code not in SUPPORTED:
        return None, float(confidence)
    return code, float(confidence)


def identify(title: str | None, text: str, stated: object = None) -> LanguageGuess:
    """The language of an article from its title and text (and the one its input states)."""
    words = f"{title}. {text}" if title else text
    code, confidence = detect(words)
    said = stated_code(stated)
    if said is None:
        return LanguageGuess(code, "detected", confidence) if code else LanguageGuess(None, None, None)
    if code is not None and code != said and confidence >= CLEAR_DISAGREEMENT:
        return LanguageGuess(code, f"detected; input said {said}", confidence)
    return LanguageGuess(said, "stated", None)


def english_like(code: str | None) -> bool:
    """True for English and for an unknown language (read as English, as every article was
    before languages were identified)."""
    return code in (None, "en")
