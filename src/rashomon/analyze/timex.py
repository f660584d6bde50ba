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

Modules: :mod:`timex_rules` (patterns → candidates), :mod:`timex_dates` (calendar dates,
weekdays, deictic days), :mod:`timex_normalise` (quarters, relative/anaphoric units, durations,
sets, *_REF words), :mod:`timex_context` (per-article state), :mod:`timex_points` (calendar
arithmetic), :mod:`timex_tense` (direction from the parse or the text), :mod:`time_lexicon`.

An expression whose value depends on a publication date the article does not have keeps
``value=None`` and ``anchored=True``; :mod:`rashomon.reconcile.timeline` may give the article a
date from the rest of the story, after which the pipeline runs this again.
"""

from __future__ import annotations

from ..model import Span, TimeExpr
from . import timex_dates, timex_normalise
from .timex_context import Ctx
from .timex_points import parse_date
from .timex_rules import find_candidates

__all__ = ["extract_times"]

_NORMALISERS = {**timex_dates.NORMALISERS, **timex_normalise.NORMALISERS}


def extract_times(text: str, article_id: str, dct: str | None, doc=None) -> list[TimeExpr]:
    """Time expressions of ``text`` with TIMEX3 type and value, sorted by start."""
    ctx = Ctx(text=text, doc=doc, dct=parse_date(dct) if dct else None)
    out: list[TimeExpr] = []
    for cand in find_candidates(text):
        try:
            norm = _NORMALISERS[cand.kind](cand, ctx)
        except (ValueError, OverflowError):
            continue  # a day the calendar cannot hold ("2,500 years ago"): no value to give
        if norm is None:
            continue
        if norm.point is not None:
            ctx.ref = norm.point
        out.append(TimeExpr(Span.of(article_id, text, cand.start, cand.end), norm.type, norm.value, norm.anchored))
    return out
