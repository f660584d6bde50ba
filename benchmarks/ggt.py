"""Quote extraction on the Gender Gap Tracker dev set: quote F1, speaker accuracy, speed.

Run: .venv/bin/python benchmarks/ggt.py [--misses FILE]

Protocol (../shared/eval/README.md): a predicted quote matches a gold quote when their
character overlap is at least 30% of the gold quote; matching is one-to-one and greedy in
gold order, best overlap first (as in GGT's own evaluate_quotes.py). Gold offsets drift,
so each gold quote is located by its text (the occurrence nearest its stated offset);
gold quotes whose text is not in the article are left out and counted. Speaker accuracy =
matched quotes whose predicted speaker resolves to the gold ``reference``: the resolved
name, or for an unnamed speaker the words that name it ("officials"), equal to the
reference after dropping case, articles, honorifics and possessives, or a surname-only
name equal to the reference's last word. Speed = (nlp.pipe + extract_mentions +
extract_quotes) / nlp.pipe alone, on the same texts.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

from evalkit import greedy_match, require, run_stamp  # noqa: E402  (benchmarks/ is on sys.path when run as a script)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "eval" / "ggt" / "dev.jsonl"
OUT = ROOT / "docs" / "bench" / "ggt.md"
MATCH_THRESHOLD = 0.3

_DROP = {"the", "a", "an", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir"}


NOTES = """### Issue 15 (who said what on news we never tuned on)

Start of the round: quote F1 90.3%, speaker accuracy 86.3% (all dev, fitted). Changes, each a
general mechanism (the invented-article tests in tests/test_quotes.py cover them):

| change | effect on GGT dev |
|---|---|
| every quote carries a speaker kind (person / organisation / description / unknown); unnamed sources keep their words | 0 (display and statements) |
| "a spokesman said" never falls back to the most salient person (proxy nouns); "on behalf of X" makes X the speaker | 0 |
| a definite description resolves to the person the article put in apposition with that noun ("Lopez, a striker" → "the veteran striker") | see table above |
| a cue verb's subject that is a place ("the main town … has power and officials say") is not the speaker; a noun the parser hung as a conjunct next to the verb is | 0 |
| numeric parameters refitted per fold (5 folds by article) | every fold chose the shipped values |

### Earlier rounds: what was tried (speaker accuracy / quote F1 on GGT dev, each measured on its own)

Start of this round: quote F1 89.4% (P 89.5, R 89.3), speaker accuracy 82.0% (597/728).

| change | effect | kept |
|---|---|---|
| gender of a person: gendered role/kinship nouns in its role ("spokeswoman", "mother") beside honorifics and pronoun contexts | part of the +6 quotes below | yes |
| given-name table (PyPI `nomquamgender` 0.1.4, MIT; read without importing, binary search in its sorted JSON) after in-article evidence | +1 quote (82.7 → 82.8%) | yes |
| never an antecedent: photo credits "(Jane Doe/CBC)", a name used as a modifier ("the Kinder Morgan pipeline"), a name after "in"/"at" | +4 quotes | yes |
| follow chains of same-gender subject pronouns back to a name | 0 | no (removed) |
| beyond the pronoun window, the article's only earlier person of that gender | 0 net, and wrong names where the speaker was never named | no (removed) |
| "X called it “unfair”": describe verb + quoted complement is a mixed quote | +5 quotes, F1 +0.1 | yes |
| a quote ending in a full stop followed by a capitalised non-name word takes no tail cue ("…this.” But he said") | +1 quote | yes |
| entities: a PERSON holding a lower-case non-particle word or a lone short acronym is not a person ("Birth of Modern Canada", "CBC"); "… Chief Na'moks" inside an ORG entity is a titled person; "Nino Niederreiter" tagged GPE is a person when "Niederreiter" is; "Al Hashish" maps to "Fouzia Al Hashish"; names with apostrophes kept | +6 quotes (83.5 → 84.4%) | yes |
| unnamed speakers keep their modifiers ("An official with …", "one of the players", "people arrested last week") | +4 quotes | yes |
| a document speaks for its possessor or a name anywhere in its phrase ("Foster's book", "a study released by Civic Action", "numbers from Statistics Canada") | +4 quotes (+1 more with book/article/paper/column as document nouns) | yes |
| "the commission"/"the union" only for an organisation whose name has that noun; modifiers must match ("The Canadian government") | +3 quotes | yes |
| "the lawyer said" only for a person whose role has "lawyer"; otherwise the most salient person only when the article gives them no role | 0 net (3 wrong names became the gold descriptions, "the prime minister" → Trudeau kept) | yes |
| "A statement said" without author → the organisation of this or the previous sentence | 0 | yes (general; harmless here) |
| evidential verbs (suggest, estimate, conclude, indicate, signal, hint, forecast) make no indirect quotes | P 89.4 → 91.7, R 89.4 → 89.0, F1 89.45 → 90.29 | yes |
| GGT-style splitting of quotes around an in-sentence cue | not tried (time) | — |

Remaining speaker errors (~99): he/she to a person of the same gender who is more salient
by our rules (subject of the previous sentence vs the last speaker), names the NER misses
("Vancouver's Bo Horvat" as WORK_OF_ART), plural speakers ("they" → "the union", "members"),
and gold references that name an organisation where the text has a description ("the
report" → its author, "The agency" → TransLink).
"""


def norm_name(name: str | None) -> list[str]:
    if not name:
        return []
    name = name.replace("’s", "").replace("'s", "").replace("’", "'")
    return [w for w in name.lower().replace(",", " ").split() if w not in _DROP]


def same_speaker(pred: str | None, gold: str | None) -> bool:
    p, g = norm_name(pred), norm_name(gold)
    if not p or not g:
        return False
    if p == g:
        return True
    return len(p) == 1 and p[0] == g[-1]


def locate(text: str, quote: str, hint: int | None) -> tuple[int, int] | None:
    """Where the gold quote text is in the article (nearest its stated offset)."""
    q = quote.strip()
    if not q:
        return None
    best = None
    i = text.find(q)
    while i >= 0:
        if best is None or (hint is not None and abs(i - hint) < abs(best - hint)):
            best = i
        i = text.find(q, i + 1)
    if best is None:
        return None
    return best, best + len(q)


def match(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one greedy matching: (gold index, pred index) pairs."""
    return greedy_match(gold, pred, MATCH_THRESHOLD)


def score(rows: list[dict], predicted: list) -> dict:
    """Quote precision/recall/F1 and speaker accuracy of ``predicted`` (one list of Quote per row)."""
    tp = n_gold = n_pred = spk_ok = lost = 0
    miss_lines: list[str] = []
    for r, quotes in zip(rows, predicted):
        text = r["text"]
        gold, refs, gq = [], [], []
        for q in r["quotes"]:
            hint = q["quote_span"][0] if q.get("quote_span") else None
            loc = locate(text, q["quote"], hint)
            if loc is None:
                lost += 1
                continue
            gold.append(loc)
            refs.append(q["reference"])
            gq.append(q)
        pred = [(q.span.start, q.span.end) for q in quotes]
        pairs = match(gold, pred)
        n_gold += len(gold)
        n_pred += len(pred)
        tp += len(pairs)
        matched_g = {g for g, _ in pairs}
        matched_p = {p for _, p in pairs}
        for g, p in pairs:
            q = quotes[p]
            name = q.speaker_name or (q.speaker_span.text if q.speaker_span else None)
            if same_speaker(name, refs[g]):
                spk_ok += 1
            else:
                miss_lines.append(f"SPEAKER {r['id']} gold={refs[g]!r} ({gq[g]['speaker']!r}) pred={name!r} [{q.speaker_span.text if q.speaker_span else None}] cue={q.cue!r}\n   {q.span.text[:150]!r}")
        for g in range(len(gold)):
            if g not in matched_g:
                miss_lines.append(f"FN {r['id']} {gq[g]['speaker']!r}/{gq[g]['verb']!r}: {gq[g]['quote'][:150]!r}")
        for p in range(len(pred)):
            if p not in matched_p:
                q = quotes[p]
                miss_lines.append(f"FP {r['id']} {q.kind} cue={q.cue!r} spk={q.speaker_name!r}: {q.span.text[:150]!r}")

    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    speaker = spk_ok / tp if tp else 0.0
    return {"tp": tp, "n_gold": n_gold, "n_pred": n_pred, "lost": lost, "precision": precision, "recall": recall,
            "f1": f1, "speaker": speaker, "spk_ok": spk_ok, "miss_lines": miss_lines}


FOLDS = 5
GRID = {
    ("speakers", "PRONOUN_WINDOW_SENTENCES"): (4, 6, 8),
    ("speakers", "SPEAKER_BONUS"): (2.0, 3.0, 4.0),
    ("quote_lexicon", "MIN_DIRECT_WORDS"): (3, 4, 5),
}
"""The numeric parameters of the quote and speaker rules, refitted per fold on this grid."""


def fold_of(article_id: str) -> int:
    import hashlib

    return int(hashlib.sha1(article_id.encode()).hexdigest(), 16) % FOLDS


def cross_validate(rows: list[dict], docs: list) -> dict:
    """5 folds by article: each fold's parameters are chosen on the other four (best mean of
    quote F1 and speaker accuracy on the grid), then scored on the held-out fold."""
    import importlib
    import itertools

    from rashomon.analyze.entities import extract_mentions
    from rashomon.analyze.quotes import extract_quotes

    mods = {name: importlib.import_module(f"rashomon.analyze.{name}") for name, _ in GRID}
    shipped = {k: getattr(mods[k[0]], k[1]) for k in GRID}
    mentions = [extract_mentions(doc, r["id"]) for r, doc in zip(rows, docs)]
    per_setting = {}
    for values in itertools.product(*GRID.values()):
        for (mod, attr), v in zip(GRID, values):
            setattr(mods[mod], attr, v)
        per_setting[values] = [extract_quotes(doc, r["id"], m) for r, doc, m in zip(rows, docs, mentions)]
    for (mod, attr), v in shipped.items():
        setattr(mods[mod], attr, v)

    def sub(values, idx):
        return score([rows[i] for i in idx], [per_setting[values][i] for i in idx])

    folds = [[i for i, r in enumerate(rows) if fold_of(r["id"]) == f] for f in range(FOLDS)]
    out = []
    for f in range(FOLDS):
        train = [i for g in range(FOLDS) if g != f for i in folds[g]]
        best = max(per_setting, key=lambda v: ((lambda s: (s["f1"] + s["speaker"]) / 2)(sub(v, train)), v == tuple(shipped.values())))
        fitted, held = sub(best, train), sub(best, folds[f])
        out.append({"fold": f, "articles": len(folds[f]), "chosen": best, "fitted": fitted, "held": held})
    return {"folds": out, "shipped": tuple(shipped.values())}


def cv_lines(cv: dict) -> list[str]:
    names = [attr for _, attr in GRID]
    lines = [
        f"### {FOLDS}-fold cross-validation by article (held-out figures)",
        "",
        f"Folds: a hash of the article id. For each fold the rules' numeric parameters ({', '.join(names)}) "
        "are chosen on the other four folds (grid: " + "; ".join(f"{a} ∈ {{{', '.join(map(str, v))}}}" for (_, a), v in GRID.items())
        + "; objective: mean of quote F1 and speaker accuracy) and scored on the held-out fold. "
        "The rules themselves (word lists, patterns) were written on all of GGT dev in earlier rounds, so "
        "the held-out folds test the fitted numbers, not the rules' wording.",
        "",
        "| fold | articles | chosen (" + ", ".join(names) + ") | fitted quote F1 | held-out quote F1 | fitted speaker | held-out speaker |",
        "|---|---|---|---|---|---|---|",
    ]
    for x in cv["folds"]:
        lines.append(f"| {x['fold']} | {x['articles']} | {', '.join(map(str, x['chosen']))} | {100 * x['fitted']['f1']:.1f} | "
                     f"{100 * x['held']['f1']:.1f} | {100 * x['fitted']['speaker']:.1f} | {100 * x['held']['speaker']:.1f} |")
    mean = lambda k, m: 100 * sum(x[k][m] for x in cv["folds"]) / len(cv["folds"])  # noqa: E731
    lines += [
        "",
        f"Held-out mean: quote F1 {mean('held', 'f1'):.1f}% (fitted {mean('fitted', 'f1'):.1f}%, gap "
        f"{mean('fitted', 'f1') - mean('held', 'f1'):+.1f}); speaker accuracy {mean('held', 'speaker'):.1f}% "
        f"(fitted {mean('fitted', 'speaker'):.1f}%, gap {mean('fitted', 'speaker') - mean('held', 'speaker'):+.1f}). "
        f"Shipped values: {', '.join(map(str, cv['shipped']))}.",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", type=Path, help="write unmatched and wrong-speaker quotes here")
    parser.add_argument("--no-write", action="store_true", help="do not write docs/bench/ggt.md")
    parser.add_argument("--no-cv", action="store_true", help="skip the 5-fold cross-validation")
    args = parser.parse_args()
    require(DATA, "GGT dev set")
    from rashomon.analyze.entities import extract_mentions
    from rashomon.analyze.nlp import load_nlp
    from rashomon.analyze.quotes import extract_quotes

    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    nlp = load_nlp()
    list(nlp.pipe(texts[:2]))  # warm up
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts))
    t_pipe = time.perf_counter() - t0
    t0 = time.perf_counter()
    predicted = []
    for r, doc in zip(rows, docs):
        mentions = extract_mentions(doc, r["id"])
        predicted.append(extract_quotes(doc, r["id"], mentions))
    t_extract = time.perf_counter() - t0

    result = score(rows, predicted)
    tp, n_gold, n_pred, lost = result["tp"], result["n_gold"], result["n_pred"], result["lost"]
    precision, recall, f1, speaker = result["precision"], result["recall"], result["f1"], result["speaker"]
    spk_ok, miss_lines = result["spk_ok"], result["miss_lines"]
    ratio = (t_pipe + t_extract) / t_pipe
    figures = [
        ("articles", f"{len(rows)}"),
        ("gold quotes located / not in text", f"{n_gold} / {lost}"),
        ("predicted quotes", f"{n_pred}"),
        ("quote precision", f"{100 * precision:.1f}%"),
        ("quote recall", f"{100 * recall:.1f}%"),
        ("quote F1 (target ≥ 90%; GGT v5.1: 83.7%)", f"{100 * f1:.1f}%"),
        ("speaker accuracy (target ≥ 92%; GGT v5.1: 86.0%)", f"{100 * speaker:.1f}%"),
        ("nlp.pipe alone", f"{t_pipe:.2f} s"),
        ("extract_mentions + extract_quotes", f"{t_extract:.2f} s"),
        ("throughput ratio (pipe+extract)/pipe (target ≤ 1.10)", f"{ratio:.3f}"),
    ]
    for k, v in figures:
        print(f"{k:55} {v}")
    cv = None if args.no_cv else cross_validate(rows, docs)
    if cv is not None:
        print("\n".join(cv_lines(cv)))
    if args.misses:
        args.misses.write_text("\n".join(miss_lines) + "\n", encoding="utf-8")
    if not args.no_write:
        date, cores = run_stamp()
        lines = [
            "## Quotes and speakers: GGT dev",
            "",
            "Command: `.venv/bin/python benchmarks/ggt.py`",
            f"Date: {date}; machine: {cores} cores, {platform.machine()}; spaCy model en_core_web_sm 3.8.0.",
            "",
            "Protocol: one-to-one greedy matching, a predicted quote matches a gold quote when",
            "their character overlap is ≥ 30% of the gold quote; gold quotes located by text.",
            "Speaker accuracy over matched quotes: predicted speaker name (or the words naming an",
            "unnamed speaker) equals the gold `reference` (case, articles and honorifics aside;",
            "a surname alone matches the reference's last word).",
            "",
            "| figure | value |",
            "|---|---|",
            *[f"| {k} | {v} |" for k, v in figures],
            "",
            *(cv_lines(cv) + [""] if cv is not None else []),
            NOTES,
        ]
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
