"""Time expressions: recognise them and normalise them to TimeML TIMEX3 values.

``extract_times(text, article_id, dct, doc=None)`` finds time expressions with the patterns of
:mod:`timex_rules` and gives each a TIMEX3 type and value against the article's publication
date (``dct``, YYYY-MM-DD):

1. absolute expressions ("Aug. 7, 1998", "2019", "the 1990s", "three hours") need no date;
2. deictic ones ("yesterday", "next week", "on Wednesday", "July 3") are resolved against the
   publication date, in the direction the clause's tense gives (from the spaCy parse when a
   ``doc`` is given, else from cue words around the expression);
3. anaphoric ones ("a day earlier", "the following week", "the quarter") are resolved against
   the reference time: the last date the text itself established, else the publication date.

An expression whose value depends on a publication date the article does not have keeps
``value=None`` and ``anchored=True``; :mod:`rashomon.reconcile.timeline` may give the article a
date from the rest of the story, after which the pipeline runs this again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Span, TimeExpr
from . import time_lexicon as lex
from .timex_rules import (
    Point, add_months, coarser, day_point, direction_from_text, direction_from_doc, half_point,
    backward_cue, forward_cue, iso_week, month_point, number_value, parse_date, quarter_point, shift_point, spelled_year,
    week_point, year_point, Candidate, find_candidates,
)

__all__ = ["extract_times"]

PAST, NONE, FUTURE = -1, 0, 1
# A month (and day) without a year is put in the year that makes it nearest the publication
# date (within six months) rather than in the direction of the verb's tense: on TimeBank/AQUAINT
# tense misleads for dates in noun phrases ("declared a dividend payable Dec. 7").
NEAREST_MONTHS = True
# "Nearest" leans to the past: a bare month at most this many months ahead is taken as future,
# otherwise as past (news mostly reports what happened). Tuned on TimeBank/AQUAINT (5 and 6
# score the same there; 5 keeps "in January" in an August article in the same year).
FUTURE_MONTHS = 4


@dataclass(slots=True)
class _Ctx:
    text: str
    doc: object | None
    dct: date | None
    ref: Point | None = None
    """The narrative's reference time: the last point the text established."""
    last_quarter: Point | None = None

    def direction(self, c: Candidate) -> int:
        if forward_cue(self.text, c.start):
            return FUTURE
        if backward_cue(self.text, c.start):
            return PAST
        d = direction_from_doc(self.doc, c.start, c.end) if self.doc is not None else None
        if d is None:
            d = direction_from_text(self.text, c.start, c.end)
        return d

    def month_direction(self, c: Candidate) -> int:
        """Direction for a month (and day) without a year: the tense only when the expression
        modifies the verb directly and the parse is available; otherwise nearest (NONE)."""
        if forward_cue(self.text, c.start):
            return FUTURE
        if backward_cue(self.text, c.start):
            return PAST
        if self.doc is None or not NEAREST_MONTHS:
            return NONE if NEAREST_MONTHS else self.direction(c)
        return direction_from_doc(self.doc, c.start, c.end) or NONE

    def anchor(self) -> Point | None:
        """The reference time, else the publication date (None when neither is known)."""
        if self.ref is not None:
            return self.ref
        return day_point(self.dct, anchored=True) if self.dct else None


@dataclass(frozen=True, slots=True)
class _Norm:
    type: str
    value: str | None
    anchored: bool
    point: Point | None = None
    """Set when this expression establishes a new reference time."""


def extract_times(text: str, article_id: str, dct: str | None, doc=None) -> list[TimeExpr]:
    """Time expressions of ``text`` with TIMEX3 type and value, sorted by start."""
    ctx = _Ctx(text=text, doc=doc, dct=parse_date(dct) if dct else None)
    out: list[TimeExpr] = []
    for cand in find_candidates(text):
        norm = _NORMALISERS[cand.kind](cand, ctx)
        if norm is None:
            continue
        if norm.point is not None:
            ctx.ref = norm.point
        out.append(TimeExpr(Span.of(article_id, text, cand.start, cand.end), norm.type, norm.value, norm.anchored))
    return out


# ----------------------------------------------------------------------------- helpers
def _unknown(type_: str = "DATE") -> _Norm:
    return _Norm(type_, None, True)


def _point(p: Point | None, type_: str = "DATE", *, new_ref: bool = True) -> _Norm:
    if p is None:
        return _unknown(type_)
    return _Norm(type_, p.value, p.anchored, p if new_ref else None)


def _month_no(word: str) -> int:
    return lex.MONTHS[re.sub(r"[^a-z]", "", word.lower())]


def _day_no(word: str) -> int:
    return int(re.match(r"\d+", word).group(0))


def _year(word: str, ctx: _Ctx) -> int | None:
    w = word.strip()
    if w[0] in "'’":
        yy = int(w[1:])
        base = (ctx.dct.year if ctx.dct else 1999) // 100 * 100
        y = base + yy
        return y - 100 if ctx.dct and y > ctx.dct.year + 10 else y
    if w[0].isdigit():
        return int(w)
    return spelled_year(w)


def _weekday_date(wd: int, base: date, direction: int, strict: bool = False) -> date:
    """The weekday ``wd`` nearest ``base`` in ``direction`` (same day allowed unless strict)."""
    if direction == FUTURE:
        delta = (wd - base.weekday()) % 7
        if strict and delta == 0:
            delta = 7
        return base + timedelta(days=delta)
    delta = (base.weekday() - wd) % 7
    if strict and delta == 0:
        delta = 7
    return base - timedelta(days=delta)


def _month_year(month: int, base: date, direction: int) -> int:
    """The year of the month ``month`` nearest ``base`` in ``direction``."""
    if direction == PAST:
        return base.year - 1 if month > base.month else base.year
    if direction == FUTURE:
        return base.year + 1 if month < base.month else base.year
    diff = month - base.month
    if diff > FUTURE_MONTHS:
        return base.year - 1
    if diff < -(11 - FUTURE_MONTHS):
        return base.year + 1
    return base.year


def _anchored_day(ctx: _Ctx) -> Point | None:
    return day_point(ctx.dct, anchored=True) if ctx.dct else None


# ----------------------------------------------------------------------------- normalisers
def _clock(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    clock = g["clock"].lower().replace(" ", "")
    if clock in lex.CLOCK_WORDS:
        hhmm = lex.CLOCK_WORDS[clock]
    else:
        m = re.match(r"(\d{1,2})(?:[:.](\d\d))?", clock)
        h, mi = int(m.group(1)), int(m.group(2) or 0)
        if "p" in clock and h < 12:
            h += 12
        if "a" in clock and h == 12:
            h = 0
        hhmm = f"{h:02d}:{mi:02d}"
    day = _day_for_time(g, ctx, c)
    if day is None:
        return _Norm("TIME", None, True)
    return _Norm("TIME", f"{day.value}T{hhmm}", day.anchored)


def _day_for_time(g: dict, ctx: _Ctx, c: Candidate) -> Point | None:
    if g.get("tday"):
        word = g["tday"].lower()
        if word in lex.WEEKDAYS:
            if ctx.dct is None:
                return None
            return day_point(_weekday_date(lex.WEEKDAYS[word], ctx.dct, ctx.direction(c) or PAST), anchored=True)
        offs = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
        return day_point(ctx.dct + timedelta(days=offs), anchored=True) if ctx.dct else None
    if g.get("tmon"):
        return _md_point(_month_no(g["tmon"]), _day_no(g["tdom"]), ctx, c)
    if ctx.ref is not None and ctx.ref.grain == "day":
        return ctx.ref
    return _anchored_day(ctx)


def _clock_pod(c: Candidate, ctx: _Ctx) -> _Norm | None:
    h = number_value(c.groups["hour"]) or 0
    if c.groups["pod"].lower() != "morning" and h < 12:
        h += 12
    day = ctx.ref if ctx.ref is not None and ctx.ref.grain == "day" else _anchored_day(ctx)
    if day is None:
        return _Norm("TIME", None, True)
    return _Norm("TIME", f"{day.value}T{h:02d}:00", day.anchored)


def _iso(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    try:
        d = date(int(g["y"]), int(g["m"]), int(g["d"]))
    except ValueError:
        return None
    if g.get("hh"):
        return _Norm("TIME", f"{d.isoformat()}T{g['hh']}:{g['mm']}", False)
    return _point(day_point(d))


def _numeric(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    y = int(g["y"])
    if y < 100:
        y += 1900 if y > 30 else 2000
    try:
        return _point(day_point(date(y, int(g["m"]), int(g["d"]))))
    except ValueError:
        return None


def _full_date(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    try:
        d = date(_year(g["year"], ctx), _month_no(g["mon"]), _day_no(g["day"]))
    except (ValueError, TypeError):
        return None
    return _point(day_point(d))


def _md_point(month: int, day: int, ctx: _Ctx, c: Candidate) -> Point | None:
    if ctx.dct is None:
        return None
    rel = " ".join((c.groups.get("rel") or "").lower().split())
    if rel in ("last", "this past"):
        year = ctx.dct.year if (month, day) < (ctx.dct.month, ctx.dct.day) else ctx.dct.year - 1
    elif rel in ("next", "this coming"):
        year = ctx.dct.year if (month, day) > (ctx.dct.month, ctx.dct.day) else ctx.dct.year + 1
    else:
        year = _month_year(month, ctx.dct, ctx.month_direction(c))
    try:
        return day_point(date(year, month, day), anchored=True)
    except ValueError:
        return None


def _month_day(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    try:
        month, day = _month_no(g["mon"]), _day_no(g["day"])
        date(2000, month, day)
    except ValueError:
        return None
    return _point(_md_point(month, day, ctx, c))


def _month_year_n(c: Candidate, ctx: _Ctx) -> _Norm | None:
    y = _year(c.groups["year"], ctx)
    return _point(month_point(y, _month_no(c.groups["mon"]))) if y else None


def _month_rel_year(c: Candidate, ctx: _Ctx) -> _Norm | None:
    if ctx.dct is None:
        return _unknown()
    y = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[c.groups["ry"].lower()]
    return _point(month_point(y, _month_no(c.groups["mon"]), anchored=True))


def _recent_units(c: Candidate, ctx: _Ctx) -> _Norm | None:
    unit = lex.UNIT_PLURALS[c.groups["u"].lower()]
    return _Norm("DURATION", f"PX{lex.UNITS[unit][0]}", False)


def _quarter(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    qn_word = g["qn"].lower()
    half = g["qu"].lower() == "half"
    if qn_word == "last":
        n = 2 if half else 4
    else:
        n = lex.ORDINALS[qn_word]
        if n > (2 if half else 4):
            return None
    qadj, qdet = (g.get("qadj") or "").lower(), (g.get("qdet") or "").lower()
    anchored = False
    yword = g.get("qy") or g.get("qy2") or g.get("qy0")
    if yword and yword[0].isdigit():
        year = int(yword)
    elif ctx.dct is None:
        return _unknown()
    else:
        anchored = True
        year = ctx.dct.year
        if yword:
            year += {"this": 0, "last": -1, "next": 1}[yword.split()[0].lower()]
        elif "last year" in qdet:
            year -= 1
        elif "next year" in qdet:
            year += 1
        elif "year-ago" in qadj or "year-earlier" in qadj or "year-before" in qadj:
            year = (ctx.last_quarter.date.year if ctx.last_quarter else ctx.dct.year) - 1
        else:
            cur = (ctx.dct.month - 1) // (6 if half else 3) + 1
            d = ctx.direction(c)
            if n > cur and d != FUTURE:
                year -= 1
    p = half_point(year, n, anchored) if half else quarter_point(year, n, anchored)
    if not half:
        ctx.last_quarter = p
    return _point(p)


def _year_period(c: Candidate, ctx: _Ctx) -> _Norm | None:
    y = int(c.groups["year"])
    if c.groups["qu"].lower() == "half":
        return _Norm("DATE", str(y), False)
    if ctx.last_quarter is not None:
        return _Norm("DATE", f"{y}-Q{(ctx.last_quarter.date.month - 1) // 3 + 1}", False)
    return _Norm("DATE", str(y), False)


def _quarter_ana(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    qadj, qdet = " ".join((g.get("qadj") or "").lower().split()), g["qdet"].lower()
    if g["qu"].lower() == "period" and not qadj:
        return None
    if ctx.dct is None and ctx.last_quarter is None:
        return _unknown()
    if ctx.dct is not None:
        cur = quarter_point(ctx.dct.year, (ctx.dct.month - 1) // 3 + 1, True)
        prev = shift_point(cur, -1, "quarter")
    else:
        cur = prev = ctx.last_quarter
    base = ctx.last_quarter or prev
    if g.get("qend") and ctx.dct is not None:
        m = _month_no(g["qend"])
        y = ctx.dct.year if m <= ctx.dct.month else ctx.dct.year - 1
        base = quarter_point(y, (m - 1) // 3 + 1, True)
        ctx.last_quarter = base
    if g.get("qend") and ctx.dct is not None and qdet != "next":
        p = base
    elif "current" in qadj or qdet == "this":
        p = cur
    elif qdet == "next":
        p = shift_point(cur, 1, "quarter")
    elif qdet == "last" or "previous" in qadj:
        p = prev
    else:
        p = base
    if any(w in qadj for w in ("year-ago", "year-earlier", "year-before")) or g.get("qago"):
        p = shift_point(base, -4, "quarter")
    return _point(p, new_ref=False)


def _season(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    code = lex.SEASONS[g["season"].lower()]
    yword = g.get("year") or g.get("year2")
    if yword:
        y = _year(yword, ctx)
        return _Norm("DATE", f"{y}-{code}", False) if y else None
    if ctx.dct is None:
        return _unknown()
    rel = (g.get("rel") or "").lower()
    y = ctx.dct.year + {"last": -1, "next": 1}.get(rel, 0)
    return _Norm("DATE", f"{y}-{code}", True)


def _fiscal_year(c: Candidate, ctx: _Ctx) -> _Norm | None:
    y = _year(c.groups["year"], ctx)
    return _point(year_point(y)) if y else None


def _decade(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    if g.get("dc"):
        return _Norm("DATE", f"{g['dc']}{g['dd']}", False)
    d = int(g["ds"])
    cent = 20 if ctx.dct and ctx.dct.year >= 2000 and d * 10 <= ctx.dct.year % 100 else 19
    return _Norm("DATE", f"{cent}{d}", False)


def _century(c: Candidate, ctx: _Ctx) -> _Norm | None:
    word = c.groups["cn"].lower()
    n = int(re.match(r"\d+", word).group(0)) if word[0].isdigit() else lex.ORDINALS.get(word, 0)
    return _Norm("DATE", f"{n - 1:02d}", False) if n > 0 else None


def _year_n(c: Candidate, ctx: _Ctx) -> _Norm | None:
    y = _year(c.groups["year"], ctx)
    return _point(year_point(y)) if y else None


def _month(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    month = _month_no(g["mon"])
    if ctx.dct is None:
        return _unknown()
    rel = " ".join((g.get("rel") or "").lower().split())
    base = ctx.dct
    if rel in ("last", "past", "this past"):
        y = base.year - 1 if month >= base.month else base.year
    elif rel in ("next", "coming", "this coming"):
        y = base.year + 1 if month <= base.month else base.year
    elif rel == "this":
        y = base.year
    else:
        y = _month_year(month, base, ctx.month_direction(c))
    return _point(month_point(y, month, anchored=True))


_DEICTIC_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
                 "the day before yesterday": -2, "the day after tomorrow": 2}


def _deictic(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    word = " ".join(g["dw"].lower().split())
    if ctx.dct is None:
        return _unknown("TIME" if word == "tonight" or g.get("pod") or g.get("pod0") else "DATE")
    d = ctx.dct + timedelta(days=_DEICTIC_DAYS[word])
    pod = (lex.PARTS_OF_DAY.get((g.get("pod") or g.get("pod0") or "").lower())
           or ("NI" if word == "tonight" else None))
    if pod:
        return _Norm("TIME", f"{d.isoformat()}T{pod}", True, day_point(d, anchored=True))
    return _point(day_point(d, anchored=True))


def _this_pod(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    if ctx.dct is None:
        return _unknown("TIME")
    offs = {"this": 0, "last": -1, "yesterday": -1, "tomorrow": 1}[g["rel"].lower()]
    pod = g["pod"].lower()
    if g["rel"].lower() == "last" and pod != "night":
        return None
    d = ctx.dct + timedelta(days=offs)
    return _Norm("TIME", f"{d.isoformat()}T{lex.PARTS_OF_DAY[pod]}", True, day_point(d, anchored=True))


def _weekday(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    wd = lex.WEEKDAYS[g["wd"].lower()]
    rel = " ".join((g.get("rel") or "").lower().split())
    pod = lex.PARTS_OF_DAY.get((g.get("pod") or "").lower())
    type_ = "TIME" if pod else "DATE"
    if rel in ("the previous", "the prior", "the following", "the next"):
        base = ctx.anchor()
        if base is None:
            return _unknown(type_)
        d = _weekday_date(wd, base.date, PAST if rel in ("the previous", "the prior") else FUTURE, strict=True)
        anchored = base.anchored
    else:
        if ctx.dct is None:
            return _unknown(type_)
        if rel in ("last", "past", "this past"):
            d = _weekday_date(wd, ctx.dct, PAST, strict=True)
        elif rel in ("next", "coming", "this coming"):
            d = _weekday_date(wd, ctx.dct, FUTURE, strict=rel == "next")
        elif rel == "this":
            d = _weekday_date(wd, ctx.dct, FUTURE)
        else:
            d = _weekday_date(wd, ctx.dct, ctx.direction(c) or PAST)
        anchored = True
    p = day_point(d, anchored=anchored)
    if pod:
        return _Norm("TIME", f"{d.isoformat()}T{pod}", anchored, p)
    return _point(p)


_TO_DCT = ("ago", "from now", "hence", "back")


def _ago(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    unit = lex.UNIT_PLURALS.get(g["u"].lower(), g["u"].lower())
    direction = " ".join(g["dir"].lower().split())
    sign = 1 if direction in ("later", "after", "from now", "hence", "after that") else -1
    n = number_value(g["q"])
    if n is None:  # "several years ago"
        return _Norm("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", False)
    if unit in ("hour", "minute", "second"):
        return _Norm("DURATION", f"PT{n}{lex.UNITS[unit][0]}", False)
    if direction in _TO_DCT:
        base = _anchored_day(ctx)
    else:
        base = ctx.anchor()
    if unit == "year" and n == 1 and ctx.last_quarter is not None:
        base = ctx.last_quarter
    if base is None:
        return _unknown()
    grain = {"day": "day", "night": "day", "week": "week", "weekend": "week", "fortnight": "week",
             "month": "month", "quarter": "quarter", "year": "year", "decade": "year", "century": "year"}[unit]
    if base.grain != "quarter" and coarser(base.grain, grain):
        base = _anchored_day(ctx)  # "a day earlier" after "in 2019": the year cannot anchor a day
        if base is None:
            return _unknown()
    if unit == "year" and base.grain == "quarter":
        return _point(shift_point(base, -4 * n if sign < 0 else 4 * n, "quarter"), new_ref=False)
    amount = n * {"decade": 10, "century": 100, "fortnight": 2}.get(unit, 1) * sign
    p = shift_point(base, amount, {"night": "day", "weekend": "week", "fortnight": "week",
                                    "decade": "year", "century": "year"}.get(unit, unit), grain=grain)
    return _point(p, new_ref=False)


def _rel_unit(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    rel = " ".join(g["rel"].lower().split())
    unit = " ".join(g["u"].lower().split())
    if ctx.dct is None:
        return _unknown()
    step = {"last": -1, "past": -1, "this past": -1, "next": 1, "coming": 1, "this coming": 1}.get(rel, 0)
    d = ctx.dct
    if unit == "week":
        return _point(shift_point(week_point(d, True), step, "week"))
    if unit == "weekend":
        p = shift_point(week_point(d, True), step, "week")
        return _Norm("DATE", f"{p.value}-WE", True)
    if unit == "month":
        return _point(month_point(*add_months(d.year, d.month, step), anchored=True))
    if unit in ("year", "fiscal year"):
        return _point(year_point(d.year + step, anchored=True))
    if unit == "quarter":
        p = shift_point(quarter_point(d.year, (d.month - 1) // 3 + 1, True), step, "quarter")
        ctx.last_quarter = p
        return _point(p)
    if unit in ("decade", "century") and rel == "past":
        return _Norm("DURATION", "P10Y" if unit == "decade" else "P100Y", False)
    if unit == "decade":
        return _Norm("DATE", str(d.year // 10 + step), True)
    if unit == "century":
        return _Norm("DATE", f"{d.year // 100 + step:02d}", True)
    return None


def _ana_unit(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    ana = " ".join(g["ana"].lower().split())
    unit = g["u"].lower()
    if unit == "time":
        return _Norm("DATE", "PAST_REF", False) if ana in ("that", "the") else None
    if ana == "the" and unit != "day" and c.groups.get("mod"):
        base = _anchored_day(ctx) or ctx.anchor()
        return _point(shift_point(base, 0, "day", grain=unit), new_ref=False) if base else _unknown()
    if ana == "the" and unit != "day":
        return _Norm("DURATION", f"P1{lex.UNITS[unit][0]}", False)
    base = ctx.anchor()
    if base is None:
        return _unknown()
    step = {"the previous": -1, "the prior": -1, "the following": 1, "the next": 1}.get(ana, 0)
    ba = (c.groups.get("ba") or "").strip().lower()
    if ba:
        step = -1 if ba == "before" else 1
    grain = {"day": "day", "week": "week", "month": "month", "year": "year"}[unit]
    return _point(shift_point(base, step, grain, grain=grain), new_ref=False)


def _weekend(c: Candidate, ctx: _Ctx) -> _Norm | None:
    if ctx.dct is None:
        return _unknown()
    det = " ".join(c.groups["wdet"].lower().split())
    d = ctx.dct
    if det in ("next",):
        d += timedelta(days=7)
    elif det == "this":
        pass
    else:  # the / last / over the / this past: the most recent weekend
        d -= timedelta(days=(d.weekday() + 2) % 7 if d.weekday() < 5 else 0)
        if det == "last" and ctx.dct.weekday() >= 5:
            d -= timedelta(days=7)
    return _Norm("DATE", f"{iso_week(d)}-WE", True)


def _year_ago_adj(c: Candidate, ctx: _Ctx) -> _Norm | None:
    word = " ".join(c.groups["ya"].lower().split())
    if ctx.dct is None:
        return _unknown()
    if word in ("year-end", "year end"):
        return _Norm("DATE", f"{ctx.dct.year}-12-31", True)
    if word in ("month-end",):
        return _Norm("DATE", f"{ctx.dct.year}-{ctx.dct.month:02d}", True)
    if word == "quarter-end":
        return None
    if ctx.last_quarter is not None:
        return _point(shift_point(ctx.last_quarter, -4, "quarter"), new_ref=False)
    return _point(year_point(ctx.dct.year - 1, anchored=True), new_ref=False)


def _set_adv(c: Candidate, ctx: _Ctx) -> _Norm | None:
    return _Norm("SET", lex.SET_ADVERBS[_text(c, ctx).lower()], False)


def _text(c: Candidate, ctx: _Ctx) -> str:
    return ctx.text[c.start : c.end]


def _set_every(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    su = g["su"].lower().rstrip(".")
    n = 2 if g.get("other") else (number_value(g["n"]) if g.get("n") else 1)
    if su in lex.WEEKDAYS:
        return _Norm("SET", f"XXXX-WXX-{lex.WEEKDAYS[su] + 1}", False)
    if re.sub(r"[^a-z]", "", su) in lex.MONTHS:
        return _Norm("SET", f"XXXX-{_month_no(su):02d}", False)
    if su in lex.SEASONS:
        return _Norm("SET", f"XXXX-{lex.SEASONS[su]}", False)
    unit = lex.UNIT_PLURALS.get(su, su)
    letter, is_time = lex.UNITS[unit]
    return _Norm("SET", f"P{'T' if is_time else ''}{n}{letter}", False)


def _set_a(c: Candidate, ctx: _Ctx) -> _Norm | None:
    letter, is_time = lex.UNITS[c.groups["su"].lower()]
    return _Norm("SET", f"P{'T' if is_time else ''}1{letter}", False)


def _duration(c: Candidate, ctx: _Ctx) -> _Norm | None:
    g = c.groups
    unit = lex.UNIT_PLURALS.get(g["u"].lower(), g["u"].lower())
    letter, is_time = lex.UNITS[unit]
    if unit == "weekend":
        return None
    q = " ".join(g["q"].lower().split())
    half = "and a half" in _text(c, ctx).lower()
    n = number_value(q)
    if n is None or re.search(r"\s(to|or)\s|\d-\d", q):
        count = "X"
    else:
        if unit == "fortnight":
            n, letter = n * lex.FORTNIGHT_WEEKS, "W"
        if half or re.search(r"\d/\d", q):
            return _Norm("DURATION", _fraction(n, q, unit, half), False)
        count = str(n)
        if unit in ("decade", "century"):
            count, letter = str(n * (10 if unit == "decade" else 100)), "Y"
    return _Norm("DURATION", f"P{'T' if is_time else ''}{count}{letter}", False)


def _fraction(n: int, q: str, unit: str, half: bool) -> str:
    """'5 1/2 hours' → PT5H30M; 'a minute and a half' → PT1M30S; 'two and a half years' → P2.5Y."""
    letter, is_time = lex.UNITS[unit]
    sub = {"hour": ("M", 30), "minute": ("S", 30), "day": ("H", 12)}
    if unit in sub:
        sl, sv = sub[unit]
        t = "T" if is_time or unit == "day" else ""
        return f"P{n}D" + f"T{sv}H" if unit == "day" else f"P{t}{n}{letter}{sv}{sl}"
    if unit == "year":
        return f"P{n}Y6M"
    if unit == "month":
        return f"P{n}M15D"
    return f"P{n}.5{letter}"


def _duration_bare(c: Candidate, ctx: _Ctx) -> _Norm | None:
    unit = lex.UNIT_PLURALS[c.groups["u"].lower()]
    letter, is_time = lex.UNITS[unit]
    return _Norm("DURATION", f"P{'T' if is_time else ''}X{letter}", False)


def _holiday(c: Candidate, ctx: _Ctx) -> _Norm | None:
    if ctx.dct is None:
        return _unknown()
    word = " ".join(_text(c, ctx).lower().split())
    word = re.sub(r"^(last|this|next)\s+", "", word)

    def on(y: int) -> date:
        if c.groups.get("thanks"):
            nov1 = date(y, 11, 1)
            return nov1 + timedelta(days=(3 - nov1.weekday()) % 7 + 21)
        mm, dd = lex.HOLIDAYS[word].split("-")
        return date(y, int(mm), int(dd))

    d = on(ctx.dct.year)
    if d > ctx.dct and (ctx.direction(c) != FUTURE or (d - ctx.dct).days > 183):
        d = on(ctx.dct.year - 1)
    return _point(day_point(d, anchored=True))


def _ref(c: Candidate, ctx: _Ctx) -> _Norm | None:
    word = " ".join(_text(c, ctx).lower().split())
    return _Norm("DATE", lex.REF_WORDS[word], False)


_NORMALISERS = {
    "clock": _clock, "clock_pod": _clock_pod, "iso": _iso, "numeric": _numeric,
    "mdy": _full_date, "dmy": _full_date, "md": _month_day, "dm": _month_day,
    "my": _month_year_n, "year_period": _year_period, "m_rel_year": _month_rel_year, "recent_units": _recent_units, "ana_next": _ana_unit,
    "coming_units": lambda c, ctx: _Norm("DATE", "FUTURE_REF", False), "quarter": _quarter, "quarter_ana": _quarter_ana, "season": _season,
    "fiscal_year": _fiscal_year, "decade": _decade, "century": _century, "year": _year_n,
    "month": _month, "deictic": _deictic, "this_pod": _this_pod, "weekday": _weekday,
    "ago": _ago, "rel_unit": _rel_unit, "ana_unit": _ana_unit, "weekend": _weekend,
    "year_ago_adj": _year_ago_adj, "set_adv": _set_adv, "set_every": _set_every, "set_a": _set_a,
    "duration": _duration, "duration_bare": _duration_bare, "holiday": _holiday, "ref": _ref,
}
