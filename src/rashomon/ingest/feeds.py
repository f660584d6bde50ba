"""RSS and Atom feeds → their items, parsed with entity expansion impossible.

feedparser hands well-formed feeds to expat, which expands the entities a document
declares: a "billion laughs" feed (entities nested ten deep) or an external entity
(``<!ENTITY x SYSTEM "file:///etc/passwd">``) would reach it. So the raw bytes are
checked first, in two layers, and only a feed that declares no entity gets parsed:

1. :mod:`defusedxml` parses the bytes (in whatever encoding they declare) and stops at
   the first entity declaration or external reference;
2. for feeds too broken for an XML parser, the bytes (normalised to UTF-8) are searched
   for ``<!ENTITY``;

then the DOCTYPE is cut out, and feedparser reads the bytes from memory (never a URL
or a path: feedparser would fetch or open those itself).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import time
from dataclasses import dataclass
from urllib.parse import urljoin

from ..model import Rejected
from .safety import is_url

MAX_ENTRIES = 2000
"""Items read from one feed (real feeds carry 10-100; more is a broken or hostile feed)."""

_ENTITY = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.IGNORECASE | re.DOTALL)
_XML_DECL_ENCODING = re.compile(rb"""^(<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed."""

    id: str
    """The item's guid/id, else its link, else a hash of its title and summary."""
    link: str | None
    """Absolute http(s) link to the article page (None when the item has none)."""
    title: str | None = None
    published: str | None = None
    """YYYY-MM-DD as the feed states it (published, else updated)."""


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed."""

    url: str
    title: str | None
    entries: tuple[FeedEntry, ...]
    note: str | None = None
    """feedparser's complaint about malformed XML, when it had to read loosely."""


def parse_feed(data: bytes, *, url: str, content_type: str | None = None) -> Feed | Rejected:
    """The items of an RSS/Atom document, or ``Rejected(url, reason)`` (unsafe or not a feed)."""
    import feedparser

    if not data.strip():
        return Rejected(url, "empty feed: the server sent no content")
    problem = unsafe_xml(data)
    if problem:
        return Rejected(url, problem)
    utf8 = _to_utf8(data)
    clean = _DOCTYPE.sub(b"", utf8, count=1)
    media = (content_type or "").split(";")[0].strip() or "application/xml"
    # a charset from the server is kept, unless the bytes were just re-encoded from UTF-16/32
    declared = content_type if content_type and "charset" in content_type.lower() else media
    headers = {"content-location": url, "content-type": f"{media}; charset=utf-8" if utf8 is not data else declared}
    parsed = feedparser.parse(io.BytesIO(clean), response_headers=headers, sanitize_html=True,
                              resolve_relative_uris=True)
    note = str(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    if not parsed.get("version") and not parsed.entries:
        return Rejected(url, f"not an RSS or Atom feed{f' ({note})' if note else ''}")
    entries = tuple(_entry(e, url) for e in parsed.entries[:MAX_ENTRIES])
    title = (parsed.feed.get("title") or "").strip() or None
    return Feed(url, title, entries, note)


def unsafe_xml(data: bytes) -> str | None:
    """Why these bytes must not reach an XML parser that expands entities, or None."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException
    from xml.etree.ElementTree import ParseError

    try:
        SafeET.fromstring(data)
    except DefusedXmlException as exc:
        name = getattr(exc, "name", None)
        what = f"{type(exc).__name__}{f' {name!r}' if name else ''}"
        return (f"feed declares XML entities or external references ({what}); refused: entity "
                "expansion is disabled (billion-laughs / external-entity protection)")
    except ParseError:
        pass  # malformed: feedparser may still read it loosely, after the textual check below
    except (ValueError, LookupError) as exc:  # unknown declared encoding and the like
        return f"feed cannot be decoded safely ({exc})"
    utf8 = _to_utf8(data)
    if _ENTITY.search(utf8):
        return ("feed declares XML entities (<!ENTITY>); refused: entity expansion is disabled "
                "(billion-laughs / external-entity protection)")
    if b"<" not in utf8[:4096]:
        return "feed is not XML in an ASCII-compatible encoding"
    return None


def _to_utf8(data: bytes) -> bytes:
    """UTF-16/32 feeds (by BOM or NUL pattern) re-encoded as UTF-8, declaration fixed."""
    encoding = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, data = name, data[len(bom):]
            break
    if encoding is None and len(data) >= 4:
        if data[:4] == b"<\x00?\x00":
            encoding = "utf-16-le"
        elif data[:4] == b"\x00<\x00?":
            encoding = "utf-16-be"
    if encoding is None or encoding == "utf-8":
        return data
    text = data.decode(encoding, errors="replace").encode("utf-8")
    return _XML_DECL_ENCODING.sub(rb"\1\2utf-8\2", text, count=1)


def _entry(entry, feed_url: str) -> FeedEntry:
    link = entry.get("link") or None
    if link:
        link = urljoin(feed_url, link.strip())
        if not is_url(link):
            link = None
    title = (entry.get("title") or "").strip() or None
    ident = (entry.get("id") or "").strip() or link
    if not ident:
        ident = "sha1:" + hashlib.sha1(f"{title}\n{entry.get('summary', '')}".encode("utf-8")).hexdigest()
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = time.strftime("%Y-%m-%d", stamp) if stamp else None
    return FeedEntry(ident, link, title, published)
