"""What each page shows, as plain data: the pages' templates and the JSON API read the same.

Nothing here writes HTML: the templates escape every value they print.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ..model import Analysis, Article, Brief, Span
from ..render import view
from . import search
from .errors import WebError

UNKNOWN_OUTLET = "outlet unknown"
STATUS_LABELS = view.STATUS_LABELS
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


def story_rows(store, summary_of, memo: dict | None = None) -> list[dict]:
    """Every story, newest first: title, size, independent outlets, dates, one-line summary.
    ``memo``: see :func:`brief_counts`."""
    meta = {}
    for article_id, seq, title, outlet, published in store.db.execute(
            "SELECT id, seq, json_extract(data, '$.title'), json_extract(data, '$.outlet'), "
            "json_extract(data, '$.published') FROM articles"):
        meta[article_id] = (seq, title, outlet, published)
    copies = {a: dup for a, (_story, dup) in store.assignments().items()}
    from ..group.grouping import story_topics

    counts, _stored_topics = brief_counts(store.db, memo)
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
            "claims": counts.get(story_id),
            "topic": topics.get(story_id),
            "links": {"page": f"/stories/{story_id}", "api": f"/api/stories/{story_id}"},
            "_newest": (dates[-1] if dates else "", max(s for s, _, _, _ in infos) if infos else 0),
        })
    rows.sort(key=lambda r: (r["_newest"], r["id"]), reverse=True)
    for row in rows:
        del row["_newest"]
    return rows


def brief_counts(db, memo: dict | None = None) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """Claims by status, and the topic thread, of every story whose brief is stored (as last built).

    ``memo`` (a dict the caller keeps): each stored brief is read once per version (its key and
    row), not once per call: a story list must not parse every stored brief (12 MB for a
    200-article story) on each request."""
    memo = {} if memo is None else memo
    counts: dict[str, dict[str, int]] = {}
    topics = {}
    # key and rowid (a rebuilt brief is a new row) precede the brief's text in the row: reading
    # them never walks the text's overflow pages, as reading built_at (stored after it) would
    for story_id, key, rowid in db.execute("SELECT story_id, key, rowid FROM briefs"):
        stamp = (key, rowid)
        known = memo.get(story_id)
        if known is None or known[0] != stamp:
            mine = {s: 0 for s in STATUS_LABELS}
            for status, n in db.execute("SELECT json_extract(c.value, '$.status'), count(*) FROM briefs b, "
                                        "json_each(b.data, '$.claims') c WHERE b.story_id = ? GROUP BY 1",
                                        (story_id,)):
                mine[status] = n
            (topic,) = db.execute("SELECT json_extract(data, '$.topic') FROM briefs WHERE story_id = ?",
                                  (story_id,)).fetchone()
            known = memo[story_id] = (stamp, mine, topic)
        counts[story_id] = dict(known[1])
        if known[2]:
            topics[story_id] = known[2]
    return counts, topics


STORY_SORTS = {"newest": "newest first", "oldest": "oldest first", "size": "most articles",
               "outlets": "most outlets", "disputes": "most disputes"}


def stories_listing(rows: list[dict], query: Mapping[str, str]) -> dict:
    """The stories page: rows filtered (outlet, topic thread, has disputes, date range) and sorted."""
    sort = query.get("sort") or "newest"
    sort = sort if sort in STORY_SORTS else "newest"
    outlet, topic = query.get("outlet") or "", query.get("topic") or ""
    since, until = query.get("from") or "", query.get("to") or ""
    disputes = query.get("disputes") in ("1", "on", "true", "yes")

    def keep(row: dict) -> bool:
        return ((not outlet or outlet in row["outlets"]) and (not topic or row.get("topic") == topic)
                and (not disputes or bool(row["claims"] and row["claims"].get("conflicting")))
                and (not since or (row["last"] or "") >= since) and (not until or (row["first"] or "9999") <= until))

    shown = [r for r in rows if keep(r)]
    if sort == "oldest":
        shown = shown[::-1]
    elif sort == "size":
        shown.sort(key=lambda r: -r["articles"])
    elif sort == "outlets":
        shown.sort(key=lambda r: -r["independent_outlets"])
    elif sort == "disputes":
        shown.sort(key=lambda r: -((r["claims"] or {}).get("conflicting", 0)))
    return {"stories": shown, "total": len(rows), "sorts": STORY_SORTS,
            "filter": {"sort": sort, "outlet": outlet, "topic": topic, "disputes": disputes, "from": since, "to": until},
            "outlet_options": sorted(Counter(o for r in rows for o in r["outlets"]).items()),
            "topic_options": sorted(Counter(r["topic"] for r in rows if r.get("topic")).items()),
            "status_labels": STATUS_LABELS}


# ----------------------------------------------------------------------------- story page


PAGE_ROWS = 150
"""Claims and coverage rows a story page holds before "show everything" (the best supported first)."""
PAGE_SPEAKERS = 60


def story_view(brief: Brief, *, full: bool = False, query: Mapping[str, str] | None = None) -> dict:
    """The story page: the brief's view model (filters from ``query``) and its rendered body.

    The body is the same template the static HTML renders (:func:`rashomon.render.html.story_body`);
    unless ``full``, a long story's page holds its first PAGE_ROWS claims and says so.
    """
    from ..render.html import story_body

    model = view.brief_view(brief, state=view.ViewState.from_query(query), full=full,
                            cap=None if full else PAGE_ROWS, trim=not full)
    if not full:
        model["speakers"] = model["speakers"][:PAGE_SPEAKERS]
    cut = not full and (len(brief.claims) > PAGE_ROWS or len({s.speaker_name for s in brief.statements}) > PAGE_SPEAKERS
                        or any(len(g["statements"]) < g["count"] for g in model["speakers"]))
    return {**model, "cut": cut, "full": full, "body": story_body(model)}


def story_query(params: Mapping[str, str]) -> dict[str, str]:
    """The story page's view state from a request's query (normalised, so equal views share a cache entry)."""
    return view.ViewState.from_query(params).query()


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


def as_in_story(article: Article, brief: Brief) -> Article:
    """The article as its story's brief holds it (with the date the story inferred for it)."""
    return next((a for a in brief.articles if a.id == article.id), article)


def article_view(article: Article, analysis: Analysis | None, story_id: str | None, span: str | None) -> dict:
    hl = parse_span(span, article.text)
    layers = analysis_layers(analysis)
    counts = Counter(kind for _, _, kind in layers)
    return {
        "article": article,
        "story_id": story_id,
        "title": view.display_title(article),
        "date": view.date_label(article),
        "where": view.position_label(article.text, hl[0]) if hl else None,
        "outlet": outlet_label(article),
        "segments": segments(article.text, layers, hl),
        "hl": {"start": hl[0], "end": hl[1], "text": article.text[hl[0]:hl[1]]} if hl else None,
        "kinds": [(k, counts.get(k, 0)) for k in SPAN_KINDS],
        "kind_labels": KIND_LABELS,
        "analysed": analysis is not None,
    }


# ----------------------------------------------------------------------------- exports

EXPORTS = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
           "json": "application/json"}


def export_brief(brief: Brief, fmt: str) -> tuple[bytes, str, str]:
    """(body, media type, file name) of a brief written as Markdown, self-contained HTML or JSON."""
    from ..render import jsonout
    from ..render.html import render_html
    from ..render.markdown import render_markdown

    if fmt == "md":
        text = render_markdown(brief)
    elif fmt == "html":
        text = render_html([brief], title=brief.title)
    elif fmt == "json":
        text = jsonout.dumps(jsonout.brief(brief)) + "\n"
    else:
        raise WebError(404, f"no export {fmt!r}: give brief.md, brief.html or brief.json", code="not_found")
    return text.encode("utf-8"), EXPORTS[fmt], f"{_safe(brief.id)}.{fmt}"


def export_articles(brief: Brief) -> tuple[bytes, str, str]:
    """A story's articles as JSON Lines (one rashomon article record a line, as the brief holds them)."""
    from ..render import jsonout

    lines = [jsonout.dumps(jsonout.article(a), indent=None) for a in brief.articles]
    return ("\n".join(lines) + "\n").encode("utf-8"), "application/x-ndjson", f"{_safe(brief.id)}-articles.jsonl"


def attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)[:80] or "story"


# ----------------------------------------------------------------------------- search


def search_filters(story: str, outlet: str, since: str, until: str) -> search.Filters:
    for label, value in (("from", since), ("to", until)):
        if value and not (len(value) == 10 and value[4] == "-" and value[7] == "-" and value.replace("-", "").isdigit()):
            raise WebError(422, f"{label}={value!r}: give a date as YYYY-MM-DD")
    return search.Filters(story=story.strip(), outlet=outlet.strip(), since=since, until=until)


def search_options(store, stories: list[dict], filters: search.Filters) -> dict:
    """What the search page's filters offer: stories (by title), outlets; and the filters in force."""
    return {"story_options": [(s["id"], s["title"]) for s in stories], "outlet_options": search.outlets(store.db),
            "filters": filters}


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
