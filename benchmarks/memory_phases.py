"""Peak memory of `rashomon brief` by phase, at several corpus sizes.

For each size N (the first N Timeline17 articles of the interleaved order
`pipeline_throughput.py` uses, cut after 650 words):

1. **ingest**: `rashomon ingest FILE --db DB` in a child process (reading, analysis in the
   worker processes, grouping); peak RSS of the largest process (``ru_maxrss`` of the child
   and the workers it waited for).
2. **briefs**: a second child opens a copy of that store (its cached briefs dropped) and runs
   the brief phase exactly as `rashomon brief --db DB` does (``plan_briefs`` then
   ``iter_briefs``, the JSON document streamed to /dev/null). It reads VmRSS before the
   first story and, story by story, the peak reached while that story was briefed (VmHWM,
   reset before each story through ``/proc/self/clear_refs``).

The table gives the brief phase's peak, the story that set it (its article count), and the
rise over the RSS before the phase per article of that story: the constant ``c`` of
``peak ≈ base + c × (largest story's articles)``.

    .venv/bin/python benchmarks/memory_phases.py [--articles 250,500,1000] [--cut-words 650]
        [--keep DIR] [--no-write]

``--keep DIR`` keeps (and reuses) the ingested stores there, so the brief phase can be
measured again on another branch's code without analysing again. ``--briefs-only`` skips the
ingest row (the stores must be in ``--keep``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from evalkit import require, timed_child  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PYTHON = sys.executable
REPORT = ROOT / "docs" / "bench" / "pipeline.md"


def _status(field: str) -> float:
    """A /proc/self/status field in MB."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0); False where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def probe(db: str) -> dict:
    """The brief phase over the store ``db``, in this process: RSS before, each story's peak."""
    from rashomon.pipeline import iter_briefs, plan_briefs
    from rashomon.render.jsonout import write_briefs_document
    from rashomon.store import Store

    store = Store(db, create=False)
    story_ids, rejected = plan_briefs(None, store)
    sizes = {sid: len(ids) for sid, ids in store.stories().items()}
    before = _status("VmRSS")
    resettable = _reset_peak()
    stories: list[tuple[str, int, float, float]] = []  # id, articles, RSS before it, its peak

    def measured(briefs):
        start = _status("VmRSS")
        for brief in briefs:
            stories.append((brief.id, sizes.get(brief.id, len(brief.articles)), start, _status("VmHWM")))
            yield brief
            start = _status("VmRSS")
            _reset_peak()

    with open(os.devnull, "w", encoding="utf-8") as sink:
        write_briefs_document(sink.write, measured(iter_briefs(store, story_ids)), rejected)
    store.close()
    return {"before": before, "resettable": resettable, "stories": stories, "end": _status("VmRSS")}


def _brief_store(source: Path, folder: Path) -> Path:
    """A copy of an ingested store with its cached briefs dropped (so every brief is built)."""
    target = folder / f"briefs-{source.name}"
    shutil.copyfile(source, target)
    db = sqlite3.connect(target)
    with db:
        db.execute("DELETE FROM briefs")
    db.close()
    return target


def measure(size: int, cut_words: int, keep: Path, *, ingest: bool = True) -> dict:
    from pipeline_throughput import timeline17_records

    db = keep / f"t17-{size}-{cut_words}.db"
    row: dict = {"size": size}
    if ingest or not db.exists():
        records = timeline17_records(size, cut_words or None)
        path = keep / f"t17-{size}-{cut_words}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        for stale in keep.glob(db.name + "*"):
            stale.unlink()
        wall, _cpu, rss = timed_child([PYTHON, "-m", "rashomon.cli", "ingest", str(path), "--db", str(db), "--quiet"],
                                      {**os.environ, "HF_HUB_OFFLINE": "1"})
        row.update(ingest_rss=rss, ingest_wall=wall)
    with tempfile.TemporaryDirectory() as tmp:
        copy = _brief_store(db, Path(tmp))
        proc = subprocess.run([PYTHON, __file__, "--probe", str(copy)], capture_output=True, text=True,
                              env={**os.environ, "HF_HUB_OFFLINE": "1"})
        if proc.returncode != 0:
            raise SystemExit(f"brief phase failed on {size} articles: {proc.stderr[-2000:]}")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    stories = result["stories"]
    peak_story = max(stories, key=lambda s: s[3])
    largest = max(stories, key=lambda s: s[1])
    row.update(before=result["before"], peak=max(s[3] for s in stories), peak_story_articles=peak_story[1],
               largest=largest[1], largest_rise=largest[3] - largest[2], stories=len(stories),
               slope=(peak_story[3] - result["before"]) / max(1, peak_story[1]), end=result["end"],
               resettable=result["resettable"])
    return row


def _line(row: dict) -> str:
    ingest = f"{row['ingest_rss']:.0f}" if "ingest_rss" in row else "—"
    return (f"| {row['size']} | {ingest} | {row['stories']} | {row['largest']} | {row['before']:.0f} | {row['peak']:.0f} "
            f"| {row['peak_story_articles']} | {row['largest_rise']:.0f} | {row['slope']:.2f} | {row['end']:.0f} |")


HEADER = ["| articles | ingest peak MB (largest process) | stories | largest story (articles) | brief phase: RSS before MB "
          "| brief phase peak MB | articles of the story at the peak | rise during the largest story MB "
          "| (peak − before) / its articles MB | RSS at the end MB |",
          "|---|---|---|---|---|---|---|---|---|---|"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default="250,500,1000")
    parser.add_argument("--cut-words", type=int, default=650)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep and reuse the ingested stores in")
    parser.add_argument("--briefs-only", action="store_true", help="reuse the stores in --keep; measure briefs only")
    parser.add_argument("--no-write", action="store_true", help="print the table; leave docs/bench alone")
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.probe)))
        return
    require(SHARED / "eval" / "timeline17", "Timeline17")
    sizes = sorted(int(n) for n in args.articles.split(","))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        keep = args.keep or Path(tmp)
        keep.mkdir(parents=True, exist_ok=True)
        print("\n".join(HEADER), flush=True)
        for size in sizes:
            rows.append(measure(size, args.cut_words, keep, ingest=not args.briefs_only))
            print(_line(rows[-1]), f"(load average {os.getloadavg()[0]:.1f})", flush=True)
    if args.no_write:
        return
    command = (f"benchmarks/memory_phases.py --articles {args.articles} --cut-words {args.cut_words}"
               + (" --briefs-only" if args.briefs_only else ""))
    write_section(command, rows)


TITLE = "## Memory by phase (`benchmarks/memory_phases.py`)"


def write_section(command: str, rows: list[dict]) -> None:
    """This run's table as the first section of docs/bench/pipeline.md (replacing the one an
    earlier run of this script put there; every other section is kept as it is)."""
    import platform
    import re

    from evalkit import run_stamp

    stamp, cores = run_stamp()
    body = [TITLE, "", f"Command: `.venv/bin/python {command}` · {stamp} · {platform.machine()}, {cores} cores · "
            f"RASHOMON_WORKERS={os.environ.get('RASHOMON_WORKERS', 'default')} · load average at the end "
            f"{os.getloadavg()[0]:.1f}", "", *HEADER, *map(_line, rows), ""]
    old = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    sections = [part for part in re.split(r"(?m)^(?=## )", old) if part and not part.startswith(TITLE + "\n")]
    REPORT.write_text("\n".join(body) + "\n" + "".join(sections), encoding="utf-8")


if __name__ == "__main__":
    main()
