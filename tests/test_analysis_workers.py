"""Analysis in worker processes gives the same analyses, in the same order, as one process."""

from __future__ import annotations

import pytest

from rashomon.analyze import article as article_mod
from rashomon.analyze import docs
from rashomon.demo import demo_paths
from rashomon.errors import StageError
from rashomon.ingest import files
from rashomon.model import Article


def demo_articles() -> list[Article]:
    return [a for a in files.read_paths(demo_paths()) if isinstance(a, Article)]


def test_workers_give_the_same_analyses_in_order(monkeypatch):
    articles = demo_articles()
    assert len(articles) >= 5
    monkeypatch.setenv("RASHOMON_WORKERS", "1")
    alone = list(article_mod.analyze_articles(articles, total=len(articles)))
    monkeypatch.setenv("RASHOMON_WORKERS", "2")
    monkeypatch.setattr(article_mod, "PARALLEL_MIN", 2)
    monkeypatch.setattr(article_mod, "PARSE_BATCH", 2)  # several batches in flight
    docs.forget_all()
    parallel = list(article_mod.analyze_articles(articles, total=len(articles)))
    assert [a.article.id for a in parallel] == [a.id for a in articles]
    assert parallel == alone
    # the workers' parses came back: reconcile reads them instead of parsing again; an article in
    # another language is not parsed (analysed for grouping and quotes only), so none is kept
    full = [a for a in parallel if a.scope == "full"]
    assert full and len(full) < len(parallel)
    assert all(docs.kept(a.article) is not None for a in full)
    assert all(docs.kept(a.article) is None for a in parallel if a.scope != "full")


def test_a_bad_worker_count_names_the_variable_and_the_fix(monkeypatch):
    monkeypatch.setenv("RASHOMON_WORKERS", "two")
    with pytest.raises(StageError, match="RASHOMON_WORKERS='two'.*whole number"):
        article_mod.workers()
    monkeypatch.setenv("RASHOMON_WORKERS", "0")
    assert article_mod.workers() == 1


def test_spacy_is_loaded_without_torch_and_torch_stays_importable():
    """thinc imports torch whenever it is installed; the pipeline never uses it."""
    from tests.conftest import imported_modules

    assert imported_modules("from rashomon.analyze.nlp import load_nlp\nload_nlp()", ("torch",)) == []
    code = ("import importlib.util, sys\nfrom rashomon.analyze.nlp import import_spacy\nimport_spacy()\n"
            "assert sys.modules.get('torch', 0) is not None\n"
            "assert importlib.util.find_spec('thinc') is not None\n")
    assert imported_modules(code, ("torch",)) == []
