"""Files and folders → Articles (or Rejected inputs, with the reason and the fix).

Folders are walked lazily in sorted order, so a 100,000-file folder never sits in memory;
``.jsonl`` files are read a line at a time; a file over :data:`MAX_FILE_BYTES` is refused
rather than read (``.jsonl`` excepted: its limit is per record).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from ..errors import PathNotFound
from ..model import Article, Rejected, Span
from .clean import Cleaned, clean_text, fingerprint_text

MAX_FILE_BYTES = 10 * 1024 * 1024
"""One article file larger than this is refused (split it, or use .jsonl)."""
MAX_RECORD_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
RECORD_SUFFIXES = {".json", ".jsonl", ".ndjson"}
PDF_SUFFIXES = {".pdf"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES | PDF_SUFFIXES

Item = Article | Rejected

UNSUPPORTED_KINDS = {
    **dict.fromkeys([".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".svg", ".heic"], "image"),
    **dict.fromkeys([".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp", ".pages"],
                    "office document"),
    **dict.fromkeys([".mp3", ".mp4", ".mov", ".wav", ".avi", ".mkv", ".webm"], "audio or video"),
    **dict.fromkeys([".zip", ".gz", ".tar", ".7z", ".rar", ".bz2", ".xz"], "archive"),
}
"""What an unsupported file probably is, for the rejection message."""


def article_id(title: str | None, text: str) -> str:
    """Content hash of the input (title and text as given, white space folded): the same
    article read from two paths has one id, and cleaning it again with a better cleaner
    keeps the id."""
    return hashlib.sha256(fingerprint_text(title, text).encode("utf-8")).hexdigest()[:16]


def build_article(cleaned: Cleaned, *, input_id: str, source: str, **fields) -> Article:
    """An Article from a cleaner's result: the outlet and origin it read, with the spans
    that state them where those words stay in the clean text."""
    outlet = fields.pop("outlet", None) or cleaned.outlet
    return Article(
        id=input_id,
        source=source,
        text=cleaned.text,
        outlet=outlet,
        outlet_basis="stated" if outlet else None,
        removed=tuple(cleaned.removed),
        outlet_span=stated_span(input_id, cleaned.text, cleaned.outlet_stated) if outlet == cleaned.outlet else None,
        origin=cleaned.origin,
        origin_span=stated_span(input_id, cleaned.text, cleaned.origin_stated),
        **fields,
    )


def stated_span(article: str, text: str, words: str | None) -> Span | None:
    """Where ``words`` stand in ``text`` (None when they were removed as furniture)."""
    if not words:
        return None
    at = text.find(words)
    return Span.of(article, text, at, at + len(words)) if at >= 0 else None


def iter_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Every article file under ``paths``, in a stable order. Missing paths raise."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise PathNotFound(str(raw))
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        yield folder  # reported as unreadable by read_file
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        else:
            yield _FolderPath(entry.path)  # other types are rejected by read_file, never skipped silently


class _FolderPath(type(Path())):
    """A path found by walking a folder (an unsupported type there is rejected, not read)."""

    in_folder = True


def read_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Item]:
    """Articles and rejections from files and folders, one at a time."""
    for path in iter_paths(paths):
        yield from read_file(path)


def read_file(path: Path, *, in_folder: bool | None = None) -> Iterator[Item]:
    """The article(s) in one file, or why it cannot be read. A file of another type than
    text, HTML, JSON records or PDF is rejected as unsupported (a file named alone with an
    unknown suffix is read as text)."""
    source = str(path)
    suffix = path.suffix.lower()
    if in_folder is None:
        in_folder = getattr(path, "in_folder", False)
    try:
        size = path.stat().st_size
        if path.is_dir():
            yield Rejected(source, "folder could not be listed (permission denied?)")
            return
    except OSError as exc:
        yield Rejected(source, f"cannot read file: {exc.strerror or exc}")
        return
    if size == 0:
        yield Rejected(source, "empty file: nothing to read")
        return
    if suffix not in SUFFIXES and (in_folder or suffix in UNSUPPORTED_KINDS):
        kind = UNSUPPORTED_KINDS.get(suffix, "")
        yield Rejected(source, f"unsupported type{f' ({kind})' if kind else ''} {suffix or '(no extension)'}: "
                               "give text (.txt, .md), HTML, JSON/JSONL records or a PDF with a text layer")
        return
    if suffix in {".jsonl", ".ndjson"}:
        yield from _read_jsonl(path)
        return
    if size > MAX_FILE_BYTES:
        yield Rejected(source, f"file is {size // 1_000_000} MB, over the {MAX_FILE_BYTES // 1_000_000} MB "
                               "limit for one article: split it, or give the articles as .jsonl records")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Rejected(source, f"cannot read file: {exc.strerror or exc}")
        return
    if suffix in PDF_SUFFIXES:
        from .pdf import article_from_pdf

        yield article_from_pdf(data, source=source)
        return
    text = decode(data, source)
    if isinstance(text, Rejected):
        yield text
        return
    if suffix in HTML_SUFFIXES:
        from .html import article_from_html

        yield article_from_html(text, source=source)
    elif suffix == ".json":
        yield from _read_json(text, source)
    else:
        yield article_from_text(text, source=source)


def decode(data: bytes, source: str) -> str | Rejected:
    """UTF-8 text, or a rejection saying why the bytes are not an article."""
    if b"\x00" in data[:8192]:
        return Rejected(source, "binary file (contains NUL bytes): give a text, HTML or JSON article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Rejected(source, f"not UTF-8 text (byte {exc.start}): convert it, e.g. iconv -t UTF-8")
    if not text.strip():
        return Rejected(source, "file holds only white space: nothing to read")
    return text


def article_from_text(raw: str, *, source: str) -> Item:
    """A plain-text article: title, date and outlet where the text states them."""
    cleaned = clean_text(raw)
    if not cleaned.text.strip():
        return Rejected(source, "no article text left after removing title, captions and boilerplate")
    return build_article(
        cleaned, input_id=article_id(None, raw), source=source,
        title=cleaned.title,
        published=cleaned.published,
        published_basis="stated" if cleaned.published else "unknown",
        published_note=cleaned.published_note,
        language="en",
    )


# ----------------------------------------------------------------------------- records


def _read_json(text: str, source: str) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Rejected(source, f"invalid JSON at line {exc.lineno}: {exc.msg}")
        return
    records = data if isinstance(data, list) else [data]
    for i, record in enumerate(records):
        yield article_from_record(record, source=f"{source}#{i}" if isinstance(data, list) else source)


def _read_jsonl(path: Path) -> Iterator[Item]:
    source = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Rejected(source, f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        for lineno, line in enumerate(handle, start=1):
            where = f"{source}:{lineno}"
            if not line.strip():
                continue
            if len(line) > MAX_RECORD_BYTES:
                yield Rejected(where, f"record over {MAX_RECORD_BYTES // 1_000_000} MB: split the article")
                continue
            text = decode(line, where)
            if isinstance(text, Rejected):
                yield text
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                yield Rejected(where, f"invalid JSON: {exc.msg} (one JSON object per line)")
                continue
            yield article_from_record(record, source=where)


def article_from_record(record: object, *, source: str) -> Item:
    """An input record with the fields of DESIGN.md: text (required), title, url, outlet, published, id."""
    if not isinstance(record, dict):
        return Rejected(source, "record is not a JSON object: give {\"text\": ...}")
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        return Rejected(source, "record has no \"text\": every record needs the article text")
    published = record.get("published")
    day = None
    if published not in (None, ""):
        day = parse_published(published)
        if day is None:
            return Rejected(source, f"\"published\" is {published!r}: give an ISO date (YYYY-MM-DD) or datetime, or leave it out")
    cleaned = clean_text(body, find_title=False)
    title = record.get("title") if isinstance(record.get("title"), str) else None
    outlet = record.get("outlet") if isinstance(record.get("outlet"), str) and record.get("outlet").strip() else None
    if not cleaned.text.strip():
        return Rejected(source, "no article text left after removing captions and boilerplate")
    if day is None and cleaned.published:
        day = cleaned.published
    ext_id = record.get("id")
    if ext_id is not None and not source.endswith(f"#{ext_id}"):
        source = f"{source}#{ext_id}"
    return build_article(
        cleaned, input_id=article_id(title, body), source=source,
        title=title.strip() if title else None,
        url=record.get("url") if isinstance(record.get("url"), str) else None,
        outlet=outlet.strip() if outlet else None,
        published=day,
        published_basis="stated" if day else "unknown",
        published_note="input record" if published else cleaned.published_note,
        language=record.get("language") if isinstance(record.get("language"), str) else "en",
    )


def parse_published(value: object) -> str | None:
    """YYYY-MM-DD from an ISO date or datetime string, else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        return date.fromisoformat(value[:10]).isoformat() if len(value) >= 10 else None
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None
