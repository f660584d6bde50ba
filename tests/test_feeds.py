"""Feed parsing: RSS and Atom items, and no entity expansion whatever the feed declares."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

from rashomon.ingest.feeds import Feed, parse_feed, unsafe_xml
from rashomon.ingest.fetch import Fetcher, FetchFailed, FetchLimits
from rashomon.model import Rejected

_spec = importlib.util.spec_from_file_location("live_server", Path(__file__).parent / "fixtures" / "live" / "server.py")
live = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(live)

FIXTURES = live.FIXTURES
URL = "http://feeds.example/valemont.xml"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize("name", ["billion_laughs.xml", "xxe.xml", "broken_laughs.xml"])
def test_entity_declarations_are_refused(name):
    start = time.monotonic()
    result = parse_feed(fixture(name), url=URL)
    assert time.monotonic() - start < 1
    assert isinstance(result, Rejected) and result.source == URL
    assert "entit" in result.reason and "refused" in result.reason and "billion-laughs" in result.reason


def test_billion_laughs_in_utf16_is_refused_too():
    text = fixture("billion_laughs.xml").decode("utf-8").replace('encoding="utf-8"', 'encoding="utf-16"')
    for data in (text.encode("utf-16"), text.encode("utf-16-le")):
        result = parse_feed(data, url=URL)
        assert isinstance(result, Rejected) and "entit" in result.reason


def test_a_harmless_doctype_is_read():
    feed = parse_feed(fixture("rss_netscape.xml"), url=URL)
    assert isinstance(feed, Feed)
    assert feed.title == "Orsin Daily \u2013 old style"
    assert [e.link for e in feed.entries] == ["http://127.0.0.1/story1.html"]
    assert unsafe_xml(fixture("rss_netscape.xml")) is None


def test_atom_items_links_ids_and_dates():
    feed = parse_feed(fixture("atom.xml"), url="http://127.0.0.1:8123/feeds/atom.xml")
    assert isinstance(feed, Feed) and feed.title == "Valemont Evening Post - Local"
    first, second, podcast = feed.entries
    assert first.link == "http://127.0.0.1:8123/story3.html"  # relative link resolved against the feed
    assert (first.id, first.published) == ("urn:uuid:valemont-library-sundays", "2023-04-14")
    assert second.published == "2023-04-12"  # published wins over updated
    assert podcast.link is None  # ftp: not a page to fetch


def test_rss_items_in_order_with_guids():
    data = live.rss([("g1", "http://127.0.0.1/a.html", "A"), ("g2", "http://127.0.0.1/b.html", "B & C")])
    feed = parse_feed(data.replace(b"B & C", b"B &amp; C"), url=URL)
    assert [(e.id, e.title) for e in feed.entries] == [("g1", "A"), ("g2", "B & C")]


def test_items_without_guid_or_link_get_stable_ids():
    data = b"<rss version='2.0'><channel><title>t</title><item><title>No link</title></item></channel></rss>"
    one, two = parse_feed(data, url=URL), parse_feed(data, url=URL)
    assert one.entries[0].id == two.entries[0].id and one.entries[0].id.startswith("sha1:")


@pytest.mark.parametrize("data", [b"<html><body><p>just a page</p></body></html>", b"/etc/passwd",
                                  b"http://127.0.0.1:9/feed.xml", b"   "])
def test_non_feeds_are_rejected_and_never_opened_as_paths_or_urls(data):
    result = parse_feed(data, url=URL)
    assert isinstance(result, Rejected)


def test_a_malformed_but_safe_feed_is_read_loosely():
    data = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>Loose &nbsp; feed</title>"
            b"<item><title>One</title><link>http://127.0.0.1/one.html</link></item></channel>")
    feed = parse_feed(data, url=URL)
    assert isinstance(feed, Feed) and feed.entries[0].link == "http://127.0.0.1/one.html"
    assert feed.note  # feedparser's complaint is kept


def test_feeds_over_http_content_type_and_safety():
    srv = live.LiveServer()
    try:
        srv.fixture("/laughs.xml", "billion_laughs.xml", content_type="application/rss+xml")
        srv.fixture("/atom.xml", "atom.xml", content_type="application/atom+xml")
        srv.route("/feed.png", b"\x89PNG\r\n", content_type="image/png")
        with Fetcher(allow_private=True, limits=FetchLimits(host_interval=0)) as f:
            page = f.fetch(srv.url("/laughs.xml"), kind="feed")
            assert isinstance(parse_feed(page.body, url=page.url), Rejected)
            page = f.fetch(srv.url("/atom.xml"), kind="feed")
            feed = parse_feed(page.body, url=page.url, content_type=page.headers["content-type"])
            assert feed.entries[0].link == srv.url("/story3.html")
            with pytest.raises(FetchFailed, match="not an RSS or Atom feed"):
                f.fetch(srv.url("/feed.png"), kind="feed")
    finally:
        srv.close()
