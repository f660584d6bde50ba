"""Quotes, speakers and relays on the seed articles and on invented sentences."""

from __future__ import annotations

import pytest

from rashomon.analyze.entities import extract_mentions
from rashomon.analyze.quotes import extract_quotes, quoted_segments

from .conftest import seed_file


@pytest.fixture(scope="module")
def nlp():
    from rashomon.analyze.nlp import load_nlp

    return load_nlp()


def _analyse(nlp, text: str, aid: str = "t"):
    doc = nlp(text)
    mentions = extract_mentions(doc, aid)
    return mentions, extract_quotes(doc, aid, mentions)


@pytest.fixture(scope="module")
def seeds(nlp):
    from rashomon.ingest.files import read_file

    out = {}
    for prefix in ("000", "001", "002", "003", "004"):
        article = next(read_file(seed_file(prefix)))
        out[prefix] = (article, *_analyse(nlp, article.text, article.id))
    return out


# 003 writes "Kirill A Dmitriev": the fullest form in that article is its name there
DMITRIEV = {"Kirill Dmitriev", "Kirill A Dmitriev"}


def _quote(quotes, needle: str):
    found = [q for q in quotes if q.span.text.rstrip(".,") == needle] or [q for q in quotes if needle in q.span.text]
    assert found, f"no quote holds {needle!r}: {[q.span.text for q in quotes]}"
    return found[0]


def test_spans_point_into_the_text(seeds):
    for article, mentions, quotes in seeds.values():
        for q in quotes:
            assert article.text[q.span.start : q.span.end] == q.span.text
            if q.speaker_span is not None:
                assert article.text[q.speaker_span.start : q.speaker_span.end] == q.speaker_span.text
        assert [q.span.start for q in quotes] == sorted(q.span.start for q in quotes)


def test_dialogue_will_prevail_is_dmitriev_via_x_and_al_jazeera(seeds):
    _, _, q001 = seeds["001"]
    q = _quote(q001, "Dialogue will prevail")
    assert q.kind == "direct" and q.speaker_name == "Kirill Dmitriev"
    assert "X" in q.relays  # continues the quote posted on X
    _, _, q003 = seeds["003"]
    q = _quote(q003, "Dialogue will prevail")
    assert q.speaker_name in DMITRIEV and q.cue == "posted"
    assert "Al Jazeera" in q.relays
    big = _quote(q003, "Russia confirms Putin-Trump summit")
    assert big.speaker_name in DMITRIEV and big.relays[0] == "X"


def test_pressure_is_working_is_zelensky(seeds):
    _, _, q004 = seeds["004"]
    q = _quote(q004, "The pressure is working")
    assert q.speaker_name == "Volodymyr Zelensky" and q.cue == "said"
    cont = _quote(q004, "But the key is to ensure")
    assert cont.speaker_name == "Volodymyr Zelensky" and cont.cue is None


def test_the_aide_stated_is_ushakov(seeds):
    _, _, q000 = seeds["000"]
    q = _quote(q000, "We suggest focusing first and foremost")
    assert q.speaker_name == "Yuri Ushakov" and q.speaker_span.text == "the aide" and q.cue == "stated"
    ria = _quote(q000, "American side")
    assert ria.speaker_name == "Yuri Ushakov" and ria.relays == ("RIA Novosti",)


def test_agency_relays(seeds):
    _, _, q002 = seeds["002"]
    q = _quote(q002, "American side")
    assert q.speaker_name == "Yuri Ushakov" and "Interfax" in q.relays and q.cue == "saying"
    _, _, q004 = seeds["004"]
    q = _quote(q004, "Moscow and Washington had agreed")
    assert q.kind == "mixed" and q.speaker_name == "Yury Ushakov" and q.relays == ("TASS",)
    assert not any("TASS has reported" in x.span.text for x in q004)
    q = _quote(q004, "great progress was made")
    assert q.speaker_name == "Donald Trump" and "Truth Social" in q.relays


def test_lone_title_and_unresolved_speaker(seeds):
    _, _, q004 = seeds["004"]
    q = _quote(q004, "very good prospect")
    assert q.speaker_name == "Donald Trump"  # "the US president"
    _, _, q001 = seeds["001"]
    q = _quote(q001, "The anticipated meeting")
    assert q.speaker_name is None and q.speaker_span.text.startswith("a senior Russian official")


def test_quoted_segments_curly_straight_and_open_paragraph():
    text = 'He said "one two three," and “four five.”\n"six seven\n"eight."'
    segs = [text[s:e] for s, e in quoted_segments(text)]
    assert segs == ["one two three", "four five.", "six seven", "eight."]


def test_invented_article_cues_pronouns_and_split_quotes(nlp):
    text = (
        "Mayor Jane Porter spoke on Monday.\n"
        "\"We will build the bridge,\" Porter said. \"It is long overdue.\"\n"
        "The budget is tight, she says, and costs keep rising.\n"
        "According to the city engineer, the work will take two years.\n"
        "Tom Reed told reporters that the plan was reckless.\n"
    )
    _, quotes = _analyse(nlp, text)
    by = {q.span.text: q for q in quotes}
    assert by["We will build the bridge"].speaker_name == "Jane Porter"
    assert by["It is long overdue."].speaker_name == "Jane Porter"
    assert by["The budget is tight"].speaker_name == "Jane Porter"
    assert by["costs keep rising"].cue == "says"
    acc = _quote(quotes, "the work will take two years")
    assert acc.cue == "according to" and acc.speaker_name is None
    told = _quote(quotes, "the plan was reckless")
    assert told.speaker_name == "Tom Reed" and told.kind == "indirect"
