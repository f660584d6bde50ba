"""Rashomon: many outlets, one story.

Reads news articles from many outlets, groups them into stories and writes one
reconciled, source-attributed brief per story. The public API::

    import rashomon
    result = rashomon.build_briefs(["articles/"])          # BriefsResult(briefs, rejected)
    store = rashomon.Store("news.db")
    rashomon.ingest(["more-articles/"], store)             # analysed and grouped, persisted
    analysis = rashomon.analyze_article(article)           # one article alone

Everything else is internal and may change.
"""

from . import ingest as _ingest_package  # noqa: F401  (import the package before the function shadows its name)
from .errors import RashomonError

_LAZY = {
    "analyze_article": "analyze.article",
    "Analysis": "model", "Article": "model", "Brief": "model", "Rejected": "model", "Span": "model",
    "BriefsResult": "pipeline", "IngestResult": "pipeline", "build_briefs": "pipeline", "read_inputs": "pipeline",
    "analysis_document": "render.jsonout", "briefs_document": "render.jsonout",
    "Store": "store",
}
"""Public names imported on first use: ``rashomon --help`` loads none of numpy, spaCy or the store."""


def ingest(paths, store=None, **options):
    """Read, store, analyse and group articles (:func:`rashomon.pipeline.ingest`)."""
    from .pipeline import ingest as run_ingest

    return run_ingest(paths, store, **options)


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'rashomon' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Article",
    "Brief",
    "BriefsResult",
    "IngestResult",
    "RashomonError",
    "Rejected",
    "Span",
    "Store",
    "analysis_document",
    "analyze_article",
    "briefs_document",
    "build_briefs",
    "ingest",
    "read_inputs",
]
