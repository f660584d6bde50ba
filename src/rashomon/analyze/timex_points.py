"""Calendar points for time expressions: a period's first day, granularity and TIMEX3 value,
with the arithmetic the normalisers need (shifting by units, ISO weeks, spelled numbers)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from . import time_lexicon as lex

_GRAINS = ("day", "week", "month", "quarter", "half", "year")


@dataclass(frozen=True, slots=True)
class Point:
    """A calendar period: its first day, its granularity and its TIMEX3 value."""

    date: date
    grain: str
    value: str
    anchored: bool = False
    """True when it was computed from the publication date."""


def parse_date(value: str) -> date:
    """``YYYY-MM-DD`` (or a datetime starting with it) → date; a clear error otherwise."""
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError as exc:
        raise ValueError(f"publication date {value!r} is not an ISO date (YYYY-MM-DD)") from exc


def iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def day_point(d: date, anchored: bool = False) -> Point:
    return Point(d, "day", d.isoformat(), anchored)


def week_point(d: date, anchored: bool = False) -> Point:
    return Point(d - timedelta(days=d.weekday()), "week", iso_week(d), anchored)


def month_point(y: int, m: int, anchored: bool = False) -> Point:
    return Point(date(y, m, 1), "month", f"{y:04d}-{m:02d}", anchored)


def quarter_point(y: int, q: int, anchored: bool = False) -> Point:
    return Point(date(y, 3 * (q - 1) + 1, 1), "quarter", f"{y:04d}-Q{q}", anchored)


def half_point(y: int, h: int, anchored: bool = False) -> Point:
    return Point(date(y, 6 * (h - 1) + 1, 1), "half", f"{y:04d}-H{h}", anchored)


def year_point(y: int, anchored: bool = False) -> Point:
    return Point(date(y, 1, 1), "year", f"{y:04d}", anchored)


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def coarser(a: str, b: str) -> bool:
    """Whether granularity ``a`` is coarser than ``b``."""
    return _GRAINS.index(a) > _GRAINS.index(b)


def render(d: date, grain: str, anchored: bool) -> Point:
    if grain == "day":
        return day_point(d, anchored)
    if grain == "week":
        return week_point(d, anchored)
    if grain == "month":
        return month_point(d.year, d.month, anchored)
    if grain == "quarter":
        return quarter_point(d.year, (d.month - 1) // 3 + 1, anchored)
    if grain == "half":
        return half_point(d.year, (d.month - 1) // 6 + 1, anchored)
    return year_point(d.year, anchored)


def shift_point(p: Point, amount: int, unit: str, grain: str | None = None) -> Point:
    """``p`` moved by ``amount`` units (day, week, month, quarter, year), shown at ``grain``."""
    d = p.date
    if unit == "day":
        d2 = d + timedelta(days=amount)
    elif unit == "week":
        d2 = d + timedelta(days=7 * amount)
    elif unit in ("month", "quarter", "half", "year"):
        y, m = add_months(d.year, d.month, amount * {"month": 1, "quarter": 3, "half": 6, "year": 12}[unit])
        d2 = date(y, m, min(d.day, calendar.monthrange(y, m)[1]))
    else:
        raise ValueError(f"unknown unit {unit!r}")
    return render(d2, grain or p.grain, p.anchored)


def number_value(q: str | None) -> int | None:
    """'three' → 3, '16' → 16, 'twenty-five' → 25, 'a couple of' → 2; None for vague counts."""
    if not q:
        return None
    q = " ".join(q.lower().replace("-", " ").split())
    m = re.match(r"(\d+(?:,\d{3})*)", q)
    if m:
        return int(m.group(1).replace(",", ""))
    if q in lex.NUMBER_WORDS:
        return lex.NUMBER_WORDS[q]
    total = 0
    for word in q.split():
        if word not in lex.NUMBER_WORDS or word in ("a", "an"):
            return None
        total += lex.NUMBER_WORDS[word]
    return total or None


def spelled_year(words: str) -> int | None:
    """'nineteen ninety-seven' → 1997, 'the year two thousand' → 2000."""
    ws = " ".join(words.lower().replace("-", " ").split()).replace("the year ", "")
    if ws.startswith("two thousand"):
        rest = ws[len("two thousand"):].replace("and", "").strip()
        return 2000 + (number_value(rest) or 0 if rest else 0)
    if ws.startswith("nineteen "):
        rest = number_value(ws[len("nineteen "):])
        return 1900 + rest if rest is not None and rest < 100 else None
    return None
