"""Story grouping: the seeds form one story among ECB+ documents; copies; order; state."""

from __future__ import annotations

import random
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import pytest

from rashomon.group.params import DEFAULT_PARAMS
from rashomon.group.similarity import entity_keys, pair_similarity
from rashomon.group.stories import GroupItem, StoryGrouper
from tests.conftest import need

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SEEDS = SHARED / "seeds"
ECBPLUS = SHARED / "eval" / "ecbplus"
ECB_TOPICS = ("1", "3", "18")
DOCS_PER_TOPIC = 8


def read_seed(path: Path) -> tuple[str, str | None]:
    """Body of a seed file (first non-empty line is the title) and its stated date."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip())
    body = "\n".join(lines[first + 1 :]).strip()
    stated = re.search(r"^(Aug) (\d\d), (\d{4})$", body, re.M)
    return body, (f"{stated.group(3)}-08-{stated.group(2)}" if stated else None)


def read_ecb(path: Path) -> str:
    tokens = [t.text or "" for t in ET.parse(path).getroot().iter("token")]
    text = " ".join(tokens)
    return re.sub(r" ([.,;:!?])", r"\1", text)


@pytest.fixture(scope="module")
def corpus() -> dict[str, GroupItem]:
    need(SEEDS), need(ECBPLUS)
    from rashomon.analyze.embed import embed
    from rashomon.analyze.nlp import load_nlp

    records = []  # (id, text, date)
    for path in sorted(SEEDS.glob("*.txt")):
        body, stated = read_seed(path)
        records.append((f"seed{path.name[:3]}", body, stated))
    for topic in ECB_TOPICS:
        for path in sorted((ECBPLUS / topic).glob("*.xml"))[:DOCS_PER_TOPIC]:
            records.append((path.stem, read_ecb(path), None))
    copied = records[2][1].replace("Thursday", "Thursday evening", 1).replace("summit", "meeting", 1)
    records.append(("copy002", "Reuters - " + copied, None))
    texts = [text for _, text, _ in records]
    vectors = embed(texts)
    nlp = load_nlp()
    docs = nlp.pipe(texts, batch_size=8)
    return {
        rid: GroupItem(rid, vec, entity_keys((e.text, e.label_) for e in doc.ents), date, text, None)
        for (rid, text, date), vec, doc in zip(records, vectors, docs)
    }


def test_seeds_form_one_story_among_ecbplus(corpus):
    grouper = StoryGrouper()
    grouper.add_many([item for rid, item in corpus.items() if rid != "copy002"])
    stories = grouper.assignments()
    seed_stories = {stories[rid] for rid in corpus if rid.startswith("seed")}
    assert len(seed_stories) == 1, seed_stories
    (seed_story,) = seed_stories
    assert seed_story == "sseed003"  # the dated seed comes first in batch order
    others = [rid for rid in corpus if not rid.startswith(("seed", "copy"))]
    assert not [rid for rid in others if stories[rid] == seed_story]


def test_copied_article_is_marked_duplicate(corpus):
    grouper = StoryGrouper()
    grouper.add_many([item for rid, item in corpus.items() if rid != "copy002"])
    result = grouper.add(corpus["copy002"])
    assert result.duplicate_of == "seed002"
    assert result.story_id == grouper.assignments()["seed002"]
    assert result.similarity is not None and result.similarity >= DEFAULT_PARAMS.duplicate_jaccard
    assert grouper.assignment("seed002").duplicate_of is None


def test_batch_is_order_independent(corpus):
    items = list(corpus.values())
    reference = StoryGrouper().add_many(items)
    for seed in (1, 2, 3):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        again = {a.article_id: a for a in StoryGrouper().add_many(shuffled)}
        assert [again[a.article_id] for a in reference] == reference


def test_state_round_trip_continues_the_same_way(corpus):
    items = [item for rid, item in corpus.items() if rid != "copy002"]
    grouper = StoryGrouper()
    grouper.add_many(items)
    restored = StoryGrouper.from_state(grouper.state_dict(), items)
    assert restored.assignments() == grouper.assignments()
    assert restored.add(corpus["copy002"]) == grouper.add(corpus["copy002"])
    assert restored.stories() == grouper.stories()


def test_seed_pairs_score_above_ecb_pairs(corpus):
    seed = [corpus[rid] for rid in corpus if rid.startswith("seed")]
    ecb = [corpus[rid] for rid in corpus if not rid.startswith(("seed", "copy"))]

    def sim(a: GroupItem, b: GroupItem) -> float:
        return pair_similarity(a.embedding, a.entities, a.date, b.embedding, b.entities, b.date)

    worst_seed = min(sim(a, b) for i, a in enumerate(seed) for b in seed[i + 1 :])
    best_cross = max(sim(a, b) for a in seed for b in ecb)
    assert worst_seed > DEFAULT_PARAMS.join_threshold > best_cross


# --- synthetic: windows, updates, merges ------------------------------------------------
def unit(seed: int, around: np.ndarray | None = None, noise: float = 0.05) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vec = rng.standard_normal(384).astype(np.float32)
    if around is not None:
        vec = around + noise * vec
    return vec / np.linalg.norm(vec)


def item(rid: str, vec: np.ndarray, date: str | None, ents=("harbour bridge",)) -> GroupItem:
    return GroupItem(rid, vec, frozenset(ents), date, f"invented text {rid}", None)


def test_window_keeps_old_stories_apart_and_evicts():
    centre = unit(1)
    grouper = StoryGrouper()
    first = grouper.add(item("a", unit(2, centre), "2025-01-01"))
    assert first.story_id == "sa" and first.similarity is None
    assert grouper.add(item("b", unit(3, centre), "2025-01-03")).story_id == "sa"
    late = grouper.add(item("c", unit(4, centre), "2025-03-01"))  # same topic, two months later
    assert late.story_id == "sc"
    assert grouper.assignments() == {"a": "sa", "b": "sa", "c": "sc"}
    assert "a" not in grouper._members  # evicted from memory, assignment kept


def test_update_that_changes_story_is_recorded():
    grouper = StoryGrouper()
    one, two = unit(10), unit(20)
    grouper.add_many([item("a", unit(11, one), "2025-01-01"), item("b", unit(21, two), "2025-01-01"),
                      item("c", unit(12, one), "2025-01-01")])
    assert grouper.assignments()["c"] == "sa"
    assert grouper.add(item("c", unit(12, one), "2025-01-01")).moved_from is None  # unchanged: no-op
    moved = grouper.add(item("c", unit(22, two), "2025-01-01"))
    assert (moved.story_id, moved.moved_from) == ("sb", "sa")
    assert [(m.article_id, m.from_story, m.to_story, m.reason) for m in grouper.moves()] == [("c", "sa", "sb", "update")]


def test_converging_stories_merge_with_moves_recorded():
    centre = unit(30)
    grouper = StoryGrouper()
    # two halves of one event, told with different names at first, then bridged
    grouper.add(item("a1", unit(31, centre, 0.09), "2025-01-01", ("alpha",)))
    grouper.add(item("b1", unit(32, centre, 0.09), "2025-01-01", ("beta",)))
    before = grouper.assignments()
    assert before["a1"] != before["b1"]
    for n in range(2, 5):
        grouper.add(item(f"x{n}", unit(40 + n, centre, 0.05), "2025-01-01", ("alpha", "beta")))
    after = grouper.assignments()
    assert len(set(after.values())) == 1
    assert [(m.article_id, m.from_story, m.to_story, m.reason) for m in grouper.moves()] == [("b1", "sb1", "sa1", "merge")]
    for move in grouper.moves():
        assert after[move.article_id] == move.to_story
