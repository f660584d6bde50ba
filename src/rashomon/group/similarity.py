"""Same-story similarity: meaning (embeddings), who and where (entities), and when (dates).

``pair_similarity`` scores two articles; ``StoryProfile`` summarises a story so that an
article or another story can be scored against it. Scores are roughly in [-0.35, 1]:
weight_meaning * cosine + weight_entities * entity overlap - date penalty. When either
side has no entities the meaning term alone is used (weights renormalised), so missing
NER never counts as disagreement. Weights and thresholds live in ``params.py``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import date as _date

import numpy as np

from .params import DEFAULT_PARAMS, GroupParams

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_LEADING_THE = re.compile(r"^(the|a|an)\s+")
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def normalise_entity(name: str) -> str:
    """A comparable key for an entity name: case-folded, accents and punctuation removed,
    a leading article dropped ("The Kremlin" -> "kremlin", "Zelenskyy's" -> "zelenskyys").
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("'s", "").replace("\u2019s", "")
    text = _NON_WORD.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return _LEADING_THE.sub("", text)


ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "WORK_OF_ART", "PRODUCT")
"""spaCy NER labels that say who and where (dates and numbers are left to the date term)."""


def entity_keys(entities: Iterable[tuple[str, str]]) -> frozenset[str]:
    """GroupItem.entities from (name, label) pairs, e.g. ``(e.text, e.label_) for e in
    doc.ents``: normalised names of the labels above; a person also by surname."""
    keys = set()
    for name, label in entities:
        if label not in ENTITY_LABELS:
            continue
        key = normalise_entity(name)
        if not key:
            continue
        keys.add(key)
        if label == "PERSON" and " " in key:
            keys.add(key.rsplit(" ", 1)[1])
    return frozenset(keys)


def date_interval(value: str | None) -> tuple[int, int] | None:
    """First and last day (ordinals) an ISO date covers: "2025-08-07" one day,
    "2025-08" a month, "2025" a year; None when absent or unreadable."""
    if not value:
        return None
    match = _DATE_RE.match(value)
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    try:
        if month is None:
            return _date(year, 1, 1).toordinal(), _date(year, 12, 31).toordinal()
        if day is None:
            start = _date(year, month, 1)
            end = _date(year + (month == 12), month % 12 + 1, 1).toordinal() - 1
            return start.toordinal(), end
        day_ord = _date(year, month, day).toordinal()
    except ValueError:
        return None
    return day_ord, day_ord


def day_gap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int | None:
    """Days between two date intervals (0 when they overlap); None if either is unknown."""
    if a is None or b is None:
        return None
    return max(0, a[0] - b[1], b[0] - a[1])


def date_penalty(gap: int | None, params: GroupParams = DEFAULT_PARAMS) -> float:
    """How much a gap of ``gap`` days lowers a similarity (0 when unknown or close)."""
    if gap is None or gap <= params.date_same_days:
        return 0.0
    return min(params.date_penalty_max, (gap - params.date_same_days) * params.date_penalty_per_day)


def entity_overlap(a: Iterable[str], b: Iterable[str], cap: int) -> float | None:
    """Shared entities over the smaller side (capped at ``cap``), in [0, 1]; None when
    either side has none (no evidence either way)."""
    set_a, set_b = frozenset(a), frozenset(b)
    if not set_a or not set_b:
        return None
    shared = len(set_a & set_b)
    return min(1.0, shared / min(len(set_a), len(set_b), cap))


def combine(cosine: float, overlap: float | None, gap: int | None, params: GroupParams = DEFAULT_PARAMS,
            terms: float | None = None) -> float:
    """The same-story score from its parts: meaning, entities, rare words (when given) and
    dates. A missing part (no entities, no words) is left out and the weights renormalised."""
    parts = [(params.weight_meaning, cosine)]
    if overlap is not None:
        parts.append((params.weight_entities, overlap))
    if terms is not None and params.weight_terms > 0:
        parts.append((params.weight_terms, terms))
    total = sum(w for w, _ in parts)
    score = sum(w * x for w, x in parts) / total
    return float(score - date_penalty(gap, params))


def pair_similarity(
    vec_a: np.ndarray,
    entities_a: Iterable[str],
    date_a: str | None,
    vec_b: np.ndarray,
    entities_b: Iterable[str],
    date_b: str | None,
    params: GroupParams = DEFAULT_PARAMS,
) -> float:
    """Same-story similarity of two articles (unit vectors, entity keys, ISO dates)."""
    cosine = float(np.dot(np.asarray(vec_a, dtype=np.float32), np.asarray(vec_b, dtype=np.float32)))
    overlap = entity_overlap(entities_a, entities_b, params.entity_cap)
    return combine(cosine, overlap, day_gap(date_interval(date_a), date_interval(date_b)), params)


_TERM = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)
MIN_TERM_CHARS = 3


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


_STOP: frozenset[str] | None = None


def lede_terms(text: str) -> frozenset[str]:
    """The content words of a title and lede, case-folded, English stop words (spaCy's list)
    left out and a plural "s" folded ("talks" → "talk"): what the lexical term compares."""
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    out = set()
    for word in _TERM.findall(text):
        word = word.casefold().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) < MIN_TERM_CHARS or word in _STOP:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.add(word)
    return frozenset(out)


class TermStats:
    """Running document frequencies of terms over the articles held, for rarity weights: a
    word every article of the window uses (a feed about one topic: the topic's own names)
    weighs little, a word few use weighs much. Smoothed IDF, ln((1 + N) / (1 + df)) + 1."""

    __slots__ = ("df", "n")

    def __init__(self) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0

    def add(self, terms: Iterable[str]) -> None:
        self.df.update(terms)
        self.n += 1

    def remove(self, terms: Iterable[str]) -> None:
        self.df.subtract(terms)
        self.n -= 1

    def idf(self, term: str) -> float:
        return math.log((1 + self.n) / (1 + max(0, self.df.get(term, 0)))) + 1.0

    def cosine(self, terms: Iterable[str], counts: Counter[str]) -> float | None:
        """Rarity-weighted cosine of an article's terms (each once) and a story's term
        counts (sublinear: 1 + ln count); None when either side has none."""
        terms = frozenset(terms)
        if not terms or not counts:
            return None
        weights = {t: self.idf(t) for t in terms}
        story = {t: (1.0 + math.log(c)) * self.idf(t) for t, c in counts.items() if c > 0}
        if not story:
            return None
        dot = sum(w * story.get(t, 0.0) for t, w in weights.items())
        norm = math.sqrt(sum(w * w for w in weights.values()) * sum(w * w for w in story.values()))
        return dot / norm if norm else None


def centred_cosine(a: np.ndarray, b: np.ndarray, mean: np.ndarray | None) -> float:
    """Cosine of two vectors after taking away what every article held shares (the window's
    mean vector): on a feed about one topic the topic itself no longer makes reports alike.
    Plain cosine when ``mean`` is None."""
    if mean is None:
        return float(np.dot(a, b))
    x, y = a - mean, b - mean
    norm = float(np.linalg.norm(x) * np.linalg.norm(y))
    return float(np.dot(x, y) / norm) if norm > 0 else 0.0


def top_keys(counts: Counter[str], limit: int) -> frozenset[str]:
    """The ``limit`` most frequent keys of ``counts`` (ties broken by key, for determinism)."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return frozenset(key for key, _ in ranked[:limit])


class DayRange:
    """The days a story's articles cover: a range that only widens (an article taken out leaves
    its days in), shared by the story profiles of both embedding spaces."""

    __slots__ = ("first_day", "last_day")

    def __init__(self) -> None:
        self.first_day: int | None = None
        self.last_day: int | None = None

    def widen(self, interval: tuple[int, int] | None) -> None:
        """Take in one article's (first, last) days."""
        if interval is not None:
            self.first_day = interval[0] if self.first_day is None else min(self.first_day, interval[0])
            self.last_day = interval[1] if self.last_day is None else max(self.last_day, interval[1])

    def widen_to(self, other: DayRange) -> None:
        """Take in every day ``other`` covers (a story merged into this one)."""
        for day in (other.first_day, other.last_day):
            if day is not None:
                self.first_day = day if self.first_day is None else min(self.first_day, day)
                self.last_day = day if self.last_day is None else max(self.last_day, day)

    def interval(self) -> tuple[int, int] | None:
        if self.first_day is None or self.last_day is None:
            return None
        return self.first_day, self.last_day


class StoryProfile(DayRange):
    """Running summary of a story: summed vector, entity and term counts, covered dates."""

    __slots__ = ("vector_sum", "entity_counts", "term_counts", "size")

    def __init__(self, dimensions: int) -> None:
        super().__init__()
        self.vector_sum = np.zeros(dimensions, dtype=np.float64)
        self.entity_counts: Counter[str] = Counter()
        self.term_counts: Counter[str] = Counter()
        self.size = 0

    def add(self, vector: np.ndarray, entities: Iterable[str], interval: tuple[int, int] | None,
            terms: Iterable[str] = ()) -> None:
        """Count one more article in."""
        self.vector_sum += vector
        self.entity_counts.update(entities)
        self.term_counts.update(terms)
        self.size += 1
        self.widen(interval)

    def remove(self, vector: np.ndarray, entities: Iterable[str], terms: Iterable[str] = ()) -> None:
        """Take one article out (its dates stay in the covered range: a range only widens)."""
        self.vector_sum -= vector
        self.entity_counts.subtract(entities)
        self.entity_counts = +self.entity_counts
        self.term_counts.subtract(terms)
        self.term_counts = +self.term_counts
        self.size -= 1

    def absorb(self, other: StoryProfile) -> None:
        """Add every article of ``other``."""
        self.vector_sum += other.vector_sum
        self.entity_counts.update(other.entity_counts)
        self.term_counts.update(other.term_counts)
        self.size += other.size
        self.widen_to(other)

    def centroid(self) -> np.ndarray:
        """Unit mean vector (zeros for an empty story)."""
        norm = float(np.linalg.norm(self.vector_sum))
        if norm == 0.0:
            return np.zeros_like(self.vector_sum, dtype=np.float32)
        return (self.vector_sum / norm).astype(np.float32)

    def core_entities(self, limit: int) -> frozenset[str]:
        """The ``limit`` most frequent entities (ties broken by name, for determinism)."""
        return top_keys(self.entity_counts, limit)


def story_similarity(a: StoryProfile, b: StoryProfile, params: GroupParams = DEFAULT_PARAMS) -> float:
    """Same-story similarity of two stories (centroids, core entities, date ranges)."""
    cosine = float(np.dot(a.centroid(), b.centroid()))
    limit = 2 * params.entity_cap
    overlap = entity_overlap(a.core_entities(limit), b.core_entities(limit), params.entity_cap)
    return combine(cosine, overlap, day_gap(a.interval(), b.interval()), params)
