"""Per-article mentions: headline lines, span repair, roles, full names, lone titles."""

from __future__ import annotations

import pytest

from rashomon.analyze.entities import extract_mentions, headline_ranges

from .conftest import seed_file


@pytest.fixture(scope="module")
def nlp():
    from rashomon.analyze.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def seeds(nlp):
    from rashomon.ingest.files import read_file

    out = {}
    for prefix in ("000", "001", "003", "004"):
        article = next(read_file(seed_file(prefix)))
        out[prefix] = (article, extract_mentions(nlp(article.text), article.id))
    return out


def test_headline_lines_make_no_false_people(seeds):
    article, mentions = seeds["000"]
    persons = {m.span.text for m in mentions if m.type == "PERSON"}
    assert not any("Joining" in p or "Meeting" in p for p in persons)
    for m in mentions:
        assert article.text[m.span.start : m.span.end] == m.span.text
        assert not m.span.text.endswith(("'s", "’s", ",", "."))
    assert [m.span.start for m in mentions] == sorted(m.span.start for m in mentions)


def test_short_forms_get_the_full_name_and_roles(seeds):
    _, mentions = seeds["000"]
    assert {m.name for m in mentions if m.span.text == "Ushakov"} == {"Yuri Ushakov"}
    ush = next(m for m in mentions if m.span.text == "Yuri Ushakov")
    assert ush.role == "presidential aide" and ush.role_span.text == "presidential aide"
    aide = next(m for m in mentions if m.span.text == "the aide")
    assert aide.name == "Yuri Ushakov" and aide.type == "PERSON"
    _, m001 = seeds["001"]
    dm = next(m for m in m001 if m.span.text == "Kirill Dmitriev")
    assert dm.role.startswith("close economic adviser to Putin")


def test_initials_and_lone_titles(seeds):
    _, m003 = seeds["003"]
    assert any(m.span.text == "Kirill A Dmitriev" and m.type == "PERSON" for m in m003)
    _, m004 = seeds["004"]
    assert {m.name for m in m004 if m.span.text == "the US president"} == {"Donald Trump"}
    assert {m.name for m in m004 if m.span.text == "the Russian leader"} == {"Vladimir Putin"}
    assert any(m.span.text == "Yury Ushakov" for m in m004)


def test_headline_ranges_on_invented_text():
    text = "Minister Visits Plant\nThe minister visited the plant on Monday and said it was fine.\nShort line."
    ranges = headline_ranges(text)
    assert ranges == [(0, len("Minister Visits Plant"))]


def test_ambiguous_title_stays_unresolved(nlp):
    text = ("Senator Ann Lee and Senator Bob Cho met on Monday. "
            "The senator said the talks went well.")
    mentions = extract_mentions(nlp(text), "t")
    assert not any(m.span.text.lower() == "the senator" for m in mentions)


def test_no_entities_from_bylines_datelines_or_timestamps(nlp):
    text = ("Flood waters rise in Dunmore\n"
            "By Jane Doe and Peter Grant\n"
            "Updated 10:42 AM ET, Mon March 3, 2025\n"
            "DUNMORE, Ireland (Wirepress) - Flood waters rose on Monday, mayor Liam Byrne said.\n"
            "Karen Wells 3 hours ago\n"
            "This is terrible news for the town.")
    mentions = extract_mentions(nlp(text), "t")
    names = {m.name for m in mentions}
    assert "Liam Byrne" in names
    assert not names & {"Jane Doe", "Peter Grant", "Karen Wells", "DUNMORE", "Wirepress"}
    assert all(m.type != "PERSON" for m in mentions if m.name == "Dunmore")
