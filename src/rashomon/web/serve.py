"""``rashomon serve``: the web app and API over a store, with uvicorn."""

from __future__ import annotations

import logging

DEFAULT_HOST = "127.0.0.1"
"""Loopback only unless told otherwise: article text is untrusted and the app has no login."""
DEFAULT_PORT = 8000


def allowed_hosts(host: str, extra=()) -> tuple[str, ...]:
    """The Host names served: loopback, the bound address when it is a name or a specific
    address (not 0.0.0.0 / ::), and every ``--allow-host``."""
    from .security import DEFAULT_ALLOWED_HOSTS

    names = list(DEFAULT_ALLOWED_HOSTS)
    if host not in ("0.0.0.0", "::", ""):
        names.append(host)
    names.extend(extra)
    return tuple(dict.fromkeys(n.strip().lower() for n in names if n.strip()))


def serve(db: str, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, allow_hosts=()) -> None:
    """Serve the store at ``db`` on http://HOST:PORT/ until interrupted.

    Every story's brief is built (and indexed for search) in the background at start-up.
    Only requests naming an allowed host are answered (see :func:`allowed_hosts`).
    """
    import uvicorn

    from ..pipeline import quiet_libraries
    from .app import create_app

    quiet_libraries()
    if host not in ("127.0.0.1", "localhost", "::1"):
        logging.getLogger("rashomon.web").warning(
            "serving on %s: anyone who can reach this address can read and add articles", host)
    uvicorn.run(create_app(db, warm=True, allowed_hosts=allowed_hosts(host, allow_hosts)), host=host, port=port,
                log_level="info")
