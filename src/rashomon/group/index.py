"""Nearest-neighbour search over article embeddings, restricted to a time window.

Vectors are kept in one faiss HNSW index per day ("bucket"); a query searches only the
buckets within ``window_days`` of its day, and buckets older than the retention horizon
are dropped whole. So the cost of a query and the memory held depend on how many
articles fall in the window, not on how many were ever stored.
"""

from __future__ import annotations

from dataclasses import dataclass

import faiss
import numpy as np

HNSW_LINKS = 32
"""Graph degree M. 32 is faiss' usual default for 384-d text embeddings."""
HNSW_EF_SEARCH = 64
"""Beam width at query time. Not tuned: benchmarks/grouping_scale.py prints recall@32 vs
exact search on synthetic vectors (0.77 there, where most of the 32 are near-ties between
unrelated vectors; the story's own few members are what matter)."""
HNSW_EF_CONSTRUCTION = 40
FLAT_LIMIT = 2_000
"""A bucket stays an exact flat index up to this many vectors and becomes HNSW past it
(exact search is faster than HNSW for small buckets and costs nothing to build)."""

UNDATED = 0
"""Bucket key when there is no window (everything in one bucket), and for undated
articles that arrive before any dated one (no clock yet)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One neighbour: its key, inner product (= cosine for unit vectors)."""

    key: str
    score: float


class _Bucket:
    __slots__ = ("index", "keys", "vectors", "hnsw")

    def __init__(self, dimensions: int) -> None:
        self.index = faiss.IndexFlatIP(dimensions)
        self.keys: list[str] = []
        self.hnsw = False

    def add(self, key: str, vector: np.ndarray) -> None:
        self.keys.append(key)
        self.index.add(vector.reshape(1, -1))
        if not self.hnsw and len(self.keys) > FLAT_LIMIT:
            self._to_hnsw()

    def _to_hnsw(self) -> None:
        flat = self.index
        data = flat.reconstruct_n(0, flat.ntotal)
        index = faiss.IndexHNSWFlat(flat.d, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
        index.add(data)
        self.index = index
        self.hnsw = True


class WindowIndex:
    """Day-bucketed nearest-neighbour index with a sliding window."""

    def __init__(self, dimensions: int, window_days: int | None, retain_days: int | None) -> None:
        if window_days is not None and retain_days is not None and retain_days < window_days:
            raise ValueError(f"retain_days ({retain_days}) must be >= window_days ({window_days})")
        self.dimensions = dimensions
        self.window_days = window_days
        self.retain_days = retain_days
        self._buckets: dict[int, _Bucket] = {}
        self._deleted: set[str] = set()

    def __len__(self) -> int:
        return sum(len(b.keys) for b in self._buckets.values()) - len(self._deleted)

    def bucket_of(self, day: int | None, clock: int | None) -> int:
        """The bucket key for an article of day ``day`` (undated: the clock's day)."""
        if self.window_days is None:
            return UNDATED
        if day is not None:
            return day
        return clock if clock is not None else UNDATED

    def add(self, key: str, vector: np.ndarray, bucket: int) -> None:
        vec = np.ascontiguousarray(vector, dtype=np.float32)
        self._buckets.setdefault(bucket, _Bucket(self.dimensions)).add(key, vec)
        self._deleted.discard(key)

    def delete(self, key: str) -> None:
        """Hide ``key`` from later searches (HNSW cannot remove; it is filtered out)."""
        self._deleted.add(key)

    def search(self, vector: np.ndarray, bucket: int | None, k: int) -> list[Hit]:
        """The ``k`` nearest keys within the window of ``bucket`` (every retained day when
        ``bucket`` is None), best first (ties by key)."""
        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, -1)
        hits: dict[str, float] = {}
        for key in self._window_keys(bucket):
            part = self._buckets[key]
            want = min(len(part.keys), k + len(self._deleted))
            if want == 0:
                continue
            scores, labels = part.index.search(query, want)
            for score, label in zip(scores[0], labels[0]):
                if label < 0:
                    continue
                name = part.keys[label]
                if name not in self._deleted:
                    hits[name] = max(float(score), hits.get(name, -2.0))
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [Hit(name, score) for name, score in ranked]

    def _window_keys(self, bucket: int | None) -> list[int]:
        if self.window_days is None or bucket is None:
            return sorted(self._buckets)
        low, high = bucket - self.window_days, bucket + self.window_days
        # UNDATED holds articles that came before any dated one: always searched.
        return sorted(key for key in self._buckets if low <= key <= high or key == UNDATED)

    def evict_before(self, day: int) -> list[str]:
        """Drop every bucket older than ``day``; returns the keys dropped."""
        dropped: list[str] = []
        for key in sorted(k for k in self._buckets if k < day):
            dropped.extend(self._buckets.pop(key).keys)
        self._deleted.difference_update(dropped)
        return dropped
