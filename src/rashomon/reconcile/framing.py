"""How each outlet framed the story (first version).

Per article: its independent origin (the wire it credits, the original it copies, or itself),
headline and lede side by side, the attribution verbs it uses, whose voices
it quotes and how many words each gets, and the background only it adds (entities no
other article of the story mentions, and its single-source claims).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..codec import to_data
from ..model import Analysis, Claim, EntityResolution, Span, Statement
from .claims import single_source_by_article
from .origins import Origins

BACKGROUND_TYPES = {"PERSON", "ORG", "GPE", "LOC", "EVENT", "FAC", "NORP"}


def compare_framing(analyses: Sequence[Analysis], statements: Sequence[Statement], claims: Sequence[Claim],
                    resolution: EntityResolution | None) -> list[dict]:
    entity_articles: dict[str, set[str]] = {}
    for analysis in analyses:
        for m in analysis.entities:
            key = _entity_key(analysis.article.id, m.name, resolution)
            entity_articles.setdefault(key, set()).add(analysis.article.id)
    alone_of = single_source_by_article(claims)
    origins = Origins([a.article for a in analyses])
    out = []
    for analysis in analyses:
        article = analysis.article
        cues = Counter((q.cue or "").lower() for q in analysis.quotes if q.cue)
        voices: Counter[str] = Counter()
        for q in analysis.quotes:
            voices[q.speaker_name or "(unattributed)"] += len(q.span.text.split())
        lede = None
        if analysis.sentences:
            s = analysis.sentences[0]
            lede = to_data(Span.of(article.id, article.text, s.start, s.end))
        only_here: dict[str, dict] = {}
        for m in analysis.entities:
            if m.type not in BACKGROUND_TYPES:
                continue
            key = _entity_key(article.id, m.name, resolution)
            if entity_articles.get(key) == {article.id} and len(analyses) > 1:
                only_here.setdefault(key, {"name": m.name, "span": to_data(m.span)})
        out.append({
            "article": article.id,
            "outlet": article.outlet,
            "origin": origins.label(article.id),
            "headline": article.title,
            "lede": lede,
            "attribution_verbs": dict(sorted(cues.items(), key=lambda kv: (-kv[1], kv[0]))),
            "voices": [{"name": n, "words": w} for n, w in sorted(voices.items(), key=lambda kv: (-kv[1], kv[0]))],
            "background": [only_here[k] for k in sorted(only_here, key=lambda k: only_here[k]["span"]["start"])],
            "single_source_claims": alone_of.get(article.id, []),
        })
    return out


def _entity_key(article_id: str, name: str, resolution: EntityResolution | None) -> str:
    if resolution is not None:
        entity = resolution.entity_for(article_id, name)
        if entity is not None:
            return entity.id
    return name.lower()
