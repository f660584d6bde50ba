"""Full-text search over articles, statements and entities (SQLite FTS5).

The ``search`` table (store migration 3) holds one row per searchable thing:
``kind`` is ``article``, ``statement`` or ``entity``; ``ref`` its id; ``story`` the story
it belongs to. Articles are indexed as soon as they are stored and grouped
(:func:`sync_articles`); a story's statements and entities when its brief is built
(:func:`index_brief`). Queries are plain words: each becomes a quoted FTS5 term (the last
one a prefix), so user text can never be read as FTS5 syntax.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from ..model import Brief

KINDS = ("article", "statement", "entity")
SNIPPET_TOKENS = 14
"""Words of context around a hit in a result's snippet."""
MAX_TERMS = 12
"""Words of a query beyond this are ignored (keeps a pasted paragraph from being a slow query)."""
_OPEN, _CLOSE = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result."""

    kind: str
    ref: str
    story: str | None
    title: str
    snippet: tuple[tuple[str, bool], ...]
    """The matching passage as (text, is_hit) runs; the page marks the hits."""

    @property
    def snippet_text(self) -> str:
        return "".join(text for text, _ in self.snippet)


def fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression for the words of ``text`` (all must occur), or None."""
    words = _WORD.findall(text or "")[:MAX_TERMS]
    if not words:
        return None
    terms = [f'"{w}"' for w in words]
    terms[-1] += "*"
    return " ".join(terms)


def _replace_rows(db: sqlite3.Connection, rows: list[tuple[str, str, str | None, str, str]]) -> None:
    for kind, ref, story, title, body in rows:
        db.execute("DELETE FROM search WHERE kind = ? AND ref = ?", (kind, ref))
        db.execute("INSERT INTO search(kind, ref, story, title, body) VALUES (?, ?, ?, ?, ?)",
                   (kind, ref, story, title, body))


def sync_articles(store) -> int:
    """Index every stored article that is missing from the index or has changed story."""
    db = store.db
    indexed = {ref: story for ref, story in db.execute("SELECT ref, story FROM search WHERE kind = 'article'")}
    stories = {article: story for article, (story, _dup) in store.assignments().items()}
    todo = [(article_id,) for (article_id,) in db.execute("SELECT id FROM articles ORDER BY seq")
            if article_id not in indexed or indexed[article_id] != stories.get(article_id)]
    if not todo:
        return 0
    rows = []
    for article in store.articles(article_id for (article_id,) in todo):
        rows.append(("article", article.id, stories.get(article.id), article.title or "", article.text))
    with db:
        _replace_rows(db, rows)
    return len(rows)


def index_brief(db: sqlite3.Connection, brief: Brief) -> None:
    """(Re)index a story's statements and entities, replacing what its older brief left."""
    rows: list[tuple[str, str, str | None, str, str]] = []
    for statement in brief.statements:
        texts = [statement.text] + [v.span.text for v in statement.variants if v.span.text != statement.text]
        rows.append(("statement", statement.id, brief.id, statement.speaker_name or "", "\n".join(texts)))
    for entity in brief.entities:
        aliases = [a for a in entity.aliases if a != entity.name]
        body = f"{entity.name} ({entity.type.lower()})."
        if aliases:
            body += f"\nAlso written {', '.join(aliases)}."
        if entity.roles:
            body += f"\nRoles: {'; '.join(entity.roles)}."
        rows.append(("entity", entity.id, brief.id, entity.name, body))
    with db:
        db.execute("DELETE FROM search WHERE story = ? AND kind IN ('statement', 'entity')", (brief.id,))
        _replace_rows(db, rows)


@dataclass(frozen=True, slots=True)
class Filters:
    """Narrow a search: one story; articles of one outlet; articles published in a date range."""

    story: str = ""
    outlet: str = ""
    since: str = ""
    until: str = ""

    @property
    def articles_only(self) -> bool:
        """Outlet and dates are articles' facts: with either set, only articles are searched."""
        return bool(self.outlet or self.since or self.until)


def search(db: sqlite3.Connection, text: str, *, kind: str | None = None, limit: int = 50,
           filters: Filters | None = None) -> list[Hit]:
    """Best matches first (BM25 on SQLite's FTS5, ``ts_rank`` on PostgreSQL's text search; ties by
    kind and id, so the order is stable); snippets are sentences."""
    on_postgres = getattr(db, "dialect", "sqlite") == "postgresql"
    query = pg_query(text) if on_postgres else fts_query(text)
    if query is None:
        return []
    filters = filters or Filters()
    if on_postgres:
        options = f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords={2 * SNIPPET_TOKENS}, MinWords={SNIPPET_TOKENS // 2}"
        sql = ("SELECT kind, ref, story, title, body, ts_headline('english', body, to_tsquery('english', ?), ?) "
               "FROM search WHERE tsv @@ to_tsquery('english', ?)")
        args: list = [query, options, query]
    else:
        sql = ("SELECT kind, ref, story, title, body, snippet(search, 4, ?, ?, '…', ?) FROM search "
               "WHERE search MATCH ?")
        args = [_OPEN, _CLOSE, SNIPPET_TOKENS, query]
    if filters.articles_only:
        if kind not in (None, "article"):
            return []
        kind = "article"
    if kind is not None:
        sql += " AND kind = ?"
        args.append(kind)
    if filters.story:
        sql += " AND story = ?"
        args.append(filters.story)
    if filters.articles_only:
        sub, sub_args = [], []
        if filters.outlet:
            sub.append("json_extract(data, '$.outlet') = ?")
            sub_args.append(filters.outlet)
        if filters.since:
            sub.append("json_extract(data, '$.published') >= ?")
            sub_args.append(filters.since)
        if filters.until:
            sub.append("json_extract(data, '$.published') <= ?")
            sub_args.append(filters.until)
        sql += " AND ref IN (SELECT id FROM articles WHERE " + " AND ".join(sub) + ")"
        args += sub_args
    if on_postgres:
        sql += " ORDER BY ts_rank(tsv, to_tsquery('english', ?)) DESC, kind, ref LIMIT ?"
        args += [query, limit]
    else:
        sql += " ORDER BY rank, kind, ref LIMIT ?"
        args.append(limit)
    terms = [w.lower() for w in _WORD.findall(text or "")[:MAX_TERMS]]
    hits = []
    for kind_, ref, story, title, body, snippet in db.execute(sql, args):
        hits.append(Hit(kind_, ref, story, title, sentence_snippet(body, terms) or runs(snippet)))
    return hits


def outlets(db: sqlite3.Connection) -> list[str]:
    """Every outlet named by a stored article (for the search page's outlet filter)."""
    rows = db.execute("SELECT DISTINCT json_extract(data, '$.outlet') FROM articles WHERE "
                      "json_extract(data, '$.outlet') IS NOT NULL ORDER BY 1")
    return [r[0] for r in rows]


SNIPPET_WORDS = 40
"""A sentence longer than this is cut to this many words around its first hit."""


def _matches(word: str, term: str, last: bool) -> bool:
    """Does ``word`` match query ``term`` (the index stems words: "timetables" finds "timetable")?"""
    word = word.lower()
    if word == term or (last and word.startswith(term)):
        return True
    stem = term[:max(4, len(term) - 2)]
    return len(term) >= 4 and word.startswith(stem) and len(word) <= len(term) + 4


def sentence_snippet(body: str, terms: list[str]) -> tuple[tuple[str, bool], ...]:
    """The first sentence of ``body`` holding a query word, its hits marked; () when none is found."""
    if not body or not terms:
        return ()
    from ..render.view import sentence_bounds

    for a, b in sentence_bounds(body):
        sentence = body[a:b]
        words = list(_WORD.finditer(sentence))
        hit_at = [i for i, w in enumerate(words)
                  if any(_matches(w.group(0), t, k == len(terms) - 1) for k, t in enumerate(terms))]
        if not hit_at:
            continue
        start, end = 0, len(sentence)
        if len(words) > SNIPPET_WORDS:
            first = max(0, hit_at[0] - SNIPPET_WORDS // 3)
            last = min(len(words), first + SNIPPET_WORDS) - 1
            start, end = words[first].start(), words[last].end()
        out: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
        pos = start
        for i in hit_at:
            w = words[i]
            if w.start() < start or w.end() > end:
                continue
            if w.start() > pos:
                out.append((sentence[pos:w.start()], False))
            out.append((w.group(0), True))
            pos = w.end()
        if pos < end:
            out.append((sentence[pos:end], False))
        if end < len(sentence):
            out.append(("…", False))
        return tuple(out)
    return ()


def pg_query(text: str) -> str | None:
    """A PostgreSQL tsquery for the words of ``text`` (all must occur; the last one as a prefix)."""
    words = [w for w in _WORD.findall(text or "")[:MAX_TERMS] if w.isalnum()]
    if not words:
        return None
    return " & ".join(words[:-1] + [words[-1] + ":*"])


def runs(snippet: str) -> tuple[tuple[str, bool], ...]:
    """Split a marked snippet into (text, is_hit) runs."""
    out: list[tuple[str, bool]] = []
    for part in re.split(f"({_OPEN}[^{_CLOSE}]*{_CLOSE})", snippet):
        if not part:
            continue
        if part.startswith(_OPEN):
            out.append((part[1:-1], True))
        else:
            out.append((part, False))
    return tuple(out)
