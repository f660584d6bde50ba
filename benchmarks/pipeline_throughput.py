"""Wall time, articles per second and peak memory of `rashomon brief`.

Runs the real command in a subprocess on (a) the five seed articles and (b) N real
articles from ../shared/eval/timeline17 (written to a temporary .jsonl outside the
repository), and, in the same run, spaCy's ``nlp.pipe`` alone over the same texts: the
cost floor of the chosen NLP. Timings on a shared machine are noisy; compare the ratio.

    .venv/bin/python benchmarks/pipeline_throughput.py [--articles 500,1000,2000] [--cut-words 650]

``--articles`` may list several corpus sizes (each the first N of the same interleaved
order): each is briefed by its own process, so the peak RSS column shows whether memory
grows with the corpus; spaCy alone is timed on each (so every row has its ratio), and each
row is printed as soon as it is measured (a run cut short still reports its first sizes).

``--cut-words N`` ends each article at the first sentence end after N words (Timeline17
articles average ~980 words; N=650 gives a set of about 500 words on average, the length
the throughput target is stated for). spaCy alone is timed with one process (the cost
floor of the NLP as a single-process pipeline) and with as many processes as
``rashomon`` uses for analysis (``RASHOMON_WORKERS``, default one per core).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from evalkit import require, timed_child  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PYTHON = sys.executable
RASHOMON = str(Path(PYTHON).with_name("rashomon"))


def cut_text(text: str, words: int | None) -> str:
    """``text`` up to the first sentence end after ``words`` words (Timeline17 is
    tokenised: a sentence ends with a lone "." token)."""
    if not words:
        return text
    tokens = text.split(" ")
    for j in range(words, len(tokens)):
        if tokens[j] in (".", "!", "?"):
            return " ".join(tokens[:j + 1])
    return text


def timeline17_records(limit: int, cut_words: int | None = None) -> list[dict]:
    folder = SHARED / "eval" / "timeline17"
    topics = sorted(p for p in folder.iterdir() if (p / "articles.json").exists())
    per_topic = [json.loads((t / "articles.json").read_text(encoding="utf-8")) for t in topics]
    records, i = [], 0
    while len(records) < limit and any(i < len(a) for a in per_topic):
        for topic, articles in zip(topics, per_topic):
            if i < len(articles) and len(records) < limit:
                a = articles[i]
                records.append({"id": f"{topic.name}-{a['uid']}", "text": cut_text(a["text"], cut_words), "published": a["dct"][:10],
                                "outlet": topic.name.split("_", 1)[1]})
        i += 1
    return records


def run(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (the command and its worker processes) and peak RSS (MB) of a
    child process. CPU seconds are the steadier figure on a shared machine."""
    wall, cpu, rss = timed_child(cmd, {**os.environ, "HF_HUB_OFFLINE": "1"})
    return wall, cpu, rss


SPACY_ONLY = """
import json, sys, time
from rashomon.analyze.nlp import load_nlp
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
nlp = load_nlp()
t = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=16, n_process=int(sys.argv[2])):
    pass
print(time.perf_counter() - t)
"""


def spacy_only(path: Path, processes: int = 1) -> float:
    """Seconds of ``nlp.pipe`` alone over the texts (model loading excluded)."""
    proc = subprocess.run([PYTHON, "-c", SPACY_ONLY, str(path), str(processes)], capture_output=True, text=True,
                          check=True)
    return float(proc.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", default="2000", help="corpus size, or sizes separated by commas")
    parser.add_argument("--cut-words", type=int, default=650,
                        help="end each article at the first sentence end after this many words (0 = whole)")
    args = parser.parse_args()
    require(SHARED / "seeds", "The seed articles")
    from rashomon.analyze.article import workers

    n_workers = workers()
    rows = []
    sizes = sorted(int(n) for n in str(args.articles).split(","))
    with tempfile.TemporaryDirectory() as tmp:
        seeds_wall, seeds_cpu, seeds_rss = run([RASHOMON, "brief", str(SHARED / "seeds"), "--format", "json", "--quiet"])
        rows.append(("seeds", 5, _mean_words([p.read_text() for p in (SHARED / "seeds").glob("*.txt")]),
                     seeds_wall, seeds_cpu, seeds_rss, None, None))
        for size in sizes:
            records = timeline17_records(size, args.cut_words or None)
            path = Path(tmp) / f"t17-{size}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
            wall, cpu, rss = run([RASHOMON, "brief", str(path), "--format", "json", "--quiet", "--db", str(Path(tmp) / f"b{size}.db")])
            pipe_one = spacy_only(path, 1)
            pipe_many = spacy_only(path, n_workers) if n_workers > 1 else pipe_one
            name = f"timeline17 ({len(records)}" + (f", cut after {args.cut_words} words)" if args.cut_words else ")")
            rows.append((name, len(records), _mean_words([r["text"] for r in records]), wall, cpu, rss, pipe_one,
                         pipe_many))
            print(_row(*rows[-1]), f"(load average {os.getloadavg()[0]:.1f})", flush=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = f".venv/bin/python benchmarks/pipeline_throughput.py --articles {args.articles} --cut-words {args.cut_words}"
    load = os.getloadavg()[0]
    lines = [
        "## Pipeline throughput (`rashomon brief`)",
        "",
        f"Command: `{command}` · {date} · {machine} · analysis and brief workers: {n_workers} · load average at the end {load:.1f}",
        "",
        "Whole command (ingest, analysis, grouping, every story's brief, JSON out), start-up (model loading, "
        "lazily, once) included. spaCy alone is `nlp.pipe` over the same texts in the same run, model loading excluded: "
        f"with 1 process, and with {n_workers} (`n_process`, as many as rashomon's analysis workers).",
        "",
        "| corpus | articles | mean words | wall s | CPU s (all processes) | articles/s | peak RSS MB (largest process) "
        f"| spaCy 1 process s | ratio spaCy(1)/full | spaCy {n_workers} processes s | ratio spaCy({n_workers})/full |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines.extend(_row(*row) for row in rows)
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "docs" / "bench" / "pipeline.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    previous = out.read_text(encoding="utf-8") if out.exists() else ""
    top, history = previous.split(HISTORY, 1) if HISTORY in previous else (previous, "")
    if top.strip():  # the previous top section (its table and the notes under it) becomes history
        top = re.sub(r"(?m)^## Pipeline throughput \(`rashomon brief`\)\n", "#### Previous run\n", top, count=1)
        history = "\n" + re.sub(r"(?m)^(#{2,3}) ", r"\1## ", top).rstrip("\n") + "\n" + history
    startup = [p for p in re.split(r"(?m)^(?=## )", history) if p.startswith("## Start-up\n")]
    history = "".join(p for p in re.split(r"(?m)^(?=## )", history) if not p.startswith("## Start-up\n"))
    out.write_text(text + "\n" + HISTORY + history.rstrip("\n") + "\n\n" + "".join(startup), encoding="utf-8")


HISTORY = "### Earlier runs (older code; kept for comparison)\n"


def _row(name: str, n: int, words: float, wall: float, cpu: float, rss: float, one: float | None,
         many: float | None) -> str:
    cells = [f"{one:.1f}", f"{one / wall:.2f}", f"{many:.1f}", f"{many / wall:.2f}"] if one else ["—"] * 4
    return (f"| {name} | {n} | {words:.0f} | {wall:.1f} | {cpu:.1f} | {n / wall:.2f} | {rss:.0f} | "
            + " | ".join(cells) + " |")


def _mean_words(texts: list[str]) -> float:
    return sum(len(t.split()) for t in texts) / max(1, len(texts))


if __name__ == "__main__":
    main()
