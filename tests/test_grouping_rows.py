"""The grouper's state as per-story rows (migration 8): a grouping run through the store reads
the stories it can touch and writes the ones it changed, and gives what restoring the whole
state each run gave; a store holding the old whole-document state is converted when opened.
On SQLite and PostgreSQL. Invented, synthetic articles (vectors around invented events)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pytest

from rashomon.analyze.article import ANALYSIS_VERSION
from rashomon.group import grouping
from rashomon.group.grouping import STATE_KEY, group_store, story_topic, story_topics, topic_ids
from rashomon.group.params import DEFAULT_PARAMS
from rashomon.group.stories import GroupItem, StoryGrouper
from rashomon.store import Store
from tests.pg import location  # noqa: F401 - a fixture: each test on SQLite and PostgreSQL

DAYS = 40
"""Longer than ``retain_days`` (14): early stories close and are not read again."""
DIM = 48


def _stream(seed: int = 3) -> list[list[GroupItem]]:
    """One batch a day: events (pairs of them share a topic, so their stories come close enough
    to merge or to join one thread), a few articles an event, some copies of earlier articles
    and some undated ones."""
    rng = np.random.default_rng(seed)
    words = [f"w{n}" for n in range(400)]
    day0, batches, made = date(2025, 3, 1), [], []
    topics = [rng.standard_normal(DIM) for _ in range(12)]
    for day in range(DAYS):
        batch = []
        for event in range(day // 3 * 2, day // 3 * 2 + 3):
            topic = event // 2 % len(topics)
            centre = topics[topic] + 0.8 * np.random.default_rng(event).standard_normal(DIM)
            for k in range(int(rng.integers(1, 4))):
                vector = centre + 0.6 * rng.standard_normal(DIM)
                text = " ".join(rng.choice(words, 40))
                if made and rng.random() < 0.08:  # a copy of an earlier article
                    text = made[int(rng.integers(len(made)))].text
                dated = rng.random() > 0.05
                batch.append(GroupItem(
                    f"d{day:02d}e{event:02d}k{k}", (vector / np.linalg.norm(vector)).astype(np.float32),
                    frozenset({f"e{event}", f"t{topic}"} if rng.random() < 0.8 else {f"t{topic}"}),
                    (day0 + timedelta(days=day)).isoformat() if dated else None, text,
                    terms=frozenset({f"t{topic}", f"e{event}", *rng.choice(words, 5)})))
        made += batch
        batches.append(batch)
    return batches


def _add(store: Store, items: list[GroupItem]) -> None:
    with store.db:
        for item in items:
            store.db.execute("INSERT INTO articles(id, data, published) VALUES (?, ?, ?)",
                             (item.article_id, json.dumps({"id": item.article_id, "published": item.date}), item.date))
            store.db.execute("INSERT INTO analyses(article_id, version, data) VALUES (?, ?, '{}')",
                             (item.article_id, ANALYSIS_VERSION))


def _whole_state_runs(batches: list[list[GroupItem]]):
    """What grouping through the store did before the rows: each run restored the whole state
    with the stored items of the retention window (as ``grouping._recent`` picks them), added
    the run's articles, and kept ``state_dict()``."""
    state, held, latest = None, {}, None
    for batch in batches:
        days = [item.date for item in batch if item.date]
        latest = max([latest or "", *days]) or None
        if state is None:
            grouper = StoryGrouper()
        else:
            horizon = (date.fromisoformat(latest) - timedelta(days=DEFAULT_PARAMS.retain_days)).isoformat()
            recent = sorted(i for i, item in held.items() if item.date is None or item.date >= horizon)
            grouper = StoryGrouper.from_state(state, [held[i] for i in recent])
        grouper.add_many(batch)
        state = grouper.state_dict()
        held.update((item.article_id, item) for item in batch)
    return grouper, state


def _row_runs(store: Store, batches: list[list[GroupItem]], by_id: dict[str, GroupItem], monkeypatch) -> None:
    monkeypatch.setattr(grouping, "group_item", lambda item: item)  # the loader hands items over
    for batch in batches:
        _add(store, batch)
        group_store(store, lambda _s, ids: [by_id[i] for i in ids])


def _same(store: Store, grouper: StoryGrouper, state: dict) -> None:
    expected = {a: (sid, state["duplicate_of"][a]) for sid, s in state["stories"].items() for a in s["members"]}
    assert store.assignments() == dict(sorted(expected.items()))
    placed = store.placements(expected)
    assert {a: p[2] for a, p in placed.items()} == {a: state["similarity"][a] for a in expected}
    rows = store.story_rows(state["stories"])
    assert [(sid, seq, tuple(members), topic) for sid, seq, members, topic in rows] == [
        (r.story_id, r.seq, r.members, r.topic) for r in grouper.story_rows()]
    assert store.topic_roots() == grouper.topics()
    topics = story_topics(store)
    assert topics == topic_ids(grouper.topics()) and any(topics.values())
    assert {sid: story_topic(store, sid) for sid in grouper.topics()} == {sid: topics.get(sid) for sid in grouper.topics()}
    assert story_topic(store, "no-such-story") is None
    meta = store.state(STATE_KEY)
    assert (meta["clock"], meta["next_seq"]) == (state["clock"], state["next_seq"])


def test_runs_over_story_rows_give_what_the_whole_state_gave(location, monkeypatch):
    batches = _stream()
    by_id = {item.article_id: item for batch in batches for item in batch}
    grouper, state = _whole_state_runs(batches)
    moves = grouper.moves()
    # the stream exercises what the rows must carry: merges, threads, copies, closed stories
    assert any(m.reason == "merge" for m in moves), "no merge: the test would not test merges"
    assert len(set(grouper.topics().values())) < len(grouper.topics()), "no topic thread"
    assert any(d for d in state["duplicate_of"].values()), "no copy"
    store = Store(location)
    _row_runs(store, batches, by_id, monkeypatch)
    _same(store, grouper, state)
    merged = {(m.article_id, m.to_story) for m in moves if m.reason == "merge"}
    assert merged <= {(a, to) for a, _f, to, _r in store.moves()} | {(a, s) for a, (s, _d) in store.assignments().items()}
    store.close()


def test_a_run_reads_the_stories_of_its_window_only(tmp_path, monkeypatch):
    """Stories that closed beyond the retention horizon are not read by a later run."""
    batches = _stream()
    by_id = {item.article_id: item for batch in batches for item in batch}
    store = Store(tmp_path / "w.db")
    _row_runs(store, batches[:-1], by_id, monkeypatch)
    read: list[str] = []
    real = Store.story_rows

    def story_rows(self, ids):
        rows = real(self, ids)
        read.extend(row[0] for row in rows)
        return rows

    monkeypatch.setattr(Store, "story_rows", story_rows)
    _row_runs(store, batches[-1:], by_id, monkeypatch)
    monkeypatch.setattr(Store, "story_rows", real)
    horizon = (date(2025, 3, 1) + timedelta(days=DAYS - 1 - DEFAULT_PARAMS.retain_days)).isoformat()
    held = {sid for sid, _seq, members, _t in store.story_rows(read)
            if any(by_id[m].date is None or by_id[m].date >= horizon for m in members)}
    assert read and set(read) == held  # each story read holds an article of the window
    assert len(read) < len(store.topic_roots())  # the closed stories are not read


def test_a_store_with_the_whole_document_state_is_converted_when_opened(location, monkeypatch):
    """A store grouped by the code before the rows (its state one JSON document, schema 7), opened
    by this code and given more articles, ends with the stories of a store that never had it."""
    batches = _stream(seed=5)
    by_id = {item.article_id: item for batch in batches for item in batch}
    half = DAYS // 2
    grouper, state = _whole_state_runs(batches[:half])
    old = Store(location)
    with old.db:  # as the code before migration 8 left a store
        old.db.execute("DROP TABLE stories")
        if old.dialect == "sqlite":
            old.db.execute("PRAGMA user_version = 7")
        else:
            old.db.execute("UPDATE rashomon_schema SET version = 7")
    for batch in batches[:half]:
        _add(old, batch)
    with old.db:
        for sid, story in state["stories"].items():
            for a in story["members"]:
                old.db.execute("UPDATE articles SET grouped = 1 WHERE id = ?", (a,))
                old.db.execute("INSERT INTO assignments(article_id, story_id, duplicate_of, similarity) "
                               "VALUES (?, ?, ?, ?)", (a, sid, state["duplicate_of"][a], state["similarity"][a]))
        old.db.execute("INSERT INTO state(key, value) VALUES (?, ?)", (STATE_KEY, json.dumps(state)))
    old.close()
    store = Store(location)
    assert store.schema_version == 8 and store.state(STATE_KEY)["format"] == "rashomon.grouping/2"
    assert store.topic_roots() == grouper.topics()
    _row_runs(store, batches[half:], by_id, monkeypatch)
    grouper, state = _whole_state_runs(batches)
    _same(store, grouper, state)
    store.close()
    assert Store(location).state(STATE_KEY)["format"] == "rashomon.grouping/2"  # converted once


def test_an_unknown_state_format_is_refused():
    with pytest.raises(ValueError, match="grouping state format"):
        StoryGrouper.from_rows({"format": "rashomon.grouping/9"}, [], {}, [])
