"""The story page's view model: filters, paging, folding, positions, the timeline strip and the heatmap."""

from __future__ import annotations

from rashomon.model import Brief
from rashomon.render import view
from rashomon.render.view import CLAIMS_PAGE, ViewState, brief_view

from .invented import TEXTS, invented_brief


def shown_ids(v: dict) -> list[str]:
    return [r["claim"].id for r in v["claims"] if r["shown"]]


def test_state_reads_and_writes_a_query_and_ignores_junk():
    state = ViewState.from_query({"status": "conflicting", "outlet": "Coast Post", "fold": "timeline,nonsense,claims",
                                  "claims": "120", "speakers": "-3"})
    assert state.status == "conflicting" and state.outlet == "Coast Post"
    assert state.fold == ("timeline", "claims") and state.claims == 120 and state.speakers == view.SPEAKERS_PAGE
    assert ViewState.from_query(state.query()) == state
    assert ViewState.from_query({"status": "<script>"}).status == ""
    assert ViewState().query() == {}


def test_claims_filter_by_status_outlet_and_origin():
    brief = invented_brief()
    assert shown_ids(brief_view(brief)) == ["cvote", "ccross", "cimg"]
    assert shown_ids(brief_view(brief, state=ViewState(status="conflicting"))) == ["ccross"]
    assert shown_ids(brief_view(brief, state=ViewState(outlet="Bay Times"))) == ["cvote", "cimg"]
    assert shown_ids(brief_view(brief, state=ViewState(origin="Harbour Gazette"))) == ["cvote", "ccross"]
    both = brief_view(brief, state=ViewState(status="single_source", outlet="Harbour Gazette"))
    assert shown_ids(both) == [] and both["claims_matching"] == 0
    nobody = brief_view(brief, state=ViewState(outlet="No Such Outlet"))
    assert shown_ids(nobody) == []


def test_long_lists_are_paged_after_filtering():
    brief = invented_brief(claims=70)
    v = brief_view(brief)
    assert v["claims_shown"] == CLAIMS_PAGE and v["claims_matching"] == 73
    more = brief_view(brief, state=ViewState(claims=CLAIMS_PAGE * 2))
    assert more["claims_shown"] == 73
    one = brief_view(brief, state=ViewState(status="single_source"))
    assert one["claims_matching"] == 71 and one["claims_shown"] == CLAIMS_PAGE
    assert all(r["claim"].status == "single_source" for r in one["claims"] if r["shown"])
    capped = brief_view(brief, cap=10)
    assert len(capped["claims"]) == 10 and capped["claims_cut"] == 63 and len(capped["coverage"]["rows"]) == 10


def test_sections_carry_counts_and_fold_state():
    v = brief_view(invented_brief(), state=ViewState(fold=("coverage",)))
    sections = {s["id"]: s for s in v["sections"]}
    assert sections["claims"]["count"] == 3 and sections["timeline"]["count"] == 3 and sections["statements"]["count"] == 2
    assert not sections["coverage"]["open"] and sections["claims"]["open"]


def test_statements_filter_by_speaker():
    v = brief_view(invented_brief(), state=ViewState(speaker="Mira Tollan"))
    assert [(g["key"], g["shown"]) for g in v["speakers"]] == [("Mira Tollan", True), ("their union", False)]
    assert v["speakers"][0]["kind"] == "person"


def test_citations_are_readable_positions():
    v = brief_view(invented_brief())
    claim = invented_brief().claims[1]
    cite = v["cite"](claim.support[0])
    assert cite["where"] == "paragraph 2, sentence 1" and cite["n"] == 1 and cite["outlet"] == "Harbour Gazette"
    assert cite["href"] == f"/articles/a1?span={claim.support[0].start}-{claim.support[0].end}#hl"
    later = TEXTS["a1"].index("The new timetable")
    assert view.position_label(TEXTS["a1"], later) == "paragraph 2, sentence 2"
    us = "Leaders of the U.S. and Canada met. They spoke. Kirill A. Dmitriev left."
    assert view.position_label(us, us.index("They")) == "paragraph 1, sentence 2"
    assert view.position_label(us, us.index("Kirill")) == "paragraph 1, sentence 3"
    assert view.position_label(us, us.index("Dmitriev")) == "paragraph 1, sentence 3"


def test_untitled_and_inferred_articles_say_so():
    brief = invented_brief()
    a1, a2, a3 = brief.articles
    assert view.display_title(a1) == a1.title
    assert view.display_title(a3).startswith("(untitled) (Wire Agency) - Eastwick")
    assert view.date_label(a2) == "2031-10-15 (inferred: the day after article a1's 'Tuesday')"
    assert view.date_label(a3) == "date unknown"


def test_timeline_strip_places_events_by_date():
    strip = brief_view(invented_brief())["timeline"]
    markers = strip["markers"]
    assert [m["event"].id for m in markers] == ["ev-vote", "ev-start"]
    assert markers[0]["x"] == view.TIMELINE_MARGIN and markers[1]["x"] == view.TIMELINE_WIDTH - view.TIMELINE_MARGIN
    assert markers[0]["outlets"] == ["Bay Times", "Coast Post", "Harbour Gazette"] and markers[1]["outlets"] == ["Harbour Gazette"]
    assert markers[0]["r"] > markers[1]["r"]
    assert [u["event"].id for u in strip["undated"]] == ["ev-meet"]
    assert "3 outlets" in markers[0]["label"] and "Tue 14 Oct 2031" in markers[0]["label"]


def test_timeline_strip_stacks_events_of_one_day_and_survives_odd_dates():
    from dataclasses import replace

    brief = invented_brief()
    events = (replace(brief.events[0], id="x1"), replace(brief.events[0], id="x2", date="2031-10"),
              replace(brief.events[0], id="x3", date="not a date"), replace(brief.events[0], id="x4", date="2031-02-30"))
    strip = brief_view(replace(brief, events=events))["timeline"]
    assert [m["event"].id for m in strip["markers"]] == ["x2", "x1"]
    assert {u["event"].id for u in strip["undated"]} == {"x3", "x4"}
    one_day = brief_view(replace(brief, events=events[:1] + (replace(events[0], id="x5"),)))["timeline"]
    assert [m["level"] for m in one_day["markers"]] == [0, 1]
    assert one_day["markers"][0]["x"] == one_day["markers"][1]["x"] == view.TIMELINE_WIDTH / 2
    assert one_day["markers"][0]["y"] > one_day["markers"][1]["y"]


def test_timex_dates_start_on_their_first_day():
    from datetime import date

    assert view._day("2025-08-06") == date(2025, 8, 6).toordinal()
    assert view._day("2025-W33") == date(2025, 8, 11).toordinal()
    assert view._day("2025-08") == date(2025, 8, 1).toordinal() and view._day("2025") == date(2025, 1, 1).toordinal()
    assert view._day("2025-08-06T10:00") == date(2025, 8, 6).toordinal()
    assert view._day("2025-SU") is None and view._day("PRESENT_REF") is None and view._day(None) is None


def test_heatmap_groups_outlets_by_origin_and_merges_articles_of_one_outlet():
    from dataclasses import replace

    brief = invented_brief()
    hm = brief_view(brief)["coverage"]
    assert [c["label"] for c in hm["columns"]] == ["Bay Times", "Coast Post", "Harbour Gazette"]
    assert [(g["origin"], g["span"]) for g in hm["groups"]] == [("Wire Agency", 2), (view.NO_ORIGIN, 1)]
    assert hm["marked"]
    cross = next(r for r in hm["rows"] if r["claim"].id == "ccross")
    assert [c["state"] for c in cross["cells"]] == ["silent", "contradicts", "reports"]
    # a second article of one outlet shares its column; the strongest cell wins
    a4 = replace(brief.articles[0], id="a4", source="gazette2.txt")
    coverage = {"articles": ["a1", "a2", "a3", "a4"], "claims": ["cvote", "ccross", "cimg"],
                "matrix": [["reports"] * 4, ["silent", "silent", "silent", "contradicts"], ["silent"] * 4]}
    merged = view.heatmap(replace(brief, articles=brief.articles + (a4,), coverage=coverage))
    assert len(merged["columns"]) == 3
    gazette = [c["outlet"] for c in merged["rows"][1]["cells"]].index("Harbour Gazette")
    assert merged["rows"][1]["cells"][gazette]["state"] == "contradicts"


def test_unnamed_outlets_keep_their_own_column_and_no_origin_means_no_groups():
    from dataclasses import replace

    brief = invented_brief()
    articles = tuple(replace(a, outlet=None, origin=None) for a in brief.articles)
    hm = view.heatmap(replace(brief, articles=articles))
    assert [c["label"] for c in hm["columns"]] == ["[1] unnamed", "[2] unnamed", "[3] unnamed"]
    assert not hm["marked"]


def test_an_empty_brief_has_a_view():
    empty = Brief(id="s-empty", title="Nothing yet", articles=(), entities=(), statements=(), events=(), claims=(),
                  summary=())
    v = brief_view(empty)
    assert v["claims"] == [] and v["timeline"]["markers"] == [] and v["coverage"]["rows"] == []
    assert all(s["count"] == 0 for s in v["sections"])


def test_timeline_and_names_are_paged_and_a_crowded_day_stays_a_strip():
    from dataclasses import replace

    brief = invented_brief()
    crowd = tuple(replace(brief.events[0], id=f"x{i:03d}") for i in range(80))
    v = brief_view(replace(brief, events=crowd))
    assert v["events_shown"] == view.EVENTS_PAGE
    assert max(m["level"] for m in v["timeline"]["markers"]) == view.TIMELINE_LANES - 1
    assert v["timeline"]["height"] == 46 + view.TIMELINE_LANES * view.TIMELINE_LANE
    more = brief_view(replace(brief, events=crowd), state=ViewState.from_query({"events": "100"}))
    assert more["events_shown"] == 80 and more["state"].query() == {"events": "100"}
