"""The summary an editor would sign: a lede, key facts, disputes stated as disputes, nothing
dangling, no boilerplate, short. Every article here is invented."""

from __future__ import annotations

import json
import re
from pathlib import Path

REPORTS = {
    "Harbour Times": (
        "Kessel dock strike halts ferries",
        "Dock workers in Kessel walked out on Monday over pay, halting the ferry terminal for the day. "
        "The union said 400 members joined the strike. However, the port said some cargo was handled. "
        "He added that talks would go on. Subscribe to our newsletter for port news every morning. "
        "Shipping lines diverted three cargo vessels to the port of Brannock on Monday."),
    "Valley Post": (
        "Strike empties Kessel quays",
        "The union said 400 members joined the strike at Kessel on Monday. Traders near the terminal said the "
        "quays were silent all morning, and a queue of lorries formed on the coast road. Port officials said "
        "talks with the union would resume on Wednesday in Brannock. Shipping lines diverted three cargo vessels "
        "to Brannock, the port authority said."),
    "Daily Meridian": (
        "Kessel dockers strike over pay",
        "Dock workers in Kessel went on strike on Monday in a dispute over pay, and the ferry terminal was shut "
        "all day. The union said 650 members joined the strike. Port officials said talks with the union would "
        "resume on Wednesday in Brannock. Follow us on social media for updates."),
}


def brief_of(tmp_path: Path):
    from rashomon import Store, build_briefs

    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": o, "outlet": o, "title": t, "text": x, "published": "2025-06-02",
                                        "url": f"https://{o.lower().replace(' ', '')}.example/strike"}) + "\n"
                            for o, (t, x) in REPORTS.items()), encoding="utf-8")
    return max(build_briefs([str(path)], Store(":memory:")).briefs, key=lambda b: len(b.articles))


def test_summary_is_short_clean_and_marks_the_disputed_figure(tmp_path):
    brief = brief_of(tmp_path)
    texts = [s.text for s in brief.summary]
    story_words = sum(len(a.text.split()) for a in brief.articles)
    assert 1 <= len(texts) <= 8
    assert sum(len(t.split()) for t in texts) <= story_words / 4
    for t in texts:
        assert not re.match(r"(?i)(he|she|they|it|however|but)\b", t), t  # nothing dangling
        assert not re.search(r"(?i)subscribe|newsletter|follow us", t), t  # no boilerplate
        assert not any(t.startswith(a.title) and len(t) > len(a.title) + 5 for a in brief.articles), t
    assert len(set(texts)) == len(texts)
    meridian = next(a.id for a in brief.articles if a.outlet == "Daily Meridian")
    members = [s for s in brief.summary if "members" in s.text]
    assert members, texts
    for s in members:
        if "400" in s.text and "650" not in s.text:
            # stated as settled: must not cite the outlet that says 650
            assert meridian not in {c.article for c in s.citations}, s
        else:
            assert "disputed" in s.text and "Daily Meridian" in s.text, s
            assert meridian in {c.article for c in s.citations}
    assert any("disputed" in s.text and "650" in s.text and "400" in s.text for s in members), texts


def test_every_citation_states_the_sentence(tmp_path):
    brief = brief_of(tmp_path)
    claims = {c.text: c for c in brief.claims}
    for s in brief.summary:
        assert s.citations
        for c in s.citations:
            article = next(a for a in brief.articles if a.id == c.article)
            assert article.text[c.start:c.end] == c.text
        if s.text in claims:
            dissent = {x.span.article for x in claims[s.text].conflicts}
            assert set(s.citations) <= set(claims[s.text].support)
            assert not dissent & {c.article for c in s.citations}


def test_title_is_the_best_supported_headline(tmp_path):
    brief = brief_of(tmp_path)
    assert brief.title in {t for t, _ in REPORTS.values()}
    assert brief.title != "Strike empties Kessel quays"  # its words ("empties", "quays") no other outlet reports
