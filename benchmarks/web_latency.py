"""The web app under load: a 200-article story read by 8 and 32 concurrent clients, also
while an upload is being analysed.

The story: 40 articles from each of the five Timeline17 BP-oil-spill collections (BBC, Fox
News, The Guardian, Reuters, Washington Post; the first 40 by date of each), ingested as
JSON records (text, outlet = the collection's outlet, published = the article's date, id),
then assembled into ONE synthetic story by assigning all 200 to the largest story the
grouper made (through Store.set_assignment, recorded as a move). Its brief is built once
(timed) and kept in the store. Then `rashomon serve` runs in a second process on loopback
(its worker loads the stored brief in the background; the first request meanwhile gets the
"building" page at once) and this script sends bounded concurrent load (httpx clients in a
thread pool) per endpoint: p50 / p95 / p99 / max, errors, requests/s, and the server's
resident memory before and after. Last, the same load runs while an upload of
Timeline17 H1N1 articles (another story) is analysed by the server's worker, and the upload's
own answer time is recorded.

    .venv/bin/python benchmarks/web_latency.py [--clients 8 32] [--requests 400] [--seconds 60]
        [--db benchmarks/out/web_latency.db --reuse]
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
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from evalkit import require, run_stamp  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
T17 = ROOT / ".." / "shared" / "eval" / "timeline17"
COLLECTIONS = {"bpoil_bbc": "BBC", "bpoil_foxnews": "Fox News", "bpoil_guardian": "The Guardian",
               "bpoil_reuters": "Reuters", "bpoil_washingtonpost": "Washington Post"}
PER_COLLECTION = 40
UPLOAD = {"H1N1_bbc": "BBC", "H1N1_guardian": "The Guardian", "H1N1_reuters": "Reuters"}
UPLOAD_PER_COLLECTION = 4
"""Each upload analysed during a load phase: the next 4 by date of each of three H1N1 collections."""
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


def upload_records(phase: int) -> list[dict]:
    """The articles uploaded during load phase ``phase`` (each phase new ones: an article's id is
    its content, so a repeated text would be "already stored" and not analysed)."""
    out = []
    for folder, outlet in UPLOAD.items():
        items = json.loads((T17 / folder / "articles.json").read_text(encoding="utf-8"))
        items.sort(key=lambda a: (a["dct"], str(a["uid"])))
        for item in items[phase * UPLOAD_PER_COLLECTION:(phase + 1) * UPLOAD_PER_COLLECTION]:
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


def rss_mb(pid: int) -> float:
    """Resident memory of a process (and its children), in MB, from /proc."""
    total = 0
    pids = [pid]
    try:
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def percentile(times: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted ``times`` (seconds) in ms."""
    if not times:
        return float("nan")
    return 1000 * times[min(len(times) - 1, max(0, int(round(q * len(times))) - 1))]


def load(client, url: str, requests: int, clients: int, seconds: float, until=None, headers=None,
         ok: int = 200) -> dict:
    """``requests`` GETs of ``url`` from ``clients`` concurrent threads, stopped at ``seconds``
    (or, with ``until``, as soon as it returns True); ``ok`` is the status expected."""
    deadline = time.perf_counter() + seconds
    results: list[tuple[float, int, int]] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def client_loop():
        while True:
            with lock:
                n = next(counter, None)
            if n is None or time.perf_counter() > deadline or (until is not None and until()):
                return
            t = time.perf_counter()
            try:
                response = client.get(url, headers=headers)
                size = int(response.headers.get("content-length") or len(response.content))
                _ = response.content
                status = response.status_code
            except Exception as exc:  # a dropped connection or a timeout counts as an error
                with lock:
                    errors.append(type(exc).__name__)
                continue
            elapsed = time.perf_counter() - t
            with lock:
                results.append((elapsed, status, size))
                if status != ok:
                    errors.append(str(status))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for _ in range(clients):
            pool.submit(client_loop)
    wall = time.perf_counter() - started
    times = sorted(t for t, status, _ in results if status == ok)
    sizes = [size for _, status, size in results if status == ok]
    return {"requests": len(results), "errors": len(errors), "error_kinds": sorted(set(errors)),
            "p50_ms": percentile(times, 0.50), "p95_ms": percentile(times, 0.95), "p99_ms": percentile(times, 0.99),
            "max_ms": 1000 * times[-1] if times else float("nan"), "per_second": len(results) / wall,
            "wire_mb": (statistics.median(sizes) / 1e6) if sizes else 0.0}


def show(label: str, r: dict) -> None:
    print(f"{label}: {r['requests']} requests, {r['errors']} errors, p50 {r['p50_ms']:.1f} ms, "
          f"p95 {r['p95_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.1f} ms, "
          f"{r['per_second']:.0f}/s, {r['wire_mb']:.2f} MB on the wire", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--requests", type=int, default=400, help="per endpoint and client count")
    parser.add_argument("--seconds", type=float, default=60, help="time bound per endpoint")
    parser.add_argument("--db", type=Path, default=OUT / "web_latency.db")
    parser.add_argument("--reuse", action="store_true", help="use --db as it is when it holds the story")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/bench/web.md alone")
    parser.add_argument("--no-upload", action="store_true", help="skip the rows read during an upload's analysis")
    args = parser.parse_args()
    require(T17, "Timeline17")
    import httpx

    db = args.db
    if args.reuse and db.exists():
        import sqlite3

        from rashomon import Store

        run_db = OUT / "web_latency_run.db"  # a copy: the uploads below must find their texts new
        OUT.mkdir(parents=True, exist_ok=True)
        for stale in OUT.glob(run_db.name + "*"):
            stale.unlink()
        with sqlite3.connect(db) as source, sqlite3.connect(run_db) as target:
            source.backup(target)
        db = run_db
        with Store(db) as store:
            stories = store.stories()
        story = max(sorted(stories), key=lambda s: len(stories[s]))
        ingest_seconds = brief_seconds = None
        print(f"reusing {db}: story {story} of {len(stories[story])} articles")
    else:
        db.parent.mkdir(parents=True, exist_ok=True)
        for stale in db.parent.glob(db.name + "*"):
            stale.unlink()
        story, ingest_seconds, brief_seconds = build_store(db)
        print(f"story {story}: ingest {ingest_seconds:.0f} s, first brief {brief_seconds:.1f} s")

    port = free_port()
    env = {**os.environ, "RASHOMON_WORKERS": "1", "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen([sys.executable, "-m", "rashomon.cli", "serve", "--db", str(db), "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    report: dict = {"story": story, "ingest_seconds": ingest_seconds, "brief_seconds": brief_seconds, "phases": []}
    try:
        limits = httpx.Limits(max_connections=max(args.clients), max_keepalive_connections=max(args.clients))
        with httpx.Client(base_url=base, timeout=120, limits=limits) as client:
            started = time.perf_counter()
            while True:
                try:
                    if client.get("/api/stories").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.perf_counter() - started > 120 or server.poll() is not None:
                    sys.exit("the server did not start")
                time.sleep(0.2)
            report["start_seconds"] = time.perf_counter() - started
            t = time.perf_counter()
            first = client.get(f"/stories/{story}")
            report["first_page"] = {"status": first.status_code, "ms": 1000 * (time.perf_counter() - t)}
            while client.get(f"/api/stories/{story}").status_code == 202:
                time.sleep(0.2)
            report["ready_seconds"] = time.perf_counter() - started
            print(f"server up in {report['start_seconds']:.1f} s; first story page {first.status_code} in "
                  f"{report['first_page']['ms']:.0f} ms; brief ready {report['ready_seconds']:.1f} s after start")
            endpoints = (("story page", f"/stories/{story}"), ("story API", f"/api/stories/{story}"),
                         ("story list API", "/api/stories"),
                         ("story API, coverage matrix", f"/api/stories/{story}?coverage=full"))
            for url in (u for _, u in endpoints):
                for _ in range(3):
                    client.get(url).raise_for_status()  # warm: renders and compresses once
            report["rss_before_mb"] = rss_mb(server.pid)
            report["load_before"] = os.getloadavg()
            tag = client.get(endpoints[1][1]).headers["etag"]  # a reader who has the document already
            rows = [(name, url, None, 200) for name, url in endpoints]
            rows.append(("story API, revalidated (If-None-Match: 304)", endpoints[1][1], {"if-none-match": tag}, 304))
            for clients in args.clients:
                for name, url, headers, ok in rows:
                    r = load(client, url, args.requests, clients, args.seconds, headers=headers, ok=ok)
                    report["phases"].append({"clients": clients, "endpoint": name, "during": "", **r})
                    show(f"{clients} clients, {name}", r)
            report["rss_after_mb"] = rss_mb(server.pid)
            report["load_after"] = os.getloadavg()

            # the same reads while the worker analyses an upload (another story)
            phase = 0
            for clients in ([] if args.no_upload else args.clients):
                for name, url in endpoints[:2]:
                    records = upload_records(phase)
                    phase += 1
                    body = "\n".join(json.dumps(r) for r in records).encode()
                    t = time.perf_counter()
                    answer = client.post("/api/articles", files={"file": ("h1n1.jsonl", body, "application/x-ndjson")})
                    upload_ms = 1000 * (time.perf_counter() - t)
                    answer.raise_for_status()
                    rows = answer.json()["articles"]
                    pending = {row["links"]["api"] for row in rows}
                    analysed_at: list[float] = []

                    def analysing() -> bool:
                        if analysed_at:
                            return True
                        for link in list(pending):
                            if httpx.get(base + link, timeout=60).json()["status"]["stage"] in ("ready", "failed"):
                                pending.discard(link)
                        if not pending:
                            analysed_at.append(time.perf_counter())
                            return True
                        return False

                    checker_stop = threading.Event()

                    def check_loop():
                        while not checker_stop.is_set() and not analysing():
                            time.sleep(0.5)

                    checker = threading.Thread(target=check_loop, daemon=True)
                    load_started = time.perf_counter()
                    checker.start()
                    r = load(client, url, 1_000_000, clients, args.seconds * 5, until=lambda: bool(analysed_at))
                    checker_stop.set()
                    checker.join(timeout=60)
                    analysis_s = (analysed_at[0] - load_started) if analysed_at else None
                    report["phases"].append({"clients": clients, "endpoint": name,
                                             "during": f"upload of {len(rows)} articles analysed", **r,
                                             "upload_ms": upload_ms, "analysis_s": analysis_s})
                    show(f"{clients} clients, {name}, during the analysis of {len(rows)} uploaded articles "
                         f"(upload answered in {upload_ms:.0f} ms, analysed in "
                         f"{analysis_s if analysis_s is None else round(analysis_s, 1)} s)", r)
                    while client.get(url).status_code != 200:
                        time.sleep(0.2)
            report["rss_end_mb"] = rss_mb(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"server memory: {report['rss_before_mb']:.0f} MB before the load, {report['rss_after_mb']:.0f} MB after, "
          f"{report['rss_end_mb']:.0f} MB after the uploads")
    (OUT / "web_latency.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    if not args.no_write:
        write_doc(args, report)


NOTES = "### Where the time goes"


def fmt_load(values) -> str:
    return "–" if not values else " / ".join(f"{v:.1f}" for v in values)


def write_doc(args, report: dict) -> None:
    date, cores = run_stamp()
    fmt = lambda v: "–" if v is None else f"{v:.0f}"  # noqa: E731
    lines = [
        "## Web app under load (`rashomon serve`)",
        "",
        f"Command: `.venv/bin/python benchmarks/web_latency.py --clients {' '.join(map(str, args.clients))} "
        f"--requests {args.requests} --seconds {args.seconds:g}{' --reuse' if args.reuse else ''}"
        f"{' --no-upload' if args.no_upload else ''}`  ",
        f"Date: {date}. Machine: {cores} cores ({platform.machine()}), shared with other jobs; the server "
        "(`rashomon serve`, RASHOMON_WORKERS=1) and the load generator (this script: httpx clients in a thread "
        "pool) are two processes on the same machine, over loopback. Timings are noisy: compare within the table.",
        "",
        f"Story: {PER_COLLECTION * len(COLLECTIONS)} articles, the first {PER_COLLECTION} by date of each of the "
        "five Timeline17 BP-oil-spill collections, ingested as JSON records and assembled into one synthetic "
        f"story. Ingest and analysis {fmt(report['ingest_seconds'])} s; first brief {fmt(report['brief_seconds'])} s "
        "(stored; `--reuse` runs read it from the store). Server up in "
        f"{report['start_seconds']:.1f} s; its first story page answered {report['first_page']['status']} "
        f"(the building page) in {report['first_page']['ms']:.0f} ms while the worker loaded the stored brief; "
        f"brief ready {report['ready_seconds']:.1f} s after start.",
        "",
        f"Load: up to {args.requests} requests per row (bounded at {args.seconds:g} s), after warm-up requests; "
        "clients send httpx's default Accept-Encoding (gzip, deflate, and zstd where zstandard is installed); "
        "the server answers loopback clients with plain bytes (see `negotiated` in web/app.py), so \"on the wire\" "
        "is the plain size here. The story API sends the brief with `coverage_lists` (per claim the articles that "
        "report / contradict it); `?coverage=full` the claim × article matrix. The list API (a few hundred bytes) "
        "is the control; the revalidation row is a reader who has the document (304, no body). "
        f"Load average (1, 5, 15 min) when the load started: {fmt_load(report.get('load_before'))}; "
        f"after the rows without an upload: {fmt_load(report.get('load_after'))} (2 cores). "
        "\"during\": the same reads while the server's worker "
        f"analyses an uploaded .jsonl of {UPLOAD_PER_COLLECTION * len(UPLOAD)} Timeline17 H1N1 articles (another "
        "story); each such row runs until the upload is analysed and grouped.",
        "",
        "| clients | endpoint | during | requests | errors | p50 | p95 | p99 | max | requests/s | on the wire |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["phases"]:
        during = r["during"]
        if r.get("upload_ms") is not None:
            during += f" (upload answered in {r['upload_ms']:.0f} ms; analysed in " + \
                      (f"{r['analysis_s']:.0f} s)" if r.get("analysis_s") is not None else "– s)")
        lines.append(f"| {r['clients']} | {r['endpoint']} | {during or '–'} | {r['requests']} | {r['errors']} | "
                     f"{r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {r['max_ms']:.1f} ms | "
                     f"{r['per_second']:.0f} | {r['wire_mb']:.2f} MB |")
    lines += ["", f"Server resident memory: {report['rss_before_mb']:.0f} MB before the load, "
                  f"{report['rss_after_mb']:.0f} MB after it, {report['rss_end_mb']:.0f} MB after the uploads "
                  "(their analysis loads the NLP models into the server).", ""]
    DOC.parent.mkdir(parents=True, exist_ok=True)
    previous = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    notes = NOTES + previous.split(NOTES, 1)[1] if NOTES in previous else ""  # written by hand: kept
    DOC.write_text("\n".join(lines) + ("\n" + notes if notes else ""), encoding="utf-8")
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
