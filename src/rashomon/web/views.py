"""What each page shows, as plain data: the pages' templates and the JSON API read the same.

Nothing here writes HTML: the templates escape every value they print.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ..model import Analysis, Article, Brief, Span
from . import search
from .errors import WebError

UNKNOWN_OUTLET = "outlet unknown"
STATUS_LABELS = {"agreed": "agreed", "conflicting": "disputed", "single_source": "one outlet only"}
CELL_MARKS = {"reports": "✔", "contradicts": "✘", "silent": "·"}
SPAN_KINDS = ("entity", "speaker", "quote", "time", "claim")
"""Kinds of span an article page highlights, outermost last (claims hold quotes hold names)."""
KIND_LABELS = {"entity": "names", "speaker": "speakers", "quote": "quotes", "time": "times", "claim": "claims"}


def outlet_label(article: Article) -> str:
    return article.outlet or UNKNOWN_OUTLET


def article_href(article_id: str, span: Span | None = None) -> str:
    if span is None:
        return f"/articles/{article_id}"
    return f"/articles/{article_id}?span={span.start}-{span.end}#hl"


# ----------------------------------------------------------------------------- story list


def story_rows(store, summary_of) -> list[dict]:
    """Every story, newest first: title, size, independent outlets, dates, one-line summary."""
    meta = {}
    for article_id, seq, title, outlet, published in store.db.execute(
            "SELECT id, seq, json_extract(data, '$.title'), json_extract(data, '$.outlet'), "
            "json_extract(data, '$.published') FROM articles"):
        meta[article_id] = (seq, title, outlet, published)
    copies = {a: dup for a, (_story, dup) in store.assignments().items()}
    from ..group.grouping import story_topics

    topics = story_topics(store)
    rows = []
    for story_id, ids in store.stories().items():
        infos = [meta[i] for i in ids if i in meta]
        originals = [meta[i] for i in ids if i in meta and not copies.get(i)]
        named = sorted({o for _, _, o, _ in originals if o})
        unnamed = sum(1 for _, _, o, _ in originals if not o)
        dates = sorted(p for _, _, _, p in infos if p)
        title, summary = summary_of(story_id)
        first_title = next((t for _, t, _, _ in infos if t), None)
        rows.append({
            "id": story_id,
            "title": title or first_title or f"Story {story_id}",
            "articles": len(ids),
            "independent_outlets": len(named) + unnamed,
            "outlets": named,
            "unnamed_outlets": unnamed,
            "first": dates[0] if dates else None,
            "last": dates[-1] if dates else None,
            "summary": summary,
            "topic": topics.get(story_id),
            "links": {"page": f"/stories/{story_id}", "api": f"/api/stories/{story_id}"},
            "_newest": (dates[-1] if dates else "", max(s for s, _, _, _ in infos) if infos else 0),
        })
    rows.sort(key=lambda r: (r["_newest"], r["id"]), reverse=True)
    for row in rows:
        del row["_newest"]
    return rows


# ----------------------------------------------------------------------------- story page


PAGE_ROWS = 150
"""Claims and coverage rows a story page shows before "show all" (the best supported first)."""
PAGE_SPEAKERS = 60
PAGE_STATEMENTS = 20
"""Speakers shown, and statements per speaker, before "show all"."""


def story_view(brief: Brief, *, full: bool = False) -> dict:
    """Everything the story page shows, grouped the way an editor reads it; unless ``full``,
    long lists are cut to their first rows (the page says so and links to all of them)."""
    numbers = {a.id: n for n, a in enumerate(brief.articles, start=1)}
    outlets = {a.id: outlet_label(a) for a in brief.articles}

    def cite(span: Span) -> dict:
        return {"href": article_href(span.article, span), "n": numbers.get(span.article, "?"),
                "outlet": outlets.get(span.article, UNKNOWN_OUTLET), "article": span.article,
                "span": f"{span.start}-{span.end}", "text": span.text}

    dates = sorted(a.published for a in brief.articles if a.published)
    originals = [a for a in brief.articles if not a.duplicate_of]
    named = sorted({a.outlet for a in originals if a.outlet})
    return {
        "brief": brief,
        "cite": cite,
        "numbers": numbers,
        "outlets": outlets,
        "first": dates[0] if dates else None,
        "last": dates[-1] if dates else None,
        "named_outlets": named,
        "independent": len(named) + sum(1 for a in originals if not a.outlet),
        "speakers": _cut_speakers(speakers(brief), full),
        "coverage": _cut_coverage(coverage_by_outlet(brief), full),
        "claims": list(brief.claims if full else brief.claims[:PAGE_ROWS]),
        "full": full,
        "cut": not full and (len(brief.claims) > PAGE_ROWS or len(brief.statements) > PAGE_SPEAKERS * PAGE_STATEMENTS
                             or len({s.speaker_name for s in brief.statements}) > PAGE_SPEAKERS),
        "status_labels": STATUS_LABELS,
        "status_counts": Counter(c.status for c in brief.claims),
        "cell_marks": CELL_MARKS,
        "article_rows": [{"n": numbers[a.id], "article": a, "outlet": outlets[a.id],
                          "copy_of": numbers.get(a.duplicate_of) if a.duplicate_of else None}
                         for a in brief.articles],
    }


def _cut_speakers(groups: list[dict], full: bool) -> list[dict]:
    if full:
        return groups
    return [{**g, "statements": g["statements"][:PAGE_STATEMENTS]} for g in groups[:PAGE_SPEAKERS]]


def _cut_coverage(coverage: dict, full: bool) -> dict:
    if full or not coverage.get("rows"):
        return coverage
    return {**coverage, "rows": coverage["rows"][:PAGE_ROWS]}


def speakers(brief: Brief) -> list[dict]:
    """Statements grouped by speaker: most-relayed speakers first, the unattributed last."""
    groups: dict[str, list] = defaultdict(list)
    for statement in brief.statements:
        groups[statement.speaker_name or ""].append(statement)
    out = []
    for name, statements in groups.items():
        statements = sorted(statements, key=lambda s: (-len(s.variants), s.id))
        out.append({"name": name or None, "entity": statements[0].speaker_entity,
                    "statements": statements, "variants": sum(len(s.variants) for s in statements)})
    out.sort(key=lambda g: (g["name"] is None, -g["variants"], g["name"] or ""))
    return out


def coverage_by_outlet(brief: Brief) -> dict:
    """The claim × outlet matrix: an outlet contradicts, reports or is silent on each claim.

    Articles of one named outlet share a column; each article whose outlet is unknown keeps
    its own column (two unnamed articles may well be two outlets).
    """
    coverage = brief.coverage or {}
    ids = list(coverage.get("articles") or [])
    matrix = coverage.get("matrix") or []
    numbers = {a.id: n for n, a in enumerate(brief.articles, start=1)}
    by_id = {a.id: a for a in brief.articles}
    columns: list[dict] = []
    column_of: dict[str, int] = {}
    for article_id in ids:
        article = by_id.get(article_id)
        key = article.outlet if article and article.outlet else f"#{article_id}"
        if key not in column_of:
            column_of[key] = len(columns)
            label = article.outlet if article and article.outlet else f"[{numbers.get(article_id, '?')}] unnamed"
            columns.append({"label": label, "articles": []})
        columns[column_of[key]]["articles"].append(numbers.get(article_id, "?"))
    rank = {"silent": 0, "reports": 1, "contradicts": 2}
    claims = {c.id: c for c in brief.claims}
    rows = []
    for claim_id, cells in zip(coverage.get("claims") or [], matrix):
        merged = ["silent"] * len(columns)
        for article_id, cell in zip(ids, cells):
            article = by_id.get(article_id)
            col = column_of[article.outlet if article and article.outlet else f"#{article_id}"]
            if rank.get(cell, 0) > rank[merged[col]]:
                merged[col] = cell
        if claim_id in claims:
            rows.append({"claim": claims[claim_id], "cells": merged})
    return {"columns": columns, "rows": rows}


# ----------------------------------------------------------------------------- article page


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of article text with the kinds of span covering it."""

    text: str
    kinds: str
    """Space-separated CSS classes (k-entity k-quote ...), empty for plain text."""
    hl: bool = False
    first: bool = False
    """The first run of the highlighted span (carries the #hl anchor)."""


def parse_span(value: str | None, text: str) -> tuple[int, int] | None:
    if not value:
        return None
    start, _, end = value.partition("-")
    if not (start.isdigit() and end.isdigit()) or not 0 <= int(start) < int(end) <= len(text):
        raise WebError(422, f"span {value!r} is not START-END inside this article's {len(text)} characters")
    return int(start), int(end)


def analysis_layers(analysis: Analysis | None) -> list[tuple[int, int, str]]:
    if analysis is None:
        return []
    layers = [(m.span.start, m.span.end, "entity") for m in analysis.entities]
    layers += [(q.span.start, q.span.end, "quote") for q in analysis.quotes]
    layers += [(q.speaker_span.start, q.speaker_span.end, "speaker") for q in analysis.quotes if q.speaker_span]
    layers += [(t.span.start, t.span.end, "time") for t in analysis.times]
    layers += [(c.span.start, c.span.end, "claim") for c in analysis.claims]
    return layers


def segments(text: str, layers: list[tuple[int, int, str]], hl: tuple[int, int] | None) -> list[Segment]:
    """``text`` cut wherever a span starts or ends; each run knows every span covering it."""
    n = len(text)
    starts: dict[int, list[str]] = defaultdict(list)
    ends: dict[int, list[str]] = defaultdict(list)
    points = {0, n}
    for start, end, kind in layers:
        if 0 <= start < end <= n:
            starts[start].append(kind)
            ends[end].append(kind)
            points.update((start, end))
    if hl:
        points.update(hl)
    ordered = sorted(points)
    active: Counter = Counter()
    out: list[Segment] = []
    seen_hl = False
    for here, there in zip(ordered, ordered[1:]):
        for kind in ends.get(here, ()):
            active[kind] -= 1
        for kind in starts.get(here, ()):
            active[kind] += 1
        kinds = " ".join(f"k-{k}" for k in SPAN_KINDS if active[k] > 0)
        inside = bool(hl and hl[0] <= here < hl[1])
        out.append(Segment(text[here:there], kinds, inside, inside and not seen_hl))
        seen_hl = seen_hl or inside
    return out


def article_view(article: Article, analysis: Analysis | None, story_id: str | None, span: str | None) -> dict:
    hl = parse_span(span, article.text)
    layers = analysis_layers(analysis)
    counts = Counter(kind for _, _, kind in layers)
    return {
        "article": article,
        "story_id": story_id,
        "outlet": outlet_label(article),
        "segments": segments(article.text, layers, hl),
        "hl": {"start": hl[0], "end": hl[1], "text": article.text[hl[0]:hl[1]]} if hl else None,
        "kinds": [(k, counts.get(k, 0)) for k in SPAN_KINDS],
        "kind_labels": KIND_LABELS,
        "analysed": analysis is not None,
    }


# ----------------------------------------------------------------------------- API rows


def kind_filter(kind: str | None) -> str | None:
    if not kind:
        return None
    if kind not in search.KINDS:
        raise WebError(422, f"kind {kind!r}: give one of {', '.join(search.KINDS)}, or leave it out")
    return kind


def hit_href(hit: search.Hit) -> str:
    if hit.kind == "article" or not hit.story:
        return article_href(hit.ref)
    return f"/stories/{hit.story}#{hit.ref}"


def hit_row(hit: search.Hit) -> dict:
    api = f"/api/articles/{hit.ref}" if hit.kind == "article" else (f"/api/stories/{hit.story}" if hit.story else None)
    return {"kind": hit.kind, "ref": hit.ref, "story": hit.story, "title": hit.title, "snippet": hit.snippet_text,
            "links": {"page": hit_href(hit), "api": api}}


def added_row(article: Article, new: bool, story_id: str | None) -> dict:
    return {"id": article.id, "title": article.title, "outlet": article.outlet, "published": article.published,
            "added": new, "story": story_id,
            "links": {"page": article_href(article.id), "api": f"/api/articles/{article.id}",
                      "story": f"/stories/{story_id}" if story_id else None,
                      "story_api": f"/api/stories/{story_id}" if story_id else None}}


def api_docs(openapi: dict) -> list[dict]:
    """The OpenAPI document as a list of operations, for the /docs page."""
    out = []
    for path, methods in openapi.get("paths", {}).items():
        for method, op in methods.items():
            body = sorted((op.get("requestBody") or {}).get("content", {}))
            out.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "params": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                            "description": p.get("description") or p.get("schema", {}).get("description", "")}
                           for p in op.get("parameters", [])],
                "body": body,
                "responses": sorted((code, r.get("description", "")) for code, r in op.get("responses", {}).items()),
            })
    return out
