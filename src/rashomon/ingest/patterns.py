"""Word lists and patterns that clean article text (data, kept in one place).

Tuned by reading the five seed articles and the layouts of ../shared/eval (GGT, Timeline17,
PolNeAR); each pattern is written for a family of layouts, never for one article.
"""

from __future__ import annotations

import re

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)

# A line that is only a date, optionally with a time: "Aug 07, 2025", "7 August 2025",
# "2025-08-07", "August 7, 2025 10:32 GMT", "Published: 7 Aug 2025".
DATE_LINE = re.compile(
    rf"""^\s*(?:(?:published|updated|posted|date)\s*:?\s*)?
    (?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?
    (?:
        (?P<m1>{MONTHS})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)
      | (?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTHS})\.?,?\s+(?P<y2>(?:19|20)\d\d)
      | (?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d)
    )
    (?:[,\s]+(?:at\s+)?\d{{1,2}}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}})?)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

# A dateline that opens the first paragraph: "Moscow [Russia], August 7 :",
# "WASHINGTON, Aug. 7 (Reuters) -", "LONDON (AP) —". Group `outlet` is set only when
# the dateline names an agency in parentheses.
DATELINE = re.compile(
    rf"""^(?P<dateline>
        (?P<place>[A-Z][A-Za-z .'-]{{1,40}}?)(?:\s*\[(?P<country>[A-Za-z .'-]{{2,40}})\])?
        ,?\s*
        (?:(?P<month>{MONTHS})\.?\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>(?:19|20)\d\d))?)?
        \s*(?:\((?P<outlet>[A-Z][A-Za-z.&' -]{{1,30}})\))?
        \s*[:\u2013\u2014-]+\s+)""",
    re.VERBOSE,
)

# An agency tag opening a paragraph: "(MENAFN) The anticipated ..."
AGENCY_TAG = re.compile(r"^\((?P<outlet>[A-Z][A-Za-z.&-]{1,24}(?: [A-Z][A-Za-z.&-]{1,24}){0,2})\)\s*[-\u2013\u2014:]?\s*")

# Lines a newsroom's template adds around the story.
BOILERPLATE = re.compile(
    r"""^(?:subscribe\b|sign\s+up\b|follow\s+us\b|follow\s+\S+\s+on\b|join\s+us\s+on\b|
    read\s+more\b|read\s+also\b|related\s*:|see\s+also\b|click\s+here\b|share\s+this\b|
    advertisement\b|all\s+rights\s+reserved|copyright\b|\u00a9|download\s+the\s+app\b|
    get\s+the\s+latest\b|this\s+story\s+has\s+been\s+(?:published|edited)\b|newsletter\b)""",
    re.IGNORECASE | re.VERBOSE,
)
# "Subscribe to Example.net alerts" names the outlet that wrote the template.
SUBSCRIBE_OUTLET = re.compile(
    r"^(?:subscribe\s+to|follow|join)\s+(?:us\s+on\s+)?(?P<outlet>[A-Z][\w.-]*(?:\.[A-Za-z]{2,})[\w.-]*)",
    re.IGNORECASE,
)

BYLINE = re.compile(
    r"^(?:by\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:\s+(?:and|&)\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})?\s*$|"
    r"author\W{0,2}s?\s+name\b|author\s*:|written\s+by\b|reporting\s+by\b|editing\s+by\b)",
    re.IGNORECASE,
)

# Photo captions and credits: "... Photo: EPA/ANATOLY MALTSEV", "(Getty Images)".
CAPTION = re.compile(
    r"(?:\b(?:photo|photograph|picture|image|file\s+photo|credit)s?\s*(?:credit)?\s*:\s*\S|"
    r"\((?:photo|image)\b[^)]*\)\s*$|\bgetty\s+images\s*\)?\s*$|/\s*(?:AFP|Reuters|AP|EPA)\s*\)?\s*$|"
    r"^\s*(?:photo|image|picture)\s*:)",
    re.IGNORECASE,
)

BARE_URL = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)

# A first line is a title when it is short and does not read as a finished sentence.
TITLE_MAX_CHARS = 160
TITLE_MAX_WORDS = 24
