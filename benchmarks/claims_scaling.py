"""Claim alignment cost as a story grows: per-claim cost must stay flat.

Run: .venv/bin/python benchmarks/claims_scaling.py [--sizes 250,500,1000,2000,4000] [--no-write]
     [--compare-src /path/to/other/src]  (also time another checkout's code in a subprocess)

Invented claims only (organisations, places and nouns drawn from syllables with a fixed
seed): a story of N claim mentions, 10 an article; a pool of N/4 events, each reported by
about four articles in its own words (the verb, the word order or the number changed), so
the story has linked claims, conflicting numbers and single-source claims in the same
proportions at every size. Claim mentions are built directly (no spaCy). The embedding of
every clause is computed once before timing (it is per-claim by construction: one batch
of texts through the model) and read from the cache; the timed part is
``align_claims`` itself (candidate index, pair scores, linking, merging, claims, coverage
matrix), best of 3, and ``_candidates`` (the nearest-neighbour search) alone. Times are CPU
seconds of this process (``time.process_time``: steadier than wall time on a shared
machine; numpy's BLAS threads included). Section:
docs/bench/scaling_claims.md.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "bench" / "scaling_claims.md"
_ONSETS = "b d f g k l m n p r s t v z ch sh kh br dr gr kr st tr".split()
_VOWELS = "a e i o u".split()
_VERBS = [("approved", "backed", "cleared"), ("closed", "shut", "sealed"), ("sold", "auctioned", "traded"),
          ("found", "discovered", "located"), ("built", "erected", "completed"), ("moved", "shifted", "relocated")]
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
PER_ARTICLE = 10
REPORTS = 4


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))


def story(n_claims: int, seed: int = 11):
    """Analyses holding ``n_claims`` claim mentions (PER_ARTICLE an article)."""
    from rashomon.model import Analysis, Article, ClaimMention, Fact, Span

    rng = random.Random(seed)
    events = []
    for _ in range(max(1, n_claims // REPORTS)):
        events.append({"org": _word(rng, 3).capitalize() + " " + rng.choice(("Council", "Agency", "Group", "Bank")),
                       "place": _word(rng, 3).capitalize(), "noun": _word(rng, 2) + "s",
                       "verb": rng.randrange(len(_VERBS)), "number": rng.randrange(3, 400),
                       "day": rng.choice(_DAYS)})
    reports = [e for e in range(len(events)) for _ in range(REPORTS)][:n_claims]
    rng.shuffle(reports)
    analyses = []
    for a in range(0, len(reports), PER_ARTICLE):
        aid = f"art{a // PER_ARTICLE:05d}"
        clauses = []
        for e in reports[a:a + PER_ARTICLE]:
            ev = events[e]
            verb = rng.choice(_VERBS[ev["verb"]])
            number = ev["number"] if rng.random() > 0.15 else ev["number"] + rng.randrange(1, 9)  # some disagree
            if rng.random() < 0.5:
                clause = f"The {ev['org']} {verb} {number} {ev['noun']} in {ev['place']} on {ev['day']}."
            else:
                clause = f"On {ev['day']}, {number} {ev['noun']} were {verb} in {ev['place']} by the {ev['org']}."
            clauses.append((clause, ev, str(number)))
        text = " ".join(c for c, _, _ in clauses)
        claims, pos = [], 0
        for k, (clause, ev, number) in enumerate(clauses):
            start = text.index(clause, pos)
            pos = start + len(clause)

            def fact(kind: str, value: str, surface: str, base: int = start, line: str = clause):
                at = base + line.index(surface)
                return Fact(kind, value, Span.of(aid, text, at, at + len(surface)))

            facts = (fact("number", number, number), fact("place", ev["place"], ev["place"]),
                     fact("actor", ev["org"], ev["org"]))
            terms = tuple(w.lower() for w in clause.rstrip(".").replace(",", "").split() if len(w) > 3)
            claims.append(ClaimMention(Span.of(aid, text, start, pos), facts, k, terms))
        analyses.append(Analysis(Article(id=aid, source=f"{aid}.txt", text=text), claims=tuple(claims)))
    return analyses


def measure(sizes: list[int]) -> list[dict]:
    import numpy as np

    from rashomon.analyze.embed import embed
    from rashomon.reconcile import claims as claims_mod

    out = []
    for n in sizes:
        analyses = story(n)
        texts = [c.span.text for a in analyses for c in a.claims]
        owner = [a.article.id for a in analyses for _ in a.claims]
        vectors = embed(texts)  # once, untimed: the cache answers the timed runs
        best = search = None
        for _ in range(3):
            t0 = time.process_time()
            found, _matrix = claims_mod.align_claims(analyses, None)
            dt = time.process_time() - t0
            best = dt if best is None else min(best, dt)
            t0 = time.process_time()
            claims_mod._candidates(np.asarray(vectors), owner, {})
            dt = time.process_time() - t0
            search = dt if search is None else min(search, dt)
        linked = sum(1 for c in found if len(c.articles) > 1)
        out.append({"claims": len(texts), "seconds": best, "search": search, "found": len(found), "linked": linked})
    return out


def main() -> None:
    from evalkit import scaling_run

    run = scaling_run(__doc__, __file__, measure, "claims")
    if run is None:
        return
    args, rows, other = run
    from evalkit import run_stamp

    date, cores = run_stamp()
    base = rows[0]["seconds"] / rows[0]["claims"]
    lines = [
        "## Claim alignment: cost per claim as a story grows",
        "",
        f"Command: `.venv/bin/python benchmarks/claims_scaling.py --sizes {args.sizes}"
        f"{' --compare-src ' + args.compare_src if other else ''}` · {date} · "
        f"{os.uname().machine}, {cores} cores · load average at the end {os.getloadavg()[0]:.1f}",
        "",
        f"Invented claim mentions ({PER_ARTICLE} an article; each invented event reported by about {REPORTS} "
        "articles in their own words, 15% of them with another number), one story; `align_claims` with "
        "every clause's embedding already cached (the embedding is one model pass a clause), best of 3. "
        "`_candidates` is the nearest-neighbour candidate index alone. CPU seconds of the process (best of 3)."
        + (" \"Before\": the same measure with the other checkout's code, in a subprocess of the same run." if other else ""),
        "",
        "| claim mentions | claims | linked across articles | align_claims s | ms per mention | per-mention cost vs 250 "
        "| candidate index s | candidate index µs per mention |" + (" before: align_claims s | before: candidate index s |" if other else ""),
        "|---|---|---|---|---|---|---|---|" + ("---|---|" if other else ""),
    ]
    for r in rows:
        per = r["seconds"] / r["claims"]
        lines.append(f"| {r['claims']} | {r['found']} | {r['linked']} | {r['seconds']:.3f} | {1000 * per:.3f} | "
                     f"{per / base:.2f} | {r['search']:.3f} | {1e6 * r['search'] / r['claims']:.0f} |"
                     + (f" {other[r['claims']]['seconds']:.3f} | {other[r['claims']]['search']:.3f} |"
                        if other and r["claims"] in other else (" — | — |" if other else "")))
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(section + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
