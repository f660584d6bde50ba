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
from .analyze.article import analyze_article
from .errors import RashomonError
from .model import Analysis, Article, Brief, Rejected, Span
from .pipeline import BriefsResult, IngestResult, build_briefs, ingest, read_inputs
from .render.jsonout import analysis_document, briefs_document
from .store import Store

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
