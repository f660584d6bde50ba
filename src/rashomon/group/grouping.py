"""The group stage over the store: new articles join stories, and the result is persisted.

The grouper's state is kept in the store as rows (store/storyrows.py): one per story in
``stories``, one per article in ``assignments`` (its story, copy-of and similarity), and the
grouper's scalars under ``state`` key ``grouping``; a run reads the stories it can touch and
writes the ones it changed. An article whose story changes (two stories merged) gets a row
in ``moves`` — it never moves silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..analyze.article import ANALYSIS_VERSION, embedding_input
from ..model import Analysis
from datetime import date

from ..ingest.lang import english_like
from .crosslingual import name_keys
from .params import DEFAULT_PARAMS
from .similarity import date_interval, entity_keys, lede_terms
from ..store.storyrows import GROUPING_KEY
from .stories import GroupItem, StoryGrouper, StoryRow

STATE_KEY = GROUPING_KEY
ENTITY_TERM = "@"
"""Prefix of an entity key among an article's terms: names weigh by rarity like words."""


def group_item(analysis: Analysis) -> GroupItem:
    """What grouping needs of one analysed article: its lede embedding, its names, the
    words and event predicates of its title and lede, and the day of the event it reports
    (from the lede's own date when it gives one, else the publication date)."""
    return GroupItem(
        article_id=analysis.article.id,
        embedding=analysis.embedding,
        entities=entity_keys((m.name, m.type) for m in analysis.entities),
        date=event_date(analysis) or analysis.article.published,
        text=analysis.article.text,
        outlet=analysis.article.outlet,
        terms=event_terms(analysis),
        embedding_ml=multilingual_vector(analysis),
        language=article_language(analysis.article),
        names=name_keys(embedding_input(analysis.article)),
    )


def article_language(article) -> str | None:
    """The article's language; for one stored before languages were identified ("en" with no
    basis: the old ingest asserted it of every article), identified now from its words."""
    if article.language == "en" and article.language_basis is None:
        from ..ingest.lang import identify

        return identify(article.title, article.text).code
    return article.language


def multilingual_vector(analysis: Analysis) -> tuple[float, ...]:
    """The analysis's title and lede in the multilingual space. An analysis stored before
    that vector existed gets it here when its article is not English (it could not be
    grouped otherwise); an English one waits for its next analysis (an English-only store
    is grouped as before without it)."""
    if len(analysis.embedding_ml) or not len(analysis.embedding) or english_like(article_language(analysis.article)):
        return analysis.embedding_ml
    from ..analyze.embed import embed_multilingual

    return tuple(float(x) for x in embed_multilingual([embedding_input(analysis.article)])[0])


def event_terms(analysis: Analysis) -> frozenset[str]:
    """Title-and-lede words (what the embedding reads), the lede claims' predicate-argument
    pairs ("resign>minister": the event's trigger and what it acts on) and the article's
    names ("@oslo"), all weighed by rarity when compared."""
    article = analysis.article
    words = lede_terms(embedding_input(article))
    limit = len(embedding_input(article)) - (len(article.title) + 2 if article.title else 0)
    predicates = {t for c in analysis.claims if c.span.start < limit for t in c.terms if ">" in t}
    names = {ENTITY_TERM + key for key in entity_keys((m.name, m.type) for m in analysis.entities)}
    return words | predicates | names


def event_date(analysis: Analysis, params=DEFAULT_PARAMS) -> str | None:
    """The day the lede says its event happened: the first time expression within the
    embedded lede that resolves to one calendar day no later than the publication date and
    at most ``event_date_days`` before it ("on Tuesday" in a Wednesday report). None when
    the article is undated or its lede gives no such day."""
    published = date_interval(analysis.article.published)
    if published is None or published[0] != published[1]:
        return None
    limit = len(embedding_input(analysis.article)) - (len(analysis.article.title) + 2 if analysis.article.title else 0)
    for t in analysis.times:
        if t.span.start >= limit:
            break
        if t.type not in ("DATE", "TIME") or not t.value:
            continue
        day = date_interval(t.value.split("T")[0])
        if day is None or day[0] != day[1] or len(t.value.split("T")[0]) != 10:
            continue
        if published[0] - params.event_date_days <= day[0] <= published[0]:
            return t.value[:10]
    return None


def group_store(store, load_analyses: Callable[[object, Iterable[str]], list[Analysis]]) -> int:
    """Group the stored articles that have no story yet; returns how many were placed.
    Holds the store's write lock throughout, so concurrent runs group one after the other."""
    with store.grouping_lock():
        return _group_store(store, load_analyses)


def _group_store(store, load_analyses: Callable[[object, Iterable[str]], list[Analysis]]) -> int:
    new = store.ungrouped(ANALYSIS_VERSION)  # failed analyses wait for the next run
    if not new:
        return 0
    meta = store.state(STATE_KEY)
    grouper, loaded = _restore(store, meta, new, load_analyses) if meta else (StoryGrouper(), [])
    placed_now = set(new)
    before = _placements(grouper, loaded)
    moves_before = len(grouper.moves())
    grouper.add_many(group_item(a) for a in load_analyses(store, new))
    reasons = {m.article_id: m.reason for m in grouper.moves()[moves_before:]}
    rows = grouper.story_rows()
    after = _placements(grouper, rows)
    # only what this run placed or moved is compared with the stored assignments (read for those
    # alone): the state and the assignments were saved together, so the rest agree already
    changed = sorted(a for a, placed in after.items() if before.get(a) != placed)
    if not meta:  # no state to trust (a store grouped before states were kept): compare all
        changed = sorted(after)
    stored = store.placements(changed)
    assignments = []
    for article_id in changed:
        story_id, duplicate_of = after[article_id]
        similarity = grouper.assignment(article_id).similarity
        if article_id in stored and article_id not in placed_now:  # moved: its copy-of and score stay
            duplicate_of, similarity = stored[article_id][1:]
        if stored.get(article_id, (None, None))[:2] != (story_id, duplicate_of):
            assignments.append((article_id, story_id, duplicate_of, similarity, reasons.get(article_id, "merge")))
    kept = set(loaded)
    store.save_grouping(assignments, STATE_KEY, grouper.state_meta(),  # one transaction: kill -9 cannot split a story
                        [row for row in rows if row not in kept], grouper.removed(), grouper.relinked())
    return len(new)


def _restore(store, meta: dict, new: list[str], load_analyses) -> tuple[StoryGrouper, list[StoryRow]]:
    """The grouper as far as this run can touch it: the stories of the articles it still indexes
    (dated within the retention horizon, or undated) and of any article to be placed again,
    read from their rows; the other stories only through the store (whether an id is taken,
    the creation order of a topic root)."""
    window = store.window_placements(
        _horizon_day(store, meta.get("params", {}).get("retain_days", DEFAULT_PARAMS.retain_days)))
    recent = list(window)
    window.update(store.placements(new))  # an article placed again: its story too
    rows = [StoryRow(sid, seq, tuple(members), topic)
            for sid, seq, members, topic in store.story_rows({story for story, _d, _s in window.values()})]
    roots = store.story_seqs({r.topic for r in rows} - {r.story_id for r in rows})
    items = [group_item(a) for a in load_analyses(store, recent)]
    placed = {a: (d, s) for a, (_story, d, s) in window.items()}  # the other members': the store's
    return StoryGrouper.from_rows(meta, rows, placed, items, roots, store.story_exists), rows


def _placements(grouper: StoryGrouper, rows: Iterable[StoryRow]) -> dict[str, tuple[str, str | None]]:
    """article id → (story id, duplicate_of) of the members of ``rows``."""
    out = {}
    for row in rows:
        for article_id in row.members:
            out[article_id] = (row.story_id, grouper.assignment(article_id).duplicate_of)
    return out


def story_topics(store) -> dict[str, str]:
    """Story id -> its topic thread id ("topic-" + the thread's first story), for stories
    whose thread holds at least one other live story; stories alone have none."""
    return topic_ids(store.topic_roots())


def story_topic(store, story_id: str) -> str | None:
    """``story_topics(store).get(story_id)``, read for that story alone (its row, and the count of
    the stories sharing its thread's root, through the topic index)."""
    found = store.topic_root(story_id)
    return f"topic-{found[0]}" if found is not None and found[1] > 1 else None


def topic_ids(roots: dict[str, str]) -> dict[str, str]:
    """``StoryGrouper.topics()`` as thread ids, leaving out threads of one story."""
    sizes: dict[str, int] = {}
    for root in roots.values():
        sizes[root] = sizes.get(root, 0) + 1
    return {sid: f"topic-{root}" for sid, root in roots.items() if sizes[root] > 1}


def _recent(store, retain_days: int | None) -> list[str]:
    """Assigned articles the grouper still indexes: undated ones and those within
    ``retain_days`` of the latest date (older ones keep only their assignment), read through
    the store's date index (not every article's date)."""
    return store.assigned_since(_horizon_day(store, retain_days))


def _horizon_day(store, retain_days: int | None) -> str | None:
    """``retain_days`` before the latest publication date stored (None: keep everything)."""
    latest = store.latest_published()
    if retain_days is None or not latest:
        return None
    return date.fromordinal(date.fromisoformat(latest).toordinal() - retain_days).isoformat()
