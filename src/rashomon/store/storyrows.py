"""The grouper's state in the store: one row per story, beside the assignments.

The ``stories`` table (migration 8) holds each live story's creation order, members (in
arrival order) and topic-thread root; each article's story, copy-of and similarity are its
``assignments`` row; the grouper's few scalars (params, clock, next story number) are the
small document under ``state`` key ``grouping``. A grouping run reads the rows of the stories
it can touch and writes the ones it changed, in the transaction of its assignments, so its
cost follows the articles in the retention window, not the articles stored.

Until issue 17 the whole state (every story and every article) was one JSON document under
``state`` key ``grouping`` (format ``rashomon.grouping/1``), read and written whole each run;
a store holding one is converted to rows when opened (:meth:`StoryRows.upgrade_grouping_state`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

GROUPING_KEY = "grouping"
"""The ``state`` key of the grouper's scalars (formerly of its whole state)."""
WHOLE_FORMAT = "rashomon.grouping/1"
"""The whole grouper as one document (``StoryGrouper.state_dict``); stored until issue 17."""
ROWS_FORMAT = "rashomon.grouping/2"
"""The grouper's scalars only (``StoryGrouper.state_meta``); its stories are rows."""
ROWS_MIGRATION = 8
"""The migration that made the ``stories`` table."""
CHUNK = 500
"""Ids per ``IN (...)`` query (below SQLite's and psycopg's parameter limits)."""


class StoryRows:
    """Store methods for the grouper's per-story rows (mixed into ``Store``)."""

    def story_rows(self, story_ids: Iterable[str]) -> list[tuple[str, int, list[str], str]]:
        """(story id, seq, members, topic root) of those of ``story_ids`` that exist, by seq."""
        out = []
        for chunk in _chunks(sorted(set(story_ids))):
            out += [(sid, seq, json.loads(members), topic) for sid, seq, members, topic in self.db.execute(
                f"SELECT story_id, seq, members, topic FROM stories WHERE story_id IN ({_marks(chunk)})", chunk)]
        return sorted(out, key=lambda row: row[1])

    def window_placements(self, day: str | None) -> dict[str, tuple[str, str | None, float | None]]:
        """article id -> (story id, duplicate_of, similarity) of the assigned articles published on
        or after ``day`` (YYYY-MM-DD) or undated — what a grouping run still indexes — sorted by
        id, read through the date index (every assigned article when ``day`` is None)."""
        if day is None:
            return dict(sorted((a, (s, d, m)) for a, s, d, m in self.db.execute(
                "SELECT article_id, story_id, duplicate_of, similarity FROM assignments")))
        found = []
        for where, params in (("r.published >= ?", (day,)), ("r.published IS NULL", ()), ("r.published = ''", ())):
            found += self.db.execute(  # each a range of the date index (as ``assigned_since``)
                "SELECT a.article_id, a.story_id, a.duplicate_of, a.similarity FROM articles r "
                f"JOIN assignments a ON a.article_id = r.id WHERE {where}", params).fetchall()
        return {a: (s, d, m) for a, s, d, m in sorted(found)}

    def story_seqs(self, story_ids: Iterable[str]) -> dict[str, int]:
        """story id -> seq, for those of ``story_ids`` that exist."""
        out: dict[str, int] = {}
        for chunk in _chunks(sorted(set(story_ids))):
            out.update(self.db.execute(f"SELECT story_id, seq FROM stories WHERE story_id IN ({_marks(chunk)})",
                                       chunk))
        return out

    def story_exists(self, story_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM stories WHERE story_id = ?", (story_id,)).fetchone() is not None

    def placements(self, ids: Iterable[str]) -> dict[str, tuple[str, str | None, float | None]]:
        """article id -> (story id, duplicate_of, similarity), for those of ``ids`` assigned."""
        out = {}
        for chunk in _chunks(sorted(set(ids))):
            out.update((a, (s, d, m)) for a, s, d, m in self.db.execute(
                f"SELECT article_id, story_id, duplicate_of, similarity FROM assignments "
                f"WHERE article_id IN ({_marks(chunk)})", chunk))
        return out

    def topic_roots(self) -> dict[str, str]:
        """story id -> the first story of its topic thread, every live story, by seq."""
        return dict(self.db.execute("SELECT story_id, topic FROM stories ORDER BY seq"))

    def topic_root(self, story_id: str) -> tuple[str, int] | None:
        """(the story's topic root, how many live stories share it), or None for no such story."""
        row = self.db.execute("SELECT topic FROM stories WHERE story_id = ?", (story_id,)).fetchone()
        if row is None:
            return None
        return row[0], self.db.execute("SELECT count(*) FROM stories WHERE topic = ?", (row[0],)).fetchone()[0]

    def _save_story_rows(self, rows: Iterable, removed: Iterable[str], relinked: Iterable[tuple[str, str]]) -> None:
        """Inside the caller's transaction: threads re-rooted (every story of an old root, read
        or not), stories gone, then the changed rows ``StoryRow``-like (story_id, seq, members, topic)."""
        for old, new in relinked:
            self.db.execute("UPDATE stories SET topic = ? WHERE topic = ?", (new, old))
        for story_id in sorted(set(removed)):
            self.db.execute("DELETE FROM stories WHERE story_id = ?", (story_id,))
        for row in rows:
            self.db.execute("INSERT OR REPLACE INTO stories(story_id, seq, members, topic) VALUES (?, ?, ?, ?)",
                            (row.story_id, row.seq, json.dumps(list(row.members)), row.topic))

    def upgrade_grouping_state(self) -> bool:
        """Convert a whole-document grouping state (``WHOLE_FORMAT``) to story rows and the
        scalars document, in one transaction under the grouping lock; True when it did. Its
        per-article copies and similarities are the assignments already; its moves, the
        ``moves`` table."""
        if self.schema_version < ROWS_MIGRATION or not self._whole_state_format():
            return False
        with self.grouping_lock():
            row = self.db.execute("SELECT value FROM state WHERE key = ?", (GROUPING_KEY,)).fetchone()
            state = json.loads(row[0]) if row else {}
            if state.get("format") != WHOLE_FORMAT:  # another process converted it meanwhile
                return False
            topics = state.get("topics", {})
            self.db.executemany(
                "INSERT OR REPLACE INTO stories(story_id, seq, members, topic) VALUES (?, ?, ?, ?)",
                [(sid, story["seq"], json.dumps(story["members"]), topics.get(sid, sid))
                 for sid, story in state["stories"].items()])
            meta = {"format": ROWS_FORMAT, "params": state["params"], "clock": state["clock"],
                    "next_seq": state["next_seq"]}
            self.db.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", (GROUPING_KEY, json.dumps(meta)))
        return True

    def _whole_state_format(self) -> bool:
        row = self.db.execute("SELECT json_extract(value, '$.format') FROM state WHERE key = ?",
                              (GROUPING_KEY,)).fetchone()
        return bool(row) and row[0] == WHOLE_FORMAT


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    return (ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK))


def _marks(chunk: list[str]) -> str:
    return ",".join("?" * len(chunk))
