"""End to end on the seeds: one story, the contract, provenance and determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import all_spans, article_by_prefix

jsonschema = pytest.importorskip("jsonschema")


def test_the_five_seeds_form_one_story(seed_result):
    sizes = sorted(len(b.articles) for b in seed_result.briefs)
    assert sizes == [5], f"expected one story of five articles, got story sizes {sizes}"
    assert seed_result.rejected == []


def test_output_validates_against_the_schema(seed_document, schema):
    jsonschema.validate(seed_document, schema)
    assert seed_document["format"] == "rashomon.briefs/1"


def test_every_span_points_at_its_words(seed_document):
    texts = {a["id"]: a["text"] for story in seed_document["stories"] for a in story["articles"]}
    spans = list(all_spans(seed_document))
    assert len(spans) > 100
    for span in spans:
        assert texts[span["article"]][span["start"]:span["end"]] == span["text"], span


def test_every_brief_part_is_filled_with_provenance(seed_document):
    (story,) = [s for s in seed_document["stories"] if len(s["articles"]) == 5]
    for part in ("entities", "statements", "events", "claims", "summary"):
        assert story[part], f"brief has no {part}"
    assert all(sentence["citations"] for sentence in story["summary"])
    assert all(claim["support"] for claim in story["claims"])
    assert all(variant["span"] for st in story["statements"] for variant in st["variants"])


def test_no_removed_text_appears_in_the_brief(seed_brief):
    pravda = article_by_prefix(seed_brief, "000")
    assert any(r.kind in ("boilerplate", "promo") for r in pravda.removed)  # its subscription line
    caption = article_by_prefix(seed_brief, "004")
    assert any(r.kind == "caption" and "Helsinki" in r.text for r in caption.removed)
    summary = " ".join(s.text for s in seed_brief.summary)
    assert "Subscribe" not in summary and "EPA/" not in summary


def test_two_runs_give_byte_identical_json(seeds_dir, seed_document, tmp_path):
    from rashomon import Store, build_briefs
    from rashomon.render.jsonout import briefs_document, dumps

    again = build_briefs([str(seeds_dir)], Store(tmp_path / "again.db"))
    assert dumps(briefs_document(again.briefs, again.rejected)) == dumps(seed_document)


def test_renderers_show_the_brief(seed_brief):
    from rashomon.render.html import render_html
    from rashomon.render.markdown import render_markdown

    md = render_markdown(seed_brief)
    assert md.startswith("# ") and "## Summary" in md and "## Claims" in md
    page = render_html([seed_brief])
    assert page.count("<script") == 1 and page.count("<mark id=") >= len(seed_brief.summary)  # its own filter script
    for sentence in seed_brief.summary:
        for citation in sentence.citations:
            assert f'href="#{citation.article}-' in page
