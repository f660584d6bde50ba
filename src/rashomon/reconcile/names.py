"""Rules for deciding whether two name strings can name the same referent.

Person names are parsed into given names, middle names or initials and a surname, and
compared through a transliteration skeleton (Yuri / Yury, Zelensky / Zelenskyy) and a
nickname table (Steve / Steven). Organisation and place names are reduced to a key
(case, punctuation, a leading "the", known country aliases) and compared by key or by
acronym ("UAE" / "United Arab Emirates"). The word lists live in
:mod:`rashomon.reconcile.name_lexicon`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from . import name_lexicon as L

_POSSESSIVE = re.compile(r"(?:'s|'|’s|’)$")
_NON_WORD = re.compile(r"[^\w\s'-]")
_SPACES = re.compile(r"\s+")
# Skeleton rewrites, applied in order to a lowercase accent-free word. Tuned by hand on
# common Russian/Ukrainian/Arabic romanisations (Yuri/Yury/Yuriy, Zelensky/Zelenskyy/
# Zelenskiy, Dmitriev/Dmitryev, Mohammed/Mohamed); not tuned on any evaluation set.
# "th" for t is the Greek/Latin spelling habit (Martha/Marta, Theodor/Teodor, Matthias/Matias),
# added in issue 21 with the scripts below; not tuned on any set either.
_SKELETON_RULES: tuple[tuple[str, str], ...] = (
    ("kh", "h"), ("ks", "x"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("y", "i"), ("j", "i"), ("w", "v"),
)
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase, accent-free, curly quotes straightened, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'")
    return _SPACES.sub(" ", text).strip().lower()


def strip_possessive(text: str) -> str:
    """``"Witkoff's"`` → ``"Witkoff"`` (straight or curly apostrophe)."""
    return _POSSESSIVE.sub("", text.strip())


def display_form(text: str) -> str:
    """A surface form as an alias: no possessive, no lowercase leading "the"."""
    text = strip_possessive(_SPACES.sub(" ", text.strip()))
    if text.startswith("the "):
        text = text[4:]
    return text


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A transliteration-insensitive key of one name word (``"Zelenskyy"`` → ``"zelenski"``;
    ``"Зеленский"`` → ``"zelenski"``: other scripts are read in Latin letters first)."""
    word = fold(_latin(word)).replace("-", "").replace("'", "")
    for old, new in _SKELETON_RULES:
        word = word.replace(old, new)
    return _DOUBLE.sub(r"\1", word)


@lru_cache(maxsize=65536)
def _latin(word: str) -> str:
    """A word in Latin letters (``anyascii``) when it holds letters of another script, else as written."""
    if word.isascii() or all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in word):
        return word
    from anyascii import anyascii  # ISC licence; transliterates every script to ASCII

    return anyascii(word)


_VOWELS = re.compile(r"(?<=.)[aeiouy]")
# Consonant classes that romanisations of one letter split between (Cyrillic г as g or h:
# Chernigov / Chernihiv; х as kh or h; ж as zh or j; й/ы as y, i or j).
_CONSONANT_RULES: tuple[tuple[str, str], ...] = (
    ("zh", "j"), ("kh", "h"), ("gh", "h"), ("g", "h"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("q", "k"), ("w", "v"), ("j", "i"),
)


@lru_cache(maxsize=65536)
def translit_key(word: str) -> str:
    """A transliteration key of one name word: ASCII letters (``anyascii``), lower case,
    consonant classes that romanisations split merged, vowels after the first letter dropped,
    doubled letters collapsed. Mohammed / Muhammad / Mohamed → ``mhmd``; Zelensky / Zelenskyy /
    Zelenskiy → ``zlnsk``; Chernihiv / Chernigov → ``chrnhv``. A bucket key: members of one
    bucket still need :func:`translit_close` spellings."""
    from anyascii import anyascii  # ISC licence; transliterates every script to ASCII

    word = re.sub(r"[^a-z]", "", anyascii(word).lower())
    for old, new in _CONSONANT_RULES:
        word = word.replace(old, new)
    word = _DOUBLE.sub(r"\1", word)
    return _DOUBLE.sub(r"\1", _VOWELS.sub("", word))


MAX_TRANSLIT_EDIT_SHARE = 1 / 3
"""Two spellings with one transliteration key name one word when their skeletons differ by
at most this share of the shorter one's letters (Mohamed/Muhamad: 2 of 7; Chernihiv/Chernigov:
2 of 9). A general bound, not fitted on any set: vowel changes of romanisation, no more."""


@lru_cache(maxsize=65536)
def translit_close(a: str, b: str) -> bool:
    """True when two name words are one name in two romanisations."""
    if translit_key(a) != translit_key(b):
        return False
    from rapidfuzz.distance import Levenshtein

    sa, sb = skeleton(a), skeleton(b)
    return Levenshtein.distance(sa, sb) <= max(1, int(min(len(sa), len(sb)) * MAX_TRANSLIT_EDIT_SHARE))


@lru_cache(maxsize=1)
def _given_groups() -> dict[str, frozenset[int]]:
    index: dict[str, set[int]] = {}
    for i, group in enumerate(L.GIVEN_NAME_GROUPS):
        for name in group:
            index.setdefault(skeleton(name), set()).add(i)
    return {k: frozenset(v) for k, v in index.items()}


# ----------------------------------------------------------------------------- persons


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name split for matching (all parts folded to lowercase)."""

    given: str | None
    """First given name or initial (``"kirill"``, ``"k"``); None for a surname alone."""
    middles: tuple[str, ...]
    """Further given names or initials (``("a",)`` for "Kirill A Dmitriev")."""
    surname: str
    """Last name with its particles (``"von der leyen"``)."""

    @property
    def full(self) -> bool:
        """True when the name has a given name as well as a surname."""
        return self.given is not None


@lru_cache(maxsize=65536)
def parse_person(name: str) -> PersonName | None:
    """Split a person's name; None when nothing name-like is left (``"Mr."``)."""
    words = [w for w in _NON_WORD.sub(" ", fold(strip_possessive(name))).split() if w]
    words = [w.strip("'-") for w in words]
    words = [w for w in words if w]
    while words and words[0] in L.HONORIFICS and len(words) > 1:
        words = words[1:]
    while words and words[-1] in L.NAME_SUFFIXES and len(words) > 1:
        words = words[:-1]
    if not words:
        return None
    # The surname takes the last word and any particles before it.
    cut = len(words) - 1
    while cut > 1 and words[cut - 1] in L.SURNAME_PARTICLES:
        cut -= 1
    surname = " ".join(words[cut:])
    if len(surname) == 1:  # "Kirill A": a trailing initial is not a surname
        return None
    rest = words[:cut]
    if not rest:
        return PersonName(None, (), surname)
    return PersonName(rest[0], tuple(rest[1:]), surname)


_ARABIC_ARTICLE = re.compile(r"^(?:al|el)[- ]")


@lru_cache(maxsize=65536)
def surname_key(name: PersonName) -> str:
    """The surname's transliteration key (its bucket), without an Arabic article (al-Assad / Assad)."""
    return " ".join(translit_key(w) for w in _ARABIC_ARTICLE.sub("", name.surname).split())


def _surname_bare(name: PersonName) -> str:
    return _ARABIC_ARTICLE.sub("", name.surname)


@lru_cache(maxsize=65536)
def surnames_close(a: PersonName, b: PersonName) -> bool:
    """One surname in two romanisations (same key, spellings a vowel change apart)."""
    wa, wb = _surname_bare(a).split(), _surname_bare(b).split()
    return len(wa) == len(wb) and all(translit_close(x, y) for x, y in zip(wa, wb))


def _initial(word: str) -> bool:
    return len(word) == 1


def given_compatible(a: str, b: str) -> bool:
    """Two first given names that can be one person's (equal, initial, nickname, spelling)."""
    if _initial(a) or _initial(b):
        return a[0] == b[0] or skeleton(a)[:1] == skeleton(b)[:1]
    sa, sb = skeleton(a), skeleton(b)
    if sa == sb or translit_close(a, b):
        return True
    groups = _given_groups()
    return bool(groups.get(sa, frozenset()) & groups.get(sb, frozenset()))


def _middles_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Middle names agree where both give one ("George W." vs "George H. W." do not)."""
    if not a or not b:
        return True
    if len(a) != len(b):
        return False
    return all(given_compatible(x, y) for x, y in zip(a, b))


def persons_compatible(a: PersonName, b: PersonName) -> bool:
    """True when two full or partial person names may name one person.

    Needs the same surname skeleton; where both have given names they must be compatible
    (same name, nickname, spelling variant or initial) and so must their middle names.
    A surname alone is compatible with any name of that surname: the caller decides
    whether that is unambiguous in the story.
    """
    if surname_key(a) != surname_key(b) or not surnames_close(a, b):
        return False
    if a.given is None or b.given is None:
        return True
    if given_compatible(a.given, b.given) and _middles_compatible(a.middles, b.middles):
        return True
    # A leading word that is not a given name ("Comedian Ellen DeGeneres"): the end of the
    # longer name must be the whole of the shorter one, word for word.
    wa = [skeleton(w) for w in (a.given, *a.middles, a.surname)]
    wb = [skeleton(w) for w in (b.given, *b.middles, b.surname)]
    short, long_ = sorted((wa, wb), key=len)
    return len(short) < len(long_) and long_[len(long_) - len(short):] == short


def strip_courtesy_title(name: str) -> str:
    """``"Sen. Murray Sinclair"`` → ``"Murray Sinclair"``; a lone ``"Mr. X"`` keeps its surname."""
    words = name.split()
    while len(words) > 1 and fold(words[0]).rstrip(".") in L.COURTESY_TITLES:
        words = words[1:]
    return " ".join(words)


def person_fullness(name: str) -> tuple[int, int]:
    """(full words, all words) of a person's name, to pick the fullest form."""
    words = [w for w in fold(strip_possessive(name)).replace(".", " ").split() if w]
    return sum(1 for w in words if len(w) > 1), len(words)


def person_name_start(name: str) -> int:
    """How many leading words of ``name`` are headline words (``"Fired Jim O'Brien"`` → 1)."""
    words = name.split()
    i = 0
    while i < len(words) and fold(strip_possessive(words[i])).strip(".,:;!?\"'") in L.HEADLINE_WORDS:
        i += 1
    return i


def person_name_end(name: str) -> int:
    """How many leading words of ``name`` read as a name (headline words cut it short).

    ``"Dmitriev Sees Historic Importance"`` → 1; ``"Steve Witkoff"`` → 2; ``"Breakthrough"`` → 0.
    """
    words = name.split()
    for i, word in enumerate(words):
        bare = fold(strip_possessive(word)).strip(".,:;!?\"'")
        if bare in L.HEADLINE_WORDS:
            return i
        if any(ch.isdigit() for ch in bare):
            return i
        if word[:1].islower() and bare not in L.SURNAME_PARTICLES:
            return i
    return len(words)


# ----------------------------------------------------------------- organisations, places


def org_key(name: str) -> str:
    """A comparison key of an organisation or place name (``"the U.S."`` → ``"united states"``)."""
    text = fold(strip_possessive(name))
    text = re.sub(r"(?<=\b\w)\.", "", text)  # U.S. → US, U.A.E. → UAE
    text = _NON_WORD.sub(" ", text).replace("-", " ")
    text = _SPACES.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return L.PLACE_ALIASES.get(text, text)


def acronym_of(name: str) -> str | None:
    """The acronym a long form spells (``"United Arab Emirates"`` → ``"uae"``), if 2+ words."""
    words = [w for w in _NON_WORD.sub(" ", fold(strip_possessive(name))).split()]
    if words and words[0] == "the":
        words = words[1:]
    content = [w for w in words if w not in L.ACRONYM_STOPWORDS]
    if len(content) < 2:
        return None
    return "".join(w[0] for w in content)


def as_acronym(name: str) -> str | None:
    """The letters of a name written as an acronym (``"U.A.E."``, ``"UAE"``), else None."""
    text = strip_possessive(name.strip())
    if text.lower().startswith("the "):
        text = text[4:]
    letters = text.replace(".", "").replace(" ", "")
    if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper():
        return letters.lower()
    return None


def role_words(role: str) -> frozenset[str]:
    """The content words of a role, for shared-role evidence (``"Kremlin aide"`` → {kremlin, aide})."""
    words = _NON_WORD.sub(" ", fold(role)).split()
    return frozenset(w for w in words if w not in L.ROLE_STOPWORDS and len(w) > 1)


_ROLE_LEAD = frozenset({"the", "a", "an", "his", "her", "their", "its", "our", "my", "your"})


def clean_role(role: str) -> str | None:
    """A role as the brief lists it, or None when it is not one role.

    Leading determiners and possessive pronouns and trailing honorifics are dropped
    ("his special envoy" → "special envoy"; "UK Prime Minister Sir" → "UK Prime
    Minister"); a list with commas ("Trump, Putin and Ukrainian President") is not a role.
    """
    words = " ".join(role.split()).split(" ")
    while words and words[0].lower() in _ROLE_LEAD:
        words = words[1:]
    while words and fold(words[-1]).strip(".") in L.HONORIFICS_AFTER_ROLE:
        words = words[:-1]
    text = " ".join(words).strip(" ,;:")
    if not text or "," in text:
        return None
    return text


def role_key(role: str) -> str:
    """A key under which two written forms of a role are one ("US President" = "U.S. president")."""
    text = re.sub(r"(?<=\b\w)\.", "", fold(strip_possessive(role)))
    words = _NON_WORD.sub(" ", text).replace("-", " ").split()
    while words and words[0] in _ROLE_LEAD:
        words = words[1:]
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]  # "Presidents" → "president"
    return " ".join(words)


def role_subsumed(key: str, other: str) -> bool:
    """True when role ``key`` is a shorter head-final part of ``other`` ("aide" ⊂ "Kremlin aide")."""
    a, b = key.split(), other.split()
    return len(a) < len(b) and b[len(b) - len(a):] == a


def name_like(form: str) -> bool:
    """True when a surface form is written as a name (every word capitalised, particles aside)."""
    words = form.split()
    if not words:
        return False
    return all(w[:1].isupper() or fold(w) in L.SURNAME_PARTICLES for w in words)
