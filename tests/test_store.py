"""The SQLite store: migrations, idempotent ingest, incremental runs, round trips."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.codec import from_data, to_data
from rashomon.errors import StoreError
from rashomon.model import Article, Removed, Span
from rashomon.store import Store
from rashomon.store.migrations import MIGRATIONS


def test_a_new_store_is_at_the_latest_schema(tmp_path):
    store = Store(tmp_path / "x.db")
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    assert Store(tmp_path / "x.db").schema_version == len(MIGRATIONS)


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.close()
    with pytest.raises(StoreError, match="newer Rashomon"):
        Store(path)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database " * 200)
    with pytest.raises(StoreError, match="--db"):
        Store(path)


def test_the_same_article_is_stored_once(tmp_path):
    store = Store(":memory:")
    article = Article(id="abc", source="a.txt", text="Some text.")
    assert store.add_article(article) is True
    assert store.add_article(Article(id="abc", source="copy/a.txt", text="Some text.")) is False
    assert store.article_count() == 1


def test_a_move_between_stories_is_recorded():
    store = Store(":memory:")
    store.add_article(Article(id="a1", source="a", text="x"))
    store.set_assignment("a1", "s1", None, None)
    store.set_assignment("a1", "s2", None, 0.9, reason="merge")
    assert store.moves() == [("a1", "s1", "s2", "merge")]


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200)


@settings(max_examples=60, deadline=None)
@given(text=texts, title=st.one_of(st.none(), texts), data=st.data())
def test_article_round_trips_through_the_store(text, title, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    span = Span.of("id1", text, start, end)
    assert text[span.start:span.end] == span.text
    article = Article(id="id1", source="s", text=text, title=title, removed=(Removed("caption", "c"),))
    assert from_data(Article, to_data(article)) == article
    assert from_data(Span, to_data(span)) == span
    store = Store(":memory:")
    store.add_article(article)
    assert store.article("id1") == article


def test_second_ingest_analyses_nothing_new(tmp_path, seeds_dir, monkeypatch):
    from rashomon import ingest
    import rashomon.pipeline as pipeline

    db = Store(tmp_path / "s.db")
    first = ingest([str(seeds_dir)], db)
    assert len(first.added) == 5
    calls = []
    real = pipeline.analyze_articles
    monkeypatch.setattr(pipeline, "analyze_articles", lambda arts, **k: (calls.append(list(arts)) or real([], **k)))
    second = ingest([str(seeds_dir)], db)
    assert second.added == [] and db.article_count() == 5
    assert calls == [[]]


def test_an_analysis_failure_is_reported_and_the_rest_goes_on(tmp_path, monkeypatch):
    from rashomon import ingest
    from rashomon.analyze import timex

    real = timex.extract_times

    def flaky(text, article_id, dct, doc=None):
        if "explodes" in text:
            raise RuntimeError("boom")
        return real(text, article_id, dct, doc=doc)

    monkeypatch.setattr(timex, "extract_times", flaky)
    (tmp_path / "good.txt").write_text("Bridge reopens\nThe Tarrow Bridge reopened to traffic on Monday.\n")
    (tmp_path / "bad.txt").write_text("Odd story\nThis article explodes the time tagger on Monday.\n")
    store = Store(tmp_path / "s.db")
    result = ingest([str(tmp_path)], store)
    assert len(result.added) == 2 and store.article_count() == 2
    reasons = {r.source.rsplit("/", 1)[-1]: r.reason for r in store.rejected()}
    assert "analyze/times failed" in reasons["bad.txt"] and "boom" in reasons["bad.txt"]
    assert len(store.assignments()) == 1  # the good article has its story; the other waits
    monkeypatch.setattr(timex, "extract_times", real)
    ingest([str(tmp_path)], store)
    assert len(store.assignments()) == 2  # the next run analyses it again
