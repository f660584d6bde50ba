"""JSON output: the ``rashomon.briefs/1`` and ``rashomon.analysis/1`` documents.

Field names and meanings follow ../shared/brief.schema.json (format version 1); fields
beyond the schema are additions (``published_note``, ``wordings``, ``coverage`` or
``coverage_lists``, ``facts``), never changes of meaning. Keys are sorted so output is byte-stable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from ..codec import to_data
from ..model import Analysis, Article, Brief, Rejected, Span
from ..reconcile.dates import basis_note, date_label

BRIEFS_FORMAT = "rashomon.briefs/1"
BRIEF_FORMAT = "rashomon.brief/1"
ANALYSIS_FORMAT = "rashomon.analysis/1"
ENTITY_TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT"}


SCHEMA_REMOVED_KINDS = {"boilerplate", "caption", "link", "byline", "dateline", "other"}
"""The removed kinds of schema format 1; the cleaner's finer kinds (promo, share, credit,
copyright, navigation, comment) are written as "boilerplate" with the fine kind beside it."""


def removed_entry(r) -> dict:
    if r.kind in SCHEMA_REMOVED_KINDS:
        return {"kind": r.kind, "text": r.text}
    return {"kind": "boilerplate", "text": r.text, "furniture": r.kind}


def dumps(document: dict, *, indent: int | None = 2) -> str:
    """Deterministic JSON text."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=indent)


def span(s: Span | None) -> dict | None:
    return None if s is None else {"article": s.article, "start": s.start, "end": s.end, "text": s.text}


def article(a: Article) -> dict:
    return {
        "id": a.id,
        "source": a.source,
        "url": a.url,
        "outlet": a.outlet,
        "outlet_basis": a.outlet_basis,
        "title": a.title,
        "published": a.published,
        "published_basis": a.published_basis,
        "published_note": a.published_note,
        "language": a.language,
        "text": a.text,
        "duplicate_of": a.duplicate_of,
        "removed": [removed_entry(r) for r in a.removed],
        "outlet_span": span(a.outlet_span),
        "origin": a.origin,
        "origin_span": span(a.origin_span),
        "language_basis": a.language_basis,
    }


def entity_type(label: str) -> str:
    if label in ENTITY_TYPES:
        return label
    return {"FAC": "LOC"}.get(label, "OTHER")


COVERAGE_FORMS = ("full", "lists")
"""How a brief document carries its claim x article coverage: "full" the matrix
(``coverage.matrix``, one cell per claim and article), "lists" per claim the positions of
the articles that report it and of those that contradict it (``coverage_lists``; every
other article is silent on it): the same facts in O(reports) instead of O(claims x articles)."""


def coverage_lists(coverage: dict) -> dict:
    """``coverage`` (the matrix form) as lists: ``reports[i]`` / ``contradicts[i]`` are the
    positions in ``articles`` of the articles that report / contradict claim ``claims[i]``;
    an article in neither list is silent on it. Every other key is kept as it is."""
    matrix = coverage.get("matrix") or []
    out = {key: value for key, value in coverage.items() if key != "matrix"}
    out["reports"] = [[i for i, cell in enumerate(row) if cell == "reports"] for row in matrix]
    out["contradicts"] = [[i for i, cell in enumerate(row) if cell == "contradicts"] for row in matrix]
    return out


def coverage_matrix(lists: dict) -> dict:
    """The inverse of :func:`coverage_lists`."""
    width = len(lists.get("articles") or [])
    out = {key: value for key, value in lists.items() if key not in ("reports", "contradicts")}
    matrix = []
    for reports, contradicts in zip(lists.get("reports") or [], lists.get("contradicts") or []):
        row = ["silent"] * width
        for i in reports:
            row[i] = "reports"
        for i in contradicts:
            row[i] = "contradicts"
        matrix.append(row)
    out["matrix"] = matrix
    return out


def brief(b: Brief, *, coverage: str = "full") -> dict:
    """The ``rashomon.brief/1`` document of ``b``; ``coverage`` is one of COVERAGE_FORMS
    ("lists": ``coverage_lists`` in place of ``coverage``; all else the same)."""
    if coverage not in COVERAGE_FORMS:
        raise ValueError(f"coverage must be one of {COVERAGE_FORMS}, not {coverage!r}")
    document = _brief(b)
    if coverage == "lists":
        full = document.pop("coverage")
        document["coverage_lists"] = None if full is None else coverage_lists(full)
    return document


def _brief(b: Brief) -> dict:
    scopes = dict(b.scopes)
    by_id = {a.id: a for a in b.articles}
    return {
        "format": BRIEF_FORMAT,
        "id": b.id,
        "title": b.title,
        "articles": [article(a) | {"scope": scopes.get(a.id, "full")} for a in b.articles],
        "entities": [
            {"id": e.id, "name": e.name, "type": entity_type(e.type), "aliases": list(e.aliases),
             "roles": list(e.roles), "mentions": [span(m) for m in e.mentions]}
            for e in b.entities
        ],
        "statements": [
            {"id": s.id, "speaker": {"entity": s.speaker_entity, "name": s.speaker_name, "kind": s.speaker_kind},
             "text": s.text, "origins": list(s.origins),
             "variants": [{"span": span(v.span), "kind": v.kind, "cue": v.cue, "relays": list(v.relays),
                           "speaker_span": span(v.speaker_span)} | _rendering(by_id.get(v.span.article))
                          for v in s.variants]}
            for s in b.statements
        ],
        "events": [
            {"id": e.id, "date": e.date, "date_basis": e.date_basis, "description": e.description,
             "actors": list(e.actors), "evidence": [span(x) for x in e.evidence],
             "date_label": date_label(e.date), "date_note": basis_note(e.date_basis)}
            for e in b.events
        ],
        "claims": [
            {"id": c.id, "text": c.text, "status": c.status, "support": [span(s) for s in c.support],
             "conflicts": [{"span": span(x.span), "note": x.note} for x in c.conflicts],
             "articles": list(c.articles), "wordings": list(c.wordings), "origins": list(c.origins),
             "evidence": c.evidence}
            for c in b.claims
        ],
        "summary": [{"text": s.text, "citations": [span(c) for c in s.citations]} for s in b.summary],
        "framing": [to_data(f) for f in b.framing],
        "coverage": to_data(b.coverage) if b.coverage is not None else None,
        "topic": b.topic,
    }


def _rendering(a: Article | None) -> dict:
    """Which language and outlet a statement's rendering is in (read from its article)."""
    return {"language": a.language if a else None, "outlet": a.outlet if a else None}


def briefs_document(briefs: Sequence[Brief], rejected: Sequence[Rejected]) -> dict:
    return {
        "format": BRIEFS_FORMAT,
        "stories": [brief(b) for b in briefs],
        "rejected": [{"source": r.source, "reason": r.reason} for r in rejected],
    }


def write_briefs_document(write, briefs: Iterable[Brief], rejected: Sequence[Rejected]) -> None:
    """``dumps(briefs_document(briefs, rejected))``, byte for byte, written one story at a time
    through ``write`` (so a corpus's briefs need not all be held at once)."""
    marker = "\u0000stories"
    head, tail = dumps(briefs_document([], rejected) | {"stories": [marker]}).split(json.dumps(marker), 1)
    first = True
    for b in briefs:
        write(head if first else ",\n    ")
        write_dumps(write, brief(b), newline="\n    ")
        first = False
    write(dumps(briefs_document([], rejected)) if first else tail)


WRITE_CHUNK = 1 << 16
"""Characters handed to ``write`` at a time by :func:`write_dumps`."""


def write_dumps(write, document: dict, *, newline: str = "\n") -> None:
    r"""``write(dumps(document).replace("\n", newline))``, byte for byte, in pieces: the JSON
    text of a large story's brief (and the encoder's list of its small pieces, several times
    the text) is never held whole. Every newline of the indented text is the encoder's (one
    inside a string is written as the two characters \n), so pieces are replaced one by one."""
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True, indent=2)
    pieces: list[str] = []
    size = 0
    for piece in encoder.iterencode(document):
        pieces.append(piece)
        size += len(piece)
        if size >= WRITE_CHUNK:
            write("".join(pieces).replace("\n", newline))
            pieces, size = [], 0
    if pieces:
        write("".join(pieces).replace("\n", newline))


def _latin(name: str | None) -> str | None:
    """A speaker's name in Latin letters, where the article writes it in another script."""
    if name is None or name.isascii():
        return None
    from ..analyze.quotes_ml import latin_name

    return latin_name(name)


def analysis_document(a: Analysis) -> dict:
    return {
        "format": ANALYSIS_FORMAT,
        "article": article(a.article),
        "scope": a.scope,
        "entities": [{"span": span(m.span), "type": m.type, "role": m.role, "name": m.name,
                      "role_span": span(m.role_span)} for m in a.entities],
        "quotes": [
            {"span": span(q.span), "kind": q.kind, "cue": q.cue, "relays": list(q.relays),
             "speaker": {"name": q.speaker_name, "span": span(q.speaker_span), "kind": q.speaker_kind,
                         "latin": _latin(q.speaker_name)}}
            for q in a.quotes
        ],
        "times": [{"span": span(t.span), "type": t.type, "value": t.value, "anchored": t.anchored} for t in a.times],
        "claims": [{"span": span(c.span), "facts": [{"kind": f.kind, "value": f.value, "span": span(f.span)}
                                                    for f in c.facts]} for c in a.claims],
    }
