"""Agreement you can trust: paraphrases aligned, numbers compared as typed quantities, real
conflicts with notes naming outlets, bounds and updates, negations only where outlets state them.

Every article here is invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rashomon.model import Span
from rashomon.reconcile.quantities import quantities


def brief_of(tmp_path: Path, records: list[dict]):
    from rashomon import Store, build_briefs

    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = build_briefs([str(path)], Store(":memory:"))
    return max(result.briefs, key=lambda b: len(b.articles))


def claims_holding(brief, *words: str):
    """Claims whose support has a span containing each of the words (any article)."""
    return [c for c in brief.claims if all(any(w.lower() in s.text.lower() for s in c.support) for w in words)]


FERRY = {
    # each outlet's own background, so that no report is a near-copy of another
    "Reuters": ("Rescue boats searched the bay until dawn, and a navy helicopter joined them at first light. "
                "The ferry was carrying passengers from Port Alder to the island of Skelly, a crossing of about two "
                "hours that islanders make every week."),
    "AP": ("Relatives waited at the quay through the night for news. The Marisol, built in 1988, had been due for "
           "a safety refit this summer, the operator's spokesman told local radio. The coast guard said an inquiry "
           "would begin on Monday."),
}


def ferry(outlet: str, toll_sentence: str, published: str = "2025-05-04", extra: str = "") -> dict:
    return {"id": outlet, "outlet": outlet, "title": f"Ferry capsizes off Port Alder ({outlet})",
            "published": published, "url": f"https://{outlet.lower().replace(' ', '')}.example/ferry",
            "text": f"{toll_sentence} {FERRY[outlet]} {extra}".strip()}


# ----------------------------------------------------------------------------- quantities


@pytest.mark.parametrize("text, kind, low, high", [
    ("At least 20 people were killed in the blast.", "dead", 20, 40),
    ("Police arrested sixteen protesters.", "arrested", 16, 16),
    ("Two hundred people were injured.", "injured", 200, 200),
    ("Three dozen people were injured.", "injured", 36, 36),
    ("A crowd of about 5,000 people gathered.", "crowd", 4500, 5500),
    ("Thousands of protesters marched.", "crowd", 2000, 9999),
    ("The repairs cost 42 million euros.", "money", 42e6, 42e6),
])
def test_typed_quantities(text, kind, low, high):
    (q,) = quantities(Span("a", 0, len(text), text))
    assert (q.kind, q.low, q.high) == (kind, low, high)
    assert text[q.span.start:q.span.end] == q.span.text


@pytest.mark.parametrize("a, b, agree", [
    ("At least 20 people were killed.", "22 people were killed.", True),          # a bound admits a value
    ("Sixteen people were arrested.", "16 people were arrested.", True),         # words vs digits
    ("20 people were killed.", "26 people were killed.", False),
    ("A crowd of about 5,000 people gathered.", "More than 50,000 protesters gathered in the crowd.", False),
    ("Thousands of protesters marched.", "Hundreds of thousands of protesters marched.", False),
])
def test_quantities_agree_only_when_their_ranges_meet(a, b, agree):
    (qa,) = quantities(Span("a", 0, len(a), a))
    (qb,) = quantities(Span("b", 0, len(b), b))
    assert qa.kind == qb.kind
    assert qa.admits(qb) is agree


# ----------------------------------------------------------------------------- briefs


def test_two_tolls_conflict_with_a_note_naming_the_outlets(tmp_path):
    brief = brief_of(tmp_path, [
        ferry("Reuters", "Twenty people were killed when the ferry Marisol capsized off Port Alder on Sunday."),
        ferry("AP", "26 people were killed when the ferry Marisol capsized off Port Alder on Sunday."),
    ])
    toll = claims_holding(brief, "killed")
    assert toll and all(c.status == "conflicting" for c in toll), [(c.status, c.text) for c in brief.claims]
    note = toll[0].conflicts[0].note
    assert "death toll" in note and "Reuters" in note and "AP" in note
    assert "Twenty" in note and "26" in note
    assert not any(a.id in note for a in brief.articles)  # outlets, never internal ids


def test_a_bound_agrees_with_the_value_it_admits(tmp_path):
    brief = brief_of(tmp_path, [
        ferry("Reuters", "At least 20 people were killed when the ferry Marisol capsized off Port Alder on Sunday."),
        ferry("AP", "22 people were killed when the ferry Marisol capsized off Port Alder on Sunday."),
    ])
    toll = claims_holding(brief, "killed")
    assert toll and all(c.status != "conflicting" for c in toll), [(c.status, c.text, c.conflicts) for c in toll]
    assert any(c.status == "agreed" and len(c.articles) == 2 for c in toll)


def test_number_words_and_digits_agree(tmp_path):
    brief = brief_of(tmp_path, [
        ferry("Reuters", "Sixteen people were killed when the ferry Marisol capsized off Port Alder on Sunday."),
        ferry("AP", "16 people were killed when the ferry Marisol capsized off Port Alder on Sunday."),
    ])
    toll = claims_holding(brief, "killed")
    assert any(c.status == "agreed" and len(c.articles) == 2 for c in toll), [(c.status, c.text) for c in brief.claims]
    assert not [c for c in brief.claims if c.status == "conflicting"]


def test_a_paraphrase_is_aligned(tmp_path):
    brief = brief_of(tmp_path, [
        ferry("Reuters", "Twelve people died when the ferry Marisol capsized off Port Alder on Sunday.",
              extra="Divers recovered the ferry's data recorder from the seabed on Tuesday."),
        ferry("AP", "Twelve people died when the ferry Marisol capsized off Port Alder on Sunday.",
              extra="The vessel's data recorder was brought up from the sea floor by divers on Tuesday."),
    ])
    recorder = claims_holding(brief, "recorder")
    assert any(c.status == "agreed" and len(c.articles) == 2 for c in recorder), \
        [(c.status, [s.text for s in c.support]) for c in recorder]
    agreed = [c for c in recorder if c.status == "agreed"][0]
    assert agreed.evidence and agreed.evidence["score_min"] > 0 and "shared_terms" in agreed.evidence


def test_a_figure_that_grows_between_days_is_an_update(tmp_path):
    brief = brief_of(tmp_path, [
        ferry("Reuters", "Twelve people were killed when the ferry Marisol capsized off Port Alder on Sunday.",
              published="2025-05-04"),
        ferry("AP", "Nineteen people were killed when the ferry Marisol capsized off Port Alder on Sunday.",
              published="2025-05-05"),
    ])
    toll = claims_holding(brief, "killed")
    assert toll and toll[0].status == "conflicting"  # two different values are never "agreed"
    note = toll[0].conflicts[0].note
    assert note.startswith("Update over time") and "2025-05-04" in note and "2025-05-05" in note
    assert note.index("Twelve") < note.index("Nineteen")


def test_different_figures_of_different_kinds_do_not_conflict(tmp_path):
    brief = brief_of(tmp_path, [
        ferry("Reuters", "Twelve people were killed when the ferry Marisol capsized off Port Alder on Sunday."),
        ferry("AP", "Twelve people were killed when the ferry Marisol capsized off Port Alder on Sunday, and 40 "
                    "were injured."),
    ])
    assert not [c for c in brief.claims if c.status == "conflicting"], \
        [(c.text, [x.note for x in c.conflicts]) for c in brief.claims if c.conflicts]


def test_a_negation_in_a_quote_or_a_comment_is_not_a_conflict(tmp_path):
    brief = brief_of(tmp_path, [
        ferry("Reuters", "Twelve people died when the ferry Marisol capsized off Port Alder on Sunday.",
              extra="The storm damaged the harbour wall at Port Alder on Sunday, the harbour master said."),
        ferry("AP", "Twelve people died when the ferry Marisol capsized off Port Alder on Sunday.",
              extra='"The storm did not damage the harbour wall at Port Alder on Sunday," a ferry worker said.'
                    "\nComments (2)\nMarek: The storm did not damage the harbour wall at Port Alder on Sunday."),
    ])
    assert not [c for c in brief.claims if c.status == "conflicting"], \
        [(c.text, [x.note for x in c.conflicts]) for c in brief.claims if c.conflicts]
    ap = next(a for a in brief.articles if a.outlet == "AP")
    comments_at = ap.text.find("Comments (2)")
    if comments_at < 0:  # the ingest cleaner took the comment thread out as furniture
        assert "Marek:" not in ap.text and any(r.text.startswith("Comments (2)") for r in ap.removed)
        return
    assert not any(s.start >= comments_at for c in brief.claims for s in c.support if s.article == ap.id)


def test_a_negation_stated_by_the_outlet_is_a_fact_but_not_inside_a_quote():
    from rashomon.analyze.article import analyze_articles
    from rashomon.model import Article

    text = ('The storm did not damage the harbour wall at Port Alder on Sunday. '
            '"The storm did not break the pier at Port Alder on Sunday," a ferry worker told reporters at the quay. '
            'The mayor said the storm had not flooded the old town of Port Alder.')
    (analysis,) = analyze_articles([Article(id="neg", source="neg", text=text)], embed=False)
    negations = [(m.span.text, f.value) for m in analysis.claims for f in m.facts if f.kind == "negation"]
    assert any(v == "not:damage" for _, v in negations), negations
    assert not any(v in ("not:break", "not:flood") for _, v in negations), negations


def test_the_demo_story_with_a_contradicting_report_shows_the_dispute(tmp_path):
    """The issue's check: adding an article saying "April 8" and "48 million" to the demo story
    makes the summary show both figures as disputed, never citing the contradicting article as
    support of "April 1" or "42 million"."""
    from rashomon import Store, build_briefs
    from rashomon.demo import demo_paths

    for f in map(Path, demo_paths()):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "09_extra.txt").write_text(
        "Tarrow Bridge to open a week later\nMar 13, 2026\n"
        "The Tarrow Bridge between Norland and Estavia will reopen to traffic on April 8, officials in Kessel "
        "said on Thursday.\nThe repairs cost 48 million euros, according to the Norland transport ministry. "
        "Transport ministers Jonathan Haldorsen and Alexei Varga signed the agreement on Wednesday.\n",
        encoding="utf-8")
    briefs = build_briefs([str(tmp_path)], Store(":memory:")).briefs
    brief = next(b for b in briefs if any("April 8" in a.text for a in b.articles))
    extra = next(a.id for a in brief.articles if "April 8" in a.text)
    summary = " ".join(s.text for s in brief.summary)
    for ours, theirs in (("April 1", "April 8"), ("42 million", "48 million")):
        disputed = [s for s in brief.summary if ours in s.text and theirs in s.text]
        assert disputed and all("disputed" in s.text for s in disputed), summary
        assert all(any(c.article == extra for c in s.citations) for s in disputed)
        for s in brief.summary:
            if ours in s.text and theirs not in s.text:
                assert extra not in {c.article for c in s.citations}, s
    conflicting = [c for c in brief.claims if c.status == "conflicting"]
    assert {"42 million", "48 million"} <= {w for c in conflicting for x in c.conflicts
                                           for w in ("42 million", "48 million") if w in x.note}
