"""Atomic factual claims in one article, with the facts each one states.

A claim is a clause that reports something as fact: it has a verb and at least one
checkable fact (a number, a date, a place or an actor). Direct quotations are statements,
not claims: the words inside quotation marks are left out; headline-like lines too.
Sentences joined by "; " are split into one claim per clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import ClaimMention, Fact, Mention, Quote, Span, TimeExpr

# Word numbers a newsroom writes out. Tuned on the seed layout; extend as needed.
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12, "half": 0.5, "once": 1, "twice": 2,
}
SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Qualifiers that make a number a bound, not a value: "at least six" is compatible with "six".
BOUND_WORDS = ("at least", "more than", "over", "up to", "about", "around", "nearly", "almost",
               "some", "roughly", "approximately", "less than", "fewer than", "as many as")
MODAL_WORDS = {"could", "may", "might", "would", "should", "can", "will"}
MODAL_PHRASES = ("plans to", "expected to", "is set to", "aims to", "intends to", "likely to", "possible")
PLACE_TYPES = {"GPE", "LOC", "FAC"}
ACTOR_TYPES = {"PERSON", "ORG", "NORP"}
NUMBER_ENTS = {"CARDINAL", "QUANTITY", "PERCENT", "MONEY"}
MIN_CLAIM_TOKENS = 5
CLAUSE_SPLIT = re.compile(r";\s+")
QUOTE_CHARS = "\"\u201c\u201d"


def number_value(text: str) -> float | None:
    """The numeric value of "three", "25", "1.5 million", "six"; None if not a number."""
    words = text.lower().replace(",", "").replace("-", " ").split()
    value: float | None = None
    for word in words:
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            value = float(word) if value is None else value * float(word)
        elif word in WORD_NUMBERS:
            value = WORD_NUMBERS[word] if value is None else value + WORD_NUMBERS[word]
        elif word in SCALE and value is not None:
            value *= SCALE[word]
    return value


def _is_headline_line(sent) -> bool:
    """A body line without final punctuation, mostly capitalised: a sub-heading."""
    text = sent.text.strip()
    if not text or text[-1] in ".!?\"\u201d'":
        return False
    words = [t for t in sent if t.is_alpha]
    caps = sum(1 for t in words if t.text[0].isupper())
    return len(words) <= 16 and caps >= 0.6 * max(len(words), 1)


def _quote_cover(start: int, end: int, quotes: Sequence[Quote]) -> list[tuple[int, int]]:
    return [(q.span.start, q.span.end) for q in quotes
            if q.kind == "direct" and q.span.start < end and q.span.end > start]


def extract_claims(doc, article_id: str, mentions: Sequence[Mention], quotes: Sequence[Quote],
                   times: Sequence[TimeExpr]) -> list[ClaimMention]:
    """Claims in document order, each with its facts."""
    text = doc.text
    claims: list[ClaimMention] = []
    for index, sent in enumerate(doc.sents):
        if _is_headline_line(sent):
            continue
        for start, end in _clauses(sent):
            covered = _quote_cover(start, end, quotes)
            quoted = sum(min(end, e) - max(start, s) for s, e in covered)
            if quoted > 0.5 * (end - start):
                continue
            span_doc = doc.char_span(start, end, alignment_mode="expand")
            if span_doc is None or len([t for t in span_doc if t.is_alpha]) < MIN_CLAIM_TOKENS:
                continue
            if not any(t.pos_ in ("VERB", "AUX") for t in span_doc):
                continue
            facts = _facts(doc, span_doc, article_id, mentions, times, covered)
            if not any(f.kind in ("number", "date", "duration", "place", "actor") for f in facts):
                continue
            claims.append(ClaimMention(Span.of(article_id, text, start, end), tuple(facts), index))
    return claims


def _clauses(sent) -> list[tuple[int, int]]:
    """The sentence's clauses as character ranges, trimmed of spaces and closing marks."""
    base = sent.start_char
    raw = sent.text
    pieces, last = [], 0
    for m in CLAUSE_SPLIT.finditer(raw):
        pieces.append((last, m.start()))
        last = m.end()
    pieces.append((last, len(raw)))
    out = []
    for s, e in pieces:
        while s < e and raw[s].isspace():
            s += 1
        while e > s and raw[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((base + s, base + e))
    return out


def _inside(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


def _facts(doc, span_doc, article_id: str, mentions: Sequence[Mention], times: Sequence[TimeExpr],
           quoted: list[tuple[int, int]]) -> list[Fact]:
    text = doc.text
    start, end = span_doc.start_char, span_doc.end_char
    facts: list[Fact] = []
    for m in mentions:
        if start <= m.span.start and m.span.end <= end and not _inside(m.span.start, m.span.end, quoted):
            kind = "place" if m.type in PLACE_TYPES else "actor" if m.type in ACTOR_TYPES else None
            if kind:
                facts.append(Fact(kind, m.name, m.span))
    time_ranges = []
    for t in times:
        if start <= t.span.start and t.span.end <= end:
            time_ranges.append((t.span.start, t.span.end))
            if t.type == "DURATION":
                facts.append(Fact("duration", t.value or t.span.text, t.span))
            elif t.type in ("DATE", "TIME"):
                facts.append(Fact("date", t.value or t.span.text, t.span))
    for ent in span_doc.ents:
        if ent.label_ in NUMBER_ENTS and not _inside(ent.start_char, ent.end_char, time_ranges) \
                and not _inside(ent.start_char, ent.end_char, quoted):
            value = number_value(ent.text)
            if value is not None:
                facts.append(Fact("number", _number_fact(ent, value), Span.of(article_id, text, ent.start_char, ent.end_char)))
    for token in span_doc:
        if token.dep_ == "neg":
            facts.append(Fact("negation", token.lower_, Span.of(article_id, text, token.idx, token.idx + len(token))))
        elif token.lower_ in MODAL_WORDS and token.tag_ == "MD":
            facts.append(Fact("modality", token.lower_, Span.of(article_id, text, token.idx, token.idx + len(token))))
    lowered = span_doc.text.lower()
    for phrase in MODAL_PHRASES:
        i = lowered.find(phrase)
        if i >= 0:
            facts.append(Fact("modality", phrase, Span.of(article_id, text, start + i, start + i + len(phrase))))
    facts.sort(key=lambda f: (f.span.start, f.kind, f.value))
    return facts


def _number_fact(ent, value: float) -> str:
    """"6", or "6 hour", or ">=6" for "at least six": value, unit and bound in one string."""
    before = ent.doc.text[max(0, ent.start_char - 14):ent.start_char].lower()
    bound = "~" if any(before.rstrip().endswith(w) for w in BOUND_WORDS) or \
        any(ent.text.lower().startswith(w) for w in BOUND_WORDS) else ""
    unit = ""
    nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    if nxt is not None and nxt.pos_ == "NOUN":
        unit = nxt.lemma_.lower()
    elif ent.root.pos_ == "NOUN" and not ent.root.like_num:
        unit = ent.root.lemma_.lower()
    if ent.label_ == "PERCENT" or "per cent" in ent.text.lower() or "%" in ent.text:
        unit = "percent"
    number = f"{value:g}"
    return f"{bound}{number} {unit}".strip()
