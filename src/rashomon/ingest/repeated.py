"""Repetition across a source's articles: the furniture the store has learned.

A block whose template recurs in several articles of the same outlet (or, without one, the
same host) is that source's furniture: a newsletter offer, a licence line, a section menu
that the lexicon does not know. Every article stored teaches the store its block templates
(:meth:`Store.add_block_prints`), so the cleaner gets better as a source's articles
accumulate; :meth:`Store.furniture_learned` says how much it has learned. The article keeps
its id (the hash of its input): only its text and ``removed`` change.
"""

from __future__ import annotations

import re
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


def strip_learned(article: Article, store, *, learn: bool = True) -> Article:
    """The article without the blocks its source repeats (learned from ``store``); its block
    templates are added to what the store knows (unless ``learn`` is False)."""
    key = source_key(article)
    if key is None:
        return article
    blocks = text_blocks(article.text)
    prints = [F.block_print(b) for _, b in blocks]
    mine = {p for p in prints if p}
    known = store.repeated_prints(key, mine, P.REPEAT_MIN_ARTICLES, exclude=article.id) if mine else set()
    if learn:
        store.add_block_prints(key, article.id, mine)
    if not known:
        return article
    prose = [k for k, (_, b) in enumerate(blocks) if F.is_prose(b)]
    core = range(prose[0] + 1, prose[-1]) if prose else range(0)
    kept, removed = [], []
    for k, ((line, block), p) in enumerate(zip(blocks, prints)):
        if p in known and _furniture_shaped(block, inside=k in core):
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


def _furniture_shaped(block: str, *, inside: bool) -> bool:
    """A repeated block is furniture unless it reads as the report: a paragraph of prose, or,
    between the first and last paragraphs of prose, any sentence (a wire's stock background
    line "The blast killed 11 workers." recurs across a story's articles)."""
    if F.lexicon_kind(block):
        return True
    if F.is_prose(block):
        return False
    return not (inside and F.has_verb(block) and re.search(r"[.!?\"\u201d]\s*$", block))


def _respan(span, article_id: str, text: str):
    return stated_span(article_id, text, span.text) if span is not None else None
