"""Word lists for time expressions (data only; used by :mod:`rashomon.analyze.timex_rules`).

Everything here is the project's own list of English words and their TimeML meaning. Where a
choice was made to follow an annotation convention, the comment says which set it was
checked on (TimeBank/AQUAINT, the TempEval-3 training data; see docs/bench/timebank.md).
"""

from __future__ import annotations

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
# Months that are also ordinary words ("may", "march") need a date context to count.
AMBIGUOUS_MONTHS = frozenset({"may", "march", "mar", "jan", "dec", "sep", "jun", "jul"})

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}

NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a": 1, "an": 1,
    "a couple of": 2, "a couple": 2, "couple of": 2, "dozen": 12, "a dozen": 12, "a hundred": 100,
}
# Quantities with no number: the TIMEX3 value puts X for the count (PXY).
VAGUE_QUANTITIES = frozenset({
    "several", "a few", "few", "many", "some", "a number of", "numerous", "the next few",
    "a couple of", "dozens of", "hundreds of", "the past few", "the last few", "the next several",
})

ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8,
    "ninth": 9, "9th": 9, "tenth": 10, "10th": 10, "eleventh": 11, "11th": 11, "twelfth": 12,
    "12th": 12, "thirteenth": 13, "13th": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "twenty-first": 21, "last": -1,
}

# Duration units → (TIMEX3 unit letter(s), is a time-of-day unit (goes after "T")).
UNITS: dict[str, tuple[str, bool]] = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True),
    "day": ("D", False), "night": ("D", False), "week": ("W", False), "fortnight": ("W", False),
    "month": ("M", False), "quarter": ("Q", False), "year": ("Y", False),
    "decade": ("DE", False), "century": ("CE", False), "weekend": ("WE", False),
}
UNIT_PLURALS: dict[str, str] = {
    "seconds": "second", "minutes": "minute", "hours": "hour", "days": "day", "nights": "night",
    "weeks": "week", "months": "month", "quarters": "quarter", "years": "year",
    "decades": "decade", "centuries": "century", "weekends": "weekend", "fortnights": "fortnight",
}
FORTNIGHT_WEEKS = 2

PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
    "mid-afternoon": "AF", "mid afternoon": "AF", "midafternoon": "AF", "mid-morning": "MO",
    "midmorning": "MO", "dawn": "MO", "dusk": "EV",
}
CLOCK_WORDS: dict[str, str] = {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}

SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}

# "every day", "daily": SET values.
SET_ADVERBS: dict[str, str] = {
    "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "monthly": "P1M",
    "yearly": "P1Y", "hourly": "PT1H",
}
# "quarterly" and "annually" are left out: in TimeBank/AQUAINT they are mostly untagged
# ("quarterly dividend": 1 tagged / 11 seen; "annually": 2 / 6).

# Fixed-date holidays → MM-DD; Thanksgiving (US) is computed (4th Thursday of November).
HOLIDAYS: dict[str, str] = {
    "christmas day": "12-25", "christmas eve": "12-24", "christmas": "12-25",
    "new year's day": "01-01", "new year's eve": "12-31", "independence day": "07-04",
    "halloween": "10-31", "valentine's day": "02-14", "boxing day": "12-26",
}

# Words that refer to the present, past or future without a date (TIMEX3 *_REF values).
# Chosen on TimeBank/AQUAINT (they are tagged there as DATE with these values).
REF_WORDS: dict[str, str] = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
    "current": "PRESENT_REF", "nowadays": "PRESENT_REF", "these days": "PRESENT_REF",
    "at present": "PRESENT_REF", "at the moment": "PRESENT_REF",
    "recently": "PAST_REF", "more recently": "PAST_REF", "lately": "PAST_REF",
    "the past": "PAST_REF", "in the past": "PAST_REF",
    "the future": "FUTURE_REF", "the near future": "FUTURE_REF", "the near term": "FUTURE_REF",
    "the short term": "FUTURE_REF", "the long term": "FUTURE_REF",
    "as soon as possible": "FUTURE_REF", "a later date": "FUTURE_REF",
}
# Left out after measuring on TimeBank/AQUAINT (tagged there far less often than they occur):
# "previously" (4 tagged / 24 seen), "soon" (4/16), "future" as an adjective (5/18),
# "recent" (6/15), "earlier"/"later" alone, "formerly", "presently".
REF_NEEDS_CONTEXT = frozenset({"earlier", "later", "current", "future", "this time"})

# Modifiers kept inside a timex span (TimeML includes them) and not changing its value.
APPROX_WORDS = (
    "about", "around", "approximately", "roughly", "some", "nearly", "almost", "more than",
    "less than", "over", "under", "at least", "at most", "up to", "only", "just", "barely",
    "fewer than", "upwards of", "well over", "close to", "another", "an additional", "a further",
    "the better part of", "the first", "the last", "the past", "the next", "the previous",
    "the coming", "the final", "the remaining", "the following", "the", "its", "their",
    "his", "her", "this", "these", "those", "past", "next", "last", "first", "previous",
    "coming", "full", "whole", "entire",
)

# Cue words for the direction of a relative expression whose tense does not decide it.
FUTURE_CUES = frozenset({
    "will", "'ll", "shall", "wo", "going", "scheduled", "expected", "due", "plan", "plans",
    "planned", "planning", "set", "upcoming", "next", "until", "till", "before", "by", "if",
    "unless", "intends", "intend", "aims", "hope", "hopes", "would",
})
PAST_AUX = frozenset({"was", "were", "had", "did", "has", "have"})
# Prepositions after which a weekday or month with a present-tense verb points forward.
FORWARD_PREPOSITIONS = frozenset({"until", "till", "before", "by", "through"})

# Words that, right after a number+unit, mean it is not a time expression (ages, measures).
NOT_TIME_AFTER = frozenset({"old", "-old", "olds"})

# --- sanity rules for a bare four-digit number read as a year (rashomon.analyze.timex_rules) ---
# A year is a date; these readings of "2000", "1600" are not. Each list is general English
# usage (not taken from any one article): a clock time with its zone or "hours" ("2000 GMT",
# "1400 hours"), a street number ("1600 Pennsylvania Avenue", "2010 Harbour Road") and a count
# ("2015 units", "1999 people": the number modifies a noun that is not a time word).
CLOCK_ZONES = frozenset({
    "gmt", "utc", "bst", "cet", "cest", "eet", "eest", "est", "edt", "cst", "cdt", "mst", "mdt",
    "pst", "pdt", "ist", "jst", "aest", "aedt", "msk", "wib", "hkt", "sgt", "zulu", "z", "hours",
    "hrs", "hr", "h", "local",
})
STREET_WORDS = frozenset({
    "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr",
    "way", "place", "pl", "square", "sq", "highway", "hwy", "court", "ct", "terrace", "crescent",
    "parkway", "pkwy", "plaza", "row", "quay", "embankment", "alley",
})
STREET_NAME_WORDS = 4
"""How many capitalised words may stand between a number and its street word."""
YEAR_NOUNS = frozenset({
    "election", "elections", "season", "census", "budget", "games", "olympics", "cup", "campaign",
    "summit", "crisis", "war", "law", "act", "model", "report", "vintage", "edition", "level",
    "levels", "figure", "figures", "standard", "standards", "deadline", "target", "targets", "event",
})
"""Nouns a year may modify and still be a year ("the 2016 election", "2010 levels"): a bare
number modifying any other noun is a count ("2015 units")."""
