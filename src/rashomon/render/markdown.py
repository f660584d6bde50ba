"""Markdown rendering of a brief, from the same view model as the story page.

Article text is untrusted and Markdown passes raw HTML through: every piece of text from an
article or the input (titles, quotes, claims, names, sources) goes through :func:`text`,
which escapes HTML (``<``, ``>``, ``&``) and the Markdown characters that would make a
link, an image, code or a table cell out of it.
"""

from __future__ import annotations

import re

from ..model import Brief, Span
from .view import CELL_MARKS, SECTIONS, STATUS_HELP, STATUS_LABELS, brief_view
from ..reconcile.dates import basis_note, date_label

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKDOWN = re.compile(r"([\\`*_\[\]|#!~])")
_SPACE = re.compile(r"\s+")


def text(value: object) -> str:
    """``value`` as inline Markdown that shows exactly its characters (no HTML, no markup)."""
    s = _SPACE.sub(" ", str(value)).strip()
    s = "".join(_HTML.get(ch, ch) for ch in s)
    return _MARKDOWN.sub(r"\\\1", s)


def render_markdown(brief: Brief) -> str:
    v = brief_view(brief, link=lambda s: "")
    numbers = v["numbers"]

    def cite(spans: tuple[Span, ...] | list[Span]) -> str:
        seen: list[str] = []
        for s in spans:
            label = f"[{numbers.get(s.article, '?')}]"
            if label not in seen:
                seen.append(label)
        return "".join(label.replace("[", "\\[").replace("]", "\\]") for label in seen)

    counts = v["status_counts"]
    out = [f"# {text(brief.title)}", ""]
    dates = f"{v['first']} – {v['last']}" if v["first"] and v["last"] != v["first"] else (v["first"] or "undated")
    out.append(f"Story {text(brief.id)} · {len(brief.articles)} articles · {v['independent']} independent outlets"
               + (f" ({text(', '.join(v['named_outlets']))})" if v["named_outlets"] else "") + f" · {dates}"
               + (f" · topic thread {text(v['topic'])}" if v["topic"] else ""))
    out += ["", " · ".join(f"{counts[s]} {label}" for s, label in STATUS_LABELS.items()), ""]
    out.append("Contents: " + " · ".join(f"{label} ({s['count']})" for (sid, label), s in zip(SECTIONS, v["sections"])))
    out += ["", f"## Summary ({len(brief.summary)})", ""]
    for s in brief.summary:
        out.append(f"- {text(s.text)} {cite(s.citations)}")
    out += ["", f"## Timeline ({len(brief.events)})", ""]
    for e in brief.events:
        out.append(f"- **{text(date_label(e.date) or 'undated')}** {text(e.description)} {cite(e.evidence)} "
                   f"({text(basis_note(e.date_basis))})")
    out += ["", f"## Who said what ({len(brief.statements)})", ""]
    for g in v["speakers"]:
        kind = f" ({g['kind']})" if g["kind"] and g["kind"] != "unknown" else ""
        out.append(f"### {text(g['name'] or 'Unattributed')}{kind}")
        out.append("")
        for st in g["statements"]:
            for var in st.variants:
                relays = f" — via {text(' → '.join(var.relays))}" if var.relays else ""
                cue = f" ({text(var.cue)})" if var.cue else ""
                lang = v["languages"].get(var.span.article)
                lang = f" [{text(lang)}]" if lang else ""
                out.append(f"- {cite([var.span])} {text(v['outlets'].get(var.span.article, '?'))}{lang}{cue}{relays}: "
                           f"“{text(var.span.text)}”")
        out.append("")
    out += [f"## Claims ({len(brief.claims)})", ""]
    out += [f"- **{label}**: {STATUS_HELP[s]}" for s, label in STATUS_LABELS.items()]
    out += ["", "| status | claim | outlets | origins | sources |", "|---|---|---|---|---|"]
    for row in v["claims"]:
        c = row["claim"]
        label = STATUS_LABELS[c.status]
        label = f"**{label}**" if c.status == "conflicting" else label
        out.append(f"| {label} | {text(c.text)} | {text(', '.join(row['outlets']))} | "
                   f"{text(', '.join(row['origins']))} | {cite(c.support)} |")
        for conflict in c.conflicts:
            out.append(f"| | ↳ {text(conflict.note or 'a different value')}: “{text(conflict.span.text)}” | | | "
                       f"{cite([conflict.span])} |")
        if c.wordings:
            out.append(f"| | ↳ wordings: {text(' / '.join(c.wordings))} | | | |")
    coverage = v["coverage"]
    if coverage["rows"]:
        out += ["", "## Coverage", "", "✔ reports · ✘ disputes · · silent"
                + ("; outlets grouped by the wire or agency they credit" if coverage["marked"] else ""), ""]
        heads = [text(c["label"]) + (f" ({text(c['origin'])})" if coverage["marked"] else "")
                 for c in coverage["columns"]]
        out += ["| claim | " + " | ".join(heads) + " |", "|---|" + "---|" * len(heads)]
        for row in coverage["rows"]:
            claim = row["claim"].text
            short = claim if len(claim) <= 80 else claim[:79] + "…"
            out.append(f"| {text(short)} | " + " | ".join(CELL_MARKS[cell["state"]] for cell in row["cells"]) + " |")
    out += ["", f"## People, organisations and places ({len(brief.entities)})", ""]
    for e in brief.entities:
        aliases = [a for a in e.aliases if a != e.name]
        also = f" (also: {text(', '.join(aliases))})" if aliases else ""
        roles = f" — {text('; '.join(e.roles))}" if e.roles else ""
        out.append(f"- **{text(e.name)}** \\[{text(e.type)}\\]{also}{roles}")
    out += ["", f"## Framing ({len(brief.framing)})", ""]
    for f in brief.framing:
        label = f"\\[{numbers.get(f['article'], '?')}\\] {text(v['outlets'].get(f['article'], '?'))}"
        out.append(f"- {label}: headline “{text(f.get('headline') or '—')}”; "
                   f"verbs {text(', '.join(f['attribution_verbs'])) or '—'}; "
                   f"voices {text(', '.join(x['name'] for x in f['voices'])) or '—'}; "
                   f"background only here: {text(', '.join(x['name'] for x in f['background'])) or '—'}")
    out += ["", f"## Articles ({len(brief.articles)})", ""]
    for row in v["article_rows"]:
        a = row["article"]
        dup = f" · copy of \\[{row['copy_of']}\\]" if row["copy_of"] else ""
        origin = f" · credits {text(a.origin)}" if a.origin else ""
        lang = f" · {text(a.language)}" if a.language and a.language != "en" else ""
        scope = f" · {text(row['scope'])}" if row["scope"] else ""
        out.append(f"- \\[{row['n']}\\] {text(row['outlet'])} — {text(row['title'])} — {text(row['date'])}{lang}{scope}"
                   f"{origin}{dup} — source: {text(a.source)}")
        for r in a.removed:
            out.append(f"  - removed {r.kind}: {text(r.text[:120])}")
    return "\n".join(out) + "\n"
