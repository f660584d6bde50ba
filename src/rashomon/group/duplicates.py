"""Syndicated copies and near-duplicates: MinHash LSH over word shingles.

A wire story reprinted by many outlets, with a new headline or a few words changed, is
one source, not many. ``DuplicateFinder.add`` tells, for each new text, which earlier
text it copies (if any); the grouper sets ``duplicate_of`` from it and the reconciler
counts copies once wherever independence matters (``independent_ids``).

datasketch (which imports scipy: ~0.5 s) is imported on first need: a sketch is computed
when there is an earlier text to compare it with, and the LSH index is built then, so a
run of one article never loads it. The answers are the same as with eager sketches.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Iterable, Mapping

from .params import DEFAULT_PARAMS, GroupParams

_WORD = re.compile(r"\w+", re.UNICODE)


def _hash32(data: bytes) -> int:
    return struct.unpack("<I", hashlib.sha1(data).digest()[:4])[0]


def shingles(text: str, size: int) -> list[bytes]:
    """Distinct case-folded word ``size``-grams of ``text``, in first-seen order."""
    words = [w.casefold() for w in _WORD.findall(text)]
    seen: dict[bytes, None] = {}
    for i in range(max(0, len(words) - size + 1)):
        seen.setdefault(" ".join(words[i : i + size]).encode("utf-8"), None)
    return list(seen)


class Sketch:
    """A text's shingles, and their datasketch MinHash computed on first use (the shingles
    are dropped then: a kept sketch holds 128 hash values, not its text's shingles)."""

    __slots__ = ("grams", "num_perm", "_minhash")

    def __init__(self, grams: list[bytes], num_perm: int) -> None:
        self.grams = grams
        self.num_perm = num_perm
        self._minhash = None

    @property
    def minhash(self):
        if self._minhash is None:
            from datasketch import MinHash

            sketch = MinHash(num_perm=self.num_perm, seed=1, hashfunc=_hash32)
            sketch.update_batch(self.grams)
            self._minhash = sketch
            self.grams = None
        return self._minhash

    def jaccard(self, other: "Sketch") -> float:
        return float(self.minhash.jaccard(other.minhash))


def minhash(text: str, params: GroupParams = DEFAULT_PARAMS) -> Sketch | None:
    """The MinHash sketch of ``text``'s shingles; None when the text is too short to judge."""
    grams = shingles(text, params.shingle_words)
    if len(grams) < params.min_shingles:
        return None
    return Sketch(grams, params.num_perm)


def jaccard(a: str, b: str, size: int = DEFAULT_PARAMS.shingle_words) -> float:
    """Exact shingle Jaccard of two texts (for tests and checks)."""
    sa, sb = set(shingles(a, size)), set(shingles(b, size))
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


class DuplicateFinder:
    """Remembers MinHashes of recent texts and finds the earlier text a new one copies."""

    def __init__(self, params: GroupParams = DEFAULT_PARAMS) -> None:
        self.params = params
        self._lsh = None
        """The LSH index, built when a first text must be compared (with every sketch kept)."""
        self._sketches: dict[str, Sketch] = {}
        self._order: dict[str, int] = {}
        self._next = 0

    def __contains__(self, key: str) -> bool:
        return key in self._sketches

    def _index(self):
        if self._lsh is None:
            from datasketch import MinHashLSH

            self._lsh = MinHashLSH(threshold=self.params.lsh_threshold, num_perm=self.params.num_perm)
            for key, sketch in self._sketches.items():
                self._lsh.insert(key, sketch.minhash, check_duplication=False)
        return self._lsh

    def find(self, sketch: Sketch | None) -> tuple[str, float] | None:
        """The earliest-added remembered text whose estimated Jaccard with ``sketch`` is at
        least the threshold (the original, not a later copy), with that estimate."""
        if sketch is None or not self._sketches:
            return None
        best: tuple[int, str, float] | None = None
        for key in self._index().query(sketch.minhash):
            score = sketch.jaccard(self._sketches[key])
            if score >= self.params.duplicate_jaccard:
                candidate = (self._order[key], key, score)
                if best is None or candidate < best:
                    best = candidate
        return None if best is None else (best[1], best[2])

    def add(self, key: str, sketch: Sketch | None) -> None:
        """Remember ``sketch`` under ``key`` (replacing an earlier one of that key)."""
        self.remove(key)
        if sketch is None:
            return
        if self._lsh is not None:
            self._lsh.insert(key, sketch.minhash, check_duplication=False)
        self._sketches[key] = sketch
        self._order[key] = self._next
        self._next += 1

    def remove(self, key: str) -> None:
        if key in self._sketches:
            if self._lsh is not None:
                self._lsh.remove(key)
            del self._sketches[key]
            del self._order[key]


def independent_ids(duplicate_of: Mapping[str, str | None], ids: Iterable[str]) -> list[str]:
    """``ids`` with copies folded into their original: one id per independent source,
    in first-seen order (an original absent from ``ids`` is represented by its first copy)."""
    seen: dict[str, str] = {}
    for article_id in ids:
        root = article_id
        hops = 0
        while duplicate_of.get(root) and hops < 100:
            root = duplicate_of[root]  # type: ignore[assignment]
            hops += 1
        seen.setdefault(root, article_id)
    return list(seen.values())
