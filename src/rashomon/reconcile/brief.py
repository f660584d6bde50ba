"""Reconcile one story into a Brief: a short runner over named steps.

Each step says what it needs and what it adds; :func:`check_steps` verifies at start-up
that every need is met by the input or an earlier step, and an error names its step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import re

import numpy as np

from ..errors import StageError
from ..model import Analysis, Article, Brief, Claim
from .origins import Origins, with_statement_origins


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    needs: tuple[str, ...]
    adds: tuple[str, ...]
    run: Callable[[dict], dict]


def _dates(ctx: dict) -> dict:
    """Infer missing publication dates from the story, then re-resolve those articles' times."""
    from ..analyze.article import analyze_doc
    from ..analyze.docs import doc_for
    from .timeline import infer_publication_dates

    inferred = infer_publication_dates(ctx["analyses"])
    out = []
    for analysis in ctx["analyses"]:
        if analysis.article.id in inferred and analysis.article.published_basis == "unknown":
            day, note = inferred[analysis.article.id]
            article = replace(analysis.article, published=day, published_basis="inferred", published_note=note)
            doc = doc_for(analysis.article) if analysis.scope == "full" else None  # other languages: no parse
            redone = analyze_doc(article, doc, with_embedding=analysis.embedding)
            out.append(redone)
        else:
            out.append(analysis)
    return {"dated": out}


def _entities(ctx: dict) -> dict:
    from .entities import resolve_entities

    return {"resolution": resolve_entities(ctx["dated"])}


def _statements(ctx: dict) -> dict:
    from .statements import group_statements

    return {"statements": group_statements(ctx["dated"], ctx["resolution"])}


def _timeline(ctx: dict) -> dict:
    from .timeline import build_timeline

    return {"events": build_timeline(ctx["dated"], ctx["resolution"])}


def _claims(ctx: dict) -> dict:
    from .claims import align_claims

    claims, coverage = align_claims(ctx["dated"], ctx["resolution"])
    return {"claims": claims, "coverage": coverage}


def _summary(ctx: dict) -> dict:
    from .summary import summarize

    return {"summary": summarize(ctx["dated"], ctx["claims"], ctx["events"])}


def _framing(ctx: dict) -> dict:
    from .framing import compare_framing

    return {"framing": compare_framing(ctx["dated"], ctx["statements"], ctx["claims"], ctx["resolution"])}


STEPS: tuple[Step, ...] = (
    Step("dates", ("analyses",), ("dated",), _dates),
    Step("entities", ("dated",), ("resolution",), _entities),
    Step("statements", ("dated", "resolution"), ("statements",), _statements),
    Step("timeline", ("dated", "resolution"), ("events",), _timeline),
    Step("claims", ("dated", "resolution"), ("claims", "coverage"), _claims),
    Step("summary", ("dated", "claims", "events"), ("summary",), _summary),
    Step("framing", ("dated", "statements", "claims", "resolution"), ("framing",), _framing),
)


def check_steps(steps: Sequence[Step], given: Sequence[str] = ("analyses",)) -> None:
    """Raise StageError when a step needs what no earlier step adds."""
    have = set(given)
    for step in steps:
        missing = [need for need in step.needs if need not in have]
        if missing:
            raise StageError(f"reconcile/{step.name} needs {', '.join(missing)}, which no earlier step adds")
        have.update(step.adds)


check_steps(STEPS)


def build_brief(story_id: str, analyses: Sequence[Analysis]) -> Brief:
    """The reconciled account of one story."""
    ctx: dict = {"analyses": list(analyses)}
    for step in STEPS:
        try:
            ctx.update(step.run(ctx))
        except StageError:
            raise
        except Exception as exc:
            raise StageError(f"reconcile/{step.name} failed on story {story_id}: {type(exc).__name__}: {exc}") from exc
    dated = ctx["dated"]
    origins = Origins([a.article for a in dated])
    return Brief(
        id=story_id,
        title=story_title(dated, ctx["claims"]),
        articles=tuple(a.article for a in dated),
        entities=ctx["resolution"].entities,
        statements=tuple(with_statement_origins(ctx["statements"], origins)),
        events=tuple(ctx["events"]),
        claims=tuple(ctx["claims"]),
        summary=tuple(ctx["summary"]),
        framing=tuple(ctx["framing"]),
        coverage=ctx["coverage"],
        scopes=tuple((a.article.id, a.scope) for a in dated if a.scope != "full"),
    )


TITLE_WORDS = (3, 20)
"""A headline shorter or longer than this (in words) is a label or a lede, not a title."""
_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")


def story_title(analyses: Sequence[Analysis], claims: Sequence[Claim] = ()) -> str:
    """The best-supported headline: the one whose content words the most independent origins'
    claims report (with the embedding centre as the tie-break), so neither the newest nor an
    outlier headline names the story. First sentence when no article has a headline."""
    titled = [a for a in analyses if a.article.title] or list(analyses)
    sized = [a for a in titled if a.article.title and TITLE_WORDS[0] <= len(a.article.title.split()) <= TITLE_WORDS[1]]
    titled = sized or titled
    origins = Origins([a.article for a in analyses])
    vectors = [np.asarray(a.embedding, dtype=np.float32) for a in titled if len(a.embedding)]
    centrality = [0.0] * len(titled)
    if len(vectors) == len(titled) and vectors:
        centre = np.mean(vectors, axis=0)
        centrality = [float(v @ centre) for v in vectors]
    support = [_title_support(a, claims, origins) for a in titled]
    best_i = max(range(len(titled)), key=lambda i: (round(support[i], 6), round(centrality[i], 6), -i))
    best: Article = titled[best_i].article
    if best.title:
        return best.title
    first = best.text.split("\n", 1)[0]
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"


def _title_support(analysis: Analysis, claims: Sequence[Claim], origins: Origins) -> float:
    """Share of the headline's content words that claims reported by other origins state,
    weighted by how many origins report them."""
    title = analysis.article.title or ""
    words = {w.lower() for w in _TITLE_WORD.findall(title)}
    if not words or not claims:
        return 0.0
    own = origins.key(analysis.article.id)
    backed: dict[str, int] = {}
    for claim in claims:
        others = {origins.key(a) for a in claim.articles} - {own}
        if not others:
            continue
        text = " ".join(s.text.lower() for s in claim.support)
        for w in words:
            if w in text:
                backed[w] = max(backed.get(w, 0), len(others))
    return sum(backed.values()) / len(words)
