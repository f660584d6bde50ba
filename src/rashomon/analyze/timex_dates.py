"""Normalisers for calendar expressions: clock times, full and partial dates, months, years,
seasons, decades, centuries, deictic days ("yesterday"), weekdays and holidays.

Each normaliser takes a :class:`Candidate` and the article's :class:`Ctx` and returns a
:class:`Norm` (or None to drop the candidate)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from . import time_lexicon as lex
from .timex_context import (
    FUTURE, PAST, Ctx, Norm, anchored_day, day_no, month_no, month_year, point, text_of, unknown,
    weekday_date, year_of,
)
from .timex_points import Point, day_point, month_point, number_value, year_point
from .timex_rules import Candidate

def _clock(c: Candidate, ctx: Ctx) -> Norm | None:
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
        return Norm("TIME", None, True)
    return Norm("TIME", f"{day.value}T{hhmm}", day.anchored)


def _day_for_time(g: dict, ctx: Ctx, c: Candidate) -> Point | None:
    if g.get("tday"):
        word = g["tday"].lower()
        if word in lex.WEEKDAYS:
            if ctx.dct is None:
                return None
            return day_point(weekday_date(lex.WEEKDAYS[word], ctx.dct, ctx.direction(c) or PAST), anchored=True)
        offs = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
        return day_point(ctx.dct + timedelta(days=offs), anchored=True) if ctx.dct else None
    if g.get("tmon"):
        return _md_point(month_no(g["tmon"]), day_no(g["tdom"]), ctx, c)
    if ctx.ref is not None and ctx.ref.grain == "day":
        return ctx.ref
    return anchored_day(ctx)


def _clock_pod(c: Candidate, ctx: Ctx) -> Norm | None:
    h = number_value(c.groups["hour"]) or 0
    if c.groups["pod"].lower() != "morning" and h < 12:
        h += 12
    day = ctx.ref if ctx.ref is not None and ctx.ref.grain == "day" else anchored_day(ctx)
    if day is None:
        return Norm("TIME", None, True)
    return Norm("TIME", f"{day.value}T{h:02d}:00", day.anchored)


def _iso(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    try:
        d = date(int(g["y"]), int(g["m"]), int(g["d"]))
    except ValueError:
        return None
    if g.get("hh"):
        return Norm("TIME", f"{d.isoformat()}T{g['hh']}:{g['mm']}", False)
    return point(day_point(d))


def _numeric(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    y = int(g["y"])
    if y < 100:
        y += 1900 if y > 30 else 2000
    try:
        return point(day_point(date(y, int(g["m"]), int(g["d"]))))
    except ValueError:
        return None


def _full_date(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    try:
        d = date(year_of(g["year"], ctx), month_no(g["mon"]), day_no(g["day"]))
    except (ValueError, TypeError):
        return None
    return point(day_point(d))


def _md_point(month: int, day: int, ctx: Ctx, c: Candidate) -> Point | None:
    if ctx.dct is None:
        return None
    rel = " ".join((c.groups.get("rel") or "").lower().split())
    if rel in ("last", "this past"):
        year = ctx.dct.year if (month, day) < (ctx.dct.month, ctx.dct.day) else ctx.dct.year - 1
    elif rel in ("next", "this coming"):
        year = ctx.dct.year if (month, day) > (ctx.dct.month, ctx.dct.day) else ctx.dct.year + 1
    else:
        year = month_year(month, ctx.dct, ctx.month_direction(c))
    try:
        return day_point(date(year, month, day), anchored=True)
    except ValueError:
        return None


def _month_day(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    try:
        month, day = month_no(g["mon"]), day_no(g["day"])
        date(2000, month, day)
    except ValueError:
        return None
    return point(_md_point(month, day, ctx, c))


def _month_year_n(c: Candidate, ctx: Ctx) -> Norm | None:
    y = year_of(c.groups["year"], ctx)
    return point(month_point(y, month_no(c.groups["mon"]))) if y else None


def _month_rel_year(c: Candidate, ctx: Ctx) -> Norm | None:
    if ctx.dct is None:
        return unknown()
    y = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[c.groups["ry"].lower()]
    return point(month_point(y, month_no(c.groups["mon"]), anchored=True))


def _season(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    code = lex.SEASONS[g["season"].lower()]
    yword = g.get("year") or g.get("year2")
    if yword:
        y = year_of(yword, ctx)
        return Norm("DATE", f"{y}-{code}", False) if y else None
    if ctx.dct is None:
        return unknown()
    rel = (g.get("rel") or "").lower()
    y = ctx.dct.year + {"last": -1, "next": 1}.get(rel, 0)
    return Norm("DATE", f"{y}-{code}", True)


def _fiscal_year(c: Candidate, ctx: Ctx) -> Norm | None:
    y = year_of(c.groups["year"], ctx)
    return point(year_point(y)) if y else None


def _decade(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    if g.get("dc"):
        return Norm("DATE", f"{g['dc']}{g['dd']}", False)
    d = int(g["ds"])
    cent = 20 if ctx.dct and ctx.dct.year >= 2000 and d * 10 <= ctx.dct.year % 100 else 19
    return Norm("DATE", f"{cent}{d}", False)


def _century(c: Candidate, ctx: Ctx) -> Norm | None:
    word = c.groups["cn"].lower()
    n = int(re.match(r"\d+", word).group(0)) if word[0].isdigit() else lex.ORDINALS.get(word, 0)
    return Norm("DATE", f"{n - 1:02d}", False) if n > 0 else None


def _year_n(c: Candidate, ctx: Ctx) -> Norm | None:
    y = year_of(c.groups["year"], ctx)
    if not y or _counts_a_noun(c, ctx):
        return None
    return point(year_point(y))


def _counts_a_noun(c: Candidate, ctx: Ctx) -> bool:
    """A bare number that modifies a later noun other than a time word or a noun years
    modify ("2015 units", not "the 2016 election"): a count, not a year (needs the parse)."""
    if ctx.doc is None or not c.groups["year"][:1].isdigit():
        return False
    span = ctx.doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span[-1]
    head = tok.head
    if tok.dep_ != "nummod" or head.i != tok.i + 1 or head.pos_ != "NOUN" or head.tag_ != "NNS":
        return False  # a count is a plural noun right after the number: "2015 units"
    if tok.i > 0 and (tok.nbor(-1).dep_ in ("det", "poss") or tok.nbor(-1).tag_ in ("DT", "PRP$", "POS")):
        return False  # "the 1987 crash", "its 1990 invasion", "that 1978 resolution": years
    word = head.lower_
    return not (word in lex.YEAR_NOUNS or word in lex.UNITS or word in lex.UNIT_PLURALS)


def _month(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    month = month_no(g["mon"])
    if ctx.dct is None:
        return unknown()
    rel = " ".join((g.get("rel") or "").lower().split())
    base = ctx.dct
    if rel in ("last", "past", "this past"):
        y = base.year - 1 if month >= base.month else base.year
    elif rel in ("next", "coming", "this coming"):
        y = base.year + 1 if month <= base.month else base.year
    elif rel == "this":
        y = base.year
    else:
        y = month_year(month, base, ctx.month_direction(c))
    return point(month_point(y, month, anchored=True))


_DEICTIC_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
                 "the day before yesterday": -2, "the day after tomorrow": 2}


def _deictic(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    word = " ".join(g["dw"].lower().split())
    if ctx.dct is None:
        return unknown("TIME" if word == "tonight" or g.get("pod") or g.get("pod0") else "DATE")
    d = ctx.dct + timedelta(days=_DEICTIC_DAYS[word])
    pod = (lex.PARTS_OF_DAY.get((g.get("pod") or g.get("pod0") or "").lower())
           or ("NI" if word == "tonight" else None))
    if pod:
        return Norm("TIME", f"{d.isoformat()}T{pod}", True, day_point(d, anchored=True))
    return point(day_point(d, anchored=True))


def _this_pod(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    if ctx.dct is None:
        return unknown("TIME")
    offs = {"this": 0, "last": -1, "yesterday": -1, "tomorrow": 1}[g["rel"].lower()]
    pod = g["pod"].lower()
    if g["rel"].lower() == "last" and pod != "night":
        return None
    d = ctx.dct + timedelta(days=offs)
    return Norm("TIME", f"{d.isoformat()}T{lex.PARTS_OF_DAY[pod]}", True, day_point(d, anchored=True))


def _weekday(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    wd = lex.WEEKDAYS[g["wd"].lower()]
    rel = " ".join((g.get("rel") or "").lower().split())
    pod = lex.PARTS_OF_DAY.get((g.get("pod") or "").lower())
    type_ = "TIME" if pod else "DATE"
    if rel in ("the previous", "the prior", "the following", "the next"):
        base = ctx.anchor()
        if base is None:
            return unknown(type_)
        d = weekday_date(wd, base.date, PAST if rel in ("the previous", "the prior") else FUTURE, strict=True)
        anchored = base.anchored
    else:
        if ctx.dct is None:
            return unknown(type_)
        if rel in ("last", "past", "this past"):
            d = weekday_date(wd, ctx.dct, PAST, strict=True)
        elif rel in ("next", "coming", "this coming"):
            d = weekday_date(wd, ctx.dct, FUTURE, strict=rel == "next")
        elif rel == "this":
            d = weekday_date(wd, ctx.dct, FUTURE)
        else:
            d = weekday_date(wd, ctx.dct, ctx.direction(c) or PAST)
        anchored = True
    p = day_point(d, anchored=anchored)
    if pod:
        return Norm("TIME", f"{d.isoformat()}T{pod}", anchored, p)
    return point(p)


def _holiday(c: Candidate, ctx: Ctx) -> Norm | None:
    if ctx.dct is None:
        return unknown()
    word = " ".join(text_of(c, ctx).lower().split())
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
    return point(day_point(d, anchored=True))


NORMALISERS = {
    "clock": _clock, "clock_pod": _clock_pod, "iso": _iso, "numeric": _numeric,
    "mdy": _full_date, "dmy": _full_date, "md": _month_day, "dm": _month_day,
    "my": _month_year_n, "m_rel_year": _month_rel_year, "season": _season,
    "fiscal_year": _fiscal_year, "decade": _decade, "century": _century, "year": _year_n,
    "month": _month, "deictic": _deictic, "this_pod": _this_pod, "weekday": _weekday,
    "holiday": _holiday,
}
