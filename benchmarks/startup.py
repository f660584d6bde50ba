"""Start-up: wall time of `rashomon --help` and of `rashomon brief` on one article.

    .venv/bin/python benchmarks/startup.py [--repeat 5]

Each command runs as a fresh process (the installed ``rashomon`` script beside this Python),
``--repeat`` times; the median and the fastest are reported, with the CPU seconds the child
used (user + system: less sensitive than wall time to other work on a shared machine).
The article is the first seed (../shared/seeds, read at run time). Models load lazily and
once: ``--help`` loads none. Writes the section "Start-up" of docs/bench/pipeline.md.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
from pathlib import Path

from evalkit import require, run_stamp, timed_child  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RASHOMON = str(Path(sys.executable).with_name("rashomon"))
OUT = ROOT / "docs" / "bench" / "pipeline.md"
TITLE = "## Start-up"
TARGETS = {"help": 1.0, "brief": 3.0}


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one child process."""
    wall, cpu, _rss = timed_child(cmd, {**os.environ, "RASHOMON_WORKERS": "1"})
    return wall, cpu


def write_section(lines: list[str]) -> None:
    old = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    parts = re.split(r"(?m)^(?=## )", old)
    kept = [p for p in parts if not p.startswith(TITLE + "\n")]
    OUT.write_text("".join(kept).rstrip("\n") + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    seed = sorted(require(SHARED / "seeds", "The seed articles").glob("*.txt"))[0]
    words = len(seed.read_text(encoding="utf-8").split())
    commands = {
        "help": [RASHOMON, "--help"],
        "brief": [RASHOMON, "brief", str(seed), "--format", "json", "--quiet"],
    }
    results = {name: [timed(cmd) for _ in range(args.repeat)] for name, cmd in commands.items()}
    stamp, cores = run_stamp()
    load = os.getloadavg()[0]
    lines = [TITLE, "", f"Command: `.venv/bin/python benchmarks/startup.py --repeat {args.repeat}` · {stamp} · "
             f"{cores} cores · load average at the end {load:.1f}", "",
             f"Fresh process each time, `RASHOMON_WORKERS=1`; `brief` reads one seed article ({words} words) and "
             "loads spaCy and the embedding model (once, lazily).", "",
             "| command | wall s median | wall s fastest | CPU s median | target wall s | met (fastest) |",
             "|---|---|---|---|---|---|"]
    for name, runs in results.items():
        walls = [w for w, _ in runs]
        cpus = [c for _, c in runs]
        label = "`rashomon --help`" if name == "help" else "`rashomon brief` one article"
        lines.append(f"| {label} | {statistics.median(walls):.2f} | {min(walls):.2f} | {statistics.median(cpus):.2f} "
                     f"| < {TARGETS[name]:.0f} | {'yes' if min(walls) < TARGETS[name] else 'no'} |")
    print("\n".join(lines))
    write_section(lines)


if __name__ == "__main__":
    main()
