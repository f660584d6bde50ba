"""Same-story similarity vs human judgement: SemEval-2022 Task 8 training pairs.

    .venv/bin/python benchmarks/semeval_similarity.py

Reads ../shared/eval/semeval2022t8/training_set.csv beside the checkout. Sign convention
of the data: ``Overall`` 1 = very similar, 4 = very dissimilar, so a good similarity
correlates NEGATIVELY with it; we report Pearson r as measured and -r ("agreement").
The pairs carry no publication dates, so the date term is absent here: the score is
meaning (MiniLM cosine) + entity overlap, computed as the pipeline does (each text
analysed as an Article by rashomon.analyze.article, then group.grouping.group_item).
Also prints the join threshold this set would pick (best F1 at telling "same story"
pairs, Overall <= 2, from the rest) as a check on the ECB+ cross-validated one.
Writes the section "SemEval-2022 Task 8" of docs/bench/stories.md.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from ecbplus_stories import write_section  # noqa: E402
from evalkit import require  # noqa: E402

from rashomon.group.params import DEFAULT_PARAMS  # noqa: E402
from rashomon.group.similarity import TermStats, centred_cosine, combine, entity_overlap  # noqa: E402

DATA = ROOT / ".." / "shared" / "eval" / "semeval2022t8" / "training_set.csv"
SAME_STORY = 2.0
"""Overall <= 2 ("somewhat" or "very" similar) counts as the same story for the threshold check."""


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1])


def main() -> None:
    require(DATA, "SemEval-2022 Task 8 data")
    from rashomon.analyze.article import analyze_articles
    from rashomon.group.grouping import group_item
    from rashomon.model import Article

    csv.field_size_limit(sys.maxsize)
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    started = time.perf_counter()
    texts = sorted({row[key] for row in rows for key in ("text1", "text2")})
    position = {text: i for i, text in enumerate(texts)}
    items = [group_item(a) for a in analyze_articles((Article(id=f"t{i}", source=f"t{i}", text=t)
                                                       for i, t in enumerate(texts)), total=len(texts))]
    vectors = [np.asarray(item.embedding, dtype=np.float32) for item in items]
    entities = [item.entities for item in items]
    # As the grouper scores: centred cosine (the mean of the texts held) and rarity-weighted
    # words, with the whole set as the articles held.
    stats = TermStats()
    for item in items:
        stats.add(item.terms)
    mean = (np.sum(vectors, axis=0) / len(vectors)).astype(np.float32) if DEFAULT_PARAMS.centre_vectors else None
    elapsed = time.perf_counter() - started

    cosine, ours, overall, english = [], [], [], []
    for row in rows:
        a, b = position[row["text1"]], position[row["text2"]]
        cos = float(np.dot(vectors[a], vectors[b]))
        overlap = entity_overlap(entities[a], entities[b], DEFAULT_PARAMS.entity_cap)
        cosine.append(cos)
        lexical = stats.cosine(items[a].terms, Counter(items[b].terms)) if DEFAULT_PARAMS.weight_terms > 0 else None
        ours.append(combine(centred_cosine(vectors[a], vectors[b], mean), overlap, None, DEFAULT_PARAMS, lexical))
        overall.append(float(row["Overall"]))
        english.append(row["lang1"] == "en" and row["lang2"] == "en")
    cosine_a, ours_a, overall_a, en = map(np.asarray, (cosine, ours, overall, english))

    lines = [
        f"Pairs: {len(rows)} ({int(en.sum())} English-English). Overall: 1 = very similar, "
        "4 = very dissimilar, so r < 0 is agreement; -r shown too. No dates in this set.",
        "",
        "| score | pairs | Pearson r | -r |",
        "|---|---|---|---|",
    ]
    for label, scores in (("MiniLM cosine", cosine_a), ("same-story similarity (as the grouper scores)", ours_a)):
        for subset, mask in (("English only", en), ("all languages", np.ones_like(en))):
            r = pearson(scores[mask], overall_a[mask])
            lines.append(f"| {label} | {subset} ({int(mask.sum())}) | {r:.3f} | {-r:.3f} |")
    same = overall_a <= SAME_STORY
    grid = [round(0.20 + 0.02 * i, 2) for i in range(31)]

    def f1_at(t: float, mask: np.ndarray) -> float:
        pred = ours_a[mask] >= t
        gold = same[mask]
        tp = float(np.sum(pred & gold))
        return 2 * tp / (float(pred.sum()) + float(gold.sum())) if tp else 0.0

    best_en = max(grid, key=lambda t: (f1_at(t, en), -t))
    lines += [
        "",
        f"Threshold check: on English pairs, \"same story\" (Overall <= {SAME_STORY:g}) vs the rest is told best "
        f"at similarity >= {best_en:.2f} (F1 {f1_at(best_en, en):.3f}); params.py join_threshold = "
        f"{DEFAULT_PARAMS.join_threshold:.2f} gives F1 {f1_at(DEFAULT_PARAMS.join_threshold, en):.3f} there.",
        "",
        f"Features ({len(texts)} texts: rashomon analysis, MiniLM embedding of the lede + spaCy mentions): {elapsed:.0f} s. MiniLM (all-MiniLM-L6-v2) is "
        "English-only: the non-English figures are shown for completeness.",
    ]
    print("\n".join(lines))
    write_section("SemEval-2022 Task 8", "benchmarks/semeval_similarity.py", lines)


if __name__ == "__main__":
    main()
