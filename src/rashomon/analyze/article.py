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

An article in another language than English (``Article.language``) is not parsed: the
English steps would read noise from it. It gets :func:`analyze_text` instead (sentences by
punctuation, the quotes of ``quotes_ml`` with its speakers as mentions) and its
:data:`SCOPES` entry says which steps read it.

Documents are parsed in batches with ``nlp.pipe`` and embedded in batches. A large job
(at least :data:`PARALLEL_MIN` articles) is parsed, analysed and embedded by :func:`workers`
processes: the results, and their order, are the same as with one process.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace

from ..errors import StageError
from ..model import Analysis, Article, Rejected, Sentence
from .embed import BACKEND

ANALYSIS_VERSION = f"2026.12.6b+{BACKEND.name}"
"""Bump when any analysis step changes its output: stored analyses of another version are redone.
The embedding backend is part of it: vectors of two models are never mixed in one store.
2026.12.6: the block cleaner (ids are the hash of the input), speaker kinds, entity and time rules.
2026.12.6b: articles in other languages are analysed for quotes only (``Analysis.scope``)."""
PARSE_BATCH = 16
PARALLEL_MIN = 64
"""Fewer articles than this are analysed in this process (starting workers costs ~3 s)."""
EMBED_CHARS = 600
"""How much of title + lede is embedded (about 130 word pieces). ECB+ topics 1-20
(benchmarks/ecbplus_stories.py): 600 characters give B-cubed F1 0.868 at the default
threshold and 0.867 held out, 1,200 characters 0.875 and 0.861; the lede embedding was the
analysis stage's bottleneck (the workers waited for it), and 600 characters halve it."""


def embedding_input(article: Article) -> str:
    """Title and lede: what an article's story-level embedding reads."""
    head = f"{article.title}. " if article.title else ""
    return (head + article.text)[:EMBED_CHARS]


SCOPES: dict[str, str] = {
    "full": "analysed in full",
    "grouping and quotes": "analysed for grouping and quotes only: claims, timeline phrasing and "
                           "entity mentions are read in English only",
    "grouping": "analysed for grouping only: no quote lexicon for its language, and claims, timeline "
                "phrasing and entity mentions are read in English only",
}
"""Analysis scopes and the note the brief shows for each."""


def scope_of(article: Article) -> str:
    """"full" for English (or a language not known: the English steps as before), else what
    the language's lexicons allow."""
    from .quotes_ml import lexicon

    if article.language in (None, "en"):
        return "full"
    return "grouping and quotes" if lexicon(article.language) is not None else "grouping"


def analyze_text(article: Article, *, with_embedding: tuple[float, ...] = ()) -> Analysis:
    """An article in another language: sentences, direct quotes and their speakers, no parse."""
    from .quotes_ml import extract_quotes_ml, sentences

    try:
        found = extract_quotes_ml(article)
    except Exception as exc:
        raise StageError(f"analyze/quotes failed on article {article.id} ({article.source}): {exc}") from exc
    return Analysis(article=article, sentences=sentences(article.text), entities=found.mentions,
                    quotes=found.quotes, embedding=with_embedding, scope=scope_of(article))


def analyze_doc(article: Article, doc, *, with_embedding: tuple[float, ...] = ()) -> Analysis:
    """Every per-article step over an already parsed ``doc`` of ``article.text`` (``doc`` is
    not read for an article in another language: :func:`analyze_text`)."""
    if scope_of(article) != "full":
        return analyze_text(article, with_embedding=with_embedding)
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


def workers() -> int:
    """Analysis processes: ``RASHOMON_WORKERS`` if set (1 = none), else one per core, at most 4."""
    value = os.environ.get("RASHOMON_WORKERS", "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise StageError(f"RASHOMON_WORKERS={value!r} is not a number; set it to a whole number "
                             "such as 2, or unset it") from None
    return max(1, min(4, os.cpu_count() or 1))


def analyze_articles(articles: Iterable[Article], *, embed: bool = True, keep_going: bool = False,
                     total: int | None = None) -> Iterator:
    """Analyses in input order; parses and embeds in batches. With ``keep_going``, an
    article whose analysis fails yields a :class:`Rejected` naming the step, and the rest go on.
    ``total`` (how many articles will come, if known) lets a large job use worker processes."""
    n_workers = workers()
    if n_workers > 1 and total is not None and total >= PARALLEL_MIN:
        yield from _analyze_parallel(articles, embed, keep_going, n_workers)
        return
    from .nlp import load_nlp

    nlp = load_nlp()
    for batch in _batches(articles):
        yield from _analyze_batch(nlp, batch, embed, keep_going)


def _batches(articles: Iterable[Article]) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= PARSE_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _embed_batch(batch: list[Article]) -> list[tuple[float, ...]]:
    from .embed import embed as embed_texts

    try:
        return [tuple(float(x) for x in row) for row in embed_texts([embedding_input(a) for a in batch])]
    except Exception as exc:
        raise StageError(f"analyze/embed failed: {exc}") from exc


def _with_ml(batch: list[Article], results: list) -> list:
    """The analyses of ``batch`` with their title and lede in the multilingual space
    (``Analysis.embedding_ml``), where articles in different languages are compared."""
    from .embed import embed_multilingual

    done = [i for i, result in enumerate(results) if isinstance(result, Analysis)]
    if not done:
        return results
    try:
        vectors = embed_multilingual([embedding_input(batch[i]) for i in done])
    except Exception as exc:
        raise StageError(f"analyze/embed (multilingual) failed: {exc}") from exc
    results = list(results)
    for i, row in zip(done, vectors):
        results[i] = replace(results[i], embedding_ml=tuple(float(x) for x in row))
    return results


def _analyses(nlp, batch: list[Article], vectors: list[tuple[float, ...]]) -> Iterator[tuple[Article, Analysis | StageError]]:
    """Parse a batch and analyse each article: its Analysis, or the error a step raised."""
    from .pieces import parse_texts

    full = [a for a in batch if scope_of(a) == "full"]  # other languages are not parsed
    parsed = iter(parse_texts(nlp, [a.text for a in full], PARSE_BATCH))
    for article, vector in zip(batch, vectors):
        if scope_of(article) != "full":
            try:
                yield article, analyze_text(article, with_embedding=vector)
            except StageError as exc:
                yield article, exc
            continue
        doc = next(parsed)
        if isinstance(doc, Exception):  # one text spaCy cannot parse never stops the batch
            yield article, StageError(f"analyze/parse failed on article {article.id} ({article.source}): {doc}")
            continue
        try:
            yield article, analyze_doc(article, doc, with_embedding=vector)
        except StageError as exc:
            yield article, exc


def _outcome(article: Article, result: Analysis | StageError, keep_going: bool) -> Analysis | Rejected:
    if isinstance(result, StageError):
        if not keep_going:
            raise result
        return Rejected(article.source, f"{result}. The article is kept in the store, out of stories, and "
                                        "tried again on the next runs (a few times); please report this error")
    return result


def _analyze_batch(nlp, batch: list[Article], embed: bool, keep_going: bool = False) -> Iterator:
    vectors: list[tuple[float, ...]] = _embed_batch(batch) if embed else [()] * len(batch)
    results = [result for _, result in _analyses(nlp, batch, vectors)]
    for article, result in zip(batch, _with_ml(batch, results) if embed else results):
        yield _outcome(article, result, keep_going)


def _worker_start(parent: int) -> None:
    """A worker's start-up: die with the parent, and one embedding thread (the workers
    already use every core between them; a second onnxruntime thread would only contend)."""
    from .lifeline import die_with_parent

    os.environ.setdefault("RASHOMON_EMBED_THREADS", "1")
    die_with_parent(parent)


def _worker_batch(batch: list[Article], embed: bool) -> list[tuple[Analysis | StageError, bytes | None]]:
    """In a worker process: parse, analyse and embed (title and lede) a batch; each result comes
    back with its parse's bytes (or None after an error).

    The claim mentions are not embedded here: their story is not known yet, and only a story of
    two articles or more compares them. The brief phase embeds them, story by story, in its own
    workers (``pipeline_workers.py``); a text's vector does not depend on the batch or process it
    is computed in (tests/test_analysis_workers.py), so the briefs are the same."""
    from . import docs as kept_docs
    from .nlp import load_nlp

    vectors = _embed_batch(batch) if embed else [()] * len(batch)
    results = [result for _, result in _analyses(load_nlp(), batch, vectors)]
    out = []
    for article, result in zip(batch, _with_ml(batch, results) if embed else results):
        out.append((result, None if isinstance(result, StageError) else kept_docs.kept(article)))
    kept_docs.forget_all()
    return out


def _analyze_parallel(articles: Iterable[Article], embed: bool, keep_going: bool, n_workers: int) -> Iterator:
    """Workers parse, analyse and embed batches (in order); this process stores the results
    and keeps their parses for the brief phase."""
    import multiprocessing

    from . import docs as kept_docs

    context = multiprocessing.get_context("spawn")  # no fork: onnxruntime's threads may be running here
    batches = _batches(articles)  # read here, in this thread (a store's connection stays in its thread)
    in_flight: deque = deque()

    with context.Pool(n_workers, initializer=_worker_start, initargs=(os.getpid(),)) as pool:

        def submit() -> None:
            batch = next(batches, None)
            if batch is not None:
                in_flight.append((batch, pool.apply_async(_worker_batch, (batch, embed))))

        for _ in range(2 * n_workers):
            submit()
        while in_flight:
            batch, pending = in_flight.popleft()
            results = pending.get()
            submit()
            for article, (result, data) in zip(batch, results):
                if data is not None:
                    kept_docs.remember_bytes(article, data)
                yield _outcome(article, result, keep_going)


def analyze_article(article: Article, *, embed: bool = True) -> Analysis:
    """One article, analysed alone."""
    return next(analyze_articles([article], embed=embed))
