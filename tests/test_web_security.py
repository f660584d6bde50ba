"""The web app's trust boundary and its answers to hostile input (no NLP models needed).

Every case here failed before security.Guard: any Host was served, a cross-site form post was
stored, a ``javascript:`` url became a link, and a deeply nested JSON body, a lone surrogate,
a 5,000-digit ``span=`` or ``Content-Length`` were 500s that also closed the connection.
Articles are invented and put into the store directly (no analysis).
"""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest

pytest.importorskip("fastapi")

ERROR_KEYS = {"status", "code", "message"}
STORY = "s-sec-1"


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text[:500]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, body
    assert body["error"]["status"] == status and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code, body
    assert "default-src 'none'" in response.headers["content-security-policy"]
    return body["error"]


def invented(n: int, url: str | None) -> "object":
    from rashomon.ingest.files import article_from_record

    return article_from_record({"text": f"The Lowmere ferry ran {n} extra crossings on Sunday, the harbour "
                                        "master said. Passengers waited an hour in the rain.",
                                "title": f"Ferry note {n}", "url": url, "outlet": "Lowmere Post"},
                               source=f"invented-{n}")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """An app over a store of two invented articles in one story whose brief is in memory."""
    from fastapi.testclient import TestClient

    from rashomon import Store
    from rashomon.model import Brief
    from rashomon.web.app import create_app

    db = tmp_path_factory.mktemp("websec") / "web.db"
    hostile, fine = invented(1, "javascript:alert(1)"), invented(2, "https://lowmere.example/ferry")
    with Store(db) as store:
        for article in (hostile, fine):
            store.add_article(article)
            store.set_assignment(article.id, STORY, None, None)
    app = create_app(str(db))
    library = app.state.library
    brief = Brief(id=STORY, title="Ferry notes", articles=(hostile, fine), entities=(), statements=(), events=(),
                  claims=(), summary=(), coverage={"articles": [hostile.id, fine.id], "claims": [], "matrix": []})
    library.remember(STORY, library.signature(STORY), brief)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield {"client": client, "hostile": hostile, "fine": fine, "db": db}


def counts(client) -> int:
    return client.app.state.library.store().article_count()


# ----------------------------------------------------------------------------- hosts


def test_unknown_host_is_refused_in_the_error_shape(site):
    web = site["client"]
    assert_error(web.get("/api/stories", headers={"host": "rebind.attacker.example"}), 400, "untrusted_host")
    page = web.get("/", headers={"host": "rebind.attacker.example:8000"})
    assert page.status_code == 400 and 'data-code="untrusted_host"' in page.text
    for host in ("127.0.0.1:8000", "localhost", "LOCALHOST:80", "[::1]:8000"):
        assert web.get("/api/stories", headers={"host": host}).status_code == 200, host


def test_allowed_hosts_are_configurable(tmp_path):
    from fastapi.testclient import TestClient

    from rashomon.web.app import create_app
    from rashomon.web.security import host_allowed
    from rashomon.web.serve import allowed_hosts

    app = create_app(str(tmp_path / "h.db"), allowed_hosts=("news.example", "*.desk.example"))
    with TestClient(app, base_url="http://news.example") as web:
        assert web.get("/api/stories").status_code == 200
        assert web.get("/api/stories", headers={"host": "a.desk.example"}).status_code == 200
        assert_error(web.get("/api/stories", headers={"host": "127.0.0.1"}), 400, "untrusted_host")
        assert_error(web.get("/api/stories", headers={"host": "desk.example.evil"}), 400, "untrusted_host")
    assert allowed_hosts("127.0.0.1") == ("127.0.0.1", "localhost", "::1")
    assert "news.example" in allowed_hosts("0.0.0.0", ["news.example"])
    assert "0.0.0.0" not in allowed_hosts("0.0.0.0")
    assert "10.1.2.3" in allowed_hosts("10.1.2.3")
    assert not host_allowed("", ("127.0.0.1",))


def test_serve_command_takes_allow_host():
    from typer.testing import CliRunner

    from rashomon.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--allow-host" in result.output


# ----------------------------------------------------------------------------- cross-site requests


@pytest.mark.parametrize("headers", [
    {"origin": "https://attacker.example"},
    {"origin": "null"},
    {"origin": "null", "sec-fetch-site": "cross-site"},
    {"origin": "http://127.0.0.1:9999"},
    {"sec-fetch-site": "cross-site"},
    {"referer": "https://attacker.example/page.html"},
], ids=["other-origin", "null-origin", "null-origin-cross-site", "other-port", "sec-fetch-site", "referer"])
def test_cross_site_posts_are_refused_and_store_nothing(site, headers):
    web = site["client"]
    before = counts(web)
    upload = web.post("/upload", files={"file": ("note.txt", b"A short invented note about the ferry.", "text/plain")},
                      headers={"accept": "application/json", **headers}, follow_redirects=False)
    assert_error(upload, 403, "cross_site_request")
    api = web.post("/api/articles", json={"text": "A short invented note about the ferry."}, headers=headers)
    assert_error(api, 403, "cross_site_request")
    assert counts(web) == before


def test_same_origin_and_scripted_posts_pass_the_check(site):
    web = site["client"]
    # an unsupported file: past the origin check, refused for its type (nothing analysed)
    for headers in ({"origin": "http://127.0.0.1"}, {"sec-fetch-site": "same-origin"}, {},
                    {"origin": "null", "sec-fetch-site": "same-origin"}):
        response = web.post("/api/articles", files={"file": ("paper.pdf", b"%PDF-1.4", "application/pdf")},
                            headers=headers)
        assert_error(response, 415, "unsupported_type")


# ----------------------------------------------------------------------------- links


def test_pages_send_a_referrer_policy_that_keeps_form_origins():
    from rashomon.web.security import SECURITY_HEADERS

    # "no-referrer" makes browsers send Origin: null with the app's own form posts
    assert SECURITY_HEADERS["referrer-policy"] == "same-origin"


def test_only_http_urls_become_links():
    from rashomon.web.security import link_url

    assert link_url("https://lowmere.example/a?b=1") == "https://lowmere.example/a?b=1"
    assert link_url("http://lowmere.example") == "http://lowmere.example"
    for bad in ("javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                "data:text/html,<script>alert(1)</script>", "vbscript:msgbox", "file:///etc/passwd",
                "//attacker.example/x", "https:", "http://", None, 42, "/articles/x"):
        assert link_url(bad) is None, bad


def test_javascript_url_is_text_on_story_and_article_pages(site):
    web, hostile, fine = site["client"], site["hostile"], site["fine"]
    story = web.get(f"/stories/{STORY}")
    assert story.status_code == 200, story.text[:300]
    assert 'href="javascript:' not in story.text.lower()
    assert 'href="https://lowmere.example/ferry"' in story.text
    article = web.get(f"/articles/{hostile.id}")
    assert article.status_code == 200
    assert 'href="javascript:' not in article.text.lower() and "javascript:alert(1)" in article.text
    assert 'href="https://lowmere.example/ferry"' in web.get(f"/articles/{fine.id}").text


# ----------------------------------------------------------------------------- hostile bodies and queries


def test_deeply_nested_json_is_422(site):
    web = site["client"]
    before = counts(web)
    for body in (b"[" * 100_000, b'{"text": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", b'{"a":' * 20_000):
        assert_error(web.post("/api/articles", content=body, headers={"content-type": "application/json"}), 422,
                     "invalid_input")
    nested = b'{"text": "A ferry note.", "extra": ' + b"[" * 5_000 + b"]" * 5_000 + b"}\n"
    for name in ("deep.json", "deep.jsonl"):
        assert_error(web.post("/api/articles", files={"file": (name, nested, "application/json")}), 422)
    page = web.post("/upload", files={"file": ("deep.json", nested, "application/json")})
    assert page.status_code == 422 and 'data-code="invalid_input"' in page.text
    assert counts(web) == before


def test_json_depth_counts_brackets_outside_strings():
    from rashomon.web.security import json_depth, parse_json

    assert json_depth('{"text": "[[[[[[ {{{{ \\" ]]"}') == 1
    assert json_depth("[[1, [2]], {}]") == 3
    assert parse_json('[{"text": "x"}]') == [{"text": "x"}]


def test_lone_surrogates_are_422(site):
    web = site["client"]
    before = counts(web)
    for body in (b'{"text": "The ferry \\ud800 ran late."}', b'{"text": "ok", "title": "\\udfff"}',
                 b'{"text": "ok", "\\ud83d": 1}'):
        error = assert_error(web.post("/api/articles", content=body, headers={"content-type": "application/json"}),
                             422, "invalid_input")
        assert "surrogate" in error["message"]
    line = b'{"text": "The ferry \\ud800 ran late."}\n'
    assert_error(web.post("/api/articles", files={"file": ("s.jsonl", line, "application/x-ndjson")}), 422)
    assert counts(web) == before
    from rashomon.web.security import parse_json

    pair = parse_json('{"text": "A pair \\ud83d\\ude00 is a character."}')["text"]
    assert pair == "A pair \U0001F600 is a character."


def test_huge_numbers_in_queries_and_headers_are_4xx(site):
    web, hostile = site["client"], site["hostile"]
    digits = "9" * 5000
    for path in (f"/articles/{hostile.id}", f"/articles/{hostile.id}/text"):
        assert_error(web.get(path, params={"span": f"{digits}-{digits}1"}, headers={"accept": "application/json"}),
                     422, "invalid_input")
        assert web.get(path, params={"span": f"{digits}-{digits}1"}).status_code == 422
    assert_error(web.get("/api/search", params={"q": "ferry", "limit": digits}), 422, "invalid_input")
    assert web.get(f"/articles/{hostile.id}", params={"span": "0-3"}).status_code == 200
    huge = web.post("/api/articles", content=b"{}", headers={"content-type": "application/json",
                                                             "content-length": digits})
    assert_error(huge, 413, "too_large")


def test_total_request_size_is_capped_on_every_route(site):
    from rashomon.web.security import MAX_REQUEST_BYTES

    web = site["client"]
    big = b"x" * (MAX_REQUEST_BYTES + 1)
    for path in ("/api/articles", "/upload", "/api/stories", "/search"):
        assert_error(web.post(path, content=big, headers={"content-type": "application/json",
                                                          "accept": "application/json"}), 413, "too_large")

    def chunks():  # no Content-Length: counted as it is read
        for _ in range(MAX_REQUEST_BYTES // 65536 + 2):
            yield b"x" * 65536

    assert_error(web.post("/api/articles", content=chunks(), headers={"content-type": "application/json"}), 413)


# ----------------------------------------------------------------------------- over a real socket


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live(site):
    import uvicorn

    port = _free_port()
    app = site["client"].app

    @app.get("/_test/boom", include_in_schema=False)
    def boom():  # an unexpected failure inside a route
        raise RuntimeError("invented failure")

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        assert time.time() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def test_errors_keep_the_connection_alive(live, site):
    conn = http.client.HTTPConnection("127.0.0.1", live, timeout=30)
    hostile = site["hostile"]
    cases = [
        ("POST", "/api/articles", b"[" * 100_000, 422),
        ("POST", "/api/articles", b'{"text": "The ferry \\ud800 ran late."}', 422),
        ("GET", f"/articles/{hostile.id}?span={'9' * 5000}-{'9' * 5001}", None, 422),
        ("GET", "/_test/boom", None, 500),
        ("GET", "/api/stories", None, 200),
    ]
    sock = None
    for method, path, body, status in cases:
        headers = {"content-type": "application/json", "accept": "application/json"} if body else \
            {"accept": "application/json"}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        assert response.status == status, (path[:40], response.status, data[:200])
        assert (response.getheader("connection") or "").lower() != "close", path[:40]
        if status >= 400:
            import json

            assert set(json.loads(data)["error"]) == ERROR_KEYS
        assert conn.sock is not None, f"the server closed the connection after {path[:40]}"
        sock = sock or conn.sock
        assert conn.sock is sock, "a new connection was opened"
    conn.close()
