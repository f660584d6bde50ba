"""Quotes of one article: direct, indirect and mixed, with cue, speaker and relays.

``extract_quotes(doc, article_id, mentions)`` returns :class:`~rashomon.model.Quote`
records sorted by start. Steps:

1. find quoted stretches (straight or curly double marks; a quote left open at a paragraph
   end closes there, as multi-paragraph quotes do);
2. indirect speech from the parse: a cue verb (:data:`.quote_lexicon.CUE_VERBS`) with a
   clausal complement ("X said (that) ...", "X told reporters ..."), "X described Y as Z",
   "according to X, ...", and cue clauses inserted into the content ("..., he says, ...",
   which splits the content in two as news style does). A quoted stretch inside such a
   content makes it a *mixed* quote; a reporting clause around another one ("..., TASS
   has reported") becomes a relay of the inner one;
3. each remaining quoted stretch is a direct quote: its cue is the cue verb right after
   it ("...," he said) or right before it (he said: "..."); without a cue it continues the
   previous speaker when that one is near (:data:`.quote_lexicon.SPEAKER_CARRY_PARAGRAPHS`);
4. speakers are resolved in reading order by :mod:`.speakers` (names, lone titles,
   pronouns); relays are the outlets and platforms named as the channel in the quote's
   sentence, nearest first.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Mention, Quote, Span
from . import quote_lexicon as lex
from .speakers import ArticleIndex, Speaker, build_index, resolve

_MARKS = re.compile(r'["“”\n]')
_STOP = frozenset({".", "!", "?"})
_QUOTE_CHARS = frozenset('"“”')
_WORD = re.compile(r"[A-Za-z0-9]")

MIN_OUTSIDE_WORDS = 3
"""An indirect content needs this many words outside quote marks, else the direct quote
inside it stands alone (GGT dev)."""
MAX_TAIL_CUE_TOKENS = 30
"""A cue after a closing mark must come within this many tokens ("…," the aide stated;
long speaker phrases with appositions reach ~25 tokens in GGT dev)."""
NO_EVIDENTIAL_INDIRECT = True
"""Evidential verbs (:data:`.quote_lexicon.EVIDENTIAL_VERBS`) make no indirect quotes (GGT dev)."""
CALL_QUOTED = True
""""X called it “unfair”": a describe verb whose complement is quoted is a mixed quote (GGT dev)."""
NEW_SENTENCE_AFTER_STOP = True
"""A quote ending in a full stop, followed by a capitalised non-name word, takes no tail cue."""
MAX_HEAD_TOKENS = 40
"""How far back before an opening mark a cue is looked for (one clause)."""


@dataclass(slots=True)
class _Cand:
    """A quote being built: content char range, kind and where its speaker comes from."""

    start: int
    end: int
    kind: str
    cue: object | None = None
    """The cue token (a spaCy Token) or None."""
    cue_text: str | None = None
    subj: object | None = None
    """The speaker's head token, when the parse gives one."""
    carry: bool = False
    """True for a quote without cue that continues the previous speaker."""
    unclosed: bool = False
    """A quote left open at its paragraph end: its speaker may come with the next part."""
    relays: list[tuple[int, str]] = field(default_factory=list)
    segments: list[tuple[int, int]] = field(default_factory=list)
    speaker: Speaker | None = None


# ----------------------------------------------------------------------- step 1


def quoted_segments(text: str) -> list[tuple[int, int]]:
    """Character ranges inside double quote marks (the marks excluded), in order."""
    out: list[tuple[int, int]] = []
    open_at: int | None = None
    n = len(text)
    for m in _MARKS.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "\n":
            if open_at is not None:
                out.append((open_at + 1, i))
                open_at = None
            continue
        if open_at is None:
            if ch == "”":
                continue
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < n else " "
            if ch == '"' and nxt.isspace() and not (prev.isspace() or prev in "([—–-"):
                continue  # a stray closing mark
            open_at = i
        else:
            if ch == "“" and text[open_at] == "“":
                open_at = i  # unbalanced: restart at the newer opening mark
                continue
            out.append((open_at + 1, i))
            open_at = None
    if open_at is not None:
        out.append((open_at + 1, n))
    cleaned = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
            e -= 1
        if e > s and _WORD.search(text[s:e]):
            cleaned.append((s, e))
    return cleaned


# ----------------------------------------------------------------------- step 2


def _adjacent_conjunct(v):
    """A noun right before the cue verb that the parser hung on another phrase as a conjunct
    ("... has power, water and officials say"): the verb's real subject."""
    i = v.i - 1
    doc = v.doc
    while i >= 0 and doc[i].pos_ in ("ADV", "AUX", "PART"):
        i -= 1
    if i < 0:
        return None
    t = doc[i]
    if t.dep_ == "conj" and t.pos_ in ("NOUN", "PROPN") and t.head.i < t.i \
            and not any(c.dep_ == "nsubj" for c in v.children if c.i > t.i):
        return t
    return None


def _place(tok) -> bool:
    """A place noun ("the main town"): not the speaker of a verb that only inherits it as a
    subject. Names are left alone (the small model tags many people GPE or LOC), and a place
    that is the verb's own subject speaks as its government ("the city of Phoenix said")."""
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in lex.PLACE_NOUNS and tok.ent_type_ == ""


def _subject(v):
    """Head token of the speaker of cue ``v``: its subject, or one inherited."""
    if v.lower_ == "according":
        for c in v.doc[v.i + 1].children:
            if c.dep_ == "pobj":
                return c
        return None
    tok = v
    for _ in range(4):
        subs = [c for c in tok.children
                if c.dep_ == "nsubj" or (c.dep_ == "nsubjpass" and (tok is not v or tok.lemma_ == "quote"))]
        if subs:
            # two subjects ("X posted: '...,' Al Jazeera reported"): the one next to the verb
            s = min(subs, key=lambda c: abs(c.i - tok.i))
            if s.pos_ == "NOUN" and s.ent_type_ not in ("PERSON", "ORG", "NORP", "GPE"):
                near = _adjacent_conjunct(v)
                if near is not None:
                    return near  # "The town ... has power and officials say": the officials
            if _place(s) and tok is not v:
                return None  # a place speaks only as its government, as the verb's own subject
            return s
        head = tok.head
        # "Interfax quoted Ushakov as saying": the speaker is what is quoted
        if head.lemma_ == "as" and head.head.lemma_ in ("quote", "cite"):
            for c in head.head.children:
                if c.dep_ in ("dobj", "nsubjpass"):
                    return c
        if tok.dep_ in ("conj", "xcomp", "advcl", "pcomp", "prep") and head is not tok:
            tok = head
            continue
        break
    return None


def _trim_tokens(doc, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space or doc[lo].lower_ in ("that", "and", "but")) \
            and doc[lo].text not in _QUOTE_CHARS:
        lo += 1
    while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space) and doc[hi - 1].text not in _QUOTE_CHARS:
        hi -= 1
    return lo, hi


def _chars(doc, lo: int, hi: int) -> tuple[int, int]:
    return doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])


def _clause_parts(doc, v, content_root, bounds) -> list[tuple[int, int]]:
    """Token ranges of content around an inserted cue clause ("X, he says, Y")."""
    s_lo, s_hi = bounds[v.i]
    cue_lo, cue_hi = v.left_edge.i, v.right_edge.i + 1
    parts = []
    lo, hi = content_root.left_edge.i, content_root.right_edge.i + 1
    lo, hi = max(lo, s_lo), min(hi, s_hi)
    if cue_lo > lo:
        parts.append(_trim_tokens(doc, lo, cue_lo))
    if cue_hi < hi:
        parts.append(_trim_tokens(doc, cue_hi, hi))
    return [(a, b) for a, b in parts if b - a >= 2]


def _paragraph(doc, tok) -> tuple[int, int]:
    """Token range of the line (paragraph) holding ``tok``: contents never cross one."""
    lo = tok.i
    while lo > 0 and "\n" not in doc[lo - 1].text:
        lo -= 1
    hi = tok.i + 1
    while hi < len(doc) and "\n" not in doc[hi].text:
        hi += 1
    return lo, hi


def _opens_quote(doc, v) -> bool:
    """True for "X said, \"..." / "X said: \"...": the direct quote carries the content."""
    k = v.i + 1
    while k < len(doc) and doc[k].text in (",", ":", "—"):
        k += 1
    return k < len(doc) and k > v.i + 1 and doc[k].text in _QUOTE_CHARS


def _is_report_clause(c) -> bool:
    """A complement that is itself a reporting clause ("..., TASS has reported")."""
    sub = list(c.subtree)
    return len(sub) <= 8 and any(
        t.lemma_.lower() in ("report", "quote", "cite") and any(x.dep_ == "nsubj" for x in t.children) for t in sub
    )


def _has_verb(doc, lo: int, hi: int) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in doc[lo:hi])


def _indirect(doc, in_quote: list[bool], bounds) -> list[_Cand]:
    out: list[_Cand] = []
    for v in doc:
        lemma = v.lemma_.lower()
        if v.pos_ == "VERB" and lemma in lex.CUE_VERBS and not in_quote[v.i] and not (lemma in lex.EVIDENTIAL_VERBS and NO_EVIDENTIAL_INDIRECT):
            if any(c.dep_ == "neg" for c in v.children) or _opens_quote(doc, v):
                continue
            comps = [c for c in v.children if c.dep_ == "ccomp" and not _is_report_clause(c)
                     and not any(m.dep_ == "mark" and m.lower_ in ("whether", "if") for m in c.children)]
            if lemma in ("urge", "ask", "call", "tell", "warn", "advise") and not comps:
                comps = [c for c in v.children if c.dep_ == "xcomp" and c.i > v.i]
            ranges: list[tuple[int, int]] = []
            for c in comps:
                if c.i < v.i and v.i < c.right_edge.i:
                    continue
                lo, hi = _trim_tokens(doc, c.left_edge.i, c.right_edge.i + 1)
                if c.i > v.i:
                    # "said X, adding ..." keeps conjoined clauses of the complement
                    lo = max(lo, v.i + 1)
                ranges.append((lo, hi))
            if not ranges and lemma in lex.DESCRIBE_VERBS:
                obj = [c for c in v.children if c.dep_ in ("dobj", "oprd")]
                as_ = [c for c in v.children if c.dep_ == "prep" and c.lower_ == "as"]
                if obj and as_:
                    ranges.append(_trim_tokens(doc, obj[0].left_edge.i, as_[0].right_edge.i + 1))
                elif obj and CALL_QUOTED and any(in_quote[k] for k in range(obj[0].right_edge.i + 1, v.right_edge.i + 1)):
                    # "called it “completely unfair” for the students": object + quoted complement
                    ranges.append(_trim_tokens(doc, obj[0].left_edge.i, v.right_edge.i + 1))
            if not ranges and v.dep_ in ("parataxis", "ccomp") and v.head.i != v.i and v.i > v.head.i \
                    and any(c.dep_ == "nsubj" for c in v.children) and v.i > 0 and (doc[v.left_edge.i].text in (",", "—") or doc[v.left_edge.i - 1].text in (",", "—")):
                if lemma not in lex.WEAK_CUE_VERBS:
                    ranges.extend(_clause_parts(doc, v, v.head, bounds))
            para_lo, para_hi = _paragraph(doc, v)
            for lo, hi in ranges:
                lo, hi = _trim_tokens(doc, max(lo, para_lo), min(hi, para_hi))
                if hi - lo < 3 or not _has_verb(doc, lo, hi) and lemma not in lex.DESCRIBE_VERBS:
                    continue
                s, e = _chars(doc, lo, hi)
                out.append(_Cand(s, e, "indirect", v, v.text, _subject(v)))
        elif v.lower_ == "according" and v.i + 1 < len(doc) and doc[v.i + 1].lower_ == "to":
            to = doc[v.i + 1]
            pobj = [c for c in to.children if c.dep_ == "pobj"]
            speech = _relayed_speech(v)
            if not pobj or (speech is not None and _speech_has_content(speech, in_quote, bounds[speech.i][0])):
                continue  # "X said ..., according to N": X's statement, N its relay (see _according_relays)
            para_lo, para_hi = _paragraph(doc, v)
            s_lo, s_hi = max(bounds[v.i][0], para_lo), min(bounds[v.i][1], para_hi)
            a_lo, a_hi = v.i, max(pobj[0].right_edge.i, to.right_edge.i) + 1
            parts = []
            if a_lo > s_lo:
                parts.append(_trim_tokens(doc, s_lo, a_lo))
            if a_hi < s_hi:
                parts.append(_trim_tokens(doc, a_hi, s_hi))
            parts = [(a, b) for a, b in parts if b - a >= 3 and _has_verb(doc, a, b)]
            if parts:
                lo, hi = max(parts, key=lambda p: p[1] - p[0])
                s, e = _chars(doc, lo, hi)
                out.append(_Cand(s, e, "indirect", v, "according to", pobj[0]))
    return out


def _relayed_speech(v):
    """The speech verb whose report "according to X" attaches to, when that verb has its own
    speaker: in "…, Dmitri Volkov said, according to Norpress" the speaker is Volkov and
    Norpress the relay, not the speaker. The parse decides: "according" (or the verb it hangs
    on, up to the sentence root) must descend from a cue verb with a subject outside the
    "according to" phrase. Returns that verb, or None."""
    if v.lower_ != "according" or v.i + 1 >= len(v.doc) or v.doc[v.i + 1].lower_ != "to":
        return None
    inside = {t.i for t in v.subtree} | {t.i for t in v.doc[v.i + 1].subtree}
    tok = v.head
    for _ in range(4):
        if tok.pos_ == "VERB" and tok.lemma_.lower() in lex.CUE_VERBS and any(
                c.dep_ == "nsubj" and c.i not in inside for c in tok.children):  # a passive's subject is the content
            return tok
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _speech_has_content(verb, in_quote: list[bool], sentence_start: int = 0) -> bool:
    """True when a speech verb carries its own statement: a complement clause, or a quotation
    it opens or closes. Only then does an "according to" on it stand back as the relay; on a
    verb with nothing said (a garbled "X said supplies ..., according to a report") the
    "according to" clause stays a statement of its own source."""
    if any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in verb.children) or _opens_quote(verb.doc, verb):
        return True
    return any(in_quote[k] for k in range(max(sentence_start, verb.i - MAX_TAIL_CUE_TOKENS - 2), verb.i))


_NAMED = frozenset({"ORG", "PERSON", "NORP", "GPE"})


def _according_relays(doc) -> dict[int, tuple[int, str]]:
    """Speech verb index → (position, name) of the channel an "according to" credits to it.

    Only a name is a relay (a proper noun or a named organisation: "according to Norpress",
    "according to the Baltic Wire agency"); "according to a statement from his office" names
    a document, not a channel, and adds none."""
    out: dict[int, tuple[int, str]] = {}
    for v in doc:
        verb = _relayed_speech(v)
        if verb is None:
            continue
        pobj = [c for c in doc[v.i + 1].children if c.dep_ == "pobj"]
        if not pobj:
            continue
        head = pobj[0]
        named = [t.i for t in doc[head.left_edge.i : head.i + 1] if t.pos_ == "PROPN" or t.ent_type_ in _NAMED]
        if not named:
            continue
        lo, hi = named[0], head.i + 1  # "the Baltic Wire agency" → "Baltic Wire agency"
        out.setdefault(verb.i, (doc[lo].idx, doc[lo:hi].text))
    return out


# ----------------------------------------------------------------------- step 3


def _tok_at(starts: list[int], char: int) -> int:
    return max(0, bisect.bisect_right(starts, char) - 1)


def _tail_cue(doc, first: int):
    """Cue token after a closing mark ("…," he said / said Ushakov / according to X).

    The cue must be the first main verb of the tail: a long speaker phrase may stand
    between ("…," Guenther Schuh, e.GO's founder, said), a new clause may not."""
    for k in range(first, min(len(doc), first + MAX_TAIL_CUE_TOKENS)):
        t = doc[k]
        if t.text in _STOP or "\n" in t.text or t.text in _QUOTE_CHARS:
            return None
        if t.lower_ == "according" and k + 1 < len(doc) and doc[k + 1].lower_ == "to" and k - first <= 2:
            return t
        lemma = t.lemma_.lower()
        if lemma in ("quote", "cite") and t.pos_ == "VERB":
            # "Norpress news agency quoted Kovalenko as saying"
            for u in doc[k + 1 : min(len(doc), k + 8)]:
                if u.lemma_.lower() == "say":
                    return u
            return t
        if t.pos_ == "VERB" and lemma in lex.CUE_VERBS and lemma not in lex.WEAK_CUE_VERBS:
            return t
        if t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "ccomp", "conj", "xcomp") and lemma != "be":
            return None
    return None


def _head_cue(doc, last: int):
    """Cue token of "X said: / X said, / X said that" just before an opening mark."""
    if last < 0:
        return None
    end_tok = doc[last]
    if end_tok.text not in (",", ":", "that", "—") and end_tok.lemma_.lower() not in lex.CUE_VERBS:
        return None
    for k in range(last, max(-1, last - MAX_HEAD_TOKENS), -1):
        t = doc[k]
        if t.text in _STOP or "\n" in t.text or t.text in _QUOTE_CHARS:
            return None
        if t.pos_ == "VERB" and t.lemma_.lower() in lex.CUE_VERBS:
            return t
    return None


def _is_media(name: str) -> bool:
    return bool(lex.RELAY_NAME.fullmatch(name)) or any(w in lex.MEDIA_WORDS for w in name.split())


# ----------------------------------------------------------------------- relays


def _relays(index: ArticleIndex, lo: int, hi: int, c_start: int, c_end: int, speaker: Speaker | None) -> list[tuple[int, str]]:
    """Outlets and platforms named as the channel in text[lo:hi], outside the content."""
    text = index.text
    found: list[tuple[int, str]] = []

    def add(pos: int, end: int, name: str) -> None:
        if c_start <= pos < c_end:
            return
        if speaker is not None and speaker.span is not None and speaker.span.start <= pos < speaker.span.end:
            return
        dist = c_start - end if end <= c_start else pos - c_end
        found.append((dist, name))

    region = text[lo:hi]
    for m in lex.RELAY_NAME.finditer(region):
        p, q = lo + m.start(), lo + m.end()
        if lex.RELAY_BEFORE.search(text[max(lo, p - 45) : p]) or lex.RELAY_AFTER.match(text[q : q + 40]):
            add(p, q, m.group())
    for m in lex.PLATFORM_NAME.finditer(region):
        p, q = lo + m.start(), lo + m.end()
        if lex.PLATFORM_BEFORE.search(text[max(lo, p - 40) : p]):
            add(p, q, m.group())
    for men in index.mentions_in(lo, hi):
        if men.type not in ("ORG", "OTHER") or lex.RELAY_NAME.fullmatch(men.span.text):
            continue
        p, q = men.span.start, men.span.end
        if _is_media(men.span.text) and (lex.RELAY_BEFORE.search(text[max(lo, p - 45) : p]) or lex.RELAY_AFTER.match(text[q : q + 40])):
            add(p, q, men.name)
        elif men.type == "ORG" and (lex.STRONG_RELAY_BEFORE.search(text[max(lo, p - 30) : p]) or lex.STRONG_RELAY_AFTER.match(text[q : q + 20])):
            add(p, q, men.name)
    return found


# ----------------------------------------------------------------------- entry point


def extract_quotes(doc, article_id: str, mentions: Sequence[Mention]) -> list[Quote]:
    """Direct, indirect and mixed quotes of one article, sorted by start."""
    text = doc.text
    index = build_index(doc, article_id, mentions, text)
    starts = doc.to_array("IDX").tolist() if len(doc) else []
    index.tok_starts = starts
    segments = quoted_segments(text)
    in_quote = [False] * len(doc)
    for s, e in segments:
        for i in range(_tok_at(starts, s), _tok_at(starts, e - 1) + 1):
            if s <= doc[i].idx < e:
                in_quote[i] = True

    cands = _indirect(doc, in_quote, index.sent_bounds)
    # mixed quotes absorb the quoted stretches inside them; contents that are mostly a
    # quoted stretch are left to the direct quote
    kept: list[_Cand] = []
    absorbed: set[int] = set()
    for c in cands:
        inside = [k for k, (s, e) in enumerate(segments) if s >= c.start - 1 and e <= c.end + 1]
        crossing = [k for k, (s, e) in enumerate(segments) if s < c.end and e > c.start and k not in inside]
        outside = text[c.start : c.end]
        for k in inside:
            s, e = segments[k]
            outside = outside.replace(text[s:e], " ")
        words = [w for w in outside.split() if _WORD.search(w) and w not in ('"', "“", "”")]
        if crossing and not inside:
            continue
        if len(words) < MIN_OUTSIDE_WORDS:
            continue
        if inside:
            c.kind = "mixed"
            absorbed.update(inside)
        kept.append(c)
    cands = _unnest(kept)

    for k, (s, e) in enumerate(segments):
        if k in absorbed:
            continue
        first = _tok_at(starts, e) + 1
        while first < len(doc) and doc[first].text in _QUOTE_CHARS | {",", "”"}:
            first += 1
        open_tok = _tok_at(starts, s - 1) if s > 0 else 0
        last = open_tok - 1
        while last >= 0 and doc[last].is_space:
            last -= 1
        tail = _tail_cue(doc, first) if first < len(doc) else None
        if tail is not None and NEW_SENTENCE_AFTER_STOP and text[s:e].rstrip()[-1:] == "." and doc[first].text[:1].isupper() \
                and doc[first].pos_ not in ("PRON", "PROPN", "VERB") and doc[first].lemma_.lower() not in lex.CUE_VERBS:
            tail = None  # “... like this.” But he said ...: a new sentence, not this quote's cue
        head = _head_cue(doc, last)
        if tail is not None and head is not None:
            subj = _subject(tail)
            if doc[last].text == ":" or (subj is not None and _is_media(doc[subj.left_edge.i : subj.i + 1].text)):
                tail = None
        cue = tail or head
        words = len(text[s:e].split())
        starts_clause = last < 0 or doc[last].text in _STOP or "\n" in doc[last].text or doc[last].text in (":", "—") or doc[last].text in _QUOTE_CHARS
        full_sentence = text[s:e].rstrip("”\"' ")[-1:] in (".", "!", "?")
        if cue is None:
            if (words < lex.MIN_DIRECT_WORDS and not (full_sentence and words >= 2)) or not starts_clause:
                continue
            kept_c = _Cand(s, e, "direct", carry=True)
            kept_c.unclosed = e >= len(text) or text[e:e + 1] == "\n" or text[e:].lstrip(",. ")[:1] == "\n"
        else:
            if words < 2 and not starts_clause:
                continue
            cue_text = "according to" if cue.lower_ == "according" else cue.text
            kept_c = _Cand(s, e, "direct", cue, cue_text, _subject(cue))
        cands.append(kept_c)

    relayed = _according_relays(doc)
    for c in cands:
        if c.cue is not None and c.cue.i in relayed and relayed[c.cue.i] not in c.relays:
            c.relays.append(relayed[c.cue.i])
    cands.sort(key=lambda c: (c.start, c.end))
    return _finish(index, cands)


def _unnest(cands: list[_Cand]) -> list[_Cand]:
    """Drop contents inside another one; a reporting clause around one becomes its relay."""
    cands = sorted(cands, key=lambda c: (c.start, -c.end))
    out: list[_Cand] = []
    for c in cands:
        outer = [o for o in cands if o is not c and o.start <= c.start and c.end <= o.end and (o.start, o.end) != (c.start, c.end)]
        same = [o for o in out if (o.start, o.end) == (c.start, c.end)]
        if same:
            continue
        if not outer:
            out.append(c)
            continue
        # is c the real statement and the outer a report of it?
        rep = [o for o in outer if o.cue is not None and o.subj is not None and
               (o.cue.lemma_.lower() in ("report", "quote", "cite") or _is_media(o.subj.doc[o.subj.left_edge.i : o.subj.i + 1].text))]
        if rep:
            for o in rep:
                c.relays.append((o.subj.idx, o.subj.doc[o.subj.left_edge.i : o.subj.right_edge.i + 1].text))
            out.append(c)
    dropped_outer = set()
    for c in out:
        for o in out:
            if o is not c and o.start <= c.start and c.end <= o.end and (o.start, o.end) != (c.start, c.end):
                if any(name for _, name in c.relays):
                    dropped_outer.add(id(o))
    return [c for c in out if id(c) not in dropped_outer]


def _norm(name: str | None) -> str:
    return " ".join(w for w in (name or "").lower().split() if w != "the")


def _sent_bounds(index: ArticleIndex, starts, s: int, e: int) -> tuple[int, int]:
    doc = index.doc
    a = index.sent_bounds[_tok_at(starts, s)][0]
    b = index.sent_bounds[_tok_at(starts, max(s, e - 1))][1]
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1])


def _finish(index: ArticleIndex, cands: list[_Cand]) -> list[Quote]:
    doc = index.doc
    text = index.text
    aid = index.article_id
    starts = index.tok_starts
    quotes: list[Quote] = []
    prev: _Cand | None = None
    prev_relays: tuple[str, ...] = ()
    for c in cands:
        inherited: tuple[str, ...] = ()
        if c.carry:
            c.speaker = Speaker(None, None, None)
            if prev is not None and prev.speaker is not None:
                if text.count("\n", prev.end, c.start) <= lex.SPEAKER_CARRY_PARAGRAPHS * 2:
                    c.speaker = prev.speaker
                    if "\n" not in text[prev.end : c.start]:
                        inherited = prev_relays
        elif c.subj is not None:
            c.speaker = resolve(index, c.subj)
        else:
            c.speaker = Speaker(None, None, None)
        if c.speaker.name is not None:
            si = index.sent_of_token[_tok_at(starts, c.start)]
            index.spoke[c.speaker.name] += 1
            index.last_speaker[c.speaker.name] = si
        lo, hi = _sent_bounds(index, starts, c.start, c.end)
        if c.cue is not None:
            lo2, hi2 = _sent_bounds(index, starts, c.cue.idx, c.cue.idx + 1)
            lo, hi = min(lo, lo2), max(hi, hi2)
        found = _relays(index, lo, hi, c.start, c.end, c.speaker)
        found += [(abs(p - c.start), n) for p, n in c.relays]
        names: list[str] = []
        # the speaker's own platform comes first, then the agencies that relayed it
        ordered = sorted(found, key=lambda f: (not lex.PLATFORM_NAME.fullmatch(f[1]), f[0]))
        for name in [n for _, n in ordered] + list(inherited):
            if name not in names and _norm(name) != _norm(c.speaker.name) and \
                    (c.speaker.span is None or _norm(name) != _norm(c.speaker.span.text)):
                names.append(name)
        if "social media" in names and any(n != "social media" and lex.PLATFORM_NAME.fullmatch(n) for n in names):
            names.remove("social media")
        if c.carry and c.unclosed and c.speaker.name is None:
            nxt = next((o for o in cands if o.start > c.end and not o.carry and o.kind == "direct"), None)
            if nxt is not None and nxt.subj is not None and text.count("\n", c.end, nxt.start) <= 4:
                c.speaker = resolve(index, nxt.subj)
        span = Span.of(aid, text, c.start, c.end)
        quotes.append(Quote(span, c.kind, c.cue_text, tuple(names), c.speaker.name, c.speaker.span, c.speaker.type,
                            c.speaker.kind))
        prev, prev_relays = c, tuple(names)
    quotes.sort(key=lambda q: (q.span.start, q.span.end))
    return quotes
