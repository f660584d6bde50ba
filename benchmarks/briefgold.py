"""Briefs of the brief-gold stories scored the way an editor reads them, overall and by fold.

Run: .venv/bin/python benchmarks/briefgold.py [--detail FILE] [--folds 4] [--no-write]

The 16 stories of ../shared/eval/briefgold are briefed in one run (`rashomon brief` over the
50 records, exactly as a user would run it, in memory), and the resulting
`rashomon.briefs/1` document is scored by the set's own `score.py`:

- **overall**: every story at once;
- **by fold**: the stories are split into ``--folds`` folds by a hash of their id (stable,
  independent of the answers); each fold is scored alone, and the table gives the mean over
  folds with the lowest and highest fold. Any parameter fitted on brief gold must be fitted on
  the other folds and reported on the held-out fold: the per-fold scores make that possible
  (`fold_of(story)` says which fold a story is in).

``--detail FILE`` writes score.py's list of misses (read them: they say why, the totals say
how often). The section goes to docs/bench/briefgold.md unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evalkit import require, run_stamp  # noqa: E402  (benchmarks/ is on sys.path when run as a script)

ROOT = Path(__file__).resolve().parents[1]
GOLD_SET = ROOT.parent / "shared" / "eval" / "briefgold"
OUT = ROOT / "docs" / "bench" / "briefgold.md"


def fold_of(story: str, folds: int) -> int:
    """The fold of a story: a stable hash of its id, so folds never depend on the answers."""
    return int(hashlib.sha1(story.encode()).hexdigest(), 16) % folds


def make_briefs(records_path: Path, out_json: Path) -> float:
    """Brief the records into ``out_json`` with the product itself; returns the wall seconds."""
    from rashomon import Store, build_briefs
    from rashomon.pipeline import quiet_libraries
    from rashomon.render.jsonout import briefs_document

    quiet_libraries()
    t0 = time.perf_counter()
    result = build_briefs([str(records_path)], Store(":memory:"))
    doc = briefs_document(result.briefs, result.rejected)
    out_json.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return time.perf_counter() - t0


def score(articles: Path, gold_dir: Path, briefs: Path, detail: bool = False) -> tuple[dict, str]:
    """score.py's measures (and, with ``detail``, its printed misses)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "m.json"
        cmd = [sys.executable, str(GOLD_SET / "score.py"), str(articles), str(gold_dir), str(briefs), "--json", str(out)]
        if detail:
            cmd.append("--detail")
        run = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return json.loads(out.read_text())["measures"], run.stdout


def fold_inputs(tmp: Path, records: list[dict], fold: int, folds: int) -> tuple[Path, Path]:
    """An articles file and a gold folder holding only the stories of one fold."""
    stories = sorted({r["story"] for r in records if fold_of(r["story"], folds) == fold})
    arts = tmp / f"fold{fold}.jsonl"
    arts.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records if r["story"] in stories),
                    encoding="utf-8")
    gold = tmp / f"gold{fold}"
    gold.mkdir()
    for s in stories:
        (gold / f"{s}.json").symlink_to(GOLD_SET / "gold" / f"{s}.json")
    return arts, gold


def fmt(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--detail", help="write score.py's misses (overall) to this file")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/bench/briefgold.md alone")
    args = ap.parse_args()
    articles = require(GOLD_SET / "articles.jsonl", "The brief-gold articles")
    records = [json.loads(line) for line in articles.read_text(encoding="utf-8").splitlines() if line.strip()]

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        # the product reads the records as a user's .jsonl (the `story` field is not one of its fields)
        inputs = tmp / "briefgold.jsonl"
        inputs.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "story"}, ensure_ascii=False) + "\n"
                                  for r in records), encoding="utf-8")
        briefs = tmp / "briefs.json"
        wall = make_briefs(inputs, briefs)
        overall, printed = score(articles, GOLD_SET / "gold", briefs, detail=bool(args.detail))
        if args.detail:
            Path(args.detail).write_text(printed, encoding="utf-8")
        per_fold = []
        for f in range(args.folds):
            arts, gold = fold_inputs(tmp, records, f, args.folds)
            per_fold.append(score(arts, gold, briefs)[0])

    rows = []
    for name, value in overall.items():
        vals = [m.get(name) for m in per_fold if m.get(name) is not None]
        mean = sum(vals) / len(vals) if vals else None
        rows.append(f"| {name} | {fmt(value)} | {fmt(mean)} | {fmt(min(vals)) if vals else '—'}–"
                    f"{fmt(max(vals)) if vals else '—'} |")
    date, cores = run_stamp()
    section = "\n".join([
        "## Brief gold: the brief as an editor reads it",
        "",
        f"Command: `.venv/bin/python benchmarks/briefgold.py` · {date} · {os.uname().machine}, {cores} cores · "
        f"16 stories, {len(records)} articles, briefed in {wall:.1f} s",
        "",
        f"Scored by `../shared/eval/briefgold/score.py`. Folds: {args.folds} folds of stories by a hash of the story "
        "id; \"fold mean\" is the mean of the folds scored alone (lowest–highest fold beside it). Figures are "
        "percentages.",
        "",
        "| measure | all stories | fold mean | fold range |",
        "|---|---|---|---|",
        *rows,
    ])
    print(section)
    if not args.no_write:
        OUT.write_text(section + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
