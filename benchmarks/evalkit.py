"""Helpers the benchmark scripts share (run them as `python benchmarks/NAME.py`, which puts
this folder on sys.path)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ECB = SHARED / "eval" / "ecbplus"


def require(path: Path, what: str) -> Path:
    """``path`` in the shared data, or exit with a message naming it and the fix."""
    if not path.exists():
        raise SystemExit(f"{what} not found at {path.resolve()}: the benchmarks read the shared data "
                         "(../shared, with seeds/ and eval/) beside the checkout")
    return path


def greedy_match(gold: list[tuple[int, int]], pred: list[tuple[int, int]], threshold: float) -> list[tuple[int, int]]:
    """One-to-one greedy matching in gold order: (gold index, pred index) pairs whose
    character overlap is at least ``threshold`` of the gold span (the best free one)."""
    free = set(range(len(pred)))
    pairs = []
    for gi, (gs, ge) in enumerate(gold):
        best, best_score = None, 0.0
        for pi in sorted(free):
            ps, pe = pred[pi]
            overlap = min(ge, pe) - max(gs, ps)
            score = overlap / (ge - gs) if ge > gs else 0.0
            if score >= threshold and score > best_score:
                best, best_score = pi, score
        if best is not None:
            free.discard(best)
            pairs.append((gi, best))
    return pairs


def ecbplus_annotated_sentences() -> dict[str, set[int]]:
    """ECB+ document ("T_Necb") → the sentence numbers that were annotated."""
    out: dict[str, set[int]] = defaultdict(set)
    with open(ECB / "ECBplus_coreference_sentences.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            out[f"{row['Topic']}_{row['File']}"].add(int(row["Sentence Number"]))
    return out


def run_stamp() -> tuple[str, str]:
    """When and on how many cores a benchmark ran: (`date -u`, `nproc`)."""
    import os
    import subprocess

    date = subprocess.run(["date", "-u"], capture_output=True, text=True).stdout.strip()
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or str(os.cpu_count())
    return date, cores


def timed_child(cmd: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """Run ``cmd`` as a child process: (wall seconds, CPU seconds user + system, peak RSS MB).
    A failure exits with the command and the end of its stderr."""
    import os
    import subprocess
    import time

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def replace_section(report: Path, heading: str, title: str, command: str, lines: list[str]) -> None:
    """Replace (or append) the section ``## title`` of the Markdown file ``report`` (made with
    ``# heading`` if missing) with the command, the run stamp and ``lines``."""
    import platform
    import re

    stamp, cores = run_stamp()
    body = [f"## {title}", "", f"Command: `.venv/bin/python {command}`  ",
            f"Run: {stamp}; machine: {cores} cores (nproc), {platform.machine()}.", "", *lines, ""]
    old = report.read_text(encoding="utf-8") if report.exists() else f"# {heading}\n\n"
    sections = re.split(r"(?m)^(?=## )", old)
    head, rest = sections[0], sections[1:]
    for i, section in enumerate(rest):
        if section.startswith(f"## {title}\n"):
            rest[i] = "\n".join(body) + "\n"
            break
    else:
        rest.append("\n".join(body) + "\n")
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(head + "".join(rest), encoding="utf-8")


def scaling_run(doc: str, script: str, measure, key: str, sizes: str = "250,500,1000,2000,4000",
                compare_sizes: str | None = None):
    """The command line shared by the per-item cost benchmarks: ``--sizes``, ``--compare-src``
    (the same measure with another checkout's ``src/``, in a subprocess of the same run, rows
    keyed by ``key``), ``--json`` (print the rows only) and ``--no-write``. Returns
    (args, rows, other rows by key or None), or None after ``--json``."""
    import argparse
    import json
    import os
    import subprocess
    import sys

    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--sizes", default=sizes)
    ap.add_argument("--compare-src", help="also time the code of another checkout's src/ (subprocess)")
    if compare_sizes is not None:
        ap.add_argument("--compare-sizes", default=compare_sizes)
    ap.add_argument("--json", action="store_true", help="print the measures as JSON only")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    rows = measure([int(x) for x in args.sizes.split(",")])
    if args.json:
        print(json.dumps(rows))
        return None
    other = None
    if args.compare_src:
        env = dict(os.environ, PYTHONPATH=args.compare_src)
        theirs = getattr(args, "compare_sizes", None) or args.sizes
        run = subprocess.run([sys.executable, script, "--json", "--sizes", theirs],
                             capture_output=True, text=True, env=env, check=True)
        other = {r[key]: r for r in json.loads(run.stdout.strip().splitlines()[-1])}
    return args, rows, other
