"""A short reconciled summary an editor could sign.

1. candidates are claims (so never a caption, headline or page furniture) that read alone: a
   full sentence naming its subject, not opening on a pronoun or a connective ("He ...",
   "However, ..."), not a question, not a headline glued to a lede, not a promotion;
2. each is scored by its support in independent origins (copies and one wire count once),
   how near the articles' ledes it comes, and how much of who / when / where / how many it
   states;
3. the lede is the best-scored claim that states an actor and a date, place or number (the
   best-scored claim when none does); key facts follow by score, skipping near-duplicates of
   a chosen sentence, within :data:`MAX_SENTENCES` sentences and :data:`MAX_SHARE` of the
   story's words;
4. a disputed claim is stated as disputed: its words, then each side's value with the outlets
   that give it, citing both sides; an agreed claim cites only the articles on its majority
   side (never an article that contradicts it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Analysis, Claim, Event, Span, SummarySentence
from .claims import article_name, readable
from .origins import Origins

MAX_SENTENCES = 8
MAX_SHARE = 0.25
"""The summary is at most this share of the story's words (its lede always fits)."""
REDUNDANT_COSINE = 0.62
"""A candidate this similar to a chosen sentence says the same thing (tuned on the seeds)."""
REDUNDANT_WORDS = 0.6
"""...or sharing this share of its content words with one."""
MAX_CHARS = 400
MAX_CANDIDATES = 60
"""Only the best-ranked claims are embedded and compared (a 300-article story has thousands)."""
LEDE_CHARS = 400
"""A mention starting this early in its article is in the lede."""

DANGLING = ("he ", "she ", "they ", "it ", "its ", "this ", "that ", "these ", "those ", "his ", "her ", "their ",
            "however", "but ", "and ", "also ", "meanwhile", "still ", "yet ", "so ", "then ", "instead",
            "in addition", "moreover", "furthermore", "nevertheless", "as a result", "in the second", "in the first",
            "there's", "there is", "here ", "i ", "we ", "you ", "our ", "my ")
"""Openings that lean on a sentence the summary does not have."""
PROMOTION = re.compile(
    r"\b(?:subscribe|sign up|newsletter|click here|follow (?:us|the|our|him|her)|read more|watch:|"
    r"download (?:the|our)|all rights reserved|copyright)\b|@\w|https?://|pic\.twitter", re.I)
"""Page furniture and calls to action that may survive cleaning: never a summary sentence."""
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")


def summarize(analyses: Sequence[Analysis], claims: Sequence[Claim], events: Sequence[Event]) -> list[SummarySentence]:
    from ..analyze.embed import embed

    articles = {a.article.id: a.article for a in analyses}
    order = {a.article.id: i for i, a in enumerate(analyses)}
    origins = Origins([a.article for a in analyses])
    titles = [a.article.title for a in analyses if a.article.title and len(a.article.title.split()) >= 3]
    candidates = [c for c in claims if c.support and _reads_alone(c.text, titles)]
    if not candidates:
        return _fallback(analyses)
    story_words = sum(len(a.article.text.split()) for a in analyses)
    budget = int(story_words * MAX_SHARE)

    def score(claim: Claim) -> tuple:
        lede = min(s.start for s in claim.support)
        return (-(origins.count(claim.articles) + (0.75 if lede < LEDE_CHARS else 0.0) + 0.25 * _facets(claim)),
                lede, claim.id)

    ranked = sorted(candidates, key=score)[:MAX_CANDIDATES]
    lede = next((c for c in ranked if _is_lede(c)), ranked[0])
    ranked = [lede] + [c for c in ranked if c is not lede]
    vectors = _LazyVectors([c.text for c in ranked], embed)
    chosen: list[int] = []
    used = 0
    for i, claim in enumerate(ranked):
        words = len(_sentence(claim, articles, order).text.split())
        if chosen and used + words > budget:  # over the budget: skipped whether or not it repeats one
            continue
        if any(_same_words(claim.text, ranked[j].text) or vectors.cos(i, j) >= REDUNDANT_COSINE for j in chosen):
            continue
        chosen.append(i)
        used += words
        if len(chosen) >= MAX_SENTENCES:
            break
    return [_sentence(ranked[i], articles, order) for i in chosen]


class _LazyVectors:
    """The candidates' embeddings, computed only for the candidates that are compared (one
    that is over the word budget, or that repeats a chosen sentence's words, needs none; a
    single-article story's clauses were not embedded by claim alignment). A text's vector does
    not depend on its batch, so the summary is the one of embedding them all at once."""

    def __init__(self, texts: list[str], embed) -> None:
        self.texts = texts
        self.embed = embed
        self.rows: dict[int, object] = {}

    def cos(self, i: int, j: int) -> float:
        missing = [k for k in (i, j) if k not in self.rows]
        if missing:
            for k, row in zip(missing, self.embed([self.texts[k] for k in missing])):
                self.rows[k] = row
        return float(self.rows[i] @ self.rows[j])


def _reads_alone(text: str, titles: list[str]) -> bool:
    lowered = text.lower().lstrip("\"'\u201c")
    if len(text) > MAX_CHARS or readable(text) < 2 or "\n" in text.strip() or text.rstrip().endswith("?"):
        return False
    if lowered.startswith(DANGLING) or PROMOTION.search(text):
        return False
    # a headline glued to its lede: the text opens with a headline and runs on
    return not any(len(text) > len(t) + 10 and text.lower().startswith(t.lower()[:40]) for t in titles)


def _facets(claim: Claim) -> int:
    """How much of who / when / where / how many the claim states (0–4), from its words."""
    text = claim.text
    n = 0
    n += bool(re.search(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+", text[1:]))  # a named actor or place
    n += bool(re.search(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
                        r"April|May|June|July|August|September|October|November|December|yesterday|today|"
                        r"(?:1[89]|20)\d\d)\b", text))
    n += bool(re.search(r"\d", text))
    n += bool(re.search(r"\b(?:in|at|near)\s+[A-Z]", text))
    return n


def _is_lede(claim: Claim) -> bool:
    return _facets(claim) >= 2


def _same_words(a: str, b: str) -> bool:
    wa = {w.lower() for w in _WORD.findall(a)}
    wb = {w.lower() for w in _WORD.findall(b)}
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= REDUNDANT_WORDS


def _sentence(claim: Claim, articles: dict, order: dict[str, int]) -> SummarySentence:
    """The summary sentence of a claim: agreed as it is (citing its majority side), disputed
    with each side's value and outlets (citing both sides)."""
    dissent = {c.span.article for c in claim.conflicts}
    facets = (claim.evidence or {}).get("disagreements") or []
    if claim.status == "conflicting" and facets:
        parts = []
        for facet in facets:
            sides = "; ".join(
                f"{side['value']} ({', '.join(_name(articles[a], order[a] + 1) for a in side['articles'])})"
                for side in facet["sides"])
            label = "updated over time" if facet.get("update") else "disputed"
            parts.append(f"{facet['what']} {label}: {sides}")
        text = f"{claim.text.rstrip(' .')} ({'; '.join(parts)})."
        return SummarySentence(text, tuple(claim.support))
    if claim.status == "conflicting":
        text = f"{claim.text.rstrip(' .')} (disputed: {claim.conflicts[0].note})."
        return SummarySentence(text, tuple(claim.support))
    support = tuple(s for s in claim.support if s.article not in dissent) or tuple(claim.support)
    return SummarySentence(claim.text, support)


def _name(article, number: int) -> str:
    """An article's outlet as a reader knows it ("Reuters", "harbour-times.net", "article 3")."""
    return article_name(article, number)


def _fallback(analyses: Sequence[Analysis]) -> list[SummarySentence]:
    """No claims: the first sentence of each article, cited to itself."""
    out = []
    for analysis in analyses[:MAX_SENTENCES]:
        if analysis.sentences:
            s = analysis.sentences[0]
            span = Span.of(analysis.article.id, analysis.article.text, s.start, s.end)
            out.append(SummarySentence(span.text, (span,)))
    return out
