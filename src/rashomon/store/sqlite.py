"""The store: SQLite, one file (default ``./rashomon.db``) or ``:memory:``; or, given a
``postgresql://`` URL, a PostgreSQL database (see postgres.py: the same SQL, translated).

Every stage's output is kept, keyed by the article's content hash, so a second run
analyses only new articles and re-running on the same inputs stores nothing twice.
Schema changes are versioned migrations (``PRAGMA user_version``), see migrations.py.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import numpy as np

from ..codec import from_data, to_data
from ..errors import StoreError
from ..model import Analysis, Article, Rejected
from .migrations import MIGRATIONS
from .storyrows import StoryRows
from .vectors import ML_KEY, pack_vector, unpack_vector
from . import postgres

DEFAULT_PATH = "rashomon.db"
MAX_ANALYSIS_ATTEMPTS = 3
"""Runs that try a failing article's analysis again (per analysis version) before it is left out."""
BUSY_TIMEOUT = 60.0
"""Seconds a write waits for another process's write to end (two ingests on one store)."""
OPEN_RETRY_PAUSE = 0.05
"""Seconds between attempts to open a store another process is creating or switching to WAL."""


def _dumps(obj) -> str:
    return json.dumps(to_data(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Store(StoryRows):
    """Articles, analyses, story assignments and moves in one SQLite database."""

    dialect = "sqlite"

    def __init__(self, path: str | Path = DEFAULT_PATH, *, create: bool = True):
        """Open (and migrate) the store at ``path`` — a SQLite file, ``:memory:``, or a
        ``postgresql://`` URL (postgres.py); with ``create=False`` a missing SQLite file is an
        error instead of a new empty store (reading commands must not invent a store)."""
        self.path = str(path)
        self._locked = False
        if postgres.is_postgres_url(self.path):
            self.dialect = postgres.DIALECT
            self.path = postgres.redact(str(path))
            self.db = postgres.PgConnection(str(path), postgres.table_keys(MIGRATIONS))
            postgres.migrate(self.db, MIGRATIONS, self.path)
            self.upgrade_grouping_state()
            return
        memory = self.path == ":memory:"
        if not memory:
            _check_path(Path(self.path), create)
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                self.db = sqlite3.connect(self.path, check_same_thread=False, timeout=BUSY_TIMEOUT)
                self._set_journal_mode(memory)
                self.db.execute("PRAGMA foreign_keys=ON")
                self.migrate()
                self.upgrade_grouping_state()
                return
            except sqlite3.Error as exc:
                if _busy(exc) and time.monotonic() < deadline:
                    # Switching a new file to WAL (or reading the WAL index while another
                    # process recovers it) answers "locked" at once, without the busy
                    # handler's wait: open again until the other process is done.
                    if getattr(self, "db", None) is not None:
                        self.db.close()
                    time.sleep(OPEN_RETRY_PAUSE)
                    continue
                raise StoreError(storage_problem(exc, self.path, opening=True)) from exc

    def _set_journal_mode(self, memory: bool) -> None:
        if memory:
            self.db.execute("PRAGMA journal_mode=MEMORY")
        elif self.db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            self.db.execute("PRAGMA journal_mode=WAL")  # persistent: only the first opening switches

    # -- lifecycle -----------------------------------------------------------------------
    def migrate(self) -> None:
        """Bring the schema to the latest version, one migration per transaction.

        A store left half-migrated by an older Rashomon (whose migrations were not atomic:
        some tables of migration N+1 exist at version N) is repaired: statements whose
        table, index or column exists already are skipped inside the same transaction.
        """
        for number in range(self.schema_version + 1, len(MIGRATIONS) + 1):
            self.db.execute("BEGIN IMMEDIATE")  # one writer migrates; the others wait, then re-read
            try:
                version = self.schema_version
                if version >= number:
                    self.db.rollback()
                    continue
                for statement in _statements(MIGRATIONS[number - 1]):
                    try:
                        self.db.execute(statement)
                    except sqlite3.OperationalError as exc:
                        if not _already_there(exc):
                            raise
                self.db.execute(f"PRAGMA user_version = {number}")
                self.db.commit()
            except BaseException:
                self.db.rollback()
                raise
        if self.schema_version > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer Rashomon (schema {self.schema_version}); "
                             "upgrade Rashomon, or give another --db path.")

    @property
    def schema_version(self) -> int:
        if self.dialect == postgres.DIALECT:
            return postgres.schema_version(self.db)
        return self.db.execute("PRAGMA user_version").fetchone()[0]

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
            cur = self.db.execute("INSERT OR IGNORE INTO articles(id, data, published) VALUES (?, ?, ?)",
                                  (article.id, _dumps(article), article.published))
            return cur.rowcount == 1

    def update_article(self, article: Article) -> None:
        with self.db:
            self.db.execute("UPDATE articles SET data = ?, published = ? WHERE id = ?",
                            (_dumps(article), article.published, article.id))

    def recleaned(self, article: Article) -> bool:
        """Store a new cleaning of an article already stored (same id, the hash of its input):
        its text and removed blocks change, so its analysis and its story's cached brief are
        dropped and redone. False when nothing changed or the article is not stored."""
        old = self.article(article.id)
        if old is None or (old.text, old.removed, old.outlet, old.origin) == (
                article.text, article.removed, article.outlet, article.origin):
            return False
        with self.db:
            self.db.execute("UPDATE articles SET data = ?, published = ? WHERE id = ?",
                            (_dumps(article), article.published, article.id))
            self.db.execute("DELETE FROM analyses WHERE article_id = ?", (article.id,))
            self.db.execute("DELETE FROM briefs WHERE story_id IN "
                            "(SELECT story_id FROM assignments WHERE article_id = ?)", (article.id,))
        return True

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
        return dict(self.db.execute("SELECT id, published FROM articles"))

    def latest_published(self) -> str | None:
        """The latest publication date stored (YYYY-MM-DD), through the date index; None when
        no article is dated."""
        row = self.db.execute("SELECT max(published) FROM articles").fetchone()
        return row[0] if row else None

    def assigned_since(self, day: str | None) -> list[str]:
        """Ids (sorted) of the assigned articles published on or after ``day`` (YYYY-MM-DD) or
        undated — what the grouper still indexes — read through the date index; every assigned
        article when ``day`` is None."""
        if day is None:
            return [row[0] for row in self.db.execute("SELECT article_id FROM assignments ORDER BY article_id")]
        found = []
        for where, params in (("r.published >= ?", (day,)), ("r.published IS NULL", ()), ("r.published = ''", ())):
            found += [row[0] for row in self.db.execute(  # each a range of the date index
                f"SELECT a.article_id FROM articles r JOIN assignments a ON a.article_id = r.id WHERE {where}", params)]
        return sorted(found)

    def ungrouped(self, version: str) -> list[str]:
        """Ids of the articles analysed at ``version`` that have no story yet, in storage order
        (an article whose analysis failed waits for a later run)."""
        return [row[0] for row in self.db.execute(
            "SELECT r.id FROM articles r JOIN analyses n ON n.article_id = r.id AND n.version = ? "
            "WHERE r.grouped IS NULL ORDER BY r.seq", (version,))]  # the partial index of migration 7

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
        data["embedding_ml"] = unpack_vector(data.pop(ML_KEY, None))
        return from_data(Analysis, data)

    def put_analysis(self, analysis: Analysis, version: str, parse: bytes | None = None) -> None:
        data = to_data(analysis)
        vector = np.asarray(data.pop("embedding") or [], dtype=np.float32).tobytes()
        data[ML_KEY] = pack_vector(data.pop("embedding_ml", None))
        data["article"] = {"id": analysis.article.id}  # the article row is the truth
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO analyses(article_id, version, data, embedding, parse) VALUES (?, ?, ?, ?, ?)",
                (analysis.article.id, version, json.dumps(data, ensure_ascii=False, sort_keys=True), vector, parse),
            )
            self.db.execute("DELETE FROM analysis_failures WHERE article_id = ?", (analysis.article.id,))

    def parse(self, article_id: str) -> bytes | None:
        """The kept spaCy parse of an article's text, if any."""
        row = self.db.execute("SELECT parse FROM analyses WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row and row[0] else None

    def unanalysed(self, version: str) -> list[str]:
        """Ids of articles with no analysis of ``version``, in storage order."""
        return [row[0] for row in self.db.execute(
            "SELECT r.id FROM articles r LEFT JOIN analyses a ON a.article_id = r.id "
            "WHERE a.version IS NULL OR a.version != ? ORDER BY r.seq", (version,))]

    def to_analyse(self, version: str) -> list[str]:
        """:meth:`unanalysed` without the articles whose analysis of ``version`` has failed
        :data:`MAX_ANALYSIS_ATTEMPTS` times (a failure may be passing; a poison pill is not)."""
        given_up = {row[0] for row in self.db.execute(
            "SELECT article_id FROM analysis_failures WHERE version = ? AND attempts >= ?",
            (version, MAX_ANALYSIS_ATTEMPTS))}
        return [i for i in self.unanalysed(version) if i not in given_up]

    def put_failure(self, article_id: str, version: str, item: Rejected) -> None:
        """Record that analysing an article failed (and why), with its rejected entry, at once."""
        with self.db:
            self.db.execute(
                "INSERT INTO analysis_failures(article_id, version, reason) VALUES (?, ?, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET reason = excluded.reason, at = datetime('now'), "
                "attempts = CASE WHEN version = excluded.version THEN attempts + 1 ELSE 1 END, "
                "version = excluded.version", (article_id, version, item.reason))
            self.db.execute("INSERT OR REPLACE INTO rejected(source, reason) VALUES (?, ?)", (item.source, item.reason))

    def failures(self) -> dict[str, str]:
        """article id → why its analysis failed (any version)."""
        return dict(self.db.execute("SELECT article_id, reason FROM analysis_failures ORDER BY article_id"))

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
        data["embedding_ml"] = unpack_vector(data.pop(ML_KEY, None))
        return from_data(Analysis, data)

    # -- grouping ------------------------------------------------------------------------
    def set_assignment(self, article_id: str, story_id: str, duplicate_of: str | None,
                       similarity: float | None, reason: str = "grouped") -> None:
        """Put an article in a story; a change of story is recorded as a move, never silent."""
        with self.db:
            self._assign(article_id, story_id, duplicate_of, similarity, reason)

    def save_grouping(self, rows: Iterable[tuple[str, str, str | None, float | None, str]], key: str, state,
                      stories: Iterable = (), removed: Iterable[str] = (),
                      relinked: Iterable[tuple[str, str]] = ()) -> None:
        """Assignments ``(article, story, duplicate_of, similarity, reason)`` and the grouper's
        state (its scalars under ``key``; the story rows it changed, the stories it removed and
        the topic threads it re-rooted, see storyrows.py) in one transaction: a kill between
        them cannot leave an article placed in a story the saved state does not know (which
        would split the story for good)."""
        with nullcontext() if self._locked else self.db:  # under grouping_lock: committed when it ends
            for row in rows:
                self._assign(*row)
            self._save_story_rows(stories, removed, relinked)
            self.db.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", (key, json.dumps(state)))

    @contextmanager
    def grouping_lock(self) -> Iterator[None]:
        """Hold the store's write lock from reading the grouper's state to saving it, so two
        processes grouping at once cannot overwrite each other's state (a lost update would
        leave one's articles out of the grouper for good). Only reads and
        :meth:`save_grouping` may run inside. On PostgreSQL: an advisory lock shared by every
        process on the database, around one transaction."""
        if self.dialect == postgres.DIALECT:
            with self.db.advisory_lock("rashomon-group"), self.db:
                self._locked = True
                try:
                    yield
                finally:
                    self._locked = False
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._locked = True
        try:
            yield
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise
        finally:
            self._locked = False

    def _assign(self, article_id: str, story_id: str, duplicate_of: str | None, similarity: float | None,
                reason: str) -> None:
        old = self.db.execute("SELECT story_id FROM assignments WHERE article_id = ?", (article_id,)).fetchone()
        if old and old[0] != story_id:
            self.db.execute("INSERT INTO moves(article_id, from_story, to_story, reason) VALUES (?, ?, ?, ?)",
                            (article_id, old[0], story_id, reason))
        self.db.execute(
            "INSERT OR REPLACE INTO assignments(article_id, story_id, duplicate_of, similarity) VALUES (?, ?, ?, ?)",
            (article_id, story_id, duplicate_of, similarity),
        )
        if not old:  # the article leaves the partial index of ungrouped articles
            self.db.execute("UPDATE articles SET grouped = 1 WHERE id = ?", (article_id,))

    def assignments(self, ids: Iterable[str] | None = None) -> dict[str, tuple[str, str | None]]:
        """article id → (story id, duplicate_of); of ``ids`` only when given (those assigned)."""
        if ids is None:
            return {a: (s, d) for a, s, d in self.db.execute(
                "SELECT article_id, story_id, duplicate_of FROM assignments ORDER BY article_id")}
        wanted, out = sorted(set(ids)), {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            out.update((a, (s, d)) for a, s, d in self.db.execute(
                f"SELECT article_id, story_id, duplicate_of FROM assignments "
                f"WHERE article_id IN ({','.join('?' * len(chunk))})", chunk))
        return dict(sorted(out.items()))

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

    # -- furniture learned per source (ingest/repeated.py) ---------------------------------
    def add_block_prints(self, source_key: str, article_id: str, prints: Iterable[str]) -> None:
        """Remember the block templates of one article of a source."""
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO block_prints(source_key, print, article_id) VALUES (?, ?, ?)",
                                [(source_key, p, article_id) for p in sorted(set(prints))])

    def repeated_prints(self, source_key: str, prints: Iterable[str], min_articles: int,
                        exclude: str | None = None) -> set[str]:
        """Those of ``prints`` seen in at least ``min_articles`` other articles of the source."""
        wanted = sorted(set(prints))
        out: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            rows = self.db.execute(
                f"SELECT print FROM block_prints WHERE source_key = ? AND article_id != ? "
                f"AND print IN ({','.join('?' * len(chunk))}) GROUP BY print HAVING count(*) >= ?",
                (source_key, exclude or "", *chunk, min_articles))
            out.update(row[0] for row in rows)
        return out

    def furniture_learned(self, min_articles: int) -> dict[str, tuple[int, int]]:
        """source → (articles seen, block templates seen in at least ``min_articles`` of them)."""
        seen = dict(self.db.execute("SELECT source_key, count(DISTINCT article_id) FROM block_prints GROUP BY source_key"))
        learned = dict(self.db.execute(
            "SELECT source_key, count(*) FROM (SELECT source_key, print FROM block_prints GROUP BY source_key, print "
            "HAVING count(*) >= ?) GROUP BY source_key", (min_articles,)))
        return {k: (n, learned.get(k, 0)) for k, n in sorted(seen.items())}

    def put_state(self, key: str, value) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", (key, json.dumps(value)))

    def state(self, key: str, default=None):
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default


# ----------------------------------------------------------------------------- helpers


def _check_path(path: Path, create: bool) -> None:
    """Refuse, with the fix, a store path that cannot be used, before SQLite touches it."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file: give a file path such as {path / DEFAULT_PATH}")
    if not path.exists():
        if not create:
            raise StoreError(f"{path}: no such store. Check the --db path; a store is created by "
                             f"`rashomon ingest FILES --db {path}`.")
        for parent in path.parents:
            if parent.exists() and not parent.is_dir():
                raise StoreError(f"cannot create the store {path}: {parent} is a file, not a folder. "
                                 "Give a --db path inside a folder.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder of the store {path}: {exc.strerror or exc}. "
                             "Give a --db path you can write to.") from exc


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of a migration script, one at a time."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            if statement.strip():
                yield statement.strip()
            statement = ""
    if statement.strip():
        yield statement.strip()


def _already_there(exc: sqlite3.OperationalError) -> bool:
    """True for the errors a statement of a half-applied migration raises the second time."""
    message = str(exc)
    return "already exists" in message or "duplicate column name" in message


STORAGE_FIXES = (
    ("disk is full", "the disk holding {path} is full: free some space, or give --db a path on another disk"),
    ("database disk image is malformed", "{path} is damaged (a corrupt page): restore a backup, or recover what "
                                         "is readable with `sqlite3 {path} .recover | sqlite3 recovered.db`"),
    ("file is not a database", "{path} is not a Rashomon database (or is damaged): give another --db path, "
                               "or move this file away"),
    ("readonly", "{path} cannot be written (read-only file or folder): check its permissions, or give another --db path"),
    ("unable to open", "{path} cannot be opened: check that its folder exists and is writable"),
    ("locked", "{path} is busy: another process kept it locked for over a minute; try again when it is done"),
    ("disk i/o error", "reading or writing {path} failed (disk I/O error): check the disk, then try again"),
)
"""SQLite error text → what to tell the user (the first match wins)."""


def _busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite saying another connection holds the lock (worth a retry)."""
    message = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in message or "busy" in message)


def storage_problem(exc: BaseException, path: str, *, opening: bool = False) -> str:
    """One line saying what went wrong with the store at ``path`` and what to do."""
    message = str(exc)
    lowered = message.lower()
    for needle, fix in STORAGE_FIXES:
        if needle in lowered:
            return f"{fix.format(path=path)} (SQLite: {message})"
    if opening:
        return (f"{path}: cannot open as a Rashomon database ({message}). "
                "Give another --db path, or move this file away.")
    return f"the store {path} failed ({message}); if it persists, restore a backup or give another --db path"
