"""Claim thresholds fitted on brief-gold folds and reported on the held-out fold (issue 14).

Run: .venv/bin/python benchmarks/briefgold_claims.py --sweep "LINK_SCORE=0.83;LINK_SCORE=0.75,GROUP_MIN_SCORE=0.5"

The 50 records of ../shared/eval/briefgold are ingested and analysed once (the product's own
pipeline, in memory); then, for every setting of the sweep, the constants of
``rashomon.reconcile.claims`` (and ``rashomon.reconcile.summary``, prefixed ``summary.``) are
patched, every story is reconciled again, and the briefs are scored per fold by the set's
``score.py``. Leave-one-fold-out: for each fold, the setting with the best objective on the
OTHER three folds is chosen and its score on the held-out fold is reported; the table shows
the mean over held-out folds. The objective is the mean of the claim measures (aligned,
agreed precision, 1 − agreed over a conflict, 1 − single-source reported by others,
conflicts flagged, conflicts real). Prints a Markdown table; writes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from briefgold import GOLD_SET, fold_inputs, score  # noqa: E402  (benchmarks/ is on sys.path)

MEASURES = {
    "multi-outlet facts aligned (recall)": ("aligned", 1),
    "agreed claims that align one fact across articles (precision)": ("agreed P", 1),
    "agreed claims over a gold conflict (lower is better)": ("agreed/conflict", -1),
    "single-source claims that other outlets report (lower is better)": ("single wrong", -1),
    "conflicts flagged (recall)": ("conflicts R", 1),
    "conflicts flagged that are real (precision)": ("conflicts P", 1),
    "summary sentences that are boilerplate (lower is better)": ("summary junk", 0),
    "key facts in the summary (recall)": ("key facts", 0),
    "summary length / story length in words (lower is better)": ("summary length", 0),
}


def objective(m: dict) -> float:
    vals = []
    for name, (_, sign) in MEASURES.items():
        if sign == 0 or m.get(name) is None:
            continue
        vals.append(m[name] if sign > 0 else 1 - m[name])
    return sum(vals) / len(vals) if vals else 0.0


def _mean(values: list) -> float:
    """Mean over the folds where the measure is defined."""
    got = [v for v in values if v is not None]
    return sum(got) / len(got) if got else 0.0


def parse(spec: str) -> list[dict[str, float]]:
    out = []
    for setting in spec.split(";"):
        pairs = [p.split("=") for p in setting.split(",") if p.strip()]
        out.append({k.strip(): float(v) for k, v in pairs})
    return out or [{}]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweep", default="")
    ap.add_argument("--folds", type=int, default=4)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import rashomon.reconcile.claims as rc
    import rashomon.reconcile.summary as rs
    from rashomon import Store
    from rashomon.pipeline import ingest, load_analyses, quiet_libraries
    from rashomon.reconcile.brief import build_brief
    from rashomon.render.jsonout import briefs_document

    quiet_libraries()
    records = [json.loads(x) for x in (GOLD_SET / "articles.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    settings = parse(args.sweep)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        inputs = tmp / "in.jsonl"
        inputs.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "story"}) + "\n" for r in records),
                          encoding="utf-8")
        store = Store(":memory:")
        ingest([str(inputs)], store)
        from rashomon.analyze import docs
        docs.use_store(store)
        stories, assignments = store.stories(), store.assignments()
        story_analyses = {sid: [replace(a, article=replace(a.article, duplicate_of=assignments[a.article.id][1]))
                                for a in load_analyses(store, ids)] for sid, ids in stories.items()}
        folds = [fold_inputs(tmp, records, f, args.folds) for f in range(args.folds)]
        results = []
        for k, setting in enumerate(settings):
            saved = {}
            for name, value in setting.items():
                mod, attr = (rs, name.split(".", 1)[1]) if name.startswith("summary.") else (rc, name)
                saved[(mod, attr)] = getattr(mod, attr)
                setattr(mod, attr, type(saved[(mod, attr)])(value))
            briefs = [build_brief(sid, an) for sid, an in sorted(story_analyses.items())]
            for (mod, attr), value in saved.items():
                setattr(mod, attr, value)
            out = tmp / f"briefs{k}.json"
            out.write_text(json.dumps(briefs_document(briefs, [])), encoding="utf-8")
            per_fold = [score(a, g, out)[0] for a, g in folds]
            results.append(per_fold)
            print(f"setting {setting or 'defaults'}: objective by fold "
                  + " ".join(f"{objective(m):.3f}" for m in per_fold), file=sys.stderr, flush=True)
    held = []
    for f in range(args.folds):
        def train(k: int) -> float:
            return sum(objective(results[k][g]) for g in range(args.folds) if g != f)
        best = max(range(len(settings)), key=lambda k: (train(k), -k))
        held.append((f, best, results[best][f]))
    print("| setting | " + " | ".join(short for short, _ in MEASURES.values()) + " | objective |")
    print("|---|" + "---|" * (len(MEASURES) + 1))
    for k, setting in enumerate(settings):
        row = [_mean([m.get(n) for m in results[k]]) for n in MEASURES]
        print(f"| {setting or 'defaults'} | " + " | ".join(f"{100 * v:.1f}" for v in row)
              + f" | {sum(objective(m) for m in results[k]) / args.folds:.3f} |")
    row = [_mean([m.get(n) for _, _, m in held]) for n in MEASURES]
    print("| **held-out (chosen on the other 3 folds)** | " + " | ".join(f"{100 * v:.1f}" for v in row)
          + f" | {sum(objective(m) for _, _, m in held) / args.folds:.3f} |")
    print("chosen per held-out fold: " + ", ".join(f"fold {f}: {settings[b] or 'defaults'}" for f, b, _ in held))


if __name__ == "__main__":
    main()
