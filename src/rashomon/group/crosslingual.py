"""Same-story similarity across languages: the multilingual lede vectors, names compared
through a transliteration key, and dates.

The English grouper (``stories.py``: MiniLM, rarity-weighted English words) reads English
only. When an article and a story member are not both English (an unknown language counts as
English, as every article did before languages were identified), they are compared here
instead: cosine of their title-and-lede vectors in the multilingual space (USE m3), the share
of name keys they have in common (``Ушакову`` and ``Ushakov`` give one key), and the date gap.
The score is then put on the English score's scale (``on_join_scale``) so that one ranking
and one set of thresholds (join, merge, topic) serve both paths.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import numpy as np

from .params import DEFAULT_PARAMS, GroupParams
from .similarity import DayRange, date_penalty, top_keys

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_SENTENCE_ENDS = ".!?:;\n。！？"
_OPENERS = " \t\"'«»„“”‘’‚(–—-"

NAME_KEY_CHARS = 4
"""A name key keeps the first letters of the transliteration skeleton (``reconcile.names.
translit_key``, vowels after the first letter dropped): case endings of inflected languages
fall away (Трампом / Trump -> ``trmp``; Ушакову / Ushakov -> ``ushk``). Set by hand from how
the skeleton works, not fitted; five letters kept "trmpm" apart from "trmp"."""
NAME_MIN_CHARS = 3
"""Shorter keys (initials, "EU") say too little to count as a shared name."""


def name_keys(text: str) -> frozenset[str]:
    """Transliteration keys of the capitalised words of ``text`` that do not open a sentence
    (names, in the languages that capitalise them; none in scripts without case)."""
    from ..reconcile.names import translit_key

    keys = set()
    for match in _WORD.finditer(text):
        word = match.group()
        if not word[0].isupper():
            continue
        before = text[max(0, match.start() - 6):match.start()].rstrip(_OPENERS)
        if (not before and match.start() <= 6) or (before and before[-1] in _SENTENCE_ENDS):
            continue  # a capital that opens a sentence says nothing of a name
        key = translit_key(word)[:NAME_KEY_CHARS]
        if len(key) >= NAME_MIN_CHARS:
            keys.add(key)
    return frozenset(keys)


def name_overlap(a: Iterable[str], b: Iterable[str]) -> float | None:
    """Shared name keys over the smaller side's, in [0, 1]; None when either has none."""
    set_a, set_b = frozenset(a), frozenset(b)
    if not set_a or not set_b:
        return None
    return len(set_a & set_b) / min(len(set_a), len(set_b))


def cross_score(cosine: float, overlap: float | None, gap: int | None, params: GroupParams = DEFAULT_PARAMS) -> float:
    """The cross-language score on its own scale: weighted meaning and names (names left out,
    weights renormalised, when either side has none), less the date penalty."""
    parts = [(params.cross_weight_meaning, cosine)]
    if overlap is not None and params.cross_weight_names > 0:
        parts.append((params.cross_weight_names, overlap))
    total = sum(w for w, _ in parts)
    return float(sum(w * x for w, x in parts) / total - date_penalty(gap, params))


def on_join_scale(score: float, params: GroupParams = DEFAULT_PARAMS) -> float:
    """A cross-language score moved onto the English score's scale: its own threshold
    (``cross_join_threshold``) lands on ``join_threshold``."""
    return score - params.cross_join_threshold + params.join_threshold


class CrossProfile(DayRange):
    """A story's running summary in the multilingual space: summed vector, name-key counts,
    covered days, and how many of its members are English (or of unknown language)."""

    __slots__ = ("vector_sum", "name_counts", "size", "english")

    def __init__(self) -> None:
        super().__init__()
        self.vector_sum: np.ndarray | None = None
        self.name_counts: Counter[str] = Counter()
        self.size = 0
        self.english = 0

    def add(self, vector: np.ndarray | None, names: Iterable[str], interval, english: bool) -> None:
        if vector is not None:
            self.vector_sum = vector.astype(np.float64) if self.vector_sum is None else self.vector_sum + vector
        self.name_counts.update(names)
        self.size += 1
        self.english += english
        self.widen(interval)

    def remove(self, vector: np.ndarray | None, names: Iterable[str], english: bool) -> None:
        if vector is not None and self.vector_sum is not None:
            self.vector_sum = self.vector_sum - vector
        self.name_counts.subtract(names)
        self.name_counts = +self.name_counts
        self.size -= 1
        self.english -= english

    def absorb(self, other: CrossProfile) -> None:
        if other.vector_sum is not None:
            self.vector_sum = other.vector_sum.copy() if self.vector_sum is None else self.vector_sum + other.vector_sum
        self.name_counts.update(other.name_counts)
        self.size += other.size
        self.english += other.english
        self.widen_to(other)

    def centroid(self) -> np.ndarray | None:
        if self.vector_sum is None:
            return None
        norm = float(np.linalg.norm(self.vector_sum))
        return (self.vector_sum / norm).astype(np.float32) if norm > 0 else None

    def core_names(self, limit: int) -> frozenset[str]:
        """The ``limit`` most frequent name keys (ties by key)."""
        return top_keys(self.name_counts, limit)
