"""Normalisers for relative, anaphoric and non-point expressions: quarters and halves,
"three weeks ago", "next month", "the following day", weekends, durations, sets ("every
week") and the PAST_REF/PRESENT_REF/FUTURE_REF words."""

from __future__ import annotations

import re
from datetime import timedelta

from . import time_lexicon as lex
from .timex_context import FUTURE, Ctx, Norm, anchored_day, month_no, point, text_of, unknown
from .timex_points import (
    add_months, coarser, half_point, iso_week, month_point, number_value, quarter_point, shift_point,
    week_point, year_point,
)
from .timex_rules import Candidate

def _recent_units(c: Candidate, ctx: Ctx) -> Norm | None:
    """"recent weeks", "the coming months": a vague duration (PXW, PXM)."""
    unit = lex.UNIT_PLURALS[c.groups["u"].lower()]
    return Norm("DURATION", f"PX{lex.UNITS[unit][0]}", False)


def _quarter(c: Candidate, ctx: Ctx) -> Norm | None:
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
        return unknown()
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
    if not half and (ctx.dct is None or p.date < quarter_point(ctx.dct.year, (ctx.dct.month - 1) // 3 + 1).date):
        ctx.last_quarter = p  # only a completed quarter is what "the quarter"/"a year ago" refer to
    return point(p)


def _year_period(c: Candidate, ctx: Ctx) -> Norm | None:
    y = int(c.groups["year"])
    if c.groups["qu"].lower() == "half":
        return Norm("DATE", str(y), False)
    if ctx.last_quarter is not None:
        return Norm("DATE", f"{y}-Q{(ctx.last_quarter.date.month - 1) // 3 + 1}", False)
    return Norm("DATE", str(y), False)


# "the latest quarter": the last quarter completed before the publication date, whatever
# quarter was mentioned last (a forecast for the next one often comes first). TimeBank.
_LATEST = ("latest", "most recent", "just-ended", "just ended")


def _quarter_ana(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    qadj, qdet = " ".join((g.get("qadj") or "").lower().split()), g["qdet"].lower()
    if g["qu"].lower() == "period" and not qadj:
        return None
    if ctx.dct is None and ctx.last_quarter is None:
        return unknown()
    if ctx.dct is not None:
        cur = quarter_point(ctx.dct.year, (ctx.dct.month - 1) // 3 + 1, True)
        prev = shift_point(cur, -1, "quarter")
    else:
        cur = prev = ctx.last_quarter
    base = ctx.last_quarter or prev
    if g.get("qend") and ctx.dct is not None:
        m = month_no(g["qend"])
        y = ctx.dct.year if m <= ctx.dct.month else ctx.dct.year - 1
        base = quarter_point(y, (m - 1) // 3 + 1, True)
        ctx.last_quarter = base
    if g.get("qend") and ctx.dct is not None and qdet != "next":
        p = base
    elif "current" in qadj or qdet == "this":
        p = cur
    elif qdet == "next":
        p = shift_point(cur, 1, "quarter")
    elif ctx.dct is not None and any(w in qadj for w in _LATEST):
        p = ctx.last_quarter = prev
    elif qdet == "last" or "previous" in qadj:
        p = prev
    else:
        p = base
    if any(w in qadj for w in ("year-ago", "year-earlier", "year-before")) or g.get("qago"):
        p = shift_point(base, -4, "quarter")
    return point(p, new_ref=False)


_TO_DCT = ("ago", "from now", "hence", "back")


def _ago(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    unit = lex.UNIT_PLURALS.get(g["u"].lower(), g["u"].lower())
    direction = " ".join(g["dir"].lower().split())
    sign = 1 if direction in ("later", "after", "from now", "hence", "after that") else -1
    n = number_value(g["q"])
    if n is None:  # "several years ago"
        return Norm("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", False)
    if unit in ("hour", "minute", "second"):
        return Norm("DURATION", f"PT{n}{lex.UNITS[unit][0]}", False)
    if direction in _TO_DCT:
        base = anchored_day(ctx)
    else:
        base = ctx.anchor()
    if unit == "year" and n == 1 and ctx.last_quarter is not None:
        base = ctx.last_quarter
    if base is None:
        return unknown()
    grain = {"day": "day", "night": "day", "week": "week", "weekend": "week", "fortnight": "week",
             "month": "month", "quarter": "quarter", "year": "year", "decade": "year", "century": "year"}[unit]
    if base.grain != "quarter" and coarser(base.grain, grain):
        base = anchored_day(ctx)  # "a day earlier" after "in 2019": the year cannot anchor a day
        if base is None:
            return unknown()
    if unit == "year" and base.grain == "quarter":
        return point(shift_point(base, -4 * n if sign < 0 else 4 * n, "quarter"), new_ref=False)
    amount = n * {"decade": 10, "century": 100, "fortnight": 2}.get(unit, 1) * sign
    p = shift_point(base, amount, {"night": "day", "weekend": "week", "fortnight": "week",
                                    "decade": "year", "century": "year"}.get(unit, unit), grain=grain)
    return point(p, new_ref=False)


_COMPARED = re.compile(r"\b(compared\s+with|compared\s+to|versus|vs\.)\s[^.;]*$", re.IGNORECASE)


def _rel_unit(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    rel = " ".join(g["rel"].lower().split())
    unit = " ".join(g["u"].lower().split())
    if ctx.dct is None:
        return unknown()
    step = {"last": -1, "past": -1, "this past": -1, "next": 1, "coming": 1, "this coming": 1}.get(rel, 0)
    d = ctx.dct
    if unit == "week":
        return point(shift_point(week_point(d, True), step, "week"))
    if unit == "weekend":
        p = shift_point(week_point(d, True), step, "week")
        return Norm("DATE", f"{p.value}-WE", True)
    if unit == "month":
        return point(month_point(*add_months(d.year, d.month, step), anchored=True))
    if unit == "year" and step == -1 and ctx.last_quarter is not None and _COMPARED.search(
            ctx.text, max(0, c.start - 60), c.start):
        # "earned $5 million, compared with $3 million last year": the same quarter a year before
        return point(shift_point(ctx.last_quarter, -4, "quarter"), new_ref=False)
    if unit in ("year", "fiscal year"):
        return point(year_point(d.year + step, anchored=True))
    if unit == "quarter":
        p = shift_point(quarter_point(d.year, (d.month - 1) // 3 + 1, True), step, "quarter")
        ctx.last_quarter = p
        return point(p)
    if unit in ("decade", "century") and rel == "past":
        return Norm("DURATION", "P10Y" if unit == "decade" else "P100Y", False)
    if unit == "decade":
        return Norm("DATE", str(d.year // 10 + step), True)
    if unit == "century":
        return Norm("DATE", f"{d.year // 100 + step:02d}", True)
    return None


def _ana_unit(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    ana = " ".join(g["ana"].lower().split())
    unit = g["u"].lower()
    if unit == "time":
        return Norm("DATE", "PAST_REF", False) if ana in ("that", "the") else None
    if ana == "the" and unit != "day" and c.groups.get("mod"):
        base = anchored_day(ctx) or ctx.anchor()
        return point(shift_point(base, 0, "day", grain=unit), new_ref=False) if base else unknown()
    if ana == "the" and unit != "day":
        return Norm("DURATION", f"P1{lex.UNITS[unit][0]}", False)
    base = ctx.anchor()
    if base is not None and base.grain != "quarter" and coarser(base.grain, unit):
        base = anchored_day(ctx)  # "the day before" after "in 1990": a year cannot anchor a day
    if base is None:
        return unknown()
    step = {"the previous": -1, "the prior": -1, "the following": 1, "the next": 1}.get(ana, 0)
    ba = (c.groups.get("ba") or "").strip().lower()
    if ba:
        step = -1 if ba == "before" else 1
    grain = {"day": "day", "week": "week", "month": "month", "year": "year"}[unit]
    return point(shift_point(base, step, grain, grain=grain), new_ref=False)


def _the_year(c: Candidate, ctx: Ctx) -> Norm | None:
    """"the year ended June 30": a year-long period (TimeML DURATION); "for the full year":
    the publication date's year (TimeBank annotates both so in financial reports)."""
    if c.groups.get("yend") is not None:  # an empty lookahead group: "ended"/"ending" follows
        return Norm("DURATION", "P1Y", False)
    if ctx.dct is None:
        return unknown()
    return point(year_point(ctx.dct.year, anchored=True), new_ref=False)


def _weekend(c: Candidate, ctx: Ctx) -> Norm | None:
    if ctx.dct is None:
        return unknown()
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
    return Norm("DATE", f"{iso_week(d)}-WE", True)


def _year_ago_adj(c: Candidate, ctx: Ctx) -> Norm | None:
    word = " ".join(c.groups["ya"].lower().split())
    if ctx.dct is None:
        return unknown()
    if word in ("year-end", "year end"):
        return Norm("DATE", f"{ctx.dct.year}-12-31", True)
    if word in ("month-end",):
        return Norm("DATE", f"{ctx.dct.year}-{ctx.dct.month:02d}", True)
    if word == "quarter-end":
        return None
    if ctx.last_quarter is not None:
        return point(shift_point(ctx.last_quarter, -4, "quarter"), new_ref=False)
    return point(year_point(ctx.dct.year - 1, anchored=True), new_ref=False)


def _set_adv(c: Candidate, ctx: Ctx) -> Norm | None:
    return Norm("SET", lex.SET_ADVERBS[text_of(c, ctx).lower()], False)


def _set_every(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    su = g["su"].lower().rstrip(".")
    n = 2 if g.get("other") else (number_value(g["n"]) if g.get("n") else 1)
    if su in lex.WEEKDAYS:
        return Norm("SET", f"XXXX-WXX-{lex.WEEKDAYS[su] + 1}", False)
    if re.sub(r"[^a-z]", "", su) in lex.MONTHS:
        return Norm("SET", f"XXXX-{month_no(su):02d}", False)
    if su in lex.SEASONS:
        return Norm("SET", f"XXXX-{lex.SEASONS[su]}", False)
    unit = lex.UNIT_PLURALS.get(su, su)
    letter, is_time = lex.UNITS[unit]
    return Norm("SET", f"P{'T' if is_time else ''}{n}{letter}", False)


def _set_a(c: Candidate, ctx: Ctx) -> Norm | None:
    letter, is_time = lex.UNITS[c.groups["su"].lower()]
    return Norm("SET", f"P{'T' if is_time else ''}1{letter}", False)


def _duration(c: Candidate, ctx: Ctx) -> Norm | None:
    g = c.groups
    unit = lex.UNIT_PLURALS.get(g["u"].lower(), g["u"].lower())
    letter, is_time = lex.UNITS[unit]
    if unit == "weekend":
        return None
    q = " ".join(g["q"].lower().split())
    half = "and a half" in text_of(c, ctx).lower()
    n = number_value(q)
    if n is None or re.search(r"\s(to|or)\s|\d-\d", q):
        count = "X"
    else:
        if unit == "fortnight":
            n, letter = n * lex.FORTNIGHT_WEEKS, "W"
        if half or re.search(r"\d/\d", q):
            return Norm("DURATION", _fraction(n, q, unit, half), False)
        count = str(n)
        if unit in ("decade", "century"):
            count, letter = str(n * (10 if unit == "decade" else 100)), "Y"
    return Norm("DURATION", f"P{'T' if is_time else ''}{count}{letter}", False)


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


def _duration_bare(c: Candidate, ctx: Ctx) -> Norm | None:
    unit = lex.UNIT_PLURALS[c.groups["u"].lower()]
    letter, is_time = lex.UNITS[unit]
    return Norm("DURATION", f"P{'T' if is_time else ''}X{letter}", False)


def _ref(c: Candidate, ctx: Ctx) -> Norm | None:
    word = " ".join(text_of(c, ctx).lower().split())
    return Norm("DATE", lex.REF_WORDS[word], False)


NORMALISERS = {
    "quarter": _quarter, "quarter_ana": _quarter_ana, "year_period": _year_period,
    "recent_units": _recent_units, "coming_units": lambda c, ctx: Norm("DATE", "FUTURE_REF", False),
    "ago": _ago, "rel_unit": _rel_unit, "ana_unit": _ana_unit, "ana_next": _ana_unit, "the_year": _the_year,
    "weekend": _weekend, "year_ago_adj": _year_ago_adj, "set_adv": _set_adv, "set_every": _set_every,
    "set_a": _set_a, "duration": _duration, "duration_bare": _duration_bare, "ref": _ref,
}
