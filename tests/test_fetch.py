"""Fetching pages: extraction, the store's revisions, politeness, and every hostile case.

All against a local server on 127.0.0.1 (tests/fixtures/live/server.py), so fetchers get
``allow_private=True`` or an ``allow_origins`` policy naming only that server; one test
checks that loopback is refused without it. Nothing here touches the internet.
"""

from __future__ import annotations

import gzip
import importlib.util
import time
import zlib
from pathlib import Path

import httpx
import pytest

from rashomon.ingest.fetch import Fetcher, FetchFailed, FetchLimits, fetch_article, fetch_articles, reextract
from rashomon.ingest.safety import GuardedBackend, UrlPolicy, address_problem, is_url, origins
from rashomon.model import Article, Rejected
from rashomon.store.pages import latest_page, page_revisions, page_urls, superseded_articles
from rashomon.store.sqlite import Store

_spec = importlib.util.spec_from_file_location("live_server", Path(__file__).parent / "fixtures" / "live" / "server.py")
live = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(live)

FAST = FetchLimits(host_interval=0.0, read_timeout=2.0, connect_timeout=2.0)
PUBLIC = "93.184.216.34"  # any global address; only ever returned by fake resolvers, never connected to


@pytest.fixture(scope="module")
def server():
    srv = live.LiveServer()
    srv.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    srv.fixture("/article.html", "article.html")
    yield srv
    srv.close()


@pytest.fixture
def fetcher():
    with Fetcher(allow_private=True, limits=FAST) as f:
        yield f


def only_server(server, **kwargs) -> Fetcher:
    """A fetcher that trusts the test server's origin and nothing else private."""
    policy = UrlPolicy(allow_origins=origins([server.base]), **kwargs)
    return Fetcher(policy=policy, limits=FAST)


# ----------------------------------------------------------------------------- articles


def test_article_is_extracted_without_navigation_ads_or_comments(server, fetcher):
    url = server.url("/article.html")
    article = fetch_article(url, fetcher=fetcher)
    assert isinstance(article, Article), article
    assert article.source == url and article.url == url
    assert article.title == "Harbour bridge in Valemont reopens after two-year repair"
    assert (article.outlet, article.outlet_basis) == ("The Valemont Ledger", "stated")
    assert (article.published, article.published_basis) == ("2023-04-16", "stated")
    assert "Deputy mayor Tobias Wrenfield cut a ribbon" in article.text
    assert "Cyclists will have a separate lane" in article.text
    for noise in ("Zentro kettle", "estate agents", "FinallyHome42", "quaywatcher", "Subscribe today",
                  "newsletter", "All rights reserved"):
        assert noise not in article.text


def test_user_agent_is_honest(server, fetcher):
    server.route("/ua.html", (live.FIXTURES / "article.html").read_bytes())
    fetch_article(server.url("/ua.html"), fetcher=fetcher)
    agents = [h.get("user-agent", "") for p, h in server.requests if p == "/ua.html"]
    assert agents and all(a.startswith("Rashomon/") and "robots.txt" in a for a in agents)


def test_html_is_stored_and_reextracted_without_fetching(server, fetcher):
    url = server.fixture("/kept.html", "article.html")
    store = Store(":memory:")
    first = fetch_article(url, fetcher=fetcher, store=store)
    hits = server.hits("/kept.html")
    stored = latest_page(store, url)
    assert stored is not None and b"Tobias Wrenfield" in stored.html and stored.article_id == first.id
    assert stored.headers["content-type"].startswith("text/html")
    again = reextract(store, url)
    assert again == first
    assert server.hits("/kept.html") == hits
    assert reextract(store, server.url("/never.html")) is None


def test_refetch_is_conditional_and_keeps_one_revision(server, fetcher):
    url = server.fixture("/etag.html", "article.html", headers={"ETag": '"v1"'})
    store = Store(":memory:")
    first = fetch_article(url, fetcher=fetcher, store=store)
    second = fetch_article(url, fetcher=fetcher, store=store)
    assert second == first
    sent = [h for p, h in server.requests if p == "/etag.html"]
    assert sent[-1].get("if-none-match") == '"v1"'
    assert len(page_revisions(store, url)) == 1


def test_changed_page_becomes_a_revision_not_a_duplicate(server, fetcher):
    url = server.fixture("/changing.html", "article.html")
    store = Store(":memory:")
    old = fetch_article(url, fetcher=fetcher, store=store)
    server.fixture("/changing.html", "article_v2.html")
    new = fetch_article(url, fetcher=fetcher, store=store)
    again = fetch_article(url, fetcher=fetcher, store=store)  # unchanged since: no third revision
    assert isinstance(old, Article) and isinstance(new, Article)
    assert "48 million" in old.text and "51 million" in new.text and old.id != new.id
    assert again.id == new.id
    revisions = page_revisions(store, url)
    assert [r.revision for r in revisions] == [1, 2]
    assert [r.article_id for r in revisions] == [old.id, new.id]
    assert page_urls(store).count(url) == 1
    assert superseded_articles(store) == {old.id: new.id}


def test_many_urls_share_one_fetcher(server, fetcher):
    urls = [server.fixture(f"/many{i}.html", f"story{i}.html") for i in (1, 2, 3)]
    results = list(fetch_articles(urls + [server.url("/missing.html")], fetcher=fetcher))
    assert [type(r).__name__ for r in results] == ["Article", "Article", "Article", "Rejected"]
    assert "HTTP 404" in results[-1].reason


# ----------------------------------------------------------------------------- hostile cases


def test_loopback_is_refused_without_allow_private(server):
    server.route("/secret.html", "<html><body><p>internal admin page</p></body></html>")
    result = fetch_article(server.url("/secret.html"))  # default: allow_private=False
    assert isinstance(result, Rejected)
    assert "loopback" in result.reason and "--allow-private" in result.reason
    assert server.hits("/secret.html") == 0
    for url in ("http://localhost/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/",
                "http://metadata.google.internal/", "http://10.1.2.3/", "http://0.0.0.0/"):
        refused = fetch_article(url)
        assert isinstance(refused, Rejected) and "refused" in refused.reason, url


@pytest.mark.parametrize("target, words", [
    ("http://10.0.0.7/admin", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::ffff:127.0.0.1]:9/", "loopback"),
    ("http://internal.test/admin", "resolves to 192.168.1.20"),
    ("file:///etc/passwd", "only http and https"),
])
def test_redirect_to_a_private_address_is_refused(server, target, words):
    path = f"/go{abs(hash(target))}"
    server.route(path, handler=live.redirect(target))
    resolver = {"internal.test": ["192.168.1.20"]}
    with only_server(server, resolver=lambda host, port: resolver[host]) as f:
        result = fetch_article(server.url(path), fetcher=f)
    assert isinstance(result, Rejected)
    assert words in result.reason and "refused" in result.reason


def test_redirects_are_followed_and_limited(server, fetcher):
    server.route("/hop1", handler=live.redirect("/hop2", 301))
    server.route("/hop2", handler=live.redirect(server.url("/article.html"), 308))
    page = fetcher.fetch(server.url("/hop1"))
    assert page.final_url == server.url("/article.html") and len(page.redirects) == 2
    server.route("/loop", handler=live.redirect("/loop"))
    result = fetch_article(server.url("/loop"), fetcher=fetcher)
    assert isinstance(result, Rejected) and "more than 5 redirects" in result.reason


def test_dns_rebinding_is_caught_at_connect_time(server):
    answers = iter([[PUBLIC], ["127.0.0.1"]])  # public when checked, loopback when connecting
    policy = UrlPolicy(resolver=lambda host, port: next(answers))
    with Fetcher(policy=policy, limits=FAST, respect_robots=False) as f:
        result = fetch_article(f"http://rebind.test:{server.port}/article.html", fetcher=f)
    assert isinstance(result, Rejected) and "127.0.0.1 is a loopback address" in result.reason
    assert not any(h.get("host", "").startswith("rebind.test") for _, h in server.requests)


def test_guarded_backend_connects_to_the_vetted_address():
    seen = []

    class Inner:
        def connect_tcp(self, host, port, *args):
            seen.append(host)
            return "stream"

    backend = GuardedBackend(UrlPolicy(resolver=lambda host, port: [PUBLIC]), Inner())
    assert backend.connect_tcp("news.test", 80) == "stream" and seen == [PUBLIC]
    with pytest.raises(Exception, match="loopback"):
        GuardedBackend(UrlPolicy(resolver=lambda h, p: ["127.0.0.1"]), Inner()).connect_tcp("x.test", 80)


def test_a_50_mb_body_is_cut_at_the_cap(server, fetcher):
    server.route("/huge", handler=live.huge_body(50_000_000, declare_length=False))
    server.route("/huge-declared", handler=live.huge_body(50_000_000))
    start = time.monotonic()
    streamed = fetch_article(server.url("/huge"), fetcher=fetcher)
    declared = fetch_article(server.url("/huge-declared"), fetcher=fetcher)
    assert time.monotonic() - start < 10
    assert isinstance(streamed, Rejected) and "over the 5,000,000-byte limit; stopped reading" in streamed.reason
    assert isinstance(declared, Rejected) and "50,000,000 bytes" in declared.reason


def test_a_gzip_bomb_is_cut_after_decompression(server, fetcher):
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * 1_000_000
    bomb = b"".join(squeeze.compress(zeros) for _ in range(50)) + squeeze.flush()
    assert len(bomb) < 200_000
    server.route("/bomb.html", bomb, headers={"Content-Encoding": "gzip"})
    result = fetch_article(server.url("/bomb.html"), fetcher=fetcher)
    assert isinstance(result, Rejected) and "limit" in result.reason
    server.route("/small.gz.html", gzip.compress((live.FIXTURES / "story1.html").read_bytes()),
                 headers={"Content-Encoding": "gzip"})
    assert isinstance(fetch_article(server.url("/small.gz.html"), fetcher=fetcher), Article)


def test_a_slow_server_times_out(server):
    server.route("/slow.html", handler=live.slow(3.0))
    limits = FetchLimits(host_interval=0.0, read_timeout=0.5)
    start = time.monotonic()
    with Fetcher(allow_private=True, limits=limits) as f:
        result = fetch_article(server.url("/slow.html"), fetcher=f)
    assert time.monotonic() - start < 2.5
    assert isinstance(result, Rejected) and "timed out" in result.reason


@pytest.mark.parametrize("content_type, body", [
    ("application/pdf", b"%PDF-1.7 invented"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("application/json", b'{"text": "not a page"}'),
    (None, b"plain words with no markup at all"),
])
def test_non_html_content_is_refused(server, fetcher, content_type, body):
    path = f"/thing{abs(hash((content_type, body)))}"
    server.route(path, body, content_type=content_type)
    result = fetch_article(server.url(path), fetcher=fetcher)
    assert isinstance(result, Rejected)
    assert "refused" in result.reason and ("content type" in result.reason or "does not look like" in result.reason)


def test_robots_txt_is_obeyed(server, fetcher):
    server.route("/private/page.html", (live.FIXTURES / "article.html").read_bytes())
    result = fetch_article(server.url("/private/page.html"), fetcher=fetcher)
    assert isinstance(result, Rejected) and "disallowed by" in result.reason and "robots.txt" in result.reason
    assert server.hits("/private/page.html") == 0


def test_crawl_delay_and_per_host_rate_limit():
    srv = live.LiveServer()
    try:
        srv.route("/robots.txt", "User-agent: Rashomon\nCrawl-delay: 1\n", content_type="text/plain")
        urls = [srv.fixture(f"/s{i}.html", f"story{i}.html") for i in (1, 2, 3)]
        with Fetcher(allow_private=True, limits=FAST) as f:
            start = time.monotonic()
            results = list(fetch_articles(urls, fetcher=f))
            elapsed = time.monotonic() - start
        assert all(isinstance(r, Article) for r in results)
        assert elapsed >= 2.0  # robots.txt, then three pages 1 s apart (Crawl-delay: 1)
    finally:
        srv.close()


def test_server_errors_are_transient_and_429_gives_retry_after(server, fetcher):
    server.routes["/broken"] = lambda h: h.answer(500, b"oops", "text/plain")
    with pytest.raises(FetchFailed) as info:
        fetcher.fetch(server.url("/broken"))
    assert info.value.transient and "HTTP 500" in info.value.reason
    server.routes["/busy"] = lambda h: h.answer(429, b"slow down", "text/plain", {"Retry-After": "120"})
    with pytest.raises(FetchFailed) as info:
        fetcher.fetch(server.url("/busy"))
    assert info.value.transient and info.value.retry_after == 120 and info.value.status == 429
    fetcher.stop_event.set()  # the host now waits 120 s; a stopping fetcher gives up at once
    start = time.monotonic()
    with pytest.raises(FetchFailed, match="stopped before fetching"):
        fetcher.fetch(server.url("/article.html"))
    assert time.monotonic() - start < 1


# ----------------------------------------------------------------------------- the policy and the client


def test_injected_client_with_a_mock_transport():
    page = (live.FIXTURES / "story2.html").read_bytes()

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, content=page, headers={"Content-Type": "text/html; charset=utf-8"})

    client = httpx.Client(transport=httpx.MockTransport(answer))
    policy = UrlPolicy(resolver=lambda host, port: [PUBLIC])
    with Fetcher(client, policy=policy, limits=FAST) as f:
        article = fetch_article("https://news.example/fleet", fetcher=f)
    assert isinstance(article, Article) and article.outlet == "Coastline Courier"
    assert not client.is_closed  # a client passed in is the caller's to close


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.169.254",
                                "100.100.100.200", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:10.0.0.1",
                                "fd00:ec2::254", "224.0.0.1", "2002:7f00:1::1", "64:ff9b::a00:1"])
def test_private_and_special_addresses_are_refused(ip):
    assert address_problem(ip) is not None


@pytest.mark.parametrize("ip", [PUBLIC, "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_pass(ip):
    assert address_problem(ip) is None


def test_is_url():
    assert is_url("https://news.example/a?b=1#c") and is_url("http://127.0.0.1:8080/x")
    for not_url in ("news.example/a", "ftp://x/y", "file:///etc/passwd", "seeds/001.txt", "http://", "",
                    "http://a b/"):
        assert not is_url(not_url), not_url


# ----------------------------------------------------------------------------- deadlines, robots, the guard


def _trickle(head: bytes, body: bytes = b"", *, every: float = 0.25):
    """A handler sending ``head`` (status line and headers) then ``body`` one byte every ``every`` seconds."""

    def handler(h):
        try:
            for byte in head:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
                time.sleep(every if byte == 10 else 0.0)
            for byte in body:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
                time.sleep(every)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        h.close_connection = True

    return handler


def test_headers_sent_a_byte_at_a_time_are_cut_off_by_the_total_deadline(server):
    head = b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Pad-%d: y\r\n" % i for i in range(60)) + \
        b"Content-Type: text/html\r\nContent-Length: 30\r\n\r\n"
    server.route("/slow-headers.html", handler=_trickle(head, every=0.1))  # one header line every 0.1 s: ~6 s
    limits = FetchLimits(host_interval=0.0, read_timeout=1.0, total_timeout=1.5)
    start = time.monotonic()
    with Fetcher(allow_private=True, limits=limits, respect_robots=False) as f:
        result = fetch_article(server.url("/slow-headers.html"), fetcher=f)
    assert time.monotonic() - start < 3.0
    assert isinstance(result, Rejected) and "timed out" in result.reason and "1.5s" in result.reason


def test_a_body_sent_a_byte_at_a_time_is_cut_off(server):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
    server.route("/slow-body.html", handler=_trickle(head, b"<p>" + b"x" * 99_997, every=0.05))
    limits = FetchLimits(host_interval=0.0, read_timeout=1.0, total_timeout=1.5)
    start = time.monotonic()
    with Fetcher(allow_private=True, limits=limits, respect_robots=False) as f:
        result = fetch_article(server.url("/slow-body.html"), fetcher=f)
    assert time.monotonic() - start < 3.0 and isinstance(result, Rejected)


def test_an_endless_body_is_cut_at_the_cap(server, fetcher):
    def endless(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        try:
            while True:
                h.wfile.write(b"<p>" + b"more " * 4000)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass

    server.route("/endless.html", handler=endless)
    result = fetch_article(server.url("/endless.html"), fetcher=fetcher)
    assert isinstance(result, Rejected) and "limit" in result.reason


def test_robots_txt_wildcards_and_the_longest_match_rfc_9309(server):
    srv = live.LiveServer()
    try:
        srv.route("/robots.txt", "User-agent: *\nDisallow: /*?print=\nDisallow: /*.pdf$\nDisallow: /news/\n"
                                 "Allow: /news/open/\n", content_type="text/plain")
        for path in ("/a.html", "/news/open/b.html", "/news/c.html", "/d.html"):
            srv.fixture(path, "story1.html")
        with Fetcher(allow_private=True, limits=FAST) as f:
            outcome = {path: fetch_article(srv.url(path), fetcher=f)
                       for path in ("/a.html", "/a.html?print=1", "/doc.pdf", "/news/c.html", "/news/open/b.html")}
        refused = {p for p, r in outcome.items() if isinstance(r, Rejected) and "robots.txt" in r.reason}
        assert refused == {"/a.html?print=1", "/doc.pdf", "/news/c.html"}
        assert isinstance(outcome["/news/open/b.html"], Article)  # the longer Allow wins
    finally:
        srv.close()


def test_the_guard_holds_when_the_url_check_is_bypassed(server, monkeypatch):
    """The transport vets every connection itself: skipping the URL check still reaches nothing private."""
    monkeypatch.setattr(UrlPolicy, "check", lambda self, url: [])
    server.fixture("/guarded.html", "article.html")
    with Fetcher(limits=FAST, respect_robots=False) as f:
        result = fetch_article(server.url("/guarded.html"), fetcher=f)
    assert isinstance(result, Rejected) and "loopback" in result.reason
    assert server.hits("/guarded.html") == 0


def test_the_guard_does_not_depend_on_httpx_internals(server, monkeypatch):
    """Fails closed: no private attribute of httpx's own transport is needed, so a change
    there cannot silently leave connections unguarded."""
    from rashomon.ingest.safety import guarded_transport

    class Plain(httpx.HTTPTransport):  # an httpx whose transport keeps its pool elsewhere
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.__dict__["_pool_elsewhere"] = self.__dict__.pop("_pool")

        def handle_request(self, request):
            self._pool = self.__dict__["_pool_elsewhere"]
            return super().handle_request(request)

    monkeypatch.setattr(httpx, "HTTPTransport", Plain)
    with httpx.Client(transport=guarded_transport(UrlPolicy())) as client:
        with pytest.raises(Exception, match="loopback"):
            client.get(server.url("/article.html"))
