"""Claims across a story: agreed, conflicting, single-source; wordings; coverage; summary; framing."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import article_by_prefix


def claims_with(brief, prefix_to_words: dict[str, str]):
    """Claims whose support has, for each seed prefix, a span containing the words."""
    ids = {p: article_by_prefix(brief, p).id for p in prefix_to_words}
    found = []
    for claim in brief.claims:
        if all(any(s.article == ids[p] and w.lower() in s.text.lower() for s in claim.support)
               for p, w in prefix_to_words.items()):
            found.append(claim)
    return found


@pytest.mark.parametrize("support", [
    {"002": "three hours", "003": "three hours"},                       # the meeting's length
    {"000": "six phone", "004": "six phone"},                           # six calls; 004 says "at least six"
    {"000": "location", "001": "location", "004": "location"},          # location agreed, not announced
    {"000": "trilateral", "002": "without comment", "004": "trilateral"},  # raised by Witkoff, no comment
])
def test_facts_several_outlets_report_are_agreed(seed_brief, support):
    claims = claims_with(seed_brief, support)
    assert claims, f"no claim supported by {support}"
    assert all(c.status == "agreed" for c in claims), [(c.status, c.text) for c in claims]


@pytest.mark.parametrize("prefix, words", [("003", "25 per cent"), ("002", "United Arab Emirates")])
def test_facts_one_outlet_reports_are_single_source(seed_brief, prefix, words):
    article = article_by_prefix(seed_brief, prefix)
    claims = [c for c in seed_brief.claims if any(s.article == article.id and words in s.text for s in c.support)]
    assert claims and all(c.status == "single_source" and c.articles == (article.id,) for c in claims)


@pytest.mark.parametrize("pair", [("businesslike and constructive", "useful and constructive"),
                                  ("highly productive", "unexpectedly productive")])
def test_characterisations_are_wordings_of_one_claim(seed_brief, pair):
    holders = [c for c in seed_brief.claims if {w.lower() for w in c.wordings} >= set(pair)]
    assert len(holders) == 1, [c.wordings for c in seed_brief.claims if c.wordings]


def test_no_conflict_is_claimed_on_the_seeds(seed_brief):
    # "first summit since 2021" vs "Osaka in 2019", "six" vs "at least six", "three hours" vs
    # "about three hours": different scopes or bounds, not disagreements.
    assert [c.text for c in seed_brief.claims if c.status == "conflicting"] == []


def test_coverage_matrix_and_what_each_outlet_alone_reports(seed_brief):
    coverage = seed_brief.coverage
    assert coverage["articles"] == [a.id for a in seed_brief.articles]
    assert len(coverage["matrix"]) == len(seed_brief.claims)
    assert all(len(row) == len(seed_brief.articles) for row in coverage["matrix"])
    ani = article_by_prefix(seed_brief, "003").id
    tariff = [c.id for c in seed_brief.claims if "25 per cent" in c.text]
    assert tariff and tariff[0] in coverage["per_article"][ani]["alone"]
    for claim, row in zip(seed_brief.claims, coverage["matrix"]):
        assert {a for a, cell in zip(coverage["articles"], row) if cell == "reports"} == set(claim.articles)


def test_summary_leads_with_the_main_event_and_cites_every_supporter(seed_brief):
    summary = seed_brief.summary
    assert 5 <= len(summary) <= 8
    assert len({c.article for c in summary[0].citations}) >= 3
    texts = [s.text for s in summary]
    assert len(set(texts)) == len(texts)
    claims = {c.text: c for c in seed_brief.claims}
    for sentence in summary:
        assert sentence.citations
        if sentence.text in claims:
            assert set(sentence.citations) == set(claims[sentence.text].support)


def test_framing_shows_background_only_one_outlet_adds(seed_brief):
    framing = {f["article"]: f for f in seed_brief.framing}
    tass = article_by_prefix(seed_brief, "002").id
    assert any("Helsinki" in b["name"] for b in framing[tass]["background"])
    assert all(f["attribution_verbs"] or f["voices"] == [] for f in framing.values())
    pravda = article_by_prefix(seed_brief, "000")
    assert framing[pravda.id]["headline"] == pravda.title


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_number_that_differs_is_a_conflict_with_a_note(tmp_path):
    from rashomon import Store, build_briefs

    write(tmp_path, "a.txt", "Dam repairs finished\nMar 3, 2024\nThe repairs to the Kessel dam cost 42 million "
          "euros, the regional council said on Friday. Engineers finished the work two weeks early.\n")
    write(tmp_path, "b.txt", "Kessel dam reopens after repairs\nMar 3, 2024\nThe repairs to the Kessel dam cost 45 "
          "million euros, the regional council said on Friday. The dam reopened to boats on Saturday.\n")
    (brief,) = build_briefs([str(tmp_path)], Store(":memory:")).briefs
    conflicting = [c for c in brief.claims if c.status == "conflicting"]
    assert conflicting, [(c.status, c.text) for c in brief.claims]
    note = conflicting[0].conflicts[0].note
    assert "42" in note and "45" in note


def test_a_bound_admits_the_value_it_bounds(tmp_path):
    from rashomon import Store, build_briefs

    write(tmp_path, "a.txt", "Bridge talks\nMar 3, 2024\nThe two ministers have held six rounds of talks on "
          "the Tarrow bridge since January, officials said.\n")
    write(tmp_path, "b.txt", "Bridge deal near\nMar 3, 2024\nThe two ministers have held at least six rounds of "
          "talks on the Tarrow bridge since January, officials said.\n")
    (brief,) = build_briefs([str(tmp_path)], Store(":memory:")).briefs
    six = [c for c in brief.claims if "six rounds" in c.text]
    assert six and all(c.status == "agreed" for c in six)


def test_a_syndicated_copy_counts_once(tmp_path):
    """A wire copy with a changed headline is marked duplicate_of and adds no agreement."""
    from rashomon import Store, build_briefs

    body = ("The regional council approved a budget of 120 million euros for the Kessel harbour on Tuesday. "
            "Council leader Ida Marsh said the work would start in June and take two years. "
            "The harbour handled 40,000 containers last year, the port authority said. "
            "Fishermen in Kessel have asked for a new quay since the storm of 2021 damaged the old one. "
            "The plan also includes a ferry terminal for 300 passengers and a new breakwater.")
    write(tmp_path, "wire.txt", f"Kessel harbour budget approved\nMar 3, 2024\n{body}\n")
    write(tmp_path, "copy.txt", f"Council backs harbour plan\nMar 3, 2024\n{body.replace('Tuesday', 'Tuesday evening')}\n")
    (brief,) = build_briefs([str(tmp_path)], Store(":memory:")).briefs
    copies = [a for a in brief.articles if a.duplicate_of]
    assert len(copies) == 1 and copies[0].duplicate_of in {a.id for a in brief.articles}
    assert brief.claims and all(c.status == "single_source" for c in brief.claims), \
        [(c.status, c.text) for c in brief.claims]
