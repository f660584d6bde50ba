"""Grouping across languages (invented reports): one event told in English, Russian, French and
Spanish is one story; a German report of another event joins that event's English report, not the first."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rashomon.group.crosslingual import cross_score, name_keys, name_overlap, on_join_scale
from rashomon.group.params import DEFAULT_PARAMS
from rashomon.group.stories import GroupItem, StoryGrouper

REPORTS = {
    "fire-en": ("Grain terminal fire closes Velmora port",
                "A fire broke out at the grain terminal in the port of Velmora on Tuesday night, and harbour master "
                "Oleg Strand said the port would stay closed until Thursday while firefighters cool the silos."),
    "fire-ru": ("Пожар на зерновом терминале закрыл порт Вельмора",
                "Во вторник вечером на зерновом терминале в порту Вельмора вспыхнул пожар, сообщил начальник порта "
                "Олег Странд, добавив, что порт будет закрыт до четверга, пока пожарные охлаждают силосы."),
    "fire-fr": ("Un incendie au terminal céréalier ferme le port de Velmora",
                "Un incendie s'est déclaré mardi soir au terminal céréalier du port de Velmora ; le capitaine du port, "
                "Oleg Strand, a indiqué que le port resterait fermé jusqu'à jeudi, le temps que les pompiers refroidissent les silos."),
    "fire-es": ("Un incendio en la terminal de grano cierra el puerto de Velmora",
                "Un incendio estalló el martes por la noche en la terminal de grano del puerto de Velmora, y el capitán "
                "del puerto, Oleg Strand, dijo que el puerto seguirá cerrado hasta el jueves mientras los bomberos enfrían los silos."),
    "library-de": ("Quellbach eröffnet neue Stadtbibliothek",
                   "Die Stadt Quellbach hat am Dienstag ihre neue Stadtbibliothek eröffnet; Bürgermeisterin Ilse Varga "
                   "sagte, das Gebäude biete Platz für 80.000 Bücher und einen Lesesaal für Kinder."),
    "library-en": ("Quellbach opens its new library",
                   "The town of Quellbach opened its new public library on Tuesday, and mayor Ilse Varga said the "
                   "building holds 80,000 books and a reading room for children."),
}


@pytest.fixture(scope="module")
def items() -> dict[str, GroupItem]:
    from rashomon.analyze.article import analyze_articles
    from rashomon.group.grouping import group_item
    from rashomon.ingest.files import article_from_record

    articles = [article_from_record({"id": key, "title": title, "text": text, "published": "2031-05-07"}, source=key)
                for key, (title, text) in REPORTS.items()]
    return {a.article.source.split("#")[-1]: group_item(a) for a in analyze_articles(articles)}


def test_languages_are_read_at_ingest(items):
    assert {k: i.language for k, i in items.items()} == {
        "fire-en": "en", "fire-ru": "ru", "fire-fr": "fr", "fire-es": "es", "library-de": "de", "library-en": "en"}
    assert all(len(i.embedding_ml) == 512 for i in items.values())


def test_one_event_in_two_languages_is_one_story_and_another_event_stays_apart(items):
    stories = StoryGrouper().add_many(items.values())
    story = {a.article_id: a.story_id for a in stories}
    by_key = {key: story[item.article_id] for key, item in items.items()}
    assert by_key["fire-ru"] == by_key["fire-en"] == by_key["fire-fr"] == by_key["fire-es"]
    assert by_key["library-de"] == by_key["library-en"]
    assert by_key["library-de"] != by_key["fire-en"]


def test_each_report_alone_with_the_other_event_starts_its_own_story(items):
    for a, b in (("fire-ru", "library-de"), ("library-de", "fire-en"), ("fire-ru", "library-en"),
                 ("fire-fr", "library-de"), ("fire-es", "library-en")):
        grouper = StoryGrouper()
        grouper.add_many([items[a], items[b]])
        assert len(grouper.stories()) == 2, (a, b)


def test_english_articles_never_take_the_cross_language_path():
    """Two English items are compared on the English path only, even when their multilingual
    vectors are identical: an English-only feed is grouped as it was."""
    rng = np.random.default_rng(7)
    same_ml = tuple(rng.normal(size=512))
    a = GroupItem("a", tuple(rng.normal(size=384)), frozenset(), "2031-05-07", "one text about a ferry", None,
                  frozenset({"ferry"}), same_ml, "en")
    b = GroupItem("b", tuple(rng.normal(size=384)), frozenset(), "2031-05-07", "another text about a bridge", None,
                  frozenset({"bridge"}), same_ml, None)
    grouper = StoryGrouper()
    grouper.add_many([a, b])
    assert len(grouper.stories()) == 2
    c = GroupItem("c", tuple(rng.normal(size=384)), frozenset(), "2031-05-07", "ein Text über eine Fähre", None,
                  frozenset(), same_ml, "de")
    assert grouper.add(c).story_id in grouper.stories()  # the German one finds them in the multilingual space
    assert grouper.assignment("c").story_id in ("sa", "sb")


def test_name_keys_match_across_scripts_and_case_endings():
    russian = name_keys("Помощник президента Юрий Ушаков заявил, что встретится с Дональдом Трампом в Анкаре.")
    english = name_keys("Presidential aide Yuri Ushakov said he would meet Donald Trump in Ankara.")
    assert {"ushk", "trmp", "dnld", "ankr"} <= russian & english
    assert "prsd" not in english  # a sentence's first word is no name
    assert name_overlap(russian, frozenset()) is None


def test_cross_scores_share_the_english_scale():
    params = DEFAULT_PARAMS
    at_threshold = on_join_scale(params.cross_join_threshold, params)
    assert at_threshold == pytest.approx(params.join_threshold)
    with_names = replace(params, cross_weight_meaning=0.8, cross_weight_names=0.2)
    assert cross_score(0.9, 1.0, None, with_names) > cross_score(0.9, 0.0, None, with_names)
    assert cross_score(0.9, None, None, with_names) == pytest.approx(0.9)  # no names: no evidence either way
    assert cross_score(0.9, None, 30) < cross_score(0.9, None, 0)  # dates far apart count against


def test_a_foreign_report_is_found_among_many_closer_english_ones():
    """An English article whose nearest neighbours in the multilingual space are all English
    still finds the one Russian report of its event (the foreign members have their own index)."""
    rng = np.random.default_rng(11)
    base = rng.normal(size=512)
    base /= np.linalg.norm(base)
    other = rng.normal(size=512)
    other -= other.dot(base) * base
    other /= np.linalg.norm(other)
    russian_ml = 0.8 * base + 0.6 * other  # cosine 0.8 with ``base``
    fillers = [GroupItem(f"e{i:02d}", tuple(rng.normal(size=384)), frozenset(), "2031-05-07", f"filler text {i}", None,
                         frozenset({f"word{i}"}), tuple(base), "en") for i in range(DEFAULT_PARAMS.neighbours + 8)]
    russian = GroupItem("ru", tuple(rng.normal(size=384)), frozenset(), "2031-05-07", "русский текст", None,
                        frozenset(), tuple(russian_ml), "ru")
    english = GroupItem("zz", tuple(rng.normal(size=384)), frozenset(), "2031-05-07", "the new English report", None,
                        frozenset({"new"}), tuple(base), "en")
    grouper = StoryGrouper()
    grouper.add_many([*fillers, russian])
    assert grouper.add(english).story_id == grouper.assignment("ru").story_id


def test_the_multilingual_vector_is_stored_compactly_and_read_back():
    from rashomon.model import Analysis, Article
    from rashomon.store import Store
    from rashomon.store.vectors import ML_KEY

    rng = np.random.default_rng(3)
    vector = rng.normal(size=512)
    vector /= np.linalg.norm(vector)
    article = Article(id="ru1", source="ru1", text="Паром не ходит до четверга.", language="ru", language_basis="detected")
    store = Store(":memory:")
    store.add_article(article)
    store.put_analysis(Analysis(article=article, embedding=(0.6, 0.8), embedding_ml=tuple(vector)), "v1")
    raw = store.db.execute("SELECT data FROM analyses").fetchone()[0]
    assert ML_KEY in raw and len(raw) < 2_000  # base64 of float16, not 512 numbers in JSON
    back = store.load_analysis(article, "v1")
    assert len(back.embedding_ml) == 512
    assert float(np.dot(back.embedding_ml, vector)) == pytest.approx(1.0, abs=1e-3)
    store.put_analysis(Analysis(article=article, embedding=(0.6, 0.8)), "v1")  # none computed: none stored
    assert store.load_analysis(article, "v1").embedding_ml == ()


def test_an_article_stored_as_english_by_the_old_ingest_is_identified_again():
    from rashomon.group.grouping import article_language
    from rashomon.model import Article

    text = REPORTS["fire-ru"][1]
    assert article_language(Article(id="x", source="x", text=text, language="en")) == "ru"  # asserted, no basis
    assert article_language(Article(id="x", source="x", text=text, language="en", language_basis="stated")) == "en"
    assert article_language(Article(id="x", source="x", text=text)) is None  # unknown stays unknown
