"""Publication dates stated in other languages, read with ``dateparser`` in the article's language.

The cleaner's date patterns (``patterns.DATE_LINE``, ``patterns.DATELINE``) read English month
names. For an article identified in another language that they left undated, this reads the
date its dateline or a short date line states ("7 августа 2025 года", "Berlin, 7. August 2025
(dpa) -", "Publié le 7 août 2025"): day, month and year must all be stated (dateparser's
strict parsing), so a weekday or a bare "Tuesday" is never turned into a date.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Removed

DATE_LINE_MAX_CHARS = 80
"""A line of the text is a candidate date line when it is this short (a publication line;
set by hand, as ``patterns.TITLE_MAX_CHARS`` is for titles)."""
LINES_READ = 3
"""Only the first lines of the text are read for a date line (where pages put it)."""
DATELINE_CHARS = 200
"""How much of a removed dateline is searched."""

_SETTINGS = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
             "RETURN_AS_TIMEZONE_AWARE": False}


def candidates(text: str, removed: Iterable[Removed]) -> list[str]:
    """Where a stated date may be: the datelines the cleaner removed, then short first lines."""
    out = [r.text[:DATELINE_CHARS] for r in removed if r.kind == "dateline"]
    lines = [line.strip() for line in text.splitlines() if line.strip()][:LINES_READ]
    out += [line for line in lines if len(line) <= DATE_LINE_MAX_CHARS and any(ch.isdigit() for ch in line)]
    return out


def stated_date(text: str, removed: Iterable[Removed], language: str) -> tuple[str, str] | None:
    """(YYYY-MM-DD, note) of the first full date the dateline or a date line states, read in
    ``language``; None when none does."""
    from dateparser.search import search_dates

    for candidate in candidates(text, removed):
        try:
            found = search_dates(candidate, languages=[language], settings=_SETTINGS)
        except Exception:  # dateparser raises on some inputs in some languages; the date stays unknown
            continue
        for words, moment in found or ():
            if any(ch.isdigit() for ch in words) and 1900 <= moment.year <= 2100:
                return moment.date().isoformat(), f"date {words!r} read as {language} in {candidate[:60]!r}"
    return None
