"""Atomic factual claims in one article, with the facts each one states.

A claim is a clause that reports something as fact: it has a verb and at least one
checkable fact (a number, a date, a place or an actor). Direct quotations are statements,
not claims: a clause that is mostly quotation is left out; headline-like lines too.
Sentences are split into atomic clauses on spaCy's parse (see :func:`_clauses`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from ..model import ClaimMention, Fact, Mention, Quote, Span, TimeExpr

# Word numbers are read by text2num ("two hundred" 200, "sixteen" 16); these are the words it
# does not read: multipliers and counting words a newsroom writes.
EXTRA_NUMBER_WORDS = {"dozen": 12, "half": 0.5, "once": 1, "twice": 2}
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


def words_value(words: list[str]) -> float | None:
    """The value of number words: "two hundred" 200, "three dozen" 36, "sixteen" 16."""
    from text_to_num import text2num

    words = [w for w in words if w]
    if not words:
        return None
    if words[-1] == "dozen":
        head = words_value(words[:-1]) if len(words) > 1 and words[:-1] != ["a"] else 1.0
        return None if head is None else head * 12
    if len(words) == 1 and words[0] in EXTRA_NUMBER_WORDS:
        return float(EXTRA_NUMBER_WORDS[words[0]])
    try:
        return float(text2num(" ".join(words), "en"))
    except ValueError:
        return None


def number_value(text: str) -> float | None:
    """The numeric value of "three", "25", "1.5 million", "sixteen"; None if not a number."""
    words = text.lower().replace(",", "").replace("-", " ").split()
    value: float | None = None
    run: list[str] = []

    def flush(value: float | None) -> float | None:
        if run:
            got = words_value(run)
            run.clear()
            if got is not None:
                return got if value is None else value + got
        return value

    for word in words:
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            value = flush(value)
            value = float(word) if value is None else value * float(word)
        elif word in SCALE and value is not None and not run:
            value *= SCALE[word]
        elif word.isalpha() and (word in EXTRA_NUMBER_WORDS or words_value([word]) is not None or word in SCALE):
            run.append(word)
        else:
            value = flush(value)
    return flush(value)


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
    ents = doc.ents  # once: Span.ents rebuilds the whole Doc's entities on every call (quadratic in length)
    ent_starts = [e.start_char for e in ents]
    claims: list[ClaimMention] = []
    comments_from = _comment_zone(text)
    said = tuple((q.span.start, q.span.end) for q in quotes)
    for index, sent in enumerate(doc.sents):
        if _is_headline_line(sent) or sent.start_char >= comments_from:
            continue
        for start, end in _clauses(sent, text):
            covered = _quote_cover(start, end, quotes)
            quoted = sum(min(end, e) - max(start, s) for s, e in covered)
            if quoted > 0.5 * (end - start):
                continue
            span_doc = doc.char_span(start, end, alignment_mode="expand")
            if span_doc is None or len([t for t in span_doc if t.is_alpha]) < MIN_CLAIM_TOKENS:
                continue
            if not any(t.pos_ in ("VERB", "AUX") for t in span_doc):
                continue
            if _subordinate_fragment(span_doc, sent):
                continue
            within = ents[bisect_left(ent_starts, span_doc.start_char):bisect_left(ent_starts, span_doc.end_char)]
            facts = _facts(text, span_doc, article_id, mentions, times, covered, said,
                           [e for e in within if e.end_char <= span_doc.end_char])
            if not any(f.kind in ("number", "date", "duration", "place", "actor") for f in facts) \
                    and not _has_noun_subject(span_doc):
                continue
            claims.append(ClaimMention(Span.of(article_id, text, start, end), tuple(facts), index, _terms(span_doc)))
    return claims


TERM_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"}


VERB_CLASSES = {"approve": "agree", "finalize": "agree", "finalise": "agree"}
"""Verbs read as one predicate when claims are compared: "the location has been approved"
and "both sides agreeing on a location" state one fact."""
ARGUMENT_DEPS = {"dobj", "nsubjpass", "obj"}
ARGUMENT_PREPS = {"on", "upon", "over", "to", "about"}


def _lemma(token) -> str:
    lemma = token.lemma_.lower()
    return VERB_CLASSES.get(lemma, lemma) if token.pos_ == "VERB" else lemma


def _terms(span) -> tuple[str, ...]:
    """Content lemmas of a claim, and its predicate-argument pairs ("agree>location" for
    "agreed on a location" and for "the location has been approved"), sorted."""
    terms = {_lemma(t) for t in span if t.pos_ in TERM_POS and not t.is_stop and t.is_alpha and len(t) > 2}
    for verb in span:
        if verb.pos_ != "VERB":
            continue
        args = [c for c in verb.children if c.dep_ in ARGUMENT_DEPS]
        args += [g for c in verb.children if c.dep_ == "prep" and c.lower_ in ARGUMENT_PREPS
                 for g in c.children if g.dep_ == "pobj"]
        for arg in args:
            if arg.pos_ in ("NOUN", "PROPN") and arg.is_alpha and span.start <= arg.i < span.end:
                terms.add(f"{_lemma(verb)}>{arg.lemma_.lower()}")
    return tuple(sorted(terms))


SUBORDINATORS = {"when", "if", "while", "although", "though", "because", "unless", "whether", "as", "after", "before"}


def _subordinate_fragment(span, sent) -> bool:
    """A piece such as "When asked on Monday what ..." that lost its main clause."""
    first = span[0]
    holds_root = span.start <= sent.root.i < span.end
    return not holds_root and first.lower_ in SUBORDINATORS


def _has_noun_subject(span) -> bool:
    """"The location has been agreed upon": a claim about a thing, with no named fact."""
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN") for t in span)


def _clauses(sent, text: str) -> list[tuple[int, int]]:
    """The sentence's atomic clauses as character ranges (``text`` is the document's text).

    1. split at "; ";
    2. split before a coordinated verb that has a subject of its own ("X met Y, and Z
       said ...") or follows a contrast ("..., but has voiced ..."), and before an absolute
       clause ("..., with both sides agreeing on a location"), dropping the conjunction;
    3. cut a trailing purpose phrase ("in an effort to ...", "in order to ...").
    """
    pieces: list[tuple[int, int]] = []
    for start, end in _semicolon_parts(sent):
        span = sent.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for s, e in _coordinated(span):
            pieces.append(_trim(text, s, _cut_purpose(sent.doc, s, e)))
    return [(s, e) for s, e in pieces if e > s]


def _semicolon_parts(sent) -> list[tuple[int, int]]:
    base, raw = sent.start_char, sent.text
    parts, last = [], 0
    for m in CLAUSE_SPLIT.finditer(raw):
        parts.append((base + last, base + m.start()))
        last = m.end()
    parts.append((base + last, base + len(raw)))
    return parts


def _coordinated(span) -> list[tuple[int, int]]:
    """Split before each conjoined verb with its own subject."""
    cuts = []
    for token in span:
        if token.dep_ == "conj" and token.pos_ in ("VERB", "AUX") and token.head.pos_ in ("VERB", "AUX") \
                and (any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in token.children)
                     or _after_contrast(token)):
            left = min(t.i for t in token.subtree)
            if left > span.start:
                cuts.append(left)
        elif token.lower_ == "with" and token.i > span.start and token.doc[token.i - 1].text == ",":
            # an absolute clause: "..., with both sides agreeing on a location"
            for child in token.children:
                if child.pos_ == "VERB" and any(c.dep_ == "nsubj" for c in child.children):
                    cuts.append(min(t.i for t in child.subtree))
    bounds, start = [], span.start
    for cut in sorted(set(cuts)):
        end = cut
        while end > start and (span.doc[end - 1].dep_ == "cc" or span.doc[end - 1].text in SEPARATORS
                               or span.doc[end - 1].lower_ == "with"):
            end -= 1
        if end > start:
            bounds.append((span.doc[start].idx, span.doc[end - 1].idx + len(span.doc[end - 1])))
        start = cut
    if start < span.end:
        last = span.doc[span.end - 1]
        bounds.append((span.doc[start].idx, last.idx + len(last)))
    return bounds


SEPARATORS = {",", ";", ":", "-", "\u2013", "\u2014"}
CONTRAST = {"but", "yet", "while", "although", "though"}
"""A conjoined verb after these starts a new fact even without a subject of its own."""
def _after_contrast(token) -> bool:
    """A conjoined verb right after "but"/"while" (", but has recently voiced ...")."""
    left = min(t.i for t in token.subtree)
    before = [t for t in token.doc[max(0, left - 2):left] if not t.is_punct]
    return bool(before) and before[-1].dep_ == "cc" and before[-1].lower_ in CONTRAST


PURPOSE_HEADS = {"effort", "order", "bid", "attempt", "move"}


def _cut_purpose(doc, start: int, end: int) -> int:
    """End of the clause before a purpose phrase "in an effort to ..." (else ``end``)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return end
    for token in span:
        if token.lower_ == "in" and token.i + 2 < span.end:
            nxt = [t for t in doc[token.i + 1:min(token.i + 4, span.end)] if t.lower_ in PURPOSE_HEADS]
            if nxt and token.i > span.start + 3:
                return token.idx
    return end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces and trailing commas or dashes from a clause range of ``text``."""
    while start < end and (text[start].isspace() or text[start] in ",;\u2014-"):
        start += 1
    if text[start:start + 5].lower() == "that " and end - start > 30:
        start += 5  # "... and that Russia seemed ..." → "Russia seemed ..."
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:\u2014-"):
        end -= 1
    return start, end


def _inside(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


COMMENT_HEADER = re.compile(
    r"^\s*(?:\d+\s+)?(?:reader\s+)?(?:comments?|replies|responses)\s*(?:\(\d+\))?\s*:?\s*$"
    r"|^\s*(?:join the (?:discussion|conversation)|leave a (?:comment|reply)|what readers (?:say|think))\b.*$",
    re.I | re.M)
"""A line that opens a page's reader comments ("Comments (12)", "Leave a reply"): what follows
is readers' talk, not the outlet's reporting, and gives no claim."""


def _comment_zone(text: str) -> int:
    """Where the reader comments begin (len(text) when there are none)."""
    m = COMMENT_HEADER.search(text)
    return m.start() if m else len(text)


def _stated_by_outlet(token, said: tuple[tuple[int, int], ...]) -> bool:
    """A word the outlet states itself: not inside a quotation (direct or reported), and not
    under a verb of saying ("X said it was not ...": X's words, not the outlet's)."""
    from .quote_lexicon import CUE_VERBS

    if any(s <= token.idx < e for s, e in said):
        return False
    return not any(a.pos_ == "VERB" and a.lemma_.lower() in CUE_VERBS for a in token.head.ancestors)


def _facts(text: str, span_doc, article_id: str, mentions: Sequence[Mention], times: Sequence[TimeExpr],
           quoted: list[tuple[int, int]], said: tuple[tuple[int, int], ...] = (), ents=None) -> list[Fact]:
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
    for ent in (span_doc.ents if ents is None else ents):
        if ent.label_ in NUMBER_ENTS and not _inside(ent.start_char, ent.end_char, time_ranges) \
                and not _inside(ent.start_char, ent.end_char, quoted):
            value = number_value(ent.text)
            if value is not None:
                facts.append(Fact("number", _number_fact(text, ent, value), Span.of(article_id, text, ent.start_char, ent.end_char)))
    for token in span_doc:
        if token.dep_ == "neg" and _stated_by_outlet(token, said):
            # the value names what is negated: "not:discuss" for "was not discussed"
            facts.append(Fact("negation", f"not:{token.head.lemma_.lower()}",
                              Span.of(article_id, text, token.idx, token.idx + len(token))))
        elif token.lower_ in MODAL_WORDS and token.tag_ == "MD":
            facts.append(Fact("modality", token.lower_, Span.of(article_id, text, token.idx, token.idx + len(token))))
    lowered = span_doc.text.lower()
    for phrase in MODAL_PHRASES:
        i = lowered.find(phrase)
        if i >= 0:
            facts.append(Fact("modality", phrase, Span.of(article_id, text, start + i, start + i + len(phrase))))
    facts.sort(key=lambda f: (f.span.start, f.kind, f.value))
    return facts


def _number_fact(text: str, ent, value: float) -> str:
    """"6", or "6 hour", or ">=6" for "at least six": value, unit and bound in one string."""
    before = text[max(0, ent.start_char - 14):ent.start_char].lower()
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
