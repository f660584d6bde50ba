"""Grouping cost and memory per article from 1,000 to 1,000,000 stored articles.

    .venv/bin/python benchmarks/grouping_scale.py [--sizes 1000,10000,100000,1000000]

Synthetic data (no text or model needed): 384-d unit vectors around story centres,
entity keys drawn per story, 80 random words of text (MinHash runs on it), a
news-wire rate of ARTICLES_PER_DAY. For each size N, a fresh process builds the state
of a grouper that has stored N articles (every assignment, the last ``retain_days`` of
items indexed, as the store restores it with ``StoryGrouper.from_state``), then adds
and queries MEASURED new articles one by one. Reported: restore time, mean add+query
time per new article, RSS, and RSS per stored article. Also an HNSW recall check.
Writes the section "Grouping cost at scale" of docs/bench/stories.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from evalkit import require  # noqa: E402

DIM = 384
ARTICLES_PER_DAY = 2_000
STORY_SIZE = 8
MEASURED = 1_000
SEED = 7


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def story_number(i: int) -> int:
    """Article i's story: stories of STORY_SIZE interleaved within each day."""
    per_day = ARTICLES_PER_DAY // STORY_SIZE
    return (i % ARTICLES_PER_DAY) % per_day + (i // ARTICLES_PER_DAY) * per_day


def synthetic(start: int, count: int, rng: np.random.Generator, centres: dict[int, np.ndarray]):
    """Items ``start``..``start+count``: article i belongs to story i // STORY_SIZE
    (stories interleaved within a day), dated by i // ARTICLES_PER_DAY."""
    from rashomon.group.stories import GroupItem

    words = [f"w{n}" for n in range(5_000)]
    day0 = date(2025, 1, 1)
    items = []
    for i in range(start, start + count):
        story = story_number(i)
        centre = centres.get(story)
        if centre is None:
            centre = rng.standard_normal(DIM).astype(np.float32)
            centres[story] = centre / np.linalg.norm(centre)
        vec = centre + 0.04 * rng.standard_normal(DIM).astype(np.float32)
        ents = frozenset({f"e{story}", f"e{story}b", f"g{story % 50}"})
        text = " ".join(rng.choice(words, 80))
        items.append(GroupItem(f"a{i:07d}", vec / np.linalg.norm(vec), ents,
                               (day0 + timedelta(days=i // ARTICLES_PER_DAY)).isoformat(), text, None))
    return items


def measure(size: int) -> dict:
    """Run in a child process: restore a grouper of ``size`` stored articles, add MEASURED."""
    from rashomon.group.params import DEFAULT_PARAMS
    from rashomon.group.stories import STATE_FORMAT, StoryGrouper
    from dataclasses import asdict

    rng = np.random.default_rng(SEED)
    base_rss = rss_mb()
    retain_items = (DEFAULT_PARAMS.retain_days + 1) * ARTICLES_PER_DAY
    first_kept = max(0, size - retain_items)
    centres: dict[int, np.ndarray] = {}
    kept = synthetic(first_kept, size - first_kept, rng, centres)
    stories: dict[str, dict] = {}
    for i in range(size):
        story = stories.setdefault(f"s{story_number(i)}", {"seq": story_number(i), "members": []})
        story["members"].append(f"a{i:07d}")
    last_day = (date(2025, 1, 1) + timedelta(days=(size - 1) // ARTICLES_PER_DAY)).toordinal()
    state = {"format": STATE_FORMAT, "params": asdict(DEFAULT_PARAMS), "clock": last_day, "next_seq": story_number(size - 1) + 1,
             "stories": stories, "duplicate_of": {}, "similarity": {}, "moves": []}
    started = time.perf_counter()
    grouper = StoryGrouper.from_state(state, kept)
    restore_s = time.perf_counter() - started
    del state, stories, kept
    new = synthetic(size, MEASURED, rng, centres)
    started = time.perf_counter()
    for item in new:
        grouper.add(item)
    per_add_ms = (time.perf_counter() - started) / MEASURED * 1000
    rss = rss_mb()
    # what a grouping run through the store pays besides the adds (group/grouping.py: the state
    # is read, restored and written whole once per run): its JSON round trip
    started = time.perf_counter()
    text = json.dumps(grouper.state_dict())
    json.loads(text)
    state_s = time.perf_counter() - started
    return {"size": size, "restore_s": restore_s, "per_add_ms": per_add_ms, "rss_mb": rss,
            "rss_per_article_kb": (rss - base_rss) * 1024 / size, "indexed": len(grouper._index or []),
            "state_mb": len(text) / 1e6, "state_s": state_s}


NOTE = ("What grew before (issue 17): each article's candidate scoring counted the stories holding a "
        "retained article by walking every story ever made (`StoryGrouper._mean_vector`), 1.1 of 3.9 s for 300 "
        "adds at 100,000 stored and ten times the walk at 1,000,000 (cProfile; 4.5 -> 15.2 ms an article from "
        "1,000 to 1,000,000 in the earlier run). The count is now kept as stories gain and lose retained "
        "articles; the profile at 100,000 and at 1,000,000 then makes the same 1,911,727 calls for 300 adds. "
        "The last column is the grouping state kept as one JSON document (`state_dict()`), as the store kept it "
        "until migration 8: read and written whole once per grouping run, linear in the articles stored. The "
        "store now keeps it as one row per story beside the assignments; a run reads the rows of the stories in "
        "its window and writes the ones it changed (section \"Grouping state: one document vs story rows\").")


def hnsw_recall(n: int = 20_000, k: int = 32, queries: int = 200) -> float:
    import faiss

    from rashomon.group import index as idx

    rng = np.random.default_rng(SEED)
    centres = rng.standard_normal((n // STORY_SIZE, DIM)).astype(np.float32)
    data = centres[rng.integers(0, len(centres), n)] + 0.3 * rng.standard_normal((n, DIM)).astype(np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    flat = faiss.IndexFlatIP(DIM)
    flat.add(data)
    hnsw = faiss.IndexHNSWFlat(DIM, idx.HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = idx.HNSW_EF_CONSTRUCTION
    hnsw.hnsw.efSearch = idx.HNSW_EF_SEARCH
    hnsw.add(data)
    q = data[:queries] + 0.05 * rng.standard_normal((queries, DIM)).astype(np.float32)
    _, exact = flat.search(q, k)
    _, approx = hnsw.search(q, k)
    return float(np.mean([len(set(a) & set(b)) / k for a, b in zip(exact, approx)]))


STORE_TEXT_WORDS = 500
"""Words of each synthetic stored article (the size of a news article: what a row's JSON holds)."""
NEW_ARTICLES = 50
"""New articles of the run timed by `--store` (a feed poll's worth)."""


def store_reads(sizes: list[int]) -> list[str]:
    """What one grouping run through the store (group/grouping.py ``_group_store``) reads besides
    its adds, timed on SQLite stores of N synthetic articles (500 words each, all assigned and
    analysed, the grouping state of N members, NEW_ARTICLES waiting): the reads it made before
    migration 7 (each O(stored)), the reads it makes now, and the state's round trip."""
    import tempfile

    from rashomon import Store
    from rashomon.analyze.article import ANALYSIS_VERSION
    from rashomon.group.grouping import STATE_KEY, _recent
    from rashomon.group.params import DEFAULT_PARAMS

    rng = np.random.default_rng(SEED)
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "s.db"
            _synthetic_store(path, n, rng, format_tag=False)
            store = Store(path)
            retain = DEFAULT_PARAMS.retain_days
            before = {  # the reads of _group_store before this round (issue 17c), same queries
                "assignments()": store.assignments, "article_ids()": store.article_ids,
                "unanalysed()": lambda: store.unanalysed(ANALYSIS_VERSION),
                "dates from JSON": lambda: dict(store.db.execute(
                    "SELECT id, json_extract(data, '$.published') FROM articles"))}
            after = {  # the reads of _group_store now
                "ungrouped()": lambda: store.ungrouped(ANALYSIS_VERSION),
                "window (latest date + assigned_since)": lambda: _recent(store, retain),
                "assignments(of the new)": lambda: store.assignments([f"n{i:07d}" for i in range(NEW_ARTICLES)])}
            state_rw = {"state() read": lambda: store.state(STATE_KEY),
                        "state write (json.dumps)": lambda: json.dumps(store.state(STATE_KEY))}
            timed = {}
            for group, reads in (("before", before), ("after", after), ("state", state_rw)):
                for name, read in reads.items():
                    started = time.perf_counter()
                    read()
                    timed[(group, name)] = time.perf_counter() - started
            assert store.ungrouped(ANALYSIS_VERSION) == [f"n{i:07d}" for i in range(NEW_ARTICLES)]
            store.close()
            rows.append((n, path.stat().st_size if path.exists() else 0, timed))
            print(n, timed, flush=True)
    names = list(rows[0][2])
    total = {g: {n: sum(v for (gg, _), v in timed.items() if gg == g) for n, _s, timed in rows}
             for g in ("before", "after", "state")}
    lines = [f"SQLite stores of N synthetic articles ({STORE_TEXT_WORDS} words each), every one assigned and "
             f"analysed, with the grouping state of N members, plus {NEW_ARTICLES} new analysed articles not yet "
             "grouped; seconds of each read a grouping run (`group_store`) makes besides its adds. *before*: "
             "the reads as they were (every article's id, assignment, analysis version and date from its JSON); "
             "*after*: the reads now (migration 7's indexed `articles.published`); *state*: the grouping "
             "state read and written whole, unchanged. Timed in one run, same stores:", "",
             "| stored articles | " + " | ".join(f"{g}: {k}" for g, k in names)
             + " | before total s | after total s | after/before | state total s |",
             "|---|" + "---|" * (len(names) + 4)]
    for n, _size, timed in rows:
        b, a, st = total["before"][n], total["after"][n], total["state"][n]
        lines.append(f"| {n:,} | " + " | ".join(f"{timed[k]:.4f}" for k in names)
                     + f" | {b:.3f} | {a:.4f} | {a / b:.3f} | {st:.3f} |")
    lines += ["", "The reads that chose the run's articles and window were O(stored) with the JSON of every "
                  "article parsed for its date; now the window comes from the date index (`max(published)`, then "
                  "the assigned articles dated inside the retention window or undated) and only the new or moved "
                  "articles' assignments are read; the new articles come from a partial index over the articles "
                  "with no story yet (`articles.grouped IS NULL`, same migration), not from every stored id. The "
                  "window read stays O(articles in the retention window), which the grouper needs. The grouping "
                  "state (every article's story, duplicate and similarity, as one JSON document) is still read "
                  "and written whole each run: the *state* column; next: keep it per story (rows keyed by story, "
                  "stories closed beyond the retention horizon written once and not read by a run). Design: a `stories` "
                  "table (id, seq, members, their "
                  "duplicates and similarities, open/closed), read for the open stories (a member inside the window) and "
                  "written for the stories a run changed, in the transaction of the assignments; `StoryGrouper.from_state` "
                  "to accept the open stories only (it already indexes only the window) and `story_topics` to read the "
                  "topic roots from the table. Until then `_group_store` also walks the state's stories in Python once "
                  "before and once after the adds (to find what moved) — O(stored), as the state's own parse is."]
    return lines


def _synthetic_store(path: Path, n: int, rng: np.random.Generator, *, format_tag: bool = True) -> None:
    """A SQLite store of ``n`` synthetic articles (STORE_TEXT_WORDS words each), every one analysed
    and assigned (stories of STORY_SIZE, interleaved within a day, ARTICLES_PER_DAY a day), plus
    NEW_ARTICLES analysed and not yet grouped on the last day; the grouping state as the code before
    migration 8 kept it (one document, ``rashomon.grouping/1``), with no story rows."""
    import sqlite3
    from dataclasses import asdict

    from rashomon import Store
    from rashomon.analyze.article import ANALYSIS_VERSION
    from rashomon.group.grouping import STATE_KEY
    from rashomon.group.params import DEFAULT_PARAMS
    from rashomon.store.storyrows import WHOLE_FORMAT

    words = [f"w{k}" for k in range(5_000)]
    Store(path).close()
    db = sqlite3.connect(path)
    day0 = date(2025, 1, 1)
    with db:
        for start in range(0, n, 10_000):
            batch = []
            for i in range(start, min(n, start + 10_000)):
                data = {"id": f"a{i:07d}", "source": f"s{i}", "text": " ".join(rng.choice(words, STORE_TEXT_WORDS)),
                        "title": f"t{i}", "published": (day0 + timedelta(days=i // ARTICLES_PER_DAY)).isoformat()}
                batch.append((f"a{i:07d}", json.dumps(data), data["published"]))
            db.executemany("INSERT INTO articles(id, data, published, grouped) VALUES (?, ?, ?, 1)", batch)
            db.executemany("INSERT INTO analyses(article_id, version, data) VALUES (?, ?, '{}')",
                           [(a, ANALYSIS_VERSION) for a, _, _ in batch])
            db.executemany("INSERT INTO assignments(article_id, story_id, similarity) VALUES (?, ?, 0.5)",
                           [(a, f"s{story_number(int(a[1:]))}") for a, _, _ in batch])
        last = day0 + timedelta(days=(n - 1) // ARTICLES_PER_DAY)
        fresh = [(f"n{i:07d}", json.dumps({"id": f"n{i:07d}", "published": last.isoformat()}), last.isoformat())
                 for i in range(NEW_ARTICLES)]
        db.executemany("INSERT INTO articles(id, data, published) VALUES (?, ?, ?)", fresh)
        db.executemany("INSERT INTO analyses(article_id, version, data) VALUES (?, ?, '{}')",
                       [(a, ANALYSIS_VERSION) for a, _, _ in fresh])
        stories: dict[str, dict] = {}
        for i in range(n):
            stories.setdefault(f"s{story_number(i)}", {"seq": story_number(i), "members": []})["members"].append(
                f"a{i:07d}")
        ids = [f"a{i:07d}" for i in range(n)]  # as state_dict() kept them: an entry per article
        whole = {"params": asdict(DEFAULT_PARAMS), "clock": last.toordinal(),
                 "next_seq": story_number(n - 1) + 1, "stories": stories, "duplicate_of": dict.fromkeys(ids),
                 "similarity": dict.fromkeys(ids, 0.5), "moves": [], "topics": {sid: sid for sid in stories}}
        if format_tag:  # untagged, the document stays as it is (not converted to rows on opening)
            whole = {"format": WHOLE_FORMAT, **whole}
        db.execute("INSERT INTO state(key, value) VALUES (?, ?)", (STATE_KEY, json.dumps(whole)))
    db.close()


def state_rows(sizes: list[int]) -> list[str]:
    """The grouping state's store cost per run: as one document (read and written whole, as
    before migration 8) and as story rows (``grouping._restore``'s reads of the stories the run can
    touch, and ``save_grouping`` of the rows it changed), on the same synthetic stores; with the
    one-off conversion of the document to rows when the store is first opened."""
    import tempfile

    from rashomon import Store
    from rashomon.group.grouping import STATE_KEY, _recent, _restore
    from rashomon.group.stories import StoryRow

    rng = np.random.default_rng(SEED)
    rows_out = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "s.db"
            _synthetic_store(path, n, rng)
            import sqlite3

            whole_text = sqlite3.connect(path).execute("SELECT value FROM state WHERE key = ?", (STATE_KEY,)).fetchone()[0]
            started = time.perf_counter()
            store = Store(path)  # converts the document to rows, once
            convert_s = time.perf_counter() - started
            timed = {}
            new = [f"n{i:07d}" for i in range(NEW_ARTICLES)]
            meta = store.state(STATE_KEY)
            started = time.perf_counter()
            recent = _recent(store, meta["params"]["retain_days"])
            timed["before: window ids"] = time.perf_counter() - started
            started = time.perf_counter()
            whole = json.loads(whole_text)
            timed["before: document read (parse)"] = time.perf_counter() - started
            started = time.perf_counter()
            with store.db:
                store.db.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", ("whole-copy", json.dumps(whole)))
            timed["before: document write"] = time.perf_counter() - started
            del whole
            started = time.perf_counter()
            grouper, loaded = _restore(store, meta, new, lambda _s, _ids: [])  # the store reads, no items
            timed["rows: read (window's placements and stories)"] = time.perf_counter() - started
            # the run's writes: each new article joins a story of the window (NEW_ARTICLES rows changed)
            changed = [StoryRow(r.story_id, r.seq, (*r.members, new[k]), r.topic) for k, r in enumerate(loaded[-NEW_ARTICLES:])]
            started = time.perf_counter()
            with store.grouping_lock():
                store.save_grouping([(a, row.story_id, None, 0.5, "grouped") for a, row in zip(new, changed)],
                                    STATE_KEY, grouper.state_meta(), changed)
            timed["rows: write (changed)"] = time.perf_counter() - started
            store.close()
            rows_out.append((n, len(recent), len(loaded), convert_s, timed))
            print(n, len(recent), len(loaded), convert_s, timed, flush=True)
    names = list(rows_out[0][4])
    lines = [f"SQLite stores of N synthetic articles ({STORE_TEXT_WORDS} words each), every one assigned, in "
             f"stories of {STORY_SIZE} ({ARTICLES_PER_DAY:,} articles a day), {NEW_ARTICLES} new ones waiting; "
             "seconds of the grouping state's store cost in one run. *before*: the window's article ids "
             "(`_recent`), then the state as one document (`rashomon.grouping/1`, before migration 8) parsed and "
             "written; *rows*: the state as story rows: the window's articles with their placements and the rows "
             "of the stories holding one (`grouping._restore` without loading the items' analyses) and `save_grouping` of the "
             f"{NEW_ARTICLES} rows a run of {NEW_ARTICLES} new articles changes. *convert*: the one-off "
             "conversion of the document to rows when the store is first opened by this code. One run, same stores:",
             "", "| stored articles | window articles | stories read | " + " | ".join(names)
             + " | before total s | rows total s | convert (once) s |", "|---|---|---|" + "---|" * (len(names) + 3)]
    for n, window, stories, convert_s, timed in rows_out:
        whole_s = sum(v for k, v in timed.items() if k.startswith("before"))
        rows_s = sum(v for k, v in timed.items() if k.startswith("rows"))
        lines.append(f"| {n:,} | {window:,} | {stories:,} | " + " | ".join(f"{timed[k]:.4f}" for k in names)
                     + f" | {whole_s:.3f} | {rows_s:.4f} | {convert_s:.2f} |")
    lines += ["", "The rows' cost follows the articles in the retention window (it grows while the window fills, "
                  f"up to {(15 * ARTICLES_PER_DAY):,} articles here: {ARTICLES_PER_DAY:,} a day for the 14 retained days "
                  "and the latest), not the articles stored; the document's grew with every article ever grouped.",
              "", "Tried first: the members' copy-of and score read per member (chunked `IN (...)` lookups of every "
                  "member of the window's stories): about 1.5x the read kept (medians of 4 alternating calls on one store: 0.103 vs 0.067 s at 10,000 stored, 0.482 vs 0.316 s at 100,000), so now "
                  "only the window's articles' placements come with the window query, and a member outside the window "
                  "that a merge moves keeps its stored copy-of and score (read for the moved articles alone). What a run "
                  "still pays per window besides this: loading the window's analyses and re-indexing them "
                  "(`from_rows` with items; the *restore s* column of \"Grouping cost at scale\")."]
    return lines


EMBED_TEXTS = 200
EMBED_WORDS = 500


def embedding_cost(write_section) -> None:
    """articles/s of rashomon.analyze.embed.embed vs spaCy nlp.pipe on ~500-word texts
    (ECB+ documents read at run time, joined into 500-word texts)."""
    from ecbplus_stories import DATA, load_docs

    from rashomon.analyze.embed import embed, load_embedder
    from rashomon.analyze.nlp import load_nlp

    require(DATA, "ECB+ (real news texts for the embedding timing)")
    words = " ".join(" ".join(s) for _, _, s in load_docs()).split()
    texts = [" ".join(words[i * EMBED_WORDS:(i + 1) * EMBED_WORDS]) for i in range(EMBED_TEXTS)]
    load_embedder()
    embed(texts[:8])
    nlp = load_nlp()
    list(nlp.pipe(texts[:8]))
    started = time.perf_counter()
    embed(texts)
    embed_rate = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    spacy_rate = len(texts) / (time.perf_counter() - started)
    import torch

    lines = [
        f"{EMBED_TEXTS} texts of {EMBED_WORDS} words (ECB+ news text), torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads:",
        "",
        "| step | articles/s |",
        "|---|---|",
        f"| rashomon.analyze.embed.embed (all-MiniLM-L6-v2, torch, max 256 word pieces) | {embed_rate:.1f} |",
        f"| spaCy en_core_web_sm nlp.pipe alone | {spacy_rate:.1f} |",
        "",
        f"Embedding costs {spacy_rate / embed_rate:.2f}x the time of spaCy per article.",
    ]
    print("\n".join(lines))
    write_section("Embedding cost", "benchmarks/grouping_scale.py --embedding", lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--embedding", action="store_true", help="measure embedding cost instead")
    parser.add_argument("--store", default="", help="comma-separated sizes: time the store reads of one grouping run")
    parser.add_argument("--state", default="", help="comma-separated sizes: time the grouping state's store cost "
                                                    "per run, one document vs story rows")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    from ecbplus_stories import write_section

    if args.embedding:
        embedding_cost(write_section)
        return
    for option, measure_sizes, title in (
            ("state", state_rows, "Grouping state: one document vs story rows"),
            ("store", store_reads, "Grouping through the store: reads before and after the date index")):
        sizes = getattr(args, option)
        if sizes:
            lines = measure_sizes([int(n) for n in sizes.split(",")])
            print("\n".join(lines))
            write_section(title, f"benchmarks/grouping_scale.py --{option} {sizes}", lines)
            return

    from rashomon.group.params import DEFAULT_PARAMS

    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--child", str(size)], capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(results[-1], flush=True)
    recall = hnsw_recall()
    lines = [
        f"Synthetic stream: {ARTICLES_PER_DAY:,} articles/day, stories of {STORY_SIZE}; window "
        f"{DEFAULT_PARAMS.window_days} days, retention {DEFAULT_PARAMS.retain_days} days (only those are "
        f"indexed); each size restored with from_state in a fresh process, then {MEASURED:,} new articles "
        "added one by one (MinHash LSH + faiss query + scoring + index add).",
        "",
        "| stored articles | indexed (window) | restore s | add+query ms/article | RSS MB | RSS KB per stored article "
        "| state JSON MB | state dump+load s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r['size']:,} | {r['indexed']:,} | {r['restore_s']:.1f} | {r['per_add_ms']:.2f} | "
                     f"{r['rss_mb']:.0f} | {r['rss_per_article_kb']:.2f} | {r['state_mb']:.1f} | {r['state_s']:.2f} |")
    lines += ["", f"HNSW (M={32}, efSearch=64) recall@32 vs exact search, 20,000 clustered vectors: {recall:.3f}."]
    by_size = {r["size"]: r for r in results}
    if 100_000 in by_size and 1_000_000 in by_size:
        lines += ["", "Add+query per article, 1,000,000 stored over 100,000 stored (the same window held): "
                      f"{by_size[1_000_000]['per_add_ms'] / by_size[100_000]['per_add_ms']:.2f}x"
                  + (f"; over 1,000 stored: {by_size[1_000_000]['per_add_ms'] / by_size[1_000]['per_add_ms']:.2f}x "
                     "(at 1,000 and 10,000 the window is not yet full: the cost follows the articles held, "
                     "a rate, not the articles stored)" if 1_000 in by_size else "") + "."]
    lines += ["", NOTE]
    print("\n".join(lines))
    write_section("Grouping cost at scale", "benchmarks/grouping_scale.py", lines)


if __name__ == "__main__":
    main()
