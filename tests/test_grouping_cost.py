"""Grouping cost does not grow with the stories ever stored: the count of stories the window
holds is kept, not recounted per article; it always equals the recount (invented vectors)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from rashomon.group.stories import GroupItem, StoryGrouper


def held(grouper: StoryGrouper) -> int:
    return sum(1 for story in grouper._stories.values() if story.retained > 0)


def stream(n: int, seed: int = 3) -> list[GroupItem]:
    """Invented articles: stories of about five over 40 days, some re-sent with new content."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((n // 5 + 1, 32)).astype(np.float32)
    day0 = date(2025, 1, 1)
    items = []
    for i in range(n):
        story = i // 5 if i % 7 else (i * 13) % (n // 5 + 1)  # mostly in turn, some joining older stories
        vec = centres[story] + 0.05 * rng.standard_normal(32).astype(np.float32)
        items.append(GroupItem(f"a{i:04d}", vec, frozenset({f"e{story}", f"p{story % 4}"}),
                               (day0 + timedelta(days=i // 6)).isoformat(), f"invented text {i} story {story}",
                               None, frozenset({f"w{story}", f"k{i % 9}"})))
    return items


def test_held_story_count_matches_a_recount_through_adds_updates_merges_and_evictions():
    grouper = StoryGrouper()
    items = stream(240)
    for n, item in enumerate(items):
        grouper.add(item)
        assert grouper._held_stories == held(grouper), n
    # re-sent with changed content (withdrawn and placed again), some into another story
    for item in items[-30::3]:
        changed = GroupItem(item.article_id, items[0].embedding, items[0].entities, item.date, item.text + " v2",
                            None, items[0].terms)
        grouper.add(changed)
        assert grouper._held_stories == held(grouper)
    assert any(story.retained == 0 for story in grouper._stories.values()), "nothing was evicted"


def test_held_story_count_survives_a_restore_and_a_batch():
    items = stream(120, seed=5)
    grouper = StoryGrouper()
    grouper.add_many(items[:90])
    assert grouper._held_stories == held(grouper)
    again = StoryGrouper.from_state(grouper.state_dict(), items[:90])
    assert again._held_stories == held(again)
    again.add_many(items[90:])
    assert again._held_stories == held(again)
    assert again.assignments() == {**grouper.assignments(), **again.assignments()}


def test_held_story_count_through_a_merge():
    rng = np.random.default_rng(30)
    centre = rng.standard_normal(384)
    centre /= np.linalg.norm(centre)

    def near(noise: float) -> np.ndarray:
        vec = centre + noise * rng.standard_normal(384)
        return (vec / np.linalg.norm(vec)).astype(np.float32)

    grouper = StoryGrouper()
    # two halves of one invented event, named differently at first, then bridged
    grouper.add(GroupItem("a1", near(0.09), frozenset({"alpha"}), "2025-01-01", "invented a1", None,
                          frozenset({"@alpha"})))
    grouper.add(GroupItem("b1", near(0.09), frozenset({"beta"}), "2025-01-01", "invented b1", None,
                          frozenset({"@beta"})))
    assert grouper._held_stories == held(grouper) == 2
    for n in range(2, 6):
        grouper.add(GroupItem(f"x{n}", near(0.05), frozenset({"alpha", "beta"}), "2025-01-01", f"invented x{n}",
                              None, frozenset({"@alpha", "@beta"})))
        assert grouper._held_stories == held(grouper)
    assert any(m.reason == "merge" for m in grouper.moves())
    assert grouper._held_stories == 1
