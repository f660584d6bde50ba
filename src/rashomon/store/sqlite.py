"""The store: SQLite, one file (default ``./rashomon.db``) or ``:memory:``; or, given a
``postgresql://`` URL, a PostgreSQL database (see postgres.py: the same SQL, translated).

Every stage's output is kept, keyed by the article's content hash, so a second run
analyses only new articles and re-running on the same inputs stores nothing twice.
Schema changes are versioned migrations (``PRAGMA user_version``), see migrations.py.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from ..codec import from_data, to_data
from ..errors import StoreError
from ..model import Analysis, Article, Rejected
from .migrations import MIGRATIONS
from . import postgres

DEFAULT_PATH = "rashomon.db"


def _dumps(obj) -> str:
    return json.dumps(to_data(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Store:
    """Articles, analyses, story assignments and moves in one SQLite database."""

    dialect = "sqlite"

    def __init__(self, path: str | Path = DEFAULT_PATH):
        self.path = str(path)
        if postgres.is_postgres_url(self.path):
            self.dialect = postgres.DIALECT
            self.path = postgres.redact(str(path))
            self.db = postgres.PgConnection(str(path), postgres.table_keys(MIGRATIONS))
            postgres.migrate(self.db, MIGRATIONS, self.path)
            return
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL" if self.path != ":memory:" else "PRAGMA journal_mode=MEMORY")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open as a Rashomon database ({exc}). "
                             "Give another --db path, or move this file away.") from exc

    # -- lifecycle -----------------------------------------------------------------------
    def migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer Rashomon (schema {version}); upgrade Rashomon.")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.db:
                self.db.executescript(script)
                self.db.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        if self.dialect == postgres.DIALECT:
            return postgres.schema_version(self.db)
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def exclusive(self, name: str):
        """Held while one process groups: on PostgreSQL an advisory lock shared by every process
        on the database; SQLite serialises writers itself."""
        if self.dialect == postgres.DIALECT:
            return self.db.advisory_lock(name)
        from contextlib import nullcontext

        return nullcontext()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- articles ------------------------------------------------------------------------
    def add_article(self, article: Article) -> bool:
        """Store an article; False when an article with the same content is there already."""
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO sources(source, article_id) VALUES (?, ?)",
                            (article.source, article.id))
            cur = self.db.execute("INSERT OR IGNORE INTO articles(id, data) VALUES (?, ?)",
                                  (article.id, _dumps(article)))
            return cur.rowcount == 1

    def update_article(self, article: Article) -> None:
        with self.db:
            self.db.execute("UPDATE articles SET data = ? WHERE id = ?", (_dumps(article), article.id))

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        return from_data(Article, json.loads(row[0])) if row else None

    def articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """Articles in the order they were first stored."""
        if ids is None:
            rows = self.db.execute("SELECT data FROM articles ORDER BY seq")
        else:
            wanted = list(ids)
            rows = (self.db.execute("SELECT data FROM articles WHERE id = ?", (i,)).fetchone() for i in wanted)
        for row in rows:
            if row:
                yield from_data(Article, json.loads(row[0]))

    def published_dates(self) -> dict[str, str | None]:
        """article id → its publication date (YYYY-MM-DD) or None, without reading texts."""
        return dict(self.db.execute("SELECT id, json_extract(data, '$.published') FROM articles"))

    def article_ids(self) -> list[str]:
        """Every stored article id in storage order, without reading texts."""
        return [row[0] for row in self.db.execute("SELECT id FROM articles ORDER BY seq")]

    def article_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def add_rejected(self, item: Rejected) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO rejected(source, reason) VALUES (?, ?)", (item.source, item.reason))

    def rejected(self) -> list[Rejected]:
        return [Rejected(s, r) for s, r in self.db.execute("SELECT source, reason FROM rejected ORDER BY source")]

    def forget_rejected(self, source: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM rejected WHERE source = ?", (source,))

    # -- analyses ------------------------------------------------------------------------
    def analysis(self, article_id: str, version: str) -> Analysis | None:
        row = self.db.execute("SELECT data, embedding FROM analyses WHERE article_id = ? AND version = ?",
                              (article_id, version)).fetchone()
        if not row:
            return None
        data = json.loads(row[0])
        data["embedding"] = np.frombuffer(row[1], dtype=np.float32).tolist() if row[1] else []
        return from_data(Analysis, data)

    def put_analysis(self, analysis: Analysis, version: str, parse: bytes | None = None) -> None:
        data = to_data(analysis)
        vector = np.asarray(data.pop("embedding") or [], dtype=np.float32).tobytes()
        data["article"] = {"id": analysis.article.id}  # the article row is the truth
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO analyses(article_id, version, data, embedding, parse) VALUES (?, ?, ?, ?, ?)",
                (analysis.article.id, version, json.dumps(data, ensure_ascii=False, sort_keys=True), vector, parse),
            )

    def parse(self, article_id: str) -> bytes | None:
        """The kept spaCy parse of an article's text, if any."""
        row = self.db.execute("SELECT parse FROM analyses WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row and row[0] else None

    def unanalysed(self, version: str) -> list[str]:
        """Ids of articles with no analysis of ``version``, in storage order."""
        return [row[0] for row in self.db.execute(
            "SELECT r.id FROM articles r LEFT JOIN analyses a ON a.article_id = r.id "
            "WHERE a.version IS NULL OR a.version != ? ORDER BY r.seq", (version,))]

    def analysis_version(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT version FROM analyses WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def load_analysis(self, article: Article, version: str) -> Analysis | None:
        """The stored analysis of ``article`` (current version), with the article row attached."""
        row = self.db.execute("SELECT data, embedding FROM analyses WHERE article_id = ? AND version = ?",
                              (article.id, version)).fetchone()
        if not row:
            return None
        data = json.loads(row[0])
        data["article"] = to_data(article)
        data["embedding"] = np.frombuffer(row[1], dtype=np.float32).tolist() if row[1] else []
        return from_data(Analysis, data)

    # -- grouping ------------------------------------------------------------------------
    def set_assignment(self, article_id: str, story_id: str, duplicate_of: str | None,
                       similarity: float | None, reason: str = "grouped") -> None:
        """Put an article in a story; a change of story is recorded as a move, never silent."""
        with self.db:
            old = self.db.execute("SELECT story_id FROM assignments WHERE article_id = ?", (article_id,)).fetchone()
            if old and old[0] != story_id:
                self.db.execute("INSERT INTO moves(article_id, from_story, to_story, reason) VALUES (?, ?, ?, ?)",
                                (article_id, old[0], story_id, reason))
            self.db.execute(
                "INSERT OR REPLACE INTO assignments(article_id, story_id, duplicate_of, similarity) VALUES (?, ?, ?, ?)",
                (article_id, story_id, duplicate_of, similarity),
            )

    def assignments(self) -> dict[str, tuple[str, str | None]]:
        """article id → (story id, duplicate_of)."""
        return {a: (s, d) for a, s, d in self.db.execute(
            "SELECT article_id, story_id, duplicate_of FROM assignments ORDER BY article_id")}

    def moves(self) -> list[tuple[str, str, str, str]]:
        return list(self.db.execute("SELECT article_id, from_story, to_story, reason FROM moves ORDER BY id"))

    def superseded(self) -> set[str]:
        """Articles from a page that was fetched again and changed: the newer revision counts."""
        latest: dict[str, str] = {}
        old: set[str] = set()
        for url, article_id in self.db.execute(
                "SELECT url, article_id FROM page_revisions WHERE article_id IS NOT NULL ORDER BY url, revision"):
            if url in latest and latest[url] != article_id:
                old.add(latest[url])
            latest[url] = article_id
        return old - set(latest.values())

    def stories(self) -> dict[str, list[str]]:
        """story id → its article ids (in storage order), superseded revisions left out."""
        out: dict[str, list[str]] = {}
        skip = self.superseded()
        for story, article in self.db.execute(
            "SELECT a.story_id, a.article_id FROM assignments a JOIN articles r ON r.id = a.article_id "
            "ORDER BY a.story_id, r.seq"
        ):
            if article not in skip:
                out.setdefault(story, []).append(article)
        return out

    def cached_brief(self, story_id: str, key: str):
        """The stored brief of ``story_id`` if it was built from the same content ``key``."""
        from ..model import Brief

        row = self.db.execute("SELECT data FROM briefs WHERE story_id = ? AND key = ?", (story_id, key)).fetchone()
        return from_data(Brief, json.loads(row[0])) if row else None

    def put_brief(self, brief, key: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO briefs(story_id, key, data) VALUES (?, ?, ?)",
                            (brief.id, key, _dumps(brief)))

    def put_state(self, key: str, value) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", (key, json.dumps(value)))

    def state(self, key: str, default=None):
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default
