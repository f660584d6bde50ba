"""One statement across the seed articles: translations, paraphrases, relays."""

from __future__ import annotations

import pytest

from rashomon.analyze.entities import extract_mentions
from rashomon.analyze.quotes import extract_quotes
from rashomon.model import Analysis
from rashomon.reconcile.statements import group_statements

from .conftest import seed_file


@pytest.fixture(scope="module")
def analyses():
    from rashomon.analyze.nlp import load_nlp
    from rashomon.ingest.files import read_file

    nlp = load_nlp()
    out = []
    for prefix in ("000", "001", "002", "003", "004"):
        article = next(read_file(seed_file(prefix)))
        doc = nlp(article.text)
        mentions = extract_mentions(doc, article.id)
        out.append(Analysis(article, entities=tuple(mentions), quotes=tuple(extract_quotes(doc, article.id, mentions))))
    return out


@pytest.fixture(scope="module")
def statements(analyses):
    return group_statements(analyses, None)


def _holding(statements, needle: str):
    return [s for s in statements if any(needle in v.span.text for v in s.variants)]


def test_ushakov_summit_statement_three_agencies(analyses, statements):
    ids = [a.article.id for a in analyses]
    found = _holding(statements, "American side, we have")
    assert len(found) == 1
    st = found[0]
    arts = {v.span.article for v in st.variants}
    assert {ids[0], ids[2], ids[4]} <= arts
    relays = {r for v in st.variants for r in v.relays}
    assert {"RIA Novosti", "Interfax", "TASS"} <= relays
    assert "Ushakov" in st.speaker_name
    assert any(v.kind != "direct" and v.span.article == ids[4] for v in st.variants)


def test_dmitriev_historic_meeting(analyses, statements):
    ids = [a.article.id for a in analyses]
    found = _holding(statements, "This can be a historic meeting")
    assert len(found) == 1
    st = found[0]
    assert {ids[1], ids[3]} <= {v.span.article for v in st.variants}
    assert st.speaker_name in {"Kirill Dmitriev", "Kirill A Dmitriev"}
    dialogue = _holding(statements, "Dialogue will prevail")
    assert any({ids[1], ids[3]} <= {v.span.article for v in s.variants} for s in dialogue)


def test_stable_ids_and_order(analyses, statements):
    again = group_statements(analyses, None)
    assert [s.id for s in again] == [s.id for s in statements]
    assert len({s.id for s in statements}) == len(statements)
    for s in statements:
        for v in s.variants:
            article = next(a.article for a in analyses if a.article.id == v.span.article)
            assert article.text[v.span.start : v.span.end] == v.span.text


def test_resolution_maps_speakers_to_entities(analyses):
    from rashomon.model import Entity, EntityResolution

    by_name = {}
    for a in analyses:
        for q in a.quotes:
            if q.speaker_name and "Ushakov" in q.speaker_name:
                by_name[(a.article.id, q.speaker_name)] = "E1"
    ent = Entity("E1", "Yuri Ushakov", "PERSON", ("Yury Ushakov",), (), ())
    res = EntityResolution((ent,), by_name)
    sts = group_statements(analyses, res)
    st = _holding(sts, "American side, we have")[0]
    assert st.speaker_entity == "E1" and st.speaker_name == "Yuri Ushakov"
    assert len({v.span.article for v in st.variants}) >= 3


@pytest.fixture(scope="module")
def bridge():
    """The four bridge articles of the project's own demo corpus, analysed as the pipeline does."""
    from pathlib import Path

    from rashomon.analyze.nlp import load_nlp
    from rashomon.ingest.files import read_file

    demo = Path(__file__).resolve().parents[1] / "src" / "rashomon" / "data" / "demo"
    nlp = load_nlp()
    out = []
    for name in ("01_harbour_times", "02_norpress", "03_valley_post", "04_daily_meridian"):
        article = next(read_file(demo / f"{name}.txt"))
        doc = nlp(article.text)
        mentions = extract_mentions(doc, article.id)
        out.append(Analysis(article, entities=tuple(mentions), quotes=tuple(extract_quotes(doc, article.id, mentions))))
    return out


def test_bridge_relays(bridge):
    q01 = next(q for q in bridge[0].quotes if "reconnect families" in q.span.text)
    assert q01.relays == ("Norpress",) and q01.speaker_name == "Marta Kovalenko"
    q04 = next(q for q in bridge[3].quotes if "reconnects families" in q.span.text)
    assert q04.relays == ("Baltic Wire",) and q04.speaker_name == "Martha Kovalenko"


def test_kovalenko_statement_across_spellings(bridge):
    from rashomon.reconcile.entities import resolve_entities

    sts = group_statements(bridge, resolve_entities(bridge))
    found = [s for s in sts if any("families" in v.span.text for v in s.variants)]
    assert len(found) == 1, [(s.speaker_name, [v.span.text for v in s.variants]) for s in found]
    st = found[0]
    assert [v.span.article for v in st.variants] == [bridge[0].article.id, bridge[1].article.id, bridge[3].article.id]
    assert {v.kind for v in st.variants} == {"direct", "indirect"}
    assert "Kovalenko" in st.speaker_name


# ------------------------------------------------------------ invented outlets


def _invented(texts: list[str]) -> list:
    from rashomon.analyze.nlp import load_nlp
    from rashomon.model import Article

    nlp = load_nlp()
    out = []
    for n, text in enumerate(texts):
        article = Article(id=f"inv{n}", source=f"https://example.org/{n}", text=text, outlet=f"Outlet {n}")
        doc = nlp(text)
        mentions = extract_mentions(doc, article.id)
        out.append(Analysis(article, entities=tuple(mentions), quotes=tuple(extract_quotes(doc, article.id, mentions))))
    return out


FERRY = [
    "Harbour minister Lena Ostrova spoke in Portvale on Friday. \"The new ferry line will open in June and "
    "tickets will cost half of what they cost today,\" Ostrova said. Separately, she said the port would hire "
    "200 workers before the winter.",
    "The new ferry line \"will open in June\", Lena Ostrova told reporters on Friday. Ostrova also said the "
    "port would hire 200 workers before the winter.",
    "\"Tickets will cost half of what they cost today,\" Lena Ostrova said of the new ferry line, which "
    "links Portvale with the islands.",
]


@pytest.fixture(scope="module")
def ferry():
    from rashomon.reconcile.entities import resolve_entities

    analyses = _invented(FERRY)
    return analyses, group_statements(analyses, resolve_entities(analyses))


def test_one_statement_across_three_outlets_with_partial_quotes(ferry):
    analyses, sts = ferry
    found = [s for s in sts if any("open in June" in v.span.text or "Tickets will cost" in v.span.text
                                   for v in s.variants)]
    assert len(found) == 1, [[v.span.text for v in s.variants] for s in found]
    assert {v.span.article for v in found[0].variants} == {"inv0", "inv1", "inv2"}
    assert "Ostrova" in found[0].speaker_name and found[0].speaker_kind == "person"


def test_two_statements_of_one_speaker_stay_apart(ferry):
    _, sts = ferry
    ferry_st = [s for s in sts if any("open in June" in v.span.text for v in s.variants)]
    hire = [s for s in sts if any("hire 200 workers" in v.span.text for v in s.variants)]
    assert len(ferry_st) == 1 and hire
    assert not any("hire" in v.span.text for v in ferry_st[0].variants)
    assert all(not any("open in June" in v.span.text for v in s.variants) for s in hire)
    # the hiring statement is itself one statement in two outlets
    assert any({v.span.article for v in s.variants} == {"inv0", "inv1"} for s in hire)


def test_generic_source_statement_keeps_its_words_and_kind():
    analyses = _invented(["Water prices in Dunmore will rise next year, officials said on Tuesday."])
    st = group_statements(analyses, None)[0]
    assert st.speaker_name == "officials" and st.speaker_kind == "description" and st.speaker_entity is None
