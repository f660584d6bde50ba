"""``rashomon serve``: the web app and API over a store, with uvicorn."""

from __future__ import annotations

import logging

DEFAULT_HOST = "127.0.0.1"
"""Loopback only unless told otherwise: article text is untrusted and the app has no login."""
DEFAULT_PORT = 8000


def serve(db: str, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve the store at ``db`` on http://HOST:PORT/ until interrupted.

    Every story's brief is built (and indexed for search) in the background at start-up.
    """
    import uvicorn

    from ..pipeline import quiet_libraries
    from .app import create_app

    quiet_libraries()
    if host not in ("127.0.0.1", "localhost", "::1"):
        logging.getLogger("rashomon.web").warning(
            "serving on %s: anyone who can reach this address can read and add articles", host)
    uvicorn.run(create_app(db, warm=True), host=host, port=port, log_level="info")
