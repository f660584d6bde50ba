"""Who a speaker phrase stands for: names, titles used alone and pronouns.

No coreference model is installed, so these are rules over spaCy's parse and the article's
own mentions (:mod:`.entities`):

- a phrase that holds a mention resolves to that mention's fullest in-article name;
- a title used alone ("the aide", "the US president", "the Russian leader") resolves to the
  one person in the article whose attached role has the same head (or, for leader words, a
  head-of-state title) and the same country words; two candidates → unresolved;
- "he"/"she" resolve to the most salient preceding person of that gender: the gender of a
  person comes from honorifics and from the pronouns of sentences that mention only them;
  salience prefers earlier speakers and subjects, then recency. "it" resolves to the
  nearest preceding organisation subject.

Anything else (generic phrases such as "officials") keeps its span and no name.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field

from ..model import Mention, Span
from .gender import USE_NAME_TABLE, _genders, first_name_gender  # noqa: F401  (re-exported)
from .quote_lexicon import (
    COUNTRY_FORMS,
    DOCUMENT_NOUNS,
    GENERIC_LEADER,
    GENERIC_ORG_NOUNS,
    HONORIFICS,
    LEADER_CLASS,
    NAME_PARTICLES,
    ORG_NOUNS,
    PERSON_NOUNS,
    PRONOUNS,
    PROXY_NOUNS,
    ROLE_GENDER,
    STATEMENT_NOUNS,
    TITLE_WORDS,
)

PRONOUN_WINDOW_SENTENCES = 6
"""How far back (sentences) a pronoun looks for its antecedent (tuned on GGT dev)."""

SPEAKER_BONUS = 3.0
"""Salience bonus (in sentences of recency) for a person who already spoke (GGT dev)."""
SUBJECT_BONUS = 1.0
"""Salience bonus for an antecedent in subject position (GGT dev)."""


@dataclass(frozen=True, slots=True)
class Speaker:
    """A resolved speaker: the words at the quote, and the name they stand for."""

    span: Span | None
    name: str | None
    type: str | None
    kind: str | None = None
    """person / organisation / description / unknown (None: the text names no source)."""


KIND_OF_TYPE = {"PERSON": "person", "ORG": "organisation", "NORP": "organisation", "GPE": "organisation"}
"""Speaker kind of a resolved mention type: a place speaks only as its government ("Beijing said")."""


def _named(span: Span | None, m: Mention) -> Speaker:
    return Speaker(span, m.name, m.type, KIND_OF_TYPE.get(m.type, "unknown"))


def _unnamed(span: Span | None, tok) -> Speaker:
    """A speaker the article does not name: its words and what kind of source they describe."""
    low = tok.lower_
    if tok.pos_ == "PRON" or low in PRONOUNS:
        kind = "unknown"
    elif low in ORG_NOUNS and ORG_NOUNS[low] == "ORG" or (tok.lemma_.lower() in ORG_NOUNS and ORG_NOUNS[tok.lemma_.lower()] == "ORG"):
        kind = "organisation"  # "the central bank", "police"
    elif tok.pos_ == "PROPN" and not any(c.dep_ == "det" for c in tok.lefts):
        kind = "unknown"  # a name the entity tagger missed ("VoteVets")
    else:
        kind = "description"  # "officials", "a Google spokesperson", "residents"
    return Speaker(span, None, None, kind)


@dataclass(slots=True)
class ArticleIndex:
    """Look-ups over one article's tokens and mentions, built once per article."""

    doc: object
    text: str
    """The article text (cached: Doc.text rebuilds the string on every access)."""
    article_id: str
    mentions: list[Mention]
    starts: list[int]
    sent_of_token: list[int]
    """Token → rank of its sentence, counting only sentences with a word in them."""
    sent_bounds: list[tuple[int, int]]
    """Token → (start token, end token) of its sentence (Token.sent is slow: it walks the doc)."""
    gender: dict[str, str] = field(default_factory=dict)
    spoke: Counter = field(default_factory=Counter)
    """Names of people who already spoke, with a count (filled while quotes are read)."""
    last_speaker: dict[str, int] = field(default_factory=dict)
    """Name → sentence index where that person last spoke."""
    tok_starts: list[int] = field(default_factory=list)
    pron_cache: dict = field(default_factory=dict)
    """(token index, gender class) → resolved mention, so each pronoun resolves once."""

    def mention_at(self, char: int) -> Mention | None:
        """The widest mention covering ``char`` (title mentions hold inner ones: "the US president")."""
        i = bisect.bisect_right(self.starts, char) - 1
        best = None
        for k in range(i, max(-1, i - 4), -1):
            m = self.mentions[k]
            if m.span.start <= char < m.span.end and (best is None or m.span.end - m.span.start > best.span.end - best.span.start):
                best = m
        return best

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        lo = bisect.bisect_left(self.starts, start)
        out = []
        for m in self.mentions[lo:]:
            if m.span.start >= end:
                break
            if m.span.end <= end:
                out.append(m)
        return out


def build_index(doc, article_id: str, mentions, text: str | None = None) -> ArticleIndex:
    """The look-ups the quote rules need for one article."""
    text = doc.text if text is None else text
    ms = sorted(mentions, key=lambda m: (m.span.start, m.span.end))
    sent_of_token = [0] * len(doc)
    bounds: list[tuple[int, int]] = [(0, 0)] * len(doc)
    sents = list(doc.sents)
    si = 0
    for sent in sents:
        if any(t.is_alpha for t in sent):  # separator lines (" .") do not count
            si += 1
        b = (sent.start, sent.end)
        for i in range(sent.start, sent.end):
            sent_of_token[i] = si
            bounds[i] = b
    index = ArticleIndex(doc, text, article_id, ms, [m.span.start for m in ms], sent_of_token, bounds)
    index.gender = _genders(doc, index.text, ms, sents)
    return index


# ------------------------------------------------------------------ lone titles


def _country_set(words: list[str]) -> set[int]:
    out = set()
    for w in words:
        for i, forms in enumerate(COUNTRY_FORMS):
            if w in forms:
                out.add(i)
    return out


def _descriptors(doc, mentions: list[Mention]) -> dict[str, list[str]]:
    """Person name → lower-case words of its roles and possessive country ("Russia's")."""
    out: dict[str, list[str]] = {}
    for m in mentions:
        if m.type != "PERSON":
            continue
        words = out.setdefault(m.name, [])
        if m.role:
            words.extend(w.strip(",.").lower() for w in m.role.replace("-", " ").split())
        span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if span is not None:
            for c in span.root.lefts:
                if c.dep_ == "poss" and c.ent_type_ in ("GPE", "NORP"):
                    words.append(c.text.lower() + "'s")
                    words.append(c.text.lower())
    return out


def title_mentions(doc, article_id: str, mentions: list[Mention], text: str | None = None) -> list[Mention]:
    """Mentions for definite titles used alone that the article makes unambiguous."""
    text = doc.text if text is None else text
    taken = [(m.span.start, m.span.end) for m in mentions]
    taken_starts = [s for s, _ in taken]
    desc = _descriptors(doc, mentions)
    first_seen: dict[str, int] = {}
    for m in mentions:
        if m.type == "PERSON":
            first_seen.setdefault(m.name, m.span.start)
    out: list[Mention] = []
    for t in doc:
        if t.pos_ != "NOUN" or t.lower_ not in TITLE_WORDS or t.tag_ in ("NNS", "NNPS"):
            continue
        if t.dep_ == "compound" or any(c.dep_ == "appos" for c in t.children):
            continue  # a pre-nominal title or an introduced apposition, not a lone title
        det = [c for c in t.lefts if c.dep_ == "det" and c.lower_ == "the"]
        if not det:
            continue
        i = bisect.bisect_right(taken_starts, t.idx) - 1
        if i >= 0 and taken[i][0] <= t.idx < taken[i][1]:
            continue
        mods = [c for c in t.lefts if c.dep_ in ("amod", "compound", "nmod") and c.i > det[0].i]
        words = [w.lower_ for c in mods for w in c.subtree]
        head = t.lower_
        countries = _country_set(words)
        candidates = []
        for name, dwords in desc.items():
            if first_seen[name] >= t.idx:
                continue
            titles = [w for w in dwords if w in TITLE_WORDS]
            if head in GENERIC_LEADER:
                ok = any(w in LEADER_CLASS for w in titles) or not titles
            else:
                ok = head in titles and all(w in dwords for w in words if w in TITLE_WORDS)
            if ok and countries and not countries <= _country_set(dwords):
                ok = False
            if ok and not titles and not countries:
                ok = False
            if ok:
                candidates.append(name)
        if len(candidates) != 1:
            continue
        lo = det[0].idx
        hi = t.idx + len(t)
        span = Span.of(article_id, text, lo, hi)
        role_lo = min([c.left_edge.idx for c in mods] + [t.idx])
        role_span = Span.of(article_id, text, role_lo, hi)
        out.append(Mention(span, "PERSON", candidates[0], role_span.text, role_span))
    return out


# ---------------------------------------------------------------------- speakers


def _np_bounds(tok) -> tuple[int, int]:
    """Token range of a speaker noun phrase without relative clauses and trailing punct."""
    lo = tok.left_edge.i
    hi = tok.i + 1
    for c in tok.rights:
        if c.dep_ in ("relcl", "acl", "punct", "cc", "conj", "advcl", "prep") and c.dep_ != "appos":
            break
        hi = c.right_edge.i + 1
    doc = tok.doc
    while hi > lo and doc[hi - 1].is_punct:
        hi -= 1
    return lo, hi


def _description_bounds(tok) -> tuple[int, int]:
    """Token range of an unnamed speaker's description with its modifiers ("an official
    with Animal Protection Services", "people arrested last week", "one of the players"),
    without relative clauses or coordinated parts."""
    lo, hi = _np_bounds(tok)
    if not LONG_DESCRIPTIONS:
        return lo, hi
    for c in tok.rights:
        if c.dep_ not in ("prep", "acl", "amod", "npadvmod", "appos") or c.i < hi:
            if c.i >= hi and c.dep_ not in ("punct",):
                break
            continue
        end = c.right_edge.i + 1
        for d in c.subtree:
            if d.dep_ in ("cc", "relcl", "punct") and d.i > c.i:
                end = min(end, d.i)
        hi = max(hi, end)
    doc = tok.doc
    while hi > lo and doc[hi - 1].is_punct:
        hi -= 1
    return lo, hi


def _author(index: ArticleIndex, tok) -> Mention | None:
    """Who a document speaks for: "Foster's book", "a statement from Facebook", "a study
    released by Civic Action", "the Civic Action study"."""
    for c in tok.lefts:
        if c.dep_ == "poss":
            m = index.mention_at(c.idx)
            if m is not None and m.type in ("PERSON", "ORG", "GPE"):
                return m
    doc = tok.doc
    lo, hi = tok.left_edge.i, tok.right_edge.i + 1
    start, end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
    inside = [m for m in index.mentions_in(start, end) if m.type in ("PERSON", "ORG")]
    return inside[0] if inside else None


def _statement_org(index: ArticleIndex, tok) -> Mention | None:
    """"A statement said ..." with no author: the organisation named last in this sentence
    before the noun, or in the previous one."""
    sent = index.sent_of_token[tok.i]
    doc = index.doc
    for m in reversed(index.mentions[: bisect.bisect_left(index.starts, tok.idx)]):
        span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if span is None:
            continue
        if sent - index.sent_of_token[span.start] > 1:
            return None
        if m.type == "ORG":
            return m
    return None


def _role_match(index: ArticleIndex, tok, words: list[str]) -> Mention | None:
    """Nearest earlier person whose role has the description's head noun ("the lawyer" →
    the person introduced as "a lawyer for ..."), and its other title words."""
    want = [w for w in words if w in TITLE_WORDS or w in PERSON_NOUNS]
    hi = bisect.bisect_left(index.starts, tok.idx)
    for m in reversed(index.mentions[:hi]):
        if m.type != "PERSON" or not m.role:
            continue
        role = [w.strip(",.").lower() for w in m.role.replace("-", " ").split()]
        if tok.lower_ in role and all(w in role for w in want if w != tok.lower_):
            return m
    return None


def resolve(index: ArticleIndex, tok) -> Speaker:
    """The speaker that the subject token ``tok`` (head of its phrase) stands for."""
    doc = index.doc
    text = index.text
    aid = index.article_id
    low = tok.lower_
    if low in ("who", "which", "that") and tok.head.dep_ == "relcl" and tok.head.head.i != tok.i:
        return resolve(index, tok.head.head)
    if tok.pos_ == "PRON" or low in PRONOUNS:
        span = Span.of(aid, text, tok.idx, tok.idx + len(tok))
        m = resolve_pronoun(index, tok)
        if m is None:
            return Speaker(span, None, None, "unknown")
        return _named(span, m)
    m = index.mention_at(tok.idx)
    if m is not None and m.type in ("PERSON", "ORG", "GPE"):
        return _named(m.span, m)
    lo, hi = _np_bounds(tok)
    start, end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
    span = Span.of(aid, text, start, end)
    inside = [m for m in index.mentions_in(start, end) if m.type in ("PERSON", "ORG")]
    # "Trump's envoy, Steve Witkoff" or "a spokesperson for Facebook": prefer an apposed
    # person; an organisation only when the head itself is not a person word.
    persons = [m for m in inside if m.type == "PERSON"]
    for c in tok.children:
        if c.dep_ == "appos":
            mm = index.mention_at(c.idx)
            if mm is not None and mm.type == "PERSON":
                return _named(mm.span, mm)
    if persons and tok.pos_ == "PROPN":
        return _named(persons[-1].span, persons[-1])
    principal = _on_behalf_of(index, tok)
    if principal is not None:
        # "a spokesman, speaking on behalf of the president": the words are the principal's
        return _named(span, principal)
    if low in DOCUMENT_NOUNS:
        # "the Civic Action study", "a statement from Facebook": the author speaks
        author = _author(index, tok) if DOCUMENT_AUTHORS else (inside[0] if inside else None)
        if author is None and low in STATEMENT_NOUNS and ORG_STATEMENTS:
            author = _statement_org(index, tok)
        if author is not None:
            return _named(span, author)
    det = [c.lower_ for c in tok.lefts if c.dep_ == "det"]
    mods = [w.lower_ for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod") for w in c.subtree]
    if det[:1] == ["the"] and tok.tag_ in ("NN", "NNP"):
        if low in ORG_NOUNS and not inside:
            m = _org_for(index, tok, low, mods)
            if m is not None:
                return _named(span, m)
        aged = any("-year-old" in c.text or c.text == "year" for c in tok.subtree)
        if (low in PERSON_NOUNS or low in TITLE_WORDS or (m is not None and m.type == "NORP") or aged) and not persons:
            if aged or not ROLE_DESCRIPTIONS:
                m = resolve_pronoun(index, tok, any_gender=True)
            else:
                m = _role_match(index, tok, mods) or (_apposed(index, tok) if ROLE_EVIDENCE else None)
                if m is None and ROLELESS_FALLBACK and low not in PROXY_NOUNS:
                    # the most salient person, unless the article gives them another role;
                    # never for a spokesman or an aide, who speak for someone else
                    m = resolve_pronoun(index, tok, any_gender=True)
                    if m is not None and any(x.role for x in index.mentions if x.name == m.name and x.type == "PERSON"):
                        m = None
            if m is not None:
                return _named(span, m)
        elif ROLE_EVIDENCE and low not in ORG_NOUNS and low not in DOCUMENT_NOUNS and not persons:
            # any other noun ("the veteran striker") stands for a person only when the
            # article gave that person this noun as a role ("Lopez, a striker who ...")
            m = _role_match(index, tok, mods) or _apposed(index, tok)
            if m is not None:
                return _named(span, m)
    if index.mention_at(tok.idx) is None:
        lo, hi = _description_bounds(tok)
        span = Span.of(aid, text, doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1]))
    return _unnamed(span, tok)


LONG_DESCRIPTIONS = True
"""An unnamed speaker keeps its prepositional and participial modifiers (GGT dev)."""
DOCUMENT_AUTHORS = True
"""A document noun speaks for its possessor or a name anywhere in its phrase (GGT dev)."""
ORG_STATEMENTS = True
""""A statement said" without author: the organisation of this or the previous sentence."""
ROLE_DESCRIPTIONS = True
""""The lawyer said": only a person whose role has that noun, else the description (GGT dev)."""
ROLELESS_FALLBACK = True
"""Without a role match, a description may still stand for the most salient person when
the article gives that person no role at all (GGT dev)."""
ROLE_EVIDENCE = True
""""The veteran striker said": a definite description whose head noun is in no word list
resolves to the person the article introduced with that noun in their role."""
SPECIFIC_ORG_NOUNS = True
""""The commission said": only an organisation whose name has that noun; modifiers must
match ("The Canadian government" is not the last organisation named) (GGT dev)."""


def _org_for(index: ArticleIndex, tok, low: str, mods: list[str]) -> Mention | None:
    """The organisation a definite "the company" / "the commission" stands for."""
    if not SPECIFIC_ORG_NOUNS:
        return _last_of_type(index, tok, ORG_NOUNS[low])
    kind = ORG_NOUNS[low]
    words = [w for w in mods if w.isalpha()]
    hi = bisect.bisect_left(index.starts, tok.idx)
    for m in reversed(index.mentions[:hi]):
        if m.type == kind:
            name = m.name.lower().split()
            if low in name and all(w in name for w in words):
                return m
    if low in GENERIC_ORG_NOUNS and not words:
        return _last_of_type(index, tok, kind)
    if low in GENERIC_ORG_NOUNS:
        # "the power company" → the last organisation whose name holds the modifiers ("Northgate Power")
        m = _last_of_type(index, tok, kind)
        if m is not None and all(w in m.name.lower().split() for w in words):
            return m
    return None


def _apposed(index: ArticleIndex, tok) -> Mention | None:
    """The nearest earlier person the article describes with the same noun in apposition
    ("Lopez, a striker who ..." for "the striker"); None when two people share the noun."""
    found: list[Mention] = []
    for t in index.doc[: tok.i]:
        if t.dep_ == "appos" and t.lemma_.lower() == tok.lemma_.lower() and t.pos_ == "NOUN":
            m = index.mention_at(t.head.idx)
            if m is not None and m.type == "PERSON" and m.name not in (x.name for x in found):
                found.append(m)
    return found[0] if len(found) == 1 else None


def _on_behalf_of(index: ArticleIndex, tok) -> Mention | None:
    """The person or organisation named after "on behalf of" in the speaker's sentence."""
    a, b = index.sent_bounds[tok.i]
    doc = index.doc
    for t in doc[a:b]:
        if t.lower_ == "behalf" and t.i > a and doc[t.i - 1].lower_ in ("on", "in") \
                and t.i + 1 < b and doc[t.i + 1].lower_ == "of":
            lo = doc[t.i + 1].idx + 2
            hi = doc[min(b, t.i + 8) - 1].idx + len(doc[min(b, t.i + 8) - 1])
            for m in index.mentions_in(lo, hi):
                if m.type in ("PERSON", "ORG", "GPE"):
                    return m
    return None




ORG_NOUN_WINDOW_SENTENCES = 8
"""How far back "the company" looks for the organisation it stands for (GGT dev)."""


def _last_of_type(index: ArticleIndex, tok, kind: str) -> Mention | None:
    hi = bisect.bisect_left(index.starts, tok.idx)
    sent = index.sent_of_token[tok.i]
    doc = index.doc
    counts: dict[str, int] = {}
    for m in index.mentions[:hi]:
        if m.type == kind:
            counts[m.name] = counts.get(m.name, 0) + 1
    for m in reversed(index.mentions[:hi]):
        span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if span is None:
            continue
        if sent - index.sent_of_token[span.start] > ORG_NOUN_WINDOW_SENTENCES:
            break
        if m.type == kind:
            return m
    return None


def _bad_antecedent(index: ArticleIndex, m: Mention, root) -> bool:
    """Person mentions a pronoun never stands for: photo credits ("(Jane Doe/CBC)"), a
    name used as a modifier ("the Kinder Morgan pipeline") or as a place ("in Sumatra")."""
    text = index.text
    if "/" in m.span.text or text[m.span.end : m.span.end + 1] == "/" or text[max(0, m.span.start - 1) : m.span.start] in ("(", "/"):
        return True
    if root.dep_ == "compound" and root.head.pos_ == "NOUN" and root.head.lower_ not in TITLE_WORDS \
            and any(c.dep_ == "det" for c in root.head.children):
        return True
    if root.dep_ == "pobj" and root.head.lower_ in ("in", "at"):
        return True
    return False


def _candidates(index: ArticleIndex, tok, g: str, sent: int):
    """(score, -start, mention) for each possible antecedent of ``tok`` (lower is better)."""
    hi = bisect.bisect_left(index.starts, tok.idx)
    doc = index.doc
    for m in reversed(index.mentions[:hi]):
        span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if span is None:
            continue
        msent = index.sent_of_token[span.end - 1]
        dist = sent - msent
        if dist > PRONOUN_WINDOW_SENTENCES:
            break
        if g == "n":
            if m.type != "ORG":
                continue
        else:
            if m.type != "PERSON":
                continue
            mg = index.gender.get(m.name)
            if mg is not None and g != "x" and mg != g:
                continue
        root = span.root
        if dist == 0 and root.i > tok.i:
            continue
        if g != "n" and _bad_antecedent(index, m, root):
            continue
        yield _score(index, m, root, dist, sent), -m.span.start, m


def _score(index: ArticleIndex, m: Mention, root, dist: int, sent: int) -> float:
    score = float(dist)
    if root.dep_ in ("nsubj", "nsubjpass") or (root.dep_ in ("appos", "compound") and root.head.dep_ == "nsubj"):
        score -= SUBJECT_BONUS
    if m.name in index.spoke:
        score -= SPEAKER_BONUS if index.last_speaker.get(m.name, -99) >= sent - 3 else SUBJECT_BONUS
    return score


def resolve_pronoun(index: ArticleIndex, tok, any_gender: bool = False) -> Mention | None:
    """The mention a third-person pronoun (or a person description) stands for, or None."""
    g = "x" if any_gender else PRONOUNS.get(tok.lower_)
    if g not in ("m", "f", "n", "x"):
        return None
    key = (tok.i, g)
    if key in index.pron_cache:
        return index.pron_cache[key]
    sent = index.sent_of_token[tok.i]
    best = min(_candidates(index, tok, g, sent), key=lambda c: (c[0], c[1]), default=None)
    out = best[2] if best is not None else None
    index.pron_cache[key] = out
    return out


