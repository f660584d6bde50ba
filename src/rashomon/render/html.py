"""Self-contained HTML rendering of briefs: the web story page's body, in one file.

The page body is the template the web app renders (``story_body.html`` over
:func:`rashomon.render.view.brief_view`), so the two cannot drift; the file carries the
app's stylesheet and its small filtering script inline and needs no server. Every citation
links to a ``<mark>`` around the cited words in the article's text written into the same
file; the ``:target`` style highlights it. Article text is untrusted: Jinja2 escapes everything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..model import Brief, Span
from .view import STATUS_LABELS, UNKNOWN_OUTLET, ViewState, brief_view, date_label, display_title


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of article text, or the opening/closing of a mark."""

    text: str = ""
    open_id: str | None = None
    close: bool = False


def anchor(s: Span) -> str:
    return f"{s.article}-{s.start}-{s.end}"


def cited_spans(brief: Brief) -> list[Span]:
    spans: list[Span] = []
    for s in brief.summary:
        spans += s.citations
    for e in brief.events:
        spans += e.evidence
    for st in brief.statements:
        spans += [v.span for v in st.variants]
    for c in brief.claims:
        spans += c.support
        spans += [x.span for x in c.conflicts]
    spans += [e.mentions[0] for e in brief.entities if e.mentions]
    return spans


def layout(text: str, article_id: str, spans: Sequence[Span]) -> tuple[list[Piece], dict[str, str]]:
    """Pieces of ``text`` with nested marks, and where each span's link must point.

    A span that crosses another (starts inside it, ends after) is not marked: its link
    points to the mark that holds its start, so every citation still lands on its words.
    """
    ranges = sorted({(s.start, s.end) for s in spans if s.article == article_id and s.end > s.start},
                    key=lambda r: (r[0], -r[1]))
    accepted: list[tuple[int, int]] = []
    target: dict[str, str] = {}
    stack: list[tuple[int, int]] = []
    for start, end in ranges:
        while stack and stack[-1][1] <= start:
            stack.pop()
        if stack and end > stack[-1][1]:
            target[f"{article_id}-{start}-{end}"] = f"{article_id}-{stack[-1][0]}-{stack[-1][1]}"
            continue
        accepted.append((start, end))
        stack.append((start, end))
        target[f"{article_id}-{start}-{end}"] = f"{article_id}-{start}-{end}"
    events: list[tuple[int, int, int, int]] = []  # (position, kind 0=close 1=open, order, end)
    for start, end in accepted:
        events.append((start, 1, -end, end))
        events.append((end, 0, -start, start))
    events.sort()
    pieces: list[Piece] = []
    pos = 0
    open_stack: list[tuple[int, int]] = []
    for position, kind, _, other in events:
        if position > pos:
            pieces.append(Piece(text=text[pos:position]))
            pos = position
        if kind == 1:
            open_stack.append((position, other))
            pieces.append(Piece(open_id=f"{article_id}-{position}-{other}"))
        else:
            open_stack.pop()
            pieces.append(Piece(close=True))
    if pos < len(text):
        pieces.append(Piece(text=text[pos:]))
    return pieces, target


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("rashomon", "render/templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    from .view import link_url

    env.filters["link_url"] = link_url
    return env


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    """A file of the web app's static folder (its stylesheet and script), for inlining."""
    from importlib.resources import files

    return files("rashomon.web").joinpath("static", name).read_text(encoding="utf-8")


def story_body(view: dict):
    """The body of a brief's page (Markup): the one renderer the web page and the static file share."""
    from markupsafe import Markup

    return Markup(_environment().get_template("story_body.html").render(c=citation_link(view["cite"]), **view))


def citation_link(cite: Callable[[Span], dict]) -> Callable[[Span], object]:
    """A span's citation as a link (Markup), each span's written once per page (a page cites most several times)."""
    from markupsafe import Markup, escape

    done: dict[tuple, Markup] = {}

    def link(span: Span) -> Markup:
        key = (span.article, span.start, span.end)
        if key not in done:
            x = cite(span)
            where = f", {x['where']}" if x["where"] else ""
            n = escape(x["n"])
            done[key] = Markup(f'<a class="cite" href="{escape(x["href"])}" data-article="{escape(x["article"])}" '
                               f'data-span="{escape(x["span"])}" title="{escape(x["title"])}" '
                               f'aria-label="source {n}: {escape(x["outlet"])}{escape(where)}">{n}</a>')
        return done[key]

    return link


def static_view(brief: Brief, state: ViewState | None = None) -> dict:
    """The view of a brief for a self-contained file: citations point at marked words in the same file."""
    spans = cited_spans(brief)
    texts, targets = [], {}
    for number, article in enumerate(brief.articles, start=1):
        pieces, target = layout(article.text, article.id, spans)
        targets.update(target)
        texts.append({"number": number, "article": article, "pieces": pieces, "title": display_title(article),
                      "outlet": article.outlet or UNKNOWN_OUTLET, "date": date_label(article)})

    def link(s: Span) -> str:
        return "#" + targets.get(anchor(s), anchor(s))

    view = brief_view(brief, state=state, link=link, static=True)
    view["texts"] = texts
    return view


def render_html(briefs: Sequence[Brief], *, title: str = "Rashomon briefs") -> str:
    """One self-contained page (CSS and script inline, no server) holding every brief, with a contents list."""
    bodies = [story_body(static_view(b)) for b in briefs]
    return _environment().get_template("brief.html").render(
        title=title, bodies=bodies, toc=[story_row(b) for b in briefs] if len(briefs) > 1 else [],
        css=_markup(_asset("style.css")), js=_markup(_asset("story.js")))


def render_index(briefs: Sequence[Brief], href: Callable[[Brief], str], *, title: str = "Rashomon briefs") -> str:
    """A contents page linking to each brief's own file (``rashomon brief --out``'s index.html)."""
    rows = [{**story_row(b), "href": href(b)} for b in briefs]
    return _environment().get_template("brief.html").render(
        title=title, bodies=[], toc=rows, css=_markup(_asset("style.css")), js=_markup(""))


def story_row(brief: Brief) -> dict:
    """A brief's line in a contents list: title, size, outlets, dates and claim counts."""
    dates = sorted(a.published for a in brief.articles if a.published)
    counts = {s: sum(1 for c in brief.claims if c.status == s) for s in STATUS_LABELS}
    return {"id": brief.id, "title": brief.title, "href": f"#story-{brief.id}", "articles": len(brief.articles),
            "outlets": len({a.outlet or a.id for a in brief.articles if not a.duplicate_of}),
            "first": dates[0] if dates else None, "last": dates[-1] if dates else None,
            "counts": counts, "labels": STATUS_LABELS, "summary": brief.summary[0].text if brief.summary else None}


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)
