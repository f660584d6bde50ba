"""Near-duplicate detection (MinHash LSH) on invented texts."""

from __future__ import annotations

from rashomon.group.duplicates import DuplicateFinder, independent_ids, jaccard, minhash, shingles
from rashomon.group.params import DEFAULT_PARAMS

WIRE = (
    "The city council of Northbridge voted on Tuesday to close the old harbour bridge for repairs "
    "after engineers found cracks in two of its steel supports, the mayor said in a statement. "
    "The bridge carries about twelve thousand vehicles a day and will stay closed for at least six weeks. "
    "Buses will be diverted through the eastern tunnel, and a temporary ferry will run every twenty minutes "
    "between the market square and the railway station while the work goes on, officials added."
)
OTHER = (
    "Farmers in the southern valley began the grape harvest a week early this year because of the dry summer, "
    "and growers expect a smaller but sweeter crop. Cooperative managers said prices would likely rise, "
    "while several small wineries announced they would open their cellars to visitors for the first time "
    "in October, hoping that tourism can make up for the lost volume of wine."
)


def copy_of(text: str) -> str:
    """A syndicated copy: a new first word and one word changed."""
    return ("Officials: " + text).replace("six weeks", "6 weeks")


def test_shingles_are_distinct_and_casefolded():
    grams = shingles("A b c A B C a b c", 3)
    assert grams == [b"a b c", b"b c a", b"c a b"]


def test_short_text_has_no_minhash():
    assert minhash("too short to judge", DEFAULT_PARAMS) is None


def test_copy_is_found_and_other_text_is_not():
    finder = DuplicateFinder()
    finder.add("wire", minhash(WIRE))
    assert jaccard(WIRE, copy_of(WIRE)) >= DEFAULT_PARAMS.duplicate_jaccard
    found = finder.find(minhash(copy_of(WIRE)))
    assert found is not None and found[0] == "wire"
    assert finder.find(minhash(OTHER)) is None


def test_the_earliest_original_wins_and_removal_forgets():
    finder = DuplicateFinder()
    finder.add("first", minhash(WIRE))
    finder.add("second", minhash(copy_of(WIRE)))
    assert finder.find(minhash(WIRE))[0] == "first"
    finder.remove("first")
    assert finder.find(minhash(WIRE))[0] == "second"
    assert "first" not in finder


def test_independent_ids_count_copies_once():
    duplicate_of = {"a": None, "b": "a", "c": "a", "d": None}
    assert independent_ids(duplicate_of, ["a", "b", "c", "d"]) == ["a", "d"]
    assert independent_ids(duplicate_of, ["b", "c", "d"]) == ["b", "d"]


def test_one_text_alone_never_loads_datasketch():
    """A run of one article compares nothing: the MinHash library (and scipy) stay unloaded."""
    from tests.conftest import imported_modules

    code = ("from rashomon.group.duplicates import DuplicateFinder, minhash\n"
            "finder = DuplicateFinder()\n"
            "text = ' '.join(f'word{i} other{i % 7} thing{i % 3}' for i in range(200))\n"
            "assert finder.find(minhash(text)) is None\n"
            "finder.add('only', minhash(text))\n")
    assert imported_modules(code, ("datasketch", "scipy")) == []


def test_sketches_made_before_the_index_find_the_same_copy():
    """Sketches kept before the LSH index exists are indexed when a second text arrives."""
    finder = DuplicateFinder()
    finder.add("wire", minhash(WIRE))
    finder.add("other", minhash(OTHER))
    assert finder.find(minhash(copy_of(WIRE)))[0] == "wire"
    assert finder.find(minhash(OTHER))[0] == "other"
    finder.remove("wire")
    assert finder.find(minhash(copy_of(WIRE))) is None
