"""Furniture removed from real pages, and what repetition learning adds, on Timeline17.

Run: .venv/bin/python benchmarks/furniture.py [--learn 50] [--held 100] [--no-write] [--show N]

Timeline17 (../shared/eval/timeline17) has hundreds of articles per outlet (BBC, Guardian,
Reuters, Fox News, Washington Post), pasted without line breaks. For each outlet, articles
are put in a stable order (a hash of their uid); the first ``--learn`` teach a fresh store
the outlet's block templates, and the next ``--held`` are cleaned twice:

- **before**: the block cleaner alone (lexicon, links, handles, shape), nothing learned;
- **after**: the same, then the blocks the store learned as this outlet's furniture
  (ingest/repeated.py) after seeing the ``--learn`` articles.

The held-out articles never teach the store. There is no furniture gold for Timeline17:
the figures are counts (blocks and characters removed), and ``--show N`` prints N removed
blocks per outlet to read (nothing of the data is written to docs). The PTB escapes of the
set (-LRB-, ``) are turned back into brackets and quotes first.

Collections read while tuning the cleaner: bpoil_guardian, H1N1_reuters, MJ_bbc,
bpoil_foxnews. The 20-article read-out uses the others only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from collections import Counter, defaultdict
from pathlib import Path

from evalkit import SHARED, require, run_stamp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
T17 = SHARED / "eval" / "timeline17"
OUT = ROOT / "docs" / "bench" / "clean.md"
TUNED = {"bpoil_guardian", "H1N1_reuters", "MJ_bbc", "bpoil_foxnews"}


def detok(text: str) -> str:
    for a, b in (("-LRB-", "("), ("-RRB-", ")"), ("-LSB-", "["), ("-RSB-", "]"), ("-LCB-", "{"), ("-RCB-", "}"),
                 ("``", '"'), ("''", '"')):
        text = text.replace(a, b)
    return text


def outlets() -> dict[str, list[tuple[str, dict]]]:
    """outlet → [(collection, article record)], in a stable order."""
    out: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for folder in sorted(p for p in require(T17, "Timeline17").iterdir() if p.is_dir()):
        outlet = folder.name.split("_", 1)[1]
        for a in json.loads((folder / "articles.json").read_text(encoding="utf-8")):
            out[outlet].append((folder.name, a))
    for items in out.values():
        items.sort(key=lambda x: hashlib.sha1(f"{x[0]}/{x[1]['uid']}".encode()).hexdigest())
    return dict(sorted(out.items()))


def read(collection: str, a: dict, outlet: str):
    from rashomon.ingest.files import article_from_record

    return article_from_record({"text": detok(a["text"]), "outlet": outlet, "id": a["uid"]}, source=f"{collection}/{a['uid']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learn", type=int, default=50)
    parser.add_argument("--held", type=int, default=100)
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--readout", type=Path, help="write 20 random cleaned held-out texts (untuned collections) here")
    parser.add_argument("--seed", type=int, default=13, help="random seed of the read-out sample")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    from rashomon.ingest import patterns as P
    from rashomon.ingest.repeated import strip_learned
    from rashomon.model import Article
    from rashomon.store import Store

    rows = []
    kinds_before: Counter[str] = Counter()
    kinds_learned: Counter[str] = Counter()
    distinct: Counter[str] = Counter()
    readout: list[str] = []
    clean_seconds = 0.0
    cleaned = 0
    for outlet, items in outlets().items():
        store = Store(":memory:")
        t0 = time.perf_counter()
        learn = [read(c, a, outlet) for c, a in items[:args.learn]]
        held = [(c, read(c, a, outlet)) for c, a in items[args.learn:args.learn + args.held]]
        clean_seconds += time.perf_counter() - t0
        cleaned += len(learn) + len(held)
        learn = [a for a in learn if isinstance(a, Article)]
        held = [(c, a) for c, a in held if isinstance(a, Article)]
        for a in learn:
            strip_learned(a, store)
        n_learned = store.furniture_learned(P.REPEAT_MIN_ARTICLES)
        templates = sum(v[1] for v in n_learned.values())
        before_blocks = before_chars = after_blocks = after_chars = total_chars = 0
        touched = 0
        for collection, a in held:
            raw_chars = len(a.text) + sum(len(r.text) for r in a.removed)
            total_chars += raw_chars
            before_blocks += len(a.removed)
            before_chars += sum(len(r.text) for r in a.removed)
            kinds_before.update(r.kind for r in a.removed)
            b = strip_learned(a, store, learn=False)
            extra = b.removed[len(a.removed):]
            after_blocks += len(b.removed)
            after_chars += sum(len(r.text) for r in b.removed)
            kinds_learned.update(r.kind for r in extra)
            touched += bool(extra)
            distinct.update(f"{outlet:15s} +{r.kind:9s} {r.text[:110]!r}" for r in extra)
            if args.readout and collection not in TUNED:
                readout.append((collection, b))
        n = max(1, len(held))
        rows.append((outlet, len(learn), len(held), templates, before_blocks / n, after_blocks / n,
                     100 * before_chars / max(1, total_chars), 100 * after_chars / max(1, total_chars), touched))

    # speed: the block cleaner against the parser the analysis runs, on the same texts, in this run
    from rashomon.analyze.nlp import load_nlp
    from rashomon.ingest.clean import clean_text

    sample = [detok(a["text"]) for items in outlets().values() for _, a in items[:8]]
    t0 = time.perf_counter()
    for text in sample:
        clean_text(text, find_title=False)
    t_clean = time.perf_counter() - t0
    nlp = load_nlp()
    t0 = time.perf_counter()
    for _ in nlp.pipe(sample, batch_size=8):
        pass
    t_parse = time.perf_counter() - t0

    if args.readout:
        random.seed(args.seed)
        sample = random.sample(readout, min(20, len(readout)))
        with args.readout.open("w", encoding="utf-8") as fh:
            for collection, a in sample:
                fh.write(f"=== {collection} {a.source}\nREMOVED: {[(r.kind, r.text[:90]) for r in a.removed]}\n"
                         f"TEXT: {a.text[:900]}\n...{a.text[-400:]}\n\n")
    if args.show:
        for line, count in sorted(distinct.items()):
            print(f"{count:4d} {line}")
    date, cores = run_stamp()
    lines = [
        "## Cleaning real pages: furniture removed, and what repetition learning adds (Timeline17)",
        "",
        f"Command: `.venv/bin/python benchmarks/furniture.py --learn {args.learn} --held {args.held}` · {date} · "
        f"{cores} cores",
        "",
        f"Speed, measured in this run on the same {len(sample)} articles: the block cleaner takes "
        f"{100 * t_clean / t_parse:.1f}% of the time spaCy's pipeline (the analysis' parser) takes to parse them "
        f"({1000 * t_clean / len(sample):.1f} ms vs {1000 * t_parse / len(sample):.0f} ms per article): cheap "
        "lexical evidence, no parser per block.",
        "",
        f"Per outlet: the store learns from {args.learn} articles, then {args.held} other articles (held out, they teach "
        f"nothing) are cleaned before and after. A template is learned when it recurs in ≥ {P.REPEAT_MIN_ARTICLES} "
        f"articles and the block is ≤ {P.REPEAT_MAX_WORDS} words; a learned block is kept when it reads as prose "
        "(a paragraph, or any sentence with a verb between the first and last paragraphs) unless the lexicon also "
        "knows it. No furniture gold exists for this set: the figures are what was removed.",
        "",
        "| outlet | learned from | held out | templates learned | blocks removed / article before | after "
        "| % characters removed before | after | held-out articles changed by learning |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for o, nl, nh, t, bb, ab, bc, ac, touched in rows:
        lines.append(f"| {o} | {nl} | {nh} | {t} | {bb:.2f} | {ab:.2f} | {bc:.1f} | {ac:.1f} | {touched} |")
    lines += [
        "",
        "Kinds removed before learning (held-out articles): "
        + ", ".join(f"{k} {v}" for k, v in kinds_before.most_common()) + ".",
        "Kinds of the blocks learning added: " + (", ".join(f"{k} {v}" for k, v in kinds_learned.most_common()) or "none") + ".",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        existing = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        marker = "## Cleaning real pages: furniture removed"
        head, _, tail = existing.partition(marker)
        rest = tail.split("\n## ", 1)
        after = ("\n## " + rest[1]) if len(rest) > 1 else ""
        OUT.write_text((head + text + after) if existing else text, encoding="utf-8")


if __name__ == "__main__":
    main()
