"""Progress bars on stderr: shown only when stderr is a terminal and not ``--quiet``."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


class Progress:
    """A thin wrapper over Rich's progress bar that can be switched off."""

    def __init__(self, enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar = None

    @contextmanager
    def session(self) -> Iterator[Progress]:
        if not self.enabled:
            yield self
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, TimeRemainingColumn

        with RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeRemainingColumn(), console=Console(stderr=True), transient=False) as bar:
            self._bar = bar
            try:
                yield self
            finally:
                self._bar = None

    def track(self, items: Iterable[T], *, total: int | None = None, description: str = "") -> Iterator[T]:
        if self._bar is None:
            yield from items
            return
        task = self._bar.add_task(description, total=total)
        for item in items:
            yield item
            self._bar.advance(task)
        self._bar.update(task, completed=self._bar.tasks[task].completed)


QUIET = Progress(enabled=False)
