"""Incremental story grouping: each article joins the best recent story or starts one.

For a new article, in order:
1. near-duplicate: if its text copies an earlier article (MinHash LSH), it joins that
   article's story with ``duplicate_of`` set to the original;
2. candidates: the nearest articles in the time window (faiss), grouped by story;
3. score: for each candidate story, the mean of the best ``story_top_members`` pairwise
   similarities (meaning, entities, dates; see ``similarity.py``);
4. join the best story at or above ``join_threshold`` (ties: the older story), else start
   a new story whose id is ``"s" + article_id``;
5. merge: other candidate stories the article also matched merge into the older one when
   their story-to-story similarity reaches ``merge_threshold``. Every article a merge
   moves is recorded in ``moves()``; nothing moves silently.

Batch path (``add_many``): items are sorted by (dated first, day, article_id) and added
one by one, so the result does not depend on input order. The only tie-break left is two
items with the same article_id in one batch: the later one in the input wins.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

import numpy as np

from ..ingest.lang import english_like
from ..store.storyrows import ROWS_FORMAT, WHOLE_FORMAT
from .crosslingual import CrossProfile, cross_score, name_overlap, on_join_scale
from .duplicates import DuplicateFinder, minhash
from .index import WindowIndex
from .params import DEFAULT_PARAMS, GroupParams
from .similarity import StoryProfile, TermStats, centred_cosine, combine, date_interval, day_gap, entity_overlap

STATE_FORMAT = WHOLE_FORMAT
"""``state_dict()``: the whole grouper as one document (``ROWS_FORMAT``: ``state_meta()``, the
grouper's scalars, its stories kept beside it as ``StoryRow``s)."""


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One story as it is persisted (a row of the store's ``stories`` table)."""

    story_id: str
    seq: int
    members: tuple[str, ...]
    """Every article ever assigned, in arrival order."""
    topic: str
    """The first story of its topic thread (its own id when it is alone)."""


@dataclass(frozen=True, slots=True)
class GroupItem:
    """What grouping needs of one article."""

    article_id: str
    embedding: np.ndarray | tuple[float, ...]
    """Unit float32 vector (384 for all-MiniLM-L6-v2); normalised again on entry."""
    entities: frozenset[str]
    """Normalised entity keys (see ``similarity.normalise_entity``)."""
    date: str | None
    """YYYY-MM-DD publication or main event date (YYYY-MM or YYYY accepted); None if unknown."""
    text: str
    """Body text, for near-duplicate detection."""
    outlet: str | None = None
    terms: frozenset[str] = frozenset()
    """Content words of title and lede (``similarity.lede_terms``) and the lede's event
    predicates; weighed by rarity over the articles held."""
    embedding_ml: np.ndarray | tuple[float, ...] = ()
    """Title and lede in the multilingual space (512 for USE m3); empty when not computed."""
    language: str | None = None
    """ISO 639-1 code; None (unknown) and "en" take the English path."""
    names: frozenset[str] = frozenset()
    """Name keys of title and lede (``crosslingual.name_keys``), compared across languages."""


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where an article went."""

    article_id: str
    story_id: str
    duplicate_of: str | None
    """The original this article copies (the earliest one), or None."""
    similarity: float | None
    """Score with the story joined (Jaccard estimate for a copy); None for a new story."""
    moved_from: str | None
    """The story the article was in before this call, when it changed."""


@dataclass(frozen=True, slots=True)
class Move:
    """An article that changed story after it was first assigned."""

    article_id: str
    from_story: str
    to_story: str
    reason: str
    """"merge" (its story merged into an older one) or "update" (re-added with new content)."""


@dataclass(slots=True)
class _Story:
    seq: int
    profile: StoryProfile
    members: list[str] = field(default_factory=list)
    """Every article ever assigned (retained or not), in arrival order."""
    retained: int = 0
    cross: CrossProfile = field(default_factory=CrossProfile)
    """The story in the multilingual space (every retained member, English ones too)."""


@dataclass(frozen=True, slots=True)
class _Member:
    vector: np.ndarray
    entities: frozenset[str]
    interval: tuple[int, int] | None
    fingerprint: str
    terms: frozenset[str] = frozenset()
    ml: np.ndarray | None = None
    english: bool = True
    names: frozenset[str] = frozenset()


def _fingerprint(item: GroupItem, vector: np.ndarray) -> str:
    digest = hashlib.sha1(vector.tobytes())
    for part in (*sorted(item.entities), item.date or "", item.text, item.outlet or ""):
        digest.update(part.encode("utf-8") + b"\x00")
    return digest.hexdigest()


def _unit(embedding: np.ndarray | tuple[float, ...]) -> np.ndarray:
    vector = np.asarray(embedding, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def batch_order(item: GroupItem) -> tuple[int, int, str]:
    """The documented batch order: dated items first, by day, then by article_id."""
    interval = date_interval(item.date)
    return (0, interval[0], item.article_id) if interval else (1, 0, item.article_id)


class StoryGrouper:
    """Puts articles into stories as they arrive; see the module docstring."""

    def __init__(self, params: GroupParams = DEFAULT_PARAMS) -> None:
        self.params = params
        self._index: WindowIndex | None = None
        self._ml_index: WindowIndex | None = None
        """Every member in the multilingual space (searched for an article not in English)."""
        self._ml_foreign: WindowIndex | None = None
        """The members not in English only (searched for an English article: among many English
        neighbours the few foreign ones would fall out of the nearest ``neighbours``)."""
        self._foreign = 0
        """Members held that are not English (while none are, English articles skip the
        multilingual search: an English-only feed is grouped exactly as before)."""
        self._dups = DuplicateFinder(params)
        self._stories: dict[str, _Story] = {}
        self._members: dict[str, _Member] = {}
        self._assigned: dict[str, str] = {}
        self._duplicate_of: dict[str, str | None] = {}
        self._similarity: dict[str, float | None] = {}
        self._moves: list[Move] = []
        self._clock: int | None = None
        self._next_seq = 0
        self._holding = False
        self._terms = TermStats()
        self._vector_sum: np.ndarray | None = None
        self._topic_parent: dict[str, str] = {}
        self._held_stories = 0
        """Stories with a retained article (kept as a count: the window's cost must not grow with
        the stories ever stored)."""
        self._outside_seq: dict[str, int] = {}
        """Seq of topic roots not held in ``_stories`` (a grouper restored from some stories only)."""
        self._taken: Callable[[str], bool] | None = None
        """Whether a story id not held here is in use (restored from some stories only)."""
        self._removed: set[str] = set()
        """Stories merged away or emptied since this grouper was made or restored."""
        self._relinked: list[tuple[str, str]] = []
        """(old root, new root) of every topic thread re-rooted, in order."""

    # --- public API ---------------------------------------------------------------
    def add(self, item: GroupItem) -> Assignment:
        """Assign one article (re-adding an unchanged article changes nothing)."""
        vector = _unit(item.embedding)
        fingerprint = _fingerprint(item, vector)
        previous = self._assigned.get(item.article_id)
        if previous is not None:
            member = self._members.get(item.article_id)
            if member is None or member.fingerprint == fingerprint:
                return self._assignment(item.article_id, None)
            self._withdraw(item.article_id)
        return self._place(item, vector, fingerprint, previous)

    def add_many(self, items: Iterable[GroupItem]) -> list[Assignment]:
        """Batch path: sort by ``batch_order`` and add; final assignments in input order."""
        items = list(items)
        before = {item.article_id: self._assigned.get(item.article_id) for item in items}
        self._holding = True  # a batch is one moment: nothing it holds leaves the index mid-batch
        try:
            for item in sorted(items, key=batch_order):
                self.add(item)
        finally:
            self._holding = False
            self._evict()
        result = []
        for item in items:
            old = before[item.article_id]
            moved = old if old is not None and old != self._assigned[item.article_id] else None
            result.append(self._assignment(item.article_id, moved))
        return result

    def assignments(self) -> dict[str, str]:
        """Every article's current story id."""
        return dict(self._assigned)

    def assignment(self, article_id: str) -> Assignment:
        """The current assignment of one article (KeyError if never added)."""
        return self._assignment(article_id, None)

    def moves(self) -> list[Move]:
        """Every recorded move, oldest first (persist the ones after the last length seen)."""
        return list(self._moves)

    def stories(self) -> dict[str, list[str]]:
        """Story id -> its article ids in arrival order, stories by creation."""
        ordered = sorted(self._stories.items(), key=lambda kv: kv[1].seq)
        return {sid: list(story.members) for sid, story in ordered}

    def topics(self) -> dict[str, str]:
        """Story id -> the first story of its topic thread (related stories: another event
        of the same topic scored at or above ``topic_threshold``), for every live story."""
        return {sid: self._topic_root(sid) for sid in sorted(self._stories, key=lambda k: self._stories[k].seq)}

    def _topic_root(self, story_id: str) -> str:
        hops = 0
        while story_id in self._topic_parent and hops < 10_000:
            story_id = self._topic_parent[story_id]
            hops += 1
        return story_id

    def _link_topic(self, a: str, b: str) -> None:
        ra, rb = self._topic_root(a), self._topic_root(b)
        if ra == rb:
            return
        seq = lambda sid: self._stories[sid].seq if sid in self._stories else self._outside_seq.get(sid, -1)  # noqa: E731
        keep, gone = (ra, rb) if (seq(ra), ra) <= (seq(rb), rb) else (rb, ra)
        self._topic_parent[gone] = keep
        self._relinked.append((gone, keep))

    def state_dict(self) -> dict:
        """Everything needed, with the items themselves, to rebuild this grouper."""
        return {
            "format": STATE_FORMAT,
            "params": asdict(self.params),
            "clock": self._clock,
            "next_seq": self._next_seq,
            "stories": {sid: {"seq": s.seq, "members": list(s.members)} for sid, s in self._stories.items()},
            "duplicate_of": dict(self._duplicate_of),
            "similarity": dict(self._similarity),
            "moves": [asdict(move) for move in self._moves],
            "topics": self.topics(),
        }

    def state_meta(self) -> dict:
        """The grouper's scalars; with ``story_rows()`` and the assignments, its whole state."""
        return {"format": ROWS_FORMAT, "params": asdict(self.params), "clock": self._clock,
                "next_seq": self._next_seq}

    def story_rows(self) -> list[StoryRow]:
        """The stories held, by creation, as persisted (see ``from_rows``)."""
        ordered = sorted(self._stories.items(), key=lambda kv: kv[1].seq)
        return [StoryRow(sid, story.seq, tuple(story.members), self._topic_root(sid)) for sid, story in ordered]

    def removed(self) -> set[str]:
        """Stories merged away or emptied (and not made again) since made or restored."""
        return self._removed - set(self._stories)

    def relinked(self) -> list[tuple[str, str]]:
        """(old root, new root) of each topic thread joined to another since made or restored,
        in order: a story not held here whose thread root is an old root moves to the new one."""
        return list(self._relinked)

    @classmethod
    def from_rows(cls, meta: dict, rows: Iterable[StoryRow], placed: dict[str, tuple[str | None, float | None]],
                  items: Iterable[GroupItem], root_seqs: dict[str, int] | None = None,
                  taken: Callable[[str], bool] | None = None) -> StoryGrouper:
        """Rebuild from some of the stories only: every story a run can touch (each holding an
        article within the retention horizon, or an article to be added again) is needed; the
        others are not read. ``meta`` is ``state_meta()``; ``placed``: member -> (duplicate_of,
        similarity); ``root_seqs``: the seq of each topic root not among ``rows``; ``taken``:
        whether a story id not among ``rows`` is in use. Adding then gives the assignments,
        moves and rows a grouper restored whole would give."""
        if meta.get("format") != ROWS_FORMAT:
            raise ValueError(f"Unknown grouping state format {meta.get('format')!r}; expected {ROWS_FORMAT!r}.")
        rows = list(rows)
        grouper = cls._restore({
            **meta, "stories": {r.story_id: {"seq": r.seq, "members": r.members} for r in rows},
            "duplicate_of": {a: d for a, (d, _s) in placed.items()},
            "similarity": {a: s for a, (_d, s) in placed.items()}, "moves": [],
            "topics": {r.story_id: r.topic for r in rows}}, items)
        grouper._outside_seq = dict(root_seqs or {})
        grouper._taken = taken
        return grouper

    @classmethod
    def from_state(cls, state: dict, items: Iterable[GroupItem]) -> StoryGrouper:
        """Rebuild from ``state_dict()`` and the stored items. Only items within the
        retention horizon are indexed; the others only keep their assignments."""
        if state.get("format") != STATE_FORMAT:
            raise ValueError(f"Unknown grouping state format {state.get('format')!r}; expected {STATE_FORMAT!r}.")
        return cls._restore(state, items)

    @classmethod
    def _restore(cls, state: dict, items: Iterable[GroupItem]) -> StoryGrouper:
        grouper = cls(GroupParams(**state["params"]))
        grouper._clock = state["clock"]
        grouper._next_seq = state["next_seq"]
        grouper._duplicate_of = dict(state["duplicate_of"])
        grouper._similarity = dict(state["similarity"])
        grouper._moves = [Move(**move) for move in state["moves"]]
        grouper._topic_parent = {sid: root for sid, root in state.get("topics", {}).items() if sid != root}
        by_id = {item.article_id: item for item in items}
        horizon = grouper._horizon()
        for sid, saved in sorted(state["stories"].items(), key=lambda kv: kv[1]["seq"]):
            story = _Story(saved["seq"], StoryProfile(0), list(saved["members"]))
            grouper._stories[sid] = story
            for article_id in story.members:
                grouper._assigned[article_id] = sid
                item = by_id.get(article_id)
                if item is None:
                    continue
                interval = date_interval(item.date)
                if horizon is not None and interval is not None and interval[1] < horizon:
                    continue
                vector = _unit(item.embedding)
                grouper._remember(item, vector, _fingerprint(item, vector), sid, interval)
        return grouper

    # --- placing ------------------------------------------------------------------
    def _place(self, item: GroupItem, vector: np.ndarray, fingerprint: str, previous: str | None) -> Assignment:
        interval = date_interval(item.date)
        if interval is not None and (self._clock is None or interval[0] > self._clock):
            self._clock = interval[0]
            self._evict()
        sketch = minhash(item.text, self.params)
        copied = self._dups.find(sketch)
        matched: list[tuple[float, str]] = []
        if copied is not None and copied[0] in self._assigned:
            original, score = copied
            story_id = self._assigned[original]
            duplicate_of = self._duplicate_of.get(original) or original
        else:
            duplicate_of = None
            english = english_like(item.language)
            matched = self._candidates(item, vector, interval) if english else []
            matched = self._cross_candidates(matched, item, english, interval)
            if matched and matched[0][0] >= self.params.join_threshold:
                score, story_id = matched[0]
            else:
                score, story_id = None, self._new_story(item.article_id)
        self._assigned[item.article_id] = story_id
        self._duplicate_of[item.article_id] = duplicate_of
        self._similarity[item.article_id] = None if score is None else round(float(score), 6)
        self._stories[story_id].members.append(item.article_id)
        self._remember(item, vector, fingerprint, story_id, interval, sketch)
        for other_score, other in matched:
            if other_score < self.params.topic_threshold:
                break
            if other in self._stories and other != self._assigned[item.article_id]:
                self._link_topic(self._assigned[item.article_id], other)
        for other_score, other in matched[1:]:
            if other_score < self.params.join_threshold:
                break
            self._maybe_merge(self._assigned[item.article_id], other)
        if previous is not None and previous != self._assigned[item.article_id]:
            self._moves.append(Move(item.article_id, previous, self._assigned[item.article_id], "update"))
            return self._assignment(item.article_id, previous)
        return self._assignment(item.article_id, None)

    def _candidates(self, item: GroupItem, vector: np.ndarray, interval) -> list[tuple[float, str]]:
        """Candidate stories with their scores, best first (ties: older story)."""
        index = self._ensure_index(vector.shape[0])
        # an undated article could be from any day still held: it is compared with them all
        bucket = index.bucket_of(interval[0], self._clock) if interval else None
        per_story: dict[str, list[float]] = {}
        top, weight = self.params.story_top_members, self.params.centroid_weight
        mean = self._mean_vector()
        for hit in index.search(vector, bucket, self.params.neighbours):
            member = self._members.get(hit.key)
            if member is None:
                continue
            overlap = entity_overlap(item.entities, member.entities, self.params.entity_cap)
            if weight < 1:
                score = combine(hit.score, overlap, day_gap(interval, member.interval), self.params)
            else:  # the member as the whole-story score sees it (centred, rarity-weighted words)
                lexical = (self._terms.cosine(item.terms, Counter(member.terms))
                           if self.params.weight_terms > 0 else None)
                score = combine(centred_cosine(vector, member.vector, mean), overlap,
                                day_gap(interval, member.interval), self.params, lexical)
            per_story.setdefault(self._assigned[hit.key], []).append(score)
        scored = []
        for sid, scores in per_story.items():
            if weight >= 1:
                whole = self._article_story_similarity(vector, item.entities, interval, self._stories[sid].profile,
                                                       item.terms, mean)
                # agreement with the story as a whole AND with most of its members found:
                # an article that resembles one member only (a roundup it holds) does not join
                score = min(whole, float(np.median(scores))) if self.params.member_agreement else whole
                scored.append((score, sid))
                continue
            score = float(np.mean(sorted(scores, reverse=True)[:top]))
            if weight > 0:
                whole = self._article_story_similarity(vector, item.entities, interval, self._stories[sid].profile,
                                                       item.terms, mean)
                score = (1 - weight) * score + weight * whole
            scored.append((score, sid))
        scored.sort(key=lambda pair: (-pair[0], self._stories[pair[1]].seq))
        return scored

    def _cross_candidates(self, matched: list[tuple[float, str]], item: GroupItem, english: bool,
                          interval) -> list[tuple[float, str]]:
        """``matched`` with the stories found in the multilingual space among members that
        are not both English with ``item`` (scores on the English scale; a story found both
        ways keeps its better score), best first (ties: older story)."""
        if len(item.embedding_ml) == 0 or (english and self._foreign == 0):
            return matched
        ml = _unit(item.embedding_ml)
        index = self._ensure_ml_index(ml.shape[0], foreign=english)
        bucket = index.bucket_of(interval[0], self._clock) if interval else None
        per_story: dict[str, list[float]] = {}
        for hit in index.search(ml, bucket, self.params.neighbours):
            member = self._members.get(hit.key)
            if member is None or member.ml is None or (english and member.english):
                continue
            score = cross_score(hit.score, name_overlap(item.names, member.names),
                                day_gap(interval, member.interval), self.params)
            per_story.setdefault(self._assigned[hit.key], []).append(score)
        if not per_story:
            return matched
        best = {sid: score for score, sid in matched}
        for sid, scores in per_story.items():
            whole = self._cross_story_similarity(ml, item.names, interval, self._stories[sid].cross)
            score = min(whole, float(np.median(scores))) if self.params.member_agreement else whole
            score = on_join_scale(score, self.params)
            if sid not in best or score > best[sid]:
                best[sid] = score
        scored = [(score, sid) for sid, score in best.items()]
        scored.sort(key=lambda pair: (-pair[0], self._stories[pair[1]].seq))
        return scored

    def _cross_story_similarity(self, ml: np.ndarray, names, interval, profile: CrossProfile) -> float:
        centroid = profile.centroid()
        cosine = float(np.dot(ml, centroid)) if centroid is not None else 0.0
        overlap = name_overlap(names, profile.core_names(2 * self.params.entity_cap))
        return cross_score(cosine, overlap, day_gap(interval, profile.interval()), self.params)

    def _stories_similarity(self, a: _Story, b: _Story) -> float:
        """Two stories as wholes: the English comparison when both hold English articles,
        else in the multilingual space (on the English scale)."""
        if a.cross.english > 0 and b.cross.english > 0 or a.cross.size == 0 or b.cross.size == 0:
            return self._story_story_similarity(a.profile, b.profile)
        ca, cb = a.cross.centroid(), b.cross.centroid()
        cosine = float(np.dot(ca, cb)) if ca is not None and cb is not None else 0.0
        limit = 2 * self.params.entity_cap
        overlap = name_overlap(a.cross.core_names(limit), b.cross.core_names(limit))
        score = cross_score(cosine, overlap, day_gap(a.cross.interval(), b.cross.interval()), self.params)
        return on_join_scale(score, self.params)

    def _article_story_similarity(self, vector, entities, interval, profile: StoryProfile,
                                  terms: frozenset[str] = frozenset(), mean: np.ndarray | None = None) -> float:
        cosine = centred_cosine(vector, profile.centroid(), mean)
        core = profile.core_entities(2 * self.params.entity_cap)
        overlap = entity_overlap(entities, core, self.params.entity_cap)
        lexical = self._terms.cosine(terms, profile.term_counts) if self.params.weight_terms > 0 else None
        return combine(cosine, overlap, day_gap(interval, profile.interval()), self.params, lexical)

    def _story_story_similarity(self, a: StoryProfile, b: StoryProfile) -> float:
        """Two stories compared as wholes, on the same scale as an article and a story."""
        mean = self._mean_vector()
        cosine = centred_cosine(a.centroid(), b.centroid(), mean)
        limit = 2 * self.params.entity_cap
        overlap = entity_overlap(a.core_entities(limit), b.core_entities(limit), self.params.entity_cap)
        smaller, larger = (a, b) if a.size <= b.size else (b, a)
        lexical = (self._terms.cosine(frozenset(smaller.term_counts), larger.term_counts)
                   if self.params.weight_terms > 0 else None)
        return combine(cosine, overlap, day_gap(a.interval(), b.interval()), self.params, lexical)

    def _mean_vector(self) -> np.ndarray | None:
        """The mean vector of the articles held (what the whole window has in common), or
        None when centring is off, or fewer than ``centre_min_articles`` articles or
        ``centre_min_stories`` stories are held."""
        if not self.params.centre_vectors or self._vector_sum is None or self._terms.n < self.params.centre_min_articles:
            return None
        if self._held_stories < self.params.centre_min_stories:
            return None  # a mean over one or two stories is those stories, not the window
        return (self._vector_sum / self._terms.n).astype(np.float32)

    def _maybe_merge(self, story_id: str, other_id: str) -> None:
        if story_id == other_id or other_id not in self._stories or story_id not in self._stories:
            return
        a, b = self._stories[story_id], self._stories[other_id]
        if self._stories_similarity(a, b) < self.params.merge_threshold:
            return
        keep_id, gone_id = (story_id, other_id) if a.seq < b.seq else (other_id, story_id)
        keep, gone = self._stories[keep_id], self._stories.pop(gone_id)
        self._removed.add(gone_id)
        for article_id in gone.members:
            self._assigned[article_id] = keep_id
            self._moves.append(Move(article_id, gone_id, keep_id, "merge"))
        keep.members.extend(gone.members)
        keep.profile.absorb(gone.profile)
        keep.cross.absorb(gone.cross)
        self._held_stories -= (keep.retained > 0) + (gone.retained > 0) - (keep.retained + gone.retained > 0)
        keep.retained += gone.retained
        self._link_topic(keep_id, gone_id)
        for sid, parent in list(self._topic_parent.items()):  # the gone story's id leaves the threads
            if parent == gone_id:
                self._topic_parent[sid] = keep_id
        self._topic_parent.pop(gone_id, None)

    def _new_story(self, article_id: str) -> str:
        story_id = "s" + article_id
        while story_id in self._stories or (  # an id reused after its story merged away
                story_id not in self._removed and self._taken is not None and self._taken(story_id)):
            story_id += "'"
        self._stories[story_id] = _Story(self._next_seq, StoryProfile(0))  # cross: empty
        self._next_seq += 1
        return story_id

    # --- memory -------------------------------------------------------------------
    def _ensure_index(self, dimensions: int) -> WindowIndex:
        if self._index is None:
            self._index = WindowIndex(dimensions, self.params.window_days, self.params.retain_days)
        elif self._index.dimensions != dimensions:
            raise ValueError(f"Embedding has {dimensions} dimensions; this grouper holds {self._index.dimensions}.")
        return self._index

    def _ensure_ml_index(self, dimensions: int, foreign: bool = False) -> WindowIndex:
        """The multilingual index of every member (or of the members not in English)."""
        index = self._ml_foreign if foreign else self._ml_index
        if index is None:
            index = WindowIndex(dimensions, self.params.window_days, self.params.retain_days)
            if foreign:
                self._ml_foreign = index
            else:
                self._ml_index = index
        elif index.dimensions != dimensions:
            raise ValueError(f"Multilingual embedding has {dimensions} dimensions; this grouper holds "
                             f"{index.dimensions}.")
        return index

    def _remember(self, item, vector, fingerprint, story_id, interval, sketch=None) -> None:
        story = self._stories[story_id]
        english = english_like(item.language)
        ml = _unit(item.embedding_ml) if len(item.embedding_ml) else None
        if english:  # the English path holds English articles only
            index = self._ensure_index(vector.shape[0])
            if story.profile.size == 0 and story.profile.vector_sum.shape[0] != vector.shape[0]:
                story.profile = StoryProfile(vector.shape[0])
            story.profile.add(vector, item.entities, interval, item.terms)
            self._hold(vector, item.terms, +1)
            index.add(item.article_id, vector, index.bucket_of(interval[0] if interval else None, self._clock))
        else:
            self._foreign += 1
        story.cross.add(ml, item.names, interval, english)
        story.retained += 1
        self._held_stories += story.retained == 1
        self._members[item.article_id] = _Member(vector, frozenset(item.entities), interval, fingerprint,
                                                 frozenset(item.terms), ml, english, frozenset(item.names))
        if ml is not None:  # every article, English too, is findable in the multilingual space
            for foreign in (False, True) if not english else (False,):
                ml_index = self._ensure_ml_index(ml.shape[0], foreign=foreign)
                ml_index.add(item.article_id, ml, ml_index.bucket_of(interval[0] if interval else None, self._clock))
        self._dups.add(item.article_id, sketch if sketch is not None else minhash(item.text, self.params))

    def _withdraw(self, article_id: str) -> None:
        """Take a changed article out before placing it again."""
        story_id = self._assigned.pop(article_id)
        story = self._stories[story_id]
        member = self._members.pop(article_id)
        story.members.remove(article_id)
        if member.english:
            story.profile.remove(member.vector, member.entities, member.terms)
            self._hold(member.vector, member.terms, -1)
        else:
            self._foreign -= 1
        story.cross.remove(member.ml, member.names, member.english)
        story.retained -= 1
        self._held_stories -= story.retained == 0
        if not story.members:
            del self._stories[story_id]
            self._removed.add(story_id)
        for index in (self._index, self._ml_index, self._ml_foreign):
            if index is not None:
                index.delete(article_id)
        self._dups.remove(article_id)

    def _hold(self, vector: np.ndarray, terms: frozenset[str], sign: int) -> None:
        """Count an article into (+1) or out of (-1) the window's term and vector statistics."""
        if sign > 0:
            self._terms.add(terms)
            self._vector_sum = vector.astype(np.float64) if self._vector_sum is None else self._vector_sum + vector
        else:
            self._terms.remove(terms)
            if self._vector_sum is not None:
                self._vector_sum = self._vector_sum - vector

    def _horizon(self) -> int | None:
        if self._clock is None or self.params.retain_days is None or self.params.window_days is None:
            return None
        return self._clock - self.params.retain_days

    def _evict(self) -> None:
        horizon = self._horizon()
        if horizon is None or self._holding:
            return  # (three indexes: an evicted article is dropped from each, counted once below)
        dropped: list[str] = []
        for index in (self._index, self._ml_index, self._ml_foreign):
            if index is not None:
                dropped.extend(index.evict_before(horizon))
        for article_id in dict.fromkeys(dropped):
            member = self._members.pop(article_id, None)
            if member is None:
                continue
            if member.english:
                self._hold(member.vector, member.terms, -1)
            else:
                self._foreign -= 1
            self._dups.remove(article_id)
            story_id = self._assigned[article_id]
            story = self._stories.get(story_id)
            if story is not None:
                story.retained -= 1
                self._held_stories -= story.retained == 0
                if story.retained <= 0:  # the story is closed: keep only its members
                    story.profile = StoryProfile(0)
                    story.cross = CrossProfile()

    def _assignment(self, article_id: str, moved_from: str | None) -> Assignment:
        return Assignment(
            article_id,
            self._assigned[article_id],
            self._duplicate_of.get(article_id),
            self._similarity.get(article_id),
            moved_from,
        )
