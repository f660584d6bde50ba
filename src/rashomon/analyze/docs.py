"""Parsed documents kept from the analysis stage, so no later stage parses an article twice.

The analysis stage hands every parse to :func:`remember`; :func:`doc_for` gives it back
(from memory, else from the store's copy, else by parsing). A parse is kept as spaCy
bytes without its tensor (about a tenth of the Doc's size in memory).
"""

from __future__ import annotations

from ..model import Article
from .lru import SizedCache

CACHE_BYTES = 32 << 20
"""Bytes of parses kept in memory, the most recent last (the store keeps every parse and
:func:`doc_for` reads one back from there). A 500-word article's parse is about 80 kB
(Timeline17 articles cut after 650 words: 15.5 MB for 201), so this holds about 400: an
analysis batch's parses until they are stored (16 articles of up to ~12,000 words; a parse
that was dropped before it was stored is made again by the brief, the same parse), and most
of one story's for its brief. It was 4,096 parses, which grew the main process with the
corpus (34 MB at 500 articles, ~135 MB at 2,000): docs/bench/pipeline.md, "Memory"."""
EXCLUDE = ["tensor", "user_data"]

_MEMORY: SizedCache[tuple[str, int], bytes] = SizedCache(CACHE_BYTES, lambda key, data: len(data))
_STORE = None
"""The store to read kept parses from (set by the pipeline)."""


def to_bytes(doc) -> bytes:
    return doc.to_bytes(exclude=EXCLUDE)


def remember(article: Article, doc) -> bytes:
    """Keep ``doc`` (the parse of ``article.text``); returns its bytes for the store."""
    data = to_bytes(doc)
    remember_bytes(article, data)
    return data


def forget_all() -> None:
    """Drop every parse kept in memory (a worker process, once it has handed them back)."""
    _MEMORY.clear()


def remember_bytes(article: Article, data: bytes) -> None:
    """Keep a parse as its bytes (made by a worker process, or read from the store)."""
    _MEMORY.put((article.id, len(article.text)), data)


def kept(article: Article) -> bytes | None:
    """The kept parse's bytes (for the store), if any."""
    return _MEMORY.get((article.id, len(article.text)))


def use_store(store) -> None:
    """Read kept parses from ``store`` when they are not in memory."""
    global _STORE
    _STORE = store


def doc_for(article: Article):
    """The parse of ``article.text``: kept, stored, or made now."""
    from .nlp import import_spacy

    import_spacy()
    from spacy.tokens import Doc

    from .nlp import load_nlp

    nlp = load_nlp()
    data = _MEMORY.get((article.id, len(article.text)))
    if data is None and _STORE is not None:
        data = _STORE.parse(article.id)
        if data is not None:
            remember_bytes(article, data)
    if data is not None:
        doc = Doc(nlp.vocab).from_bytes(data, exclude=EXCLUDE)
        if doc.text == article.text:
            return doc
    doc = nlp(article.text)
    remember(article, doc)
    return doc
