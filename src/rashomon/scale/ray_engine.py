"""The Ray engine: analysis and briefs as Ray tasks, for corpora larger than one machine.

    rashomon ingest ARTICLES/ --engine ray [--address ray://head:10001] --db postgresql://…
    rashomon brief  ARTICLES/ --engine ray --out briefs/

What runs where (docs/scale.md has the whole design and its limits):

1. **Reading** streams in the driver: inputs are read one by one and stored (ids are content
   hashes, so nothing is stored twice); no step holds all articles in memory.
2. **Analysis** (the expensive part: spaCy parse + embeddings) runs as Ray tasks over
   partitions of ``PARTITION`` articles taken in storage order, at most ``2 × CPUs`` partitions
   in flight. Results are written to the store by the driver in partition order, so the store
   ends up exactly as the local engine leaves it (partitions are whole multiples of the
   analysis batch, so every embedding batch holds the same articles as a local run).
3. **Grouping** runs in the driver, in order: an article's story depends on every earlier
   article's (see docs/scale.md for why this step is sequential and what can shard it).
4. **Briefs** are Ray tasks keyed by story: the driver loads one story's analyses and parses,
   a task reconciles it, and the driver caches the brief in the store.

The output is byte-identical to the local engine's for the same inputs (tests/test_scale.py).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator

from ..errors import ModelMissing, StageError
from ..model import Analysis, Article, Brief, Rejected
from ..pipeline_workers import brief_in_worker
from ..progress import QUIET, Progress

PARTITION = 64
"""Articles per analysis task: a multiple of the analysis batch (analyze/article.py PARSE_BATCH),
large enough that a task's scheduling cost (~10 ms) is small against its work (~5 s)."""
IN_FLIGHT_PER_CPU = 2
"""Tasks queued per CPU of the cluster: enough to keep workers busy, few enough to bound memory."""


def require_ray():
    """The ``ray`` module, or an error saying how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise ModelMissing("--engine ray needs Ray: pip install 'rashomon[scale]' (or pip install ray), "
                           "or leave out --engine to use the local engine") from exc
    return ray


def start(address: str | None = None, *, cpus: int | None = None):
    """Connect to the Ray cluster at ``address``, or start a local one (``cpus`` CPUs)."""
    ray = require_ray()
    if not ray.is_initialized():
        kwargs = dict(include_dashboard=False, log_to_driver=False, configure_logging=False)
        env = {"env_vars": {"RASHOMON_WORKERS": "1", "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
                            **({"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {})}}
        try:
            if address:
                ray.init(address=address, runtime_env=env, **kwargs)
            else:
                ray.init(num_cpus=cpus or _local_cpus(), runtime_env=env, **kwargs)
        except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError…
            where = f"the Ray cluster at {address}" if address else "a local Ray cluster"
            raise StageError(f"could not start or reach {where}: {exc}. Check the address "
                             "(ray status on the head node), or leave out --address to start a local one") from exc
    return ray


def _local_cpus() -> int:
    from ..analyze.article import workers

    return workers()


def _cluster_cpus(ray) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


# -- tasks (plain functions; wrapped by ray.remote at first use) -------------------------------
def analyse_partition(articles: list[Article]) -> list[tuple[Analysis | Rejected, bytes | None]]:
    """In a Ray worker: analyse one partition in one process; each result with its parse's bytes."""
    os.environ["RASHOMON_WORKERS"] = "1"
    from ..analyze import docs
    from ..analyze.article import analyze_articles

    out = []
    for article, result in zip(articles, analyze_articles(articles, keep_going=True)):
        out.append((result, docs.kept(article) if isinstance(result, Analysis) else None))
    docs.forget_all()
    return out


_REMOTE: dict[str, object] = {}


def _remote(ray, fn):
    if fn.__name__ not in _REMOTE:
        _REMOTE[fn.__name__] = ray.remote(fn)
    return _REMOTE[fn.__name__]


def _ordered(ray, jobs: Iterable, submit, limit: int) -> Iterator:
    """(job, result) in job order, with at most ``limit`` tasks in flight."""
    jobs = iter(jobs)
    queue: deque = deque()
    for job in jobs:
        queue.append((job, submit(job)))
        if len(queue) >= limit:
            break
    while queue:
        job, ref = queue.popleft()
        try:
            result = ray.get(ref)
        except Exception as exc:  # the task's own error (RayTaskError wraps it): reported for this job
            result = getattr(exc, "cause", None) or exc
        nxt = next(jobs, None)
        if nxt is not None:
            queue.append((nxt, submit(nxt)))
        yield job, result


def _partitions(items: Iterable, size: int) -> Iterator[list]:
    part: list = []
    for item in items:
        part.append(item)
        if len(part) >= size:
            yield part
            part = []
    if part:
        yield part


# -- the engine's two stages ------------------------------------------------------------------
class RayEngine:
    """Analysis and briefs on a Ray cluster; the store and grouping stay with the driver."""

    name = "ray"

    def __init__(self, address: str | None = None, *, cpus: int | None = None):
        self.ray = start(address, cpus=cpus)

    def analyze_missing(self, store, *, progress: Progress = QUIET) -> int:
        """Analyse every stored article without a current analysis, as Ray tasks."""
        import logging

        from ..analyze import docs
        from ..analyze.article import ANALYSIS_VERSION

        docs.use_store(store)
        todo = store.to_analyse(ANALYSIS_VERSION)  # as the local engine: a poison pill is not retried forever
        task = _remote(self.ray, analyse_partition)
        limit = IN_FLIGHT_PER_CPU * _cluster_cpus(self.ray)
        parts = _partitions(store.articles(todo), PARTITION)
        done = _ordered(self.ray, parts, lambda p: task.remote(p), limit)
        for part, results in progress.track(done, total=-(-len(todo) // PARTITION), description="analysing (ray)"):
            if isinstance(results, BaseException):  # the whole task failed (a worker died): each article fails
                results = [(Rejected(a.source, f"analysis on Ray failed ({type(results).__name__}: {results})"), None)
                           for a in part]
            for article, (result, data) in zip(part, results):
                if isinstance(result, Rejected):
                    store.put_failure(article.id, ANALYSIS_VERSION, result)  # a rejected entry; never blocks the store
                    logging.getLogger("rashomon").warning("%s: %s", result.source, result.reason)
                else:
                    store.put_analysis(result, ANALYSIS_VERSION, data)
        return len(todo)

    def briefs(self, store, story_ids: list[str], *, progress: Progress = QUIET,
               stories: dict | None = None, assignments: dict | None = None) -> list[Brief | Rejected]:
        """Briefs of ``story_ids`` (cached ones from the store), reconciled as Ray tasks; a story
        whose reconciliation fails is a :class:`Rejected` in its place (the others go on)."""
        from ..pipeline import story_analyses, story_failure

        stories = store.stories() if stories is None else stories
        assignments = store.assignments() if assignments is None else assignments
        task = _remote(self.ray, brief_in_worker)  # the same function the brief processes run
        limit = IN_FLIGHT_PER_CPU * _cluster_cpus(self.ray)
        out: dict[str, Brief | Rejected] = {}

        def jobs() -> Iterator[tuple[str, str, list[Analysis]]]:
            for story_id in story_ids:
                analyses, key, cached = story_analyses(store, story_id, stories, assignments)
                if cached is not None:
                    out[story_id] = cached
                    continue
                yield story_id, key, analyses

        def submit(job):
            story_id, _key, analyses = job
            parses = {a.article.id: store.parse(a.article.id) for a in analyses}
            return task.remote(story_id, analyses, {k: v for k, v in parses.items() if v})

        done = _ordered(self.ray, jobs(), submit, limit)
        for (story_id, key, _analyses), brief in progress.track(done, description="reconciling (ray)"):
            if isinstance(brief, BaseException):
                out[story_id] = story_failure(story_id, brief)
                continue
            store.put_brief(brief, key)
            out[story_id] = brief
        return [out[s] for s in story_ids]
