"""Self-contained HTML rendering of briefs (no script; citations are in-page links).

Every citation links to a ``<mark>`` around the cited words in the article's text; the
``:target`` style highlights it. Article text is untrusted: Jinja2 escapes everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..model import Brief, Span


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

    from .markdown import speaker_label

    env = Environment(loader=PackageLoader("rashomon", "render/templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.globals["speaker_label"] = speaker_label
    return env


def render_html(briefs: Sequence[Brief], *, title: str = "Rashomon briefs") -> str:
    """One self-contained page holding every brief."""
    views = []
    for brief in briefs:
        spans = cited_spans(brief)
        articles, targets = [], {}
        for number, article in enumerate(brief.articles, start=1):
            pieces, target = layout(article.text, article.id, spans)
            targets.update(target)
            articles.append({"number": number, "article": article, "pieces": pieces})
        numbers = {a.id: i for i, a in enumerate(brief.articles, start=1)}

        def link(s: Span, _targets=targets) -> str:
            return "#" + _targets.get(anchor(s), anchor(s))

        views.append({"brief": brief, "articles": articles, "numbers": numbers, "link": link,
                      "outlets": {a.id: a.outlet or "unknown outlet" for a in brief.articles}})
    return _environment().get_template("brief.html").render(title=title, views=views)
