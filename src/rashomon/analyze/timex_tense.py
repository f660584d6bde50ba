"""Tense direction of a relative time expression ("on Wednesday": last or next?): from the
governing verb in a spaCy parse, else from cue words in the clause around the expression."""

from __future__ import annotations

import re

from . import time_lexicon as lex

_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "ll"})
_PLAN_VERBS = frozenset({"plan", "schedule", "expect", "due", "slate"})
# Past auxiliaries that keep "until Thursday" in the past ("they had not called him a suspect
# until Thursday"); a present perfect does not ("has given them until Tuesday").
_PAST_AUX = frozenset({"had", "did", "was", "were"})
# Verbs that move a deadline: "until/by <day>" after them points forward even in the past tense
# ("postponed until Tuesday", "extended the offer until Friday").
_DEADLINE_VERBS = frozenset({"extend", "postpone", "delay", "defer", "adjourn", "give", "grant", "suspend", "push"})
_MODAL_AUX = frozenset({"would", "could", "may", "might", "should", "can", "must", "'d"})
_FUTURE_HEADS = frozenset({
    "schedule", "expect", "due", "plan", "set", "hope", "intend", "aim", "want", "propose",
    "agree", "prepare", "seek", "promise", "vow", "threaten", "pledge", "likely", "poised",
})


def direction_from_doc(doc, start: int, end: int) -> int | None:
    """-1 past, +1 future, 0 present/unknown, from the governing verb in a spaCy parse;
    None when the parse has nothing to say (the text rules then decide)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    verb = tok
    for _ in range(8):
        if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
            break
        verb = verb.head
        if verb.pos_ in ("NOUN", "PROPN", "ADJ", "NUM", "PRON") and not (start <= verb.idx < end):
            return None  # attached to a noun phrase ("Wednesday's ruling", "payable Dec. 7")
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & _FUTURE_AUX or ("going" in words and any(c.lower_ == "to" for c in verb.children)):
        return 1
    prep = tok.head if tok.dep_ == "pobj" else None
    if prep is not None and prep.lower_ in lex.FORWARD_PREPOSITIONS:
        if verb.lemma_.lower() in _DEADLINE_VERBS or (verb.tag_ != "VBD" and not words & _PAST_AUX):
            return 1
    if verb.lemma_.lower() in _PLAN_VERBS:
        return 1
    if words & _MODAL_AUX:
        return -1 if "have" in words else 1
    if any(a.tag_ == "VBD" for a in auxes) or (verb.tag_ == "VBD" and not auxes):
        return -1
    if verb.tag_ == "VBN" and words & {"has", "have", "had", "was", "were"}:
        return -1
    head = verb
    for _ in range(3):
        if head.lemma_.lower() in _FUTURE_HEADS and head is not verb:
            return 1
        if head.head is head:
            break
        head = head.head
    if any(c.lower_ in ("if", "unless") for c in verb.children):
        return 1
    if verb.tag_ in ("VBZ", "VBP") and verb.lemma_ != "be":
        return 0
    return None


_CLAUSE_END = re.compile(r"[.;!?]\s|[\"“”]|\n")
_FUTURE_TEXT = re.compile(
    r"\b(will|'ll|shall|won't|going to|scheduled|expected to|due to|plans? to|set to|would|could|"
    r"may|might|upcoming|intends? to|aims? to|hopes? to|if|unless|payable|effective|slated)\b", re.IGNORECASE)
_PAST_TEXT = re.compile(
    r"\b(was|were|had|did|has been|have been|said|told|met|made|took|went|came|gave|saw|got|"
    r"began|held|left|won|lost|fell|rose|paid|sold|bought|announced|\w+ed)\b", re.IGNORECASE)


_FORWARD_LEFT = re.compile(r"\b(as\s+(?:early|soon|late)\s+as|no\s+later\s+than|in\s+time\s+for)\s*$", re.IGNORECASE)


def forward_cue(text: str, start: int) -> bool:
    """Whether the words right before an expression point forward ("as early as Tuesday")."""
    return bool(_FORWARD_LEFT.search(text[max(0, start - 30) : start]))


_BACKWARD_LEFT = re.compile(r"\b(since|ever\s+since)\s*$", re.IGNORECASE)


def backward_cue(text: str, start: int) -> bool:
    """Whether the words right before an expression point back ("since January")."""
    return bool(_BACKWARD_LEFT.search(text[max(0, start - 20) : start]))


_STRONG_FUTURE = re.compile(r"\b(will|'ll|shall|won't|going\s+to|scheduled\s+to|expected\s+to|plans?\s+to|set\s+to)\b",
                            re.IGNORECASE)


def future_clause(text: str, start: int, end: int) -> bool:
    """Whether the clause around an expression has an unambiguous future marker ("will")."""
    left = max((m.end() for m in _CLAUSE_END.finditer(text, max(0, start - 160), start)), default=max(0, start - 160))
    m_right = _CLAUSE_END.search(text, end, end + 160)
    right = m_right.start() if m_right else min(len(text), end + 160)
    return bool(_STRONG_FUTURE.search(text, left, start) or _STRONG_FUTURE.search(text, end, right))


def possessive(text: str, end: int) -> bool:
    """Whether an expression is a possessive ("Wednesday's ruling"): a past event in news."""
    return text[end : end + 2] in ("'s", "’s")


def direction_from_text(text: str, start: int, end: int) -> int:
    """-1 past, +1 future, 0 unknown, from cue words in the clause around an expression."""
    left_bound = max((m.end() for m in _CLAUSE_END.finditer(text, max(0, start - 160), start)), default=max(0, start - 160))
    m_right = _CLAUSE_END.search(text, end, end + 160)
    right_bound = m_right.start() if m_right else min(len(text), end + 160)
    before = text[left_bound:start]
    after = text[end:right_bound]
    prep = re.search(r"(\w+)\s*$", before)
    if prep and prep.group(1).lower() in lex.FORWARD_PREPOSITIONS and not _PAST_TEXT.search(before[-40:]):
        return 1
    fut = [m.start() for m in _FUTURE_TEXT.finditer(before)] + [len(before) + m.start() for m in _FUTURE_TEXT.finditer(after)]
    past = [m.start() for m in _PAST_TEXT.finditer(before)] + [len(before) + m.start() for m in _PAST_TEXT.finditer(after)]
    if not fut and not past:
        return 0
    pos = len(before)
    near_f = min((abs(p - pos) for p in fut), default=10**6)
    near_p = min((abs(p - pos) for p in past), default=10**6)
    return 1 if near_f < near_p else -1
