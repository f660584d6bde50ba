"""Which URLs Rashomon may fetch: the address policy that keeps a hostile link off the local network.

A URL given by a user, found in a feed or reached by a redirect could point at the
machine Rashomon runs on (``http://127.0.0.1:8080/admin``), at the private network
behind it, or at a cloud metadata service (``http://169.254.169.254/``). Unless
``allow_private`` is set, every such address is refused, and the check is made on the
*resolved* IP addresses of every hop, not on the host name alone (a public-looking name
can resolve to 10.0.0.5). :class:`GuardedBackend` repeats the check at connect time and
connects to the address it vetted, so a name that re-resolves to another address between
the check and the connection (DNS rebinding) cannot slip through.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..errors import FetchError

Resolver = Callable[[str, int], list[str]]
"""host, port → the IP addresses it resolves to (as strings)."""

SCHEMES = ("http", "https")

BLOCKED_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8",          # "this network"
    "100.64.0.0/10",      # carrier-grade NAT (Alibaba's metadata service is 100.100.100.200)
    "192.0.0.0/24",       # IETF protocol assignments
    "198.18.0.0/15",      # benchmarking
    "fd00:ec2::254/128",  # AWS metadata over IPv6 (also inside fc00::/7)
    "64:ff9b:1::/48",     # local-use NAT64
))
"""Networks refused besides those :mod:`ipaddress` already calls private, loopback,
link-local (169.254.0.0/16: the cloud metadata address), multicast, reserved or unspecified."""

METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data", "metadata.azure.internal"})
"""Names of cloud metadata services, refused before any resolution."""


class BlockedAddress(FetchError):
    """A URL that points at a loopback, private, link-local or metadata address."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def is_url(s: str) -> bool:
    """True for an ``http://`` or ``https://`` URL with a host (what ``ingest``/``brief`` fetch)."""
    if not isinstance(s, str) or any(c.isspace() for c in s.strip()):
        return False
    try:
        parts = urlsplit(s.strip())
        return parts.scheme.lower() in SCHEMES and bool(parts.hostname)
    except ValueError:
        return False


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):(//)?")


def scheme_problem(s: str) -> str | None:
    """Why an input that names a URL scheme other than http(s) is not read (``file://``,
    ``gopher://``, ``ftp://``), or None when it has no such scheme (a path, or an http(s) URL)."""
    match = _SCHEME.match(s.strip()) if isinstance(s, str) else None
    if not match or match.group(1).lower() in SCHEMES or (len(match.group(1)) == 1 and not match.group(2)):
        return None  # "C:" is a Windows drive, not a scheme
    scheme = match.group(1).lower()
    if scheme == "file":
        return ("file:// URLs are not read: give the path itself (rashomon reads files and folders), "
                "or an http(s) URL")
    if not match.group(2):
        return None  # "notes:2024.txt" is a file name
    return f"scheme {scheme!r} is not fetched: only http(s) URLs are (or give a file path)"


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, through the system resolver."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def address_problem(ip: str) -> str | None:
    """Why this IP address must not be fetched from, or None when it is a public address."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return f"{ip!r} is not an IP address"
    if isinstance(addr, ipaddress.IPv6Address):
        embedded = addr.ipv4_mapped or addr.sixtofour or (addr.teredo[1] if addr.teredo else None)
        if embedded is None and addr in ipaddress.ip_network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        if embedded is not None:
            problem = address_problem(str(embedded))
            if problem:
                return f"{addr} embeds {problem}"
    if addr.is_loopback:
        return f"{addr} is a loopback address (this machine)"
    if addr.is_link_local:
        return f"{addr} is a link-local address (where cloud metadata services live)"
    if addr.is_unspecified:
        return f"{addr} is the unspecified address"
    if addr.is_multicast:
        return f"{addr} is a multicast address"
    if any(addr in net for net in BLOCKED_NETWORKS if net.version == addr.version):
        return f"{addr} is a private or special-purpose address"
    if addr.is_private or addr.is_reserved or not addr.is_global:
        return f"{addr} is a private or reserved address"
    return None


@dataclass(frozen=True, slots=True)
class UrlPolicy:
    """What may be fetched: http(s) URLs whose every resolved address is public."""

    allow_private: bool = False
    """Allow loopback, private, link-local and metadata addresses (a trusted intranet only)."""
    allow_origins: frozenset[str] = frozenset()
    """``host:port`` origins allowed even when private (e.g. one intranet server); redirects
    to any other private address are still refused."""
    resolver: Resolver = field(default=system_resolver, compare=False)

    def check(self, url: str) -> list[str]:
        """The vetted IP addresses of ``url``'s host; raises :class:`BlockedAddress` when refused.

        Returns ``[]`` when private addresses are allowed (nothing needs resolving here).
        """
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError as exc:
            raise BlockedAddress(f"malformed URL {url!r}: {exc}") from None
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            raise BlockedAddress(f"scheme {scheme or '(none)'!r} refused: only http and https URLs are fetched")
        if not host:
            raise BlockedAddress(f"URL {url!r} has no host")
        port = port or (443 if scheme == "https" else 80)
        if self.allow_private or f"{host}:{port}" in self.allow_origins:
            return []
        return self.vet_host(host, port)

    def vet_host(self, host: str, port: int) -> list[str]:
        """The addresses ``host`` resolves to, all public; raises :class:`BlockedAddress` otherwise."""
        host = host.strip("[]").rstrip(".").lower()
        if host in METADATA_HOSTS or host == "localhost" or host.endswith(".localhost"):
            raise BlockedAddress(f"host {host!r} is a local or metadata name; refused "
                                 "(give --allow-private to fetch from your own network)")
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            try:
                addresses = self.resolver(host, port)
            except (OSError, UnicodeError) as exc:
                raise FetchError(f"cannot resolve host {host!r}: {exc}") from None
        if not addresses:
            raise FetchError(f"host {host!r} resolves to no address")
        for ip in addresses:
            problem = address_problem(ip)
            if problem:
                reason = problem if host == ip else f"host {host!r} resolves to {ip}, and {problem}"
                raise BlockedAddress(f"{reason}; refused (give --allow-private to fetch from your own network)")
        return addresses


class GuardedBackend:
    """An httpcore network backend that vets each address before it connects to it.

    Wraps another backend (httpcore's ``SyncBackend`` by default) and connects to the IP
    it checked, not to the name, so a second, different DNS answer cannot be used.
    """

    def __init__(self, policy: UrlPolicy, inner=None):
        import httpcore

        self.policy = policy
        self.inner = inner if inner is not None else httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = self._vetted(host, port)
        if not addresses:  # private addresses allowed: connect as usual
            return self.inner.connect_tcp(host, port, timeout, local_address, socket_options)
        last: Exception | None = None
        for ip in addresses:
            try:
                return self.inner.connect_tcp(ip, port, timeout, local_address, socket_options)
            except Exception as exc:  # try the next vetted address, as create_connection does
                last = exc
        assert last is not None
        raise last

    def _vetted(self, host: str | bytes, port: int) -> list[str]:
        host = host.decode("ascii") if isinstance(host, bytes) else host
        if self.policy.allow_private or f"{host}:{port}" in self.policy.allow_origins:
            return []
        return self.policy.vet_host(host, port)

    def connect_unix_socket(self, *args, **kwargs):
        raise BlockedAddress("unix sockets are never fetched from")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def guarded_transport(policy: UrlPolicy, **kwargs) -> object:
    """A :class:`~rashomon.ingest.transport.GuardedTransport`: every connection vetted by
    ``policy`` (there is no unguarded fallback); ``total_timeout=`` bounds each exchange."""
    from .transport import GuardedTransport

    return GuardedTransport(policy, **kwargs)


def peer_problem(stream_info: Callable[[str], object] | None, policy: UrlPolicy, host: str, port: int) -> str | None:
    """After connecting: why the address actually connected to is not allowed, or None.

    ``stream_info`` is the response's ``network_stream.get_extra_info``; a third line of
    defence for transports that do not use :class:`GuardedBackend`.
    """
    if stream_info is None or policy.allow_private or f"{host}:{port}" in policy.allow_origins:
        return None
    try:
        peer = stream_info("server_addr")
    except Exception:
        return None
    if not peer:
        return None
    return address_problem(str(peer[0]))


def origins(urls: Iterable[str]) -> frozenset[str]:
    """``host:port`` of each URL, for :attr:`UrlPolicy.allow_origins`."""
    out = set()
    for url in urls:
        parts = urlsplit(url)
        out.add(f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}")
    return frozenset(out)
