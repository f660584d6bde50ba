"""The group stage over the store: new articles join stories, and the result is persisted.

The grouper's state (stories, members, duplicates, moves) is kept in the store's
``state`` table; every assignment is written to ``assignments``, and an article whose
story changes (two stories merged) gets a row in ``moves`` — it never moves silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..analyze.article import ANALYSIS_VERSION
from ..model import Analysis
from datetime import date

from .params import DEFAULT_PARAMS
from .similarity import entity_keys
from .stories import GroupItem, StoryGrouper

STATE_KEY = "grouping"


def group_item(analysis: Analysis) -> GroupItem:
    """What grouping needs of one analysed article."""
    return GroupItem(
        article_id=analysis.article.id,
        embedding=analysis.embedding,
        entities=entity_keys((m.name, m.type) for m in analysis.entities),
        date=analysis.article.published,
        text=analysis.article.text,
        outlet=analysis.article.outlet,
    )


def group_store(store, load_analyses: Callable[[object, Iterable[str]], list[Analysis]]) -> int:
    """Group the stored articles that have no story yet; returns how many were placed.
    Holds the store's write lock throughout, so concurrent runs group one after the other."""
    with store.grouping_lock():
        return _group_store(store, load_analyses)


def _group_store(store, load_analyses: Callable[[object, Iterable[str]], list[Analysis]]) -> int:
    assigned = store.assignments()
    unanalysed = set(store.unanalysed(ANALYSIS_VERSION))  # failed analyses wait for the next run
    new = [i for i in store.article_ids() if i not in assigned and i not in unanalysed]
    if not new:
        return 0
    state = store.state(STATE_KEY)
    if state:
        recent = _recent(store, assigned, state.get("params", {}).get("retain_days", DEFAULT_PARAMS.retain_days))
        grouper = StoryGrouper.from_state(state, [group_item(a) for a in load_analyses(store, recent)])
    else:
        grouper = StoryGrouper()
    moves_before = len(grouper.moves())
    grouper.add_many(group_item(a) for a in load_analyses(store, new))
    reasons = {m.article_id: m.reason for m in grouper.moves()[moves_before:]}
    rows = []
    for article_id, story_id in sorted(grouper.assignments().items()):
        placed = grouper.assignment(article_id)
        old = assigned.get(article_id)
        if old is None or old != (story_id, placed.duplicate_of):
            rows.append((article_id, story_id, placed.duplicate_of, placed.similarity,
                         reasons.get(article_id, "merge")))
    store.save_grouping(rows, STATE_KEY, grouper.state_dict())  # one transaction: kill -9 cannot split a story
    return len(new)


def _recent(store, assigned, retain_days: int | None) -> list[str]:
    """Assigned articles the grouper still indexes: undated ones and those within
    ``retain_days`` of the latest date (older ones keep only their assignment)."""
    dates = store.published_dates()
    known = [d for d in dates.values() if d]
    if retain_days is None or not known:
        return list(assigned)
    latest = max(date.fromisoformat(d) for d in known).toordinal()
    return [a for a in assigned
            if not dates.get(a) or date.fromisoformat(dates[a]).toordinal() >= latest - retain_days]
