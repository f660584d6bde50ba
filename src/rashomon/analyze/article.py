"""Analyze one article alone: the per-article layer (`rashomon analyze`).

Steps, each a plain function over the spaCy Doc of the article's clean text:

=========  ==========================  =======================
step       needs                       adds
=========  ==========================  =======================
parse      article.text                doc, sentences
mentions   doc                         entities
quotes     doc, entities               quotes
times      doc, article.published      times
claims     doc, entities, quotes,      claims
           times
embed      article.title, article.text embedding
=========  ==========================  =======================

Documents are parsed in batches with ``nlp.pipe`` and embedded in batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..errors import StageError
from ..model import Analysis, Article, Rejected, Sentence

ANALYSIS_VERSION = "2025.11.2"
"""Bump when any analysis step changes its output: stored analyses of another version are redone."""
PARSE_BATCH = 16
EMBED_CHARS = 1200
"""How much of title + lede is embedded (MiniLM reads 256 word pieces, about 1,000 characters)."""


def embedding_input(article: Article) -> str:
    """Title and lede: what an article's story-level embedding reads."""
    head = f"{article.title}. " if article.title else ""
    return (head + article.text)[:EMBED_CHARS]


def analyze_doc(article: Article, doc, *, with_embedding: tuple[float, ...] = ()) -> Analysis:
    """Every per-article step over an already parsed ``doc`` of ``article.text``."""
    from .claims import extract_claims
    from .entities import extract_mentions
    from .quotes import extract_quotes
    from .timex import extract_times

    from .docs import remember

    step = "parse"
    try:
        remember(article, doc)
        sentences = tuple(Sentence(s.start_char, s.end_char) for s in doc.sents)
        step = "mentions"
        mentions = extract_mentions(doc, article.id)
        step = "quotes"
        quotes = extract_quotes(doc, article.id, mentions)
        step = "times"
        times = extract_times(article.text, article.id, article.published, doc=doc)
        step = "claims"
        claims = extract_claims(doc, article.id, mentions, quotes, times)
    except Exception as exc:
        raise StageError(f"analyze/{step} failed on article {article.id} ({article.source}): {exc}") from exc
    return Analysis(
        article=article,
        sentences=sentences,
        entities=tuple(mentions),
        quotes=tuple(quotes),
        times=tuple(times),
        claims=tuple(claims),
        embedding=with_embedding,
    )


def analyze_articles(articles: Iterable[Article], *, embed: bool = True, keep_going: bool = False) -> Iterator:
    """Analyses in input order; parses and embeds in batches. With ``keep_going``, an
    article whose analysis fails yields a :class:`Rejected` naming the step, and the rest go on."""
    from .nlp import load_nlp

    nlp = load_nlp()
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= PARSE_BATCH:
            yield from _analyze_batch(nlp, batch, embed, keep_going)
            batch = []
    if batch:
        yield from _analyze_batch(nlp, batch, embed, keep_going)


def _analyze_batch(nlp, batch: list[Article], embed: bool, keep_going: bool = False) -> Iterator:
    vectors: list[tuple[float, ...]] = [()] * len(batch)
    if embed:
        from .embed import embed as embed_texts

        try:
            vectors = [tuple(float(x) for x in row) for row in embed_texts([embedding_input(a) for a in batch])]
        except Exception as exc:
            raise StageError(f"analyze/embed failed: {exc}") from exc
    docs = nlp.pipe([a.text for a in batch], batch_size=PARSE_BATCH)
    for article, doc, vector in zip(batch, docs, vectors):
        try:
            yield analyze_doc(article, doc, with_embedding=vector)
        except StageError as exc:
            if not keep_going:
                raise
            yield Rejected(article.source, f"{exc}. The article is kept in the store and analysed again on the "
                                           "next run; please report this error")


def analyze_article(article: Article, *, embed: bool = True) -> Analysis:
    """One article, analysed alone."""
    return next(analyze_articles([article], embed=embed))
