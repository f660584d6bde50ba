"""Keeping up with feeds: poll, fetch new items' pages, hand each article on, repeat.

One cycle: every feed that is due is polled with a conditional request; its new items
are recorded as ``pending`` (with the feed's new ETag / Last-Modified, in one
transaction); then every due pending item's page is fetched, extracted and passed to
``on_article`` (the pipeline: store, analyse, group into stories), and only then marked
``done``. A feed that fails is polled again after an exponential back-off (or its
Retry-After); an item that fails transiently is retried a few times, then rejected with
the reason. Everything lives in the store, so a watcher stopped at any point (Ctrl-C,
a crash) continues where it was on restart: nothing is fetched twice and nothing is lost.

Ctrl-C once: the current fetch finishes and the watcher stops cleanly; twice: at once.
"""

from __future__ import annotations

import dataclasses
import logging
import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, PathNotFound
from ..model import Article, Rejected
from ..store.pages import (FeedItemRow, FeedState, feed_state, finish_item, pending_items, record_poll,
                           retry_item_later, save_feed_state, utc_now)
from ..store.sqlite import Store
from .feeds import parse_feed
from .fetch import Fetcher, FetchFailed, article_for_url
from .safety import is_url

DEFAULT_INTERVAL = 900.0
"""Seconds between two polls of one feed (news feeds update every few minutes to hours)."""
MAX_BACKOFF = 6 * 3600.0
"""Longest wait after repeated failures of one feed."""
ITEM_ATTEMPTS = 3
"""Tries of one item's page (transient failures: timeouts, 5xx) before it is rejected."""
ITEM_RETRY_DELAY = 300.0
"""Seconds before the first retry of an item; doubled after each failure."""

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WatchReport:
    """What one run of :func:`watch` did."""

    cycles: int = 0
    polls: int = 0
    not_modified: int = 0
    """Polls answered 304 (nothing new, nothing downloaded)."""
    new_items: int = 0
    articles: int = 0
    """Articles handed to ``on_article``."""
    rejected: tuple[Rejected, ...] = ()
    errors: tuple[str, ...] = ()
    """Transient failures (feeds and items that will be retried)."""
    stopped: bool = False
    """True when stopped by the stop event or Ctrl-C (not by ``max_cycles``)."""


def read_feeds_file(path: str | Path) -> list[str]:
    """Feed URLs, one a line; blank lines and ``#`` comments are skipped; duplicates dropped."""
    path = Path(path)
    if not path.is_file():
        raise PathNotFound(str(path))
    urls: list[str] = []
    bad: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        line = line.split(" #", 1)[0].strip()  # a "#" inside a URL is its fragment, not a comment
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            bad.append(f"line {number}: {line!r}")
        elif line not in urls:
            urls.append(line)
    if bad:
        raise InputError(f"{path}: not http(s) feed URLs: {'; '.join(bad)}. Give one feed URL a line "
                         "(lines starting with # are comments).")
    if not urls:
        raise InputError(f"{path}: no feed URLs. Give one RSS/Atom feed URL a line.")
    return urls


def watch(feeds_file: str | Path, store: Store, interval: float = DEFAULT_INTERVAL, allow_private: bool = False,
          on_article: Callable[[Article], object] | None = None, stop_event: threading.Event | None = None, *,
          fetcher: Fetcher | None = None, max_cycles: int | None = None,
          on_cycle: Callable[[], object] | None = None,
          on_event: Callable[[str], None] | None = None) -> WatchReport:
    """Poll the feeds in ``feeds_file`` until stopped; each new article goes to ``on_article``.

    ``on_article`` defaults to ``store.add_article``. ``on_cycle``, when given, runs after
    every cycle that brought articles (the CLI passes "analyse what is new, then group",
    so articles join their stories once per cycle, not once per article). ``stop_event``
    stops the loop from another thread; without one, Ctrl-C (SIGINT) and SIGTERM stop it
    cleanly. ``max_cycles`` ends the run after that many cycles (tests, cron jobs).
    ``on_event`` receives one-line progress messages (default: the logging module).
    """
    urls = read_feeds_file(feeds_file)
    run = _Run(store, interval, on_article or store.add_article, on_event or log.info)
    stop = stop_event or threading.Event()
    own = fetcher is None
    fetcher = fetcher or Fetcher(allow_private=allow_private, stop_event=stop)
    fetcher.stop_event = stop
    restore = _install_signals(stop, run.say) if stop_event is None else None
    try:
        while not stop.is_set():
            run.cycles += 1
            for url in urls:
                if stop.is_set():
                    break
                try:
                    poll_feed(url, store, fetcher, run)
                except sqlite3.Error:
                    raise  # the store itself failed: nothing else can go on
                except Exception as exc:  # one feed never stops the others
                    _feed_failed(store, feed_state(store, url), f"poll failed ({type(exc).__name__}: {exc})", run,
                                 permanent=False)
            before = run.articles
            drain_items(store, fetcher, run, stop)
            if on_cycle is not None and run.articles > before:
                _run_cycle_hook(on_cycle, run)
            run.say(f"cycle {run.cycles}: {run.polls} polls ({run.not_modified} unchanged), {run.new_items} new "
                    f"items, {run.articles} articles, {len(run.rejected)} rejected so far")
            if max_cycles is not None and run.cycles >= max_cycles:
                break
            stop.wait(_next_wake(store, urls, interval))
        stopped = stop.is_set()
    except KeyboardInterrupt:
        stopped = True
        run.say("interrupted; every finished item is stored, unfinished ones stay pending for the next run")
    finally:
        if restore:
            restore()
        if own:
            fetcher.close()
    return run.report(stopped)


@dataclass(slots=True)
class _Run:
    store: Store
    interval: float
    on_article: Callable[[Article], object]
    say: Callable[[str], None]
    cycles: int = 0
    polls: int = 0
    not_modified: int = 0
    new_items: int = 0
    articles: int = 0
    rejected: list[Rejected] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)

    def report(self, stopped: bool) -> WatchReport:
        return WatchReport(self.cycles, self.polls, self.not_modified, self.new_items, self.articles,
                           tuple(self.rejected), tuple(self.errors), stopped)

    def reject(self, item: Rejected) -> None:
        self.store.add_rejected(item)
        self.rejected.append(item)
        self.say(f"rejected {item.source}: {item.reason}")


def poll_feed(url: str, store: Store, fetcher: Fetcher, run: _Run) -> None:
    """Poll one feed if it is due; record its new items as pending."""
    state = feed_state(store, url)
    now = time.time()
    if state.next_poll > now:
        return
    run.polls += 1
    try:
        page = fetcher.fetch(url, kind="feed", etag=state.etag, last_modified=state.last_modified)
    except FetchFailed as exc:
        if fetcher.stop_event.is_set():
            return
        _feed_failed(store, state, exc.reason, run, permanent=not exc.transient, retry_after=exc.retry_after)
        return
    if page.not_modified:
        run.not_modified += 1
        save_feed_state(store, dataclasses.replace(state, last_polled=utc_now(), next_poll=now + run.interval,
                                                   failures=0, last_error=None))
        return
    feed = parse_feed(page.body, url=url, content_type=page.headers.get("content-type"))
    if isinstance(feed, Rejected):
        _feed_failed(store, state, feed.reason, run, permanent=True)
        return
    fresh = FeedState(url, feed.title, page.headers.get("etag"), page.headers.get("last-modified"), utc_now(),
                      now + run.interval, 0, None)
    new = record_poll(store, fresh, [(e.id, e.link, e.title, e.published) for e in feed.entries])
    if state.failures:
        store.forget_rejected(url)
    run.new_items += len(new)
    if new:
        run.say(f"{url}: {len(new)} new items")


def _feed_failed(store: Store, state: FeedState, reason: str, run: _Run, *, permanent: bool,
                 retry_after: float | None = None) -> None:
    failures = state.failures + 1
    wait = min(MAX_BACKOFF, max(run.interval, 60.0) * 2 ** (failures - 1))
    if retry_after:
        wait = max(wait, retry_after)
    save_feed_state(store, dataclasses.replace(state, last_polled=utc_now(), next_poll=time.time() + wait,
                                               failures=failures, last_error=reason))
    if permanent:
        run.reject(Rejected(state.url, reason))
    else:
        run.errors.append(reason)
        run.say(f"{state.url}: {reason}; next poll in {wait:.0f}s")


def drain_items(store: Store, fetcher: Fetcher, run: _Run, stop: threading.Event) -> None:
    """Fetch every due pending item's page and hand its article on."""
    for item in pending_items(store, time.time()):
        if stop.is_set():
            return
        try:
            handle_item(item, store, fetcher, run)
        except sqlite3.Error:
            raise
        except Exception as exc:  # one item never stops the others: it is tried again later
            reason = f"{item.link or item.item_id}: fetch/extract failed ({type(exc).__name__}: {exc})"
            retry_item_later(store, item, time.time() + ITEM_RETRY_DELAY * 2 ** item.attempts, reason)
            run.errors.append(reason)
            run.say(reason)


def handle_item(item: FeedItemRow, store: Store, fetcher: Fetcher, run: _Run) -> None:
    """One pending item: its article to ``on_article`` and ``done``, or retried later, or ``rejected``."""
    source = item.link or f"{item.feed_url}#{item.item_id}"
    if not item.link:
        result: Article | Rejected = Rejected(source, "feed item has no http(s) link to an article page")
    else:
        try:
            result = article_for_url(item.link, fetcher=fetcher, store=store, reuse_stored=True)
        except FetchFailed as exc:
            if fetcher.stop_event.is_set():
                return  # stays pending, attempt not counted
            if exc.transient and item.attempts + 1 < ITEM_ATTEMPTS:
                wait = max(ITEM_RETRY_DELAY * 2 ** item.attempts, exc.retry_after or 0.0)
                retry_item_later(store, item, time.time() + wait, exc.reason)
                run.errors.append(exc.reason)
                run.say(f"{exc.reason}; retry in {wait:.0f}s")
                return
            result = Rejected(source, exc.reason)
    if isinstance(result, Rejected):
        finish_item(store, item, "rejected", reason=result.reason)
        run.reject(result)
        return
    if result.published is None and item.published:
        result = dataclasses.replace(result, published=item.published, published_basis="stated",
                                     published_note="feed item date")
    try:
        run.on_article(result)
    except Exception as exc:  # the pipeline failed on this article: keep it pending, say why
        reason = f"{source}: could not be ingested ({type(exc).__name__}: {exc})"
        retry_item_later(store, item, time.time() + ITEM_RETRY_DELAY * 2 ** item.attempts, reason)
        run.errors.append(reason)
        run.say(reason)
        return
    finish_item(store, item, "done", article_id=result.id)
    run.articles += 1


def _run_cycle_hook(on_cycle: Callable[[], object], run: _Run) -> None:
    try:
        on_cycle()
    except Exception as exc:  # articles stay stored; the next cycle's hook picks them up
        reason = f"after-cycle step failed ({type(exc).__name__}: {exc}); retried next cycle"
        run.errors.append(reason)
        run.say(reason)


def _next_wake(store: Store, urls: list[str], interval: float) -> float:
    """Seconds until a feed or a pending item is due (at most ``interval``, at least 1)."""
    now = time.time()
    due = [feed_state(store, u).next_poll for u in urls]
    due += [i.next_try for i in pending_items(store)]
    soonest = min(due, default=now + interval)
    return max(1.0, min(interval, soonest - now))


def _install_signals(stop: threading.Event, say: Callable[[str], None]) -> Callable[[], None] | None:
    """SIGINT/SIGTERM set ``stop`` (a second SIGINT interrupts at once); returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def handler(signum, frame):
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        say("stopping after the current fetch (Ctrl-C again to stop at once)")

    for sig in previous:
        signal.signal(sig, handler)

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore
