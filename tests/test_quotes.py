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


# ------------------------------------------------------------ speakers on invented articles


def _speaker_of(nlp, text: str, needle: str):
    _, quotes = _analyse(nlp, text)
    return _quote(quotes, needle)


def test_generic_sources_are_kept_as_speakers_with_their_kind(nlp):
    text = ("Water prices in Dunmore will rise next year, officials said on Tuesday. "
            "A Google spokesperson said the company had no comment. "
            "The central bank said inflation was easing.")
    q = _speaker_of(nlp, text, "Water prices in Dunmore will rise")
    assert q.speaker_name is None and q.speaker_span.text == "officials" and q.speaker_kind == "description"
    q = _speaker_of(nlp, text, "no comment")
    assert q.speaker_span.text == "A Google spokesperson" and q.speaker_kind == "description"
    q = _speaker_of(nlp, text, "inflation was easing")
    assert q.speaker_span.text == "The central bank" and q.speaker_kind == "organisation"


def test_a_description_resolves_to_the_name_the_article_gives(nlp):
    text = ("Maria Lopez scored twice for Riverside on Saturday. Lopez, a striker who joined in May, "
            "has 12 goals this season. \"We deserved the win,\" the veteran striker said after the match.")
    q = _speaker_of(nlp, text, "We deserved the win")
    assert q.speaker_name == "Maria Lopez" and q.speaker_kind == "person"
    assert q.speaker_span.text == "the veteran striker"
    text = "Northgate Power cut supplies to 4,000 homes. The power company said repairs would take two days."
    q = _speaker_of(nlp, text, "repairs would take two days")
    assert q.speaker_name == "Northgate Power" and q.speaker_kind == "organisation"


def test_a_pronoun_does_not_cross_gender(nlp):
    text = ("Tomas Hill said the plant would reopen in March. Hill added that his team was ready. "
            "Anna Berg, who runs the union, met workers on Monday. "
            "\"We will hold them to that date,\" she said.")
    q = _speaker_of(nlp, text, "We will hold them to that date")
    assert q.speaker_name == "Anna Berg"
    text = ("Anna Berg said the plant would reopen in March. Berg added that her team was ready. "
            "Tomas Hill, who runs the union, met workers on Monday. "
            "\"We will hold them to that date,\" he said.")
    q = _speaker_of(nlp, text, "We will hold them to that date")
    assert q.speaker_name == "Tomas Hill"


def test_a_spokesman_is_not_the_leader_he_speaks_for(nlp):
    text = "President Arlen Dovic did not appear at the summit. A spokesman said the talks had been useful."
    q = _speaker_of(nlp, text, "the talks had been useful")
    assert q.speaker_name is None and q.speaker_span.text == "A spokesman" and q.speaker_kind == "description"
    text = ("President Arlen Dovic did not appear at the summit. His spokesman, Petar Lazic, said the talks "
            "had been useful. The spokesman added that a second round was planned.")
    assert _speaker_of(nlp, text, "a second round was planned").speaker_name == "Petar Lazic"
    text = ("President Arlen Dovic did not appear at the summit. A spokesman, speaking on behalf of Dovic, "
            "said the talks had been useful.")
    q = _speaker_of(nlp, text, "the talks had been useful")
    assert q.speaker_name == "Arlen Dovic" and q.speaker_span.text.startswith("A spokesman")


def test_a_town_is_not_a_speaker_but_a_capital_speaks_for_its_government(nlp):
    text = ("Storms hit the coast on Sunday. The main town on Harrow Island still has power, water and "
            "phone lines and officials say they are sending tents to families who lost their homes.")
    q = _speaker_of(nlp, text, "sending tents")
    assert q.speaker_span is not None and "town" not in q.speaker_span.text
    assert q.speaker_span.text == "officials"
    q = _speaker_of(nlp, "Beijing said on Monday that it would answer the new tariffs.", "answer the new tariffs")
    assert q.speaker_name == "Beijing" and q.speaker_type == "GPE" and q.speaker_kind == "organisation"


# ----------------------------------------------------------------- "according to" as relay (issue 21)


@pytest.mark.parametrize("text", [
    '"The ferry will run again from Monday," Maria Lindqvist said, according to Quillpress.',
    "Maria Lindqvist said the ferry would run again from Monday, according to Quillpress.",
    "According to Quillpress, Maria Lindqvist said the ferry would run again from Monday.",
])
def test_according_to_on_a_speech_verb_with_a_subject_is_the_relay(nlp, text):
    _mentions, quotes = _analyse(nlp, text)
    assert len(quotes) == 1
    q = quotes[0]
    assert q.speaker_span is not None and q.speaker_span.text == "Maria Lindqvist"
    assert "Quillpress" in q.relays
    assert "Maria Lindqvist" not in q.span.text  # the content is what he said, not the report of it
    assert text[q.span.start:q.span.end] == q.span.text


def test_according_to_without_a_speech_verb_stays_the_source(nlp):
    # no one else speaks: the named source is the speaker, nothing is a relay
    _mentions, quotes = _analyse(nlp, "The ferry will run again from Monday, according to Quillpress.")
    assert len(quotes) == 1
    assert quotes[0].speaker_span is not None and quotes[0].speaker_span.text == "Quillpress"
    assert quotes[0].relays == ()


def test_according_to_a_document_is_not_a_relay(nlp):
    # "according to a statement" names a document, not a channel: no relay is invented
    _mentions, quotes = _analyse(
        nlp, "Maria Lindqvist said the ferry would run again from Monday, according to a statement from the port.")
    assert [q.speaker_span.text for q in quotes if q.speaker_span] == ["Maria Lindqvist"]
    assert quotes[0].relays == ()


def test_according_to_on_a_passive_report_stays_the_source(nlp):
    # "the total was estimated": the passive subject is what was said, not a speaker, so the
    # named source stays the speaker
    _mentions, quotes = _analyse(
        nlp, "According to the Lunmark Port Survey, the number of ferry passengers was estimated to be 8,400.")
    assert quotes and quotes[0].cue == "according to"
    assert quotes[0].speaker_span is not None and "Survey" in quotes[0].speaker_span.text


def test_according_to_on_a_speech_verb_that_says_nothing_stays_a_statement(nlp):
    # a garbled sentence: "said" has no statement of its own, so the "according to" clause is
    # kept as its source's statement rather than lost
    text = "Lind also said supplies to the port despite a ban, according to a harbour report seen by Quillpress."
    _mentions, quotes = _analyse(nlp, text)
    assert [q.cue for q in quotes] == ["according to"]
