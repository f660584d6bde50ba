"""The story's timeline: dated events, each with the words of every article that reports it.

1. mentions: in each article, every DATE/TIME expression is attached to what it dates: the
   verb it hangs from in the spaCy parse (or an event noun: "the 2016 election"). The verb's
   clause (subject, verb, objects, the first prepositional phrases) is the event's description;
   entity mentions inside it are its actors; the clause and the expression are its evidence.
   Two expressions on one verb joined by "between … and" / "from … to" make one undated range.
2. dates: the expression's TIMEX3 value as a calendar date (YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Www,
   YYYY-Qn); date_basis is explicit (absolute in the text), relative (resolved against a stated
   publication date), inferred (against an inferred one) or unknown (value None: never guessed).
3. merge: mentions with the same date whose descriptions share enough content words (or the
   same actors and a verb of the same class) are one event with all their evidence.

Re-parses each article with :func:`rashomon.analyze.nlp.load_nlp` (cached per article id and
text): about 20-60 ms per news article on one core with en_core_web_sm.

``infer_publication_dates`` (from :mod:`rashomon.reconcile.dates`) is re-exported here.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Analysis, EntityResolution, Event, Span, TimeExpr
from .dates import infer_publication_dates

__all__ = ["build_timeline", "infer_publication_dates"]

EVENT_NOUNS = frozenset({
    "meeting", "summit", "talks", "talk", "call", "visit", "deadline", "election", "invasion",
    "war", "conversation", "address", "ruling", "announcement", "attack", "bombing", "shooting",
    "vote", "trip", "conference", "speech", "interview", "crash", "strike", "ceasefire", "deal",
    "agreement", "treaty", "offensive", "protest", "rally", "trial", "verdict", "decision",
})
# Event kinds: two same-date mentions of one kind (other than "say") are taken as one event;
# the words are also folded to their kind before comparing descriptions.
VERB_CLASSES: dict[str, str] = {
    **dict.fromkeys(["meet", "meeting", "summit", "talks", "talk", "visit", "greet", "host",
                     "receive"], "meet"),
    **dict.fromkeys(["say", "announce", "confirm", "state", "tell", "report", "add", "stress",
                     "declare", "agree", "reveal", "claim", "write", "post"], "say"),
    **dict.fromkeys(["sign", "impose", "order", "threaten", "warn", "sanction"], "act"),
    **dict.fromkeys(["call", "speak", "phone"], "call"),
}
ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
MAX_DESCRIPTION_TOKENS = 28
CLAUSE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "prt", "neg", "aux", "auxpass", "attr", "mark",
                         "acomp", "agent", "dative", "oprd", "npadvmod"})
MAX_PREPS = 3
MIN_SHARED = 2
MIN_OVERLAP = 0.3
"""Two same-date mentions are one event when their content words overlap this much (overlap
coefficient, at least MIN_SHARED words) or they share an actor and a verb class. Set by hand
on the seed story; no annotated dev set exists for this step (see docs/bench/timebank.md)."""

_CAL = re.compile(r"^\d{4}(-(\d\d(-\d\d)?|W\d\d|Q\d|H\d))?$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_STOP = frozenset("""
a an the and or but if of in on at to for from by with as into over after before about than
that this these those it its he she they we you i his her their our them him us was were is are
be been being has have had do does did will would could should may might can also not no more
most very just only then there here who whom which what when where while
""".split())
_DOCS: dict[tuple[str, int], object] = {}
_DOC_CACHE_SIZE = 256


@dataclass(frozen=True, slots=True)
class _Mention:
    article: str
    date: str | None
    basis: str
    description: str
    actors: tuple[str, ...]
    verb_class: str | None
    kinds: frozenset[str]
    has_subject: bool
    words: frozenset[str]
    evidence: Span
    order: tuple[str, int]


def build_timeline(analyses: Sequence[Analysis], resolution: EntityResolution | None) -> list[Event]:
    """Dated events of a story, one per real-world event, sorted by date then id."""
    mentions: list[_Mention] = []
    for a in sorted(analyses, key=lambda x: x.article.id):
        mentions.extend(_mentions(a, resolution))
    events = [_event(c) for c in cluster_mentions(mentions)]
    events.sort(key=lambda e: (_sort_date(e.date), e.date or "", e.id))
    return events


# ----------------------------------------------------------------------------- mentions
def _doc(analysis: Analysis):
    from ..analyze.docs import doc_for

    return doc_for(analysis.article)


def _mentions(a: Analysis, resolution: EntityResolution | None) -> list[_Mention]:
    times = [t for t in a.times if t.type in ("DATE", "TIME") and not (t.value or "").endswith("_REF")]
    if not times:
        return []
    doc = _doc(a)
    by_head: dict[int, list[TimeExpr]] = {}
    heads: dict[int, object] = {}
    for t in times:
        span = doc.char_span(t.span.start, t.span.end, alignment_mode="expand")
        if span is None:
            continue
        head = _event_head(span)
        if head is None:
            continue
        by_head.setdefault(head.i, []).append(t)
        heads[head.i] = head
    out = []
    for i in sorted(by_head):
        head, exprs = heads[i], by_head[i]
        value, basis, expr = _date_of(a, exprs, doc)
        tokens = _clause_tokens(head, exprs)
        spread = _clause_tokens(head, exprs, compact=False)  # the evidence keeps the asides
        if head.dep_ == "advcl" and head.head.pos_ in ("VERB", "AUX"):
            tokens = sorted(set(_clause_tokens(head.head, exprs, main_only=True)) | set(tokens), key=lambda t: t.i)
            spread = sorted(set(_clause_tokens(head.head, exprs, main_only=True, compact=False)) | set(spread),
                            key=lambda t: t.i)
        if not tokens:
            continue
        subject = None if any(t.dep_ in ("nsubj", "nsubjpass") and not _in(t, exprs) for t in tokens) \
            else _borrowed_subject(head)
        tokens = _antecedent_for_relative(tokens)
        description = _describe(_noun_phrase(subject) + tokens if subject is not None else tokens)
        start = min(tokens[0].idx, spread[0].idx if spread else tokens[0].idx, *(t.span.start for t in exprs))
        last = max(tokens[-1], spread[-1], key=lambda t: t.i) if spread else tokens[-1]
        end = max(last.idx + len(last.text), *(t.span.end for t in exprs))
        actors = _actors(a, doc, start, end, resolution)
        words = frozenset(
            VERB_CLASSES.get(w.lemma_.lower(), w.lemma_.lower()) for w in (spread or tokens)
            if w.is_alpha and len(w.text) > 2 and w.lower_ not in _STOP and w.pos_ in ("NOUN", "PROPN", "VERB", "ADJ")
        )
        core = [head] + [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
        core += [g for c in head.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        kinds = frozenset(VERB_CLASSES[w.lemma_.lower()] for w in core if w.lemma_.lower() in VERB_CLASSES)
        out.append(_Mention(
            article=a.article.id, date=value, basis=basis, description=description, actors=actors,
            verb_class=VERB_CLASSES.get(head.lemma_.lower()), kinds=kinds,
            has_subject=subject is not None or any(t.dep_ in ("nsubj", "nsubjpass") and not _in(t, exprs) for t in tokens),
            words=words,
            evidence=Span.of(a.article.id, a.article.text, start, end), order=(a.article.id, start),
        ))
    return _drop_coarser(out)


RELATIVE_TAGS = frozenset({"WP", "WDT", "WP$"})
PHRASE_DEPS = frozenset({"compound", "det", "poss", "amod", "flat", "nmod", "case", "nummod"})
MAX_SUBJECT_TOKENS = 6


def _borrowed_subject(head):
    """Who did it, when the dated clause does not say: "born" in "Smith, born in 1950" is
    Smith; "took office" in "Holm won and took office in May" is Holm's (the subject of the
    verb it is joined to, or the noun a relative clause describes). None when the parse has no
    such link (the phrase then stays as it is)."""
    tok = head
    for _ in range(4):
        if tok.dep_ in ("relcl", "acl") and tok.head.pos_ in ("NOUN", "PROPN"):
            return tok.head
        if tok.dep_ not in ("conj", "xcomp", "advcl") or tok.head is tok:
            return None
        tok = tok.head
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            subject = subjects[0]
            if subject.tag_ in RELATIVE_TAGS and tok.dep_ == "relcl":
                return tok.head
            return None if subject.tag_ in RELATIVE_TAGS or subject.pos_ == "PRON" and subject.lower_ == "it" else subject
    return None


def _noun_phrase(tok) -> list:
    """A short noun phrase for ``tok``: the word with its name parts and determiners."""
    keep = [t for t in tok.subtree if t.i == tok.i or (t.head.i == tok.i and t.dep_ in PHRASE_DEPS)
            or (t.head.head.i == tok.i and t.head.dep_ == "poss")]
    keep = [t for t in keep if not t.is_punct]
    return keep[-MAX_SUBJECT_TOKENS:]


def _in(tok, exprs: list[TimeExpr]) -> bool:
    return any(t.span.start <= tok.idx < t.span.end for t in exprs)


def _drop_coarser(mentions: list[_Mention]) -> list[_Mention]:
    """Of two overlapping mentions of one article, drop the one whose date contains the other's
    ("this year" beside "July 3" in one sentence)."""
    out = []
    for m in mentions:
        finer = any(
            o is not m and o.date and m.date and o.date != m.date and o.date.startswith(m.date)
            and o.evidence.start < m.evidence.end and m.evidence.start < o.evidence.end
            for o in mentions
        )
        if not finer:
            out.append(m)
    return out


def _event_head(span):
    """The verb (or event noun) a time expression dates."""
    tok = span.root
    for _ in range(8):
        if tok.head is tok:
            break
        tok = tok.head
        if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
            return tok
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in EVENT_NOUNS and tok.i not in range(span.start, span.end):
            if tok.dep_ in ("dobj", "nsubj", "nsubjpass") and tok.head.pos_ == "VERB":
                return tok.head  # "they have held four meetings, the most recent on May 2"
            return tok
    return tok if tok.pos_ in ("VERB", "AUX") else None


def _date_of(a: Analysis, exprs: list[TimeExpr], doc) -> tuple[str | None, str, TimeExpr]:
    """The calendar date of a mention from its expressions (a range is left undated)."""
    if len(exprs) > 1:
        between = doc.text[exprs[0].span.end : exprs[-1].span.start].lower()
        first = doc.text[max(0, exprs[0].span.start - 10) : exprs[0].span.start].lower()
        if re.search(r"\b(and|to|through|until)\b", between) and re.search(r"\b(between|from)\s*$", first):
            return None, "unknown", exprs[0]
    best = max(exprs, key=lambda t: (_calendar(t.value) is not None, len(_calendar(t.value) or "")))
    value = _calendar(best.value)
    if value is None:
        return None, "unknown", best
    if not best.anchored:
        return value, "explicit", best
    return value, "inferred" if a.article.published_basis == "inferred" else "relative", best


def _calendar(value: str | None) -> str | None:
    """A TIMEX3 value as a timeline date (TIME values lose their time of day)."""
    if not value:
        return None
    v = value.split("T")[0]
    return v if _CAL.match(v) else None


def _clause_tokens(head, exprs: list[TimeExpr], main_only: bool = False, compact: bool = True) -> list:
    """Tokens of the head's clause that describe the event (time words left out)."""
    in_time = lambda tok: any(t.span.start <= tok.idx < t.span.end for t in exprs)  # noqa: E731
    keep = {head.i}
    preps = MAX_PREPS - 1 if main_only else 0
    for child in head.children:
        if main_only and child.dep_ in ("advcl", "ccomp", "xcomp"):
            continue
        if child.dep_ in CLAUSE_DEPS or child.dep_ in ("compound", "amod", "det", "poss", "nummod"):
            keep.update(t.i for t in (_compact_subtree(child) if compact else child.subtree))
        elif child.dep_ == "prep" and preps < MAX_PREPS and not any(in_time(t) for t in child.subtree):
            keep.update(t.i for t in child.subtree)
            preps += 1
        elif child.dep_ in ("ccomp", "xcomp"):
            keep.update(t.i for t in list(child.subtree)[:12])
    doc = head.doc
    tokens = [doc[i] for i in sorted(keep) if not in_time(doc[i]) and not doc[i].is_punct]
    tokens = [t for t in tokens if t.dep_ != "prep" or any(c.i in keep and not in_time(c) for c in t.children)]
    tokens = tokens[:MAX_DESCRIPTION_TOKENS]
    while tokens and tokens[-1].pos_ in ("ADP", "CCONJ", "DET", "PART", "SCONJ", "AUX"):
        tokens.pop()
    return tokens


ASIDE_DEPS = frozenset({"relcl", "acl", "appos", "advcl", "parataxis"})
"""Asides inside a subject or object ("Berg, who was born in 1950,") left out of a phrase."""


def _compact_subtree(tok) -> list:
    """``tok``'s subtree without the asides hanging from its words."""
    out, stack = [], [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in ASIDE_DEPS)
    return sorted(out, key=lambda t: t.i)


def _antecedent_for_relative(tokens) -> list:
    """"who was born" → "Anna Berg was born": a relative pronoun subject is replaced by the
    noun its clause describes."""
    for t in tokens:
        if t.dep_ in ("nsubj", "nsubjpass") and t.tag_ in RELATIVE_TAGS and t.head.dep_ == "relcl":
            noun = t.head.head
            return sorted([x for x in tokens if x.i != t.i] + _noun_phrase(noun), key=lambda x: x.i)
    return tokens


def _describe(tokens) -> str:
    text = " ".join(t.text for t in tokens)
    text = re.sub(r"\s+([,.;:!?%)'’]|n't|'s|’s)", r"\1", text)
    text = re.sub(r"([(“\"])\s+", r"\1", text)
    return text[:1].upper() + text[1:]


def _actors(a: Analysis, doc, start: int, end: int, resolution: EntityResolution | None) -> tuple[str, ...]:
    names: list[str] = []
    if a.entities:
        for m in a.entities:
            if start <= m.span.start < end and m.type in ACTOR_TYPES:
                entity = resolution.entity_for(a.article.id, m.name) if resolution else None
                names.append(entity.name if entity else m.name)
    else:
        names = [e.text for e in doc.ents if start <= e.start_char < end and e.label_ in ACTOR_TYPES]
    seen: dict[str, None] = {}
    for n in names:
        seen.setdefault(n, None)
    return tuple(seen)


# ----------------------------------------------------------------------------- merging
def cluster_mentions(mentions: Sequence[_Mention]) -> list[list[_Mention]]:
    """Mentions grouped into events, in order of first member (explicit dates first).

    Only mentions of one date can be one event, so each date is its own bucket; within a
    bucket a mention is compared only with the clusters that share a content word, a kind or
    an actor with it (an inverted index), never with every mention held. Undated mentions stay
    alone. Cost grows with the mentions of one date that share words, not with all mentions."""
    clusters: list[list[_Mention]] = []
    index: dict[tuple[str, str], set[int]] = {}
    for m in sorted(mentions, key=lambda m: (_basis_rank(m.basis), m.order)):
        if m.date is None:
            clusters.append([m])
            continue
        keys = _index_keys(m)
        candidates: set[int] = set()
        for key in keys:
            candidates.update(index.get(key, ()))
        found = next((ci for ci in sorted(candidates)
                      if any(_same_event(m, other) for other in clusters[ci])), None)
        if found is None:
            found = len(clusters)
            clusters.append([m])
        else:
            clusters[found].append(m)
        for key in keys:
            index.setdefault(key, set()).add(found)
    return clusters


def _index_keys(m: _Mention) -> list[tuple[str, str]]:
    """The bucket keys under which a mention can meet its event: its date with each of its
    words, kinds and actors (``_same_event`` needs one of them shared)."""
    parts = [f"w:{w}" for w in sorted(m.words)] + [f"k:{k}" for k in sorted(m.kinds)]
    parts += [f"a:{a}" for a in m.actors]
    return [(m.date or "", p) for p in parts]


def _same_event(m: _Mention, other: _Mention) -> bool:
    if m.date is None or other.date is None or m.date != other.date:
        return False
    shared = m.words & other.words
    if len(shared) >= MIN_SHARED and len(shared) / max(1, min(len(m.words), len(other.words))) >= MIN_OVERLAP:
        return True
    if (m.kinds & other.kinds) - {"say"}:
        return True
    return bool(m.verb_class and m.verb_class == other.verb_class and set(m.actors) & set(other.actors))


def _basis_rank(basis: str) -> int:
    return {"explicit": 0, "relative": 1, "inferred": 2}.get(basis, 3)


def _event(cluster: list[_Mention]) -> Event:
    lead = min(cluster, key=lambda m: (not m.has_subject, _basis_rank(m.basis), len(m.description) > 160, m.order))
    basis = min((m.basis for m in cluster), key=_basis_rank)
    counts = Counter(a for m in cluster for a in m.actors)
    actors = tuple(sorted(counts, key=lambda a: (-counts[a], a)))
    evidence = tuple(sorted({m.evidence for m in cluster}, key=lambda s: (s.article, s.start, s.end)))
    digest = hashlib.sha1(f"{lead.date}|{lead.description}".encode("utf-8")).hexdigest()[:12]
    return Event(id=f"ev-{digest}", date=lead.date, date_basis=basis if lead.date else "unknown",
                 description=lead.description, actors=actors, evidence=evidence)


def _sort_date(value: str | None) -> date:
    """The first day a timeline date covers (undated events sort last)."""
    if not value:
        return date.max
    try:
        if "-W" in value:
            y, w = value.split("-W")
            return date.fromisocalendar(int(y), int(w), 1)
        if "-Q" in value:
            y, q = value.split("-Q")
            return date(int(y), 3 * int(q) - 2, 1)
        if "-H" in value:
            y, h = value.split("-H")
            return date(int(y), 6 * int(h) - 5, 1)
        parts = [int(p) for p in value.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return date.max - timedelta(days=1)
