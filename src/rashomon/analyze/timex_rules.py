"""Recognition of time expressions: regular patterns built from :mod:`time_lexicon`.

:func:`find_candidates` returns non-overlapping :class:`Candidate` s (the longest match wins;
ties go to the pattern listed first). Each candidate names its pattern (``kind``) and keeps the
named groups; :mod:`rashomon.analyze.timex` turns them into TIMEX3 values.

Span conventions follow TimeML: a determiner or modifier that belongs to the expression is in
the span ("the third quarter", "about three hours", "late yesterday"), a governing preposition
is not ("on Wednesday" → "Wednesday").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import time_lexicon as lex


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stretch of text one pattern recognised as a time expression."""

    start: int
    end: int
    kind: str
    groups: dict[str, str | None]


def _alt(words, *, cap: bool = False) -> str:
    """An alternation of words, longest first, whitespace-tolerant."""
    items = sorted(set(words), key=lambda w: (-len(w), w))
    parts = [re.escape(w).replace(r"\ ", r"\s+") for w in items]
    if cap:  # first letter must be a capital (months, weekdays), the rest any case
        parts = [f"(?-i:{p[0].upper()}){p[1:]}" for p in parts]
    return "(?:" + "|".join(parts) + ")"


# --------------------------------------------------------------------------- building blocks
_UNITS_1 = "0|1|2|3|4|5|6|7|8|9".split("|")
_SMALL = "one|two|three|four|five|six|seven|eight|nine".split("|")
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
NUM_WORD = (
    rf"(?:(?:{_TENS})(?:[\s-](?:{'|'.join(_SMALL)}))?"
    r"|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|a\s+hundred|hundred|a\s+dozen|dozen)"
)
NUM = rf"(?:\d+(?:[.,]\d+)?(?:\s+\d/\d)?|{NUM_WORD}|a\s+couple\s+of|a|an)"
VAGUE = _alt(lex.VAGUE_QUANTITIES)
QUANT = rf"(?P<q>{NUM}(?:\s*(?:to|or|-)\s*{NUM})?|{VAGUE})"
UNIT = rf"(?P<u>{_alt(list(lex.UNITS) + list(lex.UNIT_PLURALS))})"
UNIT_SG = _alt(lex.UNITS)
APPROX = rf"(?P<approx>{_alt(['about', 'around', 'approximately', 'roughly', 'some', 'nearly', 'almost', 'more than', 'less than', 'over', 'under', 'at least', 'at most', 'up to', 'only', 'just', 'fewer than', 'upwards of', 'well over', 'close to', 'another', 'an additional', 'a further', 'the better part of', 'the last', 'the past', 'the next', 'the first', 'the final', 'the remaining', 'the coming', 'the previous', 'past', 'last', 'next', 'first', 'the', 'its', 'their', 'his', 'her', 'those', 'these'])}\s+)?"

_FULL_MONTHS = [m for m in lex.MONTHS if len(m) > 4 or m in ("may", "june", "july")]
MONTH = (f"(?:{_alt(_FULL_MONTHS, cap=True)}(?!\\.\\w)|"
         f"{_alt([m for m in lex.MONTHS if m not in _FULL_MONTHS], cap=True)}\\.?)")
WEEKDAY = _alt([w for w in lex.WEEKDAYS if len(w) > 4], cap=True)
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
YEAR = r"(?:1[6-9]\d\d|20\d\d)(?![\d,]\d)"
SHORT_YEAR = r"['’]\d\d(?![\w'])"
POD = _alt(lex.PARTS_OF_DAY)
SEASON = _alt(lex.SEASONS)
MOD = (
    r"(?P<mod>(?:the\s+)?(?:(?:very\s+)?(?:early|mid|late)|end|beginning|start|middle|close(?=\s+of)|"
    r"first\s+half|second\s+half|last\s+half|latter\s+half|first\s+part|latter\s+part|rest|"
    r"remainder|balance)(?:\s+of)?(?:\s+|-))?"
)
CLOCK = (
    r"(?P<clock>(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:a\.\s?m\b\.?|p\.\s?m\b\.?|am\b|pm\b|o'clock)"
    r"|(?:[01]?\d|2[0-3]):[0-5]\d(?!\d)|noon|midnight|midday)"
)
TZ = r"(?:\s*\(?(?P<tz>[ECMP][SD]T|GMT|UTC|local\s+time)\)?)?"
SPELLED_YEAR = (
    rf"(?P<spy>nineteen[\s-](?:{_TENS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    rf"seventeen|eighteen|nineteen)(?:[\s-](?:{'|'.join(_SMALL)}))?"
    r"|(?:the\s+year\s+)?two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)"
)
_B = r"(?<![\w$£€#/.-])"  # left boundary: not inside a word or number, not money
_E = r"(?![\w-])"

_RELWORD = r"(?P<rel>this\s+past|this\s+coming|last|next|this|coming|past|(?:the\s+)?current)"
_ANAWORD = r"(?P<ana>the\s+previous|the\s+following|the\s+next|the\s+prior|the\s+same|that|the)"

# Each pattern: (kind, regex). Order breaks ties between equally long matches.
_PATTERNS: list[tuple[str, str]] = [
    ("clock", rf"(?:(?P<approx>about|around|approximately|shortly\s+after|shortly\s+before|just\s+after|just\s+before)\s+)?"
              rf"{CLOCK}{TZ}(?:,?\s+(?:on\s+)?(?P<tday>{WEEKDAY}|today|yesterday|tomorrow|tonight)"
              rf"|,?\s+(?P<tmon>{MONTH})\s+(?P<tdom>{DAY}))?"),
    ("clock_pod", rf"(?P<hour>\d{{1,2}}|{NUM_WORD})\s+(?:o'clock\s+)?in\s+the\s+(?P<pod>morning|afternoon|evening)"),
    ("iso", r"(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T(?P<hh>\d\d):(?P<mm>\d\d))?"),
    ("numeric", rf"(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>\d{{4}}|\d{{2}})"),
    ("mdy", rf"{MOD}(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<mon>{MONTH})\s+(?P<day>{DAY}),?\s+(?P<year>{YEAR})"),
    ("dmy", rf"{MOD}(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{DAY})\s+(?:of\s+)?(?P<mon>{MONTH}),?\s+(?P<year>{YEAR})"),
    ("md", rf"{MOD}(?:(?P<wd>{WEEKDAY}),?\s+|(?P<rel>last|this|next|this\s+past|this\s+coming)\s+)?(?P<mon>{MONTH})\s+(?P<day>{DAY})(?!\s*(?:%|percent))"),
    ("dm", rf"{MOD}(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{DAY})\s+(?:of\s+)?(?P<mon>{MONTH})"),
    ("my", rf"{MOD}(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<year>{YEAR}|{SHORT_YEAR}|{SPELLED_YEAR})"),
    ("m_rel_year", rf"{MOD}(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<ry>last|this|next)\s+year"),
    ("quarter", rf"(?:(?P<qdet>the|this\s+year's|last\s+year's|next\s+year's|its|a|the\s+company's|their)\s+)?"
                rf"(?P<qadj>(?:(?:same|year-ago|year-earlier|year-before|fiscal|calendar|latest|current|flat|"
                r"most\s+recent|comparable|strong|weak|disappointing|seasonally\s+slow)\s+)*)"
                rf"(?:(?P<qy0>{YEAR})\s+)?(?P<qn>first|second|third|fourth|1st|2nd|3rd|4th|last)[\s-]+(?P<qu>quarter|half)s?"
                rf"(?:\s+of\s+(?:fiscal\s+|the\s+)?(?P<qy>{YEAR}|(?:this|last|next)\s+year)|,?\s+(?P<qy2>{YEAR}))?"),
    ("year_period", rf"(?:the\s+|its\s+)?(?P<year>{YEAR})\s+(?:(?:fiscal|calendar)\s+)?(?P<qu>quarter|period|half)"),
    ("quarter_ana", rf"(?P<qdet>the|this|that|last|next|a)\s+(?P<qadj>(?:(?:year-ago|year-earlier|year-before|latest|current|"
                    r"most\s+recent|same|previous|fiscal|comparable|recent|just-ended|just\s+ended)\s+)*)"
                    r"(?P<qu>quarter|period)(?P<qago>\s+a\s+year\s+(?:ago|earlier))?"
                    rf"(?:(?=\s+(?:ended|ending|that\s+ended)\s+(?P<qend>{MONTH}))|)"),
    ("season", rf"{MOD}(?:(?P<rel>this\s+past|this\s+coming|last|next|this|the|early|late)\s+)?(?P<season>{SEASON})"
               rf"(?:\s+of\s+(?P<year>{YEAR}|{SPELLED_YEAR})|,?\s+(?P<year2>{YEAR}))?"),
    ("fiscal_year", rf"(?P<fy>fiscal|the\s+fiscal\s+year|fiscal\s+year|model\s+year|calendar\s+year|the\s+year)\s+(?P<year>{YEAR}|{SHORT_YEAR})"),
    ("decade", rf"(?:the\s+)?(?P<dmod>(?:early|mid|late)(?:\s+|-))?(?:(?P<dc>1[5-9]|20)(?P<dd>\d)0|['’](?P<ds>\d)0)['’]?s\b"),
    ("century", rf"(?:the\s+)?(?:(?:early|mid|late)(?:\s+|-))?(?P<cn>\d{{1,2}}(?:st|nd|rd|th)|{_alt(lex.ORDINALS)})[\s-]+century"),
    ("year", rf"{MOD}(?P<yin>(?:the\s+)?(?:year\s+)?)(?P<year>{YEAR}|{SPELLED_YEAR})"),
    ("month", rf"{MOD}(?:{_RELWORD}\s+)?(?P<mon>{MONTH})"),
    ("deictic", rf"(?:{MOD}|(?P<el>earlier|later)\s+|(?P<pod0>{POD})\s+)?(?P<dw>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|"
                rf"today|tonight|yesterday|tomorrow)(?:\s+(?P<pod>{POD}))?"),
    ("this_pod", rf"(?:(?P<el>earlier|later|early|late)\s+)?(?P<rel>this|last|tomorrow|yesterday)\s+(?P<pod>morning|afternoon|evening|night)"),
    ("weekday", rf"(?:{MOD}|(?P<el>earlier|later)\s+)?(?:(?P<rel>this\s+past|this\s+coming|last|next|this|coming|past|"
                rf"the\s+previous|the\s+following|the\s+next|the\s+prior)\s+)?(?P<wd>{WEEKDAY})"
                rf"(?:\s+(?P<pod>{POD}))?"),
    ("ago", rf"{APPROX}{QUANT}[\s-]+{UNIT}\s+(?P<dir>ago|earlier|later|from\s+now|hence|back|previously|before\s+that|after\s+that|"
            r"(?:before|after|prior)(?=\s*[,.;:]|\s*$))"),
    ("rel_unit", rf"(?:{MOD}|(?P<el>earlier|later)\s+(?:in\s+)?)?{_RELWORD}\s+(?P<u>week|month|year|weekend|quarter|"
                 r"decade|century|fiscal\s+year|season)"),
    ("ana_next", rf"(?P<ana>the\s+previous|the\s+following|the\s+next|the\s+prior|the\s+same)\s+(?P<u>day|week|month|year)"),
    ("the_year", r"the\s+(?:(?P<yadj>full|fiscal|calendar)\s+)?year(?:(?P<yend>(?=\s+(?:ended|ending)\b))|(?=\s*[,.;:]))"),
    ("ana_unit", rf"(?:{MOD}|(?P<el>earlier|later)\s+(?:in\s+)?)?{_ANAWORD}\s+(?P<u>day|week|month|year|time)(?P<ba>\s+(?:before|after)(?=[\s,.;]))?"
                 r"(?=\s+(?:before|after|of|when|that|in|,|\.|$)|[,.;])"),
    ("weekend", r"(?P<wdet>the|this|last|next|over\s+the|this\s+past)\s+weekend"),
    ("year_ago_adj", r"(?P<ya>year-ago|year-earlier|year-before|a\s+year\s+earlier|year-end|year\s+end|month-end|quarter-end)"),
    ("set_adv", rf"{_alt(lex.SET_ADVERBS)}"),
    ("set_every", rf"(?P<every>every|each|per)\s+(?P<other>other\s+)?(?:(?P<n>{NUM_WORD}|\d+)\s+)?"
                  rf"(?P<su>{UNIT_SG}s?|{WEEKDAY}|{MONTH}|{SEASON})"),
    ("set_a", rf"(?<=[\w%)]\s)(?P<a>a|an|per)\s+(?P<su>day|week|month|year|hour|quarter|night)(?![\w-])"
              r"(?!\s+(?:ago|earlier|later|before|after|and|or|of|from|later|long|old))"),
    ("duration", rf"{APPROX}{QUANT}(?:\s+and\s+a\s+half)?[\s-]+{UNIT}(?:\s+and\s+a\s+half)?(?P<long>-long)?"),
    ("coming_units", r"(?:the\s+)?coming\s+(?P<u>days|weeks|months|quarters|years)"),
    ("recent_units", r"(?:(?:the\s+)?(?:most\s+)?recent|the\s+past\s+few|the\s+last\s+few)\s+(?P<u>days|weeks|months|quarters|years|decades)"),
    ("duration_bare", "(?:" + "|".join(rf"(?<=\b{w} )" for w in ("for", "in", "over", "within", "after", "take", "takes", "took", "taken"))
                      + r")(?P<u>years|months|weeks|decades|days|hours|centuries)"),
    ("holiday", rf"{_alt(lex.HOLIDAYS)}|(?P<thanks>Thanksgiving(?:\s+Day)?)"),
    ("ref", _alt(lex.REF_WORDS)),
]

_COMPILED = [(kind, re.compile(_B + "(?:" + rx + ")" + _E, re.IGNORECASE)) for kind, rx in _PATTERNS]
_PRIORITY = {kind: i for i, (kind, _) in enumerate(_PATTERNS)}


def _reject(kind: str, m: re.Match, text: str) -> bool:
    """Guards against frequent false alarms (each checked on TimeBank/AQUAINT errors)."""
    g = m.groupdict()
    after = text[m.end() : m.end() + 12].lower()
    before = text[max(0, m.start() - 12) : m.start()].lower()
    if kind in ("duration", "ago", "set_a") and re.match(r"\s*-?\s*olds?\b", after):
        return True  # ages: "45 years old", "a 3-year-old"
    if kind == "duration":
        q = (g.get("q") or "").lower()
        if q in ("a", "an", "one") and not g.get("approx") and re.match(r"\s*(ago|earlier|later)", after):
            return True
        if re.match(r"^\d+[.,]\d+$", q):  # "1.5 million years"? keep simple: decimals rare
            return False
    if kind == "year":
        if re.match(r"\s*(%|percent|per\s+cent)|\.\d|,\d{3}|[a-z]", after):
            return True
        if re.search(r"(no\.|number|#|\$|flight|route|model|page|room|\d[,.])\s*$", before):
            return True
        if _not_a_year(text, m.end()):
            return True
    if kind == "month":
        word = re.sub(r"\W", "", g["mon"]).lower()
        if word in lex.AMBIGUOUS_MONTHS and not (g.get("mod") or g.get("rel")):
            if not re.search(r"\b(in|since|until|till|by|from|through|during|of|before|after|early|late|mid|last|next|this)\s*$", before):
                return True
        if word in ("may",) and not (g.get("mod") or g.get("rel")) and re.match(r"\s+(be|have|not|also|well|still|take|make|help|need|want)\b", after):
            return True
    if kind in ("md", "dm") and re.sub(r"\W", "", g["mon"]).lower() in lex.AMBIGUOUS_MONTHS:
        if kind == "dm" and not re.match(r"\s*,?\s*\d{4}|\s*[,.;)]|\s*$|\s+\w", after):
            return True
    if kind == "ref":
        word = m.group(0).lower()
        if word in lex.REF_NEEDS_CONTEXT:
            if word in ("earlier", "later") and not (re.search(r"(^|[.!?\"“]\s*|,\s*)$", before) or re.match(r"\s*,", after)):
                return True
            if word == "current" and re.match(r"\s+(account|affairs|events|events|prices|dollars|version|law|rules)\b", after):
                return True
            if word == "future" and re.match(r"\s+(contract|contracts|price|prices|market)", after):
                return True
            if word == "this time":
                return True
    if kind == "season" and m.group("season").lower() == "fall" and not (g.get("rel") not in (None, "the") or g.get("year") or g.get("year2")):
        return True
    if kind == "season" and g.get("rel") is None and not g.get("mod") and not (g.get("year") or g.get("year2")):
        if not re.search(r"\b(in|this|last|next|during|by|until|since|the)\s*$", before):
            return True
    if kind == "weekday" and re.match(r"\s+(Times|Telegraph|Mirror|Express|Post|Herald)\b", text[m.end():m.end() + 12]):
        return True
    return False


_NEXT_WORDS = re.compile(r"\s*([A-Za-z][\w.'’-]*)")


def _not_a_year(text: str, end: int) -> bool:
    """A bare four-digit number followed by a clock zone ("2000 GMT") or by capitalised words
    ending in a street word ("1600 Pennsylvania Avenue"): a time of day or an address."""
    words: list[str] = []
    pos = end
    while len(words) <= lex.STREET_NAME_WORDS:
        m = _NEXT_WORDS.match(text, pos)
        if not m or "\n" in text[pos:m.start(1)]:
            break
        words.append(m.group(1))
        pos = m.end()
    if not words:
        return False
    if words[0].lower().rstrip(".") in lex.CLOCK_ZONES and (words[0].isupper() or words[0].islower()):
        return True
    for i, word in enumerate(words):
        if not word[0].isupper():
            break
        following = words[i + 1] if i + 1 < len(words) else ""
        if i > 0 and word.lower().rstrip(".") in lex.STREET_WORDS and not following[:1].isupper():
            return True  # "St Petersburg" is a city, "Downing St" an address
    return False


def find_candidates(text: str) -> list[Candidate]:
    """All time expressions the patterns find in ``text``, non-overlapping, in text order."""
    found: list[tuple[int, int, int, str, re.Match]] = []
    for kind, rx in _COMPILED:
        for m in rx.finditer(text):
            if m.end() == m.start() or _reject(kind, m, text):
                continue
            found.append((m.start(), m.end(), _PRIORITY[kind], kind, m))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[Candidate] = []
    for start, end, _, kind, m in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        chosen.append(Candidate(start, end, kind, groups))
    chosen.sort(key=lambda c: c.start)
    return chosen
