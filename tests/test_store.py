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


# ----------------------------------------------------------------------------- integrity


def test_a_migration_failing_half_way_leaves_the_previous_version(tmp_path, monkeypatch):
    from rashomon.store import sqlite as store_module

    path = tmp_path / "half.db"
    Store(path).close()
    broken = MIGRATIONS + ["CREATE TABLE first_half (a TEXT);\nCREATE TABLE second_half (;\n"]
    monkeypatch.setattr(store_module, "MIGRATIONS", broken)
    with pytest.raises(StoreError):
        Store(path)
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    store = Store(path)  # still openable, at the version it had
    assert store.schema_version == len(MIGRATIONS)
    tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "first_half" not in tables


def test_a_half_applied_store_from_an_older_version_is_repaired(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.execute(MIGRATIONS[1].split(";")[0])  # an older Rashomon died after migration 2's first table
    db.commit()
    db.close()
    store = Store(path)
    assert store.schema_version == len(MIGRATIONS)
    assert store.db.execute("SELECT count(*) FROM feed_items").fetchone() == (0,)


def test_grouping_writes_assignments_and_state_in_one_transaction(tmp_path):
    """A failure (or a kill) while the grouper's state is written leaves no assignment behind."""
    from rashomon.group.grouping import group_store

    store = Store(tmp_path / "g.db")
    for i, text in enumerate(["The Tarrow Bridge reopened on Monday.", "Voters in Ellmoor went to the polls."]):
        store.add_article(Article(id=f"a{i}", source=f"a{i}.txt", text=text))
    analyses = {f"a{i}": _analysis(f"a{i}", text, [1.0, float(i)])
                for i, text in enumerate(["The Tarrow Bridge reopened on Monday.", "Voters in Ellmoor went to the polls."])}
    from rashomon.analyze.article import ANALYSIS_VERSION

    for analysis in analyses.values():
        store.put_analysis(analysis, ANALYSIS_VERSION)
    store.db.execute("CREATE TRIGGER no_state BEFORE INSERT ON state BEGIN SELECT RAISE(ABORT, 'disk died'); END")
    with pytest.raises(sqlite3.Error):
        group_store(store, lambda s, ids: [analyses[i] for i in ids])
    assert store.assignments() == {} and store.state("grouping") is None
    store.db.execute("DROP TRIGGER no_state")
    group_store(store, lambda s, ids: [analyses[i] for i in ids])
    assert len(store.assignments()) == 2 and store.state("grouping") is not None


def _analysis(article_id: str, text: str, vector: list[float]):
    from rashomon.model import Analysis

    return Analysis(article=Article(id=article_id, source=f"{article_id}.txt", text=text), sentences=(), entities=(),
                    quotes=(), times=(), claims=(), embedding=tuple(vector))


def test_reading_a_store_requires_it_to_exist(tmp_path):
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "typo.db", create=False)
    assert not (tmp_path / "typo.db").exists()


def test_a_db_under_a_file_says_so(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        Store(tmp_path / "afile" / "news.db")


def test_storage_errors_say_what_to_do(tmp_path):
    from rashomon.store.sqlite import storage_problem

    store = Store(tmp_path / "full.db")
    store.db.execute("PRAGMA max_page_count = %d" % store.db.execute("PRAGMA page_count").fetchone()[0])
    with pytest.raises(sqlite3.OperationalError) as info:
        for i in range(200):
            store.add_article(Article(id=f"x{i}", source=f"x{i}", text="words " * 2000))
    assert "disk is full" in storage_problem(info.value, store.path) and "free some space" in storage_problem(
        info.value, store.path)
    corrupt = tmp_path / "corrupt.db"
    Store(corrupt).close()
    data = bytearray(corrupt.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page
    corrupt.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged|not a Rashomon database"):
        Store(corrupt)


def test_a_failed_analysis_is_recorded_and_retried_a_few_times_only(tmp_path, monkeypatch):
    from rashomon.analyze.article import ANALYSIS_VERSION
    from rashomon.model import Rejected
    from rashomon.store.sqlite import MAX_ANALYSIS_ATTEMPTS

    store = Store(tmp_path / "f.db")
    store.add_article(Article(id="p", source="pill.txt", text="x"))
    for attempt in range(MAX_ANALYSIS_ATTEMPTS):
        assert store.to_analyse(ANALYSIS_VERSION) == ["p"]
        store.put_failure("p", ANALYSIS_VERSION, Rejected("pill.txt", f"analyze/parse failed ({attempt})"))
    assert store.to_analyse(ANALYSIS_VERSION) == [] and "pill.txt" in {r.source for r in store.rejected()}
    assert store.to_analyse("another-version") == ["p"]
