"""Ingest: plain text, HTML and JSON records; titles, dates, outlets, removed blocks; bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rashomon.errors import PathNotFound
from rashomon.ingest.files import article_from_text, read_paths
from rashomon.model import Article, Rejected

from .conftest import seed_file


def read_one(path: Path) -> Article:
    items = list(read_paths([path]))
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def test_seed_outlets_are_stated_only_where_the_text_names_them():
    pravda, menafn = read_one(seed_file("000")), read_one(seed_file("001"))
    assert pravda.outlet and pravda.outlet.lower() == "pravda.ru" and pravda.outlet_basis == "stated"
    assert menafn.outlet == "MENAFN" and menafn.outlet_basis == "stated"
    for prefix in ("002", "003", "004"):
        article = read_one(seed_file(prefix))
        assert article.outlet is None and article.outlet_basis is None, prefix


def test_seed_003_states_its_date_and_the_others_do_not():
    dated = read_one(seed_file("003"))
    assert (dated.published, dated.published_basis) == ("2025-08-07", "stated")
    for prefix in ("000", "001", "002", "004"):
        article = read_one(seed_file(prefix))
        assert article.published is None and article.published_basis == "unknown", prefix


def test_template_lines_and_captions_are_moved_to_removed():
    pravda = read_one(seed_file("000"))
    kinds = {r.kind: r.text for r in pravda.removed}
    assert "Subscribe to Pravda" in kinds["promo"] and "Subscribe to" not in pravda.text
    assert "Anton Kulikov" in kinds["byline"] and "Anton Kulikov" not in pravda.text
    caption = read_one(seed_file("004"))
    captions = [r.text for r in caption.removed if r.kind == "caption"]
    assert captions and "Helsinki" in captions[0]
    assert "EPA/" not in caption.text and "Helsinki, Finland, 16 July 2018" not in caption.text
    linked = read_one(seed_file("003"))
    assert any(r.kind == "link" and r.text.startswith("https://") for r in linked.removed)
    assert "https://" not in linked.text


def test_titles_are_taken_only_when_the_first_line_reads_as_one():
    assert read_one(seed_file("001")).title.startswith("Russian envoy says")
    assert read_one(seed_file("002")).title is None  # its first line is the lede


def test_same_content_has_one_id(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Headline here\nSome body text of the story. It goes on.\n", encoding="utf-8")
    b.write_text("Headline here\r\n\r\nSome body text of the story.   It goes on.\r\n", encoding="utf-8")
    assert read_one(a).id == read_one(b).id


def test_invented_article_layouts():
    article = article_from_text(
        "Dam repairs finish early\nPublished: 3 March 2024\nLONDON (Reuters) - Engineers finished the dam "
        "repairs on Friday.\nPhoto: Jane Doe/Reuters\nFollow us on Twitter for more\n", source="x.txt")
    assert article.title == "Dam repairs finish early"
    assert article.published == "2024-03-03" and article.outlet == "Reuters"
    assert article.text == "Engineers finished the dam repairs on Friday."
    assert {r.kind for r in article.removed} == {"dateline", "caption", "promo"}
    assert article.origin == "Reuters" and article.outlet_span is None  # the credit was removed with the dateline


def test_bad_inputs_are_rejected_with_reasons(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "records.jsonl").write_text(
        json.dumps({"title": "no text"}) + "\n" + "{not json\n"
        + json.dumps({"text": "A fine record about a bridge opening on Friday.", "published": "2024-05-01T10:00:00Z",
                      "outlet": "Example Post", "id": "r3"}) + "\n"
        + json.dumps({"text": "Another record: the council approved the new budget after a long debate.", "published": "last Tuesday"}) + "\n",
        encoding="utf-8",
    )
    items = list(read_paths([tmp_path]))
    rejected = {Path(i.source.split(":")[0].split("#")[0]).name + i.source[len(str(tmp_path / "records.jsonl")):]
                if "records" in i.source else Path(i.source).name: i.reason
                for i in items if isinstance(i, Rejected)}
    assert "empty" in rejected["empty.txt"]
    assert "binary" in rejected["binary.txt"]
    assert "UTF-8" in rejected["latin1.txt"]
    assert "no \"text\"" in rejected["records.jsonl:1"]
    assert "invalid JSON" in rejected["records.jsonl:2"]
    good = [i for i in items if isinstance(i, Article)]
    assert len(good) == 2 and good[0].published == "2024-05-01" and good[0].outlet == "Example Post"
    assert good[0].source.endswith("records.jsonl:3#r3")
    # an invalid "published" keeps the record, with the date unknown and a note saying why
    assert good[1].source.endswith("records.jsonl:4") and good[1].published is None
    assert good[1].published_basis == "unknown" and "not an ISO date" in good[1].published_note


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(PathNotFound, match="no such file or folder"):
        list(read_paths([tmp_path / "nope"]))


def test_html_goes_through_trafilatura(tmp_path):
    page = tmp_path / "page.html"
    body = " ".join(["The harbour authority said on Monday that the new ferry terminal will open in May."] * 6)
    page.write_text(
        "<html><head><title>Ferry terminal to open | Harbour Gazette</title>"
        "<meta property='og:site_name' content='Harbour Gazette'>"
        "<meta property='article:published_time' content='2024-04-02'></head>"
        f"<body><nav>Home | News | Sport</nav><article><h1>Ferry terminal to open</h1><p>{body}</p>"
        f"<p>{body}</p></article><footer>Contact us</footer></body></html>", encoding="utf-8")
    article = read_one(page)
    assert article.outlet == "Harbour Gazette" and article.outlet_basis == "stated"
    assert article.published == "2024-04-02" and "ferry terminal" in article.text
    assert "Contact us" not in article.text


def test_large_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    from rashomon.ingest import files

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000, encoding="utf-8")
    (item,) = list(read_paths([big]))
    assert isinstance(item, Rejected) and "limit" in item.reason


def test_a_large_jsonl_file_is_streamed(tmp_path):
    """50 MB of records: memory follows the largest record, not the file."""
    import json
    import tracemalloc

    path = tmp_path / "big.jsonl"
    record = json.dumps({"text": ("The bridge reopened on Monday. " * 33_000)[:1_000_000]}) + "\n"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(50):
            handle.write(record)
    assert path.stat().st_size > 50_000_000
    tracemalloc.start()
    count = sum(1 for item in read_paths([path]) if isinstance(item, Article))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 50
    assert peak < 30_000_000, f"peak {peak / 1e6:.0f} MB while reading a 50 MB file"


def test_a_folder_of_many_files_is_walked_lazily(tmp_path):
    import tracemalloc

    from rashomon.ingest.files import iter_paths

    for i in range(20_000):
        (tmp_path / f"a{i:05d}.txt").write_text(f"Story {i}\nBody of story number {i}, filed on Monday.\n")
    tracemalloc.start()
    walked = iter_paths([tmp_path])
    first = next(walked)
    _, peak_first = tracemalloc.get_traced_memory()
    count = 1 + sum(1 for _ in walked)
    tracemalloc.stop()
    assert first.name == "a00000.txt" and count == 20_000
    assert peak_first < 20_000_000


# ----------------------------------------------------------------------------- hostile inputs


def test_json_nested_10000_deep_is_rejected_and_the_rest_is_read(tmp_path):
    (tmp_path / "a_deep.json").write_text("[" * 10_000 + "]" * 10_000)
    (tmp_path / "b_lines.jsonl").write_text("{\"text\": " + "[" * 10_000 + "]" * 10_000 + "}\n"
                                            + json.dumps({"text": "The ferry to Oskarby sailed on time."}) + "\n")
    (tmp_path / "c_good.txt").write_text("Ferry news\nThe ferry to Oskarby sailed on time on Sunday.\n")
    items = list(read_paths([tmp_path]))
    reasons = {Path(i.source).name: i.reason for i in items if isinstance(i, Rejected)}
    assert "nested more than" in reasons["a_deep.json"] and "nested more than" in reasons["b_lines.jsonl:1"]
    assert sorted(Path(i.source).name for i in items if isinstance(i, Article)) == ["b_lines.jsonl:2", "c_good.txt"]


def test_a_file_name_that_is_not_utf8_is_read_stored_and_shown_escaped(tmp_path):
    import os

    from rashomon.store import Store

    name = os.fsencode(str(tmp_path)) + b"/caf\xe9-\xff.txt"
    with open(name, "wb") as handle:
        handle.write(b"Harbour news\nThe harbour at Oskarby reopened on Sunday after dredging.\n")
    (article,) = read_paths([tmp_path])
    assert isinstance(article, Article) and article.source.endswith("caf\\xe9-\\xff.txt")
    store = Store(":memory:")
    store.add_article(article)  # no "surrogates not allowed"
    assert next(store.articles()).source == article.source


def test_utf16_text_is_decoded_not_called_binary(tmp_path):
    text = "Harbour news\nThe harbour at Oskarby reopened on Sunday after dredging.\n"
    (tmp_path / "le.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "be.txt").write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    for name in ("le.txt", "be.txt"):
        article = read_one(tmp_path / name)
        assert "Oskarby reopened" in article.text


def test_a_text_of_the_wrong_type_says_so(tmp_path):
    (tmp_path / "r.jsonl").write_text(json.dumps({"text": 42}) + "\n" + json.dumps({"text": ["a", "b"]}) + "\n")
    reasons = [i.reason for i in read_paths([tmp_path / "r.jsonl"])]
    assert "a JSON number, not a string" in reasons[0] and "a JSON array, not a string" in reasons[1]


def test_file_and_gopher_urls_get_a_clear_reason(tmp_path):
    from rashomon.pipeline import read_inputs

    (tmp_path / "x:y.txt").write_text("Ferry\nThe ferry sailed on Sunday.\n")
    items = list(read_inputs(["file:///etc/passwd", "gopher://example.test/1", str(tmp_path / "x:y.txt")]))
    assert "give the path itself" in items[0].reason and "'gopher' is not fetched" in items[1].reason
    assert isinstance(items[2], Article)  # a colon in a file name is not a scheme


def test_an_over_long_article_is_cut_with_a_note(monkeypatch):
    from rashomon.ingest import files

    monkeypatch.setattr(files, "MAX_ARTICLE_WORDS", 500)
    paragraph = "The council of Brenmoor met again on Tuesday to discuss the harbour budget.\n"
    article = article_from_text("Long report\n" + paragraph * 400, source="long.txt")
    capped = files.cap_article(article)
    assert len(capped.text.split()) <= 500 and capped.text.endswith("budget.")
    assert capped.id != article.id and article.text.startswith(capped.text)
    assert "per-article cap" in capped.removed[-1].text and capped.removed[-1].kind == "other"
    assert files.cap_article(capped) == capped
