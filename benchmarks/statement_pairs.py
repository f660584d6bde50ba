"""Fit the statement pair test on brief-gold story folds and report it on the held-out folds.

Run: .venv/bin/python benchmarks/statement_pairs.py [--cache FILE] [--no-write]

Every pair of quotes that one story's speaker keys put together (``reconcile.statements.
pair_features``) is labelled from ../shared/eval/briefgold/gold: both quotes matched to gold
quotes (same article, overlap ≥ 30% of the gold quote, as score.py matches) and the gold
says whether they render one statement. Gold same-statement pairs in different articles that
no speaker key brings together count as misses too (no threshold can find them).

The stories are split into the 4 folds of benchmarks/briefgold.py (a hash of the story id).
For each fold the pair test's thresholds are chosen on the other three folds, on a coarse
grid, as the best pair F1 whose pair precision is at least ``MIN_PRECISION`` (ties: the
median of the tied values), and scored on the held-out fold. The section goes to
docs/bench/statements.md: per-fold choices, fitted (training) and held-out figures, and the
gap between them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import pickle
import statistics
import sys
from pathlib import Path

from briefgold import GOLD_SET, fold_of  # noqa: E402  (benchmarks/ is on sys.path when run as a script)
from evalkit import require, run_stamp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "bench" / "statements.md"
FOLDS = 4
MIN_PRECISION = 0.9
GRID = {
    "min_similarity": (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9),
    "min_similarity_with_words": (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 1.01),
    "min_shared_words": (0.1, 0.15, 0.2, 0.3, 0.4),
    "min_similarity_with_phrase": (0.2, 0.25, 0.3, 0.35, 0.45, 1.01),
}
SAME_ARTICLE = 0.8
"""Not fitted: score.py counts renderings in different articles only, so brief gold says
nothing about two renderings in one article; kept strict."""


SEED_SAME = (
    ("side, we have", "side, an agreement"),
    ("side, we have", "Washington had agreed"),
    ("side, an agreement", "Washington had agreed"),
)
SEED_APART = (
    ("businesslike and", "three-way meeting"),
    ("businesslike and", "touched upon the idea of a trilateral"),
)
"""Short phrases that locate quotes in the seeds (read at run time; no seed sentence is copied here).
The seeds' acceptance expectations (tests/test_statements.py and issue 15): Ushakov's summit
statement in RIA Novosti, Interfax and TASS is one statement; his "businesslike and
constructive" remark is not his remark about a three-way meeting. Every candidate threshold
set must decide these pairs right; it is then scored on brief gold only."""


def seed_pairs() -> list:
    """(features, same) for the seed pairs the expectations name."""
    from rashomon.analyze.entities import extract_mentions
    from rashomon.analyze.nlp import load_nlp
    from rashomon.analyze.quotes import extract_quotes
    from rashomon.ingest.files import read_file
    from rashomon.model import Analysis
    from rashomon.reconcile.statements import pair_features

    seeds = require(ROOT.parent / "shared" / "seeds", "The seed articles")
    nlp = load_nlp()
    analyses = []
    for path in sorted(seeds.glob("0*")):
        article = next(read_file(path))
        doc = nlp(article.text)
        mentions = extract_mentions(doc, article.id)
        analyses.append(Analysis(article, entities=tuple(mentions), quotes=tuple(extract_quotes(doc, article.id, mentions))))
    items, pairs = pair_features(analyses, None)
    out = []
    for needles, same in [(p, True) for p in SEED_SAME] + [(p, False) for p in SEED_APART]:
        for i, j, f in pairs:
            a, b = items[i][1].span.text, items[j][1].span.text
            if (needles[0] in a and needles[1] in b) or (needles[0] in b and needles[1] in a):
                out.append((f, same))
    return out


def analyses_by_story(cache: Path | None) -> dict[str, list]:
    records = [json.loads(x) for x in (GOLD_SET / "articles.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    if cache is not None and cache.exists():
        by_url = pickle.loads(cache.read_bytes())
    else:
        from rashomon.analyze.article import analyze_articles
        from rashomon.model import Article
        from rashomon.pipeline import quiet_libraries
        from rashomon.ingest.files import read_paths
        import tempfile

        quiet_libraries()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "in.jsonl"
            path.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "story"}) + "\n" for r in records),
                            encoding="utf-8")
            articles = [a for a in read_paths([str(path)]) if isinstance(a, Article)]
            by_url = {}
            for out in analyze_articles(articles):
                a = out[1] if isinstance(out, tuple) else out
                by_url[a.article.url] = a
        if cache is not None:
            cache.write_bytes(pickle.dumps(by_url))
    stories: dict[str, list] = {}
    for r in records:
        if r["url"] in by_url:
            stories.setdefault(r["story"], []).append((r["id"], by_url[r["url"]]))
    return stories


def _where(text: str, needle: str) -> tuple[int, int] | None:
    i = text.find(needle)
    return (i, i + len(needle)) if i >= 0 else None


def gold_statement_items(stories: dict[str, list]):
    """Per brief-gold story: (story, items, candidate pairs, statement_of) where ``statement_of``
    maps an item (a quote the product found) to the gold statement of the gold quote it overlaps
    most (at least 30% of the gold quote, same article)."""
    from rashomon.reconcile.entities import resolve_entities
    from rashomon.reconcile.statements import pair_features

    for story, rows in sorted(stories.items()):
        gold = json.loads((GOLD_SET / "gold" / f"{story}.json").read_text(encoding="utf-8"))
        analyses = [a for _, a in rows]
        aid_of = {rid: a.article.id for rid, a in rows}
        text_of = {a.article.id: a.article.text for a in analyses}
        gq = []
        for q in gold.get("quotes", []):
            aid = aid_of.get(q["article"])
            loc = _where(text_of[aid], q["text"]) if aid else None
            if loc:
                gq.append((aid, loc, q.get("statement")))
        items, pairs = pair_features(analyses, resolve_entities(analyses))
        statement_of = {}
        for k, (aid, q) in enumerate(items):
            best = None
            for aid2, (s, e), st in gq:
                if aid2 != aid:
                    continue
                o = min(e, q.span.end) - max(s, q.span.start)
                if o >= 0.3 * (e - s) and (best is None or o > best[0]):
                    best = (o, st)
            if best is not None and best[1]:
                statement_of[k] = best[1]
        yield story, items, pairs, statement_of


def unreachable_pairs(items, statement_of: dict, joined: set) -> int:
    """Gold same-statement pairs across articles that no speaker key joined."""
    return sum(1 for i, j in itertools.combinations(sorted(statement_of), 2)
               if statement_of[i] == statement_of[j] and items[i][0] != items[j][0] and (i, j) not in joined)


def labelled_pairs(stories: dict[str, list]) -> dict[str, dict]:
    """Per story: candidate pairs (features, gold label or None) and the gold pairs no key joins."""
    out = {}
    for story, items, pairs, statement_of in gold_statement_items(stories):
        labelled = []
        joined = set()
        for i, j, f in pairs:
            if i in statement_of and j in statement_of:
                same = statement_of[i] == statement_of[j]
                labelled.append((f, same))  # same-article pairs are kept but not counted
                if items[i][0] != items[j][0]:
                    joined.add((i, j))
        out[story] = {"pairs": labelled, "unreachable": unreachable_pairs(items, statement_of, joined)}
    return out


def tally(stories: list[dict], decide) -> tuple[int, int, int]:
    """True positives, false positives and misses over the labelled pairs of ``stories``:
    ``decide(pair)`` gives (decided same, gold same), or None for a pair not counted; gold pairs
    no speaker key reached count as misses."""
    tp = fp = fn = 0
    for s in stories:
        for pair in s["pairs"]:
            outcome = decide(pair)
            if outcome is None:
                continue
            decided, same = outcome
            tp += decided and same
            fp += decided and not same
            fn += same and not decided
        fn += s["unreachable"]
    return tp, fp, fn


def counts(stories: list[dict], test) -> tuple[int, int, int]:
    from rashomon.reconcile.statements import same_statement

    return tally(stories, lambda pair: None if pair[0].same_article else (same_statement(pair[0], test), pair[1]))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def seeds_hold(seeds: list, test) -> bool:
    from rashomon.reconcile.statements import same_statement

    return all(same_statement(f, test) == same for f, same in seeds)


def fit(stories: list[dict], seeds: list):
    """Thresholds with the best pair F1 at pair precision ≥ MIN_PRECISION; where many
    thresholds tie (the data are small), each threshold is the median of the tied values,
    the middle of the region that scores best rather than its edge."""
    from rashomon.reconcile.statements import PairTest

    scored = []
    for values in itertools.product(*GRID.values()):
        test = PairTest(*values, SAME_ARTICLE)
        if seeds_hold(seeds, test):
            scored.append((prf(*counts(stories, test)), values))
    # precision first: the sets at MIN_PRECISION or above, else the most precise ones
    top_p = max(p for (p, _, _), _ in scored)
    floor = min(MIN_PRECISION, top_p)
    ok = [(f1, values) for (p, _, f1), values in scored if p >= floor - 1e-9]
    best_f1 = max(f1 for f1, _ in ok)
    tied = [values for f1, values in ok if f1 >= best_f1 - 1e-9]
    return PairTest(*(statistics.median_low(sorted(t[k] for t in tied)) for k in range(len(GRID))), SAME_ARTICLE)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, help="keep the analyses here between runs")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    require(GOLD_SET / "articles.jsonl", "The brief-gold articles")
    from rashomon.reconcile.statements import PAIR_TEST

    data = labelled_pairs(analyses_by_story(args.cache))
    seeds = seed_pairs()
    folds = {f: [s for name, s in data.items() if fold_of(name, FOLDS) == f] for f in range(FOLDS)}
    rows, chosen, held, fitted = [], [], [], []
    for f in range(FOLDS):
        train = [s for g in range(FOLDS) if g != f for s in folds[g]]
        test = fit(train, seeds)
        chosen.append(test)
        tr = prf(*counts(train, test))
        ho = prf(*counts(folds[f], test))
        fitted.append(tr)
        held.append(ho)
        n_gold = sum(sum(1 for x, same in s["pairs"] if same and not x.same_article) + s["unreachable"] for s in folds[f])
        rows.append(f"| {f} | {len(folds[f])} | {n_gold} | {_fmt(test)} | "
                    f"{100 * tr[0]:.1f} / {100 * tr[1]:.1f} | {100 * ho[0]:.1f} / {100 * ho[1]:.1f} |")
    shipped = prf(*counts(list(data.values()), PAIR_TEST))
    mean = lambda xs, k: 100 * statistics.mean(x[k] for x in xs)  # noqa: E731
    total_pairs = sum(1 for s in data.values() for x, _ in s["pairs"] if not x.same_article)
    unreachable = sum(s["unreachable"] for s in data.values())
    date, cores = run_stamp()
    section = "\n".join([
        "## Statements across outlets: the pair test fitted on brief-gold folds",
        "",
        f"Command: `.venv/bin/python benchmarks/statement_pairs.py` · {date} · {os.uname().machine}, {cores} cores",
        "",
        f"Labelled same-speaker pairs across articles: {total_pairs}; gold same-statement pairs across articles that no speaker "
        f"key joins (misses no threshold can fix): {unreachable}. Grid: "
        + "; ".join(f"{k} ∈ {{{', '.join(f'{v:g}' for v in vs)}}}" for k, vs in GRID.items())
        + f". Choice: best pair F1 with pair precision ≥ {MIN_PRECISION:g} on the training folds, among the "
        f"threshold sets that decide the {len(seeds)} seed pairs of the acceptance tests right (ties: median).",
        "",
        "| held-out fold | stories | gold same pairs | thresholds chosen on the other folds (sim, sim+words, words, sim+phrase) | fitted P / R | held-out P / R |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"Mean over folds: fitted P {mean(fitted, 0):.1f} / R {mean(fitted, 1):.1f}; held-out P {mean(held, 0):.1f} / "
        f"R {mean(held, 1):.1f} (gap in recall {mean(fitted, 1) - mean(held, 1):+.1f} points).",
        f"Shipped `PAIR_TEST` = {_fmt(PAIR_TEST)}: on all stories P {100 * shipped[0]:.1f} / R {100 * shipped[1]:.1f}; "
        f"seed expectations ({len(seeds)} pairs) {'hold' if seeds_hold(seeds, PAIR_TEST) else 'FAIL'}.",
    ])
    print(section)
    if not args.no_write:
        OUT.write_text(section + "\n", encoding="utf-8")


def _fmt(test) -> str:
    return "(" + ", ".join(f"{getattr(test, k):g}" for k in GRID) + ")"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
