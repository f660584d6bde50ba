"""Statements across translations, the non-English analysis path and its rendering, and the
demo's Russian report. Invented articles only."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from rashomon.analyze.article import analyze_articles, scope_of
from rashomon.model import Article
from rashomon.reconcile.brief import build_brief
from rashomon.reconcile.entities import resolve_entities
from rashomon.reconcile.statements import group_statements

EN = Article(
    id="en-1", source="en-1", language="en", outlet="Lakeside Courier", title="Port talks to go on",
    text=("Harbour commissioner Gennady Miroshnikov spoke after the talks in Orvik on Tuesday.\n"
          "\"We agreed to extend the fishing quota talks until the end of the month,\" Miroshnikov told reporters.\n"
          "\"The new pier will be finished in the autumn,\" Miroshnikov said."),
)
RU = Article(
    id="ru-1", source="ru-1", language="ru", outlet="Орвикский вестник", title="Переговоры о квотах продлены",
    text=("Портовый комиссар Геннадий Мирошников выступил во вторник в Орвике.\n"
          "«Мы договорились продлить переговоры о квотах на вылов рыбы до конца месяца», — заявил Мирошников.\n"
          "«Мы ждем делегацию из соседней страны в понедельник», — добавил он."),
)
DE = Article(
    id="de-1", source="de-1", language="de", outlet="Küstenbote", title="Quotengespräche verlängert",
    text=("Die Sprecherin der Fischereibehörde, Helga Sandvik, äußerte sich am Dienstag.\n"
          "„Wir haben vereinbart, die Gespräche über die Fangquoten bis Monatsende zu verlängern“, sagte Sandvik."),
)


@pytest.fixture(scope="module")
def analyses():
    return list(analyze_articles([EN, RU, DE]))


def by_article(statement):
    return {v.span.article for v in statement.variants}


def test_a_non_english_article_is_analysed_for_grouping_and_quotes_only(analyses):
    en, ru, de = analyses
    assert en.scope == "full" and en.claims and en.times
    for a in (ru, de):
        assert a.scope == "grouping and quotes"
        assert a.claims == () and a.times == ()  # no English parse-based claims or times from it
        assert a.quotes and all(q.kind == "direct" for q in a.quotes)
        assert all(a.article.text[m.span.start:m.span.end] == m.span.text for m in a.entities)


def test_a_language_without_a_lexicon_is_analysed_for_grouping_only():
    it = Article(id="it-1", source="it-1", language="it", text="«Il ponte riaprirà ad aprile», ha detto Rossi.")
    [a] = analyze_articles([it], embed=False)
    assert scope_of(it) == "grouping" and a.scope == "grouping" and a.quotes == () and a.claims == ()


def test_a_russian_and_an_english_rendering_of_one_statement_group(analyses):
    statements = group_statements(analyses, resolve_entities(analyses))
    quota = [s for s in statements if "ru-1" in by_article(s) and "en-1" in by_article(s)]
    assert len(quota) == 1
    [st] = quota
    assert st.speaker_name == "Gennady Miroshnikov"  # named as in English
    assert "extend the fishing quota talks" in st.text or any("квотах" in v.span.text for v in st.variants)


def test_two_different_statements_of_one_speaker_stay_apart(analyses):
    statements = group_statements(analyses, resolve_entities(analyses))
    pier = next(s for s in statements if any("pier" in v.span.text for v in s.variants))
    delegation = next(s for s in statements if any("делегацию" in v.span.text for v in s.variants))
    assert pier.id != delegation.id
    assert by_article(pier) == {"en-1"} and by_article(delegation) == {"ru-1"}


def test_another_speaker_saying_the_same_thing_stays_apart(analyses):
    statements = group_statements(analyses, resolve_entities(analyses))
    sandvik = [s for s in statements if "de-1" in by_article(s)]
    assert sandvik and all(by_article(s) == {"de-1"} for s in sandvik)


def test_the_brief_marks_scope_and_the_renderings_languages(analyses):
    from rashomon.render.html import render_html
    from rashomon.render.jsonout import brief as brief_json
    from rashomon.render.markdown import render_markdown

    b = build_brief("story-ml", analyses)
    assert dict(b.scopes) == {"ru-1": "grouping and quotes", "de-1": "grouping and quotes"}
    doc = brief_json(b)
    assert {a["id"]: a["scope"] for a in doc["articles"]} == {"en-1": "full", "ru-1": "grouping and quotes",
                                                            "de-1": "grouping and quotes"}
    variants = [v for s in doc["statements"] for v in s["variants"]]
    assert {(v["language"], v["outlet"]) for v in variants} >= {("ru", "Орвикский вестник"), ("en", "Lakeside Courier")}
    md = render_markdown(b)
    assert "analysed for grouping and quotes only" in md and "Орвикский вестник [ru]" in md
    html = render_html([b])
    assert "analysed for grouping and quotes only" in html and '<span class="lang">ru</span>' in html


def test_the_multilingual_check_data_is_consistent():
    from pathlib import Path

    data = json.loads((Path(__file__).parent / "data" / "multilingual_statements.json").read_text(encoding="utf-8"))
    langs = {a["language"] for a in data["articles"]}
    assert {"en", "ru", "de", "fr", "es"} <= langs
    assert len({q["statement"] for a in data["articles"] for q in a["quotes"]}) >= 12
    for a in data["articles"]:
        for q in a["quotes"]:
            assert q["needle"] in a["text"]


def test_the_demo_has_a_russian_report_whose_quotes_join_the_english_renderings():
    """The demo's Russian report (language set here as identification sets it at ingest)."""
    from rashomon.demo import demo_paths
    from rashomon.ingest import files

    articles = [a for a in files.read_paths(demo_paths()) if isinstance(a, Article)]
    russian = [a for a in articles if "Тарровский мост" in (a.title or "")]
    assert len(russian) == 1
    event = [replace(a, language="ru") if a is russian[0] else a for a in articles if "Ravensholm" not in (a.title or "")]
    analyses = list(analyze_articles(event))
    ru = next(a for a in analyses if a.article.id == russian[0].id)
    assert ru.scope == "grouping and quotes" and ru.claims == ()
    assert {q.speaker_name for q in ru.quotes} == {"Марта Коваленко", "Алексей Варга"}
    b = build_brief("demo", analyses)
    kovalenko = next(s for s in b.statements if russian[0].id in by_article(s) and s.speaker_name == "Marta Kovalenko")
    assert len(by_article(kovalenko)) >= 3  # the Russian words next to the English renderings


def test_the_demo_shows_the_russian_report(tmp_path):
    from typer.testing import CliRunner

    from rashomon.cli import app

    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "demo"), "--quiet"])
    assert result.exit_code == 0, result.output
    pages = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / "demo").glob("*.html"))
    assert "Тарровский мост" in pages
