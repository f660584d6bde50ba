"""Rendering cost of the story page for the 200-article story of web_latency.py (issue 19).

Builds (or reuses, with --db) the store of benchmarks/web_latency.py: 200 Timeline17 BP-oil-spill
articles assembled into one story, its brief built once and cached in the store. Then, in a
fresh process per code tree, renders the web story page REPEATS times from the cached brief
(no HTTP, no page memo: the cost of one render, which a new filter state pays once) and
reports the median and 95th percentile and the page size; for this tree also a filtered
view, the static HTML file and the Markdown. With --baseline SRC the same story page is
rendered by another checkout's ``src`` (e.g. the main branch) in the same run, so the two
can be compared as a ratio.

    .venv/bin/python benchmarks/story_page.py [--db FILE | --synthetic] [--baseline ../main/src] [--repeats 15]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from evalkit import run_stamp  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
DOC = ROOT / "docs" / "bench" / "story_page.md"

MEASURE = r'''
import inspect, json, statistics, sys, time
from pathlib import Path
from rashomon import Store
from rashomon.pipeline import brief_for_story, quiet_libraries
from rashomon.web import views
from jinja2 import Environment, FileSystemLoader, select_autoescape
import rashomon.web

quiet_libraries()
db, story, repeats, extras = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"


def synthetic():
    """An invented brief the size of the 200-article story's (seeded: the same in every tree)."""
    import random
    from datetime import date, timedelta
    from rashomon.model import (Article, Brief, Claim, Conflict, Entity, Event, QuoteVariant, Span, Statement,
                                SummarySentence)
    rng = random.Random(19)
    words = "oil spill well gulf company coast guard cleanup barrels day officials said federal plan cap leak".split()
    outlets = ["BBC", "Fox News", "The Guardian", "Reuters", "Washington Post"]
    articles = []
    for i in range(200):
        paras = [" ".join(rng.choice(words).capitalize() + " " + " ".join(rng.choices(words, k=14)) + "."
                          for _ in range(4)) for _ in range(8)]
        articles.append(Article(id=f"a{i:03d}", source=f"t17:{i}", text="\n\n".join(paras), title=f"Report {i}",
                                outlet=outlets[i % 5], outlet_basis="stated",
                                published=(date(2010, 4, 20) + timedelta(days=i // 3)).isoformat(),
                                published_basis="stated"))

    def sp():
        a = rng.choice(articles)
        start = rng.randrange(0, len(a.text) - 120)
        return Span.of(a.id, a.text, start, start + rng.randrange(40, 110))

    statuses = ["agreed"] * 3 + ["single_source"] * 6 + ["conflicting"]
    claims = []
    for i in range(4123):
        support = tuple(sp() for _ in range(rng.choice([1, 1, 2, 3])))
        status = rng.choice(statuses)
        conflicts = (Conflict(sp(), "a different number"),) if status == "conflicting" else ()
        claims.append(Claim(id=f"c{i:05d}", text=support[0].text, status=status, support=support, conflicts=conflicts,
                            articles=tuple(sorted({s.article for s in support})),
                            origins=tuple(sorted({articles[int(s.article[1:])].outlet for s in support}))))
    speakers = [f"Speaker {k}" for k in range(300)] + [None] * 30
    statements = []
    for i in range(2047):
        spans = [sp() for _ in range(rng.choice([1, 1, 2, 3]))]
        name = rng.choice(speakers)
        statements.append(Statement(id=f"st{i:05d}", speaker_entity=None, speaker_name=name, text=spans[0].text,
                                    variants=tuple(QuoteVariant(x, "direct", "said", (), None) for x in spans),
                                    speaker_kind="person" if name else "unknown"))
    entities = [Entity(f"e{i:05d}", f"Name {i}", "PERSON", (f"Name {i}",), (), (sp(),)) for i in range(1797)]
    events = [Event(f"ev{i:05d}", (date(2010, 4, 20) + timedelta(days=rng.randrange(0, 70))).isoformat(), "explicit",
                    f"Event {i}", (), tuple(sp() for _ in range(rng.choice([1, 2, 3])))) for i in range(1019)]
    matrix = []
    for c in claims:
        on = set(c.articles)
        matrix.append(["reports" if a.id in on else "silent" for a in articles])
    return Brief(id="s-synthetic", title="Synthetic 200-article story", articles=tuple(articles),
                 entities=tuple(entities), statements=tuple(statements), events=tuple(events), claims=tuple(claims),
                 summary=tuple(SummarySentence(c.text, c.support) for c in claims[:8]),
                 coverage={"articles": [a.id for a in articles], "claims": [c.id for c in claims], "matrix": matrix})


brief = synthetic() if db == "synthetic" else brief_for_story(Store(db), story)
env = Environment(loader=FileSystemLoader(str(Path(rashomon.web.__file__).parent / "templates")),
                  autoescape=select_autoescape(["html"]))
takes_query = "query" in inspect.signature(views.story_view).parameters

def page(query=None):
    kw = {"query": query} if takes_query else {}
    return env.get_template("story.html").render(request=None, **views.story_view(brief, **kw))

def timed(make):
    make()
    times, size = [], 0
    for _ in range(repeats):
        t = time.perf_counter()
        size = len(make().encode("utf-8"))
        times.append(time.perf_counter() - t)
    times.sort()
    return {"median_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)], "bytes": size}

out = {"counts": {"articles": len(brief.articles), "claims": len(brief.claims), "statements": len(brief.statements),
                  "entities": len(brief.entities), "events": len(brief.events)},
       "story page": timed(page)}
if extras:
    from rashomon.render.html import render_html
    from rashomon.render.markdown import render_markdown
    out["story page, filtered (?status=conflicting&outlet=Reuters)"] = timed(
        lambda: page({"status": "conflicting", "outlet": "Reuters"}))
    out["static HTML file"] = timed(lambda: render_html([brief], title=brief.title))
    out["Markdown"] = timed(lambda: render_markdown(brief))
print(json.dumps(out))
'''


def build(db: Path) -> str:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import web_latency

    story, ingest_seconds, brief_seconds = web_latency.build_store(db)
    print(f"story {story}: ingest {ingest_seconds:.0f} s, first brief {brief_seconds:.1f} s")
    return story


def the_story(db: Path) -> str:
    from rashomon import Store

    stories = Store(db).stories()
    return max(sorted(stories), key=lambda s: len(stories[s]))


def measure(src: Path, db: Path, story: str, repeats: int, extras: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src), "RASHOMON_WORKERS": "1"}
    done = subprocess.run([sys.executable, "-c", MEASURE, str(db), story, str(repeats), "1" if extras else "0"],
                          env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="a store web_latency.py built (built here when missing)")
    parser.add_argument("--baseline", type=Path, help="another checkout's src folder to compare with")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/bench alone")
    parser.add_argument("--synthetic", action="store_true",
                        help="an invented brief of the same size instead of the Timeline17 story (no shared data, "
                             "no 10-minute brief build)")
    args = parser.parse_args()
    if args.synthetic:
        db, story = "synthetic", "s-synthetic"
    else:
        db = args.db or OUT / "story_page.db"
        if not db.exists():
            OUT.mkdir(parents=True, exist_ok=True)
            build(db)
        story = the_story(db)
    here = measure(ROOT / "src", db, story, args.repeats, True)
    base = measure(args.baseline, db, story, args.repeats, False) if args.baseline else None
    rows = [("this tree", name, r) for name, r in here.items() if name != "counts"]
    if base:
        rows.insert(1, ("baseline", "story page", base["story page"]))
    lines = ["## Story page rendering (issue 19)", "",
             f"Command: `.venv/bin/python benchmarks/story_page.py --repeats {args.repeats}"
             f"{' --synthetic' if args.synthetic else ''}"
             f"{' --baseline ' + str(args.baseline) if args.baseline else ''}`  ",
             "Date: {}. Machine: {} cores, shared with other work (timings are noisy: compare within the run).".format(
                 *run_stamp()), "",
             ("Story: an invented brief the size of `web_latency.py`'s 200-article story (seeded; five outlets, "
              "a 4,123 × 200 coverage matrix); it holds {claims} claims, {statements} statements, {entities} "
              "entities, {events} events." if args.synthetic else
              "Story: the 200-article story of `web_latency.py` (Timeline17 BP oil spill, five outlets); its brief "
              "holds {claims} claims, {statements} statements, {entities} entities, {events} events.").format(
                 **here["counts"]), "",
             f"Each figure: {args.repeats} renders from the cached brief in one process, after one warm-up "
             "(no HTTP, no page memo: what a new view of the story costs once; served again it comes from the memo).",
             "", "| code | output | median | p95 | size |", "|---|---|---|---|---|"]
    for code, name, r in rows:
        lines.append(f"| {code} | {name} | {r['median_ms']:.0f} ms | {r['p95_ms']:.0f} ms | {r['bytes'] / 1e6:.2f} MB |")
    if base:
        ratio = here["story page"]["median_ms"] / base["story page"]["median_ms"]
        lines += ["", f"Story page median, this tree ÷ baseline: {ratio:.2f}; size "
                      f"{here['story page']['bytes'] / base['story page']['bytes']:.2f}×."]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
