"""The cleaner alone on brief gold: boilerplate removed, fact text kept, outlets found and
invented, overall and by the story folds of benchmarks/briefgold.py (no briefing: seconds).

Run: .venv/bin/python benchmarks/clean_briefgold.py [--detail]

Reads the records exactly as `rashomon brief` does (JSONL records → the block cleaner) and
scores with the set's own scorer functions (locate, name_words), so the figures match
score.py's "boilerplate removed", "fact text kept" and "outlets" measures. Use it to read the
misses; the full product figures are benchmarks/briefgold.py's.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from collections import defaultdict
from pathlib import Path

from briefgold import GOLD_SET, fold_of  # noqa: E402
from evalkit import require, run_stamp  # noqa: E402


def scorer():
    spec = importlib.util.spec_from_file_location("briefgold_score", require(GOLD_SET / "score.py", "brief gold"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--detail", action="store_true")
    parser.add_argument("--folds", type=int, default=4)
    args = parser.parse_args()
    from rashomon.ingest.files import article_from_record

    S = scorer()
    records = [json.loads(line) for line in (GOLD_SET / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line]
    arts = {r["id"]: article_from_record({k: v for k, v in r.items() if k != "story"}, source=r["id"]) for r in records}
    C: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses = []
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in sorted((GOLD_SET / "gold").glob("*.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        f = fold_of(g["story"], args.folds)
        for b in g.get("boilerplate", []):
            C[f]["boiler"] += 1
            by_kind[b["kind"]][1] += 1
            if S.locate(arts[b["article"]].text, b["text"]) is None:
                C[f]["boiler_removed"] += 1
                by_kind[b["kind"]][0] += 1
            else:
                misses.append(f"[boilerplate] {b['article']} kept {b['kind']}: {b['text'][:80]!r}")
        for fact in g.get("facts", []):
            for m in fact["mentions"]:
                C[f]["facts"] += 1
                if S.locate(arts[m["article"]].text, m["text"]) is not None:
                    C[f]["facts_kept"] += 1
                else:
                    misses.append(f"[content] {m['article']} lost {m['text'][:80]!r}")
        for aid, ga in g.get("articles", {}).items():
            a = arts[aid]
            if ga.get("outlet"):
                C[f]["stated"] += 1
                gw = S.name_words(ga["outlet"])
                if gw[:1] and a.outlet and gw[0] in S.name_words(a.outlet):
                    C[f]["found"] += 1
                else:
                    misses.append(f"[outlet] {aid}: gold {ga['outlet']!r}, cleaner {a.outlet!r}")
            else:
                C[f]["unstated"] += 1
                if a.outlet:
                    C[f]["invented"] += 1
                    misses.append(f"[outlet] {aid}: not stated, cleaner says {a.outlet!r} ({a.origin!r})")

    def ratio(c, a, b):
        return 100 * c[a] / c[b] if c[b] else float("nan")

    total = defaultdict(int)
    for c in C.values():
        for k, v in c.items():
            total[k] += v
    measures = [("boilerplate removed", "boiler_removed", "boiler"), ("fact text kept", "facts_kept", "facts"),
                ("outlets named in the text found", "found", "stated"), ("outlets invented", "invented", "unstated")]
    print(f"cleaner on brief gold · {run_stamp()[0]}")
    print("| measure | all | " + " | ".join(f"fold {f}" for f in sorted(C)) + " |")
    print("|---|---|" + "---|" * len(C))
    for name, a, b in measures:
        print(f"| {name} | {ratio(total, a, b):.1f} ({total[a]}/{total[b]}) | "
              + " | ".join(f"{ratio(C[f], a, b):.1f}" for f in sorted(C)) + " |")
    print("\nBoilerplate removed by gold kind: " + ", ".join(
        f"{k} {r}/{n}" for k, (r, n) in sorted(by_kind.items(), key=lambda x: -x[1][1])))
    if args.detail:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
