"""One store suite, run on SQLite and on PostgreSQL: the same interface, the same answers.

PostgreSQL is Debian's PostgreSQL 15, started by the tests if it is down (tests/pg.py); each
test session works in a throwaway database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rashomon.errors import StoreError
from rashomon.model import Analysis, Article, Brief, Rejected
from rashomon.store import Store, postgres
from rashomon.store.migrations import MIGRATIONS
from tests import pg

ROOT = Path(__file__).resolve().parents[1]


def settled(client, path: str, seconds: float = 300):
    """GET ``path`` until it is no longer 202 (the web app's worker is building the brief)."""
    import time

    deadline = time.time() + seconds
    while True:
        response = client.get(path)
        if response.status_code != 202 or time.time() > deadline:
            return response
        time.sleep(0.2)


@pytest.fixture(scope="module")
def pg_server():
    url = pg.server_url()
    yield url
    pg.drop(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = Store(tmp_path / "s.db")
        yield s
        s.close()
    else:
        url = pg.server_url()
        s = Store(url)
        yield s
        s.close()
        pg.drop(url)


def _article(i: str, text: str = "Ministers met in Kessel on Monday.", **kw) -> Article:
    return Article(id=i, source=f"{i}.txt", text=text, **kw)


def test_articles_are_stored_once_in_order(store):
    assert store.add_article(_article("b1", published="2025-08-06", title="B"))
    assert store.add_article(_article("a1"))
    assert not store.add_article(_article("b1", title="again"))
    assert store.article_count() == 2
    assert store.article_ids() == ["b1", "a1"]
    assert store.published_dates() == {"b1": "2025-08-06", "a1": None}
    assert [a.title for a in store.articles(["a1", "b1"])] == [None, "B"]
    store.update_article(_article("a1", title="Now titled"))
    assert store.article("a1").title == "Now titled"
    assert store.article("nope") is None


def test_rejected_inputs_keep_their_latest_reason(store):
    store.add_rejected(Rejected("bad.txt", "empty"))
    store.add_rejected(Rejected("bad.txt", "not UTF-8"))
    store.add_rejected(Rejected("a.bin", "binary"))
    assert store.rejected() == [Rejected("a.bin", "binary"), Rejected("bad.txt", "not UTF-8")]
    store.forget_rejected("bad.txt")
    assert store.rejected() == [Rejected("a.bin", "binary")]


def test_analyses_round_trip_with_their_vectors_and_parses(store):
    article = _article("x1")
    store.add_article(article)
    vector = tuple(float(x) for x in np.linspace(-1, 1, 8, dtype=np.float32))
    analysis = Analysis(article=article, embedding=vector)
    store.put_analysis(analysis, "v1", b"\x00parse\xff")
    assert store.unanalysed("v1") == [] and store.unanalysed("v2") == ["x1"]
    got = store.load_analysis(article, "v1")
    assert got.embedding == vector and got.article == article
    assert store.parse("x1") == b"\x00parse\xff"
    store.put_analysis(analysis, "v2")  # replaces, never duplicates
    assert store.analysis_version("x1") == "v2" and store.unanalysed("v2") == []


def test_assignments_moves_stories_and_state(store):
    for i in ("a", "b", "c"):
        store.add_article(_article(i))
    store.set_assignment("a", "s1", None, None)
    store.set_assignment("b", "s1", "a", 0.97)
    store.set_assignment("c", "s2", None, 0.5)
    store.set_assignment("c", "s1", None, 0.8, reason="merge")
    assert store.assignments() == {"a": ("s1", None), "b": ("s1", "a"), "c": ("s1", None)}
    assert store.moves() == [("c", "s2", "s1", "merge")]
    assert store.stories() == {"s1": ["a", "b", "c"]}
    store.put_state("grouper", {"clock": 3, "ids": ["a"]})
    store.put_state("grouper", {"clock": 4, "ids": ["a", "b"]})
    assert store.state("grouper") == {"clock": 4, "ids": ["a", "b"]}
    assert store.state("missing", default=7) == 7


def test_briefs_are_cached_by_content_key(store):
    brief = Brief(id="s1", title="A title", articles=(), entities=(), statements=(), events=(), claims=(), summary=())
    store.put_brief(brief, "k1")
    assert store.cached_brief("s1", "k1") == brief
    assert store.cached_brief("s1", "k2") is None
    store.put_brief(brief, "k2")
    assert store.cached_brief("s1", "k1") is None and store.cached_brief("s1", "k2") == brief


def test_a_transaction_that_fails_leaves_nothing(store):
    with pytest.raises(ZeroDivisionError):
        with store.db:
            store.db.execute("INSERT INTO state(key, value) VALUES (?, ?)", ("half", "1"))
            1 / 0
    assert store.state("half") is None


def test_search_finds_words_on_both_engines(store):
    from rashomon.web import search

    store.add_article(_article("a", "The harbour strike ended after talks in Kessel.", title="Strike ends"))
    store.add_article(_article("b", "Ministers signed a bridge agreement.", title="Bridge deal"))
    store.set_assignment("a", "s1", None, None)
    store.set_assignment("b", "s2", None, None)
    assert search.sync_articles(store) == 2
    hits = search.search(store.db, "harbour strike")
    assert [h.ref for h in hits] == ["a"]
    assert "harbour" in hits[0].snippet_text.lower() and any(hit for _text, hit in hits[0].snippet)
    assert [h.ref for h in search.search(store.db, "bridg")] == ["b"]  # the last word is a prefix
    assert search.search(store.db, "   ") == []


def test_sql_outside_the_translated_subset_is_refused():
    with pytest.raises(StoreError, match="PRAGMA"):
        postgres.translate("PRAGMA user_version", {})
    keys = postgres.table_keys(MIGRATIONS)
    assert keys["analyses"] == ("article_id",) and keys["page_revisions"] == ("url", "revision")
    sql = postgres.translate("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", keys)
    assert sql == "INSERT INTO state(key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
    assert postgres.translate("SELECT '?' , ? FROM t WHERE x LIKE '5%'", keys) == "SELECT '?' , %s FROM t WHERE x LIKE '5%%'"


def test_a_failed_migration_leaves_postgres_at_its_previous_version(pg_server, monkeypatch):
    url = pg.server_url()
    try:
        Store(url).close()
        broken = MIGRATIONS + ["CREATE TABLE half_done (x TEXT); CREATE TABLE oops (y NOSUCHTYPE)"]
        monkeypatch.setattr("rashomon.store.sqlite.MIGRATIONS", broken)
        with pytest.raises(Exception):
            Store(url)
        monkeypatch.setattr("rashomon.store.sqlite.MIGRATIONS", MIGRATIONS)
        store = Store(url)  # still opens, at the previous version, without the half-made table
        assert store.schema_version == len(MIGRATIONS)
        assert store.db.execute("SELECT to_regclass('half_done')").fetchone()[0] is None
        store.close()
    finally:
        pg.drop(url)


def test_a_bad_postgres_url_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL"):
        Store("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
    try:
        Store("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
    except StoreError as exc:
        assert "secret" not in str(exc)


# -- the whole pipeline on both engines -----------------------------------------------------
def test_briefs_are_identical_on_sqlite_and_postgres(seed_document, seeds_dir, pg_server):
    from rashomon import build_briefs
    from rashomon.render.jsonout import briefs_document, dumps

    url = pg.server_url()
    try:
        result = build_briefs([str(seeds_dir)], Store(url))
        assert dumps(briefs_document(result.briefs, result.rejected)) == dumps(seed_document)
        again = build_briefs(None, Store(url))  # from what the server holds, cached briefs
        assert dumps(briefs_document(again.briefs, [])) == dumps(briefs_document(result.briefs, []))
    finally:
        pg.drop(url)


@pytest.mark.slow
def test_two_writer_processes_store_nothing_twice_and_lose_nothing(tmp_path, seeds_dir, pg_server):
    """Two `rashomon ingest` processes on one PostgreSQL database at once, with overlapping inputs."""
    url = pg.server_url()
    try:
        demo = ROOT / "src" / "rashomon" / "data" / "demo"
        env = {**os.environ, "RASHOMON_WORKERS": "1", "PYTHONPATH": str(ROOT / "src")}
        cmd = [sys.executable, "-m", "rashomon.cli", "ingest", "--quiet", "--db", url]
        one = subprocess.Popen(cmd + [str(seeds_dir), str(demo)], env=env, stderr=subprocess.PIPE, text=True)
        two = subprocess.Popen(cmd + [str(demo), str(seeds_dir)], env=env, stderr=subprocess.PIPE, text=True)
        for p in (one, two):
            _out, err = p.communicate(timeout=600)
            assert p.returncode == 0, err
        store = Store(url)
        expected = len(list(seeds_dir.glob("*.txt"))) + len(list(demo.glob("*.txt")))
        assert store.article_count() == expected
        assert len(store.assignments()) == expected
        assert sum(len(v) for v in store.stories().values()) == expected
        n_analyses = store.db.execute("SELECT count(*) FROM analyses").fetchone()[0]
        assert n_analyses == expected
        seed_story = [ids for ids in store.stories().values() if len(ids) == 5]
        assert seed_story, "the five seeds form one story"
        store.close()
    finally:
        pg.drop(url)


def test_rashomon_db_names_the_store_for_every_command(tmp_path, pg_server, seeds_dir):
    from typer.testing import CliRunner

    from rashomon.cli import app

    url = pg.server_url()
    try:
        runner = CliRunner()
        env = {"RASHOMON_DB": url, "RASHOMON_WORKERS": "1"}
        first = runner.invoke(app, ["ingest", "--quiet", str(seeds_dir)], env=env)
        assert first.exit_code == 0, first.output
        listed = runner.invoke(app, ["brief", "--quiet", "--format", "json"], env=env)
        assert listed.exit_code == 0, listed.output
        assert len(json.loads(listed.stdout)["stories"]) == 1
    finally:
        pg.drop(url)


def test_the_web_app_serves_a_postgres_store(pg_server, seeds_dir):
    """`rashomon serve --db postgresql://…`: stories, a brief, an article and search over HTTP."""
    from fastapi.testclient import TestClient

    from rashomon import ingest
    from rashomon.web.app import create_app

    url = pg.server_url()
    try:
        ingest([str(seeds_dir)], Store(url))
        with TestClient(create_app(url), base_url="http://127.0.0.1") as client:
            stories = client.get("/api/stories").json()
            story_id = stories[0]["id"] if isinstance(stories, list) else stories["stories"][0]["id"]
            brief = settled(client, f"/api/stories/{story_id}")  # the background worker builds it
            assert brief.status_code == 200 and brief.json()["statements"]
            article_id = brief.json()["articles"][0]["id"]
            assert client.get(f"/api/articles/{article_id}").status_code == 200
            found = client.get("/api/search", params={"q": "Ushakov"})
            assert found.status_code == 200 and "Ushakov" in found.text
            assert settled(client, f"/stories/{story_id}").status_code == 200
    finally:
        pg.drop(url)
