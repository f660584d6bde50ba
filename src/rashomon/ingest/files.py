"""Files and folders → Articles (or Rejected inputs, with the reason and the fix).

Folders are walked lazily in sorted order, so a 100,000-file folder never sits in memory;
``.jsonl`` files are read a line at a time; a file over :data:`MAX_FILE_BYTES` is refused
rather than read (``.jsonl`` excepted: its limit is per record).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from dataclasses import replace
from pathlib import Path

from ..errors import PathNotFound
from ..model import Article, Rejected, Removed, Span
from .clean import Cleaned, clean_text, fingerprint_text
from .foreign import stated_date
from .lang import english_like, identify

MAX_FILE_BYTES = 10 * 1024 * 1024
"""One article file larger than this is refused (split it, or use .jsonl)."""
MAX_RECORD_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
RECORD_SUFFIXES = {".json", ".jsonl", ".ndjson"}
PDF_SUFFIXES = {".pdf"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES | PDF_SUFFIXES
MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects read from JSON; an article record is two deep."""
MAX_ARTICLE_WORDS = 20_000
MAX_ARTICLE_CHARS = 150_000
"""An article's text is cut (at a paragraph or sentence end) after this many words or
characters, and the cut is noted in ``removed``. Not tuned on any article: long-form news
runs to about 15,000 words; analysis costs 2.5-5 ms a word on one busy core, linear in
length (benchmarks/hostile.py, docs/bench/reliability.md), so the cap bounds one article
at one to two minutes. 150,000 characters is 20,000 words of 7.5 characters with spaces."""
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
"""Byte-order marks of the encodings recognised besides UTF-8 (UTF-32 first: its LE mark
starts with UTF-16's)."""

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
    language = identify(fields.get("title"), cleaned.text, fields.pop("language", None))
    if not fields.get("published") and not english_like(language.code):
        found = stated_date(cleaned.text, cleaned.removed, language.code)
        if found:
            fields.update(published=found[0], published_basis="stated", published_note=found[1])
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
        language=language.code,
        language_basis=language.basis,
        **fields,
    )


def stated_span(article: str, text: str, words: str | None) -> Span | None:
    """Where ``words`` stand in ``text`` (None when they were removed as furniture)."""
    if not words:
        return None
    at = text.find(words)
    return Span.of(article, text, at, at + len(words)) if at >= 0 else None


def display_path(path: str | os.PathLike) -> str:
    """A path as text that can be shown and stored: bytes that are not UTF-8 are escaped (``\\xe9``)."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def iter_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Every article file under ``paths``, in a stable order. Missing paths raise."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise PathNotFound(display_path(raw))
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
    source = display_path(path)
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
    """Text (UTF-8, or UTF-16/32 with a byte-order mark), or a rejection saying why the bytes are not an article."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                return Rejected(source, f"not valid {encoding.upper()} text (byte {exc.start}) although it starts "
                                        "with its byte-order mark: convert it, e.g. iconv -t UTF-8")
            break
    else:
        if b"\x00" in data[:8192]:
            return Rejected(source, "binary file (contains NUL bytes): give a text, HTML or JSON article")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return Rejected(source, f"not UTF-8 text (byte {exc.start}): convert it, e.g. iconv -t UTF-8")
    if not text.strip():
        return Rejected(source, "file holds only white space: nothing to read")
    return text


def loads(text: str) -> object:
    """``json.loads`` with a nesting limit (:data:`MAX_JSON_DEPTH`): raises ``ValueError``
    (a ``json.JSONDecodeError`` for bad JSON) instead of exhausting the stack."""
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and json_depth(text) > MAX_JSON_DEPTH:
        raise ValueError(f"JSON nested more than {MAX_JSON_DEPTH} deep: an article record is an object "
                         "of strings, or a list of such objects")
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError(f"JSON nested too deep to read (limit {MAX_JSON_DEPTH})") from None


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in ``text`` (strings skipped; a linear scan)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = deepest = 0
    for char in brackets:
        depth += 1 if char in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def cap_article(article: Article) -> Article:
    """The article with its text cut at :data:`MAX_ARTICLE_WORDS` / :data:`MAX_ARTICLE_CHARS`
    (after a paragraph or sentence end) and the cut noted in ``removed``; unchanged when shorter."""
    text = article.text
    limit = min(len(text), MAX_ARTICLE_CHARS)
    words = 0
    for words, match in enumerate(re.finditer(r"\S+", text[:limit]), start=1):
        if words > MAX_ARTICLE_WORDS:
            limit = match.start()
            break
    if limit >= len(text):
        return article
    from ..analyze.pieces import cut_points

    cut = cut_points(text[:limit + 1], limit)[1]
    kept, rest = text[:cut].rstrip(), text[cut:]
    note = (f"text cut at the per-article cap ({MAX_ARTICLE_WORDS:,} words or {MAX_ARTICLE_CHARS:,} characters): "
            f"the last {len(rest.split()):,} words ({len(rest):,} characters) were not read, from "
            f"{rest.strip()[:60]!r}")
    spans_ok = all(span is None or span.end <= len(kept) for span in (article.outlet_span, article.origin_span))
    return replace(article, id=article_id(article.title, kept), text=kept,
                   removed=article.removed + (Removed("other", note),),
                   **({} if spans_ok else {"outlet_span": None, "origin_span": None}))


def article_from_text(raw: str, *, source: str) -> Item:
    """A plain-text article: title, date and outlet where the text states them."""
    return article_from_cleaned(clean_text(raw), raw, source=source,
                                empty="no article text left after removing title, captions and boilerplate")


def article_from_cleaned(cleaned: Cleaned, raw: str, *, source: str, empty: str) -> Item:
    """An article from a cleaner's result (its id the hash of ``raw``, the input), or ``empty``
    as the reason when nothing of the report is left."""
    if not cleaned.text.strip():
        return Rejected(source, empty)
    return build_article(
        cleaned, input_id=article_id(None, raw), source=source,
        title=cleaned.title,
        published=cleaned.published,
        published_basis="stated" if cleaned.published else "unknown",
        published_note=cleaned.published_note,
    )


# ----------------------------------------------------------------------------- records


def _read_json(text: str, source: str) -> Iterator[Item]:
    try:
        data = loads(text)
    except json.JSONDecodeError as exc:
        yield Rejected(source, f"invalid JSON at line {exc.lineno}: {exc.msg}")
        return
    except ValueError as exc:
        yield Rejected(source, str(exc))
        return
    records = data if isinstance(data, list) else [data]
    for i, record in enumerate(records):
        yield article_from_record(record, source=f"{source}#{i}" if isinstance(data, list) else source)


def _read_jsonl(path: Path) -> Iterator[Item]:
    source = display_path(path)
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
                record = loads(text)
            except json.JSONDecodeError as exc:
                yield Rejected(where, f"invalid JSON: {exc.msg} (one JSON object per line)")
                continue
            except ValueError as exc:
                yield Rejected(where, str(exc))
                continue
            yield article_from_record(record, source=where)


def article_from_record(record: object, *, source: str) -> Item:
    """An input record with the fields of DESIGN.md: text (required), title, url, outlet, published, id."""
    if not isinstance(record, dict):
        return Rejected(source, "record is not a JSON object: give {\"text\": ...}")
    record = {key: _no_surrogates(value) if isinstance(value, str) else value for key, value in record.items()}
    body = record.get("text")
    if body is not None and not isinstance(body, str):
        return Rejected(source, f"record's \"text\" is a JSON {_json_type(body)}, not a string: "
                                "give the article text as one string")
    if not isinstance(body, str) or not body.strip():
        return Rejected(source, "record has no \"text\": every record needs the article text")
    published = record.get("published")
    day = None
    bad_date = None
    if published not in (None, ""):
        day = parse_published(published)
        if day is None:  # the record is kept, with the date unknown and a note saying why
            bad_date = f"input \"published\" {str(published)[:40]!r} is not an ISO date (YYYY-MM-DD) or datetime"
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
        published_note=(f"{bad_date}; {'the date the text states is used' if day else 'date unknown'}" if bad_date
                        else "input record" if published else cleaned.published_note),
        language=record.get("language"),
    )


def _no_surrogates(value: str) -> str:
    """A JSON string with lone surrogates (``"\\ud800"``, valid JSON but not text) replaced by U+FFFD."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in value)


def _json_type(value: object) -> str:
    return {dict: "object", list: "array", bool: "boolean", int: "number", float: "number"}.get(type(value), "value")


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
