"""Typed quantities in a claim: what a number counts, and the range of values it admits.

"At least 20 people were killed" is a ``dead`` quantity admitting 20 and more; "26 dead" a
``dead`` quantity admitting exactly 26; "thousands of protesters" a ``crowd`` quantity
admitting 2,000–9,999. Two quantities of the same kind agree when the ranges they admit
meet, and conflict when they do not: "at least 20" admits 22, "about 5,000" does not
admit "more than 50,000", "thousands" does not admit "hundreds of thousands".

Number words are read by ``text2num`` ("two hundred" 200, "sixteen" 16), with "dozen" as a
multiplier ("three dozen" 36). Word lists and tolerances are data here, in one place; they
are a newsroom's conventions, chosen by reading, not fitted to any gold label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..analyze.claims import words_value
from ..model import Span

KINDS = ("dead", "injured", "arrested", "crowd", "money", "age", "duration", "percentage", "count")

KIND_LABEL = {
    "dead": "the death toll", "injured": "the number injured", "arrested": "the number arrested",
    "crowd": "the size of the crowd", "money": "the amount", "age": "the age",
    "duration": "how long it lasted", "percentage": "the percentage", "count": "the number",
}
"""How a note names each kind ("Outlets differ on the death toll: ...")."""

# Words near a number that say what it counts (lower-case word forms, not lemmas, so no parse
# is needed). A number is of the kind whose word is nearest to it within KIND_WINDOW words.
KIND_WORDS = {
    "dead": {"dead", "died", "die", "dies", "killed", "killing", "kill", "kills", "death", "deaths",
             "fatalities", "fatality", "lives", "bodies", "toll", "perished", "slain"},
    "injured": {"injured", "injuring", "injure", "injures", "injuries", "wounded", "wounding", "hurt",
                "casualties", "hospitalised", "hospitalized"},
    "arrested": {"arrested", "arrests", "arrest", "arresting", "detained", "detentions", "detaining"},
    "crowd": {"protesters", "protestors", "demonstrators", "marchers", "crowd", "crowds", "rally",
              "attended", "gathered", "participants", "spectators", "turnout"},
}
KIND_WINDOW = 6
"""Words either side of a number searched for a kind word."""
CURRENCY_WORDS = {"euro", "euros", "dollar", "dollars", "pound", "pounds", "yuan", "yen", "rupees", "rupee",
                  "francs", "franc", "roubles", "rubles", "usd", "eur", "gbp"}
CURRENCY_SIGNS = "$€£¥₹"
DURATION_UNITS = {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
                  "month", "months", "year", "years"}
SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800, "month": 2_629_800,
           "year": 31_557_600}
AGE_MARKERS = ("-year-old", " year old", " years old", "-years-old")

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9,
          "dozen": 12.0, "hundred": 100.0}
NUMBER_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
    "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion",
}
VAGUE = {
    # word(s) → (low, high): the values an editor reads into them
    "dozens": (24.0, 99.0), "scores": (40.0, 199.0), "hundreds": (200.0, 999.0),
    "thousands": (2_000.0, 9_999.0), "tens of thousands": (20_000.0, 99_999.0),
    "hundreds of thousands": (200_000.0, 999_999.0), "millions": (2e6, 999e6),
}
# Qualifiers before a number (checked longest first) and the range they give to value v.
LOWER_BOUNDS = ("at least", "more than", "over", "upwards of", "in excess of", "no fewer than", "no less than")
UPPER_BOUNDS = ("up to", "as many as", "less than", "fewer than", "under", "at most", "no more than")
APPROXIMATE = ("about", "around", "roughly", "approximately", "some", "an estimated", "estimated", "nearly",
               "almost", "close to", "just over", "just under", "more or less")
APPROX_TOLERANCE = 0.1
""""about 100,000" admits 90,000–110,000 (not 120,000)."""
BOUND_REACH = 2.0
""""more than 50,000" admits up to twice 50,000: an editor reads "more than N" as N and somewhat
above, so "more than 5,000" does not admit "hundreds of thousands"."""
ROUNDING = 0.0
"""Exact figures must be equal."""

_TOKEN = re.compile(r"[$€£¥₹]?\d+(?:,\d{3})*(?:\.\d+)?(?:-(?:thousand|million|billion|trillion))?%?|[A-Za-z]+(?:-[A-Za-z]+)*|\S")


@dataclass(frozen=True, slots=True)
class Quantity:
    """One typed quantity: its kind, what it counts, the values it admits and its words."""

    kind: str
    what: str
    """What it counts within the kind ("people", "rounds"; "" where the kind says it)."""
    low: float
    high: float
    exact: bool
    span: Span
    """The words that state the value ("at least 20", "26")."""

    def admits(self, other: Quantity) -> bool:
        """True when the two ranges meet: the values can both be right."""
        return self.low <= other.high and other.low <= self.high

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.what


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _digit_value(token: str) -> float | None:
    """"26", "26,000", "$1.5", "200-million" (a hyphenated scale); None for "000" alone (a
    thousands group split from its number, not a count)."""
    raw, _, scale = token.strip(CURRENCY_SIGNS).rstrip("%").replace(",", "").partition("-")
    if re.fullmatch(r"0+", raw) and len(raw) > 1:
        return None
    try:
        return float(raw) * SCALES.get(scale, 1.0)
    except ValueError:
        return None


_word_value = words_value


def _number_word(word: str) -> bool:
    """"sixteen", "hundred", "twenty-six"."""
    return all(part in NUMBER_WORDS for part in word.split("-"))


def _qualifier(lowered_before: str) -> str | None:
    """The bound or approximation written just before a number, if any."""
    text = lowered_before.rstrip()
    for words in sorted(LOWER_BOUNDS + UPPER_BOUNDS + APPROXIMATE, key=len, reverse=True):
        if text.endswith(words) and (len(text) == len(words) or not text[-len(words) - 1].isalnum()):
            return words
    return None


def _range(value: float, qualifier: str | None) -> tuple[float, float, bool]:
    if qualifier in LOWER_BOUNDS:
        return value, value * BOUND_REACH, False
    if qualifier in UPPER_BOUNDS:
        return 0.0, value, False
    if qualifier in APPROXIMATE:
        return value * (1 - APPROX_TOLERANCE), value * (1 + APPROX_TOLERANCE), False
    return value * (1 - ROUNDING), value * (1 + ROUNDING), True


def _kind(tokens: list[tuple[str, int, int]], first: int, last: int, text: str, start: int, end: int) -> tuple[str, str]:
    """(kind, what) of the number at tokens[first..last]."""
    before = text[max(0, start - 2):start]
    after = [t[0].lower() for t in tokens[last + 1:last + 4]]
    if any(c in CURRENCY_SIGNS for c in text[max(0, start - 1):end]) or (after and after[0] in CURRENCY_WORDS):
        return "money", ""
    if text[end:end + 1] == "%" or text[start:end].endswith("%") or (after[:1] == ["percent"]) or after[:2] == ["per", "cent"]:
        return "percentage", ""
    tail = text[end:end + 12].lower()
    if any(tail.startswith(m) for m in AGE_MARKERS):
        noun = next((t[0].lower() for t in tokens[last + 1:] if t[1] >= end + 10 and t[0].isalpha()
                     and t[0].lower() not in ("year", "years", "old")), "")
        return "age", noun  # "a 15-year-old boy": the age of the boy
    if before.endswith(", ") and text[end:end + 1] == "," and len(text[start:end]) <= 3 and first >= 2 \
            and tokens[first - 2][0][:1].isupper():
        return "age", tokens[first - 2][0].lower()  # "Vassilios Saraliotis, 31, was charged"
    if after and after[0] in DURATION_UNITS:
        return "duration", after[0].rstrip("s")
    best: tuple[int, str] | None = None
    for kind, words in KIND_WORDS.items():
        for k in range(max(0, first - KIND_WINDOW), min(len(tokens), last + 1 + KIND_WINDOW)):
            if tokens[k][0].lower() in words:
                distance = first - k if k < first else k - last
                if best is None or distance < best[0]:
                    best = (distance, kind)
    if best is not None:
        return best[1], ""
    # what a bare count counts: the noun right after it ("six rounds"), else unknown
    noun = after[0] if after and after[0].isalpha() and after[0] not in ("of", "the", "a", "more", "other") else ""
    return "count", _singular(noun)


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def quantities(span: Span, skip: tuple[tuple[int, int], ...] = ()) -> list[Quantity]:
    """The typed quantities a clause states, in order (``skip``: article ranges to leave out,
    such as dates, whose digits are not quantities)."""
    text = span.text
    tokens = _tokens(text)
    out: list[Quantity] = []
    i = 0
    lowered = text.lower()
    while i < len(tokens):
        word, s, e = tokens[i]
        low = word.lower()
        value: float | None = None
        last = i
        vague = next((v for v in sorted(VAGUE, key=len, reverse=True)
                      if lowered.startswith(v, s) and (s + len(v) == len(text) or not text[s + len(v)].isalpha())), None)
        if vague is not None:
            last = i + len(vague.split()) - 1
            lo, hi = VAGUE[vague]
            q_end = tokens[last][2]
            kind, what = _kind(tokens, i, last, text, s, q_end)
            if not _skipped(span, s, q_end, skip):
                out.append(Quantity(kind, what, lo, hi, False, Span(span.article, span.start + s, span.start + q_end,
                                                                     text[s:q_end])))
            i = last + 1
            continue
        if word[:1].isdigit() or (word[:1] in CURRENCY_SIGNS and len(word) > 1):
            value = _digit_value(word)
            if value is not None and i + 1 < len(tokens) and tokens[i + 1][0].lower() in SCALES:
                value *= SCALES[tokens[i + 1][0].lower()]
                last = i + 1
        elif _number_word(low) or (low == "a" and i + 1 < len(tokens) and tokens[i + 1][0].lower() == "dozen"):
            j = i
            words: list[str] = []
            while j < len(tokens) and (_number_word(tokens[j][0].lower()) or tokens[j][0].lower() in ("dozen", "and", "a")):
                words.append(tokens[j][0].lower())
                j += 1
            while words and words[-1] in ("and", "a"):
                words.pop()
                j -= 1
            value = _word_value([p for w in words for p in w.split("-")])
            last = j - 1 if words else i
            if low == "one" and len(words) == 1:
                value = None  # "one of the men": a pronoun more often than a count
        if value is None:
            i += 1
            continue
        q_start, q_end = s, tokens[last][2]
        qualifier = _qualifier(lowered[:q_start])
        kind, what = _kind(tokens, i, last, text, q_start, q_end)
        if kind == "duration":
            value, what = value * SECONDS[what], ""
        lo, hi, exact = _range(value, qualifier)
        if qualifier:
            q_start = q_start - len(lowered[:q_start]) + len(lowered[:q_start].rstrip()) - len(qualifier)
        if not _skipped(span, s, tokens[last][2], skip) and not _is_year(value, word, kind):
            out.append(Quantity(kind, what, lo, hi, exact,
                                Span(span.article, span.start + q_start, span.start + q_end, text[q_start:q_end])))
        i = last + 1
    return out


def _is_year(value: float, word: str, kind: str) -> bool:
    return kind == "count" and word.isdigit() and len(word) == 4 and 1800 <= value <= 2100


def _skipped(span: Span, s: int, e: int, skip: tuple[tuple[int, int], ...]) -> bool:
    a, b = span.start + s, span.start + e
    return any(x <= a and b <= y or (x < b and a < y) for x, y in skip)


def describe(q: Quantity) -> str:
    """How a note names what a quantity measures."""
    if q.kind == "count" and q.what:
        return f"the number of {q.what}s" if not q.what.endswith("s") else f"the number of {q.what}"
    return KIND_LABEL[q.kind]


def comparable(a: Quantity, b: Quantity) -> bool:
    """Quantities that measure one thing: same kind and, for counts, the same noun."""
    if a.kind != b.kind:
        return False
    if a.kind in ("count", "age"):
        return bool(a.what) and a.what == b.what
    return True
