"""Publication dates for undated articles, inferred from the rest of their story.

An undated article's relative expressions ("on Thursday", "a day earlier") cannot be resolved
alone. When one of them sits in a sentence that reports the same thing as a sentence of a dated
article, whose own expression resolves to a day, the undated article's date must be one that
makes its expression land on that day. We try every date in a window around it and keep those
that do; over all such matches, the inferred date is the earliest date consistent with all of
them (a report is written on or after the days it reports in the past tense).

1. pair sentences: an unresolved expression of the undated article with a day-valued expression
   of a dated article, in sentences that share enough content words;
2. for each pair, the candidate dates: those in ±WINDOW_DAYS of the dated day for which
   :func:`extract_times` resolves the undated expression to that day;
3. intersect the candidate sets (falling back to the best single pair when they conflict);
   take the dated article's own day when it is among them (reports of one event usually
   appear together), else the earliest; the note names the article and both expressions.
   An expression that lands on its day whatever the date ("April 1") is no evidence.

Articles that got a date this way are used as dated ones in a second round.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ..analyze.timex import extract_times
from ..model import Analysis, TimeExpr

WINDOW_DAYS = 7
"""How far from the dated day a publication date is searched (a week covers weekday names)."""
MIN_SHARED_WORDS = 2
MIN_OVERLAP = 0.15
"""Two sentences report the same thing when they share at least MIN_SHARED_WORDS content words
and that many are at least MIN_OVERLAP of the shorter one's (overlap coefficient). Set by hand on
the seed story (the same event in five outlets' words); there is no dev set for this step. Low,
because the candidate date must also make the expression land exactly on the matched day."""
ROUNDS = 2

_DAY = re.compile(r"^\d{4}-\d\d-\d\d")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_STOP = frozenset("""
a an the and or but if of in on at to for from by with as into over after before about than
that this these those it its he she they we you i his her their our them him us was were is are
be been being has have had do does did will would could should may might can said says say
also not no more most very just only then there here who whom which what when where while
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week weeks
day days month months year years earlier later last next ago
""".split())


@dataclass(frozen=True, slots=True)
class _Match:
    candidates: frozenset[date]
    score: float
    note: str
    published: date
    """The publication date of the dated article the match is with."""


def infer_publication_dates(analyses: Sequence[Analysis]) -> dict[str, tuple[str, str]]:
    """article id → (YYYY-MM-DD, note) for undated articles whose story gives evidence."""
    known: dict[str, Analysis] = {a.article.id: a for a in analyses if a.article.published}
    found: dict[str, tuple[str, str]] = {}
    for _ in range(ROUNDS):
        progress = False
        for a in sorted(analyses, key=lambda x: x.article.id):
            if a.article.published_basis != "unknown" or a.article.id in found:
                continue
            result = _infer_one(a, [known[k] for k in sorted(known)], found)
            if result is not None:
                found[a.article.id] = result
                progress = True
        for aid, (day, _) in found.items():
            if aid not in known:
                known[aid] = _dated(next(a for a in analyses if a.article.id == aid), day)
        if not progress:
            break
    return found


def _dated(a: Analysis, day: str) -> Analysis:
    """The analysis as if published on ``day`` (its relative times resolved), for round two."""
    article = replace(a.article, published=day, published_basis="inferred")
    return replace(a, article=article, times=tuple(extract_times(article.text, article.id, day)))


def _infer_one(undated: Analysis, dated: list[Analysis], found: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    text = undated.article.text
    open_exprs = [t for t in undated.times if t.anchored and t.value is None and t.type in ("DATE", "TIME")]
    if not open_exprs:
        return None
    resolve = _Resolver(undated)
    matches: list[_Match] = []
    for expr in open_exprs:
        sent_u = _sentence(text, expr.span.start, expr.span.end)
        words_u = _content(sent_u, expr.span.text)
        for other in dated:
            for ref in other.times:
                if ref.value is None or not _DAY.match(ref.value):
                    continue
                sent_d = _sentence(other.article.text, ref.span.start, ref.span.end)
                shared = words_u & _content(sent_d, ref.span.text)
                if len(shared) < MIN_SHARED_WORDS:
                    continue
                overlap = len(shared) / max(1, min(len(words_u), len(_content(sent_d, ref.span.text))))
                if overlap < MIN_OVERLAP:
                    continue
                target = date.fromisoformat(ref.value[:10])
                window = _window(target)
                cands = frozenset(d for d in window if resolve.value(expr, d) == target.isoformat())
                if not cands or len(cands) == len(window):
                    continue  # "April 1" lands on its day whatever the date: no evidence of the day
                basis = "stated" if other.article.published_basis == "stated" else "inferred"
                note = (f"from article {other.article.id} ({basis} {other.article.published}): "
                        f"{expr.span.text!r} in {_clip(sent_u)!r} is the day that article's "
                        f"{ref.span.text!r} resolves to ({target.isoformat()}), in {_clip(sent_d)!r}")
                matches.append(_Match(cands, overlap * len(shared), note, date.fromisoformat(other.article.published)))
    if not matches:
        return None
    matches.sort(key=lambda m: (-m.score, m.note))
    common = matches[0].candidates
    used = [matches[0]]
    for m in matches[1:]:
        if common & m.candidates:
            common = common & m.candidates
            used.append(m)
    extra = f" (and {len(used) - 1} more matching expression(s))" if len(used) > 1 else ""
    same_day = sorted({m.published for m in used} & common)
    if same_day:
        # reports of one event are usually published together: the dated report's own day
        return same_day[0].isoformat(), f"the day of the dated report, consistent with the story: {used[0].note}{extra}"
    return min(common).isoformat(), f"earliest date consistent with the story: {used[0].note}{extra}"


class _Resolver:
    """Values of an undated article's expressions under a hypothetical publication date."""

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.cache: dict[date, dict[tuple[int, int], str | None]] = {}

    def value(self, expr: TimeExpr, dct: date) -> str | None:
        if dct not in self.cache:
            a = self.analysis
            times = extract_times(a.article.text, a.article.id, dct.isoformat())
            self.cache[dct] = {(t.span.start, t.span.end): t.value for t in times}
        v = self.cache[dct].get((expr.span.start, expr.span.end))
        return v[:10] if v else None


def _window(target: date) -> list[date]:
    return [target + timedelta(days=k) for k in range(-WINDOW_DAYS, WINDOW_DAYS + 1)]


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1 : right + 1].strip()


def _content(sentence: str, exclude: str = "") -> frozenset[str]:
    drop = {w.lower() for w in _WORD.findall(exclude)}
    return frozenset(
        w.lower().rstrip("'’s") for w in _WORD.findall(sentence)
        if len(w) > 2 and w.lower() not in _STOP and w.lower() not in drop
    )


def _clip(sentence: str, limit: int = 90) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


# ----------------------------------------------------------------------------- display
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
HALF_NAMES = {"1": "first half", "2": "second half"}
BASIS_NOTES = {
    "explicit": "the date is written in the article",
    "relative": "worked out from a relative expression and the article's stated publication date",
    "inferred": "worked out from a relative expression and a publication date inferred from other reports",
    "unknown": "no date could be worked out",
}
"""What each ``Event.date_basis`` means, in words a reader can check (shown on demand)."""
_LABEL_DAY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")
_LABEL_MONTH = re.compile(r"^(\d{4})-(\d\d)$")
_LABEL_WEEK = re.compile(r"^(\d{4})-W(\d\d)$")
_LABEL_PART = re.compile(r"^(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|WI)$")


def date_label(value: str | None) -> str | None:
    """A timeline date as people read it: "Wed 6 Aug 2025", "week of 11 Aug 2025",
    "Aug 2025", "Q3 2025", "2025"; None when there is no date, the value itself when it is
    not one of these forms."""
    if not value:
        return None
    try:
        if m := _LABEL_DAY.match(value):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return f"{WEEKDAY_ABBR[d.weekday()]} {d.day} {MONTH_ABBR[d.month - 1]} {d.year}"
        if m := _LABEL_WEEK.match(value):
            d = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return f"week of {d.day} {MONTH_ABBR[d.month - 1]} {d.year}"
        if m := _LABEL_MONTH.match(value):
            return f"{MONTH_ABBR[int(m[2]) - 1]} {m[1]}"
    except (ValueError, IndexError):
        return value
    if m := _LABEL_PART.match(value):
        part = m[2]
        if part[0] == "Q":
            return f"{part} {m[1]}"
        if part[0] == "H":
            return f"{HALF_NAMES[part[1]]} of {m[1]}"
        return f"{SEASON_NAMES[part]} {m[1]}"
    return value


def basis_note(basis: str) -> str:
    """How an event's date was found, in words (``BASIS_NOTES``)."""
    return BASIS_NOTES.get(basis, basis)
