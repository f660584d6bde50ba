"""Wall time, articles per second and peak memory of `rashomon brief`.

Runs the real command in a subprocess on (a) the five seed articles and (b) N real
articles from ../shared/eval/timeline17 (written to a temporary .jsonl outside the
repository), and, in the same run, spaCy's ``nlp.pipe`` alone over the same texts: the
cost floor of the chosen NLP. Timings on a shared machine are noisy; compare the ratio.

    .venv/bin/python benchmarks/pipeline_throughput.py [--articles 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PYTHON = sys.executable
RASHOMON = str(Path(PYTHON).with_name("rashomon"))


def timeline17_records(limit: int) -> list[dict]:
    folder = SHARED / "eval" / "timeline17"
    topics = sorted(p for p in folder.iterdir() if (p / "articles.json").exists())
    per_topic = [json.loads((t / "articles.json").read_text(encoding="utf-8")) for t in topics]
    records, i = [], 0
    while len(records) < limit and any(i < len(a) for a in per_topic):
        for topic, articles in zip(topics, per_topic):
            if i < len(articles) and len(records) < limit:
                a = articles[i]
                records.append({"id": f"{topic.name}-{a['uid']}", "text": a["text"], "published": a["dct"][:10],
                                "outlet": topic.name.split("_", 1)[1]})
        i += 1
    return records


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024


SPACY_ONLY = """
import json, sys, time
from rashomon.analyze.nlp import load_nlp
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
nlp = load_nlp()
t = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=16):
    pass
print(time.perf_counter() - t)
"""


def spacy_only(path: Path) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.run([PYTHON, "-c", SPACY_ONLY, str(path)], capture_output=True, text=True, check=True)
    return float(proc.stdout.strip()), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    if not (SHARED / "seeds").exists():
        raise SystemExit(f"{SHARED} is absent: the benchmark reads ../shared beside the checkout")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        seeds_wall, seeds_rss = run([RASHOMON, "brief", str(SHARED / "seeds"), "--format", "json", "--quiet"])
        rows.append(("seeds", 5, _mean_words([p.read_text() for p in (SHARED / "seeds").glob("*.txt")]),
                     seeds_wall, seeds_rss, None))
        records = timeline17_records(args.articles)
        path = Path(tmp) / "t17.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        wall, rss = run([RASHOMON, "brief", str(path), "--format", "json", "--quiet"])
        pipe_seconds, _ = spacy_only(path)
        rows.append((f"timeline17 ({len(records)})", len(records), _mean_words([r["text"] for r in records]),
                     wall, rss, pipe_seconds))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Pipeline throughput (`rashomon brief`)",
        "",
        f"Command: `.venv/bin/python benchmarks/pipeline_throughput.py --articles {args.articles}` · {date} · {machine}",
        "",
        "Whole command, start-up (model loading, ~10 s) included; spaCy alone is `nlp.pipe` over the same texts "
        "in the same run, model loading excluded.",
        "",
        "| corpus | articles | mean words | wall s | articles/s | peak RSS MB | spaCy nlp.pipe s | ratio spaCy/full |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, n, words, wall, rss, pipe in rows:
        ratio = f"{pipe / wall:.2f}" if pipe else "—"
        pipe_s = f"{pipe:.1f}" if pipe else "—"
        lines.append(f"| {name} | {n} | {words:.0f} | {wall:.1f} | {n / wall:.2f} | {rss:.0f} | {pipe_s} | {ratio} |")
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "docs" / "bench" / "pipeline.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")


def _mean_words(texts: list[str]) -> float:
    return sum(len(t.split()) for t in texts) / max(1, len(texts))


if __name__ == "__main__":
    main()
