"""Story-level entity resolution (reconcile/entities.py): invented fixtures and the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.model import Analysis, Article, Mention, Span
from rashomon.reconcile import names as N
from rashomon.reconcile.entities import resolve_entities
from tests.conftest import need

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"


# ----------------------------------------------------------------------------- helpers


def _analysis(article_id: str, text: str, mentions: list[tuple]) -> Analysis:
    """Mentions given as (surface, type, name[, role]); each surface is found in order."""
    out, pos = [], 0
    for item in mentions:
        surface, mtype, name = item[:3]
        role = item[3] if len(item) > 3 else None
        start = text.index(surface, pos)
        pos = start + len(surface)
        role_span = None
        if role:
            r = text.rindex(role, 0, start + 1) if role in text[:start] else text.index(role)
            role_span = Span.of(article_id, text, r, r + len(role))
        out.append(Mention(Span.of(article_id, text, start, pos), mtype, name, role, role_span))
    return Analysis(article=Article(id=article_id, source=f"{article_id}.txt", text=text), entities=tuple(out))


def _entity(res, article_id: str, name: str):
    entity = res.entity_for(article_id, name)
    assert entity is not None, f"{name!r} in {article_id} resolved to nothing"
    return entity


@pytest.fixture(scope="module")
def story():
    a = _analysis(
        "a",
        "Kremlin aide Yuri Ushakov said the UAE could host it. Ushakov met Steven Witkoff. "
        "President Vladimir Putin spoke. Ukrainian President Volodymyr Zelensky did not. "
        "Kirill Dmitriev, a close economic adviser to Putin, agreed. The U.S. said little.",
        [
            ("Yuri Ushakov", "PERSON", "Yuri Ushakov", "Kremlin aide"),
            ("UAE", "GPE", "UAE"),
            ("Ushakov", "PERSON", "Yuri Ushakov"),
            ("Steven Witkoff", "PERSON", "Steven Witkoff"),
            ("Vladimir Putin", "PERSON", "Vladimir Putin", "President"),
            ("Volodymyr Zelensky", "PERSON", "Volodymyr Zelensky", "Ukrainian President"),
            ("Kirill Dmitriev", "PERSON", "Kirill Dmitriev", "close economic adviser to Putin"),
            ("Putin", "PERSON", "Vladimir Putin"),
            ("U.S.", "GPE", "U.S."),
        ],
    )
    b = _analysis(
        "b",
        "Russian presidential aide Yury Ushakov met envoy Steve Witkoff in the Kremlin. "
        "Donald Trump and Joe Biden were named; Trump spoke of Zelenskyy. "
        "Kirill A Dmitriev, presidential special representative, wrote on X. "
        "The United Arab Emirates and the United States and Washington were mentioned. "
        "The Kremlin said the talks were useful.",
        [
            ("Yury Ushakov", "PERSON", "Yury Ushakov", "Russian presidential aide"),
            ("Steve Witkoff", "PERSON", "Steve Witkoff", "envoy"),
            ("Kremlin", "OTHER", "Kremlin"),
            ("Donald Trump", "PERSON", "Donald Trump"),
            ("Joe Biden", "PERSON", "Joe Biden"),
            ("Trump", "PERSON", "Donald Trump"),
            ("Zelenskyy", "PERSON", "Zelenskyy"),
            ("Kirill A Dmitriev", "PERSON", "Kirill A Dmitriev", "presidential special representative"),
            ("United Arab Emirates", "GPE", "United Arab Emirates"),
            ("United States", "GPE", "the United States"),
            ("Washington", "GPE", "Washington"),
            ("Kremlin", "ORG", "the Kremlin"),
        ],
    )
    c = _analysis(
        "c",
        "Dmitriev Sees Historic Importance\nBreakthrough in Preparations\n"
        "Witkoff, a real estate developer, met Putin. Dmitriev agreed.",
        [
            ("Dmitriev Sees Historic Importance", "PERSON", "Dmitriev Sees Historic Importance"),
            ("Breakthrough", "PERSON", "Breakthrough"),
            ("Witkoff", "PERSON", "Witkoff", "real estate developer"),
            ("Putin", "PERSON", "Putin"),
            ("Dmitriev", "PERSON", "Dmitriev"),
        ],
    )
    analyses = [a, b, c]
    return analyses, resolve_entities(analyses)


# ----------------------------------------------------------------------------- fixtures


def test_transliteration_and_nickname_variants_merge(story):
    _, res = story
    assert _entity(res, "a", "Yuri Ushakov") is _entity(res, "b", "Yury Ushakov")
    assert _entity(res, "a", "Volodymyr Zelensky") is _entity(res, "b", "Zelenskyy")
    assert _entity(res, "a", "Steven Witkoff") is _entity(res, "b", "Steve Witkoff") is _entity(res, "c", "Witkoff")
    assert _entity(res, "a", "Kirill Dmitriev") is _entity(res, "b", "Kirill A Dmitriev") is _entity(res, "c", "Dmitriev")
    ushakov = _entity(res, "a", "Yuri Ushakov")
    assert ushakov.name == "Yuri Ushakov" and ushakov.type == "PERSON"
    assert {"Yury Ushakov", "Ushakov"} <= set(ushakov.aliases)


def test_distinct_people_never_merge(story):
    _, res = story
    people = {n: _entity(res, art, n).id for art, n in [
        ("a", "Vladimir Putin"), ("b", "Donald Trump"), ("b", "Joe Biden"),
        ("a", "Yuri Ushakov"), ("a", "Kirill Dmitriev"), ("a", "Steven Witkoff"), ("a", "Volodymyr Zelensky"),
    ]}
    assert len(set(people.values())) == len(people)


def test_roles_collected_and_deduplicated(story):
    _, res = story
    ushakov = _entity(res, "a", "Yuri Ushakov")
    assert ushakov.roles == ("Kremlin aide", "Russian presidential aide")
    dmitriev = _entity(res, "a", "Kirill Dmitriev")
    assert dmitriev.roles == ("close economic adviser to Putin", "presidential special representative")
    witkoff = _entity(res, "a", "Steven Witkoff")
    assert set(witkoff.roles) == {"envoy", "real estate developer"}


def test_places_abbreviations_and_metonyms(story):
    _, res = story
    assert _entity(res, "a", "UAE") is _entity(res, "b", "United Arab Emirates")
    us = _entity(res, "a", "U.S.")
    assert us is _entity(res, "b", "the United States") and us.name == "United States"
    assert _entity(res, "b", "Washington") is not us  # documented judgement: not merged
    assert _entity(res, "b", "the Kremlin") is not _entity(res, "b", "Kremlin")  # institution vs building
    assert _entity(res, "b", "the Kremlin").type == "ORG"


def test_headline_fragments_are_not_people(story):
    _, res = story
    assert _entity(res, "c", "Dmitriev Sees Historic Importance") is _entity(res, "a", "Kirill Dmitriev")
    assert _entity(res, "c", "Breakthrough").type != "PERSON"
    for e in res.entities:
        if e.type == "PERSON":
            assert N.person_name_end(e.name) == len(e.name.split()), e.name


def test_by_name_covers_every_mention_and_spans_hold(story):
    analyses, res = story
    ids = {e.id for e in res.entities}
    for a in analyses:
        for m in a.entities:
            assert res.by_name[(a.article.id, m.name)] in ids
    texts = {a.article.id: a.article.text for a in analyses}
    for e in res.entities:
        for s in e.mentions:
            assert texts[s.article][s.start:s.end] == s.text
    counts = [(-len(e.mentions), e.name) for e in res.entities]
    assert counts == sorted(counts)


def test_deterministic_and_order_independent(story):
    analyses, res = story
    again = resolve_entities(list(analyses))
    assert again == res
    flipped = resolve_entities(list(reversed(analyses)))
    assert {(e.id, e.name, frozenset(e.aliases), frozenset(e.mentions)) for e in flipped.entities} == {
        (e.id, e.name, frozenset(e.aliases), frozenset(e.mentions)) for e in res.entities
    }


def test_ambiguous_names_stay_apart():
    a = _analysis("a", "George W. Bush and George H. W. Bush met.", [
        ("George W. Bush", "PERSON", "George W. Bush"), ("George H. W. Bush", "PERSON", "George H. W. Bush")])
    b = _analysis("b", "George Bush spoke. Hillary Clinton and Bill Clinton came.", [
        ("George Bush", "PERSON", "George Bush"), ("Hillary Clinton", "PERSON", "Hillary Clinton"),
        ("Bill Clinton", "PERSON", "Bill Clinton")])
    c = _analysis("c", "Clinton said no. Bush said yes.", [
        ("Clinton", "PERSON", "Clinton"), ("Bush", "PERSON", "Bush")])
    res = resolve_entities([a, b, c])
    w, hw, g = (_entity(res, "a", "George W. Bush"), _entity(res, "a", "George H. W. Bush"), _entity(res, "b", "George Bush"))
    assert len({w.id, hw.id, g.id}) == 3  # "George Bush" fits both, so joins neither
    assert _entity(res, "b", "Hillary Clinton") is not _entity(res, "b", "Bill Clinton")
    clinton = _entity(res, "c", "Clinton")
    assert clinton is not _entity(res, "b", "Hillary Clinton") and clinton is not _entity(res, "b", "Bill Clinton")


def test_surname_joins_the_person_sharing_its_role():
    a = _analysis("a", "Senator Hillary Clinton and former president Bill Clinton came.", [
        ("Hillary Clinton", "PERSON", "Hillary Clinton", "Senator"),
        ("Bill Clinton", "PERSON", "Bill Clinton", "former president")])
    b = _analysis("b", "The former president Clinton spoke.", [("Clinton", "PERSON", "Clinton", "former president")])
    res = resolve_entities([a, b])
    assert _entity(res, "b", "Clinton") is _entity(res, "a", "Bill Clinton")


def test_name_cut_in_two_by_ner_is_read_whole():
    a = _analysis("a", "Presidential aide Yury Ushakov spoke. Kirill A Dmitriev wrote. US Donald Trump", [
        ("Yury", "ORG", "Yury"), ("Ushakov", "PERSON", "Ushakov"),
        ("Kirill A", "PERSON", "Kirill A"), ("Dmitriev", "GPE", "Dmitriev"),
        ("US", "GPE", "US"), ("Donald Trump", "PERSON", "Donald Trump")])
    b = _analysis("b", "Yuri Ushakov and Kirill Dmitriev.", [
        ("Yuri Ushakov", "PERSON", "Yuri Ushakov"), ("Kirill Dmitriev", "PERSON", "Kirill Dmitriev")])
    res = resolve_entities([a, b])
    ushakov = _entity(res, "b", "Yuri Ushakov")
    assert _entity(res, "a", "Yury") is ushakov is _entity(res, "a", "Ushakov")
    assert "Yury Ushakov" in ushakov.aliases
    assert _entity(res, "a", "US") is not _entity(res, "a", "Donald Trump")  # a place is never a name piece


def test_name_rules():
    assert N.skeleton("Zelenskyy") == N.skeleton("Zelensky") == N.skeleton("Zelenskiy")
    assert N.given_compatible("steve", "steven") and N.given_compatible("k", "kirill")
    assert not N.given_compatible("hillary", "bill")
    assert N.org_key("the U.S.") == N.org_key("United States") == N.org_key("America")
    assert N.acronym_of("United Arab Emirates") == N.as_acronym("U.A.E.") == "uae"
    assert N.parse_person("Kirill A") is None
    assert N.person_name_end("Mark Rutte") == 2


# ----------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seed_resolution():
    need(SEEDS)
    from rashomon.analyze.entities import extract_mentions
    from rashomon.analyze.nlp import load_nlp
    from rashomon.ingest.files import article_from_text

    nlp = load_nlp()
    analyses = []
    for path in sorted(SEEDS.glob("*.txt")):
        article = article_from_text(path.read_text(encoding="utf-8"), source=str(path))
        assert isinstance(article, Article), article
        analyses.append(Analysis(article=article, entities=tuple(extract_mentions(nlp(article.text), article.id))))
    return analyses, resolve_entities(analyses)


def _people(res, surname: str):
    return [e for e in res.entities if e.type == "PERSON" and surname in e.name]


def _articles_writing(analyses, word: str) -> set[str]:
    return {a.article.id for a in analyses if word in a.article.text}


@pytest.mark.parametrize("surname", ["Ushakov", "Zelensky", "Witkoff", "Dmitriev", "Putin", "Trump"])
def test_seed_person_is_one_entity_across_articles(seed_resolution, surname):
    analyses, res = seed_resolution
    found = _people(res, surname)
    assert len(found) == 1, [e.name for e in found]
    assert {s.article for s in found[0].mentions} == _articles_writing(analyses, surname)


def test_seed_variant_spellings_merged(seed_resolution):
    _, res = seed_resolution
    (zelensky,) = _people(res, "Zelensky")
    assert {zelensky.name, *zelensky.aliases} >= {"Volodymyr Zelensky", "Volodymyr Zelenskyy"}
    (witkoff,) = _people(res, "Witkoff")
    assert {witkoff.name, *witkoff.aliases} >= {"Steve Witkoff", "Steven Witkoff"}
    (ushakov,) = _people(res, "Ushakov")
    assert ushakov.name == "Yuri Ushakov" and "Yury Ushakov" in ushakov.aliases
    (dmitriev,) = _people(res, "Dmitriev")
    assert dmitriev.name == "Kirill Dmitriev" and "Kirill A Dmitriev" in dmitriev.aliases


def test_seed_people_not_wrongly_merged(seed_resolution):
    _, res = seed_resolution
    for e in res.entities:
        if e.type != "PERSON":
            continue
        surnames = {N.surname_key(p) for p in map(N.parse_person, (e.name, *e.aliases)) if p is not None}
        assert len(surnames) == 1, (e.name, e.aliases)


def test_seed_roles(seed_resolution):
    _, res = seed_resolution
    (ushakov,) = _people(res, "Ushakov")
    roles = {r.lower() for r in ushakov.roles}
    assert {"kremlin aide", "kremlin foreign policy aide"} <= roles
    assert any(r.endswith("presidential aide") for r in roles)
    (dmitriev,) = _people(res, "Dmitriev")
    assert "close economic adviser to Putin" in dmitriev.roles
    assert any("special envoy for international economic cooperation" in r for r in dmitriev.roles)
    assert any("special representative" in r for r in dmitriev.roles)
    (witkoff,) = _people(res, "Witkoff")
    assert any("special envoy" in r for r in witkoff.roles)


def test_seed_no_headline_fragment_person(seed_resolution):
    _, res = seed_resolution
    for e in res.entities:
        if e.type == "PERSON":
            parsed = N.parse_person(e.name)
            assert parsed is not None and parsed.full, e.name  # every seed person has a full name
            assert N.person_name_end(e.name) == len(e.name.split()), e.name


# ------------------------------------------------------------ transliteration families


def test_one_person_across_three_spellings():
    texts = {
        "t1": ("Mohammed Rahimi, the port director, spoke on Monday.", "Mohammed Rahimi"),
        "t2": ("Port director Muhammad Rahimy said the berths were full.", "Muhammad Rahimy"),
        "t3": ("Mohamed Rakhimi declined to comment further.", "Mohamed Rakhimi"),
    }
    analyses = [_analysis(aid, text, [(name, "PERSON", name)]) for aid, (text, name) in texts.items()]
    res = resolve_entities(analyses)
    ids = {_entity(res, aid, name).id for aid, (_, name) in texts.items()}
    assert len(ids) == 1


def test_romanisations_of_a_place_join_and_different_names_stay_apart():
    a = _analysis("a", "Shelling hit Chernihiv overnight. Zelenskyy visited.",
                  [("Chernihiv", "GPE", "Chernihiv"), ("Zelenskyy", "PERSON", "Zelenskyy")])
    b = _analysis("b", "Chernigov was shelled, Volodymyr Zelenskiy said. Jon Miller and Jan Mahler watched.",
                  [("Chernigov", "GPE", "Chernigov"), ("Volodymyr Zelenskiy", "PERSON", "Volodymyr Zelenskiy"),
                   ("Jon Miller", "PERSON", "Jon Miller"), ("Jan Mahler", "PERSON", "Jan Mahler")])
    res = resolve_entities([a, b])
    assert _entity(res, "a", "Chernihiv").id == _entity(res, "b", "Chernigov").id
    assert _entity(res, "a", "Zelenskyy").id == _entity(res, "b", "Volodymyr Zelenskiy").id
    assert _entity(res, "b", "Jon Miller").id != _entity(res, "b", "Jan Mahler").id


def test_transliteration_key_is_general():
    assert N.translit_key("Mohammed") == N.translit_key("Muhammad") == N.translit_key("Mohamed")
    assert N.translit_key("Zelensky") == N.translit_key("Zelenskyy") == N.translit_key("Zelenskiy")
    assert N.translit_close("Chernihiv", "Chernigov") and N.translit_close("Kyiv", "Kiev")
    assert not N.translit_close("Smith", "Schmidt") and not N.translit_close("Putin", "Patton")


def test_a_name_the_story_uses_as_a_place_is_not_a_person():
    a = _analysis("a", "Rescue teams reached Qeshmar on Sunday. In Qeshmar, homes were damaged.",
                  [("Qeshmar", "PERSON", "Qeshmar"), ("Qeshmar", "GPE", "Qeshmar")])
    b = _analysis("b", "Aid flights landed near Qeshmar overnight.", [("Qeshmar", "PERSON", "Qeshmar")])
    res = resolve_entities([a, b])
    assert _entity(res, "b", "Qeshmar").type == "GPE"
    assert _entity(res, "a", "Qeshmar").id == _entity(res, "b", "Qeshmar").id
