"""The block cleaner on invented pages: every kind of furniture, comment threads, credits
naming outlets and origins, one-line pages, and what must never be removed."""

from __future__ import annotations

import json

import pytest

from rashomon.ingest.clean import clean_text
from rashomon.ingest.files import article_from_record, article_from_text, read_paths
from rashomon.model import Article, Rejected

REPORT = [
    "The Marlow county council voted on Tuesday to close the old ferry landing by the end of the year.",
    "Council leader Ada Brennan said the landing had cost the county 40,000 pounds in repairs since 2019.",
    "\u201cWe cannot keep patching a pier that the river wants back,\u201d Brennan told the meeting.",
    "Residents who use the ferry will be offered a shuttle bus from the new bridge, the council said.",
]


def kinds_of(article) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in article.removed:
        out.setdefault(r.kind, []).append(r.text)
    return out


def page(*top: str, bottom: tuple[str, ...] = ()) -> str:
    return "\n".join(["Council votes to close old ferry landing", *top, *REPORT, *bottom]) + "\n"


def test_each_kind_of_furniture_is_removed_with_its_kind_and_the_report_stays():
    raw = page(
        "Home | News | Local | Politics",
        "By Nora Quill and Tom Ashe",
        "Share this: Facebook Twitter Email",
        "A+ A-",
        "The old ferry landing at low tide. Photo: Jane Roe/Marlow Gazette",
        bottom=(
            "READ MORE: Bridge tolls to rise in spring",
            "Sign up for our morning newsletter to get the day's news delivered to your inbox.",
            "https://www.marlowgazette.example/news/ferry-landing-closes-123.html",
            "Reporting by Nora Quill; Editing by Sam Vale",
            "\u00a9 2024 Marlow Gazette. All rights reserved.",
            "Details later.",
        ),
    )
    article = article_from_text(raw, source="invented.txt")
    kinds = kinds_of(article)
    assert {"navigation", "byline", "share", "caption", "promo", "link", "credit", "copyright", "other"} <= set(kinds), kinds
    for sentence in REPORT:
        assert sentence in article.text
    for furniture in ("Home | News", "Nora Quill and", "Facebook Twitter", "A+ A-", "Photo:", "READ MORE", "newsletter",
                      "https://", "Editing by", "All rights reserved", "Details later"):
        assert furniture not in article.text, furniture
    assert article.title == "Council votes to close old ferry landing"
    assert article.outlet == "Marlow Gazette" and article.outlet_basis == "stated"  # its copyright line


def test_a_reader_comment_thread_goes_as_one_block():
    thread = (
        "Comments (3)",
        "riverwatcher 2 hours ago",
        "About time, that pier was a hazard.",
        "Reply | Report abuse",
        "@ferryfan replied 1 hour ago",
        "The shuttle will never run on time.",
        "Recommend | Reply",
    )
    article = article_from_text(page(bottom=thread), source="comments.txt")
    comments = kinds_of(article)["comment"]
    assert len(comments) == 1 and "hazard" in comments[0] and "never run on time" in comments[0]
    assert "Reply" not in article.text and "hazard" not in article.text
    assert article.text.endswith(REPORT[-1])


def test_a_comment_thread_in_a_page_without_line_breaks_goes_as_one_block():
    posts = " ".join(
        f"Posted by: reader{i} | June {i}, 2023 5:1{i} PM | Report abuse I think the council is wrong about item {i}."
        for i in range(1, 5))
    article = article_from_record({"text": " ".join(REPORT) + " " + posts}, source="blog.json")
    comments = kinds_of(article)["comment"]
    assert len(comments) == 1 and "reader1" in comments[0] and "item 4" in comments[0]
    assert "Report abuse" not in article.text and article.text.endswith(REPORT[-1])


def test_a_live_blogs_time_stamps_are_not_a_comment_thread():
    entries = [f"{h}:05 PM" for h in range(1, 6)]
    lines = [x for pair in zip(entries, REPORT + REPORT[:1]) for x in pair]
    article = article_from_text("Live: ferry landing vote\n" + "\n".join(lines) + "\n", source="live.txt")
    assert "comment" not in kinds_of(article)
    for sentence in REPORT:
        assert sentence in article.text
    assert "The council recommend" not in article.text


def test_report_lines_that_look_like_furniture_stay():
    raw = page(bottom=(
        "By some estimates, as much as a fifth of the landing has already washed away.",
        "You can see how far the water rises on the pier's old gauge.",
        "Time for a change.",
    ))
    article = article_from_text(raw, source="kept.txt")
    assert "By some estimates" in article.text and "You can see how far" in article.text
    assert article.text.endswith("Time for a change.")


@pytest.mark.parametrize(("lede", "outlet"), [
    ("(Reuters) - Engineers finished the dam repairs on Friday, the operator said.", "Reuters"),
    ("WASHINGTON (AP) \u2014 Engineers finished the dam repairs on Friday, the operator said.", "AP"),
    ("(CNN) \u2014 Engineers finished the dam repairs on Friday, the operator said.", "CNN"),
    ("(KXYZ News) \u2013 Engineers finished the dam repairs on Friday, the operator said.", "KXYZ News"),
])
def test_agency_credits_state_the_outlet_and_the_origin(lede, outlet):
    article = article_from_text(f"Dam repairs finish early\n{lede}\nThe work took two years.\n", source="x.txt")
    assert article.outlet == outlet and article.outlet_basis == "stated" and article.origin == outlet
    assert article.text.startswith("Engineers finished")


def test_a_closing_credit_and_a_copyright_line_state_the_outlet():
    closing = article_from_text("Dam repairs finish early\nEngineers finished the dam repairs on Friday, the operator "
                                "said.\nThe work took two years.\n- Reuters\n", source="x.txt")
    assert (closing.outlet, closing.origin) == ("Reuters", "Reuters") and "Reuters" not in closing.text
    copyright = article_from_text("Dam repairs finish early\nEngineers finished the dam repairs on Friday, the "
                                  "operator said.\nCopyright 2024 The Valley Courier. All rights reserved.\n", source="y.txt")
    assert copyright.outlet == "The Valley Courier" and copyright.origin is None


def test_a_reporter_credit_states_the_outlet_with_its_span():
    article = article_from_text(
        "Quake shakes coastal towns\nA strong earthquake shook the coast on Sunday, officials said.\n"
        "The KBCX's Lena Ortiz in Portsmouth says at least three buildings collapsed.\n", source="x.txt")
    assert article.outlet == "KBCX" and article.outlet_basis == "stated"
    span = article.outlet_span
    assert span is not None and article.text[span.start:span.end] == span.text and span.text.startswith("The KBCX's")


def test_a_wire_credit_inside_another_outlets_article_is_its_origin():
    record = {"text": "HARBOURTON (Reuters) - The port reopened on Monday after the storm, its operator said.",
              "outlet": "Harbour Gazette", "title": "Port reopens"}
    article = article_from_record(record, source="r.json")
    assert (article.outlet, article.origin) == ("Harbour Gazette", "Reuters")
    assert article.text.startswith("The port reopened")


@pytest.mark.parametrize("text", [
    "Senator Hale urged aides to read a column by the Valley Journal's Daniel Pike on the tariffs.",
    "Smith's lawyer Jane Doe says the charges will be dropped, according to court papers.",
    "The mayor told Reuters that the port would reopen within a week.",
    "- Tax relief for families is part of the plan, the minister said on Monday.",
])
def test_no_outlet_is_guessed_from_mentions(text):
    article = article_from_text(f"Port to reopen\n{text}\nThe port handles most of the region's grain.\n", source="x.txt")
    assert article.outlet is None and article.outlet_basis is None and article.origin is None


def test_a_page_without_line_breaks_is_cleaned_sentence_by_sentence():
    raw = (" ".join(REPORT) + " Heard enough — Mill Lane Voter (@milllane) March 3, 2024 "
           + " ".join(REPORT[:2]).replace("Tuesday", "Wednesday")
           + " Share this: Twitter Facebook Print Like this: Like Loading..."
           + " RELATED: Bridge Tolls To Rise In Spring")
    article = article_from_record({"text": raw}, source="oneline.json")
    kinds = kinds_of(article)
    assert any("@milllane" in t for t in kinds["credit"]) and "@milllane" not in article.text
    assert any("Share this" in t for t in kinds["share"]) and "Loading" not in article.text
    assert any(t.startswith("RELATED") for t in kinds["promo"]) and "RELATED" not in article.text
    for sentence in REPORT:
        assert sentence in article.text


def test_title_suffix_credits_the_site():
    article = article_from_record({"text": "Ferry landing to close - The Marlow Mirror\n" + "\n".join(REPORT)}, source="t.json")
    assert article.outlet == "The Marlow Mirror" and "Marlow Mirror" not in article.text
    assert article.text.startswith("Ferry landing to close\n")


def test_the_id_is_the_hash_of_the_input_not_of_the_cleaned_text():
    a = article_from_record({"text": "\n".join(REPORT) + "\nSubscribe to our newsletter"}, source="a.json")
    b = article_from_record({"text": "\n".join(REPORT)}, source="b.json")
    assert a.text == b.text and a.id != b.id  # same clean text, different inputs
    again = article_from_record({"text": "\n".join(REPORT) + "\nSubscribe to our newsletter"}, source="c.json")
    assert again.id == a.id


def test_the_store_learns_a_sources_repeated_furniture_and_keeps_ids():
    from rashomon.ingest.repeated import strip_learned
    from rashomon.store import Store

    store = Store(":memory:")
    promo = "Gazette Plus members get the weekly puzzle edition first"
    background = ("The landing was built in 1887 and carried cattle to the Thursday market until the railway "
                  "reached Marlow, and it has been listed as a heritage structure since the 1970s, the council said.")
    seen = []
    for i in range(5):
        text = f"The council met on day {i} to discuss item {i} of the river plan, officials said.\n{promo}\n{background}"
        article = article_from_record({"text": text, "outlet": "Marlow Gazette"}, source=f"{i}.json")
        stripped = strip_learned(article, store)
        assert stripped.id == article.id
        seen.append(stripped)
        store.add_article(stripped)
    assert all(promo in a.text for a in seen[:3])  # not yet learned
    assert promo not in seen[4].text and any(r.text == promo and r.kind == "other" for r in seen[4].removed)
    assert background in seen[4].text  # a long paragraph repeated across articles is the report
    learned = store.furniture_learned(3)
    assert learned["outlet:marlow gazette"][0] == 5 and learned["outlet:marlow gazette"][1] >= 1
    # the first articles, read again, are cleaned with what the store learned: same id, new text
    again = strip_learned(article_from_record({"text": f"The council met on day 0 to discuss item 0 of the river plan, "
                                                       f"officials said.\n{promo}\n{background}",
                                               "outlet": "Marlow Gazette"}, source="0.json"), store)
    assert again.id == seen[0].id and promo not in again.text
    assert store.recleaned(again) and store.article(again.id).text == again.text
    assert not store.recleaned(again)


def test_an_unsupported_file_in_a_folder_is_rejected_with_a_reason(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 office file")
    (tmp_path / "story.txt").write_text("Ferry landing to close\n" + "\n".join(REPORT), encoding="utf-8")
    items = list(read_paths([tmp_path]))
    rejected = {i.source.rsplit("/", 1)[-1]: i.reason for i in items if isinstance(i, Rejected)}
    assert "unsupported type (image)" in rejected["photo.jpg"]
    assert "unsupported type (office document)" in rejected["notes.docx"]
    assert sum(isinstance(i, Article) for i in items) == 1


def test_a_folder_of_only_unsupported_files_exits_1(tmp_path):
    from typer.testing import CliRunner

    from rashomon.cli import app

    (tmp_path / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = CliRunner().invoke(app, ["brief", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1
    assert "unsupported type" in result.stderr


def test_cleaning_is_deterministic_and_fast_enough_for_a_long_one_line_page():
    raw = " ".join(REPORT * 400)
    first, second = clean_text(raw, find_title=False), clean_text(raw, find_title=False)
    assert first.text == second.text and first.removed == second.removed
    assert json.dumps([r.text for r in first.removed]) == "[]"


def test_furniture_never_reaches_claims_or_the_summary(tmp_path):
    from rashomon import Store, build_briefs

    furniture = ["Share this: Facebook Twitter Email", "Sign up for our newsletter to get the news delivered to your inbox.",
                 "READ MORE: Bridge tolls to rise in spring", "\u00a9 2024 Marlow Gazette. All rights reserved.",
                 "Reporting by Nora Quill; Editing by Sam Vale"]
    for i, outlet in enumerate(("Marlow Gazette", "River Post")):
        record = {"title": "Council votes to close old ferry landing", "outlet": outlet,
                  "text": "\n".join([furniture[0], *REPORT[i:], *REPORT[:i], *furniture[1:]])}
        (tmp_path / f"{i}.json").write_text(json.dumps(record), encoding="utf-8")
    result = build_briefs([str(tmp_path)], Store(":memory:"))
    texts = [c.text for b in result.briefs for c in b.claims] + [s.text for b in result.briefs for s in b.summary]
    assert texts
    for text in texts:
        for line in furniture:
            assert line[:20] not in text, (line, text)
