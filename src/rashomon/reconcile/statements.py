"""One statement across a story: group every article's rendering of it.

``group_statements(analyses, resolution)`` puts the quotes of a story's articles into
:class:`~rashomon.model.Statement` records. Two quotes from different articles are
renderings of one statement when

1. their speakers are the same story entity (``resolution.entity_for``), person entities
   with one surname and first names a spelling apart ("Marta"/"Martha Kovalenko") or a
   bare surname beside the one full name counting as one; without a resolution, the same speaker name, a surname-only name counting as the full name that
   ends with it ("Ushakov" ~ "Yuri Ushakov") and spelling variants of one surname and
   first initial counting as one ("Yuri" ~ "Yury Ushakov");
2. one quotes the other word for word, or their meaning is close: cosine of their embeddings at least :data:`MIN_SIMILARITY`, or
   at least :data:`MIN_SIMILARITY_WITH_WORDS` when they also share content words
   (Jaccard ≥ :data:`MIN_SHARED_WORDS`) — translations and paraphrases differ in wording.

Clusters grow greedily from the most similar pair and merge only when every cross pair
passes the test above (complete link), so a speaker's different statements do not chain
together. Two renderings in one article need a stricter test. Quotes without a speaker stay
single. Ids are hashes of the variants' spans; order is by first article, then offset.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from ..model import Analysis, EntityResolution, Quote, QuoteVariant, Statement

MIN_SIMILARITY = 0.62
"""Cosine (all-MiniLM-L6-v2) above which two same-speaker quotes are one statement
(tuned on the seeds: Ushakov's summit statement in RIA Novosti vs Interfax wording ≈ 0.85,
TASS's indirect report of it ≈ 0.55–0.6; his other statements fall below 0.5)."""
MIN_SIMILARITY_WITH_WORDS = 0.45
"""Lower cosine accepted when the two share content words (indirect reports, seeds)."""
MIN_SIMILARITY_WITH_PHRASE = 0.25
"""Lower still when they share a lower-case two-word phrase ("in the coming days": the
TASS report and the RIA Novosti quote of Ushakov, cosine ≈ 0.35, Interfax's lede
paraphrase ≈ 0.28; seeds)."""
MIN_SIMILARITY_SAME_ARTICLE = 0.8
"""Two renderings in one article (a lede paraphrase and the quote) need this cosine, or a
shared phrase (seeds)."""
MIN_CONTAINED_WORDS = 3
"""A rendering whose words (at least this many) appear in order inside another's is the
same statement: one outlet quoted part of what another quoted in full (seeds)."""
MIN_SHARED_WORDS = 0.15
"""Jaccard of content-word lemmas-by-prefix that counts as shared wording (seeds)."""

_STOP = frozenset(
    """a an the of to in on at for and or but with by from as is are was were be been being it its
    this that these those we our us i you he she they them his her their will would can could
    should may might must have has had do does did not no so than then there here which who what
    when where while about into over after before also just very more most such both all any""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


def _content_words(text: str) -> frozenset[str]:
    # a 5-letter prefix stands in for a lemma: agreed/agreement, summit/summits
    return frozenset(w.lower()[:5] for w in _WORD.findall(text) if w.lower() not in _STOP)


def _bigrams(text: str) -> frozenset[tuple[str, str]]:
    """Consecutive lower-case content words: a shared phrase ("coming days") survives translation."""
    words = [w for w in _WORD.findall(text) if w.lower() not in _STOP]
    return frozenset((a[:5], b[:5]) for a, b in zip(words, words[1:]) if a.islower() and b.islower())


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _speaker_keys(items: list[tuple[str, Quote]], resolution: EntityResolution | None) -> list[str | None]:
    keys: list[str | None] = []
    names = sorted({q.speaker_name for _, q in items if q.speaker_name})
    # without a resolution: a name maps to the longest name ending with its words
    # and spelling variants with the same surname and first initial ("Yuri"/"Yury Ushakov")
    canon: dict[str, str] = {}
    for n in names:
        toks = n.split()
        longer = [m for m in names if len(m.split()) > len(toks) and m.split()[-len(toks):] == toks]
        canon[n] = max(longer, key=lambda m: (len(m.split()), m)) if len(set(longer)) == 1 else n
    for n in names:
        c = canon[n].split()
        if len(c) >= 2:
            same = sorted(m for m in set(canon.values()) if len(m.split()) >= 2 and m.split()[-1] == c[-1] and m[0] == c[0][0])
            canon[n] = same[0]
    person_keys: dict[str, str] = {}
    for aid, q in items:
        if q.speaker_name is None:
            keys.append(None)
            continue
        entity = resolution.entity_for(aid, q.speaker_name) if resolution is not None else None
        if entity is not None:
            keys.append(f"e:{entity.id}")
            if entity.type == "PERSON":
                person_keys[f"e:{entity.id}"] = entity.name
        else:
            keys.append(f"n:{canon.get(q.speaker_name, q.speaker_name)}")
    merged = _spelling_variants(person_keys)
    return [merged.get(k, k) if k is not None else None for k in keys]


MAX_FIRST_NAME_EDITS = 2
"""Two story entities whose names share a surname and whose first names differ by at most
this many edits ("Marta"/"Martha", "Yuri"/"Yury") speak as one; a surname-only entity
joins the one full name with that surname (demo corpus, seeds)."""


def _edits(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a.lower(), b.lower())


def _spelling_variants(names: dict[str, str]) -> dict[str, str]:
    """Key → key of the entity it speaks as, for person entities that the resolution kept
    apart but that name one speaker: transliterations and a bare surname."""
    by_surname: dict[str, list[str]] = {}
    for key in sorted(names):
        toks = names[key].split()
        if toks:
            by_surname.setdefault(toks[-1].lower(), []).append(key)
    out: dict[str, str] = {}
    for keys in by_surname.values():
        full = [k for k in keys if len(names[k].split()) >= 2]
        groups: list[list[str]] = []
        for k in full:
            first = names[k].split()[0]
            for g in groups:
                if all(names[x].split()[0][:1].lower() == first[:1].lower()
                       and _edits(names[x].split()[0], first) <= MAX_FIRST_NAME_EDITS for x in g):
                    g.append(k)
                    break
            else:
                groups.append([k])
        for g in groups:
            for k in g:
                out[k] = g[0]
        bare = [k for k in keys if len(names[k].split()) == 1]
        if len(groups) == 1:
            for k in bare:
                out[k] = groups[0][0]
    return out


def _variant(q: Quote) -> QuoteVariant:
    return QuoteVariant(q.span, q.kind, q.cue, q.relays, q.speaker_span)


def group_statements(analyses: Sequence[Analysis], resolution: EntityResolution | None) -> list[Statement]:
    """Statements of a story, each with every article's rendering of it."""
    order = {a.article.id: i for i, a in enumerate(analyses)}
    items: list[tuple[str, Quote]] = [(a.article.id, q) for a in analyses for q in a.quotes]
    if not items:
        return []
    keys = _speaker_keys(items, resolution)
    words = [_content_words(q.span.text) for _, q in items]
    vectors = None
    # only a speaker heard more than once has renderings to compare
    by_key: dict = {}
    for i, key in enumerate(keys):
        if key is not None:
            by_key.setdefault(key, []).append(i)
    shared = sorted(i for members in by_key.values() if len(members) > 1 for i in members)
    if shared:
        from ..analyze.embed import DIMENSIONS, embed

        vectors = np.zeros((len(items), DIMENSIONS), dtype=np.float32)
        vectors[shared] = embed([items[i][1].span.text for i in shared])

    grams = [_bigrams(q.span.text) for _, q in items]
    flat = [" " + " ".join(w.lower() for w in _WORD.findall(q.span.text)) + " " for _, q in items]

    def contained(i: int, j: int) -> bool:
        """One rendering quotes the other word for word ("This can be a historic meeting")."""
        a, b = sorted((flat[i], flat[j]), key=len)
        return len(a.split()) >= MIN_CONTAINED_WORDS and a in b

    def score(i: int, j: int) -> float:
        return 1.0 if contained(i, j) else float(vectors[i] @ vectors[j])

    def close(i: int, j: int) -> bool:
        if keys[i] is None or keys[i] != keys[j] or vectors is None:
            return False
        if contained(i, j):
            return True
        sim = float(vectors[i] @ vectors[j])
        shared_phrase = sim >= MIN_SIMILARITY_WITH_PHRASE and bool(grams[i] & grams[j])
        if items[i][0] == items[j][0]:
            return sim >= MIN_SIMILARITY_SAME_ARTICLE or shared_phrase
        return (sim >= MIN_SIMILARITY or shared_phrase
                or (sim >= MIN_SIMILARITY_WITH_WORDS and _jaccard(words[i], words[j]) >= MIN_SHARED_WORDS))

    pairs = []
    for members_of_key in by_key.values():  # close() is False across speakers
        for x, i in enumerate(members_of_key):
            for j in members_of_key[x + 1:]:
                if close(i, j):
                    pairs.append((-score(i, j), i, j))
    pairs.sort()
    cluster = list(range(len(items)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    for _, i, j in pairs:
        a, b = cluster[i], cluster[j]
        if a == b:
            continue
        ma, mb = members[a], members[b]
        # complete link: every cross pair must pass, so a speaker's statements do not chain
        if not all(close(x, y) for x in ma for y in mb):
            continue
        for k in mb:
            cluster[k] = a
        members[a] = ma + mb
        del members[b]

    statements = []
    for group in members.values():
        group.sort(key=lambda k: (order[items[k][0]], items[k][1].span.start))
        quotes = [items[k][1] for k in group]
        first_aid = items[group[0]][0]
        entity = None
        if resolution is not None:
            for k in group:
                entity = resolution.entity_for(items[k][0], items[k][1].speaker_name)
                if entity is not None:
                    break
        names = [q.speaker_name for q in quotes if q.speaker_name]
        speaker_name = entity.name if entity is not None else (max(names, key=lambda n: (len(n.split()), n)) if names else None)
        direct = [q for q in quotes if q.kind == "direct"]
        text = (direct or quotes)[0].span.text
        digest = hashlib.sha1("|".join(f"{q.span.article}:{q.span.start}:{q.span.end}" for q in quotes).encode()).hexdigest()[:12]
        statements.append((
            (order[first_aid], quotes[0].span.start),
            Statement(f"st_{digest}", entity.id if entity is not None else None, speaker_name, text,
                      tuple(_variant(q) for q in quotes)),
        ))
    statements.sort(key=lambda s: s[0])
    return [s for _, s in statements]
