"""Entity resolution cost as a story's names grow: per-name cost must stay flat.

Run: .venv/bin/python benchmarks/reconcile_scaling.py [--sizes 250,500,1000,2000,4000] [--no-write]
     [--compare-src /path/to/other/src]  (also time another checkout's code in a subprocess)

Invented names only (syllables drawn with a fixed seed): each "article" holds 10 person
mentions, a quarter of the people recur in a second article under another romanisation
(a vowel changed, "y" for "i", "kh" for "h"), and a few surnames alone. ``resolve_entities`` runs
on the whole set; the figure is wall time and time per distinct name, best of 3. Section:
docs/bench/scaling_names.md.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "bench" / "scaling_names.md"
_ONSETS = "b d f g k l m n p r s t v z ch sh kh br dr gr kr st tr".split()
_VOWELS = "a e i o u".split()


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)).capitalize()


def _variant(rng: random.Random, name: str) -> str:
    """Another romanisation of a name: one vowel changed, or y for a final i, or h for kh."""
    if "kh" in name.lower():
        return name.replace("kh", "h").replace("Kh", "H")
    if name.endswith("i"):
        return name[:-1] + "y"
    idx = [i for i, ch in enumerate(name) if ch in "aeiou" and i > 0]
    if not idx:
        return name
    i = rng.choice(idx)
    return name[:i] + {"a": "o", "o": "u", "u": "a", "e": "i", "i": "e"}[name[i]] + name[i + 1:]


def story(n_names: int, seed: int = 7):
    """Analyses holding ``n_names`` distinct people (10 mentions an article)."""
    from rashomon.model import Analysis, Article, Mention, Span

    rng = random.Random(seed)
    people = [(_word(rng, 2), _word(rng, rng.choice((3, 4)))) for _ in range(n_names)]
    forms: list[str] = []
    for k, (given, surname) in enumerate(people):
        forms.append(f"{given} {surname}")
        if k % 4 == 0:
            forms.append(f"{_variant(rng, given)} {_variant(rng, surname)}")
        if k % 10 == 0:
            forms.append(surname)
    rng.shuffle(forms)
    analyses = []
    for a in range(0, len(forms), 10):
        names = forms[a : a + 10]
        text = " ".join(f"{n} spoke." for n in names)
        aid = f"art{a // 10:05d}"
        mentions, pos = [], 0
        for n in names:
            start = text.index(n, pos)
            pos = start + len(n)
            mentions.append(Mention(Span.of(aid, text, start, pos), "PERSON", n))
        analyses.append(Analysis(Article(id=aid, source=f"{aid}.txt", text=text), entities=tuple(mentions)))
    return analyses


def measure(sizes: list[int]) -> list[dict]:
    from rashomon.reconcile.entities import resolve_entities

    out = []
    for n in sizes:
        analyses = story(n)
        best = None
        for _ in range(3):
            t0 = time.perf_counter()
            res = resolve_entities(analyses)
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
        out.append({"names": n, "seconds": best, "entities": len(res.entities)})
    return out


def main() -> None:
    from evalkit import scaling_run

    run = scaling_run(__doc__, __file__, measure, "names", compare_sizes="250,500,1000,2000")
    if run is None:
        return
    args, rows, other = run
    from evalkit import run_stamp

    date, cores = run_stamp()
    base = rows[0]["seconds"] / rows[0]["names"]
    lines = [
        "## Entity resolution: cost per name as a story grows",
        "",
        f"Command: `.venv/bin/python benchmarks/reconcile_scaling.py{' --compare-src ' + args.compare_src if other else ''}` · "
        f"{date} · {os.uname().machine}, {cores} cores",
        "",
        "Invented names (given names of 2 syllables, surnames of 3–4, from 21 onsets × 5 vowels; fixed seed), 10 person mentions an article, a quarter of the people "
        "also under a second romanisation, a tenth also as a surname alone; `resolve_entities` on the "
        "whole set, best of 3. Person names are compared only inside their surname's transliteration "
        "bucket (`names.translit_key`).",
        "",
        "| names | entities | seconds | ms per name | per-name cost vs 250 |" + (" before (seconds) |" if other else ""),
        "|---|---|---|---|---|" + ("---|" if other else ""),
    ]
    for r in rows:
        per = r["seconds"] / r["names"]
        before = ""
        if other is not None:
            b = other.get(r["names"])
            before = f" {b['seconds']:.2f} |" if b else " — |"
        lines.append(f"| {r['names']} | {r['entities']} | {r['seconds']:.3f} | {1000 * per:.3f} | {per / base:.2f} |{before}")
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        OUT.write_text(section + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
