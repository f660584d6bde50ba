"""Property tests over the readers: any bytes in, no crash; every article has text, and every
span it carries points into that text. Bounded: few examples each, no deadline per example
(trafilatura and the first regex compile are slow on a busy machine)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rashomon.ingest.feeds import parse_feed
from rashomon.ingest.files import article_from_record, cap_article, decode, json_depth, loads, read_file
from rashomon.model import Article, Rejected

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
SUFFIXES = (".txt", ".md", ".json", ".jsonl", ".html")

# bytes that look like text some of the time: JSON and HTML punctuation, BOMs, NULs, line breaks
_TEXTY = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from([b"{", b"}", b"[", b"]", b'"text"', b":", b",", b'"', b"\\", b"\n", b"<p>", b"</p>",
                              b"<html>", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00", b"Mayor said ",
                              b"Reuters", b"2024-05-01", b"\r\n", b" ", b'"\\ud800"', b'{"text": "a\\udfff b", "id": "\\ud800"}']),
             max_size=80).map(b"".join),
)


def _valid(item, source_hint: str) -> None:
    assert isinstance(item, (Article, Rejected)), item
    assert isinstance(item.source, str) and item.source.encode("utf-8")  # storable text, no lone surrogates
    if isinstance(item, Rejected):
        assert item.reason
        return
    assert item.text.strip()
    for span in (item.outlet_span, item.origin_span):
        if span is not None:
            assert item.text[span.start:span.end] == span.text


@FUZZ
@given(data=_TEXTY, suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_in_any_reader_never_crash(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    for item in read_file(path):
        _valid(item, str(path))


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
                     | st.sampled_from(["\ud800", "Mayor \udfff said", "2024-13-45"]),
                     lambda children: st.lists(children, max_size=4)
                     | st.dictionaries(st.sampled_from(["text", "title", "published", "outlet", "url", "id",
                                                        "language", "x"]), children, max_size=6),
                     max_leaves=20)


@FUZZ
@given(record=_JSON)
@example(record={"text": "Mayor \udfff said the bridge opens.", "id": "\ud800", "title": "T\ud800"})
def test_any_json_value_as_a_record_never_crashes(record):
    _valid(article_from_record(record, source="fuzz.json"), "fuzz.json")


@FUZZ
@given(depth=st.integers(min_value=0, max_value=20_000), opener=st.sampled_from("[{"))
def test_json_of_any_depth_is_read_or_refused_never_a_recursion_error(depth, opener):
    text = ("[" * depth + "0" + "]" * depth) if opener == "[" else ('{"k": ' * depth + "0" + "}" * depth)
    try:
        value = loads(text)
    except ValueError:
        assert json_depth(text) > 64
    else:
        assert json_depth(text) <= 64 and value is not None


@FUZZ
@given(data=_TEXTY)
def test_decode_gives_text_or_a_reason(data):
    result = decode(data, "x")
    assert isinstance(result, (str, Rejected))


@FUZZ
@given(words=st.lists(st.text(alphabet="abc .\n", min_size=1, max_size=12), min_size=1, max_size=300))
def test_the_cap_keeps_a_prefix_of_the_text(words):
    from rashomon.ingest import files

    text = " ".join(words).strip() or "x"
    article = Article(id="a", source="s", text=text)
    saved = files.MAX_ARTICLE_WORDS, files.MAX_ARTICLE_CHARS
    files.MAX_ARTICLE_WORDS, files.MAX_ARTICLE_CHARS = 40, 300
    try:
        capped = cap_article(article)
    finally:
        files.MAX_ARTICLE_WORDS, files.MAX_ARTICLE_CHARS = saved
    assert text.startswith(capped.text)
    assert len(capped.text) <= 300 and len(capped.text.split()) <= 40 + 1


@settings(max_examples=40, deadline=None)
@given(data=_TEXTY)
def test_any_bytes_as_a_feed_never_crash(data):
    result = parse_feed(data, url="http://feeds.test/x")
    assert result is not None
