"""watch: poll, fetch, ingest, stop, restart, poll again, with nothing fetched twice."""

from __future__ import annotations

import importlib.util
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from rashomon.errors import InputError
from rashomon.ingest.fetch import Fetcher, FetchLimits
from rashomon.ingest.watch import read_feeds_file, watch
from rashomon.model import Article
from rashomon.store.pages import feed_items, feed_state, pending_items
from rashomon.store.sqlite import Store

_spec = importlib.util.spec_from_file_location("live_server", Path(__file__).parent / "fixtures" / "live" / "server.py")
live = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(live)

FAST = FetchLimits(host_interval=0.0, read_timeout=2.0)


@pytest.fixture
def server():
    srv = live.LiveServer()
    for i in (1, 2, 3):
        srv.fixture(f"/story{i}.html", f"story{i}.html")
    yield srv
    srv.close()


def set_feed(server, path: str, stories: list[int], etag: str) -> None:
    items = [(f"item-{i}", server.url(f"/story{i}.html"), f"Story {i}") for i in stories]
    server.route(path, live.rss(items), content_type="application/rss+xml", headers={"ETag": etag})


def feeds_file(tmp_path, *urls) -> Path:
    path = tmp_path / "feeds.txt"
    path.write_text("# Valemont feeds\n\n" + "\n".join(f"{u}  # a comment" for u in urls) + "\n")
    return path


def run(path, db, **kwargs):
    """One watch run on a fresh Store over ``db`` (as a restarted process would do)."""
    got: list[Article] = []
    kwargs.setdefault("max_cycles", 1)
    with Store(db) as store, Fetcher(allow_private=True, limits=FAST) as fetcher:
        report = watch(path, store, interval=0, allow_private=True, on_article=got.append,
                       stop_event=kwargs.pop("stop_event", threading.Event()), fetcher=fetcher,
                       on_event=lambda msg: None, **kwargs)
    return report, got


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_full_cycle_poll_fetch_ingest_stop_restart(server, tmp_path, engine):
    if engine == "sqlite":
        full_cycle(server, tmp_path, tmp_path / "watch.db")
        return
    from tests import pg

    url = pg.server_url()
    try:
        full_cycle(server, tmp_path, url)  # `rashomon watch --db postgresql://…`: the same cycle, the same answers
    finally:
        pg.drop(url)


def full_cycle(server, tmp_path, db):
    set_feed(server, "/feed.xml", [1, 2], '"v1"')
    path = feeds_file(tmp_path, server.url("/feed.xml"))

    report, got = run(path, db)
    assert (report.polls, report.new_items, report.articles) == (1, 2, 2)
    assert [a.title for a in got] == ["Valemont council approves night tram trial",
                                      "Fishing fleet stays in port as storm nears Valemont"]
    assert {a.outlet for a in got} == {"Orsin Daily", "Coastline Courier"}

    set_feed(server, "/feed.xml", [1, 2, 3], '"v2"')  # the feed grows while the watcher is down
    report, got = run(path, db)
    assert (report.new_items, report.articles) == (1, 1)
    assert [a.title for a in got] == ["Valemont library to open on Sundays from May"]

    report, got = run(path, db)  # nothing changed: a conditional poll, nothing fetched
    assert (report.polls, report.not_modified, report.articles) == (1, 1, 0) and got == []
    feed_headers = [h for p, h in server.requests if p == "/feed.xml"]
    assert feed_headers[1].get("if-none-match") == '"v1"' and feed_headers[2].get("if-none-match") == '"v2"'
    assert [server.hits(f"/story{i}.html") for i in (1, 2, 3)] == [1, 1, 1]

    with Store(db) as store:
        assert [i.status for i in feed_items(store)] == ["done", "done", "done"]
        assert feed_state(store, server.url("/feed.xml")).etag == '"v2"'


def test_default_on_article_stores_then_on_cycle_runs_and_feed_date_fills_a_gap(server, tmp_path):
    lines = (live.FIXTURES / "story1.html").read_text().splitlines()
    page = "\n".join(line for line in lines if "published_time" not in line)
    server.route("/nodate.html", page)
    server.route("/feed.xml", live.rss([("n1", server.url("/nodate.html"), "No date")]),
                 content_type="application/rss+xml")
    cycles = []
    with Store(tmp_path / "w.db") as store:
        watch(feeds_file(tmp_path, server.url("/feed.xml")), store, interval=0,
              fetcher=Fetcher(allow_private=True, limits=FAST), stop_event=threading.Event(), max_cycles=1,
              on_cycle=lambda: cycles.append(store.article_count()), on_event=lambda m: None)
        (article,) = list(store.articles())
    assert cycles == [1]  # the after-cycle hook (analyse + group in the CLI) saw the new article
    assert (article.published, article.published_basis, article.published_note) == (
        "2023-04-14", "stated", "feed item date")


def test_an_interrupted_run_loses_nothing_and_refetches_nothing(server, tmp_path):
    set_feed(server, "/feed.xml", [1, 2, 3], '"v1"')
    path, db = feeds_file(tmp_path, server.url("/feed.xml")), tmp_path / "crash.db"

    def crash(article):  # the process dies while the first article is being ingested
        raise KeyboardInterrupt

    with Store(db) as store, Fetcher(allow_private=True, limits=FAST) as fetcher:
        report = watch(path, store, interval=0, on_article=crash, stop_event=threading.Event(), fetcher=fetcher,
                       max_cycles=1, on_event=lambda m: None)
    assert report.stopped and report.articles == 0
    assert server.hits("/story1.html") == 1

    report, got = run(path, db)
    assert sorted(a.title for a in got) == sorted([
        "Valemont council approves night tram trial", "Fishing fleet stays in port as storm nears Valemont",
        "Valemont library to open on Sundays from May"])
    assert [server.hits(f"/story{i}.html") for i in (1, 2, 3)] == [1, 1, 1]  # story 1 came from the store


def test_hostile_feed_and_items_are_rejected_and_nothing_else_is_lost(server, tmp_path):
    server.fixture("/laughs.xml", "billion_laughs.xml", content_type="application/rss+xml")
    server.route("/to-metadata", handler=live.redirect("http://169.254.169.254/latest/meta-data/"))
    server.route("/feed.xml", live.rss([("m1", server.url("/to-metadata"), "Bad link"),
                                        ("s1", server.url("/story1.html"), "Good"),
                                        ("g1", server.url("/huge"), "Huge")]),
                 content_type="application/rss+xml")
    server.route("/huge", handler=live.huge_body(50_000_000, declare_length=False))
    from rashomon.ingest.safety import UrlPolicy, origins

    path = feeds_file(tmp_path, server.url("/laughs.xml"), server.url("/feed.xml"))
    got: list[Article] = []
    with Store(tmp_path / "h.db") as store:
        fetcher = Fetcher(policy=UrlPolicy(allow_origins=origins([server.base])), limits=FAST)
        report = watch(path, store, interval=0, on_article=got.append, stop_event=threading.Event(),
                       fetcher=fetcher, max_cycles=1, on_event=lambda m: None)
        rejected = {r.source: r.reason for r in store.rejected()}
        statuses = {i.item_id: i.status for i in feed_items(store)}
    assert [a.title for a in got] == ["Valemont council approves night tram trial"]
    assert "entit" in rejected[server.url("/laughs.xml")]
    assert "link-local" in rejected[server.url("/to-metadata")]
    assert "limit" in rejected[server.url("/huge")]
    assert statuses == {"m1": "rejected", "s1": "done", "g1": "rejected"}
    assert len(report.rejected) == 3


def test_failing_feed_backs_off(server, tmp_path):
    server.routes["/down.xml"] = lambda h: h.answer(503, b"maintenance", "text/plain", {"Retry-After": "600"})
    path, db = feeds_file(tmp_path, server.url("/down.xml")), tmp_path / "b.db"
    report, _ = run(path, db)
    assert report.errors and "HTTP 503" in report.errors[0]
    with Store(db) as store:
        state = feed_state(store, server.url("/down.xml"))
    assert state.failures == 1 and state.next_poll >= time.time() + 590 and "503" in state.last_error
    report, _ = run(path, db)  # not due yet: not polled again
    assert report.polls == 0 and server.hits("/down.xml") == 1


def test_item_failures_are_retried_later_then_rejected(server, tmp_path):
    server.routes["/flaky.html"] = lambda h: h.answer(502, b"bad gateway", "text/plain")
    server.route("/feed.xml", live.rss([("f1", server.url("/flaky.html"), "Flaky")]),
                 content_type="application/rss+xml")
    path, db = feeds_file(tmp_path, server.url("/feed.xml")), tmp_path / "r.db"
    run(path, db)
    with Store(db) as store:
        (item,) = pending_items(store)
        assert item.attempts == 1 and "502" in item.reason and item.next_try > time.time()
        store.db.execute("UPDATE feed_items SET next_try = 0")  # as if the retry delay had passed
        store.db.commit()
    run(path, db)
    with Store(db) as store:
        store.db.execute("UPDATE feed_items SET next_try = 0")
        store.db.commit()
    run(path, db)
    with Store(db) as store:
        (item,) = feed_items(store)
        assert (item.status, item.attempts) == ("rejected", 3)
        assert any("502" in r.reason for r in store.rejected())


def test_stop_event_ends_a_running_watcher(server, tmp_path):
    set_feed(server, "/feed.xml", [1, 2], '"v1"')
    stop = threading.Event()
    result = {}
    path = feeds_file(tmp_path, server.url("/feed.xml"))

    def background():
        result["report"], result["got"] = run(path, tmp_path / "s.db", stop_event=stop, max_cycles=None)

    thread = threading.Thread(target=background)
    thread.start()
    deadline = time.monotonic() + 10
    while server.hits("/story2.html") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert result["report"].stopped and len(result["got"]) == 2


def test_ctrl_c_stops_cleanly(server, tmp_path):
    set_feed(server, "/feed.xml", [1], '"v1"')
    previous = signal.getsignal(signal.SIGINT)
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with Store(tmp_path / "c.db") as store:
            report = watch(feeds_file(tmp_path, server.url("/feed.xml")), store, interval=60,
                           fetcher=Fetcher(allow_private=True, limits=FAST), on_event=lambda m: None)
    finally:
        timer.cancel()
    assert report.stopped and report.articles == 1
    assert signal.getsignal(signal.SIGINT) is previous


def test_feeds_file_format(tmp_path):
    good = tmp_path / "ok.txt"
    good.write_text("# comment\nhttps://a.example/rss  # trailing\n\nhttps://a.example/rss\nhttp://b.example/atom#x\n")
    assert read_feeds_file(good) == ["https://a.example/rss", "http://b.example/atom#x"]
    bad = tmp_path / "bad.txt"
    bad.write_text("https://a.example/rss\nnot a url\n")
    with pytest.raises(InputError, match="line 2"):
        read_feeds_file(bad)
    with pytest.raises(InputError):
        read_feeds_file(tmp_path / "missing.txt")
