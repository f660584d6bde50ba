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
    from rashomon.analyze.article import EMBED_CHARS
    from rashomon.group.grouping import ENTITY_TERM
    from rashomon.group.similarity import lede_terms

    def item(rid, text, date, vec, doc) -> GroupItem:
        keys = entity_keys((e.text, e.label_) for e in doc.ents)
        terms = lede_terms(text[:EMBED_CHARS]) | {ENTITY_TERM + k for k in keys}  # as group_item makes them
        return GroupItem(rid, vec, keys, date, text, None, terms)

    return {rid: item(rid, text, date, vec, doc) for (rid, text, date), vec, doc in zip(records, vectors, docs)}


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


def item(rid: str, vec: np.ndarray, date: str | None, ents=("harbour bridge",), terms=()) -> GroupItem:
    return GroupItem(rid, vec, frozenset(ents), date, f"invented text {rid}", None, frozenset(terms))


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
    grouper.add(item("a1", unit(31, centre, 0.09), "2025-01-01", ("alpha",), ("@alpha",)))
    grouper.add(item("b1", unit(32, centre, 0.09), "2025-01-01", ("beta",), ("@beta",)))
    before = grouper.assignments()
    assert before["a1"] != before["b1"]
    for n in range(2, 5):
        grouper.add(item(f"x{n}", unit(40 + n, centre, 0.05), "2025-01-01", ("alpha", "beta"), ("@alpha", "@beta")))
    after = grouper.assignments()
    assert len(set(after.values())) == 1
    assert [(m.article_id, m.from_story, m.to_story, m.reason) for m in grouper.moves()] == [("b1", "sb1", "sa1", "merge")]
    for move in grouper.moves():
        assert after[move.article_id] == move.to_story


# --- events, not topics (invented articles, analysed as the pipeline does) ------------------
HARBOUR = [
    # (id, published, outlet, text); event label in the id prefix
    ("strike-a", "2026-03-10", "Velden Post",
     "Dockers walk out at Port Velden\nHundreds of dock workers at Port Velden walked off the job on Tuesday, "
     "halting container traffic at the country's busiest harbour in a dispute over night-shift pay. "
     "The dockers' union said the strike would last until the port operator raised wages."),
    ("strike-b", "2026-03-10", "Coastal Herald",
     "Port Velden dockers strike over pay\nContainer traffic stopped at Port Velden on Tuesday as dock workers "
     "began a strike over night-shift pay, their union said. Cranes stood idle and lorries queued outside the gates."),
    ("strike-c", "2026-03-10", "North Wire",
     "Strike halts Port Velden\nDock workers at Port Velden went on strike on Tuesday, stopping container "
     "ships from unloading. The union is demanding higher pay for night shifts."),
    ("lawsuit-a", "2026-03-10", "Velden Post",
     "Port operator to sue union\nMaren Logistics, which runs Port Velden, said on Tuesday it would take the "
     "dockers' union to court to recover millions in lost fees, filing a claim at the commercial court in Brask."),
    ("lawsuit-b", "2026-03-10", "Business Daily",
     "Maren Logistics files claim against dockers' union\nMaren Logistics announced on Tuesday it had filed a "
     "damages claim at the commercial court in Brask, accusing the union of breaching its contract. "
     "The company's chief executive Ilse Varga said the claim would seek compensation for lost fees."),
    ("strike-follow", "2026-03-11", "Coastal Herald",
     "Port Velden strike enters second day\nDock workers at Port Velden stayed off the job for a second day on "
     "Wednesday, extending the strike over night-shift pay that began on Tuesday. Container ships waited offshore."),
    ("roundup", "2026-03-11", "North Wire",
     "Port Velden dispute: what we know\nDock workers walked off the job at Port Velden on Tuesday over night-shift "
     "pay. Maren Logistics, the port operator, has filed a damages claim against the union at the court in Brask. "
     "Ships are waiting offshore and the union says the strike will continue."),
    ("other-football", "2026-03-10", "Velden Post",
     "Brask United beat Harlow 3-1\nBrask United came from behind to beat Harlow 3-1 on Tuesday night, with two "
     "goals from their young striker in the second half of the league match."),
    ("other-bakery", "2026-03-10", "Coastal Herald",
     "Old bakery reopens in Lunde\nA bakery that closed two years ago reopened in the village of Lunde on Tuesday, "
     "after a couple bought the building and restored its wood-fired oven."),
    ("other-weather", "2026-03-11", "North Wire",
     "Storm warning for the west coast\nForecasters issued a storm warning for the west coast on Wednesday, with "
     "gusts of up to 110 km/h expected overnight and ferries cancelled."),
]


@pytest.fixture(scope="module")
def harbour():
    from rashomon.analyze.article import analyze_articles
    from rashomon.group.grouping import group_item
    from rashomon.model import Article

    articles = [Article(id=i, source=i, text=text, published=day, published_basis="stated", outlet=outlet)
                for i, day, outlet, text in HARBOUR]
    items = [group_item(a) for a in analyze_articles(articles, total=len(articles))]
    grouper = StoryGrouper()
    grouper.add_many(items)
    return grouper, items


def test_two_events_of_one_topic_on_one_day_stay_apart(harbour):
    grouper, _ = harbour
    story = grouper.assignments()
    assert story["strike-a"] == story["strike-b"] == story["strike-c"]
    assert story["lawsuit-a"] == story["lawsuit-b"]
    assert story["strike-a"] != story["lawsuit-a"]
    for other in ("other-football", "other-bakery", "other-weather"):
        assert story[other] not in (story["strike-a"], story["lawsuit-a"])


def test_follow_up_joins_its_event(harbour):
    grouper, _ = harbour
    story = grouper.assignments()
    assert story["strike-follow"] == story["strike-a"]


def test_roundup_does_not_merge_two_stories(harbour):
    grouper, _ = harbour
    story = grouper.assignments()
    assert story["strike-a"] != story["lawsuit-a"]  # after the roundup that names both
    assert not [m for m in grouper.moves() if m.reason == "merge"]


def test_topic_thread_links_the_events(harbour):
    from rashomon.group.grouping import topic_ids

    grouper, items = harbour
    story = grouper.assignments()
    topics = topic_ids(grouper.topics())
    assert topics.get(story["strike-a"]) is not None
    assert topics[story["strike-a"]] == topics.get(story["lawsuit-a"])
    for other in ("other-football", "other-bakery", "other-weather"):
        assert topics.get(story[other]) != topics[story["strike-a"]]
    again = StoryGrouper.from_state(grouper.state_dict(), items)  # threads survive persistence
    assert topic_ids(again.topics()) == topics


def test_event_date_comes_from_the_lede():
    from rashomon.analyze.timex import extract_times
    from rashomon.group.grouping import event_date
    from rashomon.model import Analysis, Article

    text = "Talks collapse\nNegotiators walked out of the talks in Brask on Sunday, officials said on Tuesday."
    article = Article(id="t", source="t", text=text, published="2026-03-10", published_basis="stated")
    analysis = Analysis(article=article, times=tuple(extract_times(text, "t", article.published)))
    assert event_date(analysis) == "2026-03-08"
    old = "Archive\nThe harbour opened on 3 May 1921 and was extended in 1960."
    article = Article(id="o", source="o", text=old, published="2026-03-10", published_basis="stated")
    analysis = Analysis(article=article, times=tuple(extract_times(old, "o", article.published)))
    assert event_date(analysis) is None  # background dates are not the event's day
