"""Memory stays bounded: caches by bytes, the candidate scan by block, the JSON written in pieces.

Every change here must leave the outputs as they were: the tests compare with the plain
computation (one block, one string), on invented data."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rashomon.analyze import docs, embed
from rashomon.analyze.lru import SizedCache
from rashomon.model import Article
from rashomon.reconcile import claims as claims_mod
from rashomon.render.jsonout import dumps, write_briefs_document, write_dumps


def test_sized_cache_drops_oldest_by_bytes_and_keeps_latest():
    cache: SizedCache[str, bytes] = SizedCache(10, lambda key, value: len(value))
    cache.put("a", b"1234")
    cache.put("b", b"1234")
    assert list(cache) == ["a", "b"] and cache.total == 8
    cache.put("a", b"12")  # kept again: most recent, weighed anew
    assert list(cache) == ["b", "a"] and cache.total == 6
    cache.put("c", b"12345")  # 11 > 10: the oldest ("b") goes
    assert list(cache) == ["a", "c"] and cache.total == 7
    cache.put("huge", b"x" * 50)  # over the limit alone: it stays, everything older goes
    assert list(cache) == ["huge"] and cache.total == 50
    assert cache.get("a") is None and cache["huge"] == b"x" * 50 and "huge" in cache
    cache.clear()
    assert len(cache) == 0 and cache.total == 0


def test_kept_parses_are_bounded_by_bytes(monkeypatch):
    monkeypatch.setattr(docs, "_MEMORY", SizedCache(1000, lambda key, data: len(data)))
    articles = [Article(id=f"art{i}", source=f"{i}.txt", text=f"Invented text number {i}.") for i in range(20)]
    for article in articles:
        docs.remember_bytes(article, b"p" * 300)
        assert docs.kept(article) == b"p" * 300  # the latest is always there to be stored
    assert docs._MEMORY.total <= 1000 and len(docs._MEMORY) == 3
    assert docs.kept(articles[0]) is None and docs.kept(articles[-1]) is not None


def test_embedding_cache_is_bounded_and_keeps_rows_as_copies(monkeypatch):
    cache = SizedCache(5 * (16 + 5 + embed.ENTRY_BYTES), embed._weigh)
    monkeypatch.setattr(embed, "_CACHE", cache)
    batch = np.arange(40, dtype=np.float32).reshape(10, 4)  # 16 bytes a row
    texts = [f"text{i}" for i in range(10)]
    embed.keep_vectors(texts, batch)
    assert list(cache) == texts[5:]  # the five most recent
    assert all(cache[t].base is None for t in cache)  # a row does not keep the batch alive
    assert np.array_equal(np.stack([cache[t] for t in texts[5:]]), batch[5:])


def test_candidate_blocks_even_never_single_rows():
    assert claims_mod._blocks(1) == [(0, 1)]
    assert claims_mod._blocks(1024) == [(0, 1024)]  # a story of up to 1,024 mentions: one block
    for n in (1025, 2049, 4507, 9000, 20000):
        blocks = claims_mod._blocks(n)
        assert blocks[0][0] == 0 and blocks[-1][1] == n
        assert all(a[1] == b[0] for a, b in zip(blocks, blocks[1:]))
        sizes = [end - start for start, end in blocks]
        assert min(sizes) >= claims_mod.MIN_BLOCK_ROWS // 2 and max(sizes) - min(sizes) <= 1
        assert max(sizes) * n <= max(claims_mod.BLOCK_CELLS, claims_mod.MIN_BLOCK_ROWS * n) + n


def test_candidates_do_not_depend_on_the_block_size(monkeypatch):
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(700, 32)).astype(np.float32)
    vectors[350:360] = vectors[0:10]  # copies: exact ties across articles
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    owner = [f"article{i // 7}" for i in range(700)]
    whole_cos: dict = {}
    whole = claims_mod._candidates(vectors, owner, whole_cos)  # 700 x 700 cells: one block
    monkeypatch.setattr(claims_mod, "BLOCK_CELLS", 700 * 70)
    assert len(claims_mod._blocks(700)) == 10
    split_cos: dict = {}
    assert claims_mod._candidates(vectors, owner, split_cos) == whole and whole
    assert split_cos == whole_cos


@pytest.mark.parametrize("newline", ["\n", "\n    "])
def test_write_dumps_is_dumps_in_pieces(monkeypatch, newline):
    monkeypatch.setattr("rashomon.render.jsonout.WRITE_CHUNK", 64)  # many pieces
    document = {"b": [1, 2.5, None, True], "a": {"text": "line one\nline two — «quoted»", "z": []},
                "matrix": [["silent"] * 30 for _ in range(20)], "émigré": "ünïcode"}
    pieces: list[str] = []
    write_dumps(pieces.append, document, newline=newline)
    assert len(pieces) > 5
    assert "".join(pieces) == dumps(document).replace("\n", newline)
    assert json.loads("".join(pieces)) == document
