"""Resolve a story's entity mentions across its articles: one entity per referent.

Each article's analysis already names every mention by its fullest in-article form
(``Mention.name``). Here the (article, name) groups of all the story's articles are
joined into entities:

1. gather one *local* group per (article, name), typed by its mentions' majority;
2. repair types with story-wide evidence: a name NER cut in two ("Yury" ORG right
   before "Ushakov" PERSON) is read whole; a PERSON name made of headline words is cut
   to its name part or demoted to OTHER; a name tagged ORG/GPE in one place and PERSON
   in more places is a person; a country name tagged ORG joins the place reading;
3. join person groups whose names are compatible (same surname skeleton, compatible
   given and middle names; see :mod:`rashomon.reconcile.names`), never through a name
   that fits two mutually incompatible people; attach a surname alone to the one full
   name of that surname in the story (or the one sharing a role), else leave it apart;
4. join organisation and place groups by key (case, "the", "U.S." = "United States")
   and by acronym when the story holds exactly one long form it abbreviates;
5. build each entity: canonical name (for a person, the full form most articles use;
   otherwise the longest form), type, aliases, roles,
   mention spans; id = hash of type and canonical name.

A bad merge costs more than a missed one, so every join needs positive evidence.

Judgements: "US", "U.S.", "America" and "the United States" are one place entity whether
they name the country or its government (spaCy's GPE covers both). "Washington" stays a
separate entity even where it stands for the US government, because the name alone
cannot tell the city from the metonym. "The Kremlin" tagged ORG (the institution that
speaks) is kept apart from a "Kremlin" tagged FAC/LOC (the building). Nationalities
(NORP: "Russian") are not merged into their countries.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model import Analysis, Entity, EntityResolution, Mention
from . import names as N

# Type groups whose members may join one entity; types not listed form their own group.
_TYPE_GROUP = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place"}
# Tie-break order when a name's mentions are typed differently.
_TYPE_PRIORITY = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "OTHER")
# Types that story-wide evidence may turn into PERSON or into the place reading.
_REPAIRABLE = frozenset({"ORG", "GPE", "LOC", "FAC", "NORP", "OTHER"})


@dataclass(frozen=True, slots=True)
class _Local:
    """All mentions one article names with one ``Mention.name``."""

    article: str
    order: int
    """Position of the article in the story's input."""
    name: str
    """``Mention.name`` as the article's analysis gave it (the ``by_name`` key)."""
    match_name: str
    """The part of ``name`` used for matching (headline words cut off)."""
    type: str
    mentions: tuple[Mention, ...]
    language: str | None = None
    """The article's language (ISO 639-1) or None: names in it are also read through its
    respellings of foreign names (German Uschakow → Ushakov)."""

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (self.type, N.fold(self.match_name), self.article)


def resolve_entities(analyses: Sequence[Analysis]) -> EntityResolution:
    """Join the mentions of a story's articles into entities, one per referent."""
    texts = {a.article.id: a.article.text for a in analyses}
    languages = {a.article.id: a.article.language for a in analyses}
    locals_ = [replace(g, language=languages.get(g.article)) for g in _repair_types(_gather(analyses), texts)]
    clusters = _cluster_persons([g for g in locals_ if g.type == "PERSON"])
    clusters += _cluster_others([g for g in locals_ if g.type != "PERSON"])
    entities: list[Entity] = []
    by_name: dict[tuple[str, str], str] = {}
    seen_ids: Counter[str] = Counter()
    built = sorted((_build(c) for c in clusters), key=lambda e: (-len(e[0].mentions), e[0].name, e[0].type))
    for entity, members in built:
        seen_ids[entity.id] += 1
        if seen_ids[entity.id] > 1:  # two referents with one name: keep both, ids apart
            entity = _with_id(entity, f"{entity.id}-{seen_ids[entity.id]}")
        entities.append(entity)
        for g in members:
            by_name[(g.article, g.name)] = entity.id
    return EntityResolution(entities=tuple(entities), by_name=by_name)


# ----------------------------------------------------------------------------- step 1


def _gather(analyses: Sequence[Analysis]) -> list[tuple[str, int, str, list[Mention], str | None]]:
    """(article, order, name, mentions, joined name or None) per (article, name)."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    joined: dict[tuple[str, str], str] = {}
    order: dict[str, int] = {}
    for i, analysis in enumerate(analyses):
        art = analysis.article.id
        order.setdefault(art, i)
        for m in analysis.entities:
            groups.setdefault((art, m.name or m.span.text), []).append(m)
        for first, second in _name_pieces(analysis):
            joined.setdefault((art, first.name or first.span.text), f"{first.span.text} {N.strip_possessive(second.span.text)}")
    return [(art, order[art], name, ms, joined.get((art, name))) for (art, name), ms in groups.items()]


def _name_pieces(analysis: Analysis):
    """Pairs (piece, person) where NER cut one name in two ("Yury" ORG + "Ushakov" PERSON).

    The piece must end one space before the person mention, be one capitalised word or a
    word and an initial ("Kirill A"), not an acronym, and not a place or nationality.
    """
    text = analysis.article.text
    mentions = sorted(analysis.entities, key=lambda m: (m.span.start, m.span.end))
    for first, second in zip(mentions, mentions[1:]):
        if second.type != "PERSON" or first.type in ("GPE", "LOC", "NORP") or first.span.end + 1 != second.span.start:
            continue
        if text[first.span.end] != " " or N.parse_person(second.name) is None:
            continue
        words = first.span.text.split()
        single = len(words) == 1 and words[0][:1].isupper() and not words[0].isupper()
        initial = len(words) == 2 and words[0][:1].isupper() and len(words[1].rstrip(".")) == 1
        if (single or initial) and N.person_name_end(first.span.text) == len(words):
            yield first, second


def _majority_type(mentions: Sequence[Mention]) -> str:
    votes = Counter(m.type for m in mentions)
    return min(votes, key=lambda t: (-votes[t], _priority(t)))


def _priority(t: str) -> int:
    return _TYPE_PRIORITY.index(t) if t in _TYPE_PRIORITY else len(_TYPE_PRIORITY)


# ----------------------------------------------------------------------------- step 2


_LOCATIVE = frozenset({"in", "near", "outside", "across", "around", "to"})
"""Prepositions before a name that use it as a place ("in Qeshm", "near Harrow"): place evidence
against a PERSON reading (type sanity, never a list of places)."""


def _as_place(mentions: Sequence[Mention], texts: dict[str, str]) -> int:
    """How many of these mentions the text uses as a place (after a locative preposition)."""
    n = 0
    for m in mentions:
        before = texts.get(m.span.article, "")[max(0, m.span.start - 12) : m.span.start].split()
        n += bool(before) and before[-1].lower() in _LOCATIVE
    return n


def _repair_types(raw: list[tuple[str, int, str, list[Mention], str | None]],
                  texts: dict[str, str] | None = None) -> list[_Local]:
    texts = texts or {}
    typed = [(art, order, name, ms, _majority_type(ms)) for art, order, name, ms, _j in raw]
    joined = {(art, name): j for art, _o, name, _ms, j in raw if j}
    # Story-wide votes: how many mentions read a single-word key as a person, and as what else.
    person_surnames: Counter[str] = Counter()
    person_full: Counter[str] = Counter()
    other_votes: Counter[tuple[str, str]] = Counter()
    for _art, _o, name, ms, t in typed:
        if t == "PERSON":
            rest = name.split()[N.person_name_start(name):]
            end = N.person_name_end(" ".join(rest))
            parsed = N.parse_person(" ".join(rest[:end])) if end else None
            if parsed is not None:
                person_surnames[N.surname_key(parsed)] += len(ms)
                person_full[N.fold(N.strip_possessive(name))] += len(ms)
        else:
            other_votes[(N.org_key(name), _TYPE_GROUP.get(t, t))] += len(ms)
    place_keys = {k for (k, grp) in other_votes if grp == "place"}
    locative: Counter[str] = Counter()
    for _art, _o, name, ms, _t in typed:
        if len(name.split()) == 1:
            locative[N.org_key(name)] += _as_place(ms, texts)

    out: list[_Local] = []
    for art, order, name, ms, t in typed:
        match_name = name
        if (art, name) in joined:  # a piece of the following person's name
            out.append(_Local(art, order, name, joined[(art, name)], "PERSON", tuple(ms)))
            continue
        if t == "PERSON":
            t, match_name = _check_person(name, person_surnames)
            # type sanity: a name the story uses as a place more often than as a person
            # (tagged GPE/LOC elsewhere, or "in X") is a place, not a person
            if t == "PERSON" and len(name.split()) == 1:
                key = N.org_key(name)
                place = other_votes[(key, "place")] + locative[key]
                if place > len(ms) - _as_place(ms, texts) and place > 0:
                    t = "GPE"
        elif t in _REPAIRABLE:
            key = N.org_key(name)
            single = N.parse_person(name)
            person_votes = person_full[N.fold(N.strip_possessive(name))]
            if single is not None and not single.full:
                person_votes = max(person_votes, person_surnames[N.surname_key(single)])
            if person_votes > other_votes[(key, _TYPE_GROUP.get(t, t))]:
                t = "PERSON"
            elif t == "ORG" and key in place_keys and other_votes[(key, "place")] >= other_votes[(key, "org")]:
                t = "GPE"
        out.append(_Local(art, order, name, match_name, t, tuple(ms)))
    return out


def _check_person(name: str, person_surnames: Counter[str]) -> tuple[str, str]:
    """(type, match name) of a PERSON group: headline fragments are cut or demoted."""
    words = name.split()
    start = N.person_name_start(name)  # "Fired Jim O'Brien"
    words = words[start:]
    end = N.person_name_end(" ".join(words))
    if end == 0:
        return "OTHER", name
    trimmed = " ".join(words[:end])
    parsed = N.parse_person(trimmed)
    if parsed is None:
        return "OTHER", name
    if (start or end < len(words)) and not parsed.full and person_surnames[N.surname_key(parsed)] <= 1:
        # "Mark Turning Point" → "Mark": a lone word no other mention calls a person.
        return "OTHER", name
    if "-" in trimmed and len(words) == 1:
        parts = [p for p in trimmed.split("-") if p]
        if len(parts) > 1 and all(person_surnames[N.skeleton(p)] > 0 for p in parts):
            return "OTHER", name  # "Putin-Trump" (summit): a compound, not a person
    return "PERSON", trimmed


# ----------------------------------------------------------------------------- step 3


def _readings(name: str, language: str | None) -> tuple[N.PersonName, ...]:
    """A person's name as written and, in an article in another language, as respelled by that
    language's romanisation table (the key the statements use, ``analyze.quotes_ml``): German
    "Juri Uschakow" is also read "yuri ushakov". Cyrillic and other scripts need no table: the
    transliteration keys of :mod:`rashomon.reconcile.names` read them in Latin letters."""
    first = N.parse_person(name)
    if first is None:
        return ()
    respelled = _respell(name, language)
    second = N.parse_person(respelled) if respelled != name else None
    return (first,) if second is None or second == first or second.full != first.full else (first, second)


def _respell(name: str, language: str | None) -> str:
    if not language or language == "en":
        return name
    from ..analyze.quotes_ml import lexicon

    lex = lexicon(language)
    if lex is None or not lex.romanisation:
        return name
    from anyascii import anyascii

    table = dict(lex.romanisation)
    pattern = "|".join(re.escape(a) for a in sorted(table, key=len, reverse=True))
    return re.sub(pattern, lambda m: table[m.group(0)], anyascii(name).lower())  # one pass, as name_key


def _compatible(a: tuple[N.PersonName, ...], b: tuple[N.PersonName, ...]) -> bool:
    return any(N.persons_compatible(x, y) for x in a for y in b)


def _cluster_persons(groups: list[_Local]) -> list[list[_Local]]:
    groups = sorted(groups, key=lambda g: g.sort_key)
    readings = {id(g): _readings(g.match_name, g.language) for g in groups}
    loose = [g for g in groups if not readings[id(g)]]
    full = [g for g in groups if readings[id(g)] and readings[id(g)][0].full]
    partial = [g for g in groups if readings[id(g)] and not readings[id(g)][0].full]

    def ok(a: _Local, b: _Local) -> bool:
        return _compatible(readings[id(a)], readings[id(b)])

    def keys(g: _Local) -> list[str]:
        return list(dict.fromkeys(N.surname_key(p) for p in readings[id(g)]))

    # Full names: link compatible pairs, except through a name that fits two people who
    # cannot be one ("George Bush" beside "George W. Bush" and "George H. W. Bush").
    # Only names in one surname bucket (transliteration key) can be compatible, so pairs are
    # compared inside buckets: the cost grows with bucket sizes, not with the square of the story.
    n = len(full)
    buckets: dict[str, list[int]] = defaultdict(list)
    for i in range(n):
        for key in keys(full[i]):
            buckets[key].append(i)
    adj: list[list[int]] = [[] for _ in range(n)]
    for members_ in buckets.values():
        for i in members_:
            adj[i] += [j for j in members_ if j != i and j not in adj[i] and ok(full[i], full[j])]
    ambiguous = {
        i for i in range(n)
        if any(not ok(full[a], full[b]) for x, a in enumerate(adj[i]) for b in adj[i][x + 1:])
    }
    clusters: list[list[_Local]] = []
    assigned: dict[int, int] = {}
    for i in range(n):
        if i in assigned:
            continue
        # Complete link inside the component: each newcomer must fit every member.
        members = [i]
        stack = [j for j in adj[i] if i not in ambiguous and j not in ambiguous]
        while stack:
            j = stack.pop(0)
            if j in assigned or j in members:
                continue
            if all(ok(full[j], full[m]) for m in members):
                members.append(j)
                stack.extend(k for k in adj[j] if k not in ambiguous)
        for m in members:
            assigned[m] = len(clusters)
        clusters.append([full[m] for m in sorted(members)])

    # Surnames alone: to the one full-name cluster of that surname, or the one sharing a role.
    leftovers: dict[str, list[_Local]] = defaultdict(list)
    full_ids = {id(m) for m in full}
    clusters_by_surname: dict[str, list[int]] = defaultdict(list)  # surname → clusters holding it
    for index, c in enumerate(clusters):
        for key in dict.fromkeys(k for m in c if id(m) in full_ids for k in keys(m)):
            clusters_by_surname[key].append(index)
    for g in partial:
        key = keys(g)[0]
        found = dict.fromkeys(i for k in keys(g) for i in clusters_by_surname.get(k, []))
        candidates = [clusters[i] for i in found if all(ok(g, m) for m in clusters[i])]
        if len(candidates) > 1:
            mine = _role_words(g)
            candidates = [c for c in candidates if mine & set().union(*(_role_words(m) for m in c))]
        if len(candidates) == 1:
            candidates[0].append(g)
        else:
            leftovers[key].append(g)
    clusters.extend(leftovers[k] for k in sorted(leftovers))
    by_name: dict[str, list[_Local]] = defaultdict(list)
    for g in loose:
        by_name[N.fold(g.match_name)].append(g)
    clusters.extend(by_name[k] for k in sorted(by_name))
    return clusters


def _role_words(g: _Local) -> set[str]:
    words: set[str] = set()
    for m in g.mentions:
        if m.role:
            words |= N.role_words(m.role)
    return words


# ----------------------------------------------------------------------------- step 4


def _cluster_others(groups: list[_Local]) -> list[list[_Local]]:
    by_key: dict[tuple[str, str], list[_Local]] = defaultdict(list)
    for g in sorted(groups, key=lambda g: g.sort_key):
        by_key[(_TYPE_GROUP.get(g.type, g.type), N.org_key(g.match_name))].append(g)
    # Acronyms: "UAE" joins "United Arab Emirates" when the story has one long form for it.
    long_forms: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for (grp, key), members in by_key.items():
        for g in members:
            acr = N.acronym_of(g.match_name)
            if acr:
                long_forms[(grp, acr)].add((grp, key))
    merged: dict[tuple[str, str], tuple[str, str]] = {}
    # Places in two romanisations ("Chernihiv" / "Chernigov", "Kyiv" / "Kiev"): one word each,
    # one transliteration key, spellings a vowel change apart, and no third place in the bucket.
    by_translit: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for grp, key in sorted(by_key):
        if grp == "place" and len(key.split()) == 1:
            by_translit[N.translit_key(key)].append((grp, key))
    for keys in by_translit.values():
        if len(keys) == 2 and N.translit_close(keys[0][1], keys[1][1]):
            a, b = sorted(keys, key=lambda k: (-len(by_key[k]), k))
            merged[b] = a
    for (grp, key), members in sorted(by_key.items()):
        if (grp, key) in merged:
            continue
        acrs = {N.as_acronym(g.match_name) for g in members} - {None}
        if len(acrs) != 1:
            continue
        targets = long_forms.get((grp, acrs.pop()), set()) - {(grp, key)}
        if len(targets) == 1:
            merged[(grp, key)] = next(iter(targets))
    clusters: dict[tuple[str, str], list[_Local]] = defaultdict(list)
    for k in sorted(by_key):
        target = merged.get(k, k)
        while target in merged and merged[target] != target:  # a long form is never an acronym
            target = merged[target]
        clusters[target].extend(by_key[k])
    return [clusters[k] for k in sorted(clusters)]


# ----------------------------------------------------------------------------- step 5


def _build(members: list[_Local]) -> tuple[Entity, list[_Local]]:
    members = sorted(members, key=lambda g: (g.order, g.article, g.name))
    votes = Counter()
    for g in members:
        votes[g.type] += len(g.mentions)
    etype = min(votes, key=lambda t: (-votes[t], _priority(t)))
    name = _canonical(members, etype)
    order = {g.article: g.order for g in members}
    mentions = sorted(
        (m for g in members for m in g.mentions),
        key=lambda m: (order.get(m.span.article, 0), m.span.article, m.span.start, m.span.end),
    )
    aliases: list[str] = []
    forms = [(g.order, -1, g.match_name) for g in members if g.match_name != g.name]
    forms += [(order.get(m.span.article, 0), m.span.start, f) for m in mentions for f in (m.name or m.span.text, m.span.text)]
    language = {g.order: g.language for g in members}
    named_in = next((g.language for g in members if _canonical_form(g, etype) == name), None)
    for o, _s, raw in sorted(forms, key=lambda x: (x[0], x[1])):
        form = N.display_form(raw)
        if form and form != name and form not in aliases and _alias_ok(form, name, etype, language.get(o), named_in):
            aliases.append(form)
    roles = _roles(mentions, name)
    entity = Entity(
        id=_entity_id(etype, name),
        name=name,
        type=etype,
        aliases=tuple(aliases),
        roles=tuple(roles),
        mentions=tuple(m.span for m in mentions),
    )
    return entity, members


def _alias_ok(form: str, name: str, etype: str, language: str | None = None, named_in: str | None = None) -> bool:
    """A surface form is an alias when written as a name (not "the aide", "Russian leader");
    a person's form must fit the name as read in the languages each is written in."""
    if not N.name_like(form):
        return False
    if etype != "PERSON":
        return True
    return _compatible(_readings(form, language), _readings(name, named_in))


def _roles(mentions: list[Mention], name: str) -> tuple[str, ...]:
    """Distinct roles in order of first mention; a role inside a longer one is dropped."""
    name_words = {N.skeleton(w) for w in name.split()}
    found: dict[str, str] = {}
    for m in mentions:
        role = N.clean_role(m.role) if m.role else None
        while role and " " in role and N.skeleton(N.strip_possessive(role.rsplit(" ", 1)[1])) in name_words:
            role = role.rsplit(" ", 1)[0]  # "presidential aide Yury" (a piece of the name)
        if role:
            found.setdefault(N.role_key(role), role)
    keys = list(found)
    return tuple(found[k] for k in keys if k and not any(N.role_subsumed(k, o) for o in keys))


def _canonical(members: list[_Local], etype: str) -> str:
    """The fullest common form: most full words, then most articles and mentions."""
    articles: dict[str, set[str]] = defaultdict(set)
    count: Counter[str] = Counter()
    # The brief is written in English: a form from an English (or unidentified) article is
    # preferred to a spelling in another language or script where the story has one.
    english = [g for g in members if g.language in (None, "en")]
    for g in english or members:
        form = _canonical_form(g, etype)
        if not form:
            continue
        articles[form].add(g.article)
        count[form] += len(g.mentions)

    def fullness(form: str) -> tuple[int, int]:
        return N.person_fullness(form) if etype == "PERSON" else (len(form.split()), len(form.split()))

    if not articles:
        return members[0].name
    if etype != "PERSON":
        return min(articles, key=lambda f: (-fullness(f)[0], -len(articles[f]), -count[f], f))
    # Among the full forms (given name and surname), the one most articles use.
    floor = min(2, max(fullness(f)[0] for f in articles))
    full = [f for f in articles if fullness(f)[0] >= floor]
    return min(full, key=lambda f: (-len(articles[f]), -fullness(f)[0], -count[f], -fullness(f)[1], f))


def _canonical_form(g: _Local, etype: str) -> str:
    return N.strip_courtesy_title(N.display_form(g.match_name)) if etype == "PERSON" else N.display_form(g.name)


def _entity_id(etype: str, name: str) -> str:
    digest = hashlib.sha1(f"{etype}\x1f{name}".encode()).hexdigest()[:12]
    return f"ent-{digest}"


def _with_id(entity: Entity, new_id: str) -> Entity:
    return Entity(new_id, entity.name, entity.type, entity.aliases, entity.roles, entity.mentions)


__all__ = ["resolve_entities"]

