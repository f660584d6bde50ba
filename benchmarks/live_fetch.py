"""Fetch + extract time per page, and the cost of refusing hostile inputs, on the local
fixtures of tests/fixtures/live served on 127.0.0.1 (no network).

    .venv/bin/python benchmarks/live_fetch.py
"""

from __future__ import annotations

import importlib.util
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _server_module():
    spec = importlib.util.spec_from_file_location("live_server", ROOT / "tests" / "fixtures" / "live" / "server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def summary(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {ordered[int(len(ordered) * 0.95) - 1] * 1000:.1f} ms"


def main() -> None:
    from rashomon.ingest.feeds import parse_feed
    from rashomon.ingest.fetch import Fetcher, FetchLimits, _extract, fetch_article

    live = _server_module()
    server = live.LiveServer()
    names = ["article.html", "article_v2.html", "story1.html", "story2.html", "story3.html"]
    urls = [server.fixture("/" + n, n) for n in names]
    server.route("/big", handler=live.huge_body(50_000_000, declare_length=False))
    fetcher = Fetcher(allow_private=True, limits=FetchLimits(host_interval=0))
    fetch_article(urls[0], fetcher=fetcher)  # warm-up: trafilatura import, robots.txt
    fetch_t, extract_t, total_t = [], [], []
    for _ in range(20):
        for url in urls:
            t0 = time.perf_counter()
            page = fetcher.fetch(url)
            t1 = time.perf_counter()
            article = _extract(page.body, page.headers, source=url, url=url)
            t2 = time.perf_counter()
            assert type(article).__name__ == "Article"
            fetch_t.append(t1 - t0)
            extract_t.append(t2 - t1)
            total_t.append(t2 - t0)
    print("pages:", len(total_t))
    print("fetch           :", summary(fetch_t))
    print("extract         :", summary(extract_t))
    print("fetch + extract :", summary(total_t))
    t0 = time.perf_counter()
    refused = fetch_article(server.url("/big"), fetcher=fetcher)
    print(f"50 MB body refused in {(time.perf_counter() - t0) * 1000:.0f} ms: {refused.reason}")
    feed = live.rss([(f"g{i}", f"http://127.0.0.1/s{i}.html", f"Item {i}") for i in range(50)])
    t0 = time.perf_counter()
    for _ in range(20):
        parse_feed(feed, url="http://x/f")
    print(f"50-item RSS parse: {(time.perf_counter() - t0) / 20 * 1000:.1f} ms")
    bomb = (live.FIXTURES / "billion_laughs.xml").read_bytes()
    t0 = time.perf_counter()
    parse_feed(bomb, url="http://x/f")
    print(f"billion laughs refused in {(time.perf_counter() - t0) * 1000:.2f} ms")
    fetcher.close()
    server.close()


if __name__ == "__main__":
    main()
