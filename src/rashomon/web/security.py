"""The web app's trust boundary: who may ask, from where, how much, and what becomes a link.

One pure-ASGI middleware, :class:`Guard`, wraps the whole app:

* **Allowed hosts** (Starlette's ``TrustedHostMiddleware`` rule, answered in the app's one
  error shape): a request whose ``Host`` is not in the list is refused with 400, so a DNS
  rebinding page cannot read a local ``rashomon serve``. Loopback names by default.
* **Same origin for every state-changing request** (POST, PUT, PATCH, DELETE): a browser
  request whose ``Origin`` (or, without one, ``Sec-Fetch-Site`` / ``Referer``) is another
  site is refused with 403. Clients that send none of these (curl, scripts) are not browsers
  and cannot be made to send a request by a hostile page, so they pass.
* **Total request size**: a body over :data:`MAX_REQUEST_BYTES` is refused with 413, by its
  declared length before reading and by counting as it is read.
* **No unhandled exception leaves the app**: one escaping a route is logged and answered as
  500 in the error shape *without* being re-raised, so the server keeps the connection alive.
* Security headers on every response. The referrer policy is ``same-origin`` (nothing is sent
  to other sites), not ``no-referrer``: under ``no-referrer`` a browser sends ``Origin: null``
  with the app's own form posts, which the origin check could not tell from a sandboxed page.

And two helpers for input and output: :func:`parse_json` (a nesting limit and no lone
surrogates) and :func:`link_url` (only http(s) URLs ever become links).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..render.view import LINK_SCHEMES, link_url
from . import errors
from .errors import WebError

DEFAULT_ALLOWED_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Hosts served unless ``rashomon serve --allow-host`` adds more (``*.example.org`` and ``*`` work)."""
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_REQUEST_BYTES = 2 * 1024 * 1024 + 64 * 1024
"""The largest request body (any route): the 2 MiB upload limit plus room for multipart framing."""
MAX_JSON_DEPTH = 16
"""Deepest JSON nesting accepted. An input record is 1 deep, a .json list of records 2; 16 leaves
room for any extra structure a client adds and stays far below Python's recursion limit."""
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


# ----------------------------------------------------------------------------- links




# ----------------------------------------------------------------------------- JSON


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """The deepest bracket nesting of a JSON text (strings skipped), without parsing it."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRINGS.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def lone_surrogate(value) -> str | None:
    """Where the first string holding a lone surrogate (e.g. ``"\\ud800"``) is, else None."""
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError as exc:
                return f"{where or 'the value'} (character {exc.start})"
        elif isinstance(node, dict):
            stack.extend((f"{where}.{k}" if where else str(k), v) for k, v in node.items())
            stack.extend(("a key", k) for k in node)
        elif isinstance(node, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(node))
    return None


def parse_json(text: str, source: str = "the body", max_depth: int = MAX_JSON_DEPTH):
    """``json.loads`` with a nesting limit and no lone surrogates; a 422 WebError otherwise."""
    depth = json_depth(text)
    if depth > max_depth:
        raise WebError(422, f"{source}: JSON nested {depth} deep; the limit is {max_depth}. "
                            "Send one flat record per article.")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WebError(422, f"{source}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise WebError(422, f"{source}: JSON nested too deep") from None
    where = lone_surrogate(value)
    if where:
        raise WebError(422, f"{source}: {where} holds a lone UTF-16 surrogate (such as \\ud800), which is "
                            "not a character; send valid Unicode text")
    return value


# ----------------------------------------------------------------------------- hosts and origins


def host_name(value: str) -> str:
    """The host of a ``Host`` header or netloc, lower-cased, without port or IPv6 brackets."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value[1:]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """TrustedHostMiddleware's rule: an exact name, ``*.domain`` for its subdomains, or ``*``."""
    name = host_name(host)
    if not name:
        return False
    for pattern in allowed:
        pattern = pattern.lower()
        if pattern == "*" or name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:])):
            return True
    return False


def cross_site(headers: dict[str, str], host: str) -> str | None:
    """Why a state-changing request comes from another site, or None when it may proceed."""
    origin = headers.get("origin")
    fetch_site = headers.get("sec-fetch-site", "").lower()
    if origin is not None:
        if origin.strip().lower() == "null":  # sandboxed frames, data: URLs, some redirects
            if fetch_site == "same-origin":  # the browser vouches for the page it came from
                return None
            return "the request comes from an opaque origin (Origin: null)"
        parts = urlsplit(origin.strip())
        if parts.scheme not in LINK_SCHEMES or parts.netloc.lower() != host.strip().lower():
            return f"the request comes from {origin!r}, not from this site"
        return None
    if fetch_site in ("cross-site", "same-site"):
        return f"the browser marks the request {fetch_site}"
    referer = headers.get("referer")
    if referer:
        try:
            netloc = urlsplit(referer).netloc.lower()
        except ValueError:
            netloc = ""
        if netloc != host.strip().lower():
            return "the request was sent from a page on another site"
    return None


class BodyTooLarge(WebError):
    def __init__(self, limit: int):
        super().__init__(413, f"the request is over the limit of {limit:,} bytes; split it into smaller files")


class Guard:
    """The trust boundary around the app (see the module's docstring)."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = DEFAULT_ALLOWED_HOSTS,
                 max_body: int = MAX_REQUEST_BYTES):
        self.app = app
        self.allowed_hosts = tuple(allowed_hosts)
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            refusal = self.refusal(scope)
            if refusal is not None:
                await self.answer(scope, receive, send_with_headers, refusal)
                return
            await self.app(scope, self.counted(receive), send_with_headers)
        except Exception as exc:  # the one place an unexpected error becomes a response
            if started:
                raise
            if isinstance(exc, WebError):
                error = exc
            else:
                errors.log.exception("unhandled error on %s", scope.get("path"))
                error = WebError(500, f"the server failed on this request ({type(exc).__name__}); "
                                      "see the server log", code="internal_error")
            await self.answer(scope, receive, send_with_headers, error)

    def refusal(self, scope: Scope) -> WebError | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if not host_allowed(host, self.allowed_hosts):
            return WebError(400, f"this server does not answer to the host {host!r}; start it with "
                                 f"`rashomon serve --allow-host NAME` to serve that name", code="untrusted_host")
        if scope["method"] in UNSAFE_METHODS:
            why = cross_site(headers, host)
            if why:
                return WebError(403, f"{why}; add articles from this site's own upload form or from a "
                                     "script (no browser)", code="cross_site_request")
        declared = headers.get("content-length", "").strip()
        if declared.isdigit() and (len(declared) > len(str(self.max_body)) or int(declared) > self.max_body):
            shown = f"{int(declared):,} bytes" if len(declared) < 20 else f"a {len(declared)}-digit number of bytes"
            return WebError(413, f"the request is {shown}; the limit is {self.max_body:,}. "
                                 "Split it into smaller files.")
        return None

    def counted(self, receive: Receive) -> Receive:
        size = 0

        async def wrapped() -> Message:
            nonlocal size
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        return wrapped

    async def answer(self, scope: Scope, receive: Receive, send: Send, error: WebError) -> None:
        request = Request(scope, receive)
        response = errors.respond(request, error.status, error.code, error.message)
        await response(scope, receive, send)


__all__ = ["Guard", "link_url", "parse_json", "host_allowed", "cross_site", "DEFAULT_ALLOWED_HOSTS",
           "MAX_REQUEST_BYTES", "MAX_JSON_DEPTH"]
