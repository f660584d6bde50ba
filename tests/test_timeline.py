"""Publication-date inference and the story timeline, on the seed story and invented text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from rashomon.analyze.timex import extract_times
from rashomon.model import Analysis, Article
from rashomon.reconcile.timeline import build_timeline, infer_publication_dates
from tests.conftest import need

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"


@pytest.fixture(scope="module")
def nlp():
    from rashomon.analyze.nlp import load_nlp

    return load_nlp()


def _analysis(nlp, article: Article) -> Analysis:
    doc = nlp(article.text)
    return Analysis(article=article, times=tuple(extract_times(article.text, article.id, article.published, doc=doc)))


def _dated(nlp, analyses, dates):
    out = []
    for a in analyses:
        if a.article.id in dates:
            day, note = dates[a.article.id]
            art = dataclasses.replace(a.article, published=day, published_basis="inferred", published_note=note)
            a = dataclasses.replace(a, article=art, times=_analysis(nlp, art).times)
        out.append(a)
    return out


def _invented(nlp):
    dated = Article(id="dated", source="t", published="2025-08-07", published_basis="stated",
                    text="Envoy Anna Berg met Prime Minister Karl Holm in Oslo on Wednesday for three hours. "
                         "The two sides will meet again next week.")
    undated = Article(id="undated", source="t",
                      text="Anna Berg met Karl Holm in Oslo on Wednesday, the ministry said. "
                           "A second meeting could take place next week.")
    return [_analysis(nlp, dated), _analysis(nlp, undated)]


def test_undated_article_gets_an_inferred_date(nlp):
    analyses = _invented(nlp)
    dates = infer_publication_dates(analyses)
    assert list(dates) == ["undated"]
    day, note = dates["undated"]
    # "met ... on Wednesday" fits any day from 2025-08-06 on; the dated report's own day
    # (2025-08-07) is among them, and reports of one event usually appear together
    assert day == "2025-08-07"
    assert "dated report" in note and "Wednesday" in note


def test_same_event_in_two_articles_is_one_entry(nlp):
    analyses = _invented(nlp)
    analyses = _dated(nlp, analyses, infer_publication_dates(analyses))
    events = build_timeline(analyses, None)
    met = [e for e in events if e.date == "2025-08-06"]
    assert len(met) == 1
    assert {s.article for s in met[0].evidence} == {"dated", "undated"}
    assert met[0].date_basis == "relative"
    texts = {a.article.id: a.article.text for a in analyses}
    for e in events:
        for s in e.evidence:
            assert texts[s.article][s.start : s.end] == s.text
    assert events == build_timeline(analyses, None)  # deterministic, stable ids


def test_no_evidence_no_date(nlp):
    lone = Article(id="lone", source="t", text="The minister spoke on Tuesday about the budget.")
    analyses = [_analysis(nlp, lone)]
    assert infer_publication_dates(analyses) == {}
    events = build_timeline(analyses, None)
    assert all(e.date is None and e.date_basis == "unknown" for e in events)


@pytest.fixture(scope="module")
def seed_story(nlp):
    need(SEEDS)
    from rashomon.ingest.files import read_file

    articles = [a for p in sorted(SEEDS.glob("*.txt")) for a in read_file(p)]
    analyses = [_analysis(nlp, a) for a in articles]
    dates = infer_publication_dates(analyses)
    return analyses, dates, _dated(nlp, analyses, dates)


def test_seed_publication_dates(seed_story):
    analyses, dates, _ = seed_story
    stated = [a.article.id for a in analyses if a.article.published_basis == "stated"]
    undated = {a.article.id for a in analyses if a.article.published_basis == "unknown"}
    assert set(dates) == undated
    assert {d for d, _ in dates.values()} == {"2025-08-07"}
    assert all(stated[0] in note for _, note in dates.values())


def test_seed_timeline(seed_story):
    _, _, analyses = seed_story
    events = build_timeline(analyses, None)
    by_date: dict[str | None, list] = {}
    for e in events:
        by_date.setdefault(e.date, []).append(e)
    for day in ("2019", "2025-07-03", "2025-08-04", "2025-08-06", "2025-08-07", "2025-08-08", "2025-W33"):
        assert day in by_date, day
    meeting = max(by_date["2025-08-06"], key=lambda e: len(e.evidence))
    assert len({s.article for s in meeting.evidence}) >= 4
    assert any("Witkoff" in a for a in meeting.actors)
    assert len({s.article for s in max(by_date["2025-W33"], key=lambda e: len(e.evidence)).evidence}) >= 3
    texts = {a.article.id: a.article.text for a in analyses}
    for e in events:
        assert e.date_basis in ("explicit", "relative", "inferred", "unknown")
        assert (e.date is None) == (e.date_basis == "unknown")
        for s in e.evidence:
            assert texts[s.article][s.start : s.end] == s.text
    keys = [(e.date is None, e.id) for e in events]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)


def test_row_merged_across_three_outlets_with_a_readable_phrase(nlp):
    texts = {
        "post": "Trade envoy Mara Lind met President Tomas Eik in Brask on Monday to discuss tariffs.",
        "herald": "President Tomas Eik met trade envoy Mara Lind in Brask on Monday, his office said.",
        "wire": "Mara Lind, who was appointed envoy in 2019, met Tomas Eik in Brask on Monday.",
    }
    analyses = [_analysis(nlp, Article(id=k, source="t", text=v, published="2026-03-11", published_basis="stated"))
                for k, v in texts.items()]
    events = build_timeline(analyses, None)
    met = [e for e in events if e.date == "2026-03-09"]
    assert len(met) == 1  # one row for the meeting, whoever wrote it
    assert {s.article for s in met[0].evidence} == set(texts)
    assert "met" in met[0].description and "Brask" in met[0].description
    assert "appointed" not in met[0].description  # the aside stays out of the phrase
    appointed = [e for e in events if e.date == "2019"]
    assert appointed and appointed[0].description.startswith("Mara Lind")  # not "Who was appointed"


def test_dates_read_as_people_read_them():
    from rashomon.reconcile.dates import basis_note, date_label

    assert date_label("2025-08-06") == "Wed 6 Aug 2025"
    assert date_label("2025-W33") == "week of 11 Aug 2025"
    assert date_label("2025-08") == "Aug 2025"
    assert date_label("2025-Q3") == "Q3 2025"
    assert date_label(None) is None
    assert "publication date" in basis_note("relative")


def test_timeline_clustering_is_bucketed_by_date():
    from rashomon.reconcile.timeline import _Mention, cluster_mentions
    from rashomon.model import Span

    def mention(i: int, day: str, words: set[str]) -> _Mention:
        return _Mention(article=f"a{i}", date=day, basis="explicit", description="x", actors=(), verb_class=None,
                        kinds=frozenset(), has_subject=True, words=frozenset(words),
                        evidence=Span(f"a{i}", 0, 1, "x"), order=(f"a{i}", 0))

    same = [mention(i, "2026-03-09", {"harbour", "strike", "dockers"}) for i in range(3)]
    other_day = mention(9, "2026-03-10", {"harbour", "strike", "dockers"})
    different = mention(8, "2026-03-09", {"bakery", "reopened"})
    clusters = cluster_mentions([*same, other_day, different])
    assert sorted(len(c) for c in clusters) == [1, 1, 3]
