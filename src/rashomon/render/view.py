"""One view model of a brief: what the story page, the static HTML and the Markdown show.

The web story page and the static HTML render the same template over :func:`brief_view`
(they differ only in where a citation points: the article page, or the article text
written into the same file); the Markdown is written from the same view. Filtering,
folding and paging are decided here from a :class:`ViewState` (the page's query string),
so a filtered view reads the same with or without JavaScript and can be shared as a URL.
Nothing here writes HTML.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from ..reconcile.dates import basis_note, date_label as event_date
from ..model import Article, Brief, Claim, Span

SECTIONS = (("summary", "Summary"), ("timeline", "Timeline"), ("statements", "Who said what"),
            ("claims", "Claims"), ("coverage", "Coverage"), ("entities", "People, organisations and places"),
            ("framing", "Framing"), ("articles", "Articles"))
STATUS_LABELS = {"agreed": "agreed", "conflicting": "disputed", "single_source": "one outlet"}
STATUS_HELP = {"agreed": "two or more independent origins report it and none contradicts it",
               "conflicting": "the outlets give different values (numbers, dates, names, places)",
               "single_source": "only one independent origin reports it"}
CELL_LABELS = {"reports": "reports", "contradicts": "disputes", "silent": "silent"}
CELL_MARKS = {"reports": "✔", "contradicts": "✘", "silent": "·"}
UNKNOWN_OUTLET = "outlet unknown"
NO_ORIGIN = "own reporting or no credit"
"""The heatmap's group for outlets whose articles credit no wire or agency."""
CLAIMS_PAGE = 50
SPEAKERS_PAGE = 15
EVENTS_PAGE = 50
ENTITIES_PAGE = 50
"""Rows shown before "show more" (claims; speakers in "who said what"; timeline rows; people
and places). A reading page holds about this much before an editor starts scrolling past
instead of reading."""
TIMELINE_LANES = 8
"""Markers stacked on one day before further ones share the top lane (keeps the strip a strip)."""
TITLE_WORDS = 12
"""Words of an untitled article's first line shown in place of its title (said to be so)."""
TIMELINE_WIDTH, TIMELINE_LANE, TIMELINE_MARGIN = 1000, 14, 40
"""The timeline strip's SVG geometry (user units): width, height of one stacked marker, side margin."""

PAGES = {"claims": CLAIMS_PAGE, "speakers": SPEAKERS_PAGE, "events": EVENTS_PAGE, "entities": ENTITIES_PAGE}
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_SENTENCE_END = re.compile(r"(?<!\b[A-Z]\.)(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
"""Where a new sentence starts: after . ! ? (and closing quotes), before a capital or digit;
not after a single capital letter with a full stop (an initial, "U.S.")."""


# ----------------------------------------------------------------------------- state


@dataclass(frozen=True, slots=True)
class ViewState:
    """What the reader chose: filters, folded sections, rows shown. Read from and written to a query string."""

    status: str = ""
    outlet: str = ""
    origin: str = ""
    speaker: str = ""
    fold: tuple[str, ...] = ()
    claims: int = CLAIMS_PAGE
    speakers: int = SPEAKERS_PAGE
    events: int = EVENTS_PAGE
    entities: int = ENTITIES_PAGE

    @classmethod
    def from_query(cls, query: Mapping[str, str] | None) -> ViewState:
        """The state in ``query`` (unknown or malformed values are ignored, never an error)."""
        if not query:
            return cls()
        sections = {name for name, _ in SECTIONS}

        def number(key: str, default: int) -> int:
            value = str(query.get(key) or "")
            return max(1, min(int(value), 100_000)) if value.isdigit() else default

        status = str(query.get("status") or "")
        return cls(status=status if status in STATUS_LABELS else "", outlet=str(query.get("outlet") or ""),
                   origin=str(query.get("origin") or ""), speaker=str(query.get("speaker") or ""),
                   fold=tuple(s for s in str(query.get("fold") or "").split(",") if s in sections),
                   claims=number("claims", CLAIMS_PAGE), speakers=number("speakers", SPEAKERS_PAGE),
                   events=number("events", EVENTS_PAGE), entities=number("entities", ENTITIES_PAGE))

    def query(self, **change) -> dict[str, str]:
        """The query-string pairs of this state (defaults left out), with ``change`` applied."""
        state = replace(self, **change)
        out = {k: getattr(state, k) for k in ("status", "outlet", "origin", "speaker") if getattr(state, k)}
        if state.fold:
            out["fold"] = ",".join(state.fold)
        for key, default in PAGES.items():
            if getattr(state, key) != default:
                out[key] = str(getattr(state, key))
        return out


# ----------------------------------------------------------------------------- positions


@dataclass(slots=True)
class Positions:
    """Readable positions in one article's text: paragraph and sentence numbers (from 1)."""

    paragraphs: list[int] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> Positions:
        paragraphs = [0] + [m.end() for m in _PARAGRAPH.finditer(text)]
        sentences = sorted(set(paragraphs) | {m.end() for m in _SENTENCE_END.finditer(text)})
        return cls(paragraphs, sentences)

    def at(self, offset: int) -> tuple[int, int]:
        """(paragraph, sentence within that paragraph) holding character ``offset``."""
        p = bisect.bisect_right(self.paragraphs, offset) - 1
        s_first = bisect.bisect_left(self.sentences, self.paragraphs[p])
        s = bisect.bisect_right(self.sentences, offset) - 1
        return p + 1, s - s_first + 1

    def label(self, offset: int) -> str:
        paragraph, sentence = self.at(offset)
        return f"paragraph {paragraph}, sentence {sentence}"


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` (paragraph breaks end sentences too), blanks stripped."""
    starts = Positions.of(text).sentences
    out = []
    for a, b in zip(starts, starts[1:] + [len(text)]):
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip())
        if chunk.strip():
            out.append((a + lead, a + len(chunk.rstrip())))
    return out


def position_label(text: str, start: int) -> str:
    """"paragraph 3, sentence 2": where ``start`` falls in ``text``, as a reader counts."""
    return Positions.of(text).label(start)


def display_title(article: Article) -> str:
    """The article's title; for an untitled one, its first words, marked as such."""
    if article.title and article.title.strip():
        return article.title.strip()
    words = article.text.strip().split("\n", 1)[0].split()
    if not words:
        return "(untitled, empty text)"
    more = "…" if len(words) > TITLE_WORDS else ""
    return f"(untitled) {' '.join(words[:TITLE_WORDS])}{more}"


def date_label(article: Article) -> str:
    """Its date with how it was found: "2025-08-06 (stated)", "2025-08-07 (inferred: …)", "date unknown"."""
    if not article.published:
        return "date unknown"
    note = f": {article.published_note}" if article.published_basis == "inferred" and article.published_note else ""
    return f"{article.published} ({article.published_basis}{note})"


# ----------------------------------------------------------------------------- the view


Links = Callable[[Span], str]
"""Where a citation points: the article page (web) or the cited words in the same file (static)."""


def web_link(span: Span) -> str:
    return f"/articles/{span.article}?span={span.start}-{span.end}#hl"


def brief_view(brief: Brief, *, state: ViewState | None = None, link: Links = web_link,
               static: bool = False, full: bool = True, cap: int | None = None, trim: bool = False) -> dict:
    """Everything a brief's page shows, in reading order, with the reader's filters applied.

    ``cap`` bounds the claim rows written into the page at all (the web page of a very long
    story); ``full`` False also cuts speakers' long statement lists the same way. ``trim``
    leaves out the timeline and name rows past the page instead of writing them hidden
    (the web page: "show more" asks the server for them).
    """
    state = state or ViewState()
    articles = brief.articles
    numbers = {a.id: n for n, a in enumerate(articles, start=1)}
    by_id = {a.id: a for a in articles}
    outlet_of = {a.id: outlet_key(a, numbers[a.id]) for a in articles}
    positions: dict[str, Positions] = {}

    def cite(span: Span) -> dict:
        article = by_id.get(span.article)
        where = ""
        if article is not None:
            if span.article not in positions:
                positions[span.article] = Positions.of(article.text)
            where = positions[span.article].label(span.start)
        n = numbers.get(span.article, "?")
        outlet = outlet_label(article) if article else UNKNOWN_OUTLET
        return {"href": link(span), "n": n, "outlet": outlet, "article": span.article,
                "span": f"{span.start}-{span.end}", "text": span.text, "where": where,
                "title": f"[{n}] {outlet}, {where}: {_cut(span.text, 160)}" if where else f"[{n}] {outlet}"}

    claims = list(brief.claims if cap is None else brief.claims[:cap])
    claim_rows = [_claim_row(c, outlet_of, state) for c in claims]
    _page(claim_rows, state.claims)
    speaker_groups = speakers(brief, None if full else PAGE_STATEMENTS)
    for g in speaker_groups:
        g["match"] = not state.speaker or state.speaker == g["key"]
    _page(speaker_groups, state.speakers)
    outlets = _outlet_options(articles, numbers, brief.claims)
    origins = Counter(o for c in brief.claims for o in c.origins)
    status_counts = Counter(c.status for c in brief.claims)
    dates = sorted(a.published for a in articles if a.published)
    originals = [a for a in articles if not a.duplicate_of]
    named = sorted({a.outlet for a in originals if a.outlet})
    counts = {"summary": len(brief.summary), "timeline": len(brief.events), "statements": len(brief.statements),
              "claims": len(brief.claims), "coverage": len(brief.claims), "entities": len(brief.entities),
              "framing": len(brief.framing), "articles": len(articles)}
    coverage = heatmap(brief, numbers, limit=cap)
    return {
        "brief": brief,
        "static": static,
        "state": state,
        "cite": cite,
        "numbers": numbers,
        "outlets": {a.id: outlet_label(a) for a in articles},
        "languages": rendering_languages(articles),
        "sections": [{"id": sid, "label": label, "count": counts[sid], "open": sid not in state.fold}
                     for sid, label in SECTIONS],
        "first": dates[0] if dates else None,
        "last": dates[-1] if dates else None,
        "named_outlets": named,
        "independent": len(named) + sum(1 for a in originals if not a.outlet),
        "topic": brief.topic,
        "status_labels": STATUS_LABELS,
        "status_help": STATUS_HELP,
        "status_counts": {s: status_counts.get(s, 0) for s in STATUS_LABELS},
        "claims": claim_rows,
        "claims_cut": len(brief.claims) - len(claims),
        "claims_page": CLAIMS_PAGE,
        "speakers_page": SPEAKERS_PAGE,
        "pages": PAGES,
        "events_rows": brief.events[: state.events] if trim else brief.events,
        "entities_rows": brief.entities[: state.entities] if trim else brief.entities,
        "events_shown": min(len(brief.events), state.events),
        "entities_shown": min(len(brief.entities), state.entities),
        "claims_shown": sum(1 for r in claim_rows if r["shown"]),
        "claims_matching": sum(1 for r in claim_rows if r["match"]),
        "outlet_options": outlets,
        "origin_options": sorted(origins.items(), key=lambda kv: (-kv[1], kv[0])),
        "speakers": speaker_groups,
        "speakers_shown": sum(1 for g in speaker_groups if g["shown"]),
        "speakers_matching": sum(1 for g in speaker_groups if g["match"]),
        "timeline": timeline_strip(brief, outlet_of, by_id),
        "event_dates": {e.id: (event_date(e.date) or "undated", basis_note(e.date_basis)) for e in brief.events},
        "coverage": coverage,
        "cell_labels": CELL_LABELS,
        "cell_marks": CELL_MARKS,
        "article_rows": [{"n": numbers[a.id], "article": a, "outlet": outlet_label(a), "title": display_title(a),
                          "date": date_label(a), "copy_of": numbers.get(a.duplicate_of) if a.duplicate_of else None,
                          "scope": scope_note(brief, a.id)}
                         for a in articles],
    }


def rendering_languages(articles) -> dict[str, str]:
    """Article id → language label for a statement's renderings, where the story is not all in
    one language (an all-English story's renderings carry no label)."""
    if len({a.language for a in articles if a.language}) <= 1:
        return {}
    return {a.id: a.language for a in articles if a.language}


def scope_note(brief: Brief, article_id: str) -> str | None:
    """What the article list says of an article not analysed in full (None: in full)."""
    from ..analyze.article import SCOPES

    scope = dict(brief.scopes).get(article_id)
    return None if scope in (None, "full") else SCOPES.get(scope, scope)


PAGE_STATEMENTS = 20
"""Statements per speaker written into a cut (not ``full``) page."""


def outlet_label(article: Article) -> str:
    return article.outlet or UNKNOWN_OUTLET


def outlet_key(article: Article, number: int) -> str:
    """The outlet filter's value for an article: its outlet, or "[N] unnamed" for each unnamed one."""
    return article.outlet or f"[{number}] unnamed"


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _claim_row(claim: Claim, outlet_of: dict[str, str], state: ViewState) -> dict:
    outlets = sorted({outlet_of[a] for a in claim.articles if a in outlet_of})
    match = ((not state.status or claim.status == state.status)
             and (not state.outlet or state.outlet in outlets)
             and (not state.origin or state.origin in claim.origins))
    return {"claim": claim, "status": claim.status, "outlets": outlets, "origins": list(claim.origins),
            "match": match, "shown": match}


def _page(rows: list[dict], limit: int) -> None:
    """Mark the first ``limit`` matching rows shown, the rest hidden."""
    seen = 0
    for row in rows:
        row["shown"] = row["match"] and seen < limit
        seen += row["match"]


def _outlet_options(articles, numbers, claims) -> list[tuple[str, int]]:
    """(outlet filter value, claims it reports) for every outlet of the story."""
    keys = {a.id: outlet_key(a, numbers[a.id]) for a in articles}
    count: Counter = Counter()
    for c in claims:
        for key in {keys[a] for a in c.articles if a in keys}:
            count[key] += 1
    order = list(dict.fromkeys(keys.values()))
    return [(k, count.get(k, 0)) for k in sorted(order, key=lambda k: (k.startswith("["), k))]


def speakers(brief: Brief, per_speaker: int | None = None) -> list[dict]:
    """Statements grouped by speaker: most-relayed speakers first, the unattributed last."""
    groups: dict[str, list] = defaultdict(list)
    places = {e.id: e for e in brief.entities if e.type in ("GPE", "LOC")}
    for statement in brief.statements:
        groups[statement.speaker_name or ""].append(statement)
    out = []
    for name, statements in groups.items():
        statements = sorted(statements, key=lambda s: (-len(s.variants), s.id))
        kinds = sorted({s.speaker_kind for s in statements if s.speaker_kind})
        kind = kinds[0] if len(kinds) == 1 else None
        entity = places.get(statements[0].speaker_entity) if statements[0].speaker_entity else None
        if entity is not None:  # a place speaks only as its government ("Beijing said")
            kind = "government"
        out.append({"name": name or None, "key": name or "(unattributed)", "entity": statements[0].speaker_entity,
                    "kind": kind, "count": len(statements),
                    "statements": statements if per_speaker is None else statements[:per_speaker],
                    "variants": sum(len(s.variants) for s in statements)})
    out.sort(key=lambda g: (g["name"] is None, -g["variants"], g["name"] or ""))
    return out


LINK_SCHEMES = frozenset({"http", "https"})
"""The only URL schemes ever rendered as links (a ``javascript:`` url stays text)."""


def link_url(url: object) -> str | None:
    """``url`` if it is an absolute http(s) URL with a host, else None (show it as text)."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):  # browsers drop tabs/newlines inside schemes
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc:
        return None
    return text


# ----------------------------------------------------------------------------- pictures


def _day(value: str | None) -> int | None:
    """The ordinal day a TIMEX date starts on (2025-08-06, 2025-08, 2025-W33, 2025), or None (2025-SU, junk)."""
    if not value:
        return None
    m = re.match(r"^(\d{4})(?:-W(\d{2})|-(\d{2})(?:-(\d{2}))?)?(?:T|$)", value)
    if not m:
        return None
    try:
        if m.group(2):
            return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1).toordinal()
        return date(int(m.group(1)), int(m.group(3) or 1), int(m.group(4) or 1)).toordinal()
    except ValueError:
        return None


def timeline_strip(brief: Brief, outlet_of: dict[str, str], by_id: dict[str, Article]) -> dict:
    """Dated events placed on a strip (SVG user units); events on one day stack upwards."""
    dated, undated = [], []
    for e in brief.events:
        day = _day(e.date)
        outlets = sorted({outlet_of.get(s.article, UNKNOWN_OUTLET) for s in e.evidence})
        item = {"event": e, "day": day, "outlets": outlets,
                "label": f"{event_date(e.date) or 'undated'}: {_cut(e.description, 120)} — "
                         f"{len(outlets)} outlet{'' if len(outlets) == 1 else 's'}"
                         f"{': ' + ', '.join(outlets) if outlets else ''}"}
        (dated if day is not None else undated).append(item)
    if not dated:
        return {"markers": [], "ticks": [], "undated": undated, "width": TIMELINE_WIDTH, "height": 0}
    lo, hi = min(i["day"] for i in dated), max(i["day"] for i in dated)
    inner = TIMELINE_WIDTH - 2 * TIMELINE_MARGIN
    stack: Counter = Counter()

    def x(day: int) -> float:
        return round(TIMELINE_MARGIN + (inner / 2 if hi == lo else inner * (day - lo) / (hi - lo)), 1)

    for item in sorted(dated, key=lambda i: (i["day"], i["event"].id)):
        item["x"] = x(item["day"])
        item["level"] = min(stack[item["day"]], TIMELINE_LANES - 1)
        stack[item["day"]] += 1
    lanes = min(max(stack.values()), TIMELINE_LANES)
    height = 46 + lanes * TIMELINE_LANE
    axis = height - 30
    for item in dated:
        item["y"] = axis - 8 - item["level"] * TIMELINE_LANE
        item["r"] = min(3 + len(item["outlets"]), 7)
    span_days = hi - lo
    tick_days = sorted({lo, hi} | ({lo + span_days * k // 4 for k in range(1, 4)} if span_days >= 8 else set()))
    ticks = [{"x": x(d), "label": date.fromordinal(d).isoformat()} for d in tick_days]
    return {"markers": sorted(dated, key=lambda i: (i["day"], i["level"])), "ticks": ticks, "undated": undated,
            "width": TIMELINE_WIDTH, "height": height, "axis": axis,
            "summary": f"{len(dated)} dated event{'' if len(dated) == 1 else 's'} from "
                       f"{date.fromordinal(lo).isoformat()} to {date.fromordinal(hi).isoformat()}"
                       f"{f', {len(undated)} undated' if undated else ''}"}


def heatmap(brief: Brief, numbers: dict[str, int] | None = None, limit: int | None = None) -> dict:
    """The claim × outlet matrix: an outlet disputes, reports or is silent on each claim.

    Articles of one named outlet share a column; each article whose outlet is unknown keeps
    its own column (two unnamed articles may well be two outlets). Columns are grouped by
    the wire or agency their articles credit (``Article.origin``), so copies of one origin
    stand side by side.
    """
    coverage = brief.coverage or {}
    ids = list(coverage.get("articles") or [])
    matrix = coverage.get("matrix") or []
    numbers = numbers or {a.id: n for n, a in enumerate(brief.articles, start=1)}
    by_id = {a.id: a for a in brief.articles}
    columns: dict[str, dict] = {}
    for article_id in ids:
        article = by_id.get(article_id)
        n = numbers.get(article_id, 0)
        key = outlet_key(article, n) if article else f"[{n}] unnamed"
        col = columns.setdefault(key, {"label": key, "articles": [], "origins": Counter()})
        col["articles"].append(n)
        col["origins"][(article.origin if article else None) or NO_ORIGIN] += 1
    for col in columns.values():
        col["origin"] = sorted(col["origins"].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    groups_order = Counter(c["origin"] for c in columns.values())
    ordered = sorted(columns.values(), key=lambda c: (c["origin"] == NO_ORIGIN, -groups_order[c["origin"]],
                                                      c["origin"], c["label"].startswith("["), c["label"]))
    position = {c["label"]: i for i, c in enumerate(ordered)}
    rank = {"silent": 0, "reports": 1, "contradicts": 2}
    claims = {c.id: c for c in brief.claims}
    rows = []
    column_of = [position[outlet_key(by_id[a], numbers.get(a, 0)) if a in by_id else f"[{numbers.get(a, 0)}] unnamed"]
                 for a in ids]
    for claim_id, cells in zip(coverage.get("claims") or [], matrix):
        if limit is not None and len(rows) >= limit:
            break
        merged = ["silent"] * len(ordered)
        for col, cell in zip(column_of, cells):
            if cell != "silent" and rank.get(cell, 0) > rank[merged[col]]:
                merged[col] = cell
        if claim_id in claims:
            rows.append({"claim": claims[claim_id], "cells": [{"state": s, "outlet": ordered[i]["label"]}
                                                             for i, s in enumerate(merged)]})
    groups = []
    for col in ordered:
        if groups and groups[-1]["origin"] == col["origin"]:
            groups[-1]["span"] += 1
        else:
            groups.append({"origin": col["origin"], "span": 1})
    return {"columns": [{"label": c["label"], "articles": c["articles"], "origin": c["origin"]} for c in ordered],
            "groups": groups, "rows": rows,
            "marked": any(g["origin"] != NO_ORIGIN for g in groups)}
