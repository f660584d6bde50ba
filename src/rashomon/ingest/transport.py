"""The HTTP transport every fetch goes through: vetted connections and a deadline for the whole exchange.

:class:`GuardedTransport` is an ``httpx.BaseTransport`` (httpx's public extension point)
over an ``httpcore.ConnectionPool`` whose ``network_backend`` (httpcore's public extension
point) is :class:`~rashomon.ingest.safety.GuardedBackend`: every TCP connection is vetted
by the URL policy and made to the address vetted. Nothing falls back to an unguarded
connection: if the guard cannot be installed, building the transport fails.

The deadline: a per-read timeout cannot stop a server that sends its status line and
headers one byte a second. Each request here gets a deadline (``total_timeout`` seconds
from its start); connecting, TLS, every write and every read (headers and body) is given
only the time left, and passing it raises a timeout.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpcore
import httpx

from .safety import GuardedBackend, UrlPolicy

_EXCEPTIONS = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
)
"""httpcore's exceptions → httpx's (first match wins: subclasses come first)."""

_deadline = threading.local()
"""The deadline of the request this thread is making (``time.monotonic()`` seconds), or absent."""


class DeadlinePassed(httpcore.ReadTimeout):
    """The whole exchange took longer than its total timeout."""


def _left(timeout: float | None, exc: type[Exception]) -> float | None:
    """The timeout for one network step: ``timeout`` cut to the time left before the deadline."""
    deadline = getattr(_deadline, "at", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise exc(f"whole exchange over its total timeout of {_deadline.total:g}s")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream:
    """A network stream whose every step stops at the current request's deadline."""

    def __init__(self, inner) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _left(timeout, DeadlinePassed))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return _DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, _left(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str):
        return self.inner.get_extra_info(info)


class _DeadlineBackend:
    """Wraps the guarded backend: connections start within, and their streams keep to, the deadline."""

    def __init__(self, inner: GuardedBackend) -> None:
        self.inner = inner

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        stream = self.inner.connect_tcp(host, port, _left(timeout, httpcore.ConnectTimeout), local_address,
                                        socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(self, *args, **kwargs):
        return self.inner.connect_unix_socket(*args, **kwargs)

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


@contextmanager
def _mapped(request: httpx.Request) -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for source, target in _EXCEPTIONS:
            if isinstance(exc, source):
                raise target(str(exc), request=request) from exc
        raise


class _Body(httpx.SyncByteStream):
    def __init__(self, stream, request: httpx.Request) -> None:
        self.stream = stream
        self.request = request

    def __iter__(self) -> Iterator[bytes]:
        with _mapped(self.request):
            yield from self.stream

    def close(self) -> None:
        close = getattr(self.stream, "close", None)
        if close is not None:
            close()


class GuardedTransport(httpx.BaseTransport):
    """HTTP/1.1 over vetted connections, each request bounded by ``total_timeout`` seconds."""

    def __init__(self, policy: UrlPolicy, *, total_timeout: float | None = None, verify: bool = True,
                 max_connections: int = 20, keepalive_expiry: float = 5.0) -> None:
        self.policy = policy
        self.total_timeout = total_timeout
        self.backend = GuardedBackend(policy)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify),
            max_connections=max_connections,
            keepalive_expiry=keepalive_expiry,
            network_backend=_DeadlineBackend(self.backend),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        _deadline.at = None if self.total_timeout is None else time.monotonic() + self.total_timeout
        _deadline.total = self.total_timeout
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host, port=request.url.port,
                             target=request.url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _mapped(request):
            response = self._pool.handle_request(core)
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_Body(response.stream, request), extensions=response.extensions)

    def close(self) -> None:
        self._pool.close()
