"""Plain text → clean body, title, date, outlet and the blocks removed from it.

One function, :func:`clean_text`, runs numbered steps over the article's lines; each
step is a small function. What a step takes out of the body is kept in ``removed`` with
its kind, so nothing the article said is lost.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from ..model import Removed
from . import patterns as P

_MONTH_NUMBER = {
    name.lower(): i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}


@dataclass(slots=True)
class Cleaned:
    """What :func:`clean_text` found."""

    text: str
    title: str | None = None
    published: str | None = None
    published_note: str | None = None
    outlet: str | None = None
    outlet_note: str | None = None
    removed: list[Removed] = field(default_factory=list)


def normalize(text: str) -> str:
    """NFC, one kind of line break, no trailing spaces, no zero-width characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u200b", "").replace("\ufeff", "")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def clean_text(raw: str, *, find_title: bool = True) -> Cleaned:
    """Clean a plain-text article.

    1. normalise characters and split into non-empty lines;
    2. take the title from the first line when it reads as one;
    3. take a date-only line near the top as the publication date;
    4. move boilerplate, bylines, captions and bare URLs to ``removed`` (a subscription
       line names the outlet);
    5. strip a dateline or agency tag opening the first paragraph (it may give the date
       and the outlet).
    """
    lines = [line.strip() for line in normalize(raw).split("\n")]
    lines = [line for line in lines if line]
    out = Cleaned(text="")
    if find_title:
        lines = _take_title(lines, out)
    lines = _take_date_lines(lines, out)
    lines = _take_template_lines(lines, out)
    lines = _take_dateline(lines, out)
    out.text = "\n".join(lines)
    return out


def _looks_like_title(line: str) -> bool:
    words = line.split()
    if len(line) > P.TITLE_MAX_CHARS or len(words) > P.TITLE_MAX_WORDS:
        return False
    if P.DATE_LINE.match(line) or P.BARE_URL.match(line) or P.CAPTION.search(line):
        return False
    if line.endswith((".", ";", ",")) and not line.endswith(("..", "Jr.", "U.S.")):
        return False
    return True


def _take_title(lines: list[str], out: Cleaned) -> list[str]:
    """Step 2."""
    i = 0
    while i < len(lines) and (P.CAPTION.search(lines[i]) and len(lines[i]) < 400):
        i += 1  # a caption above the headline is not the headline
    if i < len(lines) and _looks_like_title(lines[i]) and len(lines) > i + 1:
        out.title = lines[i]
        return lines[:i] + lines[i + 1 :]
    return lines


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _date_of_line(line: str) -> str | None:
    m = P.DATE_LINE.match(line)
    if not m:
        return None
    if m.group("y3"):
        return _iso(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
    month = _MONTH_NUMBER.get((m.group("m1") or m.group("m2")).lower().rstrip("."))
    day = int(m.group("d1") or m.group("d2"))
    year = int(m.group("y1") or m.group("y2"))
    return _iso(year, month, day) if month else None


def _take_date_lines(lines: list[str], out: Cleaned) -> list[str]:
    """Step 3: only the first few lines can carry the article's own date."""
    kept = []
    for i, line in enumerate(lines):
        value = _date_of_line(line) if i < 4 else None
        if value is not None:
            if out.published is None:
                out.published = value
                out.published_note = f"date line {line!r}"
            out.removed.append(Removed("dateline", line))
            continue
        kept.append(line)
    return kept


def _take_template_lines(lines: list[str], out: Cleaned) -> list[str]:
    """Step 4."""
    kept = []
    for line in lines:
        if P.BARE_URL.match(line):
            out.removed.append(Removed("link", line))
        elif P.BOILERPLATE.match(line) and len(line) < 300:
            m = P.SUBSCRIBE_OUTLET.match(line)
            if m and out.outlet is None:
                out.outlet = m.group("outlet").rstrip(".,!")
                out.outlet_note = f"subscription line {line!r}"
            out.removed.append(Removed("boilerplate", line))
        elif P.BYLINE.match(line) and len(line) < 120:
            out.removed.append(Removed("byline", line))
        elif P.CAPTION.search(line) and len(line) < 400 and not _reads_as_quote(line):
            out.removed.append(Removed("caption", line))
        else:
            kept.append(line)
    return kept


def _reads_as_quote(line: str) -> bool:
    return line.count("\u201c") + line.count('"') >= 2


def _take_dateline(lines: list[str], out: Cleaned) -> list[str]:
    """Step 5: a dateline or agency tag at the start of the first body paragraph."""
    for i, line in enumerate(lines[:3]):
        tag = P.AGENCY_TAG.match(line)
        if tag:
            out.outlet = out.outlet or tag.group("outlet")
            out.outlet_note = out.outlet_note or f"agency tag {tag.group(0).strip()!r}"
            out.removed.append(Removed("dateline", tag.group(0).strip()))
            lines[i] = line[tag.end():]
            return lines
        m = P.DATELINE.match(line)
        if m and (m.group("country") or m.group("month") or m.group("outlet") or m.group("place").isupper()):
            if len(m.group("place").split()) > 4:
                continue
            if m.group("outlet"):
                out.outlet = out.outlet or m.group("outlet")
                out.outlet_note = out.outlet_note or f"dateline {m.group('dateline').strip()!r}"
            if m.group("month") and out.published is None and m.group("year"):
                month = _MONTH_NUMBER.get(m.group("month").lower())
                value = _iso(int(m.group("year")), month, int(m.group("day"))) if month else None
                if value:
                    out.published, out.published_note = value, f"dateline {m.group('dateline').strip()!r}"
            out.removed.append(Removed("dateline", m.group("dateline").strip()))
            lines[i] = line[m.end():]
            return lines
    return lines


_WS = re.compile(r"\s+")


def fingerprint_text(title: str | None, text: str) -> str:
    """The text that an article's id hashes: title and body with white space folded."""
    return _WS.sub(" ", f"{title or ''}\n{text}").strip().lower()
