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
        body = "\n".join(list(entity.aliases) + list(entity.roles))
        rows.append(("entity", entity.id, brief.id, entity.name, body))
    with db:
        db.execute("DELETE FROM search WHERE story = ? AND kind IN ('statement', 'entity')", (brief.id,))
        _replace_rows(db, rows)


def search(db: sqlite3.Connection, text: str, *, kind: str | None = None, limit: int = 50) -> list[Hit]:
    """Best matches first (BM25; ties by kind and id, so the order is stable)."""
    if getattr(db, "dialect", "sqlite") == "postgresql":
        return _search_postgres(db, text, kind=kind, limit=limit)
    query = fts_query(text)
    if query is None:
        return []
    sql = "SELECT kind, ref, story, title, snippet(search, 4, ?, ?, '…', ?) FROM search WHERE search MATCH ?"
    args: list = [_OPEN, _CLOSE, SNIPPET_TOKENS, query]
    if kind is not None:
        sql += " AND kind = ?"
        args.append(kind)
    sql += " ORDER BY rank, kind, ref LIMIT ?"
    args.append(limit)
    hits = []
    for kind_, ref, story, title, snippet in db.execute(sql, args):
        hits.append(Hit(kind_, ref, story, title, runs(snippet)))
    return hits


def pg_query(text: str) -> str | None:
    """A PostgreSQL tsquery for the words of ``text`` (all must occur; the last one as a prefix)."""
    words = [w for w in _WORD.findall(text or "")[:MAX_TERMS] if w.isalnum()]
    if not words:
        return None
    return " & ".join(words[:-1] + [words[-1] + ":*"])


def _search_postgres(db, text: str, *, kind: str | None, limit: int) -> list[Hit]:
    """The same search through PostgreSQL's own text search (ts_rank order, ts_headline snippets)."""
    query = pg_query(text)
    if query is None:
        return []
    options = f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords={2 * SNIPPET_TOKENS}, MinWords={SNIPPET_TOKENS // 2}"
    sql = ("SELECT kind, ref, story, title, ts_headline('english', body, to_tsquery('english', ?), ?) FROM search "
           "WHERE tsv @@ to_tsquery('english', ?)")
    args: list = [query, options, query]
    if kind is not None:
        sql += " AND kind = ?"
        args.append(kind)
    sql += " ORDER BY ts_rank(tsv, to_tsquery('english', ?)) DESC, kind, ref LIMIT ?"
    args += [query, limit]
    return [Hit(k, ref, story, title, runs(snippet)) for k, ref, story, title, snippet in db.execute(sql, args)]


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
