"""Gender evidence for resolving "he" and "she": what the article itself says of a person
(honorifics, role and kinship nouns, pronouns in sentences that name only them), then an
optional table of given names.
"""

from __future__ import annotations

import bisect
import importlib.util
import json
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..model import Mention
from .quote_lexicon import HONORIFICS, NAME_PARTICLES, PERSON_NOUNS, PRONOUNS, ROLE_GENDER

NAME_TABLE_PACKAGE = "nomquamgender"
"""PyPI package (MIT) whose data file maps given names to p(gendered female), compiled
from name registers of many countries. Optional: without it only in-article evidence counts."""
NAME_TABLE_CERTAINTY = 0.1
"""A first name decides a gender only when p(female) <= this or >= 1 - this (the
package's own default threshold; on GGT dev 0.05 and 0.2 gave the same speaker accuracy)."""
NAME_TABLE_MIN_COUNT = 20
"""Names seen fewer times than this in the package's registers are not trusted."""


@lru_cache(maxsize=1)
def _name_table() -> bytes | None:
    """The package's name_data.json as bytes (read once; the keys are sorted)."""
    try:
        spec = importlib.util.find_spec(NAME_TABLE_PACKAGE)  # no import: its module needs pandas
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "name_data.json"
    try:
        return path.read_bytes()
    except OSError:
        return None


def _entry_at(raw: bytes, pos: int) -> tuple[str, int, int] | None:
    """The (key, start, end) of the first entry that starts at or after byte ``pos``."""
    if pos <= 1:
        k0 = 1
    else:
        k0 = raw.find(b'], "', pos)
        if k0 < 0:
            return None
        k0 += 3
    k1 = raw.find(b'": [', k0)
    if k1 < 0:
        return None
    try:
        key = json.loads(raw[k0 : k1 + 1])
    except ValueError:
        return None
    end = raw.find(b'], "', k1)
    return key, k0, (len(raw) if end < 0 else end + 1)


@lru_cache(maxsize=4096)
def first_name_gender(first: str) -> str | None:
    """'m', 'f' or None for a given name, from the optional name table (binary search)."""
    raw = _name_table()
    key = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode().lower().strip(".")
    if raw is None or len(key) < 2 or not key.isalpha():
        return None
    lo, hi = 0, len(raw)
    while lo < hi:
        mid = (lo + hi) // 2
        e = _entry_at(raw, mid)
        if e is None or e[0] >= key:
            hi = mid
        else:
            lo = mid + 1
    e = _entry_at(raw, lo)
    if e is None or e[0] != key:
        return None
    try:
        values = json.loads(raw[raw.find(b"[", e[1] + len(key)) : e[2]])
    except ValueError:
        return None
    count, p_female = values[1], values[2]
    if count < NAME_TABLE_MIN_COUNT:
        return None
    if p_female >= 1 - NAME_TABLE_CERTAINTY:
        return "f"
    if p_female <= NAME_TABLE_CERTAINTY:
        return "m"
    return None


# ------------------------------------------------------------------------ genders




def _given_name(name: str) -> str | None:
    toks = name.split()
    if not toks or toks[0].lower() in NAME_PARTICLES:
        return None
    return toks[0]


def _genders(doc, text: str, mentions: list[Mention], sents) -> dict[str, str]:
    """Person name → 'm' or 'f': in-article evidence first (honorifics, gendered role and
    kinship nouns, pronouns of sentences about one person), then the given-name table."""
    votes: dict[str, Counter] = {}
    persons_by_sent: dict[int, set[str]] = {}
    starts = [s.start_char for s in sents]
    subjects_by_sent: dict[int, set[str]] = {}
    names: list[str] = []
    for m in mentions:
        if m.type != "PERSON":
            continue
        if m.name not in votes:
            names.append(m.name)
        si = bisect.bisect_right(starts, m.span.start) - 1
        persons_by_sent.setdefault(si, set()).add(m.name)
        span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if span is not None and (span.root.dep_ in ("nsubj", "nsubjpass") or span.root.head.dep_ in ("nsubj", "nsubjpass") and span.root.dep_ in ("appos", "compound")):
            subjects_by_sent.setdefault(si, set()).add(m.name)
        before = text[max(0, m.span.start - 6) : m.span.start].strip().split()
        c = votes.setdefault(m.name, Counter())
        if before and before[-1].lower() in HONORIFICS and HONORIFICS[before[-1].lower()]:
            c[HONORIFICS[before[-1].lower()]] += 3
        if m.role:
            for w in m.role.lower().replace("-", " ").split():
                g = ROLE_GENDER.get(w.strip(",."))
                if g:
                    c[g] += 3
    current: str | None = None
    for si, sent in enumerate(sents):
        names_here = persons_by_sent.get(si)
        if names_here is not None:
            subj = subjects_by_sent.get(si, set())
            current = next(iter(names_here)) if len(names_here) == 1 and subj == names_here else None
        if current is None:
            continue
        for t in sent:
            g = PRONOUNS.get(t.lower_)
            if g in ("m", "f") and t.pos_ == "PRON":
                votes.setdefault(current, Counter())[g] += 1
    out = {}
    for name in names:
        c = votes.get(name, Counter())
        (g, n), *rest = c.most_common(2) + [(None, 0), (None, 0)]
        if n > rest[0][1]:
            out[name] = g
        elif USE_NAME_TABLE:
            first = _given_name(name)
            g = first_name_gender(first) if first else None
            if g is not None:
                out[name] = g
    return out


USE_NAME_TABLE = True
"""Switch for the given-name table (measured on GGT dev; see docs/bench/ggt.md)."""


