"""Repetition across a source's articles: the furniture the store has learned.

A block whose template recurs in several articles of the same outlet (or, without one, the
same host) is that source's furniture: a newsletter offer, a licence line, a section menu
that the lexicon does not know. Every article stored teaches the store its block templates
(:meth:`Store.add_block_prints`), so the cleaner gets better as a source's articles
accumulate; :meth:`Store.furniture_learned` says how much it has learned. The article keeps
its id (the hash of its input): only its text and ``removed`` change.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from ..model import Article, Removed
from . import furniture as F
from . import patterns as P
from .clean import _join, text_blocks
from .files import stated_span


def source_key(article: Article) -> str | None:
    """The outlet, else the host of the URL; None when the article names neither."""
    if article.outlet:
        return "outlet:" + " ".join(article.outlet.lower().split())
    if article.url:
        host = urlsplit(article.url).hostname or ""
        host = host.removeprefix("www.")
        return f"host:{host}" if host else None
    return None


def strip_learned(article: Article, store) -> Article:
    """The article without the blocks its source repeats (learned from ``store``); its block
    templates are added to what the store knows."""
    key = source_key(article)
    if key is None:
        return article
    blocks = text_blocks(article.text)
    prints = [F.block_print(b) for _, b in blocks]
    mine = {p for p in prints if p}
    known = store.repeated_prints(key, mine, P.REPEAT_MIN_ARTICLES, exclude=article.id) if mine else set()
    store.add_block_prints(key, article.id, mine)
    if not known:
        return article
    kept, removed = [], []
    for (line, block), p in zip(blocks, prints):
        if p in known and not F.is_prose(block) or p in known and F.lexicon_kind(block):
            removed.append(Removed(F.lexicon_kind(block) or "other", block))
        else:
            kept.append((line, block))
    if not removed or not kept:
        return article
    text = _join(kept)
    return replace(
        article, text=text, removed=article.removed + tuple(removed),
        outlet_span=_respan(article.outlet_span, article.id, text),
        origin_span=_respan(article.origin_span, article.id, text),
    )


def _respan(span, article_id: str, text: str):
    return stated_span(article_id, text, span.text) if span is not None else None
