"""Entity mentions of one article, from spaCy's NER, cleaned.

``extract_mentions(doc, article_id)`` returns :class:`~rashomon.model.Mention` records,
sorted by start. Steps, in order:

1. take spaCy's entities of the kinds we keep and repair their spans (leading articles,
   honorifics, possessives, trailing punctuation);
2. treat headline-like lines (short, title-case, no final stop) apart from the body: an
   entity there survives only as the part of it that names something the body names
   ("Zelensky Joining" → "Zelensky"; "Putin-Witkoff Meeting" → "Putin", "Witkoff");
3. make types consistent inside the article (a surname seen as PERSON is a PERSON
   wherever it recurs), extend person names over initials ("Kirill A Dmitriev") and split
   hyphenated pairs of known names ("Putin-Trump");
4. attach titles and roles: pre-nominal ("Kremlin aide Yuri Ushakov") and appositions
   ("Ida Marsh, a close adviser to the mayor"; "the council's envoy, Jon Berg");
5. give every mention the fullest form of its referent in the article ("Ushakov" →
   "Yuri Ushakov");
6. add mentions for titles used alone ("the aide", "the US president") when exactly one
   person in the article holds a matching title (see :mod:`.speakers`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ..model import Mention, Span
from .quote_lexicon import HONORIFICS, NAME_PARTICLES, TITLE_ABBREVIATIONS, TITLE_WORDS

KEPT_LABELS: dict[str, str] = {
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP",
    "EVENT": "EVENT", "FAC": "OTHER", "PRODUCT": "OTHER", "WORK_OF_ART": "OTHER", "LAW": "OTHER",
}
"""spaCy labels we keep and the Mention type each becomes (dates and numbers go to timex/claims)."""

_FUNCTION_WORDS = frozenset(
    "a an the of in on at to for and or but with by from as is are was be vs vs. after over into up".split()
)
_STRIP_LEAD = frozenset({"the", "The", "a", "an"})
_STRIP_TRAIL = frozenset({"'s", "’s", "'", "’", ",", ".", ":", ";", "!", "?", ")", "(", '"', "“", "”", "-", "—"})
_NAME_PART = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.?)$")


@dataclass(frozen=True, slots=True)
class _Raw:
    """A mention being cleaned: token range [start, end) and its type."""

    start: int
    end: int
    type: str
    headline: bool = False


# ------------------------------------------------------------------------- step 2


def headline_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of headline-like lines in ``text``: a line without a final stop whose
    every content word starts upper-case (Title Case). No length or share is fitted: a body
    sentence has lower-case content words, a Title Case line of any length is a heading."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped or stripped[-1] in '.!?"”:;,)’\'' or stripped.endswith("..."):
            continue
        words = stripped.split()
        content = [w for w in words if w.lower() not in _FUNCTION_WORDS and w[0].isalpha()]
        if not content:
            continue
        capital = sum(1 for w in content if w[0].isupper())
        if capital == len(content) and len(words) >= 2:
            out.append((start, end))
    return out


BYLINE = re.compile(r"^\s*(?:by|written by|reporting by|words by|photos? by)\s+[A-Z]", re.I)
"""A byline: the author is not someone in the story."""
TIMESTAMP = re.compile(
    r"\b(?:\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago|"
    r"\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?|updated|published|posted|last modified)\b", re.I)
"""A time stamp on a short line ("Karen Wells 3 hours ago", "Updated 10:42 AM ET"): a comment
header or page furniture, not a sentence of the story."""
TIMESTAMP_MAX_WORDS = 12
"""A line with a time stamp is furniture only when this short (a sentence that mentions
"10:42 a.m." is longer); a general bound, not fitted on any set."""
DATELINE = re.compile(r"^\s*[A-Z][A-Z.'’ -]{2,}(?:,\s*[A-Z][\w.'’ -]{1,30})?\s*(?:\([^)]{1,40}\))?\s*[-—–:]\s")
"""A dateline at the start of a line ("DUNMORE, Ireland (Reuters) - "): its words are a place
and an agency in capitals, not story entities."""


PLACE_PREPOSITIONS = frozenset({"in", "near"})
"""A one-word PERSON right after these is a place ("flooding in Dunmore"); "at"/"to"/"from"
also precede people ("a letter to Smith") and are left out."""


def furniture_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of bylines, time-stamp lines and dateline prefixes: no entities there."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if BYLINE.match(line) or (TIMESTAMP.search(line) and len(line.split()) <= TIMESTAMP_MAX_WORDS):
            out.append((start, end))
            continue
        m = DATELINE.match(line)
        if m:
            out.append((start, start + m.end()))
    return out


def _in_ranges(char: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= char < e for s, e in ranges)


# ------------------------------------------------------------------------- step 1


def _trim(doc, start: int, end: int, label: str = "") -> tuple[int, int]:
    while start < end and (doc[start].text in _STRIP_LEAD or doc[start].text.lower() in HONORIFICS
                           or (label == "PERSON" and doc[start].lower_ in TITLE_ABBREVIATIONS)
                           or (label != "PERSON" and doc[start].pos_ in ("VERB", "ADP", "SCONJ", "ADV"))):
        start += 1
    if label == "PERSON":
        # "Vancouver's Bo Horvat", "Hereditary Chief Na'moks": the name is after the last
        # possessive or title word
        for k in range(end - 2, start - 1, -1):
            t = doc[k]
            if t.text in ("'s", "’s") or t.lower_ in TITLE_WORDS or t.lower_ in HONORIFICS:
                start = k + 1
                break
    while end > start and (doc[end - 1].text in _STRIP_TRAIL or doc[end - 1].is_space):
        end -= 1
    return start, end


def _raw_mentions(doc, headlines: list[tuple[int, int]]) -> list[_Raw]:
    out: list[_Raw] = []
    for ent in doc.ents:
        kind = KEPT_LABELS.get(ent.label_)
        if kind is None or "\n" in ent.text:
            continue
        label = ent.label_
        if label == "PERSON" and not _person_like(doc[ent.start : ent.end]):
            kind = label = "OTHER"
        elif label in ("ORG", "GPE", "NORP", "WORK_OF_ART", "FAC") and TITLED_NAMES:
            k = _titled_name(doc, ent.start, ent.end)
            if k is not None:
                kind = label = "PERSON"  # "Wet'suwet'en Hereditary Chief Na'moks"
        start, end = _trim(doc, ent.start, ent.end, label)
        if start >= end or not any(t.is_alpha or t.text[:1].isalpha() for t in doc[start:end]):
            continue
        out.append(_Raw(start, end, kind, _in_ranges(doc[start].idx, headlines)))
    return out


TITLED_NAMES = True
"""An ORG/GPE entity "... Chief Na'moks" ending in a title word and a name is that person (GGT dev)."""


def _person_like(toks) -> bool:
    """False for PERSON entities that cannot be one person's name: an inner lower-case
    word other than a name particle, or a single all-capital short token ("CBC", "MAGA")."""
    words = [t for t in toks if not t.is_punct and t.text not in ("'s", "’s")]
    if len(words) == 1 and words[0].text.isupper() and len(words[0].text) <= 5 and words[0].text.isalpha():
        return False
    return not any(t.text.islower() and t.is_alpha and t.text not in NAME_PARTICLES for t in words[1:-1])


def _titled_name(doc, start: int, end: int) -> int | None:
    """Token index where a name starts after a capitalised title word inside an entity."""
    for k in range(end - 2, start - 1, -1):
        t = doc[k]
        if t.text[:1].isupper() and t.lower_ in TITLE_WORDS and t.lower_ not in ("general", "major", "prime", "head"):
            tail = doc[k + 1 : end]
            if 1 <= len(tail) <= 3 and all(_NAME_PART.match(x.text) and x.pos_ == "PROPN" and x.lower_ not in TITLE_WORDS for x in tail):
                return k + 1
            return None
    return None


# ------------------------------------------------------------------------- step 3


def _key(doc, raw: _Raw) -> str:
    return doc[raw.start : raw.end].text


def _fix_types(doc, raws: list[_Raw]) -> list[_Raw]:
    """One type per name in the article; PERSON for a surname of a known person."""
    person_tokens: set[str] = set()
    for r in raws:
        if r.type == "PERSON" and not r.headline:
            for t in doc[r.start : r.end]:
                if _NAME_PART.match(t.text) and t.text.lower() not in HONORIFICS:
                    person_tokens.add(t.text)
    surnames = {doc[r.end - 1].text for r in raws if r.type == "PERSON" and not r.headline and r.end - r.start >= 1
                and _NAME_PART.match(doc[r.end - 1].text) and len(doc[r.end - 1].text) > 2}
    votes: dict[str, Counter] = {}
    for r in raws:
        if not r.headline:
            votes.setdefault(_key(doc, r), Counter())[r.type] += 1
    out = []
    for r in raws:
        text = _key(doc, r)
        kind = r.type
        toks = text.replace("-", " ").split()
        if kind in ("ORG", "GPE", "NORP") and len(toks) <= 3 and all(t in person_tokens for t in toks):
            kind = "PERSON"
        elif kind in ("ORG", "GPE", "NORP", "OTHER") and 2 <= len(toks) <= 3 and toks[-1] in surnames \
                and all(_NAME_PART.match(t) for t in toks) and not r.headline:
            kind = "PERSON"  # "Nino Niederreiter" (GPE) where "Niederreiter" is a person
        elif text in votes and kind != "PERSON":
            kind = votes[text].most_common(1)[0][0] if votes[text]["PERSON"] == 0 else "PERSON"
        out.append(replace(r, type=kind))
    return out


def _extend_person(doc, raws: list[_Raw]) -> list[_Raw]:
    """Extend person names left over first names and initials the NER left out.

    A token joins when it is a proper noun compounded to the name, an initial ("A",
    "A."), or a word that is part of another person name in the article ("Kirill" in
    "Kirill A Dmitriev" when "Kirill Dmitriev" occurs too). A one-word non-person entity
    it swallows ("Yury" tagged ORG) is dropped."""
    taken = {i for r in raws if r.type == "PERSON" for i in range(r.start, r.end)}
    known = {t.text for r in raws if r.type == "PERSON" and r.end - r.start >= 2 for t in doc[r.start : r.end]}
    out = []
    swallowed: set[int] = set()
    for r in raws:
        start = r.start
        if r.type == "PERSON":
            while start > 0 and start - 1 not in taken and doc[start - 1].whitespace_:
                t = doc[start - 1]
                low = t.text.lower()
                if low in TITLE_WORDS or low in HONORIFICS or low in TITLE_ABBREVIATIONS or not _NAME_PART.match(t.text):
                    break
                initial = len(t.text.rstrip(".")) == 1 and t.text[0].isupper()
                single_entity = t.ent_iob_ == "B" and (t.i + 1 >= len(doc) or doc[t.i + 1].ent_iob_ != "I")
                if t.text in known or initial or (
                    t.pos_ == "PROPN" and not t.is_sent_start
                    and (t.ent_type_ in ("", "PERSON")
                         or (single_entity and t.dep_ == "compound" and r.start <= t.head.i < r.end))
                ):
                    start -= 1
                else:
                    break
            if start < r.start and len(doc[start].text.rstrip(".")) == 1:
                start += 1  # never start a name with a bare initial
            swallowed.update(range(start, r.start))
        out.append(replace(r, start=start))
    return [r for r in out if r.type == "PERSON" or not (set(range(r.start, r.end)) & swallowed)]


def _merge_adjacent_persons(raws: list[_Raw]) -> list[_Raw]:
    """"Kirill A" + "Dmitriev" (the NER split one name in two) → one person mention."""
    out: list[_Raw] = []
    for r in raws:
        if out and r.type == "PERSON" and out[-1].type == "PERSON" and out[-1].end == r.start:
            out[-1] = replace(out[-1], end=r.end)
        else:
            out.append(r)
    return out


def _add_known_names(doc, raws: list[_Raw], headlines: list[tuple[int, int]]) -> list[_Raw]:
    """Person names the NER missed where they recur ("Lind said ..." after "Petra Lind")."""
    taken = {i for r in raws for i in range(r.start, r.end)}
    names: dict[str, int] = {}
    for r in raws:
        if r.type == "PERSON" and not r.headline:
            toks = [t for t in doc[r.start : r.end] if _NAME_PART.match(t.text)]
            if len(toks) >= 2:
                names[toks[-1].text] = 1
                names[" ".join(t.text for t in toks)] = len(toks)
    if not names:
        return raws
    extra = []
    for t in doc:
        if t.i in taken or t.text not in names or t.pos_ != "PROPN":
            continue
        lo = t.i
        while lo > 0 and lo - 1 not in taken and doc[lo - 1].pos_ == "PROPN" and _NAME_PART.match(doc[lo - 1].text) \
                and doc[lo - 1].lower_ not in TITLE_WORDS and doc[lo - 1].lower_ not in HONORIFICS and not doc[lo - 1].is_sent_start:
            lo -= 1
        hi = t.i + 1
        if hi < len(doc) and hi not in taken and doc[hi].pos_ == "PROPN" and _NAME_PART.match(doc[hi].text):
            continue  # part of a longer, different name
        extra.append(_Raw(lo, hi, "PERSON", _in_ranges(t.idx, headlines)))
        taken.update(range(lo, hi))
    return sorted(raws + extra, key=lambda r: (r.start, r.end))


def _split_hyphenated(doc, raws: list[_Raw], known: set[str]) -> list[_Raw]:
    """"Putin-Trump" → two person mentions when both parts are known names."""
    out = []
    for r in raws:
        toks = doc[r.start : r.end]
        parts = [i for i, t in enumerate(toks) if t.text == "-"]
        if r.type in ("PERSON", "ORG") and parts:
            pieces, lo = [], 0
            for p in [*parts, len(toks)]:
                pieces.append((lo, p))
                lo = p + 1
            names = [toks[a:b].text for a, b in pieces]
            if all(n in known for n in names if n) and all(names):
                out.extend(_Raw(r.start + a, r.start + b, "PERSON", r.headline) for a, b in pieces)
                continue
        out.append(r)
    return out


def _headline_pieces(doc, raws: list[_Raw], known: dict[str, str]) -> list[_Raw]:
    """Keep of a headline entity only sub-spans that name something the body names."""
    out = []
    for r in raws:
        if not r.headline:
            out.append(r)
            continue
        i = r.start
        while i < r.end:
            best = None
            for j in range(r.end, i, -1):
                text = doc[i:j].text
                if text in known:
                    best = j
                    break
            if best is None:
                i += 1
                continue
            out.append(_Raw(i, best, known[doc[i:best].text], True))
            i = best
    return out


# ------------------------------------------------------------------------- step 4


def _has_title(tokens) -> bool:
    return any(t.lower_ in TITLE_WORDS or t.lemma_.lower() in TITLE_WORDS for t in tokens)


def _role(doc, r: _Raw) -> tuple[int, int] | None:
    """Token range of the title or role attached to a person mention, or None."""
    root = doc[r.end - 1]
    # pre-nominal: left modifiers of the name's head that precede the name
    lefts = [c for c in root.lefts if c.i < r.start and c.dep_ in ("compound", "amod", "nmod", "npadvmod")]
    if lefts:
        allowed = {t.i for c in lefts for t in c.subtree}
        lo = r.start
        while lo - 1 in allowed and doc[lo - 1].dep_ not in ("cc", "conj", "punct", "det", "poss", "case") \
                and doc[lo - 1].ent_type_ != "PERSON" and "\n" not in doc[lo - 1].text:
            lo -= 1
        while lo < r.start and doc[lo].text in _STRIP_LEAD:
            lo += 1
        hi = r.start
        while hi > lo and doc[hi - 1].lower_ in HONORIFICS:
            hi -= 1
        span = doc[lo:hi]
        if lo < hi and _has_title(span):
            return lo, hi
    # apposition after the name: "X, a close economic adviser to Putin, ..."
    for c in root.rights:
        if c.dep_ == "appos" and c.ent_type_ not in ("PERSON", "GPE", "DATE") and c.pos_ in ("NOUN", "PROPN"):
            lo, hi = c.left_edge.i, c.i + 1
            for cc in c.rights:
                if cc.dep_ in ("cc", "conj", "relcl", "punct", "acl") and cc.dep_ != "prep":
                    break
                hi = cc.right_edge.i + 1
            while lo < hi and doc[lo].text in _STRIP_LEAD:
                lo += 1
            span = doc[lo:hi]
            if lo < hi and "\n" not in span.text and _has_title(span):
                return lo, hi
    # the name is the apposition: "Trump's envoy, Steve Witkoff"
    if root.dep_ == "appos" and root.head.i < r.start and root.head.pos_ == "NOUN":
        head = root.head
        lo = head.left_edge.i
        while lo < head.i and doc[lo].text in _STRIP_LEAD:
            lo += 1
        span = doc[lo : head.i + 1]
        if "\n" not in span.text and _has_title(span):
            return lo, head.i + 1
    return None


# ------------------------------------------------------------------------- step 5


def _name_tokens(text: str) -> list[str]:
    return [t for t in text.replace("’s", "").split() if t.lower() not in HONORIFICS]


def full_names(doc, raws: list[_Raw]) -> dict[int, str]:
    """Index in ``raws`` → fullest form of the referent in the article.

    A name maps to a longer person name that ends with it ("Ushakov" → "Yuri Ushakov") or,
    for a single word, starts with it when no other person shares that first word
    ("Wang" → "Wang Qishan"). Among several longer forms the most frequent wins, then the
    one nearest before the mention (so "Press Kevin Vickers" from a photo credit does not
    beat "Kevin Vickers")."""
    forms: dict[tuple[str, ...], list[int]] = {}
    for r in raws:
        if r.type == "PERSON" and not r.headline:
            forms.setdefault(tuple(_name_tokens(doc[r.start : r.end].text)), []).append(r.start)
    firsts: dict[str, set[tuple[str, ...]]] = {}
    for f in forms:
        if len(f) >= 2:
            firsts.setdefault(f[0], set()).add(f)
    full = doc.text
    support = {f: max(len(starts), full.count(" ".join(f))) for f, starts in forms.items()}
    # a form that only extends a more frequent two-word name with a stray word ("Images
    # Kevin Vickers" from a photo credit beside "Kevin Vickers" ×4) maps to that name
    clean: dict[tuple[str, ...], tuple[str, ...]] = {}
    for f in forms:
        shorter = [g for g in forms if 2 <= len(g) < len(f) and f[-len(g):] == g and support[g] > support[f]]
        clean[f] = max(shorter, key=len) if shorter else f
    out: dict[int, str] = {}
    for i, r in enumerate(raws):
        text = doc[r.start : r.end].text
        if r.type != "PERSON":
            out[i] = text
            continue
        toks = tuple(_name_tokens(text))
        n = len(toks)
        if clean.get(toks, toks) != toks:
            out[i] = " ".join(clean[toks])
            continue
        particle = n == 2 and toks[0].lower() in NAME_PARTICLES  # "Al Hashish" is a surname
        cands = [f for f in forms if clean[f] == f and len(f) > n and n and f[-n:] == toks
                 and (n == 1 or particle or support[f] >= support.get(toks, 0))]
        if not cands and n == 1 and len(firsts.get(toks[0], ())) == 1:
            cands = list(firsts[toks[0]])
        if not cands:
            out[i] = " ".join(toks) or text
            continue

        def rank(f: tuple[str, ...]) -> tuple:
            before = [p for p in forms[f] if p <= r.start]
            return (-support[f], 0 if before else 1, -(max(before) if before else 0), -len(f), f)

        out[i] = " ".join(min(cands, key=rank))
    return out


# ------------------------------------------------------------------------- entry point


def extract_mentions(doc, article_id: str) -> list[Mention]:
    """Entity mentions of one article (see the module docstring), sorted by start."""
    text = doc.text
    headlines = headline_ranges(text)
    furniture = furniture_ranges(text)
    raws = [r for r in _raw_mentions(doc, headlines) if not _in_ranges(doc[r.start].idx, furniture)]
    body = [r for r in raws if not r.headline]
    body = _merge_adjacent_persons(_fix_types(doc, body))
    body = _extend_person(doc, body)
    body = [r for r in _add_known_names(doc, body, headlines) if not r.headline]
    person_parts = {t for r in body if r.type == "PERSON" for t in _name_tokens(_key(doc, r))}
    body = _split_hyphenated(doc, body, person_parts | {_key(doc, r) for r in body if r.type == "PERSON"})
    known: dict[str, str] = {}
    for r in body:
        known.setdefault(_key(doc, r), r.type)
        if r.type == "PERSON":
            for t in _name_tokens(_key(doc, r)):
                if len(t) > 2:
                    known.setdefault(t, "PERSON")
    heads = _headline_pieces(doc, [r for r in raws if r.headline], known)
    raws = sorted(body + heads, key=lambda r: (r.start, r.end))
    names = full_names(doc, raws)
    mentions: list[Mention] = []
    for i, r in enumerate(raws):
        start_c, end_c = doc[r.start].idx, doc[r.end - 1].idx + len(doc[r.end - 1])
        role = role_span = None
        if r.type == "PERSON" and not r.headline:
            rr = _role(doc, r)
            if rr is not None:
                lo, hi = doc[rr[0]].idx, doc[rr[1] - 1].idx + len(doc[rr[1] - 1])
                role_span = Span.of(article_id, text, lo, hi)
                role = role_span.text
        mtype = r.type
        if mtype == "PERSON" and r.end - r.start == 1 and r.start > 0 and doc[r.start - 1].lower_ in PLACE_PREPOSITIONS \
                and names[i] == doc[r.start].text:
            mtype = "GPE"  # "in Dunmore": a one-word name used as a place is not a person
        mentions.append(Mention(Span.of(article_id, text, start_c, end_c), mtype, names[i], role, role_span))
    from .speakers import title_mentions  # local import: speakers imports this module

    mentions.extend(title_mentions(doc, article_id, mentions, text))
    mentions.sort(key=lambda m: (m.span.start, m.span.end))
    return mentions
