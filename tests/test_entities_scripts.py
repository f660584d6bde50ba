"""One entity across scripts and languages (reconcile/entities.py, issue 21): invented names."""

from __future__ import annotations

from dataclasses import replace

from rashomon.reconcile import names as N
from rashomon.reconcile.entities import resolve_entities
from tests.test_entities_story import _analysis, _entity


def _in(language: str, analysis):
    return replace(analysis, article=replace(analysis.article, language=language))


def _story():
    en = _analysis("en1", "Port director Ilona Brevik said the pier would open. Brevik added more.",
                   [("Ilona Brevik", "PERSON", "Ilona Brevik", "Port director"), ("Brevik", "PERSON", "Ilona Brevik")])
    en2 = _analysis("en2", "Ilona Brevik and Theodor Gasparov spoke in Lunmark with Lev Shanin.",
                    [("Ilona Brevik", "PERSON", "Ilona Brevik"), ("Theodor Gasparov", "PERSON", "Theodor Gasparov"),
                     ("Lev Shanin", "PERSON", "Lev Shanin")])
    ru = _in("ru", _analysis("ru1", "Илона Бревик заявила, что Теодор Гаспаров согласен.",
                             [("Илона Бревик", "PERSON", "Илона Бревик"), ("Теодор Гаспаров", "PERSON", "Теодор Гаспаров")]))
    de = _in("de", _analysis("de1", "Teodor Gasparow sagte, Lew Schanin sei bereit.",
                             [("Teodor Gasparow", "PERSON", "Teodor Gasparow"), ("Lew Schanin", "PERSON", "Lew Schanin")]))
    return en, en2, ru, de


def test_cyrillic_and_german_spellings_join_the_english_entity():
    en, en2, ru, de = _story()
    res = resolve_entities([en, en2, ru, de])
    brevik = _entity(res, "en1", "Ilona Brevik")
    assert _entity(res, "ru1", "Илона Бревик").id == brevik.id
    assert brevik.name == "Ilona Brevik"  # the brief's English form, not the Cyrillic one
    assert "Илона Бревик" in brevik.aliases
    gasparov = _entity(res, "en2", "Theodor Gasparov")
    assert _entity(res, "ru1", "Теодор Гаспаров").id == gasparov.id
    assert _entity(res, "de1", "Teodor Gasparow").id == gasparov.id
    assert _entity(res, "de1", "Lew Schanin").id == _entity(res, "en2", "Lev Shanin").id  # German sch = sh
    assert {"Теодор Гаспаров", "Teodor Gasparow"} <= set(gasparov.aliases)
    # provenance unchanged: every mention span still points into its own article's text
    texts = {a.article.id: a.article.text for a in (en, en2, ru, de)}
    for entity in res.entities:
        for span in entity.mentions:
            assert texts[span.article][span.start:span.end] == span.text


def test_different_people_in_another_script_stay_apart():
    en = _analysis("en1", "Ilona Brevik spoke.", [("Ilona Brevik", "PERSON", "Ilona Brevik")])
    ru = _in("ru", _analysis("ru1", "Олег Бревик возразил. Илона Гривик молчала.",
                             [("Олег Бревик", "PERSON", "Олег Бревик"), ("Илона Гривик", "PERSON", "Илона Гривик")]))
    res = resolve_entities([en, ru])
    ids = {_entity(res, "en1", "Ilona Brevik").id, _entity(res, "ru1", "Олег Бревик").id,
           _entity(res, "ru1", "Илона Гривик").id}
    assert len(ids) == 3  # another given name, another surname: three people


def test_german_respelling_is_not_applied_to_english_articles():
    # "Schanin" written in an English article is read as written: no German table there, so
    # it stays apart from "Shanin" (two spellings an English text would keep for two people).
    en = _analysis("en1", "Lev Shanin spoke.", [("Lev Shanin", "PERSON", "Lev Shanin")])
    en2 = _analysis("en2", "Lev Schanin spoke.", [("Lev Schanin", "PERSON", "Lev Schanin")])
    res = resolve_entities([en, en2])
    assert _entity(res, "en1", "Lev Shanin").id != _entity(res, "en2", "Lev Schanin").id


def test_surname_alone_in_cyrillic_joins_the_one_full_name():
    en = _analysis("en1", "Ilona Brevik spoke.", [("Ilona Brevik", "PERSON", "Ilona Brevik")])
    ru = _in("ru", _analysis("ru1", "Бревик заявила.", [("Бревик", "PERSON", "Бревик")]))
    res = resolve_entities([en, ru])
    assert _entity(res, "ru1", "Бревик").id == _entity(res, "en1", "Ilona Brevik").id


def test_th_spelling_and_other_scripts_in_the_name_keys():
    assert N.skeleton("Martha") == N.skeleton("Marta")
    assert N.skeleton("Марта") == N.skeleton("Marta")
    assert N.translit_close("Коваленко", "Kovalenko")
    assert not N.translit_close("Коваленко", "Kovalchuk")
    a, b = N.parse_person("Марта Коваленко"), N.parse_person("Martha Kovalenko")
    assert N.persons_compatible(a, b)
    assert not N.persons_compatible(N.parse_person("Мария Коваленко"), b)
