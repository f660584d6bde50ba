"""Briefs built in worker processes, story by story (the local engine's brief phase).

The analysis stage already parses and embeds in worker processes; without this the brief
phase ran in the main process alone, one core idle. Here the main process keeps the store:
it loads one story's analyses and kept parses, a worker reconciles the story
(:func:`brief_in_worker`, as a Ray task does in ``scale/ray_engine.py``), and the main
process caches the brief in the store and hands it on. Briefs come back in the order asked,
so the written document is byte-identical to a one-process run (a brief does not depend on
the process it is built in: embeddings do not depend on their batch, parses are read back
from their bytes). A story whose reconciliation fails is a :class:`Rejected` in its place;
a storage error or a missing model stops the run as in one process.

Memory: at most :data:`IN_FLIGHT_EXTRA` stories beyond one per worker are loaded in the
main process at a time (each worker holds the story it builds and its own models).
"""

from __future__ import annotations

import os
import sqlite3
from collections import deque
from collections.abc import Iterator

from .errors import ModelMissing
from .model import Analysis, Brief, Rejected
from .progress import QUIET, Progress

PARALLEL_MIN = 64
"""Articles (over the stories to brief) below which briefs are built in this process:
starting a worker costs ~3 s of CPU (imports, models), as for the analysis workers."""
IN_FLIGHT_EXTRA = 1
"""Stories queued beyond one per worker (so a worker never waits for the main process to
load the next one, and memory holds only a few stories' analyses)."""


def brief_workers(stories: dict[str, list[str]], story_ids: list[str]) -> int:
    """Worker processes for briefing ``story_ids`` (0: build them in this process)."""
    from .analyze.article import workers

    n = workers()
    if n <= 1 or len(story_ids) < 2:
        return 0
    if sum(len(stories.get(s, ())) for s in story_ids) < PARALLEL_MIN:
        return 0
    return min(n, len(story_ids))


def brief_in_worker(story_id: str, analyses: list[Analysis], parses: dict[str, bytes]) -> Brief:
    """In a worker: reconcile one story from its analyses and kept parses."""
    from .analyze import docs
    from .reconcile.brief import build_brief

    for analysis in analyses:
        data = parses.get(analysis.article.id)
        if data is not None:
            docs.remember_bytes(analysis.article, data)
    try:
        return build_brief(story_id, analyses)
    finally:
        docs.forget_all()


def _pool(n_workers: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .analyze.article import _worker_start

    # spawn, never fork: onnxruntime's threads may be running in this process
    return ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_start, initargs=(os.getpid(),))


def iter_briefs_in_workers(store, story_ids: list[str], n_workers: int, *, stories: dict[str, list[str]],
                           assignments: dict[str, tuple[str, str | None]],
                           progress: Progress = QUIET) -> Iterator[Brief | Rejected]:
    """The brief (or the :class:`Rejected`) of each of ``story_ids``, in that order; cached
    briefs are read from the store, the others built by ``n_workers`` processes."""
    from concurrent.futures.process import BrokenProcessPool

    from .analyze import docs
    from .pipeline import story_analyses, story_failure

    docs.use_store(store)
    pool = None
    queue: deque = deque()  # [story_id, key, job arguments, future], or [story_id, None, None, cached brief]
    todo = iter(story_ids)

    def load_next() -> bool:
        nonlocal pool
        story_id = next(todo, None)
        if story_id is None:
            return False
        analyses, key, cached = story_analyses(store, story_id, stories, assignments)
        if cached is not None:
            queue.append([story_id, None, None, cached])
            return True
        parses = {}
        for a in analyses:
            data = docs.kept(a.article) or store.parse(a.article.id)
            if data:
                parses[a.article.id] = data
        pool = pool or _pool(n_workers)
        args = (story_id, analyses, parses)
        queue.append([story_id, key, args, pool.submit(brief_in_worker, *args)])
        return True

    try:
        while True:
            while len(queue) < n_workers + IN_FLIGHT_EXTRA and load_next():
                pass
            if not queue:
                return
            story_id, key, _args, outcome = queue.popleft()
            if key is not None:
                try:
                    outcome = outcome.result()
                except (sqlite3.Error, ModelMissing):
                    raise
                except BrokenProcessPool as exc:  # a worker died (killed, out of memory): this story
                    outcome = story_failure(story_id, exc)  # fails; the stories queued are sent again
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _pool(n_workers)
                    for job in queue:
                        if job[1] is not None:
                            job[3] = pool.submit(brief_in_worker, *job[2])
                except Exception as exc:
                    outcome = story_failure(story_id, exc)
                else:
                    store.put_brief(outcome, key)
            yield outcome
    except BaseException:  # an interrupt or a stopping error: do not wait for the stories in flight
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
