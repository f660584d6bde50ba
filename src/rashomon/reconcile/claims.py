"""Align claims across a story: agreed, conflicting or single-source, and who is silent.

1. embed every claim mention of the story;
2. link mentions from different articles that say the same thing: a score that adds to
   the embeddings' cosine the overlap of rare content words and the facts they share (an
   actor, a number, a date) must pass :data:`LINK_SCORE`; a merge must keep every pair
   above :data:`GROUP_MIN_SCORE` (complete link), so no chain joins two different facts;
3. compare the facts of the aligned mentions: a number, a date or a negation that
   differs is a conflict with a note saying who says which; a bound ("at least six")
   never conflicts with a value it admits;
4. count independent articles (a syndicated copy counts once) for the status.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..model import Analysis, Claim, ClaimMention, Conflict, EntityResolution, Span

# Thresholds tuned by reading the alignments of the five seed articles and of three
# Timeline17 topics (bpoil, H1N1, haiti); raised until no pair a careful reader would
# split was joined. Not fitted to any gold label.
LINK_SCORE = 0.83
"""score = cosine + LEXICAL_WEIGHT × rare-word overlap + FACT_WEIGHT × rare-fact overlap
+ PREDICATE_WEIGHT × shared predicate-argument pairs."""
LEXICAL_WEIGHT = 0.5
FACT_WEIGHT = 0.4
PREDICATE_WEIGHT = 0.2
"""Predicate-argument pairs ("agree>location", from the parse: see
rashomon.analyze.claims._terms) only add: two clauses that share one say the same thing of
the same object ("the location has been approved" / "both sides agreeing on a location").
ECB+ topics 1-20 (benchmarks/ecbplus_claims.py), link P / R before -> after: mixed topics
79.0 / 28.9 -> 81.5 / 29.8; per sub-event 91.8 / 30.6 -> 92.1 / 29.8. Counting the pairs
among the content words instead (so that they also dilute) gave 77.6 / 26.9 and 91.3 / 29.4."""
MIN_PAIR_COSINE = 0.40
GROUP_MIN_SCORE = 0.58
MAX_NEIGHBOURS = 16
"""Pairs scored per mention: its nearest neighbours by cosine in other articles."""
BLOCK = 1024
"""Complete link: every pair in a claim scores at least this."""
CONFLICT_SCORE = 0.95
"""Mentions this alike, differing on a fact, conflict; less alike is a different scope."""
MAJORITY = 0.5
"""A claim most other articles report (over this share, at least two) is one an outlet omits."""

_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{3,60})[\"\u201d]")
_CHARACTERISED = re.compile(
    r"\b(?:as|called|calling|described|describing|characteri[sz]ed|termed)\s+"
    r"((?:(?:highly|very|extremely|unexpectedly|quite|most|really|largely)\s+)?"
    r"[a-z]+(?:ive|ful|al|ic|ous|ble|ent|ant|like|ing)\b(?:\s+and\s+[a-z]+(?:ive|ful|al|ic|ous|ble|ent|ant|like))?)",
)


@dataclass(slots=True)
class _Group:
    members: list[int] = field(default_factory=list)


def _independent(analyses: Sequence[Analysis]) -> dict[str, str]:
    """article id → the article it counts as (itself, or the original it copies)."""
    return {a.article.id: a.article.duplicate_of or a.article.id for a in analyses}


def _key_facts(mention: ClaimMention) -> set[tuple[str, str]]:
    """Facts that identify what a claim is about: numbers by value (unit and bound aside)."""
    out = set()
    for f in mention.facts:
        if f.kind == "number":
            out.add(("number", f.value.lstrip("~").split(" ", 1)[0]))
        elif f.kind in ("actor", "date", "duration", "place"):
            out.add((f.kind, f.value.lower()))
    return out


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
STOPWORDS = frozenset("""
about after again against also among been before being between both could does down during each
even from further have having here into just last later like made make many more most much must
near next only other over said says same should since some such than that their them then there
these they this those through under until upon very were what when where which while will with
would your according told added stated week year years month months days today earlier""".split())


def _content_words(text: str) -> set[str]:
    """Lower-case content words, a trailing plural s dropped ("locations" = "location")."""
    out = set()
    for w in _WORD.findall(text):
        w = w.lower().strip("'-")
        if w in STOPWORDS or len(w) < 4:
            continue
        out.add(w[:-1] if w.endswith("s") and not w.endswith("ss") else w)
    return out


def _plain_terms(mention: ClaimMention) -> set[str]:
    return {t for t in mention.terms if ">" not in t}


def _predicate_terms(mention: ClaimMention) -> set[str]:
    """The claim's predicate-argument pairs ("agree>location")."""
    return {t for t in mention.terms if ">" in t}


class _Overlap:
    """IDF-weighted overlap of item sets: what two share that few others have.

    The mean of the weighted Jaccard index and the weighted overlap coefficient, so a short
    clause whose rare words all recur in a longer one still scores high."""

    def __init__(self, sets: list[set], weight=lambda item: 1.0):
        n = len(sets)
        df: dict = {}
        for items in sets:
            for x in items:
                df[x] = df.get(x, 0) + 1
        self.idf = {x: weight(x) * float(np.log(1 + n / c)) for x, c in df.items()}
        self.sets = sets
        self.mass = [sum(self.idf[x] for x in items) for items in sets]

    def __call__(self, i: int, j: int) -> float:
        shared = self.sets[i] & self.sets[j]
        if not shared:
            return 0.0
        inter = sum(self.idf[x] for x in shared)
        union = self.mass[i] + self.mass[j] - inter
        return (inter / (union or 1.0) + inter / (min(self.mass[i], self.mass[j]) or 1.0)) / 2


class _Scorer:
    """Pair scores, computed when asked: cosine + LEXICAL_WEIGHT × rare-word overlap +
    FACT_WEIGHT × rare-fact overlap. ``scorer[i, j]`` is the score."""

    def __init__(self, vectors: np.ndarray, words: list[set], facts: list[set], predicates: list[set] | None = None):
        self.vectors = vectors
        self.words = _Overlap(words)
        self.fact_sets = facts
        self.facts = _Overlap(facts, weight=_fact_weight)
        self.predicates = _Overlap(predicates) if predicates else None
        self.cache: dict[tuple[int, int], float] = {}
        self.cosines: dict[tuple[int, int], float] = {}
        """Cosines :func:`_candidates` already computed (pair scoring reads them)."""

    def cos(self, i: int, j: int) -> float:
        known = self.cosines.get((i, j) if i < j else (j, i))
        return known if known is not None else float(self.vectors[i] @ self.vectors[j])

    def __getitem__(self, pair: tuple[int, int]) -> float:
        i, j = pair
        if i == j:
            return 1.0 + LEXICAL_WEIGHT + FACT_WEIGHT
        key = (i, j) if i < j else (j, i)
        if key not in self.cache:
            score = self.cos(i, j) + LEXICAL_WEIGHT * self.words(i, j) + FACT_WEIGHT * self.facts(i, j)
            if self.predicates is not None:
                score += PREDICATE_WEIGHT * self.predicates(i, j)
            self.cache[key] = score
        return self.cache[key]


def _candidates(vectors: np.ndarray, owner: list[str], cosines: dict | None = None) -> list[tuple[int, int]]:
    """Pairs from different articles worth scoring: each mention's nearest neighbours by
    cosine (at most MAX_NEIGHBOURS, at least MIN_PAIR_COSINE), in row blocks so memory stays
    flat however large the story. Their cosines go into ``cosines`` when given."""
    n = len(owner)
    owners = np.array([hash(o) for o in owner])
    pairs: set[tuple[int, int]] = set()
    for start in range(0, n, BLOCK):
        block = vectors[start:start + BLOCK] @ vectors.T
        for r in range(block.shape[0]):
            i = start + r
            row = block[r]
            row[owners == owners[i]] = -1.0
            k = min(MAX_NEIGHBOURS, n - 1)
            if k <= 0:
                continue
            top = np.argpartition(-row, k - 1)[:k] if k < n else np.arange(n)
            for j in top:
                if row[j] >= MIN_PAIR_COSINE:
                    pair = (i, int(j)) if i < j else (int(j), i)
                    pairs.add(pair)
                    if cosines is not None:
                        cosines[pair] = float(row[j])
    return sorted(pairs)


def mention_scorer(mentions: Sequence[ClaimMention], owner: Sequence[str], resolution: EntityResolution | None,
                   vectors: np.ndarray) -> _Scorer:
    """Pair scores of a story's claim mentions (``owner[i]``: the article of mention i)."""
    words = [_plain_terms(m) or _content_words(m.span.text) for m in mentions]
    facts = [_canonical_facts(m, owner[i], resolution) for i, m in enumerate(mentions)]
    return _Scorer(vectors, words, facts, [_predicate_terms(m) for m in mentions])


def align_claims(analyses: Sequence[Analysis], resolution: EntityResolution | None) -> tuple[list[Claim], dict]:
    """The story's claims (most supported first) and its claim × article coverage matrix."""
    from ..analyze.embed import embed

    mentions: list[ClaimMention] = []
    owner: list[str] = []
    for analysis in analyses:
        for claim in analysis.claims:
            mentions.append(claim)
            owner.append(analysis.article.id)
    if not mentions:
        return [], {"articles": [a.article.id for a in analyses], "claims": [], "matrix": []}
    if len({owner[i] for i in range(len(mentions))}) < 2:
        vectors = np.zeros((len(mentions), 384), dtype=np.float32)  # one article: nothing to align
    else:
        vectors = embed([m.span.text for m in mentions])
    sims = mention_scorer(mentions, owner, resolution, vectors)
    days = [{f.value for f in m.facts if f.kind == "date" and _DAY.fullmatch(f.value)} for m in mentions]
    numbers = [{unit: value for unit, (value, _) in _numbers(m).items() if unit} for m in mentions]
    groups = _link(sims, _candidates(vectors, owner, sims.cosines), owner, days, numbers)
    independent = _independent(analyses)
    order = {a.article.id: i for i, a in enumerate(analyses)}
    claims = [_make_claim(g, mentions, owner, sims, sims.fact_sets, independent, order) for g in groups]
    claims.sort(key=lambda c: (-len({independent[a] for a in c.articles}), _first_position(c, order), c.id))
    return claims, coverage_matrix(claims, analyses)


def _canonical_facts(mention: ClaimMention, article_id: str, resolution: EntityResolution | None) -> set[tuple[str, str]]:
    # two characterisations with the same evaluative word describe the same thing
    out = {("assessment", phrase.lower().split()[-1]) for phrase in _assessments(mention.span.text)}
    for kind, value in _key_facts(mention):
        if kind in ("actor", "place") and resolution is not None:
            entity = resolution.entity_for(article_id, value) or resolution.entity_for(article_id, value.title())
            value = entity.id if entity else value
        out.add((kind, value))
    return out


def _fact_weight(fact: tuple[str, str]) -> float:
    """A shared characterisation, number or duration says more than a shared actor that
    everyone in the story names."""
    if fact[0] == "assessment":
        return 3.0
    return 2.0 if fact[0] in ("number", "duration") and fact[1] not in ("1", "2") else 1.0


_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def _apart(i: int, j: int, sims: "_Scorer", days: list[set[str]], numbers: list[dict[str, str]]) -> bool:
    """Mentions that must not be one claim: dated to different days (the same words on
    another day are another event), or differing on a number of the same unit unless they
    are alike enough to be a conflict (23 vs 26 pirates is most often another incident).
    The number rule was measured on ECB+ (benchmarks/ecbplus_claims.py): link precision on
    mixed topics 75.9 → 79.0, better on topics 1–10 and 11–20 alike, recall unchanged."""
    if days[i] and days[j] and not days[i] & days[j]:
        return True
    differ = any(numbers[i][u] != numbers[j][u] for u in numbers[i].keys() & numbers[j].keys())
    return differ and sims[i, j] < CONFLICT_SCORE


def _link(sims: _Scorer, candidates: list[tuple[int, int]], owner: list[str], days: list[set[str]],
          numbers: list[dict[str, str]]) -> list[list[int]]:
    """Complete-link grouping, best pairs first; mentions that must stay apart never link."""
    n = len(owner)
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    pairs = []
    for i, j in candidates:
        if _apart(i, j, sims, days, numbers):
            continue
        s = sims[i, j]
        if s >= LINK_SCORE:
            pairs.append((-s, i, j))
    for _, i, j in sorted(pairs):
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a, b = members[gi], members[gj]
        if {owner[x] for x in a} & {owner[y] for y in b}:
            continue  # one article's mention per claim: keeps distinct facts apart
        if min(sims[x, y] for x in a for y in b) < GROUP_MIN_SCORE:
            continue
        if any(_apart(x, y, sims, days, numbers) for x in a for y in b):
            continue
        keep, drop = (gi, gj) if gi < gj else (gj, gi)
        members[keep] = sorted(members[keep] + members.pop(drop))
        for x in members[keep]:
            group_of[x] = keep
    return [members[k] for k in sorted(members)]


def _make_claim(group: list[int], mentions, owner, sims, facts, independent, order) -> Claim:
    # the representative: most like the others, then earliest in the story
    def centrality(i: int) -> float:
        return float(np.mean([sims[i, j] for j in group])) if len(group) > 1 else 1.0  # noqa: E501

    rep = max(group, key=lambda i: (readable(mentions[i].span.text), round(centrality(i), 6),
                                    -order[owner[i]], -mentions[i].span.start))
    support = tuple(sorted((mentions[i].span for i in group), key=lambda s: (order[s.article], s.start)))
    conflicts = _conflicts(group, mentions, owner, sims)
    articles = tuple(sorted({owner[i] for i in group}, key=lambda a: order[a]))
    n_independent = len({independent[a] for a in articles})
    status = "conflicting" if conflicts else "agreed" if n_independent >= 2 else "single_source"
    digest = hashlib.sha1("|".join(f"{s.article}:{s.start}:{s.end}" for s in support).encode()).hexdigest()[:12]
    return Claim(
        id=f"c{digest}",
        text=mentions[rep].span.text,
        status=status,
        support=support,
        conflicts=tuple(conflicts),
        articles=articles,
        wordings=tuple(_wordings(mentions[i].span.text for i in group)) if len(group) > 1 else (),
    )


PRONOUN_STARTS = ("he ", "she ", "they ", "it ", "this ", "that ", "these ", "those ", "his ", "her ", "their ")


def readable(text: str) -> int:
    """How well a clause reads alone: 2 a full sentence naming its subject, 1 capitalised,
    0 a fragment ("has recently voiced ...")."""
    if not text[:1].isupper():
        return 0
    if text.lower().startswith(PRONOUN_STARTS) or text.rstrip()[-1:] not in ".!?\"\u201d":
        return 1
    return 2


def _numbers(mention: ClaimMention) -> dict[str, tuple[str, Span]]:
    """unit → (value, span) for exact numbers and durations; bounds ("at least six",
    "about three hours") are left out: they admit the other value."""
    out = {}
    for f in mention.facts:
        if f.kind == "number" and not f.value.startswith("~"):
            value, _, unit = f.value.partition(" ")
            out.setdefault(unit, (value, f.span))
        elif f.kind == "duration" and f.value.startswith("P") and not _approximate(f.span):
            unit = "duration:" + f.value.rstrip("0123456789.")[-1:]  # P3H → hours, P2D → days
            out.setdefault(unit, (f.value, f.span))
    return out


def _approximate(span: Span) -> bool:
    return any(span.text.lower().startswith(w) for w in ("about", "around", "nearly", "almost", "some", "more than"))


def _conflicts(group, mentions, owner, sims) -> list[Conflict]:
    """Aligned mentions that differ on a number of the same unit, or where one denies the
    very verb the other affirms. Anything less specific is a difference of scope."""
    out = []
    for x in range(len(group)):
        for y in range(x + 1, len(group)):
            i, j = group[x], group[y]
            if float(sims[i, j]) < CONFLICT_SCORE:
                continue
            ni, nj = _numbers(mentions[i]), _numbers(mentions[j])
            for unit in sorted(set(ni) & set(nj)):
                if unit and ni[unit][0] != nj[unit][0]:
                    note = (f"{unit.replace('duration:', 'duration ')}: article {owner[i]} says {ni[unit][1].text!r}, "
                            f"article {owner[j]} says {nj[unit][1].text!r}")
                    out.append(Conflict(nj[unit][1], note))
            for a, b in ((i, j), (j, i)):
                for f in mentions[a].facts:
                    verb = f.value.split(":", 1)[1] if f.kind == "negation" and ":" in f.value else None
                    if verb and verb in mentions[b].terms and \
                            not any(g.kind == "negation" and g.value == f.value for g in mentions[b].facts):
                        out.append(Conflict(f.span, f"negation: article {owner[a]} says {verb!r} did not happen "
                                                    f"({mentions[a].span.text!r}); article {owner[b]} says it did"))
    return out


EVALUATIVE = re.compile(r"[a-z]+(?:ive|ful|ic|ous|ble|(?<!m)ent|ant|like|less|ary|ory|ing)$")
"""Adjective endings ("constructive", "useful", "businesslike"); "-ment" nouns excluded."""


def _assessments(text: str) -> list[str]:
    """Evaluative phrases: a quoted or "described as" phrase ending in an adjective."""
    out = []
    for m in list(_QUOTED.finditer(text)) + list(_CHARACTERISED.finditer(text)):
        phrase = m.group(1).strip(" ,.")
        words = phrase.lower().split()
        if 1 <= len(words) <= 5 and EVALUATIVE.fullmatch(words[-1]):
            out.append(phrase)
    return out


def _wordings(texts) -> list[str]:
    """Distinct characterisations of the same thing ("useful and constructive" …)."""
    seen: dict[str, str] = {}
    for text in texts:
        for phrase in _assessments(text):
            seen.setdefault(phrase.lower(), phrase)
    return [seen[k] for k in sorted(seen)] if len(seen) > 1 else []


def _first_position(claim: Claim, order: dict[str, int]) -> float:
    return min(s.start for s in claim.support) / 10_000 + min(order[a] for a in claim.articles) / 1_000


def single_source_by_article(claims: Sequence[Claim]) -> dict[str, list[str]]:
    """article id → ids of the single-source claims only it reports (in claim order)."""
    alone_of: dict[str, list[str]] = {}
    for c in claims:
        if c.status == "single_source" and len(c.articles) == 1:
            alone_of.setdefault(c.articles[0], []).append(c.id)
    return alone_of


def coverage_matrix(claims: Sequence[Claim], analyses: Sequence[Analysis]) -> dict:
    """Claim × article: "reports", "contradicts" or "silent"; per article what it alone
    reports and what most others report but it omits."""
    ids = [a.article.id for a in analyses]
    matrix = []
    for claim in claims:
        contradicting = {c.span.article for c in claim.conflicts}
        reporting = set(claim.articles)
        matrix.append(["contradicts" if a in contradicting else "reports" if a in reporting else "silent"
                       for a in ids])
    others = len(ids) - 1
    # claims most others report: an article silent on one omits it (counted once per row)
    widely = [row for row in range(len(claims))
              if others >= 2 and (n := sum(1 for v in matrix[row] if v != "silent")) >= 2 and n / others > MAJORITY]
    alone_of = single_source_by_article(claims)
    per_article = {}
    for col, article_id in enumerate(ids):
        omits = [claims[row].id for row in widely if matrix[row][col] == "silent"]
        per_article[article_id] = {"alone": alone_of.get(article_id, []), "omits": omits}
    return {"articles": ids, "claims": [c.id for c in claims], "matrix": matrix, "per_article": per_article}
