"""Fetching pages politely and safely: one :class:`Fetcher`, and URL → Article.

Polite: an honest User-Agent, robots.txt obeyed (with its Crawl-delay), one request per
host every :attr:`FetchLimits.host_interval` seconds, conditional requests (ETag /
Last-Modified) for pages already stored. Safe: every hop of a redirect chain is vetted by
:class:`~rashomon.ingest.safety.UrlPolicy` (no loopback, private, link-local or metadata
addresses unless ``allow_private``), bodies are streamed and cut at a size cap (after
decompression, so a gzip bomb is cut too), non-HTML content is refused, and every
refusal carries a reason that ends up in ``rejected``.

The HTTP client is injectable (``Fetcher(client=httpx.Client(transport=...))``): tests
pass a transport or a local server, and nothing here needs the internet.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from ..errors import FetchError
from ..model import Article, Rejected
from ..store.pages import (PageRevision, latest_page, page_validators, save_page, set_revision_article,
                           touch_page)
from ..store.sqlite import Store
from .safety import BlockedAddress, UrlPolicy, guarded_transport, is_url, peer_problem

try:
    from importlib.metadata import version as _version

    VERSION = _version("rashomon")
except Exception:  # running from a checkout without metadata
    VERSION = "0"

ROBOTS_TOKEN = "Rashomon"
"""The product token robots.txt rules are matched against."""
USER_AGENT = f"{ROBOTS_TOKEN}/{VERSION} (news brief reader; obeys robots.txt)"

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/x-rss+xml", "application/x-atom+xml")
SNIFFED_TYPES = ("", "text/plain", "application/octet-stream")
"""Content types (or none) that are accepted only when the body's first bytes look right."""
REDIRECT_CODES = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Timeouts, caps and politeness; defaults suit a news site, not a crawler."""

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    """Longest wait for one chunk of a response."""
    total_timeout: float = 30.0
    """Longest time for one whole exchange: connecting, headers and body (a server trickling
    bytes, in its headers or its body, is cut off)."""
    max_bytes: int = 5_000_000
    """Biggest page or feed body read, after decompression. News pages are 50-500 kB."""
    max_robots_bytes: int = 500_000
    """robots.txt beyond this is cut (RFC 9309 asks crawlers to read at least 500 KiB)."""
    max_redirects: int = 5
    host_interval: float = 1.0
    """Seconds between two requests to one host (raised by a robots.txt Crawl-delay)."""
    max_crawl_delay: float = 30.0
    robots_ttl: float = 3600.0
    """Seconds a host's robots.txt is trusted before it is fetched again."""
    robots_error_ttl: float = 300.0
    max_retry_after: float = 86_400.0


class FetchFailed(FetchError):
    """A fetch that failed or was refused; ``transient`` failures may be retried later."""

    def __init__(self, reason: str, *, transient: bool = False, retry_after: float | None = None,
                 status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.retry_after = retry_after
        self.status = status


@dataclass(frozen=True, slots=True)
class Page:
    """One fetched response (after redirects)."""

    url: str
    """The URL asked for."""
    final_url: str
    status: int
    """200-299, or 304 when a conditional request found the stored copy current."""
    headers: dict[str, str]
    body: bytes
    redirects: tuple[str, ...] = ()
    """The URLs redirected through, in order."""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(slots=True)
class _Robots:
    parser: Protego | None
    expires: float
    unreachable: str | None = None
    """Why robots.txt could not be read (then everything on the host waits)."""


class Fetcher:
    """GETs pages and feeds within :class:`FetchLimits`, the URL policy and robots.txt.

    Thread-safe; keeps a robots.txt cache and the per-host clock. Close it (or use it as a
    context manager) to close the client it created; a client passed in is left open.
    """

    def __init__(self, client: httpx.Client | None = None, *, allow_private: bool = False,
                 policy: UrlPolicy | None = None, limits: FetchLimits | None = None,
                 respect_robots: bool = True, stop_event: threading.Event | None = None,
                 user_agent: str = USER_AGENT):
        self.policy = policy or UrlPolicy(allow_private=allow_private)
        self.limits = limits or FetchLimits()
        self.respect_robots = respect_robots
        self.stop_event = stop_event or threading.Event()
        self.user_agent = user_agent
        self._timeout = httpx.Timeout(self.limits.read_timeout, connect=self.limits.connect_timeout)
        self._own_client = client is None
        self.client = client or httpx.Client(transport=guarded_transport(self.policy, total_timeout=self.limits.total_timeout),
                                             timeout=self._timeout,
                                             follow_redirects=False, trust_env=False)
        self._lock = threading.Lock()
        self._robots: dict[str, _Robots] = {}
        self._next_at: dict[str, float] = {}
        self._interval: dict[str, float] = {}

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the public call -----------------------------------------------------------------
    def fetch(self, url: str, *, kind: str = "html", etag: str | None = None,
              last_modified: str | None = None) -> Page:
        """GET ``url`` (``kind`` "html" or "feed"), following vetted redirects; raises :class:`FetchFailed`."""
        current, hops = url, []
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate", "Accept": _ACCEPT[kind]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            for _ in range(self.limits.max_redirects + 1):
                self._vet(current)
                if self.respect_robots:
                    self._obey_robots(current)
                status, location, resp_headers, body = self._get(current, headers, kind, self.limits.max_bytes)
                if location is None:
                    return Page(url, current, status, resp_headers, body, tuple(hops))
                hops.append(current)
                current = urljoin(current, location)
        except FetchFailed as exc:
            if hops:  # say where the chain led
                exc.reason = f"redirected to {current}: {exc.reason}"
                exc.args = (exc.reason,)
            raise
        raise FetchFailed(f"more than {self.limits.max_redirects} redirects (the last to {current})")

    # -- steps ---------------------------------------------------------------------------
    def _vet(self, url: str) -> None:
        try:
            self.policy.check(url)
        except BlockedAddress as exc:
            raise FetchFailed(exc.reason) from None
        except FetchError as exc:
            raise FetchFailed(str(exc), transient=True) from None

    def _get(self, url: str, headers: dict[str, str], kind: str, cap: int):
        """One request: (status, redirect location or None, kept headers, body)."""
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        self._wait_turn(parts.hostname or "")
        try:
            with self.client.stream("GET", url, headers=headers, timeout=self._timeout,
                                    follow_redirects=False) as resp:
                stream = resp.extensions.get("network_stream")
                problem = peer_problem(getattr(stream, "get_extra_info", None), self.policy,
                                       parts.hostname or "", port)
                if problem:
                    raise FetchFailed(f"connected to {problem}; refused")
                kept = {k.lower(): v for k, v in resp.headers.items()}
                if resp.status_code in REDIRECT_CODES:
                    location = resp.headers.get("location")
                    if not location:
                        raise FetchFailed(f"HTTP {resp.status_code} redirect without a Location")
                    return resp.status_code, location, kept, b""
                if resp.status_code == 304:
                    return 304, None, kept, b""
                self._check_status(url, resp)
                if kind != "robots":
                    _check_type(url, kept.get("content-type", ""), kind)
                length = kept.get("content-length", "")
                if length.isdigit() and int(length) > cap and kind != "robots":
                    raise FetchFailed(f"body is {int(length):,} bytes, over the {cap:,}-byte limit")
                body = self._read(url, resp, cap, truncate=kind == "robots")
                if kind != "robots" and kept.get("content-type", "").split(";")[0].strip().lower() in SNIFFED_TYPES:
                    _sniff(url, body, kind)
                return resp.status_code, None, kept, body
        except BlockedAddress as exc:  # raised by the guarded transport at connect time
            raise FetchFailed(exc.reason) from None
        except httpx.TimeoutException as exc:
            raise FetchFailed(f"timed out ({type(exc).__name__}: {exc}; limits: connect "
                              f"{self.limits.connect_timeout:g}s, read {self.limits.read_timeout:g}s, whole "
                              f"exchange {self.limits.total_timeout:g}s)", transient=True) from None
        except httpx.HTTPError as exc:
            raise FetchFailed(f"{type(exc).__name__}: {exc}", transient=True) from None

    def _check_status(self, url: str, resp: httpx.Response) -> None:
        code = resp.status_code
        if 200 <= code < 300:
            return
        reason = f"HTTP {code} {resp.reason_phrase}".rstrip()
        if code in (429, 503):
            wait = _retry_after(resp.headers.get("retry-after"), self.limits.max_retry_after)
            host = urlsplit(url).hostname or ""
            if wait:
                with self._lock:
                    self._next_at[host] = max(self._next_at.get(host, 0.0), time.monotonic() + wait)
            raise FetchFailed(reason, transient=True, retry_after=wait, status=code)
        raise FetchFailed(reason, transient=code >= 500 or code == 408, status=code)

    def _read(self, url: str, resp: httpx.Response, cap: int, *, truncate: bool = False) -> bytes:
        """The body, decompressed, stopping as soon as it passes ``cap`` bytes."""
        encoding = resp.headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            inflater = zlib.decompressobj()
        elif encoding in ("identity", ""):
            inflater = None
        else:
            raise FetchFailed(f"unsupported Content-Encoding {encoding!r}")
        if resp.is_stream_consumed:  # a response built in memory (e.g. by httpx.MockTransport)
            chunks: Iterable[bytes] = [resp.content]
            inflater = None
        else:
            chunks = resp.iter_raw()
        deadline = time.monotonic() + self.limits.total_timeout
        out = bytearray()
        raw = 0
        for chunk in chunks:
            raw += len(chunk)
            room = cap - len(out)
            try:
                data = inflater.decompress(chunk, room + 1) if inflater else chunk
            except zlib.error as exc:
                raise FetchFailed(f"corrupt {encoding} body ({exc})") from None
            if len(data) > room or raw > cap:
                if truncate:
                    out += data[:room]
                    return bytes(out)
                raise FetchFailed(f"body over the {cap:,}-byte limit; stopped reading")
            out += data
            if time.monotonic() > deadline:
                raise FetchFailed(f"body still arriving after {self.limits.total_timeout:g}s; stopped",
                                  transient=True)
        return bytes(out)

    def _wait_turn(self, host: str) -> None:
        """Sleep until ``host`` may be asked again; raises when the watcher is stopping."""
        with self._lock:
            now = time.monotonic()
            at = max(now, self._next_at.get(host, 0.0))
            self._next_at[host] = at + self._interval.get(host, self.limits.host_interval)
        if at > now and self.stop_event.wait(at - now):
            raise FetchFailed("stopped before fetching", transient=True)

    # -- robots.txt ----------------------------------------------------------------------
    def _obey_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            entry = self._robots.get(origin)
        if entry is None or entry.expires < time.monotonic():
            entry = self._load_robots(origin)
            with self._lock:
                self._robots[origin] = entry
        if entry.unreachable:
            raise FetchFailed(f"{origin}/robots.txt could not be read ({entry.unreachable}); "
                              "waiting before fetching from this host", transient=True)
        if entry.parser is not None and not entry.parser.can_fetch(url, ROBOTS_TOKEN):
            raise FetchFailed(f"disallowed by {origin}/robots.txt for {ROBOTS_TOKEN}")

    def _load_robots(self, origin: str) -> _Robots:
        """RFC 9309: 2xx → rules; 4xx → no rules; 5xx or unreachable → fetch nothing yet."""
        url = origin + "/robots.txt"
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate", "Accept": "text/plain"}
        now = time.monotonic()
        try:
            for _ in range(self.limits.max_redirects + 1):
                self._vet(url)
                status, location, _, body = self._get(url, headers, "robots", self.limits.max_robots_bytes)
                if location is None:
                    break
                url = urljoin(url, location)
            else:
                return _Robots(None, now + self.limits.robots_ttl)  # too many redirects: as if absent
        except FetchFailed as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return _Robots(None, now + self.limits.robots_ttl)
            if not exc.transient:  # refused (e.g. a redirect to a private address): no rules we may read
                return _Robots(None, now + self.limits.robots_ttl)
            return _Robots(None, now + self.limits.robots_error_ttl, unreachable=exc.reason)
        try:  # RFC 9309 (longest match wins, * and $ wildcards) through protego
            parser = Protego.parse(body.decode("utf-8", errors="replace"))
            delay = parser.crawl_delay(ROBOTS_TOKEN)
        except Exception:  # a robots.txt protego cannot read: as if it had no rules we understand
            return _Robots(None, now + self.limits.robots_ttl)
        if delay:
            host = urlsplit(origin).hostname or ""
            with self._lock:
                self._interval[host] = max(self.limits.host_interval, min(float(delay), self.limits.max_crawl_delay))
        return _Robots(parser, now + self.limits.robots_ttl)


_ACCEPT = {
    "html": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "feed": "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1",
    "robots": "text/plain",
}


def _check_type(url: str, content_type: str, kind: str) -> None:
    media = content_type.split(";")[0].strip().lower()
    allowed = HTML_TYPES if kind == "html" else FEED_TYPES + HTML_TYPES
    if media in allowed or media in SNIFFED_TYPES or (kind == "feed" and media.endswith("+xml")):
        return
    wanted = "an HTML page" if kind == "html" else "an RSS or Atom feed"
    raise FetchFailed(f"content type {media!r} is not {wanted}; refused")


def _sniff(url: str, body: bytes, kind: str) -> None:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    markers = (b"<!doctype html", b"<html", b"<head", b"<body") if kind == "html" else (
        b"<?xml", b"<rss", b"<feed", b"<rdf")
    if not any(head.startswith(m) or m in head[:512] for m in markers):
        wanted = "HTML" if kind == "html" else "an RSS or Atom feed"
        raise FetchFailed(f"body does not look like {wanted} (no or generic content type); refused")


def _retry_after(value: str | None, cap: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when.timestamp() - time.time(), cap))


# ----------------------------------------------------------------------------- URL → Article


def fetch_article(url: str, *, fetcher: Fetcher | None = None, store: Store | None = None,
                  allow_private: bool = False) -> Article | Rejected:
    """The article at ``url``, or ``Rejected(url, reason)`` on any refusal or failure.

    With a ``store``, the fetched HTML is kept there (a changed page becomes a new
    revision), and a page already stored is re-validated with a conditional request.
    ``allow_private`` is used only when no ``fetcher`` is given (a fetcher has its policy).
    """
    own = fetcher is None
    fetcher = fetcher or Fetcher(allow_private=allow_private)
    try:
        return article_for_url(url, fetcher=fetcher, store=store)
    except FetchFailed as exc:
        return Rejected(url, exc.reason)
    except sqlite3.Error:
        raise  # the store failed: reported once, with what to do, by the caller
    except Exception as exc:  # one page never stops the others; the reason names the stage
        return Rejected(url, f"fetch/extract failed ({type(exc).__name__}: {exc}); please report this error")
    finally:
        if own:
            fetcher.close()


def fetch_articles(urls: Iterable[str], *, store: Store | None = None, allow_private: bool = False,
                   fetcher: Fetcher | None = None) -> Iterator[Article | Rejected]:
    """:func:`fetch_article` over many URLs with one fetcher (one robots cache, one host clock)."""
    own = fetcher is None
    fetcher = fetcher or Fetcher(allow_private=allow_private)
    try:
        for url in urls:
            yield fetch_article(url, fetcher=fetcher, store=store)
    finally:
        if own:
            fetcher.close()


def article_for_url(url: str, *, fetcher: Fetcher, store: Store | None = None,
                    reuse_stored: bool = False) -> Article | Rejected:
    """Fetch (or, with ``reuse_stored``, take from the store) and extract; raises :class:`FetchFailed`."""
    if not is_url(url):
        raise FetchFailed(f"{url!r} is not an http(s) URL")
    if store is not None and reuse_stored:
        stored = latest_page(store, url)
        if stored is not None:
            return article_from_revision(stored, store=store)
    etag, last_modified = page_validators(store, url) if store is not None else (None, None)
    page = fetcher.fetch(url, kind="html", etag=etag, last_modified=last_modified)
    if page.not_modified and store is not None:
        stored = latest_page(store, url)
        if stored is not None:
            touch_page(store, url)
            return article_from_revision(stored, store=store)
        page = fetcher.fetch(url, kind="html")  # validators without a stored copy: fetch in full
    if page.not_modified:
        raise FetchFailed(f"server answered 304 Not Modified to an unconditional request")
    if store is None:
        return _extract(page.body, page.headers, source=url, url=page.final_url)
    revision = save_page(store, url, page.body, page.headers, final_url=page.final_url)
    return article_from_revision(revision, store=store)


def article_from_revision(revision: PageRevision, *, store: Store | None = None) -> Article | Rejected:
    """Extract the article of a stored page revision (no fetching); notes its id in the store."""
    article = _extract(revision.html, revision.headers, source=revision.url,
                       url=revision.final_url or revision.url)
    if store is not None and isinstance(article, Article) and article.id != revision.article_id:
        set_revision_article(store, revision.url, revision.revision, article.id)
    return article


def reextract(store: Store, url: str) -> Article | Rejected | None:
    """The article of the latest stored copy of ``url``, without fetching (None if never fetched)."""
    revision = latest_page(store, url)
    return None if revision is None else article_from_revision(revision, store=store)


def _extract(body: bytes, headers: dict[str, str], *, source: str, url: str) -> Article | Rejected:
    from .html import article_from_html

    if not body.strip():
        return Rejected(source, "empty page: nothing to read")
    return article_from_html(_decode(body, headers.get("content-type", "")), source=source, url=url)


def _decode(body: bytes, content_type: str) -> str | bytes:
    """Text by the declared charset; bytes (for trafilatura to detect) when none is declared."""
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            try:
                return body.decode(value.strip().strip("\"'"), errors="replace")
            except LookupError:
                break
    return body
