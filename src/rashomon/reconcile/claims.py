"""Align claims across a story: agreed, conflicting or single-source, and who is silent.

1. embed every claim mention of the story;
2. link mentions from different articles that say the same thing: cosine similarity
   above :data:`LINK_COSINE`, or above :data:`LINK_COSINE_WITH_FACT` when they share a fact
   (an actor, a number, a date); a merge must keep every pair above :data:`MIN_PAIR_COSINE`
   (complete link), so no chain joins two different facts;
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
LINK_COSINE = 0.78
LINK_COSINE_WITH_FACT = 0.60
MIN_PAIR_COSINE = 0.45
CONFLICT_COSINE = 0.72
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
    return {(f.kind, f.value.lower()) for f in mention.facts if f.kind in ("actor", "number", "date", "duration", "place")}


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
    vectors = embed([m.span.text for m in mentions])
    sims = vectors @ vectors.T
    facts = [_canonical_facts(m, owner[i], resolution) for i, m in enumerate(mentions)]
    groups = _link(sims, facts, owner)
    independent = _independent(analyses)
    order = {a.article.id: i for i, a in enumerate(analyses)}
    claims = [_make_claim(g, mentions, owner, sims, facts, independent, order) for g in groups]
    claims.sort(key=lambda c: (-len({independent[a] for a in c.articles}), _first_position(c, order), c.id))
    return claims, coverage_matrix(claims, analyses)


def _canonical_facts(mention: ClaimMention, article_id: str, resolution: EntityResolution | None) -> set[tuple[str, str]]:
    out = set()
    for kind, value in _key_facts(mention):
        if kind in ("actor", "place") and resolution is not None:
            entity = resolution.entity_for(article_id, value) or resolution.entity_for(article_id, value.title())
            value = entity.id if entity else value
        out.add((kind, value))
    return out


def _link(sims: np.ndarray, facts: list[set], owner: list[str]) -> list[list[int]]:
    n = len(owner)
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    pairs = []
    for i in range(n):
        for j in range(i + 1, n):
            if owner[i] == owner[j]:
                continue
            s = float(sims[i, j])
            shared = facts[i] & facts[j]
            if s >= LINK_COSINE or (s >= LINK_COSINE_WITH_FACT and shared):
                pairs.append((-s, i, j))
    for _, i, j in sorted(pairs):
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a, b = members[gi], members[gj]
        if {owner[x] for x in a} & {owner[y] for y in b}:
            continue  # one article's mention per claim: keeps distinct facts apart
        if min(float(sims[x, y]) for x in a for y in b) < MIN_PAIR_COSINE:
            continue
        keep, drop = (gi, gj) if gi < gj else (gj, gi)
        members[keep] = sorted(members[keep] + members.pop(drop))
        for x in members[keep]:
            group_of[x] = keep
    return [members[k] for k in sorted(members)]


def _make_claim(group: list[int], mentions, owner, sims, facts, independent, order) -> Claim:
    # the representative: most like the others, then earliest in the story
    def centrality(i: int) -> float:
        return float(np.mean([sims[i, j] for j in group])) if len(group) > 1 else 1.0

    rep = max(group, key=lambda i: (round(centrality(i), 6), -order[owner[i]], -mentions[i].span.start))
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


def _numbers(mention: ClaimMention) -> dict[str, tuple[str, Span]]:
    """unit → (value, span) for exact numbers (bounds like "at least six" are left out)."""
    out = {}
    for f in mention.facts:
        if f.kind in ("number", "duration") and not f.value.startswith("~"):
            parts = f.value.split(" ", 1)
            unit = parts[1] if len(parts) > 1 else ""
            if f.kind == "duration":
                unit = "duration"
            out.setdefault(unit, (parts[0] if f.kind == "number" else f.value, f.span))
    return out


def _conflicts(group, mentions, owner, sims) -> list[Conflict]:
    out = []
    for x in range(len(group)):
        for y in range(x + 1, len(group)):
            i, j = group[x], group[y]
            if float(sims[i, j]) < CONFLICT_COSINE:
                continue
            ni, nj = _numbers(mentions[i]), _numbers(mentions[j])
            for unit in sorted(set(ni) & set(nj)):
                if unit and ni[unit][0] != nj[unit][0]:
                    what = unit or "number"
                    note = (f"{what}: article {owner[i]} says {ni[unit][1].text!r}, "
                            f"article {owner[j]} says {nj[unit][1].text!r}")
                    out.append(Conflict(nj[unit][1], note))
            neg_i = any(f.kind == "negation" for f in mentions[i].facts)
            neg_j = any(f.kind == "negation" for f in mentions[j].facts)
            if neg_i != neg_j and float(sims[i, j]) >= 0.9:
                negated = mentions[i] if neg_i else mentions[j]
                out.append(Conflict(negated.span, f"negation: article {negated.span.article} denies what the other affirms"))
    return out


def _wordings(texts) -> list[str]:
    """Distinct characterisations ("useful and constructive", "highly productive")."""
    seen: dict[str, str] = {}
    for text in texts:
        for m in list(_QUOTED.finditer(text)) + list(_CHARACTERISED.finditer(text)):
            phrase = m.group(1).strip(" ,.")
            if 1 <= len(phrase.split()) <= 5:
                seen.setdefault(phrase.lower(), phrase)
    return [seen[k] for k in sorted(seen)] if len(seen) > 1 else []


def _first_position(claim: Claim, order: dict[str, int]) -> float:
    return min(s.start for s in claim.support) / 10_000 + min(order[a] for a in claim.articles) / 1_000


def coverage_matrix(claims: Sequence[Claim], analyses: Sequence[Analysis]) -> dict:
    """Claim × article: "reports", "contradicts" or "silent"; per article what it alone
    reports and what most others report but it omits."""
    ids = [a.article.id for a in analyses]
    matrix = []
    for claim in claims:
        contradicting = {c.span.article for c in claim.conflicts}
        matrix.append(["contradicts" if a in contradicting else "reports" if a in claim.articles else "silent"
                       for a in ids])
    per_article = {}
    for col, article_id in enumerate(ids):
        alone = [c.id for c in claims if c.status == "single_source" and c.articles == (article_id,)]
        omits = []
        others = len(ids) - 1
        for row, claim in enumerate(claims):
            if matrix[row][col] == "silent" and others >= 2:
                reporting = sum(1 for v in matrix[row] if v != "silent")
                if reporting >= 2 and reporting / others > MAJORITY:
                    omits.append(claim.id)
        per_article[article_id] = {"alone": alone, "omits": omits}
    return {"articles": ids, "claims": [c.id for c in claims], "matrix": matrix, "per_article": per_article}
