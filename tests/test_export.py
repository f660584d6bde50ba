"""Exports, the story page's server-side filters, the stories list and search filters, in-process.

The story is the invented brief (tests/invented.py) served by a real app whose library hands
it out; the stories list and search read a real store holding invented articles.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from rashomon.web.errors import not_found

from .invented import invented_brief

pytest.importorskip("fastapi")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from rashomon.web.app import create_app

    app = create_app(str(tmp_path_factory.mktemp("export") / "web.db"))
    brief = invented_brief(claims=60)

    def ready(story_id, *, holding=None):  # as Library.ready: (brief, signature, current), 404 when unknown
        if story_id != brief.id:
            raise not_found("story", story_id)
        return brief, ("invented",), True

    app.state.library.ready = ready
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


def download(client, path: str, media: str) -> bytes:
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
    assert r.headers["content-disposition"].startswith('attachment; filename="s-ferry')
    return r.content


def test_brief_exports_as_markdown_html_and_json(client):
    md = download(client, "/stories/s-ferry/brief.md", "text/markdown").decode()
    assert md.startswith("# Harbour board keeps the winter ferry") and "<script" not in md
    html = download(client, "/stories/s-ferry/brief.html", "text/html").decode()
    assert "<style>" in html and 'href="/static' not in html and "<mark id=" in html
    doc = json.loads(download(client, "/stories/s-ferry/brief.json", "application/json"))
    assert doc["format"] == "rashomon.brief/1" and doc["id"] == "s-ferry" and len(doc["claims"]) == 63


def test_articles_export_as_jsonl(client):
    lines = download(client, "/stories/s-ferry/articles.jsonl", "application/x-ndjson").decode().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == ["a1", "a2", "a3"]
    assert records[1]["published_basis"] == "inferred" and records[1]["origin"] == "Wire Agency"
    assert all(r["text"] for r in records)


def test_exports_refuse_unknown_stories_and_formats(client):
    for path in ("/stories/nope/brief.md", "/stories/s-ferry/brief.xml", "/stories/nope/articles.jsonl"):
        r = client.get(path)  # a page's error is the error page; the API's the JSON error shape
        assert r.status_code == 404 and 'data-code="not_found"' in r.text, path
        r = client.get(path, headers={"Accept": "application/json"})
        assert r.status_code == 404


def test_story_page_filters_without_javascript(client):
    page = client.get("/stories/s-ferry?status=conflicting&fold=timeline").text
    assert '<tr id="ccross" class="claim status-conflicting" data-status="conflicting"' in page
    assert 'id="cvote" class="claim status-agreed" data-status="agreed" data-outlets="|Bay Times|Coast Post|Harbour Gazette|" ' \
           'data-origins="|Harbour Gazette|Wire Agency|" hidden>' in page
    assert '<details data-section="timeline">' in page and '<details data-section="claims" open>' in page
    assert '<option value="conflicting" selected>' in page
    assert "Showing 1 of 1 matching claims." in page


def test_story_page_pages_long_lists_and_links_the_next_page(client):
    page = client.get("/stories/s-ferry").text
    assert "Showing 50 of 63 matching claims." in page and 'href="?claims=100#claims"' in page
    more = client.get("/stories/s-ferry?claims=100").text
    assert "Showing 63 of 63" in more and more.count(' hidden>') < page.count(' hidden>')


def test_story_page_keeps_to_the_content_security_policy(client):
    r = client.get("/stories/s-ferry?outlet=Bay+Times")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert " style=" not in r.text and "<style" not in r.text
    assert r.text.count("<script") == r.text.count('<script src="/static/')
    assert "Download this brief" in r.text and 'href="/stories/s-ferry/brief.md"' in r.text


def test_stories_list_counts_sorts_and_filters():
    from rashomon.web.views import stories_listing

    rows = [
        {"id": "s1", "title": "One", "articles": 2, "independent_outlets": 2, "outlets": ["A", "B"], "first": "2031-01-01",
         "last": "2031-01-02", "claims": {"agreed": 3, "conflicting": 0, "single_source": 1}, "topic": "t1"},
        {"id": "s2", "title": "Two", "articles": 5, "independent_outlets": 1, "outlets": ["B"], "first": "2030-05-01",
         "last": "2030-05-01", "claims": {"agreed": 1, "conflicting": 2, "single_source": 0}, "topic": "t2"},
        {"id": "s3", "title": "Three", "articles": 1, "independent_outlets": 1, "outlets": [], "first": None,
         "last": None, "claims": None, "topic": None},
    ]
    ids = lambda q: [r["id"] for r in stories_listing(rows, q)["stories"]]  # noqa: E731
    assert ids({}) == ["s1", "s2", "s3"]
    assert ids({"sort": "size"}) == ["s2", "s1", "s3"]
    assert ids({"sort": "oldest"}) == ["s3", "s2", "s1"]
    assert ids({"sort": "disputes"})[0] == "s2"
    assert ids({"disputes": "1"}) == ["s2"]
    assert ids({"outlet": "A"}) == ["s1"] and ids({"topic": "t2"}) == ["s2"]
    assert ids({"from": "2031-01-01"}) == ["s1"] and ids({"to": "2030-12-31"}) == ["s2"]
    assert ids({"sort": "bogus"}) == ["s1", "s2", "s3"]
    listing = stories_listing(rows, {})
    assert listing["outlet_options"] == [("A", 1), ("B", 2)] and listing["topic_options"] == [("t1", 1), ("t2", 1)]


def test_story_rows_count_claims_from_stored_briefs(tmp_path):
    from rashomon import Store
    from rashomon.web.views import brief_counts

    with Store(tmp_path / "s.db") as store:
        store.put_brief(invented_brief(claims=4), "k")
        counts, topics = brief_counts(store.db)
    assert counts == {"s-ferry": {"agreed": 1, "conflicting": 1, "single_source": 5}}
    assert topics == {"s-ferry": "t-eastwick-ferry"}


def test_story_rows_read_each_stored_brief_once_per_version(tmp_path):
    from rashomon import Store
    from rashomon.web.views import brief_counts

    memo: dict = {}
    with Store(tmp_path / "s.db") as store:
        store.put_brief(invented_brief(claims=4), "k")
        first = brief_counts(store.db, memo)
        stamp = memo["s-ferry"]
        assert brief_counts(store.db, memo) == first and memo["s-ferry"] is stamp  # not read again
        store.put_brief(invented_brief(claims=1), "k2")  # the story's brief rebuilt: read again
        counts, _ = brief_counts(store.db, memo)
    assert counts == brief_counts(Store(tmp_path / "s.db").db)[0]
    assert counts != first[0] and memo["s-ferry"] is not stamp


def test_search_filters_by_outlet_and_date_and_shows_sentences(tmp_path):
    from rashomon import Store
    from rashomon.web import search

    brief = invented_brief()
    with Store(tmp_path / "s.db") as store:
        for a in brief.articles:
            store.add_article(replace(a, published=a.published or "2031-12-01"))
        search.sync_articles(store)
        db = store.db
        everything = search.search(db, "ferry")
        assert {h.ref for h in everything} == {"a1", "a2", "a3"}
        assert [h.ref for h in search.search(db, "ferry", filters=search.Filters(outlet="Coast Post"))] == ["a2"]
        assert {h.ref for h in search.search(db, "ferry", filters=search.Filters(since="2031-10-15"))} == {"a2", "a3"}
        assert {h.ref for h in search.search(db, "ferry", filters=search.Filters(until="2031-10-14"))} == {"a1"}
        assert search.search(db, "ferry", kind="entity", filters=search.Filters(outlet="Coast Post")) == []
        (hit,) = search.search(db, "crossings", filters=search.Filters(outlet="Harbour Gazette"))
    assert hit.snippet_text == "Chair Mira Tollan said the board had approved 12 crossings a week."
    assert [t for t, is_hit in hit.snippet if is_hit] == ["crossings"]


def test_sentence_snippets_cut_long_sentences_around_the_hit():
    from rashomon.web.search import SNIPPET_WORDS, sentence_snippet

    body = "Short one. " + " ".join(f"w{i}" for i in range(100)) + " harbour " + " ".join(f"v{i}" for i in range(50)) + "."
    runs = sentence_snippet(body, ["harbour"])
    text = "".join(t for t, _ in runs)
    assert runs[0] == ("…", False) and runs[-1] == ("…", False) and "harbour" in text
    assert len(text.split()) <= SNIPPET_WORDS + 2
    assert sentence_snippet("The ferries sail.", ["ferry"])[1] == ("ferries", True)
    assert sentence_snippet("Nothing here.", ["harbour"]) == ()


def test_the_web_page_leaves_out_rows_past_the_page_and_the_static_file_keeps_them():
    from rashomon.render.html import render_html
    from rashomon.render.view import EVENTS_PAGE
    from rashomon.web.views import story_view

    brief = invented_brief()
    crowd = tuple(replace(brief.events[0], id=f"x{i:03d}") for i in range(80))
    long = replace(brief, events=crowd)
    page = str(story_view(long)["body"])
    assert page.count('class="event"') == EVENTS_PAGE and 'href="?events=100#timeline"' in page
    assert str(story_view(long, query={"events": "100"})["body"]).count('class="event"') == 80
    assert str(story_view(long, full=True)["body"]).count('class="event"') == 80
    static = render_html([long])
    assert static.count('class="event"') == 80 and static.count('class="event" hidden') == 80 - EVENTS_PAGE
