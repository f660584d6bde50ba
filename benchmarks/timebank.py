"""TimeBank + AQUAINT (TempEval-3 training data): time expression recognition and normalisation.

Run: ``.venv/bin/python benchmarks/timebank.py [--no-doc] [--errors N --kind VALUE|MISS|EXTRA|TYPE] [--part P]``

Reads ``../shared/eval/timebank/{TimeBank,AQUAINT}/*.tml`` beside the checkout at run time
(nothing is copied into the repository), runs :func:`rashomon.analyze.timex.extract_times`
on each document's TEXT with its creation time (DCT), and scores it as the TempEval-3
scorer does:

- relaxed span P/R/F1: a predicted timex matches a gold one when their spans overlap
  (one-to-one, greedy in text order);
- value P/R/F1: matched pairs whose normalised value is equal, over all predicted
  (precision) and all gold (recall) timexes;
- type accuracy: matched pairs with the same type, over matched pairs.

Figures are printed per part (TimeBank, AQUAINT) and over both, and written to
``docs/bench/timebank.md``.
"""

from __future__ import annotations

import argparse
import html
import platform
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "eval" / "timebank"
PARTS = ("TimeBank", "AQUAINT")
sys.path.insert(0, str(ROOT / "src"))

from rashomon.analyze.timex import extract_times  # noqa: E402

from evalkit import require, run_stamp  # noqa: E402  (benchmarks/ is on sys.path when run as a script)

_TAG = re.compile(r"<(/?)([A-Za-z0-9]+)([^>]*)>|&(#?\w+);")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True, slots=True)
class Gold:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class Doc:
    name: str
    part: str
    dct: str
    text: str
    gold: tuple[Gold, ...]


def _strip(marked: str) -> tuple[str, list[Gold]]:
    """Plain text of a TimeML TEXT element and its TIMEX3 annotations (offsets into it)."""
    out: list[str] = []
    length = 0
    gold: list[Gold] = []
    open_attrs: dict[str, str] | None = None
    open_at = 0
    pos = 0
    for m in _TAG.finditer(marked):
        chunk = marked[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        if m.group(4) is not None:  # an entity reference
            ch = html.unescape(m.group(0))
            out.append(ch)
            length += len(ch)
            continue
        closing, tag, attrs = m.group(1), m.group(2), m.group(3)
        if tag != "TIMEX3":
            continue
        if not closing:
            open_attrs = dict(_ATTR.findall(attrs))
            open_at = length
        elif open_attrs is not None:
            text = "".join(out)[open_at:length]
            gold.append(Gold(open_at, length, text, open_attrs.get("type", ""), open_attrs.get("value", "")))
            open_attrs = None
    out.append(marked[pos:])
    return "".join(out), gold


def load(part: str) -> list[Doc]:
    docs = []
    for path in sorted((DATA / part).glob("*.tml")):
        raw = path.read_text(encoding="utf-8")
        dct_m = re.search(r'<DCT><TIMEX3[^>]*value="([^"]+)"', raw)
        body = raw[raw.index("<TEXT>") + len("<TEXT>") : raw.index("</TEXT>")]
        text, gold = _strip(body)
        dct = dct_m.group(1)[:10] if dct_m else None
        docs.append(Doc(path.stem, part, dct, text, tuple(gold)))
    return docs


@dataclass
class Counts:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    value_ok: int = 0
    type_ok: int = 0
    docs: int = 0
    seconds: float = 0.0

    def add(self, other: Counts) -> None:
        for k in ("gold", "pred", "matched", "value_ok", "type_ok", "docs", "seconds"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def prf(self, correct: int) -> tuple[float, float, float]:
        p = correct / self.pred if self.pred else 0.0
        r = correct / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return 100 * p, 100 * r, 100 * f


def score(doc: Doc, pred, errors: list | None) -> Counts:
    c = Counts(gold=len(doc.gold), pred=len(pred), docs=1)
    used: set[int] = set()
    matched_pred: set[int] = set()
    for g in doc.gold:
        hit = None
        for i, p in enumerate(pred):
            if i in used:
                continue
            if p.span.start < g.end and g.start < p.span.end:
                hit = i
                break
        if hit is None:
            if errors is not None:
                errors.append(("MISS", doc, g, None))
            continue
        used.add(hit)
        matched_pred.add(hit)
        p = pred[hit]
        c.matched += 1
        if p.value == g.value:
            c.value_ok += 1
        elif errors is not None:
            errors.append(("VALUE", doc, g, p))
        if p.type == g.type:
            c.type_ok += 1
        elif errors is not None and p.value == g.value:
            errors.append(("TYPE", doc, g, p))
    if errors is not None:
        for i, p in enumerate(pred):
            if i not in matched_pred:
                errors.append(("EXTRA", doc, None, p))
    return c


def _parsed(docs: list[Doc], cache: Path | None) -> dict[str, object]:
    """spaCy docs of the texts (optionally cached in a DocBin file between runs while tuning)."""
    from rashomon.analyze.nlp import load_nlp

    nlp = load_nlp()
    from spacy.tokens import DocBin

    if cache is not None and cache.exists():
        parsed = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(parsed) == len(docs) and all(p.text == d.text for p, d in zip(parsed, docs)):
            return {d.name: p for d, p in zip(docs, parsed)}
    parsed = list(nlp.pipe([d.text for d in docs], batch_size=16))
    if cache is not None:
        DocBin(store_user_data=False, docs=parsed).to_disk(cache)
    return {d.name: p for d, p in zip(docs, parsed)}


def run(use_doc: bool, n_errors: int, error_filter: str | None, part_filter: str | None, cache: Path | None = None):
    parsed: dict[str, object] = {}
    if use_doc:
        parsed = _parsed([d for part in PARTS for d in load(part)], cache)
    results: dict[str, Counts] = {}
    errors: list = []
    for part in PARTS:
        if part_filter and part != part_filter:
            continue
        total = Counts()
        for doc in load(part):
            spacy_doc = parsed.get(doc.name)
            t0 = time.perf_counter()
            pred = extract_times(doc.text, doc.name, doc.dct, doc=spacy_doc)
            dt = time.perf_counter() - t0
            c = score(doc, pred, errors if n_errors else None)
            c.seconds = dt
            total.add(c)
        results[part] = total
    overall = Counts()
    for c in results.values():
        overall.add(c)
    results["all"] = overall
    if n_errors:
        _print_errors(errors, n_errors, error_filter)
    return results


def _print_errors(errors, n, kind_filter):
    shown = 0
    for kind, doc, g, p in errors:
        if kind_filter and kind != kind_filter:
            continue
        if shown >= n:
            break
        shown += 1
        at = g.start if g else p.span.start
        ctx = doc.text[max(0, at - 60) : at + 60].replace("\n", " ")
        gs = f"{g.text!r} {g.type} {g.value}" if g else "-"
        ps = f"{p.span.text!r} {p.type} {p.value}" if p else "-"
        print(f"{kind:5} {doc.name} dct={doc.dct} gold={gs} pred={ps}\n      ...{ctx}...")


def table(results: dict[str, Counts]) -> list[str]:
    rows = [
        "| part | docs | gold | predicted | span P | span R | span F1 | value P | value R | value F1 | type acc | ms/article |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, c in results.items():
        sp, sr, sf = c.prf(c.matched)
        vp, vr, vf = c.prf(c.value_ok)
        tacc = 100 * c.type_ok / c.matched if c.matched else 0.0
        ms = 1000 * c.seconds / c.docs if c.docs else 0.0
        rows.append(
            f"| {name} | {c.docs} | {c.gold} | {c.pred} | {sp:.2f} | {sr:.2f} | {sf:.2f} | "
            f"{vp:.2f} | {vr:.2f} | {vf:.2f} | {tacc:.2f} | {ms:.2f} |"
        )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-doc", action="store_true", help="do not parse with spaCy (text-only rules)")
    ap.add_argument("--errors", type=int, default=0, help="print up to N errors (for tuning)")
    ap.add_argument("--kind", choices=("MISS", "EXTRA", "VALUE", "TYPE"), help="only this kind of error")
    ap.add_argument("--part", choices=PARTS, help="only this part")
    ap.add_argument("--doc-cache", type=Path, help="cache the spaCy parses in this DocBin file (tuning)")
    ap.add_argument("--no-write", action="store_true", help="do not write docs/bench/timebank.md")
    args = ap.parse_args()
    require(DATA, "TimeBank data")
    sections = []
    modes = [False] if args.no_doc else [True, False]
    if args.errors and not args.no_doc:
        modes = [True]
    for use_doc in modes:
        results = run(use_doc, args.errors, args.kind, args.part, args.doc_cache)
        label = "with spaCy doc (tense from the parse)" if use_doc else "text only (no spaCy doc)"
        rows = table(results)
        print(f"\n{label}")
        print("\n".join(rows))
        sections.append((label, rows))
        args.errors = 0  # errors once
    if args.no_write or args.part:
        return 0
    date, nproc = run_stamp()
    lines = [
        "## TimeBank + AQUAINT: time expressions (TempEval-3 training data)",
        "",
        "Command: `.venv/bin/python benchmarks/timebank.py`  ",
        f"Date: {date}  ",
        f"Machine: {nproc} cores, {platform.machine()}",
        "",
        "Relaxed span F1 (overlap), value F1 (matched and value equal; P over predicted, R over gold),",
        "type accuracy (over matched). ms/article is the time of `extract_times` alone (the spaCy",
        "parse, which the pipeline does anyway, is not counted). Reference: HeidelTime on the",
        "TempEval-3 platinum test set, span 90.30 / value 77.61 (a different, held-back set).",
        "Rules were tuned on both parts, most on TimeBank (the larger part, 183 docs); AQUAINT",
        "is reported separately as the less-tuned check.",
        "",
    ]
    for label, rows in sections:
        lines += [f"**{label}**", "", *rows, ""]
    lines += [
        "Short of the value-F1 target (85). Changes measured here (value F1 with the parse,",
        "TimeBank / AQUAINT, each against the one before; kept only when neither part lost):",
        "",
        "| change | TimeBank | AQUAINT | kept |",
        "|---|---|---|---|",
        "| split timex.py into modules (outputs byte-identical on all 256 docs) | 80.78 | 76.70 | yes |",
        "| possessive weekday is past (\"Wednesday's ruling\"); \"until <day>\" after a past aux is past | +0.16 | +0.17 | yes |",
        "| \"the latest quarter\" = last quarter completed before the DCT | +0.08 | 0 | yes |",
        "| \"the year ended/ending ...\" DURATION P1Y; \"for the (full) year\" = DCT year | +0.53 | 0 | yes |",
        "| \"the coming weeks\" as DURATION PXW instead of FUTURE_REF | -0.08 | +0.17 | no |",
        "| deadline verbs (\"postponed until Tuesday\") point forward; present perfect + until forward | +0.16 | +0.17 | yes |",
        "| month with no tense from the parse: a clear future marker in the clause (\"will\") | +0.08 | 0 | yes |",
        "| a day-grain anaphor (\"the day before\") is not anchored on a year/month reference | 0 | 0 | yes (bug) |",
        "| only a completed quarter becomes the financial reference quarter | +0.15 | 0 | yes |",
        "| \"compared with ... last year\" after a quarter = the same quarter a year before | +0.16 | 0 | yes |",
        "| \"the latest quarter\" becomes the reference quarter; \"the day before,\" (before punctuation) | 0 | 0 | yes (consistency) |",
        "",
        "Looked at and left: most remaining value errors are annotation conventions that differ between",
        "or inside the parts (`Wednesday night` DATE in AQUAINT, TIME+TNI/TEV in TimeBank; `the 1990s`",
        "199X in AQUAINT, 199 in TimeBank; `last week` WXX vs an ISO week in TimeBank; `1968` as",
        "1968-XX; financial `a year ago` as 1988, 1988-Q3, 1988-QX or a full date), or a DCT that is",
        "not the day the story was written (whole articles whose weekdays are one week off).",
        "Next: `weekday night` and decades could follow a per-source convention if the lead wants",
        "one; a learnt direction model for weekdays; `recent years` as PAST_REF (TimeBank-only gain).",
        "",
    ]
    out = ROOT / "docs" / "bench" / "timebank.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"\nwrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
