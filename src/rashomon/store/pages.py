"""Fetched pages, their revisions, and the state of watched feeds, over a :class:`Store`.

A page is kept as fetched (raw HTML and the response headers that matter), so a later run
can re-extract it without fetching. When a page changes, the new HTML becomes a new
*revision* of the same URL, never a second page; the article extracted from the older
revision is then *superseded* (see :func:`superseded_articles`).

Feeds keep their conditional-request validators (ETag / Last-Modified), their back-off
and every item seen, so a restarted ``watch`` fetches nothing twice and loses nothing:
an item is recorded as ``pending`` in the same transaction that stores the feed's new
validators, and only becomes ``done`` or ``rejected`` once it has been handled.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from .sqlite import Store

KEPT_HEADERS = ("content-type", "etag", "last-modified", "content-language", "date")
"""Response headers stored with a revision (enough to re-extract and to re-validate)."""

ItemStatus = str  # "pending" | "done" | "rejected"


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# ----------------------------------------------------------------------------- pages


@dataclass(frozen=True, slots=True)
class PageRevision:
    """One stored version of a fetched page."""

    url: str
    """The URL as requested (the key: a feed's link, or what the user gave)."""
    revision: int
    """1 for the first fetch; +1 each time the page's bytes change."""
    sha256: str
    fetched_at: str
    final_url: str | None
    """Where redirects ended."""
    headers: dict[str, str]
    html: bytes
    article_id: str | None = None
    """The article extracted from this revision (None until extracted, or when rejected)."""
    is_new: bool = False
    """True when :func:`save_page` just stored it (the page was new or had changed)."""


def _kept(headers: Mapping[str, str]) -> dict[str, str]:
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    return {k: lowered[k] for k in KEPT_HEADERS if k in lowered}


def save_page(store: Store, url: str, html: bytes | str, headers: Mapping[str, str], *,
              final_url: str | None = None) -> PageRevision:
    """Store a fetched page; a new revision only when its bytes differ from the latest one."""
    body = html.encode("utf-8") if isinstance(html, str) else bytes(html)
    digest = hashlib.sha256(body).hexdigest()
    kept = _kept(headers)
    now = utc_now()
    with store.db:
        row = store.db.execute("SELECT revisions FROM pages WHERE url = ?", (url,)).fetchone()
        latest = latest_page(store, url) if row else None
        if latest is not None and latest.sha256 == digest:
            store.db.execute("UPDATE pages SET last_fetched = ?, etag = ?, last_modified = ?, final_url = ? "
                             "WHERE url = ?", (now, kept.get("etag"), kept.get("last-modified"),
                                               final_url or latest.final_url, url))
            return latest
        number = (row[0] if row else 0) + 1
        if row:
            store.db.execute("UPDATE pages SET revisions = ?, last_fetched = ?, etag = ?, last_modified = ?, "
                             "final_url = ? WHERE url = ?",
                             (number, now, kept.get("etag"), kept.get("last-modified"), final_url, url))
        else:
            store.db.execute("INSERT INTO pages(url, final_url, etag, last_modified, revisions, first_fetched, "
                             "last_fetched) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (url, final_url, kept.get("etag"), kept.get("last-modified"), number, now, now))
        store.db.execute("INSERT INTO page_revisions(url, revision, sha256, fetched_at, final_url, headers, html) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (url, number, digest, now, final_url, json.dumps(kept, sort_keys=True), body))
    return PageRevision(url, number, digest, now, final_url, kept, body, None, is_new=True)


def touch_page(store: Store, url: str) -> None:
    """Record that the page was re-validated unchanged (a 304 answer)."""
    with store.db:
        store.db.execute("UPDATE pages SET last_fetched = ? WHERE url = ?", (utc_now(), url))


def page_validators(store: Store, url: str) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) of the stored page, for a conditional request."""
    row = store.db.execute("SELECT etag, last_modified FROM pages WHERE url = ?", (url,)).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _revision(row) -> PageRevision:
    url, number, digest, fetched_at, final_url, headers, html, article_id = row
    return PageRevision(url, number, digest, fetched_at, final_url, json.loads(headers), bytes(html), article_id)


_REVISION_COLUMNS = "url, revision, sha256, fetched_at, final_url, headers, html, article_id"


def latest_page(store: Store, url: str) -> PageRevision | None:
    """The newest stored revision of ``url``, or None when it was never fetched."""
    row = store.db.execute(f"SELECT {_REVISION_COLUMNS} FROM page_revisions WHERE url = ? "
                           "ORDER BY revision DESC LIMIT 1", (url,)).fetchone()
    return _revision(row) if row else None


def page_revisions(store: Store, url: str) -> list[PageRevision]:
    """Every stored revision of ``url``, oldest first."""
    rows = store.db.execute(f"SELECT {_REVISION_COLUMNS} FROM page_revisions WHERE url = ? "
                            "ORDER BY revision", (url,))
    return [_revision(r) for r in rows]


def page_urls(store: Store) -> list[str]:
    """Every stored page's URL, sorted."""
    return [r[0] for r in store.db.execute("SELECT url FROM pages ORDER BY url")]


def set_revision_article(store: Store, url: str, revision: int, article_id: str | None) -> None:
    """Note which article was extracted from a revision."""
    with store.db:
        store.db.execute("UPDATE page_revisions SET article_id = ? WHERE url = ? AND revision = ?",
                         (article_id, url, revision))


def superseded_articles(store: Store) -> dict[str, str]:
    """Article id → the id of the article from a newer revision of the same page.

    A page that changed between fetches keeps one story entry: readers of the store skip
    the superseded ids (their newer revision is the article that counts).
    """
    out: dict[str, str] = {}
    rows = store.db.execute("SELECT url, article_id FROM page_revisions WHERE article_id IS NOT NULL "
                            "ORDER BY url, revision")
    by_url: dict[str, list[str]] = {}
    for url, article_id in rows:
        by_url.setdefault(url, []).append(article_id)
    for ids in by_url.values():
        newest = ids[-1]
        for old in ids[:-1]:
            if old != newest:
                out[old] = newest
    return dict(sorted(out.items()))


# ----------------------------------------------------------------------------- feeds


@dataclass(frozen=True, slots=True)
class FeedState:
    """What a watcher remembers about one feed between polls and across restarts."""

    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_polled: str | None = None
    next_poll: float = 0.0
    """Epoch seconds before which the feed is not polled (interval or back-off)."""
    failures: int = 0
    """Consecutive failed polls (drives the back-off)."""
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class FeedItemRow:
    """One item seen in a feed, and what became of it."""

    feed_url: str
    item_id: str
    link: str | None
    title: str | None
    published: str | None
    """YYYY-MM-DD as the feed states it."""
    status: ItemStatus
    attempts: int = 0
    next_try: float = 0.0
    article_id: str | None = None
    reason: str | None = None


def feed_state(store: Store, url: str) -> FeedState:
    """The stored state of a feed (a fresh state when it was never polled)."""
    row = store.db.execute("SELECT url, title, etag, last_modified, last_polled, next_poll, failures, last_error "
                           "FROM feeds WHERE url = ?", (url,)).fetchone()
    return FeedState(*row) if row else FeedState(url)


def _put_feed_state(store: Store, state: FeedState) -> None:
    store.db.execute(
        "INSERT OR REPLACE INTO feeds(url, title, etag, last_modified, last_polled, next_poll, failures, last_error) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (state.url, state.title, state.etag, state.last_modified, state.last_polled, state.next_poll,
         state.failures, state.last_error))


def save_feed_state(store: Store, state: FeedState) -> None:
    with store.db:
        _put_feed_state(store, state)


def record_poll(store: Store, state: FeedState,
                items: Iterable[tuple[str, str | None, str | None, str | None]]) -> list[str]:
    """Store a successful poll: the feed's new state and its items ``(item_id, link, title, published)``.

    One transaction, so the new validators are never kept without the items they cover.
    Returns the ids of the items not seen before (now ``pending``), in feed order.
    """
    new: list[str] = []
    with store.db:
        _put_feed_state(store, state)
        seq = store.db.execute("SELECT coalesce(max(seq), 0) FROM feed_items WHERE feed_url = ?",
                               (state.url,)).fetchone()[0]
        for item_id, link, title, published in items:
            seq += 1
            cur = store.db.execute("INSERT OR IGNORE INTO feed_items(feed_url, item_id, seq, link, title, published) "
                                   "VALUES (?, ?, ?, ?, ?, ?)", (state.url, item_id, seq, link, title, published))
            if cur.rowcount == 1:
                new.append(item_id)
    return new


_ITEM_COLUMNS = "feed_url, item_id, link, title, published, status, attempts, next_try, article_id, reason"


def pending_items(store: Store, now: float | None = None) -> list[FeedItemRow]:
    """Items still to fetch (due by ``now`` when given), oldest first."""
    sql = f"SELECT {_ITEM_COLUMNS} FROM feed_items WHERE status = 'pending'"
    args: tuple = ()
    if now is not None:
        sql += " AND next_try <= ?"
        args = (now,)
    return [FeedItemRow(*r) for r in store.db.execute(sql + " ORDER BY rowid", args)]


def feed_items(store: Store, feed_url: str | None = None) -> list[FeedItemRow]:
    """Every item seen (in one feed, or in all), in the order they were seen."""
    if feed_url is None:
        rows = store.db.execute(f"SELECT {_ITEM_COLUMNS} FROM feed_items ORDER BY feed_url, seq")
    else:
        rows = store.db.execute(f"SELECT {_ITEM_COLUMNS} FROM feed_items WHERE feed_url = ? ORDER BY seq",
                                (feed_url,))
    return [FeedItemRow(*r) for r in rows]


def seen_item(store: Store, feed_url: str, item_id: str) -> bool:
    return store.db.execute("SELECT 1 FROM feed_items WHERE feed_url = ? AND item_id = ?",
                            (feed_url, item_id)).fetchone() is not None


def finish_item(store: Store, item: FeedItemRow, status: ItemStatus, *, article_id: str | None = None,
                reason: str | None = None) -> None:
    """Mark an item ``done`` (with its article) or ``rejected`` (with the reason)."""
    with store.db:
        store.db.execute("UPDATE feed_items SET status = ?, article_id = ?, reason = ?, attempts = attempts + 1, "
                         "done_at = ? WHERE feed_url = ? AND item_id = ?",
                         (status, article_id, reason, utc_now(), item.feed_url, item.item_id))


def retry_item_later(store: Store, item: FeedItemRow, next_try: float, reason: str) -> None:
    """Keep an item pending after a transient failure, not before ``next_try``."""
    with store.db:
        store.db.execute("UPDATE feed_items SET attempts = attempts + 1, next_try = ?, reason = ? "
                         "WHERE feed_url = ? AND item_id = ?", (next_try, reason, item.feed_url, item.item_id))
