"""Shared state and helpers of the time-expression normalisers: the per-article context
(publication date, reference time, tense direction) and the result record of one normaliser."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from . import time_lexicon as lex
from .timex_points import Point, day_point, spelled_year
from .timex_rules import Candidate
from .timex_tense import future_clause, backward_cue, possessive, direction_from_doc, direction_from_text, forward_cue

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
class Ctx:
    text: str
    doc: object | None
    dct: date | None
    ref: Point | None = None
    """The narrative's reference time: the last point the text established."""
    last_quarter: Point | None = None

    def direction(self, c: Candidate) -> int:
        if forward_cue(self.text, c.start):
            return FUTURE
        if backward_cue(self.text, c.start) or possessive(self.text, c.end):
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
        d = direction_from_doc(self.doc, c.start, c.end)
        if d is None and future_clause(self.text, c.start, c.end):
            return FUTURE
        return d or NONE

    def anchor(self) -> Point | None:
        """The reference time, else the publication date (None when neither is known)."""
        if self.ref is not None:
            return self.ref
        return day_point(self.dct, anchored=True) if self.dct else None


@dataclass(frozen=True, slots=True)
class Norm:
    type: str
    value: str | None
    anchored: bool
    point: Point | None = None
    """Set when this expression establishes a new reference time."""


def unknown(type_: str = "DATE") -> Norm:
    return Norm(type_, None, True)


def point(p: Point | None, type_: str = "DATE", *, new_ref: bool = True) -> Norm:
    if p is None:
        return unknown(type_)
    return Norm(type_, p.value, p.anchored, p if new_ref else None)


def month_no(word: str) -> int:
    return lex.MONTHS[re.sub(r"[^a-z]", "", word.lower())]


def day_no(word: str) -> int:
    return int(re.match(r"\d+", word).group(0))


def year_of(word: str, ctx: Ctx) -> int | None:
    w = word.strip()
    if w[0] in "'’":
        yy = int(w[1:])
        base = (ctx.dct.year if ctx.dct else 1999) // 100 * 100
        y = base + yy
        return y - 100 if ctx.dct and y > ctx.dct.year + 10 else y
    if w[0].isdigit():
        return int(w)
    return spelled_year(w)


def weekday_date(wd: int, base: date, direction: int, strict: bool = False) -> date:
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


def month_year(month: int, base: date, direction: int) -> int:
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


def anchored_day(ctx: Ctx) -> Point | None:
    return day_point(ctx.dct, anchored=True) if ctx.dct else None


def text_of(c: Candidate, ctx: Ctx) -> str:
    return ctx.text[c.start : c.end]
