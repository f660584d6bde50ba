"""The web app and HTTP API in-process (FastAPI's TestClient): every endpoint, every error.

The seeds are ingested once into a temporary store; uploads use invented articles.
"""

from __future__ import annotations

import json
import re

import pytest

from .conftest import ROOT, all_spans, need

fastapi = pytest.importorskip("fastapi")

ERROR_KEYS = {"status", "code", "message"}
INVENTED = ("Lighthouse keepers vote to keep the Skerry lamp lit\n\n"
            "The lighthouse keepers of Skerryvale voted on Monday to keep the old lamp lit through the winter, "
            "keeper Anna Brodsgaard said. \"We will not let the light go out,\" she told the Skerryvale Gazette. "
            "The council had proposed an electric beacon at a cost of 40,000 crowns.\n")


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, body
    assert body["error"]["status"] == status and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    assert "default-src 'none'" in response.headers["content-security-policy"]
    return body["error"]


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    from fastapi.testclient import TestClient

    from rashomon import Store
    from rashomon.pipeline import ingest, quiet_libraries
    from rashomon.web.app import create_app

    quiet_libraries()
    seeds = need(ROOT.parent / "shared" / "seeds")
    db = tmp_path_factory.mktemp("webapi") / "web.db"
    with Store(db) as store:
        ingest([str(seeds)], store)
    app = create_app(str(db))
    app.state.library.warm()  # what `serve` does: the worker builds every brief in the background
    assert app.state.library.worker.wait_idle(600)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client


def settled(web, path: str, seconds: float = 300, **kwargs):
    """GET ``path`` until it is no longer 202 (a brief or an upload on its way)."""
    import time

    deadline = time.time() + seconds
    while True:
        response = web.get(path, **kwargs)
        if response.status_code != 202 or time.time() > deadline:
            return response
        time.sleep(0.2)


def upload_ready(web, row: dict, seconds: float = 300) -> dict:
    """Poll an uploaded article's API document until the worker has analysed and grouped it."""
    import time

    deadline = time.time() + seconds
    while True:
        doc = web.get(row["links"]["api"]).json()
        if doc["status"]["stage"] in ("ready", "failed") or time.time() > deadline:
            return doc
        time.sleep(0.2)


@pytest.fixture(scope="module")
def story(web) -> dict:
    stories = web.get("/api/stories").json()["stories"]
    return max(stories, key=lambda s: s["articles"])


def counts(web) -> tuple[int, int]:
    store = web.app.state.library.store()
    return store.article_count(), len(store.rejected())


# ----------------------------------------------------------------------------- reading


def test_story_list_page_and_api(web, story):
    assert story["articles"] == 5 and story["independent_outlets"] == 5
    assert {"MENAFN", "Pravda.Ru"} <= set(story["outlets"]) and story["unnamed_outlets"] == 3
    assert story["first"] and story["title"]
    web.get(story["links"]["api"])  # builds the brief: the list now carries its first summary sentence
    (again,) = [s for s in web.get("/api/stories").json()["stories"] if s["id"] == story["id"]]
    assert again["summary"]
    page = web.get("/")
    assert page.status_code == 200 and story["links"]["page"] in page.text


def test_story_api_is_the_brief_document(web, story, schema):
    jsonschema = pytest.importorskip("jsonschema")
    doc = web.get(story["links"]["api"]).json()
    assert doc["format"] == "rashomon.brief/1" and doc["id"] == story["id"]
    jsonschema.validate({"format": "rashomon.briefs/1", "stories": [doc], "rejected": []}, schema)
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    for span in all_spans(doc):
        assert texts[span["article"]][span["start"]:span["end"]] == span["text"]


def test_story_api_sends_coverage_as_lists_and_the_matrix_on_request(web, story, schema):
    from rashomon.render.jsonout import coverage_matrix

    jsonschema = pytest.importorskip("jsonschema")
    compact = web.get(story["links"]["api"]).json()
    full = web.get(story["links"]["api"], params={"coverage": "full"}).json()
    assert "coverage" not in compact and "coverage_lists" not in full
    for doc in (compact, full):
        jsonschema.validate({"format": "rashomon.briefs/1", "stories": [doc], "rejected": []}, schema)
    lists, matrix = compact.pop("coverage_lists"), full.pop("coverage")
    assert compact == full  # nothing else differs
    assert matrix["claims"] and coverage_matrix(lists) == matrix
    for row, reports, contradicts in zip(matrix["matrix"], lists["reports"], lists["contradicts"]):
        assert {i for i, cell in enumerate(row) if cell != "silent"} == set(reports) | set(contradicts)
    assert web.get(story["links"]["api"], params={"coverage": "cells"}).status_code == 422


def test_story_page_shows_every_part_and_links_every_citation(web, story):
    doc = web.get(story["links"]["api"]).json()
    html = web.get(story["links"]["page"]).text
    for section in ("summary", "timeline", "statements", "claims", "coverage", "entities", "framing", "articles"):
        assert f'id="{section}"' in html
    hrefs = set(re.findall(r'href="(/articles/[0-9a-f]+\?span=\d+-\d+#hl)"', html))
    for sentence in doc["summary"]:
        for c in sentence["citations"]:
            assert f"/articles/{c['article']}?span={c['start']}-{c['end']}#hl" in hrefs
    assert "Ushakov" in html and "via TASS" in html
    for variant in ("Pravda.Ru", "MENAFN"):
        assert variant in html
    removed = [r for a in doc["articles"] for r in a["removed"]]
    assert removed and all((r.get("furniture") or r["kind"]) in html for r in removed)


def test_citation_lands_on_its_words(web, story):
    doc = web.get(story["links"]["api"]).json()
    c = doc["summary"][0]["citations"][0]
    for path in (f"/articles/{c['article']}", f"/articles/{c['article']}/text"):
        html = web.get(path, params={"span": f"{c['start']}-{c['end']}"}).text
        marked = "".join(re.findall(r'<mark class="hl[^"]*"[^>]*>(.*?)</mark>', html, flags=re.S))
        import html as html_lib

        assert html_lib.unescape(marked) == c["text"]
        assert 'id="hl"' in html


def test_article_api_and_page(web, story):
    doc = web.get(story["links"]["api"]).json()
    article_id = doc["articles"][0]["id"]
    data = web.get(f"/api/articles/{article_id}").json()
    assert data["format"] == "rashomon.analysis/1" and data["story"] == story["id"]
    assert data["article"]["id"] == article_id and data["entities"] and data["quotes"]
    page = web.get(f"/articles/{article_id}").text
    assert "k-entity" in page and "k-quote" in page and "k-time" in page


def test_search_api_and_page(web, story):
    results = web.get("/api/search", params={"q": "Ushakov"}).json()["results"]
    assert {"article", "statement", "entity"} <= {r["kind"] for r in results}
    assert all(r["story"] == story["id"] for r in results)
    only = web.get("/api/search", params={"q": "Ushakov", "kind": "entity"}).json()["results"]
    assert only and {r["kind"] for r in only} == {"entity"}
    assert web.get("/api/search", params={"q": "Witk"}).json()["results"], "the last word is a prefix"
    assert web.get("/api/search", params={"q": '"(* NEAR OR'}).status_code == 200  # never FTS5 syntax
    page = web.get("/search", params={"q": "Ushakov"}).text
    assert "<mark>Ushakov</mark>" in page


def test_docs_and_openapi(web):
    spec = web.get("/openapi.json").json()
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search",
                 "/api/articles"):
        assert path in spec["paths"], path
    assert "application/json" in spec["paths"]["/api/articles"]["post"]["requestBody"]["content"]
    docs = web.get("/docs")
    assert docs.status_code == 200 and "/api/stories/{story_id}" in docs.text


def test_pages_hold_no_inline_script_or_style(web, story):
    doc = web.get(story["links"]["api"]).json()
    pages = ["/", story["links"]["page"], f"/articles/{doc['articles'][0]['id']}", "/search?q=Putin", "/docs",
             "/stories/nope"]
    for path in pages:
        response = web.get(path)
        html = response.text
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], path
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), path
        assert not re.search(r"<[^>]+\sstyle\s*=", html) and "<style" not in html, path
    assert web.get("/static/app.js").status_code == 200


# ----------------------------------------------------------------------------- errors


def test_unknown_ids_are_404_in_the_error_shape(web):
    assert_error(web.get("/api/stories/s0000"), 404, "not_found")
    assert_error(web.get("/api/articles/0000"), 404, "not_found")
    assert_error(web.get("/api/no-such-endpoint"), 404, "not_found")
    page = web.get("/stories/s0000")
    assert page.status_code == 404 and 'data-code="not_found"' in page.text
    assert web.get("/articles/0000").status_code == 404


def test_bad_requests_use_the_error_shape(web, story):
    doc = web.get(story["links"]["api"]).json()
    assert_error(web.get("/api/search"), 422, "invalid_input")
    assert_error(web.get("/api/search", params={"q": "x", "kind": "poem"}), 422, "invalid_input")
    assert_error(web.get("/api/search", params={"q": "x", "limit": 0}), 422, "invalid_input")
    assert_error(web.post("/api/stories"), 405, "method_not_allowed")
    bad_span = web.get(f"/articles/{doc['articles'][0]['id']}", params={"span": "50-10"},
                       headers={"accept": "application/json"})
    assert_error(bad_span, 422, "invalid_input")


@pytest.mark.parametrize("make", [
    lambda: {"content": b"{not json", "headers": {"content-type": "application/json"}},
    lambda: {"json": {"title": "no text"}},
    lambda: {"json": {"text": "   "}},
    lambda: {"json": ["a list", "not a record"]},
    lambda: {"content": b"text=hello", "headers": {"content-type": "application/x-www-form-urlencoded"}},
    lambda: {"files": {"file": ("paper.pdf", b"%PDF-1.4 ...", "application/pdf")}},
    lambda: {"files": {"file": ("picture.txt", b"GIF89a\x00\x00\x01", "text/plain")}},
    lambda: {"files": {"file": ("photo.txt", b"hello", "image/png")}},
    lambda: {"files": {"file": ("latin1.txt", "Caf\u00e9 au lait".encode("latin-1"), "text/plain")}},
    lambda: {"files": {"file": ("two.jsonl", b'{"text": "One fine line."}\n{"title": "no text"}\n',
                                "application/octet-stream")}},
    lambda: {"files": {"other": ("a.txt", b"words", "text/plain")}},
], ids=["bad-json", "no-text", "blank-text", "not-an-object", "form-encoded", "pdf", "binary",
        "image-type", "not-utf8", "jsonl-with-a-bad-line", "no-file-field"])
def test_malformed_uploads_are_4xx_and_store_nothing(web, make):
    before = counts(web)
    response = web.post("/api/articles", **make())
    assert 400 <= response.status_code < 500
    assert_error(response, response.status_code)
    assert counts(web) == before


def test_oversize_uploads_are_413_and_store_nothing(web):
    from rashomon.web.app import MAX_UPLOAD_BYTES

    before = counts(web)
    big = "word " * (MAX_UPLOAD_BYTES // 5 + 20_000)
    assert_error(web.post("/api/articles", json={"text": big}), 413, "too_large")
    assert_error(web.post("/api/articles", files={"file": ("big.txt", big.encode(), "text/plain")}), 413)
    page = web.post("/upload", files={"file": ("big.txt", big.encode(), "text/plain")})
    assert page.status_code == 413 and "too_large" in page.text
    assert counts(web) == before


# ----------------------------------------------------------------------------- adding


def test_post_a_record_then_read_it_everywhere(web):
    stories_before = {s["id"] for s in web.get("/api/stories").json()["stories"]}
    response = web.post("/api/articles", json={"text": INVENTED.split("\n\n", 1)[1], "title": INVENTED.split("\n")[0],
                                                "outlet": "Skerryvale Gazette", "published": "2031-10-06",
                                                "id": "skerry-1"})
    assert response.status_code == 202, response.text
    (row,) = response.json()["articles"]
    assert row["added"] and row["status"] == "queued" and row["outlet"] == "Skerryvale Gazette"
    assert row["published"] == "2031-10-06"
    doc = upload_ready(web, row)
    assert doc["status"]["stage"] == "ready" and doc["story"], doc["status"]
    row["story"] = doc["story"]
    stories = web.get("/api/stories").json()["stories"]
    assert stories[0]["id"] == row["story"], "the newest story comes first"
    assert row["story"] not in stories_before
    brief = settled(web, f"/api/stories/{row['story']}").json()
    assert [a["id"] for a in brief["articles"]] == [row["id"]]
    assert web.get(row["links"]["api"]).json()["article"]["source"] == "api#skerry-1"
    hits = web.get("/api/search", params={"q": "Brodsgaard"}).json()["results"]
    assert {"article", "entity"} <= {h["kind"] for h in hits}
    again = web.post("/api/articles", json={"text": INVENTED.split("\n\n", 1)[1], "title": INVENTED.split("\n")[0],
                                             "outlet": "Skerryvale Gazette", "published": "2031-10-06"})
    assert again.status_code == 202
    (again_row,) = again.json()["articles"]
    assert again_row["added"] is False and again_row["status"] == "ready" and again_row["story"] == row["story"]


def test_browser_upload_redirects_to_the_story(web):
    text = ("Skerryvale council drops the electric beacon plan\n\n"
            "The Skerryvale council dropped its plan for an electric beacon on Tuesday after the lighthouse keepers "
            "voted to keep the old lamp lit, councillor Per Ostrand said. The beacon would have cost 40,000 crowns.\n"
            "A reader sent <script>alert('x')</script> to the council.\n")
    response = web.post("/upload", files={"file": ("council.txt", text.encode(), "text/plain")},
                        follow_redirects=False)
    assert response.status_code == 303
    landing = response.headers["location"]
    assert landing.startswith("/added/")
    target = settled(web, landing, follow_redirects=False).headers["location"]
    assert target.startswith("/stories/") and "?added=" in target
    page = settled(web, target)
    assert page.status_code == 200 and 'id="added"' in page.text and "was added" in page.text
    article_id = target.split("?added=")[1]
    again = web.post("/upload", files={"file": ("council.txt", text.encode(), "text/plain")},
                     follow_redirects=False)
    assert again.headers["location"] == f"/added/{article_id}?already=true"
    page = web.get(again.headers["location"])  # analysed already: straight to its story
    assert page.status_code == 200 and "already stored" in page.text and "was added" not in page.text
    html = web.get(f"/articles/{article_id}").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html and "<script>alert" not in html


def test_jsonl_upload_adds_every_record(web):
    lines = [json.dumps({"text": f"The Skerryvale ferry ran {n} extra crossings on Sunday, the harbour master said.",
                         "title": f"Ferry note {n}", "id": f"ferry-{n}"}) for n in (3, 4)]
    response = web.post("/api/articles", files={"file": ("notes.jsonl", "\n".join(lines).encode(),
                                                         "application/x-ndjson")})
    assert response.status_code == 202, response.text
    rows = response.json()["articles"]
    assert len(rows) == 2
    assert all(upload_ready(web, row)["status"]["stage"] == "ready" for row in rows)


def test_long_stories_are_cut_with_a_link_to_everything():
    from rashomon.model import Article, Brief, Claim, Span
    from rashomon.web import views

    text = "A claim. " * 300
    article = Article(id="a1", source="a.txt", text=text)
    claims = tuple(Claim(id=f"c{i:03d}", text="A claim.", status="single_source",
                         support=(Span.of("a1", text, 9 * i, 9 * i + 8),), conflicts=(), articles=("a1",))
                   for i in range(views.PAGE_ROWS + 50))
    brief = Brief(id="s1", title="t", articles=(article,), entities=(), statements=(), events=(), claims=claims,
                  summary=(), coverage={"articles": ["a1"], "claims": [c.id for c in claims],
                                        "matrix": [["reports"] for _ in claims]})
    short = views.story_view(brief)
    assert short["cut"] and len(short["claims"]) == views.PAGE_ROWS
    assert len(short["coverage"]["rows"]) == views.PAGE_ROWS
    everything = views.story_view(brief, full=True)
    assert not everything["cut"] and len(everything["claims"]) == views.PAGE_ROWS + 50


# ----------------------------------------------------------------------------- the background worker


def _blocked(monkeypatch, worker, name: str):
    """Hold the worker inside its ``name`` step until the returned event is set; record which
    threads ran the step."""
    import threading

    gate, threads = threading.Event(), []
    original = getattr(worker, name)

    def held(*args, **kwargs):
        threads.append(threading.current_thread().name)
        assert gate.wait(120), "the test never released the worker"
        return original(*args, **kwargs)

    monkeypatch.setattr(worker, name, held)
    return gate, threads


def test_upload_answers_at_once_while_the_worker_is_busy(web, story, monkeypatch):
    import time

    worker = web.app.state.library.worker
    gate, threads = _blocked(monkeypatch, worker, "_analyse")
    try:
        started = time.perf_counter()
        response = web.post("/api/articles", json={
            "text": "The Skerryvale ferry will stop at Holm island from March, the harbour master said on Friday. "
                    "\"The island asked for it for years,\" she said.", "title": "Ferry to stop at Holm"})
        elapsed = time.perf_counter() - started
        assert response.status_code == 202 and elapsed < 5, (response.status_code, elapsed)
        (row,) = response.json()["articles"]
        assert row["status"] == "queued" and row["story"] is None
        time.sleep(0.3)
        doc = web.get(row["links"]["api"]).json()
        assert doc["status"]["stage"] in ("queued", "analysing") and doc["story"] is None
        # readers are not held up by the pending analysis
        assert web.get("/api/stories").status_code == 200
        assert web.get(story["links"]["page"]).status_code == 200
        landing = web.get(f"/added/{row['id']}")
        assert landing.status_code == 202 and 'id="building"' in landing.text
        assert 'http-equiv="refresh"' in landing.text
    finally:
        gate.set()
    doc = upload_ready(web, row)
    assert doc["status"]["stage"] == "ready" and doc["story"]
    assert threads == ["rashomon-worker"]


def test_a_story_being_built_answers_202_with_progress_then_its_brief(web, story, monkeypatch):
    library = web.app.state.library
    gate, threads = _blocked(monkeypatch, library.worker, "brief_for")
    with library._memo_lock:
        library._briefs.pop(story["id"], None)
    try:
        api = web.get(story["links"]["api"])
        assert api.status_code == 202 and api.headers["retry-after"]
        body = api.json()
        assert body["status"] == "building" and body["id"] == story["id"]
        assert body["progress"]["stage"] in ("queued", "loading")
        page = web.get(story["links"]["page"])
        assert page.status_code == 202 and 'id="building"' in page.text and 'http-equiv="refresh"' in page.text
        assert "<progress" in page.text
    finally:
        gate.set()
    assert settled(web, story["links"]["api"]).status_code == 200
    assert settled(web, story["links"]["page"]).status_code == 200
    assert threads and set(threads) == {"rashomon-worker"}, "a brief was built inside a request"


def test_story_responses_are_compressed_and_revalidated(web, story):
    from fastapi.testclient import TestClient

    plain = web.get(story["links"]["api"], headers={"accept-encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    for encoding in ("zstd", "gzip"):
        packed = web.get(story["links"]["api"], headers={"accept-encoding": encoding})
        assert packed.headers["content-encoding"] == encoding
        data = packed.content
        if encoding == "zstd" and not data.startswith(b"{"):  # a client without zstd support
            import zstandard

            data = zstandard.ZstdDecompressor().decompress(data)
        assert json.loads(data) == plain.json()
    etag = plain.headers["etag"]
    assert web.get(story["links"]["api"], headers={"if-none-match": etag}).status_code == 304
    page = web.get(story["links"]["page"])
    assert web.get(story["links"]["page"], headers={"if-none-match": page.headers["etag"]}).status_code == 304
    with TestClient(web.app, base_url="http://127.0.0.1", client=("127.0.0.1", 50000)) as local:
        for encoding in ("gzip", "zstd", "gzip, deflate, zstd"):
            near = local.get(story["links"]["api"], headers={"accept-encoding": encoding})
            assert near.status_code == 200 and "content-encoding" not in near.headers  # loopback: plain is faster
            assert near.json() == plain.json()


def test_large_plain_bodies_are_sent_in_chunks():
    import asyncio

    from starlette.requests import Request

    from rashomon.web.app import STREAM_CHUNK, Encoded, negotiated

    body = Encoded(b'{"x": "' + b"y" * (3 * STREAM_CHUNK) + b'"}')
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [(b"accept-encoding", b"identity")],
             "client": ("127.0.0.1", 1), "query_string": b""}
    response = negotiated(Request(scope), body, "application/json")
    sent = []

    async def run() -> None:
        done = asyncio.Event()

        async def send(message):
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        async def receive():  # the client stays until the whole body is sent, then goes
            await done.wait()
            return {"type": "http.disconnect"}

        await asyncio.wait_for(response(scope, receive, send), timeout=30)

    asyncio.run(run())
    chunks = [m["body"] for m in sent if m["type"] == "http.response.body" and m.get("body")]
    assert len(chunks) == 4 and b"".join(chunks) == body.raw
    assert dict(sent[0]["headers"])[b"content-length"] == str(len(body.raw)).encode()


def test_a_changed_story_serves_its_previous_brief_while_rebuilt(web, story, monkeypatch):
    library = web.app.state.library
    fresh = settled(web, story["links"]["api"])
    assert fresh.headers["rashomon-brief"] == "current"
    gate, threads = _blocked(monkeypatch, library.worker, "brief_for")
    with library._memo_lock:  # as if an article had joined the story since its brief was built
        sig, brief = library._briefs[story["id"]]
        library._briefs[story["id"]] = (sig[:-1], brief)
    try:
        stale = web.get(story["links"]["api"])
        assert stale.status_code == 200 and stale.headers["rashomon-brief"] == "updating"
        assert web.get(story["links"]["page"]).headers["rashomon-brief"] == "updating"
        # a reader waiting for the article the old brief lacks sees the building page instead
        missing = sig[-1][0]
        assert web.get(story["links"]["page"], params={"added": missing}).status_code == 202
    finally:
        gate.set()
    assert library.worker.wait_idle(300)
    assert web.get(story["links"]["api"]).headers["rashomon-brief"] == "current"
    assert threads == ["rashomon-worker"]
