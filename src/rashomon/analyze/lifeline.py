"""Worker processes die with their parent.

A ``kill -9`` of the process that started the analysis workers gives them no chance to
stop them; without this they parse on (holding memory and a CPU) until their next write
to the dead parent fails. Each worker asks Linux to send it SIGKILL when its parent dies
(``prctl(PR_SET_PDEATHSIG)``), and, on every platform, watches its parent's pid from a
daemon thread and exits when it changes.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

WATCH_INTERVAL = 0.5
"""Seconds between two looks at the parent's pid (the fallback where prctl is missing)."""
PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Run in a worker at start-up (a ``Pool`` initializer): exit when ``parent`` is gone."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="rashomon-lifeline", daemon=True).start()


def _watch(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        threading.Event().wait(WATCH_INTERVAL)
