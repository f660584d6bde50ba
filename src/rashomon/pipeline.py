"""The runner: sources ─ingest→ Article ─analyze→ Analysis ─group→ Story ─reconcile→ Brief.

Each stage is a plain function over records; the store keeps every stage's output keyed
by the article's content hash, so re-running on the same inputs analyses nothing twice
and stores nothing twice.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from .analyze.article import ANALYSIS_VERSION, analyze_articles
from .errors import ModelMissing, StageError
from .model import Analysis, Article, Brief, Rejected
from .progress import QUIET, Progress
from .store import Store

log = logging.getLogger("rashomon")


@dataclass(slots=True)
class IngestResult:
    """What one ingest run did."""

    article_ids: list[str] = field(default_factory=list)
    """Every article read in this run, in input order (new or already stored)."""
    added: list[str] = field(default_factory=list)
    """Articles stored for the first time."""
    rejected: list[Rejected] = field(default_factory=list)


@dataclass(slots=True)
class BriefsResult:
    briefs: list[Brief]
    rejected: list[Rejected]


def read_inputs(paths: Iterable[str], *, allow_private: bool = False, store: Store | None = None) -> Iterator[Article | Rejected]:
    """Articles from files, folders and URLs, in the order given. URLs share one polite
    fetcher (robots.txt, per-host rate limits) and their HTML is kept in ``store``."""
    from .ingest.files import cap_article, read_paths
    from .ingest.safety import is_url, scheme_problem

    fetcher = None
    try:
        for path in paths:
            text = path if isinstance(path, str) else os.fsdecode(path)
            if is_url(text):
                from .ingest.fetch import Fetcher, fetch_article  # httpx: only when a URL is given

                fetcher = fetcher or Fetcher(allow_private=allow_private)
                items = [fetch_article(text, fetcher=fetcher, store=store)]
            elif scheme_problem(text):
                items = [Rejected(text, scheme_problem(text))]
            else:
                items = read_paths([text])
            for item in items:
                yield cap_article(item) if isinstance(item, Article) else item
    finally:
        if fetcher is not None:
            fetcher.close()


def ingest(paths: Iterable[str], store: Store | None = None, *, progress: Progress = QUIET,
           allow_private: bool = False, warn=None, engine=None) -> IngestResult:
    """Read, store, analyse and group articles. Rejected inputs are kept with their reason.
    ``engine`` (e.g. :class:`rashomon.scale.ray_engine.RayEngine`) analyses elsewhere; default: here."""
    store = store or Store()
    items = progress.track(read_inputs(paths, allow_private=allow_private, store=store), description="reading")
    return ingest_items(items, store, progress=progress, warn=warn, engine=engine)


def ingest_items(items: Iterable[Article | Rejected], store: Store | None = None, *,
                 progress: Progress = QUIET, warn=None, engine=None) -> IngestResult:
    """Store, analyse and group articles already read (an upload, a fetched page)."""
    from .ingest.repeated import strip_learned
    from .ingest.files import cap_article

    store = store or Store()
    result = IngestResult()
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Rejected):
            result.rejected.append(item)
            store.add_rejected(item)
            if warn:
                warn(f"skipped {item.source}: {item.reason}")
            continue
        item = cap_article(item)
        store.forget_rejected(item.source)
        item = strip_learned(item, store)  # blocks this source repeats: its furniture (ingest/repeated.py)
        if store.add_article(item):
            result.added.append(item.id)
        else:
            store.recleaned(item)  # same input, cleaned better: same id, analysis redone
        if item.id not in seen:
            seen.add(item.id)
            result.article_ids.append(item.id)
    (engine.analyze_missing if engine is not None else analyze_missing)(store, progress=progress)
    group_new(store)
    return result


def analyze_missing(store: Store, *, progress: Progress = QUIET) -> int:
    """Analyse every stored article that has no analysis of the current version."""
    from .analyze import docs

    docs.use_store(store)
    todo = store.to_analyse(ANALYSIS_VERSION)  # ids only; an analysis that failed a few times is not tried again
    for article_id, result in zip(todo, progress.track(analyze_articles(store.articles(todo), keep_going=True,
                                                                        total=len(todo)),
                                                       total=len(todo), description="analysing")):
        if isinstance(result, Rejected):
            store.put_failure(article_id, ANALYSIS_VERSION, result)  # a rejected entry; never blocks the store
            log.warning("%s: %s", result.source, result.reason)
            continue
        store.put_analysis(result, ANALYSIS_VERSION, docs.kept(result.article))
    return len(todo)


def load_analyses(store: Store, ids: Iterable[str]) -> list[Analysis]:
    return list(iter_analyses(store, ids))


def iter_analyses(store: Store, ids: Iterable[str]) -> Iterator[Analysis]:
    """The stored analyses of ``ids``, one at a time (grouping holds only their small
    grouping items, never every analysis of the corpus at once)."""
    for article in store.articles(ids):
        analysis = store.load_analysis(article, ANALYSIS_VERSION)
        if analysis is None:
            raise StageError(f"group: article {article.id} has no analysis; run `rashomon ingest` again")
        yield analysis


def group_new(store: Store) -> None:
    """Put every article that has no story yet into one (incrementally, persisted)."""
    from .group.grouping import group_store

    try:
        group_store(store, iter_analyses)
    except (StageError, sqlite3.Error):  # a storage error is reported with what to do
        raise
    except Exception as exc:
        raise StageError(f"group failed: {exc}") from exc


BRIEF_VERSION = "2"
"""Bump when reconciliation changes its output: cached briefs of another version are rebuilt."""


def brief_key(story_id: str, analyses: list[Analysis]) -> str:
    """What a story's brief depends on: its articles, their copies, and the code versions."""
    import hashlib

    parts = [ANALYSIS_VERSION, BRIEF_VERSION, story_id] + [f"{a.article.id}:{a.article.duplicate_of}" for a in analyses]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def story_analyses(store: Store, story_id: str, stories: dict[str, list[str]],
                   assignments: dict[str, tuple[str, str | None]] | None = None,
                   ) -> tuple[list[Analysis], str, Brief | None]:
    """One stored story's analyses (each article marked as a copy as its assignment says), the key its
    brief depends on, and its cached brief when that key still holds (else None). Without
    ``assignments``, the story's own are read."""
    if story_id not in stories:
        raise StageError(f"no story {story_id!r} in {store.path}")
    assignments = store.assignments(stories[story_id]) if assignments is None else assignments
    analyses = [replace(a, article=replace(a.article, duplicate_of=assignments[a.article.id][1]))
                for a in load_analyses(store, stories[story_id])]
    key = brief_key(story_id, analyses)
    return analyses, key, store.cached_brief(story_id, key)


def brief_for_story(store: Store, story_id: str, *, stories: dict[str, list[str]] | None = None,
                    assignments: dict[str, tuple[str, str | None]] | None = None,
                    topics: dict[str, str] | None = None) -> Brief:
    """The brief of one stored story, from the cache when its articles have not changed.
    ``stories``, ``assignments`` and ``topics`` may be passed by a caller that briefs many stories."""
    from .analyze import docs
    from .reconcile.brief import build_brief

    docs.use_store(store)
    stories = store.stories() if stories is None else stories
    analyses, key, cached = story_analyses(store, story_id, stories, assignments)
    topic = _topic(store, story_id) if topics is None else topics.get(story_id)
    if cached is not None:
        return replace(cached, topic=topic)
    brief = build_brief(story_id, analyses)
    store.put_brief(brief, key)
    return replace(brief, topic=topic)


def story_failure(story_id: str, exc: BaseException) -> Rejected:
    """A story whose reconciliation failed, as a rejected entry (the other stories go on)."""
    return Rejected(f"story {story_id}", f"reconcile failed ({type(exc).__name__}: {exc}); the other "
                                         "stories are briefed; please report this error")


def _brief_or_failure(store: Store, story_id: str, stories, assignments) -> Brief | Rejected:
    try:
        return brief_for_story(store, story_id, stories=stories, assignments=assignments, topics={})
    except (sqlite3.Error, ModelMissing):
        raise
    except Exception as exc:
        return story_failure(story_id, exc)


def _topic(store: Store, story_id: str) -> str | None:
    """One story's topic thread, read for it alone."""
    from .group.grouping import story_topic

    return story_topic(store, story_id)


def _topics(store: Store) -> dict[str, str]:
    """Story id -> topic thread (grouping links related stories)."""
    from .group.grouping import story_topics

    return story_topics(store)


def build_briefs(paths: Iterable[str] | None = None, store: Store | None = None, *,
                 progress: Progress = QUIET, allow_private: bool = False, warn=None, engine=None) -> BriefsResult:
    """Briefs of the stories that hold ``paths``' articles (all stories when no paths).
    ``engine`` analyses and reconciles elsewhere (Ray); the output is the same."""
    store = store or Store(":memory:")
    story_ids, rejected = plan_briefs(paths, store, progress=progress, allow_private=allow_private, warn=warn,
                                      engine=engine)
    failures: list[Rejected] = []
    briefs = list(iter_briefs(store, story_ids, progress=progress, engine=engine, failures=failures))
    return BriefsResult(briefs, [*rejected, *failures])


def plan_briefs(paths: Iterable[str] | None, store: Store, *, progress: Progress = QUIET,
                allow_private: bool = False, warn=None, engine=None) -> tuple[list[str], list[Rejected]]:
    """Ingest ``paths`` (or bring the store up to date when none) and say which stories to
    brief, in output order (most articles first, then id), and what was rejected."""
    if paths:
        result = ingest(paths, store, progress=progress, allow_private=allow_private, warn=warn, engine=engine)
        wanted = set(result.article_ids)
        rejected = result.rejected
    else:
        (engine.analyze_missing if engine is not None else analyze_missing)(store, progress=progress)
        group_new(store)
        wanted = None
        rejected = store.rejected()
    stories = store.stories()
    chosen = [sid for sid, ids in stories.items() if wanted is None or wanted.intersection(ids)]
    chosen.sort(key=lambda sid: (-len(stories[sid]), sid))
    return chosen, rejected


def iter_briefs(store: Store, story_ids: list[str], *, progress: Progress = QUIET, engine=None,
                failures: list[Rejected] | None = None) -> Iterator[Brief]:
    """The briefs of ``story_ids``, built (or read from the cache) one story at a time: only
    that story's analyses are loaded, and each brief can be written out before the next. A
    story whose reconciliation fails is left out (appended to ``failures``); the others go on."""
    from .pipeline_workers import brief_workers, iter_briefs_in_workers

    stories = store.stories()
    assignments = store.assignments()
    topics = _topics(store)
    if engine is not None:
        outcomes = engine.briefs(store, story_ids, progress=progress, stories=stories, assignments=assignments)
    elif n_workers := brief_workers(stories, story_ids):  # a large job: workers build the briefs, in order
        outcomes = progress.track(iter_briefs_in_workers(store, story_ids, n_workers, stories=stories,
                                                         assignments=assignments),
                                  total=len(story_ids), description="reconciling")
    else:
        outcomes = (_brief_or_failure(store, story_id, stories, assignments)
                    for story_id in progress.track(story_ids, total=len(story_ids), description="reconciling"))
    for story_id, outcome in zip(story_ids, outcomes):
        if isinstance(outcome, Rejected):  # one story never stops the others
            log.warning("%s: %s", outcome.source, outcome.reason)
            if failures is not None:
                failures.append(outcome)
            continue
        yield replace(outcome, topic=topics.get(story_id))


def quiet_libraries() -> None:
    """Silence third-party progress bars and warnings that are not ours to show."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    for name in ("transformers", "sentence_transformers", "huggingface_hub", "trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.ERROR)
