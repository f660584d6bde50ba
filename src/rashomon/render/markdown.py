"""Markdown rendering of a brief: the same content as the JSON, for reading."""

from __future__ import annotations

from ..model import Brief, Span
from ..reconcile.dates import basis_note, date_label

STATUS_LABEL = {"agreed": "agreed", "conflicting": "**disputed**", "single_source": "one outlet"}
CELL = {"reports": "✔", "silent": "·", "contradicts": "✘"}


def _outlet_names(brief: Brief) -> dict[str, str]:
    names = {}
    for i, a in enumerate(brief.articles, start=1):
        names[a.id] = f"[{i}] {a.outlet or 'unknown outlet'}"
    return names


def _cite(spans: tuple[Span, ...], names: dict[str, str]) -> str:
    seen = []
    for s in spans:
        label = names.get(s.article, s.article).split(" ", 1)[0]
        if label not in seen:
            seen.append(label)
    return "".join(seen)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(brief: Brief) -> str:
    names = _outlet_names(brief)
    out = [f"# {brief.title}", ""]
    out.append(f"Story `{brief.id}` · {len(brief.articles)} articles")
    out += ["", "## Summary", ""]
    for s in brief.summary:
        out.append(f"- {s.text} {_cite(s.citations, names)}")
    out += ["", "## Timeline", ""]
    for e in brief.events:
        date = date_label(e.date) or "undated"
        out.append(f"- **{date}** {e.description} {_cite(e.evidence, names)} ({basis_note(e.date_basis)})")
    out += ["", "## Who said what", ""]
    for st in brief.statements:
        out.append(f"### {st.speaker_name or 'Unattributed'}")
        for v in st.variants:
            relays = f" — via {', '.join(v.relays)}" if v.relays else ""
            cue = f" ({v.cue})" if v.cue else ""
            out.append(f"- {names.get(v.span.article, v.span.article)}{cue}{relays}: “{_md(v.span.text)}”")
        out.append("")
    out += ["## Claims", "", "| status | claim | outlets |", "|---|---|---|"]
    for c in brief.claims:
        label = STATUS_LABEL[c.status]
        cited = _cite(c.support, names)
        out.append(f"| {label} | {_md(c.text)} | {cited} |")
        for conflict in c.conflicts:
            out.append(f"| | ↳ {_md(conflict.note)} | |")
        if c.wordings:
            out.append(f"| | ↳ wordings: {_md(' / '.join(c.wordings))} | |")
    if brief.coverage and brief.coverage.get("matrix"):
        out += ["", "## Coverage", ""]
        header = "| claim | " + " | ".join(names[a].split(" ", 1)[0] for a in brief.coverage["articles"]) + " |"
        out += [header, "|---|" + "---|" * len(brief.coverage["articles"])]
        for claim, row in zip(brief.claims, brief.coverage["matrix"]):
            out.append(f"| {_md(claim.text[:80])} | " + " | ".join(CELL[v] for v in row) + " |")
    out += ["", "## People and organisations", ""]
    for e in brief.entities:
        aliases = f" (also: {', '.join(a for a in e.aliases if a != e.name)})" if len(e.aliases) > 1 else ""
        roles = f" — {'; '.join(e.roles)}" if e.roles else ""
        out.append(f"- **{e.name}** [{e.type}]{aliases}{roles}")
    out += ["", "## Framing", ""]
    for f in brief.framing:
        label = names.get(f["article"], f["article"])
        out.append(f"- {label}: headline “{f.get('headline') or '—'}”; "
                   f"verbs {', '.join(f['attribution_verbs']) or '—'}; "
                   f"voices {', '.join(v['name'] for v in f['voices']) or '—'}; "
                   f"background only here: {', '.join(b['name'] for b in f['background']) or '—'}")
    out += ["", "## Articles", ""]
    for a in brief.articles:
        date = f"{a.published} ({a.published_basis})" if a.published else "date unknown"
        dup = f" · copy of {a.duplicate_of}" if a.duplicate_of else ""
        out.append(f"- {names[a.id]} — {a.title or '(no title)'} — {date}{dup} — `{a.source}`")
        for r in a.removed:
            out.append(f"  - removed {r.kind}: {_md(r.text[:120])}")
    return "\n".join(out) + "\n"
