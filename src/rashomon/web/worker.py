"""The web app's one background worker: everything slow happens here, never in a request.

A request that adds articles stores them (one short SQLite transaction each) and returns;
the worker then analyses them, groups them into stories and builds the briefs those stories
need. A request for a story whose brief is not in memory asks the worker for it and shows a
"building" page that refreshes itself. Jobs, highest priority first:

1. uploaded articles to analyse and group (oldest upload first);
2. stories a reader is waiting for (most recently asked first);
3. the start-up backlog: every story's brief, largest story first (``serve`` warms them).

Only this thread writes analyses, groupings and briefs, so nothing waits on a global lock:
readers use their own SQLite connections (WAL), and an upload's own write is a single row.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..errors import StageError
from ..model import Brief, Rejected
from . import errors, search


@dataclass(frozen=True, slots=True)
class Progress:
    """What the worker is doing for one article or story, for the "building" page."""

    stage: str
    """queued, analysing, grouping, loading, reconciling, rendering, ready or failed."""
    done: int = 0
    total: int = 0
    started: float = 0.0
    message: str = ""

    def as_dict(self, position: int | None = None) -> dict:
        out = {"stage": self.stage, "done": self.done, "total": self.total,
               "seconds": round(time.time() - self.started, 1) if self.started else 0.0}
        if self.message:
            out["message"] = self.message
        if position is not None:
            out["queue_position"] = position
        return out


class Worker:
    """One daemon thread working through the app's queue (see the module's docstring)."""

    def __init__(self, library):
        self.library = library
        self._cond = threading.Condition()
        self._uploads: list[list[str]] = []
        self._wanted: list[str] = []
        self._backlog: list[str] = []
        self._articles: dict[str, Progress] = {}
        self._stories: dict[str, Progress] = {}
        self._failures: dict[str, tuple[tuple, str]] = {}
        self._stop = False
        self._busy = False
        self._thread: threading.Thread | None = None

    # -- the request side ----------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="rashomon-worker", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def submit(self, article_ids: list[str]) -> None:
        """Analyse and group these stored articles (one upload)."""
        with self._cond:
            for article_id in article_ids:
                self._articles[article_id] = Progress("queued", 0, len(article_ids), time.time())
            self._uploads.append(list(article_ids))
            self._cond.notify_all()

    def want(self, story_id: str) -> None:
        """A reader waits for this story's brief: build it before the backlog."""
        with self._cond:
            if story_id in self._wanted:
                return
            self._wanted.insert(0, story_id)
            current = self._stories.get(story_id)
            if current is None or current.stage in ("ready", "failed"):
                self._stories[story_id] = Progress("queued", started=time.time())
            self._cond.notify_all()

    def warm(self, story_ids: list[str]) -> None:
        with self._cond:
            self._backlog.extend(s for s in story_ids if s not in self._backlog)
            self._cond.notify_all()

    def failure(self, story_id: str, sig: tuple) -> str | None:
        """Why the brief of this version of the story could not be built, if it could not."""
        with self._cond:
            failed = self._failures.get(story_id)
        return failed[1] if failed and failed[0] == sig else None

    def article_progress(self, article_id: str) -> Progress | None:
        with self._cond:
            return self._articles.get(article_id)

    def story_progress(self, story_id: str) -> dict:
        with self._cond:
            progress = self._stories.get(story_id) or Progress("queued", started=time.time())
            position = self._wanted.index(story_id) if story_id in self._wanted else None
            if self._uploads:
                position = (position or 0) + len(self._uploads)
            return progress.as_dict(position)

    def idle(self) -> bool:
        with self._cond:
            return not (self._uploads or self._wanted or self._backlog or self._busy)

    def wait_idle(self, timeout: float = 600) -> bool:
        """For tests and benchmarks: wait until the queue is empty."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.idle():
                return True
            time.sleep(0.05)
        return False

    # -- the worker side -----------------------------------------------------------------
    def _next(self) -> Callable[[], None] | None:
        with self._cond:
            while not self._stop:
                if self._uploads:
                    ids = self._uploads.pop(0)
                    self._busy = True
                    return lambda: self._analyse(ids)
                if self._wanted:
                    story_id = self._wanted[0]
                    self._busy = True
                    return lambda: self._build(story_id)
                if self._backlog:
                    story_id = self._backlog.pop(0)
                    self._busy = True
                    return lambda: self._build(story_id, quiet=True)
                self._cond.wait()
            return None

    def _run(self) -> None:
        while True:
            job = self._next()
            if job is None:
                return
            try:
                job()
            except Exception:  # one failing job never stops the worker
                errors.log.exception("background job failed")
            finally:
                with self._cond:
                    self._busy = False

    def _set_article(self, article_id: str, **changes) -> None:
        with self._cond:
            old = self._articles.get(article_id) or Progress("queued", started=time.time())
            self._articles[article_id] = replace(old, **changes)

    def _set_story(self, story_id: str, **changes) -> None:
        with self._cond:
            old = self._stories.get(story_id) or Progress("queued", started=time.time())
            self._stories[story_id] = replace(old, **changes)

    def _analyse(self, ids: list[str]) -> None:
        """Analyse the uploaded articles that have no current analysis, group, index."""
        from ..analyze import docs
        from ..analyze.article import ANALYSIS_VERSION, analyze_articles
        from ..pipeline import group_new

        store = self.library.store()
        docs.use_store(store)
        todo = [i for i in dict.fromkeys(ids) if store.analysis_version(i) != ANALYSIS_VERSION]
        for article_id in ids:
            self._set_article(article_id, stage="analysing", done=0, total=len(todo))
        articles = list(store.articles(todo))
        by_source = {a.source: a.id for a in articles}
        done = 0
        for result in analyze_articles(articles, keep_going=True, total=len(articles)):
            done += 1
            if isinstance(result, Rejected):
                store.add_rejected(result)
                article_id = by_source.get(result.source)
                if article_id:
                    self._set_article(article_id, stage="failed", message=result.reason)
            else:
                store.put_analysis(result, ANALYSIS_VERSION, docs.kept(result.article))
            for article_id in ids:
                if self._articles.get(article_id, Progress("")).stage != "failed":
                    self._set_article(article_id, done=done)
        for article_id in ids:
            if self._articles.get(article_id, Progress("")).stage != "failed":
                self._set_article(article_id, stage="grouping")
        try:
            group_new(store)
        except StageError as exc:
            for article_id in ids:
                self._set_article(article_id, stage="failed", message=str(exc))
            raise
        search.sync_articles(store)
        stories = []
        for article_id in ids:
            if self._articles.get(article_id, Progress("")).stage == "failed":
                continue
            story_id = self.library.story_of(article_id)
            self._set_article(article_id, stage="ready" if story_id else "failed",
                              message="" if story_id else "the article was not placed in a story")
            if story_id and story_id not in stories:
                stories.append(story_id)
        for story_id in reversed(stories):
            self.want(story_id)

    def _build(self, story_id: str, quiet: bool = False) -> None:
        """Load (or build) a story's brief into the library's memo, and index it for search."""
        sig: tuple = ()
        try:
            sig = self.library.signature(story_id)
            if self.library.current(story_id):  # built meanwhile (the backlog got there first)
                self._set_story(story_id, stage="ready")
                return
            self._set_story(story_id, stage="loading", started=time.time(), done=0, total=0, message="")
            brief, sig = self.brief_for(story_id)
            if brief is not None:
                search.index_brief(self.library.store().db, brief)
                self.library.remember(story_id, sig, brief)
                if self.library.prerender is not None:
                    self._set_story(story_id, stage="rendering")
                    self.library.prerender(story_id, sig, brief)
                self._set_story(story_id, stage="ready")
        except Exception as exc:
            message = str(exc) if isinstance(exc, StageError) else f"{type(exc).__name__}: {exc}"
            self._set_story(story_id, stage="failed", message=message)
            with self._cond:
                self._failures[story_id] = (sig, message)
            if not quiet:
                errors.log.exception("could not build the brief of story %s", story_id)
        finally:
            with self._cond:
                if story_id in self._wanted:
                    self._wanted.remove(story_id)

    def brief_for(self, story_id: str) -> tuple[Brief | None, tuple]:
        """``pipeline.brief_for_story`` with progress: the stored brief when its key still
        matches, else a new one (stored for the next start)."""
        from ..analyze import docs
        from ..analyze.article import ANALYSIS_VERSION
        from ..pipeline import brief_key
        from ..reconcile.brief import build_brief

        store = self.library.store()
        docs.use_store(store)
        sig = self.library.signature(story_id)
        if not sig:
            return None, sig
        duplicates = dict(sig)
        analyses = []
        articles = list(store.articles([a for a, _ in sig]))
        self._set_story(story_id, total=len(articles))
        for n, article in enumerate(articles, start=1):
            analysis = store.load_analysis(article, ANALYSIS_VERSION)
            if analysis is None:
                raise StageError(f"article {article.id} has no analysis yet")
            analyses.append(replace(analysis, article=replace(analysis.article,
                                                              duplicate_of=duplicates.get(article.id) or None)))
            if n % 10 == 0 or n == len(articles):
                self._set_story(story_id, done=n)
        key = brief_key(story_id, analyses)
        brief = store.cached_brief(story_id, key)
        if brief is None:
            self._set_story(story_id, stage="reconciling")
            brief = build_brief(story_id, analyses)
            store.put_brief(brief, key)
        return brief, sig


__all__ = ["Worker", "Progress"]
