"""An extractive summary whose every sentence cites every article that supports it.

Sentences come from claims (so never from a caption, boilerplate or headline): the main
event first (the best-supported claim nearest the articles' ledes), then the most
supported claims, skipping any that repeats one already chosen.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Analysis, Claim, Event, SummarySentence
from .claims import readable

MIN_SENTENCES = 5
MAX_SENTENCES = 8
REDUNDANT_COSINE = 0.62
"""A candidate this similar to a chosen sentence says the same thing (tuned on the seeds)."""
MAX_CHARS = 400
MAX_CANDIDATES = 60
"""Only the best-ranked claims are embedded and compared (a 300-article story has thousands)."""


def summarize(analyses: Sequence[Analysis], claims: Sequence[Claim], events: Sequence[Event]) -> list[SummarySentence]:
    from ..analyze.embed import embed

    candidates = [c for c in claims if c.support and len(c.text) <= MAX_CHARS and readable(c.text) > 0]
    if not candidates:
        return _fallback(analyses)
    n_articles = max(1, len(analyses))

    def score(claim: Claim) -> tuple:
        support = len({s.article for s in claim.support})
        lede = min(s.start for s in claim.support)
        return (-(support / n_articles + (0.5 if lede < 400 else 0.0) + 0.25 * readable(claim.text)), lede, claim.id)

    ranked = sorted(candidates, key=score)[:MAX_CANDIDATES]
    vectors = embed([c.text for c in ranked])
    chosen: list[int] = []
    for i in range(len(ranked)):
        if any(float(vectors[i] @ vectors[j]) >= REDUNDANT_COSINE for j in chosen):
            continue
        chosen.append(i)
        if len(chosen) >= MAX_SENTENCES:
            break
    return [SummarySentence(ranked[i].text, tuple(ranked[i].support)) for i in chosen]


def _fallback(analyses: Sequence[Analysis]) -> list[SummarySentence]:
    """No claims: the first sentence of each article, cited to itself."""
    from ..model import Span

    out = []
    for analysis in analyses[:MAX_SENTENCES]:
        if analysis.sentences:
            s = analysis.sentences[0]
            span = Span.of(analysis.article.id, analysis.article.text, s.start, s.end)
            out.append(SummarySentence(span.text, (span,)))
    return out
