"""Cross-lingual grouping check: SemEval-2022 T8 pairs across two languages, through the grouper.

    .venv/bin/python benchmarks/crosslingual_grouping.py [--no-write] [--cache FILE]

Pairs whose two texts are in different languages (the set's lang1 != lang2) and that the
annotators rated the same story (Overall <= 1.5) or different stories (Overall >= 3.5); the
ones in between are left out. The pairs are split into folds by a hash of the pair id
(``semeval_similarity.fold_of``); for each held-out fold the cross-language weights and
threshold are fitted on the other folds (``semeval_similarity.fit``: all pairs not both
English there, Overall <= 2 as "same") and the held-out pairs are run through the real
``StoryGrouper`` with them:

- **pair by pair**: a fresh grouper gets the two texts; "together" = one story;
- **mixed**: every text of the held-out fold's pairs goes into one grouper at once (about a
  hundred texts from many stories, undated); "together" = the pair's two texts in one story.

Precision = labelled-same among the pairs put together; recall = pairs put together among
the labelled-same. Texts are read as in ``semeval_similarity.build_items`` (language
identified, multilingual vector and name keys; the English texts also get their MiniLM lede
vector, without the spaCy analysis, which the cross-language path does not read: in the
mixed run, English texts of two different pairs are compared on the English path without
their names and lede predicates). Writes the section "Languages and cross-lingual grouping:
grouping check" of docs/bench/multilingual.md.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from semeval_similarity import (FOLDS, SAME_STORY, build_items, cross_parts, cross_params, fit, fold_of,  # noqa: E402
                                load_rows, write_report)

SAME = 1.5
DIFFERENT = 3.5


def with_lede_vectors(items: dict) -> dict:
    """English texts that were not parsed get their MiniLM lede vector (the English path needs one)."""
    from rashomon.analyze.article import EMBED_CHARS
    from rashomon.analyze.embed import embed
    from rashomon.ingest.lang import english_like

    missing = [t for t, (item, guess) in items.items() if english_like(guess.code) and not len(item.embedding)]
    if missing:
        vectors = embed([t[:EMBED_CHARS] for t in missing])
        for text, vector in zip(missing, vectors):
            item, guess = items[text]
            items[text] = (replace(item, embedding=tuple(float(x) for x in vector)), guess)
    return items


def counts(together: np.ndarray, same: np.ndarray) -> tuple[float, float, float, int, int]:
    tp = int(np.sum(together & same))
    precision = tp / int(together.sum()) if together.sum() else float("nan")
    recall = tp / int(same.sum()) if same.sum() else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return precision, recall, f1, int(same.sum()), int((~same).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--cache", type=Path, help="the texts' features, shared with semeval_similarity.py")
    args = parser.parse_args()
    from rashomon.group.stories import StoryGrouper
    from rashomon.ingest.lang import english_like

    rows = load_rows()
    items, _ = build_items(rows, args.cache)
    items = with_lede_vectors(items)
    overall = np.asarray([float(r["Overall"]) for r in rows])
    folds = np.asarray([fold_of(r["pair_id"]) for r in rows])
    parts = [cross_parts(items[r["text1"]][0], items[r["text2"]][0]) for r in rows]
    not_both_english = np.asarray([not (english_like(items[r["text1"]][1].code) and english_like(items[r["text2"]][1].code))
                                   for r in rows])
    labelled = np.asarray([r["lang1"] != r["lang2"] and (o <= SAME or o >= DIFFERENT) for r, o in zip(rows, overall)])
    same = overall <= SAME
    pair_together = np.zeros(len(rows), dtype=bool)
    mixed_together = np.zeros(len(rows), dtype=bool)
    fold_lines = []
    for k in range(FOLDS):
        w, t, _ = fit(parts, overall <= SAME_STORY, not_both_english & (folds != k))
        params = cross_params(w, t)
        test = np.flatnonzero(labelled & (folds == k))
        for i in test:
            a, b = items[rows[i]["text1"]][0], items[rows[i]["text2"]][0]
            grouper = StoryGrouper(params)
            grouper.add_many([a, b])
            story = grouper.assignments()
            pair_together[i] = story[a.article_id] == story[b.article_id]
        texts = sorted({rows[i][key] for i in test for key in ("text1", "text2")})
        grouper = StoryGrouper(params)
        grouper.add_many([items[t][0] for t in texts])
        story = grouper.assignments()
        for i in test:
            mixed_together[i] = story[items[rows[i]["text1"]][0].article_id] == story[items[rows[i]["text2"]][0].article_id]
        mask = np.zeros(len(rows), dtype=bool)
        mask[test] = True
        p1, r1, f1, n_same, n_diff = counts(pair_together[mask], same[mask])
        p2, r2, f2, _, _ = counts(mixed_together[mask], same[mask])
        fold_lines.append(f"| {k} | {n_same} / {n_diff} | {w:.1f} / {t:.2f} | {p1:.3f} | {r1:.3f} | {f1:.3f} | "
                          f"{p2:.3f} | {r2:.3f} | {f2:.3f} | {len(texts)} texts, {len(grouper.stories())} stories |")
    p1, r1, f1, n_same, n_diff = counts(pair_together[labelled], same[labelled])
    p2, r2, f2, _, _ = counts(mixed_together[labelled], same[labelled])
    by_pair = []
    lang_pair = np.asarray([f"{r['lang1']}-{r['lang2']}" for r in rows])
    for pair in sorted(set(lang_pair[labelled])):
        mask = labelled & (lang_pair == pair)
        p, r, f, ns, nd = counts(pair_together[mask], same[mask])
        by_pair.append(f"| {pair} | {ns} / {nd} | {p:.3f} | {r:.3f} | {f:.3f} |")
    lines = [
        f"Pairs across two languages rated the same story (Overall <= {SAME:g}) or different (>= {DIFFERENT:g}): "
        f"{n_same} same, {n_diff} different; {FOLDS} folds by pair id, weights and threshold fitted on the other folds.",
        "",
        "| held-out fold | same / different | names weight / threshold | pair P | pair R | pair F1 | mixed P | mixed R | mixed F1 | mixed run |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *fold_lines,
        f"| **all folds** | {n_same} / {n_diff} | | **{p1:.3f}** | **{r1:.3f}** | **{f1:.3f}** | **{p2:.3f}** | **{r2:.3f}** | **{f2:.3f}** | |",
        "",
        "Pair by pair, per language pair (held-out predictions):",
        "",
        "| language pair | same / different | P | R | F1 |",
        "|---|---|---|---|---|",
        *by_pair,
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_report("Languages and cross-lingual grouping: grouping check", "benchmarks/crosslingual_grouping.py", lines)


if __name__ == "__main__":
    main()
