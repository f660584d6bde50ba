"""One entity per speaker across languages and scripts, on the invented multilingual set.

Run: PYTHONPATH=src .venv/bin/python benchmarks/entities_scripts.py

For every gold quote of tests/data/multilingual_statements.json that the extractor finds, the
speaker it names is looked up in the story's entity resolution (``resolve_entities``). A gold
speaker is *joined* when all the quotes found for it, in every language, land in one entity;
an entity is *mixed* when it holds the quotes of two gold speakers (a bad merge). The gold
speaker names are the set's English forms; the check compares entity ids only, never names,
so it does not reuse the transliteration key it measures. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure() -> dict:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from statements_multilingual import invented_analyses  # noqa: E402

    from rashomon.reconcile.entities import resolve_entities

    data, analyses = invented_analyses()
    by_id = {a.article.id: a for a in analyses}
    entities_of: dict[tuple[str, str], set[str | None]] = defaultdict(set)  # (event, speaker) → entity ids
    speakers_of: dict[str, set[str]] = defaultdict(set)  # entity id → gold speakers
    persons = 0
    for event in sorted({d["event"] for d in data}):
        docs = [d for d in data if d["event"] == event]
        story = [by_id[d["id"]] for d in docs]
        res = resolve_entities(story)
        persons += sum(e.type == "PERSON" for e in res.entities)
        for d in docs:
            a = by_id[d["id"]]
            for g in d["quotes"]:
                at = d["text"].index(g["needle"])
                hit = next((q for q in a.quotes if q.span.start <= at and at + len(g["needle"]) <= q.span.end), None)
                if hit is None:
                    continue
                ent = res.entity_for(d["id"], hit.speaker_name) if hit.speaker_name else None
                eid = f"{event}:{ent.id}" if ent is not None else None
                entities_of[(event, g["speaker"])].add(eid)
                if eid is not None:
                    speakers_of[eid].add(g["speaker"])
    joined = sum(len(ids) == 1 and None not in ids for ids in entities_of.values())
    mixed = sum(len(s) > 1 for s in speakers_of.values())
    return {"speakers": len(entities_of), "joined": joined, "entities": len(speakers_of), "mixed": mixed,
            "persons": persons,
            "spread": sum(len(ids - {None}) for ids in entities_of.values()),
            "unresolved": sum(None in ids for ids in entities_of.values())}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.parse_args()
    m = measure()
    from evalkit import run_stamp

    date, cores = run_stamp()
    import platform

    print(f"Command: `.venv/bin/python benchmarks/entities_scripts.py` · {date} · {platform.machine()}, {cores} cores\n")
    print("| gold speakers (event, speaker) | joined in one entity | speaker entities (sum over speakers) | "
          "speakers with a quote in no entity | entities mixing two speakers | PERSON entities in the 3 stories |")
    print("|---|---|---|---|---|---|")
    print(f"| {m['speakers']} | {m['joined']} | {m['spread']} | {m['unresolved']} | {m['mixed']} | {m['persons']} |")


if __name__ == "__main__":
    main()
