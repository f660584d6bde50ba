"""Latency of the story page and of /api/stories/{id} for a story of 200 articles.

The story: 40 articles from each of the five Timeline17 BP-oil-spill collections (BBC, Fox
News, The Guardian, Reuters, Washington Post; the first 40 by date of each), ingested as
JSON records (text, outlet = the collection's outlet, published = the article's date, id),
then assembled into ONE synthetic story by assigning all 200 to the largest story the
grouper made (through Store.set_assignment, recorded as a move). Its brief is built once
(timed), then `rashomon serve` runs in a second process on loopback and this script sends
a bounded load of concurrent requests (httpx, a thread pool) and reports the median and
95th-percentile latency per endpoint.

    .venv/bin/python benchmarks/web_latency.py [--workers 8] [--requests 400] [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from evalkit import require  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
T17 = ROOT / ".." / "shared" / "eval" / "timeline17"
COLLECTIONS = {"bpoil_bbc": "BBC", "bpoil_foxnews": "Fox News", "bpoil_guardian": "The Guardian",
               "bpoil_reuters": "Reuters", "bpoil_washingtonpost": "Washington Post"}
PER_COLLECTION = 40
OUT = ROOT / "benchmarks" / "out"
DOC = ROOT / "docs" / "bench" / "web.md"


def records() -> list[dict]:
    out = []
    for folder, outlet in COLLECTIONS.items():
        items = json.loads((T17 / folder / "articles.json").read_text(encoding="utf-8"))
        items.sort(key=lambda a: (a["dct"], str(a["uid"])))
        for item in items[:PER_COLLECTION]:
            out.append({"text": item["text"], "outlet": outlet, "published": item["dct"][:10],
                        "id": f"{folder}-{item['uid']}"})
    return out


def build_store(db: Path) -> tuple[str, float, float]:
    """The store holding the 200-article story; (story id, ingest seconds, first brief seconds)."""
    from rashomon import Store
    from rashomon.ingest.files import article_from_record
    from rashomon.pipeline import brief_for_story, ingest_items, quiet_libraries

    quiet_libraries()
    started = time.perf_counter()
    with Store(db) as store:
        items = [article_from_record(r, source=f"t17:{r['id']}") for r in records()]
        ingest_items(items, store)
        ingest_seconds = time.perf_counter() - started
        ids = [a.id for a in items if hasattr(a, "id")]
        stories = store.stories()
        target = max(sorted(stories), key=lambda s: len(stories[s]))
        assignments = store.assignments()
        for article_id in ids:
            story, duplicate = assignments[article_id]
            if story != target:
                store.set_assignment(article_id, target, duplicate, None, reason="benchmark: one synthetic story")
        started = time.perf_counter()
        brief = brief_for_story(store, target)
        brief_seconds = time.perf_counter() - started
        assert len(brief.articles) == len(set(ids)), (len(brief.articles), len(set(ids)))
    return target, ingest_seconds, brief_seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(client, url: str, requests: int, workers: int, seconds: float) -> dict:
    deadline = time.perf_counter() + seconds

    def one(_):
        if time.perf_counter() > deadline:
            return None
        t = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - t
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code} {response.text[:200]}")
        return elapsed, len(response.content)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = [r for r in pool.map(one, range(requests)) if r is not None]
    wall = time.perf_counter() - started
    times = sorted(t for t, _ in done)
    return {"requests": len(times), "median_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)],
            "max_ms": 1000 * times[-1], "per_second": len(times) / wall, "bytes": done[0][1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="per endpoint")
    parser.add_argument("--seconds", type=float, default=60, help="time bound per endpoint")
    args = parser.parse_args()
    require(T17, "Timeline17")
    import httpx

    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "web_latency.db"
    for stale in OUT.glob("web_latency.db*"):
        stale.unlink()
    story, ingest_seconds, brief_seconds = build_store(db)
    print(f"story {story}: ingest {ingest_seconds:.0f} s, first brief {brief_seconds:.1f} s")

    port = free_port()
    code = f"from rashomon.web.serve import serve; serve({str(db)!r}, '127.0.0.1', {port})"
    server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    results = {}
    try:
        with httpx.Client(base_url=base, timeout=120, limits=httpx.Limits(max_connections=args.workers)) as client:
            deadline = time.time() + 120
            while True:
                try:
                    if client.get("/api/stories").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.time() > deadline or server.poll() is not None:
                    sys.exit("the server did not start")
                time.sleep(0.5)
            started = time.perf_counter()
            client.get(f"/stories/{story}").raise_for_status()
            first_page = time.perf_counter() - started
            for name, url in (("story page", f"/stories/{story}"), ("/api/stories/{id}", f"/api/stories/{story}")):
                for _ in range(5):
                    client.get(url).raise_for_status()  # warm
                results[name] = load(client, url, args.requests, args.workers, args.seconds)
                r = results[name]
                print(f"{name}: {r['requests']} requests, median {r['median_ms']:.1f} ms, "
                      f"p95 {r['p95_ms']:.1f} ms, max {r['max_ms']:.1f} ms, {r['per_second']:.0f}/s, "
                      f"{r['bytes'] / 1e6:.2f} MB each")
    finally:
        server.terminate()
        server.wait(timeout=30)
    write_doc(args, story, ingest_seconds, brief_seconds, first_page, results)


def write_doc(args, story, ingest_seconds, brief_seconds, first_page, results) -> None:
    date = subprocess.run(["date", "-u"], capture_output=True, text=True).stdout.strip()
    lines = [
        "## Web app latency (`rashomon serve`)",
        "",
        f"Command: `.venv/bin/python benchmarks/web_latency.py --workers {args.workers} --requests {args.requests} "
        f"--seconds {args.seconds:g}`  ",
        f"Date: {date}. Machine: {os.cpu_count()} cores ({platform.machine()}), the server and the load "
        "generator on the same machine, over loopback.",
        "",
        f"Story: {PER_COLLECTION * len(COLLECTIONS)} articles, the first {PER_COLLECTION} by date of each of the "
        "five Timeline17 BP-oil-spill collections (BBC, Fox News, The Guardian, Reuters, Washington Post), "
        "ingested as JSON records (outlet = the collection's outlet, published = the article's date) and "
        "assembled into one synthetic story (every article assigned to the largest story the grouper made). "
        f"Ingest and analysis took {ingest_seconds:.0f} s; the first brief {brief_seconds:.1f} s "
        f"(then cached in the store); the server's first render of the page {1000 * first_page:.0f} ms.",
        "",
        f"Load: {args.workers} concurrent clients (httpx in a thread pool, a second process), "
        f"up to {args.requests} requests per endpoint, bounded at {args.seconds:g} s, after 5 warm-up requests.",
        "",
        "| endpoint | requests | median | p95 | max | requests/s | response size |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(f"| {name} | {r['requests']} | {r['median_ms']:.1f} ms | {r['p95_ms']:.1f} ms | "
                     f"{r['max_ms']:.1f} ms | {r['per_second']:.0f} | {r['bytes'] / 1e6:.2f} MB |")
    lines += ["", "Repeated requests are served from the app's memo of the rendered page and JSON document, "
                  "checked against the story's current articles on every request (one indexed query), so "
                  "the figures are the steady state of a story being read; a story whose articles changed is "
                  "rebuilt on its next request.", ""]
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
