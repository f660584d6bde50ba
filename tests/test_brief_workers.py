"""Briefs built in worker processes are the briefs of one process, in the same order."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from rashomon import pipeline, pipeline_workers
from rashomon.analyze import docs, embed
from rashomon.demo import demo_paths
from rashomon.render.jsonout import write_briefs_document
from rashomon.store import Store


def _document(briefs, rejected) -> str:
    parts: list[str] = []
    write_briefs_document(parts.append, briefs, rejected)
    return "".join(parts)


def _planned(tmp_path, name: str) -> tuple[Store, list[str], list]:
    store = Store(str(tmp_path / name))
    story_ids, rejected = pipeline.plan_briefs(demo_paths(), store)
    return store, story_ids, rejected


def test_worker_processes_write_the_same_document(monkeypatch, tmp_path):
    monkeypatch.setenv("RASHOMON_WORKERS", "1")
    store, story_ids, rejected = _planned(tmp_path, "one.db")
    assert len(story_ids) >= 2  # the demo's event and its unrelated article
    assert pipeline_workers.brief_workers(store.stories(), story_ids) == 0
    alone = _document(list(pipeline.iter_briefs(store, story_ids)), rejected)

    monkeypatch.setenv("RASHOMON_WORKERS", "2")
    monkeypatch.setattr(pipeline_workers, "PARALLEL_MIN", 2)
    docs.forget_all()
    embed._CACHE.clear()
    store2, story_ids2, rejected2 = _planned(tmp_path, "two.db")
    assert story_ids2 == story_ids
    assert pipeline_workers.brief_workers(store2.stories(), story_ids2) == 2
    failures: list = []
    parallel = list(pipeline.iter_briefs(store2, story_ids2, failures=failures))
    assert not failures
    assert _document(parallel, rejected2) == alone
    # the main process cached each brief: asking again builds nothing (no worker needed)
    monkeypatch.setattr(pipeline_workers, "_pool", lambda n: (_ for _ in ()).throw(AssertionError("pool started")))
    again = list(pipeline.iter_briefs(store2, story_ids2))
    assert _document(again, rejected2) == alone


def test_a_story_that_fails_in_a_worker_gives_its_rejected_in_place(monkeypatch, tmp_path):
    """Threads stand in for the processes so the reconciler can be broken for one story."""
    from rashomon.reconcile import brief as brief_module

    monkeypatch.setenv("RASHOMON_WORKERS", "2")
    monkeypatch.setattr(pipeline_workers, "PARALLEL_MIN", 2)
    monkeypatch.setattr(pipeline_workers, "_pool", lambda n: ThreadPoolExecutor(n))
    real = brief_module.build_brief

    def flaky(story_id, analyses):
        if len(analyses) == 1:  # the unrelated article's story fails; the event's does not
            raise RuntimeError("boom")
        return real(story_id, analyses)

    monkeypatch.setattr(brief_module, "build_brief", flaky)
    store, story_ids, _ = _planned(tmp_path, "flaky.db")
    failures: list = []
    briefs = list(pipeline.iter_briefs(store, story_ids, failures=failures))
    assert [len(b.articles) for b in briefs] == [5]
    assert len(failures) == 1 and "reconcile failed" in failures[0].reason and "boom" in failures[0].reason


def test_a_clause_vector_does_not_depend_on_its_batch():
    """What makes briefs built in other processes (and claim texts embedded at brief time
    instead of in the analysis workers) identical: a text's vector is the same alone, in a
    batch, in another order."""
    texts = [f"The council approved {n} new homes on the {side} bank of the river." for n, side in
             zip(range(3, 40), ["north", "south", "east", "west"] * 10)]
    texts += ["A much longer clause about the harbour authority, which said on Tuesday that ferry services "
              "to the outer islands would resume once the storm damage to the pier had been repaired."]
    alone = np.vstack([embed.encode_uncached([t]) for t in texts[:10]])
    together = embed.encode_uncached(list(reversed(texts)))[::-1]
    assert np.array_equal(together[:10], alone)
    assert len({row.tobytes() for row in together}) == len(set(texts))
