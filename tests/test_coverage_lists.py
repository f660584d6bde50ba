"""The coverage matrix as per-claim lists (the web API's default form): the same facts, both ways."""

from __future__ import annotations

import pytest

from rashomon.render.jsonout import COVERAGE_FORMS, coverage_lists, coverage_matrix

INVENTED = {
    "articles": ["a1", "a2", "a3", "a4"],
    "claims": ["c1", "c2", "c3"],
    "matrix": [["reports", "silent", "contradicts", "reports"],
               ["silent", "silent", "silent", "reports"],
               ["silent", "silent", "silent", "silent"]],
    "per_article": {"a4": {"alone": ["c2"], "omits": []}},
    "origins": ["x", "y", "z", "z"],
}


def test_lists_hold_the_reporting_and_contradicting_articles_only():
    lists = coverage_lists(INVENTED)
    assert "matrix" not in lists
    assert lists["reports"] == [[0, 3], [3], []]
    assert lists["contradicts"] == [[2], [], []]
    assert {k: lists[k] for k in ("articles", "claims", "per_article", "origins")} == \
        {k: INVENTED[k] for k in ("articles", "claims", "per_article", "origins")}


def test_lists_turn_back_into_the_same_matrix():
    assert coverage_matrix(coverage_lists(INVENTED)) == INVENTED
    empty = {"articles": ["a1"], "claims": [], "matrix": [], "per_article": {}}
    assert coverage_matrix(coverage_lists(empty)) == empty


def test_an_unknown_form_is_refused():
    from rashomon.render.jsonout import brief

    assert COVERAGE_FORMS == ("full", "lists")
    with pytest.raises(ValueError):
        brief(None, coverage="cells")  # type: ignore[arg-type]
