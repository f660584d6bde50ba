"""A cache bounded by the memory its entries hold, not by their count.

The stages keep parses and embeddings by key so that a story's brief does not parse or
embed again what the analysis already did; an entry-count bound let that memory grow with
the corpus (a parse is 20-200 kB, a vector 1.5-2 kB). Here each entry is weighed when it is
kept, and the oldest go first once the total passes the limit; the latest entry always stays.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SizedCache(Generic[K, V]):
    """Least recently kept first out, within ``limit`` bytes as ``weigh(key, value)`` counts them."""

    __slots__ = ("limit", "weigh", "total", "_entries")

    def __init__(self, limit: int, weigh: Callable[[K, V], int]) -> None:
        self.limit = limit
        self.weigh = weigh
        self.total = 0
        """Bytes held, as weighed."""
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` as the most recent entry, then drop the oldest while over the limit."""
        old = self._entries.pop(key, None)
        if old is not None:
            self.total -= old[1]
        size = self.weigh(key, value)
        self._entries[key] = (value, size)
        self.total += size
        while self.total > self.limit and len(self._entries) > 1:
            self.total -= self._entries.popitem(last=False)[1][1]

    def get(self, key: K, default: V | None = None) -> V | None:
        entry = self._entries.get(key)
        return default if entry is None else entry[0]

    def __getitem__(self, key: K) -> V:
        return self._entries[key][0]

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[K]:
        return iter(self._entries)

    def clear(self) -> None:
        self._entries.clear()
        self.total = 0
