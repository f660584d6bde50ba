"""Migration 7 and the reads of a grouping run: the publication date in an indexed column, the
run's new articles and its retention window read through the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from rashomon.analyze.article import ANALYSIS_VERSION
from rashomon.model import Analysis, Article
from rashomon.store import Store
from rashomon.store.migrations import MIGRATIONS
from tests.pg import location  # noqa: F401 - a fixture: each test on SQLite and PostgreSQL


@pytest.fixture
def store(location):
    s = Store(location)
    yield s
    s.close()


def _article(i: str, published: str | None = None, text: str = "The Harlow ferry sailed late on Friday.") -> Article:
    return Article(id=i, source=f"{i}.txt", text=text, published=published)


def test_migration_7_fills_the_date_column_of_articles_stored_before_it(location, monkeypatch):
    monkeypatch.setattr("rashomon.store.sqlite.MIGRATIONS", MIGRATIONS[:6])
    old = Store(location)
    assert old.schema_version == 6
    for article in (_article("d1", "2025-03-04"), _article("u1"), _article("d2", "2025-03-09")):
        with old.db:  # as Rashomon stored articles before migration 7: the JSON only
            old.db.execute("INSERT INTO articles(id, data) VALUES (?, ?)",
                           (article.id, json.dumps({"id": article.id, "source": article.source,
                                                    "text": article.text, "published": article.published})))
        with old.db:
            old.db.execute("INSERT INTO analyses(article_id, version, data) VALUES (?, ?, '{}')",
                           (article.id, ANALYSIS_VERSION))
    with old.db:
        old.db.execute("INSERT INTO assignments(article_id, story_id) VALUES ('d1', 's1')")
    old.close()
    monkeypatch.setattr("rashomon.store.sqlite.MIGRATIONS", MIGRATIONS)
    store = Store(location)
    try:
        assert store.schema_version == len(MIGRATIONS) >= 7
        assert dict(store.db.execute("SELECT id, published FROM articles")) == {
            "d1": "2025-03-04", "u1": None, "d2": "2025-03-09"}
        assert store.latest_published() == "2025-03-09"
        assert store.ungrouped(ANALYSIS_VERSION) == ["u1", "d2"]  # d1 had its story before the migration
    finally:
        store.close()


def test_the_date_column_follows_inserts_updates_and_recleaning(store):
    assert store.latest_published() is None  # nothing dated: unknown stays unknown
    store.add_article(_article("a", "2025-06-01"))
    store.add_article(_article("b"))
    assert store.published_dates() == {"a": "2025-06-01", "b": None}
    store.update_article(_article("b", "2025-06-03"))
    assert store.latest_published() == "2025-06-03"
    assert store.recleaned(_article("a", "2025-06-07", text="The Harlow ferry sailed late on Saturday."))
    assert store.published_dates() == {"a": "2025-06-07", "b": "2025-06-03"}
    assert store.latest_published() == "2025-06-07"


def test_ungrouped_is_the_analysed_articles_without_a_story_in_storage_order(store):
    for i in ("z", "m", "a", "f"):
        store.add_article(_article(i))
    for i in ("z", "m", "a"):
        store.put_analysis(Analysis(article=_article(i)), ANALYSIS_VERSION)
    store.put_analysis(Analysis(article=_article("f")), "an-older-version")  # waits for its analysis
    store.set_assignment("m", "s1", None, None)
    assert store.ungrouped(ANALYSIS_VERSION) == ["z", "a"]
    store.set_assignment("z", "s1", None, 0.9)
    store.set_assignment("a", "s2", None, None)
    assert store.ungrouped(ANALYSIS_VERSION) == []


def test_the_window_is_the_assigned_articles_dated_since_a_day_or_undated(store):
    rows = {"old": "2025-01-02", "edge": "2025-01-10", "new": "2025-01-20", "undated": None, "loose": "2025-01-21"}
    for i, day in rows.items():
        store.add_article(_article(i, day))
        if i != "loose":  # stored but never grouped: not in the window
            store.set_assignment(i, "s-" + i, None, None)
    assert store.assigned_since("2025-01-10") == ["edge", "new", "undated"]
    assert store.assigned_since("2025-01-11") == ["new", "undated"]
    assert store.assigned_since(None) == ["edge", "new", "old", "undated"]
    assert store.assignments(["new", "loose", "old"]) == {"new": ("s-new", None), "old": ("s-old", None)}
    assert store.assignments([]) == {}


def test_a_grouping_run_loads_the_window_and_the_new_articles_only(store):
    """Articles dated beyond the retention horizon keep their story and are not read again;
    undated ones and those inside the window are; a second run places only what is new."""
    from rashomon.group.grouping import group_store
    from rashomon.group.params import DEFAULT_PARAMS

    texts = {
        "p1": ("2025-01-01", "The Tarrow Bridge reopened to traffic after repairs.", [1.0, 0.0]),
        "p2": (None, "Voters in Ellmoor queued at polling stations.", [0.0, 1.0]),
        "p3": ("2025-02-20", "A storm closed the Kessel harbour for two days.", [0.6, 0.8]),
    }
    analyses = {}
    for i, (day, text, vector) in texts.items():
        article = _article(i, day, text)
        store.add_article(article)
        analyses[i] = Analysis(article=article, embedding=tuple(vector))
        store.put_analysis(analyses[i], ANALYSIS_VERSION)
    loaded: list[list[str]] = []

    def load(s, ids):
        ids = list(ids)
        loaded.append(ids)
        return [analyses[i] for i in ids]

    assert group_store(store, load) == 3
    first = store.assignments()
    assert set(first) == {"p1", "p2", "p3"}
    loaded.clear()
    day = "2025-02-21"
    assert DEFAULT_PARAMS.retain_days < 51  # p1 (51 days before p4) is beyond the horizon
    article = _article("p4", day, "Fishing boats stayed in port in Kessel as the storm went on.")
    store.add_article(article)
    analyses["p4"] = Analysis(article=article, embedding=(0.2, -0.9))
    store.put_analysis(analyses["p4"], ANALYSIS_VERSION)
    assert group_store(store, load) == 1
    assert loaded == [["p2", "p3"], ["p4"]]  # the window (sorted), then the new article
    after = store.assignments()
    assert {k: after[k] for k in first} == first  # nothing already placed moved
    assert group_store(store, load) == 0  # nothing new: nothing loaded, nothing written
    assert loaded == [["p2", "p3"], ["p4"]]
