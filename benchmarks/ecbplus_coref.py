"""ECB+ cross-document coreference of participants, and GGT speaker-name resolution.

Run: ``.venv/bin/python benchmarks/ecbplus_coref.py [--topics 1,2] [--no-ggt]``

ECB+ (``../shared/eval/ecbplus/<topic>/*.xml``, read at run time, nothing copied):

- each document's tokens are joined into text (light detokenisation, one line per
  sentence) and run through spaCy and :func:`rashomon.analyze.entities.extract_mentions`;
  each topic (all its documents, ecb and ecbplus mixed) is one story for
  :func:`rashomon.reconcile.entities.resolve_entities`;
- gold mentions: HUMAN_PART_* and NON_HUMAN_PART* markables; gold clusters: the
  CROSS_DOC_COREF instance, else the INTRA_DOC_COREF chain, else a singleton;
- only the sentences listed in ``ECBplus_coreference_sentences.csv`` are scored;
- a predicted mention is aligned to the gold participant markable it overlaps most (token
  Dice, one-to-one, greedy); one that overlaps only a non-participant markable (a place,
  time or action: another annotation class) is left out; one that overlaps nothing is a
  spurious mention and stays in the response;
- MUC, B-cubed and CEAF-e (entity-based, phi4) as in the CoNLL scorer, singletons kept;
  CoNLL F1 = their mean. "Pooled" sums numerators and denominators over topics; "macro"
  averages per-topic F1;
- merge precision: of the pairs of aligned predicted mentions that the system puts in one
  entity, the share that gold puts in one cluster (all pairs, and cross-document pairs);
- baselines over the same mentions: each (document, name) alone, and exact-name match.

GGT (``../shared/eval/ggt/dev.jsonl``): if ``analyze/quotes.py`` exists, the share of
gold quotes matched by a predicted quote (overlap ≥ 30% of the gold quote) whose speaker,
resolved through the article's entities, equals the gold ``reference``; otherwise, the
share of gold ``speaker`` strings that resolve through the article's mentions to the gold
``reference`` (the brief's fallback measure).

Writes ``docs/bench/ecbplus_coref.md``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
ECB = SHARED / "eval" / "ecbplus"
GGT = SHARED / "eval" / "ggt" / "dev.jsonl"
OUT = ROOT / "docs" / "bench" / "ecbplus_coref.md"
sys.path.insert(0, str(ROOT / "src"))

from rashomon.analyze.entities import extract_mentions  # noqa: E402
from rashomon.analyze.nlp import load_nlp  # noqa: E402
from rashomon.model import Analysis, Article  # noqa: E402
from rashomon.reconcile.entities import resolve_entities  # noqa: E402
from rashomon.reconcile.names import display_form, fold, name_like, strip_courtesy_title  # noqa: E402

from evalkit import ecbplus_annotated_sentences, require  # noqa: E402  (benchmarks/ is on sys.path when run as a script)

PARTICIPANT_PREFIXES = ("HUMAN_PART", "NON_HUMAN_PART")
NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "'s", "'S", "n't", "'", "''", "'re", "'ve", "'ll", "'d", "'m"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "``", "#"}
QUOTE_TOKENS = {"``": '"', "''": '"'}


# ------------------------------------------------------------------------------ reading


@dataclass(slots=True)
class Doc:
    name: str
    text: str
    token_spans: dict[str, tuple[int, int]]
    """token id → (start, end) in text."""
    token_sentence: dict[str, int]
    gold: dict[str, tuple[str, ...]]
    """participant markable id → token ids."""
    other: list[tuple[str, ...]]
    """token ids of non-participant markables."""
    cluster_of: dict[str, str]
    """participant markable id → gold cluster id."""


def read_doc(path: Path) -> Doc:
    root = ET.parse(path).getroot()
    parts: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    sent_of: dict[str, int] = {}
    pos, prev_sent, prev_tok = 0, None, None
    for tok in root.iter("token"):
        word = QUOTE_TOKENS.get(tok.text or "", tok.text or "")
        sent = int(tok.get("sentence"))
        if prev_sent is not None and sent != prev_sent:
            sep = "\n"
        elif prev_tok is None or (tok.text in NO_SPACE_BEFORE) or (prev_tok in NO_SPACE_AFTER):
            sep = ""
        else:
            sep = " "
        parts.append(sep)
        pos += len(sep)
        spans[tok.get("t_id")] = (pos, pos + len(word))
        sent_of[tok.get("t_id")] = sent
        parts.append(word)
        pos += len(word)
        prev_sent, prev_tok = sent, tok.text
    gold: dict[str, tuple[str, ...]] = {}
    other: list[tuple[str, ...]] = []
    instance: dict[str, str] = {}
    markables = root.find("Markables")
    for el in (markables if markables is not None else []):
        anchors = tuple(a.get("t_id") for a in el.findall("token_anchor"))
        if anchors:
            if el.tag.startswith(PARTICIPANT_PREFIXES):
                gold[el.get("m_id")] = anchors
            else:
                other.append(anchors)
        elif el.get("instance_id"):
            instance[el.get("m_id")] = el.get("instance_id")
    cluster_of = {m: f"{path.stem}:single:{m}" for m in gold}
    relations = root.find("Relations")
    for rel in (relations if relations is not None else []):
        target = rel.find("target").get("m_id") if rel.find("target") is not None else None
        if rel.tag == "CROSS_DOC_COREF":
            cid = rel.get("note") or instance.get(target, f"{path.stem}:x:{target}")
        elif rel.tag == "INTRA_DOC_COREF":
            cid = f"{path.stem}:intra:{target}"
        else:
            continue
        for src in rel.findall("source"):
            if src.get("m_id") in gold:
                cluster_of[src.get("m_id")] = cid
    return Doc(path.stem, "".join(parts), spans, sent_of, gold, other, cluster_of)


def annotated_sentences() -> dict[str, set[int]]:
    return ecbplus_annotated_sentences()


# ------------------------------------------------------------------------------ metrics


def muc(key: list[set], resp: list[set]) -> tuple[float, float, float, float]:
    def side(a: list[set], b: list[set]) -> tuple[float, float]:
        where = {m: i for i, c in enumerate(b) for m in c}
        num = den = 0
        for c in a:
            parts = {where.get(m, ("alone", m)) for m in c}
            num += len(c) - len(parts)
            den += len(c) - 1
        return num, den

    rn, rd = side(key, resp)
    pn, pd = side(resp, key)
    return rn, rd, pn, pd


def b_cubed(key: list[set], resp: list[set]) -> tuple[float, float, float, float]:
    kof = {m: c for c in key for m in c}
    rof = {m: c for c in resp for m in c}
    rn = sum(len(kof[m] & rof.get(m, set())) / len(kof[m]) for m in kof)
    pn = sum(len(rof[m] & kof.get(m, set())) / len(rof[m]) for m in rof)
    return rn, len(kof), pn, len(rof)


def ceaf_e(key: list[set], resp: list[set]) -> tuple[float, float, float, float]:
    if not key or not resp:
        return 0.0, len(key), 0.0, len(resp)
    sim = np.zeros((len(key), len(resp)))
    rof = {m: j for j, c in enumerate(resp) for m in c}
    for i, k in enumerate(key):
        for m in k:
            j = rof.get(m)
            if j is not None:
                sim[i, j] += 1
    for i, k in enumerate(key):
        for j in np.nonzero(sim[i])[0]:
            sim[i, j] = 2 * sim[i, j] / (len(k) + len(resp[j]))
    rows, cols = linear_sum_assignment(-sim)
    total = float(sim[rows, cols].sum())
    return total, len(key), total, len(resp)


def f1(rn: float, rd: float, pn: float, pd: float) -> tuple[float, float, float]:
    r = rn / rd if rd else 0.0
    p = pn / pd if pd else 0.0
    return r, p, (2 * p * r / (p + r) if p + r else 0.0)


METRICS = {"MUC": muc, "B3": b_cubed, "CEAF-e": ceaf_e}


# ------------------------------------------------------------------------------ system


def span_tokens(doc: Doc, start: int, end: int) -> set[str]:
    return {t for t, (s, e) in doc.token_spans.items() if s < end and e > start}


def align(doc: Doc, mentions, annotated: set[int]):
    """(gold markable id or None, mention) for each scored predicted mention."""
    scored = []
    for m in mentions:
        toks = span_tokens(doc, m.span.start, m.span.end)
        if not toks or not all(doc.token_sentence[t] in annotated for t in toks):
            continue
        scored.append((m, toks))
    pairs = []
    for i, (m, toks) in enumerate(scored):
        for gid, gtoks in doc.gold.items():
            inter = len(toks & set(gtoks))
            if inter:
                pairs.append((2 * inter / (len(toks) + len(gtoks)), i, gid))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_m, used_g, out = set(), set(), {}
    for _score, i, gid in pairs:
        if i not in used_m and gid not in used_g:
            used_m.add(i)
            used_g.add(gid)
            out[i] = gid
    result = []
    for i, (m, toks) in enumerate(scored):
        gid = out.get(i)
        if gid is None and any(toks & set(o) for o in doc.other):
            continue  # a place/time/action markable: not a participant, not scored
        result.append((gid, m))
    return result


def topic_scores(docs: list[Doc], analyses: list[Analysis], annotated: dict[str, set[int]]):
    """Per-system key/response clusters and merge pairs for one topic."""
    res = resolve_entities(analyses)
    key: dict[str, set] = defaultdict(set)
    for d in docs:
        ann = annotated.get(d.name, set())
        for gid, toks in d.gold.items():
            if all(d.token_sentence[t] in ann for t in toks):
                key[d.cluster_of[gid]].add((d.name, gid))
    gold_cluster = {m: c for c, ms in key.items() for m in ms}
    systems = {"rashomon": defaultdict(set), "same-name": defaultdict(set), "per-article": defaultdict(set)}
    for d, a in zip(docs, analyses):
        for gid, m in align(d, a.entities, annotated.get(d.name, set())):
            mid = (d.name, gid) if gid is not None and (d.name, gid) in gold_cluster else (d.name, "sys", m.span.start, m.span.end)
            systems["rashomon"][res.by_name[(d.name, m.name)]].add(mid)
            systems["same-name"][(m.type, fold(m.name))].add(mid)
            systems["per-article"][(d.name, m.name)].add(mid)
    out = {}
    for sysname, clusters in systems.items():
        resp = [set(c) for c in clusters.values()]
        aligned_resp = [{m for m in c if m in gold_cluster} for c in resp]
        aligned_resp = [c for c in aligned_resp if c]
        aligned_ids = set().union(*aligned_resp) if aligned_resp else set()
        aligned_key = [c & aligned_ids for c in key.values() if c & aligned_ids]
        row = {"full": {}, "aligned": {}}
        for mname, fn in METRICS.items():
            row["full"][mname] = fn(list(key.values()), resp)
            row["aligned"][mname] = fn(aligned_key, aligned_resp)
        pairs = {"all": [0, 0], "cross": [0, 0]}
        for c in aligned_resp:
            for x, y in combinations(sorted(c, key=str), 2):
                good = gold_cluster[x] == gold_cluster[y]
                for kind in ("all", "cross") if x[0] != y[0] else ("all",):
                    pairs[kind][0] += good
                    pairs[kind][1] += 1
        row["pairs"] = pairs
        row["mentions"] = (sum(len(c) for c in key.values()), sum(len(c) for c in resp), len(aligned_ids))
        out[sysname] = row
    return out


# ------------------------------------------------------------------------------ GGT


PRONOUNS = {"he", "she", "they", "i", "we", "it", "him", "her", "them", "you"}


def _same_name(a: str | None, b: str | None) -> bool:
    def norm(x: str) -> str:
        x = fold(x)
        return x[4:] if x.startswith("the ") else x

    return a is not None and b is not None and norm(a) == norm(b)


def ggt_speakers(nlp) -> dict:
    rows = [json.loads(line) for line in GGT.read_text().splitlines() if line.strip()]
    have_quotes = importlib.util.find_spec("rashomon.analyze.quotes") is not None
    if have_quotes:
        from rashomon.analyze.quotes import extract_quotes
    out = {"have_quotes": have_quotes, "articles": len(rows), "total": 0, "quote_correct": 0,
           "quote_matched": 0, "named_total": 0, "named_correct": 0}
    for row in rows:
        art = Article(id=row["id"], source="ggt", text=row["text"])
        doc = nlp(art.text)
        mentions = extract_mentions(doc, art.id)
        quotes = []
        if have_quotes:
            try:
                quotes = extract_quotes(doc, art.id, mentions)
            except Exception as exc:  # the quotes module is another helper's work in progress
                out["have_quotes"] = have_quotes = False
                out["quotes_error"] = f"{type(exc).__name__}: {exc}"
        res = resolve_entities([Analysis(article=art, entities=tuple(mentions), quotes=tuple(quotes))])
        for gold in row["quotes"]:
            out["total"] += 1
            if have_quotes:
                matched, name = _predicted_speaker(art, gold, quotes, res)
                out["quote_matched"] += matched
                out["quote_correct"] += _same_name(name, gold["reference"])
            speaker = gold.get("speaker")
            if speaker and fold(speaker) not in PRONOUNS and name_like(display_form(speaker)):
                out["named_total"] += 1
                name = _speaker_through_mentions(gold, mentions, res, art.id)
                out["named_correct"] += _same_name(name, gold["reference"])
    return out


def _gold_quote_span(text: str, gold) -> tuple[int, int] | None:
    """Where the gold quote is in the text: by its words, nearest the (drifting) offsets."""
    quote = (gold.get("quote") or "").strip().strip('"“”').strip()
    hint = (gold.get("quote_span") or [0])[0]
    starts, at = [], text.find(quote) if quote else -1
    while at >= 0:
        starts.append(at)
        at = text.find(quote, at + 1)
    if starts:
        start = min(starts, key=lambda x: abs(x - hint))
        return start, start + len(quote)
    return tuple(gold["quote_span"]) if gold.get("quote_span") else None


def _predicted_speaker(art, gold, quotes, res) -> str | None:
    span = _gold_quote_span(art.text, gold)
    if span is None:
        return False, None
    gs, ge = span
    best, best_overlap = None, 0
    for q in quotes:
        overlap = max(0, min(ge, q.span.end) - max(gs, q.span.start))
        if overlap > best_overlap:
            best, best_overlap = q, overlap
    if best is None or best_overlap < 0.3 * max(1, ge - gs):
        return False, None
    entity = res.entity_for(art.id, best.speaker_name)
    return True, (entity.name if entity is not None else best.speaker_name)


def _speaker_through_mentions(gold, mentions, res, article_id) -> str | None:
    """The entity name of the mention that writes the gold speaker string (nearest its offset).

    GGT offsets drift, sometimes by hundreds of characters, so the mention is found by its
    words: a mention whose text is the speaker string (possessive and "the" aside), the
    one nearest the given offset.
    """
    hint = (gold.get("speaker_span") or [0])[0]
    target = fold(strip_courtesy_title(display_form(gold["speaker"])))
    near = [m for m in mentions if fold(strip_courtesy_title(display_form(m.span.text))) == target]
    if not near:
        return None
    m = min(near, key=lambda m: (abs(m.span.start - hint), m.span.start))
    entity = res.entity_for(article_id, m.name)
    return entity.name if entity is not None else None


# ------------------------------------------------------------------------------ main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--topics", help="comma-separated topic numbers (default: all present)")
    ap.add_argument("--no-ggt", action="store_true", help="skip the GGT speaker measure")
    args = ap.parse_args()
    require(ECB, "ECB+")
    topics = sorted((p.name for p in ECB.iterdir() if p.is_dir()), key=int)
    if args.topics:
        topics = [t for t in topics if t in set(args.topics.split(","))]
    nlp = load_nlp()
    annotated = annotated_sentences()
    t0 = time.time()
    per_topic: dict[str, dict] = {}
    for topic in topics:
        docs = [read_doc(p) for p in sorted((ECB / topic).glob("*.xml"))]
        analyses = []
        for d, sdoc in zip(docs, nlp.pipe([d.text for d in docs], batch_size=16)):
            art = Article(id=d.name, source=str(d.name), text=d.text)
            analyses.append(Analysis(article=art, entities=tuple(extract_mentions(sdoc, d.name))))
        per_topic[topic] = topic_scores(docs, analyses, annotated)
        r = per_topic[topic]["rashomon"]["full"]
        conll = sum(f1(*r[m])[2] for m in METRICS) / 3
        print(f"topic {topic:>2}: {len(docs)} docs, CoNLL F1 {100 * conll:.1f}", flush=True)
    elapsed = time.time() - t0
    lines = report(per_topic, topics, elapsed)
    ggt = None
    if not args.no_ggt and GGT.is_file():
        ggt = ggt_speakers(nlp)
        lines += ggt_report(ggt)
    text = "\n".join(lines) + "\n"
    print(text)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(header(args) + text)
    return 0


def pooled(per_topic, topics, system, view, metric):
    sums = [0.0, 0.0, 0.0, 0.0]
    for t in topics:
        for i, v in enumerate(per_topic[t][system][view][metric]):
            sums[i] += v
    return f1(*sums)


def report(per_topic, topics, elapsed) -> list[str]:
    lines = []
    k_total = sum(per_topic[t]["rashomon"]["mentions"][0] for t in topics)
    r_total = sum(per_topic[t]["rashomon"]["mentions"][1] for t in topics)
    a_total = sum(per_topic[t]["rashomon"]["mentions"][2] for t in topics)
    lines.append(f"Topics {', '.join(topics)}; {len(topics)} topics, each one story (ecb + ecbplus documents mixed). "
                 f"Gold participant mentions in annotated sentences: {k_total}; predicted mentions scored: {r_total}; "
                 f"aligned to a gold mention: {a_total} (mention recall {100 * a_total / max(1, k_total):.1f}%, "
                 f"precision {100 * a_total / max(1, r_total):.1f}%). Time: {elapsed:.0f} s.")
    lines.append("")
    for view, title in (("full", "Predicted mentions (all scored system mentions vs all gold participant mentions, singletons kept)"),
                        ("aligned", "Linking only (key and response restricted to the aligned mentions)")):
        lines.append(f"### {title}")
        lines.append("")
        lines.append("| system | MUC R / P / F1 | B3 R / P / F1 | CEAF-e R / P / F1 | CoNLL F1 pooled | CoNLL F1 macro |")
        lines.append("|---|---|---|---|---|---|")
        for system in ("rashomon", "same-name", "per-article"):
            cells, conll = [], 0.0
            for metric in METRICS:
                r, p, f = pooled(per_topic, topics, system, view, metric)
                conll += f / 3
                cells.append(f"{100 * r:.1f} / {100 * p:.1f} / {100 * f:.1f}")
            macro = sum(
                sum(f1(*per_topic[t][system][view][m])[2] for m in METRICS) / 3 for t in topics
            ) / len(topics)
            lines.append(f"| {system} | {' | '.join(cells)} | {100 * conll:.1f} | {100 * macro:.1f} |")
        lines.append("")
    lines.append("### Merge precision (pairs of aligned mentions put in one entity that gold also links)")
    lines.append("")
    lines.append("| system | all pairs | cross-document pairs |")
    lines.append("|---|---|---|")
    for system in ("rashomon", "same-name", "per-article"):
        cells = []
        for kind in ("all", "cross"):
            good = sum(per_topic[t][system]["pairs"][kind][0] for t in topics)
            tot = sum(per_topic[t][system]["pairs"][kind][1] for t in topics)
            cells.append(f"{100 * good / max(1, tot):.1f}% ({good}/{tot})")
        lines.append(f"| {system} | {' | '.join(cells)} |")
    lines.append("")
    lines.append("Systems: `rashomon` = `resolve_entities` over `extract_mentions`; `same-name` = mentions with "
                 "the same type and `Mention.name` (case-folded) joined across documents; `per-article` = each "
                 "(document, `Mention.name`) alone (within-article resolution only). Pooled = numerators and "
                 "denominators summed over topics; macro = mean of per-topic CoNLL F1.")
    return lines


def ggt_report(g: dict) -> list[str]:
    pct = lambda a, b: f"{a}/{b} = {100 * a / max(1, b):.1f}%"  # noqa: E731
    lines = ["", f"### GGT dev: speaker names ({g['articles']} articles, {g['total']} gold quotes)", ""]
    if g["have_quotes"]:
        lines.append(f"- speaker accuracy, end to end: gold quotes matched by a predicted quote (overlap ≥ 30% of the "
                     f"gold quote) whose speaker, resolved through `resolve_entities` over the article, equals the "
                     f"gold `reference`: {pct(g['quote_correct'], g['total'])} of all gold quotes; "
                     f"{pct(g['quote_correct'], g['quote_matched'])} of matched quotes")
    else:
        why = f" (it failed: {g['quotes_error']})" if g.get("quotes_error") else " (it was not there)"
        lines.append(f"- `analyze/quotes.py` could not be used when this ran{why}: no end-to-end speaker accuracy.")
    lines.append(f"- name canonicalisation alone: gold `speaker` strings written as names "
                 f"(every word capitalised: not pronouns, not \"the mayor\"), found among the article's mentions and resolved through `resolve_entities`, "
                 f"whose entity name equals the gold `reference`: {pct(g['named_correct'], g['named_total'])} "
                 f"(a speaker string no mention writes counts as a miss)")
    lines.append("")
    lines.append("Names are compared case-folded, accents removed, a leading \"the\" ignored.")
    return lines


def header(args) -> str:
    date = subprocess.run(["date", "-u"], capture_output=True, text=True).stdout.strip()
    cmd = ".venv/bin/python benchmarks/ecbplus_coref.py" + (f" --topics {args.topics}" if args.topics else "") + (" --no-ggt" if args.no_ggt else "")
    return (
        "## ECB+ cross-document participant coreference (topics 1–20) and GGT speaker names\n\n"
        f"Command: `{cmd}`  \nDate: {date}  \nMachine: {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, "
        f"{platform.machine()}\n\n"
    )


if __name__ == "__main__":
    raise SystemExit(main())
