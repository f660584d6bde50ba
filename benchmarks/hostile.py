"""Hostile inputs, faults and the cost of one article: what happens, how long it takes, how much memory.

Every input is invented here (nothing from ../shared). Each CLI case runs the real
``rashomon`` command in a subprocess (time and peak RSS of that process via ``wait4``);
the fetch cases run against a local HTTP server (tests/fixtures/live/server.py) in this
process (time, and the Python heap's peak via tracemalloc). The per-article cost runs one
subprocess per length: load the models, then analyse one invented article of N words
(parse in pieces, every step, the embedding) and report seconds and peak RSS.

    RASHOMON_WORKERS=1 nice .venv/bin/python benchmarks/hostile.py [--sizes 1000,10000,40000,200000] [--no-write]

Writes docs/bench/reliability.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zlib
from pathlib import Path

from evalkit import run_stamp  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "RASHOMON_WORKERS": os.environ.get("RASHOMON_WORKERS", "1")}
OUT = ROOT / "docs" / "bench" / "reliability.md"

NAMES = ["Ilse Varga", "Tomas Reyhill", "Mara Okonkwo", "Piet Lindqvist", "Anouk Brell", "Dario Feyn"]
PLACES = ["Brenmoor", "Oskarby", "Calder", "Ellmoor", "Tarrow", "Valemont"]
ORGS = ["the harbour board", "the Brenmoor council", "Valemont Rail", "the regional court", "the port union"]
SENTENCES = [
    "{name} said on {day} that {org} would spend {n} million euros on the {place} works.",
    "\"We have done what we promised,\" {name} told reporters in {place}.",
    "According to {org}, {n} people attended the meeting in {place} on {day}.",
    "The plan, first announced in {month}, was approved by {org} after a long debate.",
    "{name}, a spokesperson for {org}, declined to comment on the {place} dispute.",
    "Work on the {place} bridge is expected to last {n} months, officials said.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "March", "May", "August", "October"]


def invented_text(words: int, seed: int = 18) -> str:
    """An invented news text of about ``words`` words, paragraphs of four sentences."""
    rng = random.Random(seed)
    out, count, paragraph = [], 0, []
    while count < words:
        sentence = rng.choice(SENTENCES).format(name=rng.choice(NAMES), org=rng.choice(ORGS), place=rng.choice(PLACES),
                                                day=rng.choice(DAYS), month=rng.choice(MONTHS), n=rng.randint(2, 90))
        paragraph.append(sentence)
        count += len(sentence.split())
        if len(paragraph) == 4:
            out.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        out.append(" ".join(paragraph))
    return "\n".join(out)


# ----------------------------------------------------------------------------- measuring


def run_cli(args: list[str], timeout: float = 900) -> dict:
    """Run ``rashomon ARGS``: exit code, last stderr line, stdout, seconds and peak RSS (MB)."""
    return _run([PYTHON, "-m", "rashomon.cli", *args])


def run_python(code: str, *args: str) -> dict:
    return _run([PYTHON, "-c", code, *args])


def _run(command: list[str]) -> dict:
    """One subprocess, timed, with its own peak RSS from ``wait4``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(command, env=ENV, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    lines = stderr.strip().splitlines()
    return {"code": proc.returncode, "stderr": lines[-1] if lines else "", "traceback": "Traceback" in stderr,
            "stdout": stdout, "seconds": seconds, "rss": usage.ru_maxrss / 1024}


def in_process(fn) -> tuple[object, float, float]:
    tracemalloc.start()
    start = time.monotonic()
    try:
        result = fn()
    finally:
        seconds = time.monotonic() - start
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return result, seconds, peak


# ----------------------------------------------------------------------------- the cases


def cli_cases(work: Path) -> list[tuple[str, str, float, float]]:
    """(case, what happened, seconds, peak RSS MB of the largest child so far)."""
    rows = []
    good = "Harbour works\nMayor Ilse Varga said on Tuesday that the Oskarby harbour would reopen in May.\n"

    def case(name: str, files: dict[str, bytes], extra: list[str] | None = None, args: list[str] | None = None):
        folder = work / name.replace(" ", "_")[:40]
        folder.mkdir(parents=True, exist_ok=True)
        for fname, data in files.items():
            with open(os.fsencode(str(folder)) + b"/" + fname.encode("utf-8", "surrogateescape"), "wb") as handle:
                handle.write(data)
        result = run_cli(args or ["brief", str(folder), *(extra or []), "--format", "json", "--quiet"])
        what = describe(result)
        rows.append((name, what, result["seconds"], result["rss"]))

    case("5 MB single line beside a normal article", {
        "pill.txt": ("Endless\n" + "The Brenmoor council approved the harbour budget on Tuesday. " * 82_000).encode(),
        "good.txt": good.encode()})
    case("JSON nested 10,000 deep, then a good file", {"a.json": b"[" * 10_000 + b"]" * 10_000, "b.txt": good.encode()})
    case(".jsonl: a 10,000-deep line, then a good line", {"r.jsonl": b"[" * 10_000 + b"]" * 10_000 + b"\n"
                                                           + json.dumps({"text": good}).encode() + b"\n"})
    case("file name that is not UTF-8", {"caf\udce9.txt": good.encode()})
    case("UTF-16 text with a BOM", {"u16.txt": good.encode("utf-16")})
    case("record: text of the wrong type; invalid published",
         {"r.jsonl": json.dumps({"text": 42}).encode() + b"\n"
          + json.dumps({"text": good, "published": "last Tuesday"}).encode() + b"\n"})
    case("record: lone surrogate in JSON", {"r.json": b'{"text": "Mayor \\ud800 Varga said the harbour opens.", '
                                                      b'"id": "\\udfff"}'})
    case("file:// and gopher:// inputs", {}, args=["brief", "file:///etc/passwd", "gopher://example.test/1",
                                                   "--quiet"])
    case("brief --db typo.db", {}, args=["brief", "--db", str(work / "typo.db")])
    case("serve --db typo.db", {}, args=["serve", "--db", str(work / "typo.db")])
    (work / "exists.txt").write_text("keep")
    case("--out onto an existing file", {"g.txt": good.encode()},
         args=["brief", str(work / "exists.txt"), "--out", str(work / "exists.txt")])
    case("--db under a path that is a file", {"g.txt": good.encode()},
         args=["ingest", str(work / "exists.txt"), "--db", str(work / "exists.txt" / "x.db")])
    corrupt = work / "corrupt.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8192)
    case("corrupt database page", {}, args=["brief", "--db", str(corrupt)])
    return rows


def describe(result: dict) -> str:
    what = f"exit {result['code']}"
    if result["traceback"]:
        what += ", TRACEBACK"
    try:
        document = json.loads(result["stdout"])
    except ValueError:
        document = None
    if document:
        arts = sum(len(s["articles"]) for s in document["stories"])
        what += f"; {len(document['stories'])} stories, {arts} articles briefed"
        notes = [r["text"][:40] for s in document["stories"] for a in s["articles"] for r in a.get("removed", [])
                 if r["kind"] == "other" and "cap" in r["text"]]
        if notes:
            what += "; cut at the cap (noted)"
        for rejected in document["rejected"]:
            what += f"; rejected: {rejected['reason'][:70]}"
    elif result["stderr"]:
        what += f"; {result['stderr'][:110]}"
    return what.replace("|", "/")


def fetch_cases() -> list[tuple[str, str, float, float]]:
    spec = importlib.util.spec_from_file_location("live_server", ROOT / "tests" / "fixtures" / "live" / "server.py")
    live = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(live)
    from rashomon.ingest.feeds import parse_feed
    from rashomon.ingest.fetch import Fetcher, FetchLimits, fetch_article

    server = live.LiveServer()
    rows = []
    limits = FetchLimits(host_interval=0.0, total_timeout=5.0)

    def trickle(head: bytes, body: bytes = b""):
        def handler(h):
            try:
                for byte in head + body:
                    h.wfile.write(bytes([byte]))
                    h.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
        return handler

    def endless(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        try:
            while True:
                h.wfile.write(b"<p>" + b"more " * 4000)
        except OSError:
            pass

    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = b"".join(squeeze.compress(b"\0" * 1_000_000) for _ in range(1000)) + squeeze.flush()  # 1 GB inflated
    server.route("/robots.txt", "User-agent: *\nDisallow: /*?print=\nDisallow: /*.pdf$\n", content_type="text/plain")
    server.route("/headers.html", handler=trickle(b"HTTP/1.1 200 OK\r\n" + b"X-Pad: y\r\n" * 100))
    server.route("/body.html", handler=trickle(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 9999\r\n\r\n",
                                               b"<p>" + b"x" * 9996))
    server.route("/endless.html", handler=endless)
    server.route("/bomb.html", bomb, headers={"Content-Encoding": "gzip"})
    server.fixture("/page.html", "story1.html")
    cases = [
        ("slow headers (one byte every 0.2 s)", "/headers.html", {}),
        ("slow body (one byte every 0.2 s)", "/body.html", {}),
        ("endless body", "/endless.html", {}),
        (f"gzip bomb ({len(bomb) // 1000} kB → 1 GB)", "/bomb.html", {}),
        ("robots.txt wildcard /*?print=", "/page.html?print=1", {}),
        ("robots.txt wildcard /*.pdf$", "/file.pdf", {}),
        ("loopback URL without --allow-private", "/page.html", {"private": False}),
    ]
    for name, path, options in cases:
        with Fetcher(allow_private=options.get("private", True), limits=limits) as fetcher:
            result, seconds, peak = in_process(lambda: fetch_article(server.url(path), fetcher=fetcher))
        what = f"rejected: {result.reason[:100]}" if hasattr(result, "reason") else "fetched"
        rows.append((name, what, seconds, peak))
    laughs = (live.FIXTURES / "billion_laughs.xml").read_bytes()
    result, seconds, peak = in_process(lambda: parse_feed(laughs, url="http://feeds.test/x"))
    rows.append(("feed with billion laughs", f"rejected: {getattr(result, 'reason', 'read')[:100]}", seconds, peak))
    server.close()
    return rows


_ANALYSE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
from hostile import invented_text
from rashomon.analyze.article import analyze_article
from rashomon.analyze.embed import embed
from rashomon.analyze.nlp import load_nlp
from rashomon.ingest.files import cap_article, article_from_text
load_nlp(); embed(["warm up"])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
words = int(sys.argv[1])
article = article_from_text("Long report\\n" + invented_text(words), source="long.txt")
if sys.argv[2] == "cap":
    article = cap_article(article)
start = time.perf_counter()
analysis = analyze_article(article)
seconds = time.perf_counter() - start
assert all(article.text[m.span.start:m.span.end] == m.span.text for m in analysis.entities)
print(json.dumps({"words": len(article.text.split()), "seconds": seconds, "rss_models": before,
                  "rss_peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "entities": len(analysis.entities), "quotes": len(analysis.quotes)}))
"""


def article_costs(sizes: list[int], capped: list[int]) -> list[dict]:
    rows = []
    for words, mode in [(w, "whole") for w in sizes] + [(w, "cap") for w in capped]:
        result = run_python(_ANALYSE, str(words), mode, str(ROOT / "benchmarks"))
        try:
            row = json.loads(result["stdout"].strip().splitlines()[-1])
        except (ValueError, IndexError):
            row = {"error": result["stderr"]}
        row["asked"] = words
        row["mode"] = "cut at the cap" if mode == "cap" else "whole, in pieces"
        row["rss"] = result["rss"]
        rows.append(row)
        print(row, file=sys.stderr, flush=True)
    return rows


# ----------------------------------------------------------------------------- report


def report(cli_rows, fetch_rows, costs) -> str:
    date, cores = run_stamp()
    lines = [
        "## Reliability: hostile input, faults, the cost of one article (issue 18)", "",
        f"`RASHOMON_WORKERS=1 nice .venv/bin/python benchmarks/hostile.py` — {date}, {cores} cores "
        f"({platform.machine()}, shared with other jobs: times are noisy), Python {platform.python_version()}.", "",
        "### Hostile inputs through `rashomon` (one subprocess each)", "",
        "| case | what happened | seconds | peak RSS (MB) |", "|---|---|---:|---:|",
    ]
    lines += [f"| {c} | {w} | {s:.1f} | {m:.0f} |" for c, w, s, m in cli_rows]
    lines += ["", "### Fetching (local server; total deadline 5 s for this run, 30 s by default)", "",
              "| case | what happened | seconds | Python heap peak (MB) |", "|---|---|---:|---:|"]
    lines += [f"| {c} | {w.replace('|', '/')} | {s:.2f} | {m:.1f} |" for c, w, s, m in fetch_rows]
    lines += ["", "### Analysis cost of one article (invented text; parse in pieces, every step, the embedding)", "",
              "| words in the text | analysed | words analysed | seconds | ms / word | RSS after loading models (MB) "
              "| peak RSS (MB) |", "|---:|---|---:|---:|---:|---:|---:|"]
    for row in costs:
        if "error" in row:
            lines.append(f"| {row['asked']:,} | {row['mode']} | error: {row['error'][:80]} | | | | |")
            continue
        lines.append(f"| {row['asked']:,} | {row['mode']} | {row['words']:,} | {row['seconds']:.1f} | "
                     f"{1000 * row['seconds'] / row['words']:.2f} | {row['rss_models']:.0f} | {row['rss']:.0f} |")
    lines += ["", "Before (issue 18's measurement, one spaCy call on the whole text): 10k words 32 s, 40k words 100 s, "
              "200k words 937 s and 4.3 GB; a text over spaCy's 2,000,000-character limit ended the run. Now a text is "
              "parsed in pieces of at most 20,000 characters cut at paragraph ends (rows \"whole, in pieces\": the "
              "cap switched off, to show the cost per word), and an article is cut at 20,000 words or 150,000 "
              "characters (rows \"cut at the cap\": what the product does, noted in the article's `removed`).", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,40000,200000", help="article lengths analysed whole")
    parser.add_argument("--capped", default="200000", help="article lengths analysed as the product does (cut)")
    parser.add_argument("--only-costs", action="store_true", help="skip the hostile cases")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    cli_rows, fetch_rows = [], []
    if not args.only_costs:
        with tempfile.TemporaryDirectory() as tmp:
            cli_rows = cli_cases(Path(tmp))
        for row in cli_rows:
            print(row, file=sys.stderr, flush=True)
        fetch_rows = fetch_cases()
    costs = article_costs([int(s) for s in args.sizes.split(",") if s], [int(s) for s in args.capped.split(",") if s])
    text = report(cli_rows, fetch_rows, costs)
    print(text)
    if not args.no_write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
