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

UPPER = "A-ZÀ-ÖØ-ÞΑ-ΩА-ЯЁ"
"""Capital letters of the Latin, Greek and Cyrillic alphabets (inside a character class):
datelines and agency credits in other languages ("МОСКВА (РИА Новости) —", "SÃO PAULO (AFP) -")."""
LETTER = r"(?:[^\W\d_])"
"""Any letter, any script."""
LOWER_AGENCY = r"[a-z]{2,4}"
"""An agency that writes its name in lower case, in brackets ("(dpa)", "(epd)"): two to four letters."""

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

# A date inside a publication line ("Page last updated at 08:03 GMT, Tuesday, 26 July 2011",
# "HOUSTON | Thu Apr 22, 2010 7:30 pm EDT").
DATE_IN = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{MONTHS})\.?,?\s+(?P<y1>(?:19|20)\d\d)|"
    rf"(?P<m2>{MONTHS})\.?\s+(?P<d2>\d{{1,2}})\s*,?\s+(?P<y2>(?:19|20)\d\d))\b",
    re.IGNORECASE,
)

# A dateline that opens the first paragraph: "Moscow [Russia], August 7 :",
# "WASHINGTON, Aug. 7 (Reuters) -", "LONDON (AP) —", "Berlin, 7. August 2025 (dpa) -",
# "Madrid, 12 mar (EFE).-" (Spanish wires put a full stop between the bracket and the dash) (a date
# in another language is read by ingest/foreign.py from the removed dateline). Group `outlet` is set only when
# the dateline names an agency in parentheses.
DATELINE = re.compile(
    rf"""^(?P<dateline>
        (?P<place>[{UPPER}](?:{LETTER}|[ .'-]){{1,40}}?)(?:\s*\[(?P<country>[A-Za-z .'-]{{2,40}})\])?
        ,?\s*
        (?:(?P<month>{MONTHS})\.?\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>(?:19|20)\d\d))?
          |(?P<dayfirst>\d{{1,2}}\.?\s+{LETTER}{{3,12}}\.?(?:\s+(?:19|20)\d\d)?))?
        \s*(?:\((?P<outlet>[{UPPER}](?:{LETTER}|[.&' -]){{1,30}}|{LOWER_AGENCY})\))?
        \s*(?:(?<=\))\.)?[:\u2013\u2014-]+\s+)""",
    re.VERBOSE,
)

AGENCY_SLOT = rf"[{UPPER}](?:{LETTER}|[.&' -]){{1,30}}?|{LOWER_AGENCY}"
"""An agency's name between credit markers: a capitalised run of letters (any script) or a
lower-case short name ("dpa")."""

# A dateline in the slash style of Russian wires: "МОСКВА, 6 декабря. /ТАСС/. Текст",
# "КИЕВ /ТАСС/ - Текст": place, optional day-first date, the agency between slashes.
SLASH_DATELINE = re.compile(
    rf"""^(?P<dateline>
        (?P<place>[{UPPER}](?:{LETTER}|[ .'-]){{1,40}}?)
        (?:,\s*\d{{1,2}}\.?\s+{LETTER}{{3,12}}\.?(?:\s+(?:19|20)\d\d)?)?
        \s*/(?P<outlet>{AGENCY_SLOT})/\.?
        \s*[:\u2013\u2014-]*\s+)(?=\S)""",
    re.VERBOSE,
)

NEWS_AGENCIES: tuple[str, ...] = (
    # international wires
    "Reuters", "AP", "Associated Press", "AFP", "Agence France-Presse", "Bloomberg", "UPI",
    # national agencies, Europe
    "dpa", "DPA", "epd", "KNA", "APA", "SDA", "Keystone-SDA", "ANSA", "Adnkronos", "AGI", "EFE", "Europa Press",
    "Lusa", "Belga", "ANP", "PAP", "ČTK", "CTK", "TASR", "MTI", "Agerpres", "BTA", "HINA", "Tanjug", "STA",
    "ANA-MPA", "TT", "NTB", "Ritzau", "STT", "LETA", "ELTA", "BNS", "ERR", "PA", "PA Media", "Ukrinform",
    "UNIAN", "Interfax", "Interfax-Ukraine", "TASS", "ITAR-TASS", "RIA Novosti", "RIA", "Prime", "Sputnik",
    "BelTA", "Anadolu", "AA",
    # Cyrillic spellings of the same agencies
    "ТАСС", "ИТАР-ТАСС", "РИА Новости", "РИА", "Интерфакс", "Интерфакс-Украина", "ПРАЙМ", "Спутник",
    "Укринформ", "Укрінформ", "УНИАН", "УНІАН", "БелТА", "Рейтер", "Франс Пресс", "Ассошиэйтед Пресс",
    "Синьхуа", "Киодо",
    # elsewhere
    "Xinhua", "Kyodo", "Jiji", "Yonhap", "PTI", "IANS", "ANI", "Bernama", "Antara", "AAP", "CP",
    "Canadian Press", "Agência Brasil", "Notimex", "Télam", "IRNA", "WAFA", "MENA", "SPA", "WAM", "QNA",
    "KUNA", "Petra", "APS", "MAP", "TAP", "NAN", "KUNA", "Kazinform", "Trend", "Azertac", "Armenpress",
)
"""The world's major news agencies, in the scripts they sign in. Written from general knowledge
of the international wire services and the national agencies of Europe, the former USSR, Asia,
the Americas, Africa and the Middle East (issue 21); not taken from any article or evaluation
set. Used only where a credit's position alone is ambiguous: a dash and a name at the end of
the last paragraph (``TAIL_CREDIT``). Credits between markers ("(X)", "/X/") need no list."""

TAIL_CREDIT = re.compile(
    r"(?<=[.!?\u00bb\u201d\"\u2026])\s+[-\u2013\u2014]{1,2}\s*(?P<outlet>"
    + "|".join(re.escape(a) for a in sorted(set(NEWS_AGENCIES), key=len, reverse=True))
    + r")\.?\s*$"
)
"""A credit closing the last paragraph after its final sentence: "... бесплатным. — РИА Новости."
(a sentence end, a dash, one of ``NEWS_AGENCIES``, nothing after)."""

# An agency tag opening a paragraph: "(MENAFN) The anticipated ..."
AGENCY_TAG = re.compile(rf"^\((?P<outlet>[{UPPER}](?:{LETTER}|[.&-]){{1,24}}(?: [{UPPER}](?:{LETTER}|[.&-]){{1,24}}){{0,2}}|{LOWER_AGENCY})\)"
                        r"\s*[-\u2013\u2014:]?\s*")

# A wire dateline after a headline run into the lede (a page pasted without line breaks):
# "... Headline words WASHINGTON (Reuters) - The lede". Capitals only, the agency in brackets.
INNER_DATELINE = re.compile(
    rf"(?:(?<=\s)|^)(?P<dateline>[{UPPER}][{UPPER}.'-]+(?:\s[{UPPER}][{UPPER}.'-]+){{0,3}}(?:\s*,\s*[{UPPER}][\w.]+\.?(?:\s+\d{{1,2}})?)?"
    rf"\s*\(\s*(?P<outlet>[{UPPER}](?:{LETTER}|[.&' -]){{1,30}}?|{LOWER_AGENCY})\s*\)\s*[-\u2013\u2014:]+)\s+"
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


# ----------------------------------------------------------------------------- block cleaner
# Numbers the block cleaner (ingest/furniture.py) decides with. Tuned by reading cleaned
# Timeline17 pages (bpoil_guardian, H1N1_reuters, MJ_bbc: collections the 20-article read-out
# of docs/bench/clean.md does not use) and invented layouts; brief gold is only reported on.

FURNITURE_MAX_WORDS = 40
"""A 'start' phrase of the lexicon ("Read more", "Reporting by") marks a block as furniture
only when the block is at most this long: a 60-word paragraph that opens with "Subscribe"
is prose. Template lines seen on the tuning pages run 2–35 words."""

FURNITURE_MAX_CHARS = 2000
"""A block longer than this is a paragraph of the report, whatever it holds (the longest
furniture block on the tuning pages, a licence notice, runs to about 600 characters)."""

SPLIT_MIN_CHARS = 300
"""A line longer than this that holds several sentences is cleaned sentence by sentence
(pages pasted without line breaks). Shorter lines are one block."""
SPLIT_MAX_CHARS = 300_000
"""...and so is a line longer than this (a whole book on one line is not a pasted page:
Timeline17's longest one-line article has 244,000 characters)."""

SHAPE_MAX_WORDS = 5
"""In the tail after the last paragraph of prose, a block this short with no verb, no figure
and no closing punctuation ("Highlights", "Most popular") is furniture; with closing
punctuation only at one or two words ("Details later."): "Time for a ban." is the report."""

PROSE_MIN_WORDS = 8
"""A block of at least this many words, with a verb and closing punctuation, is prose: the
report runs from the first to the last such block."""

LINK_DENSITY = 0.6
"""Share of a block's characters in URL-like tokens above which the block is a link."""

COMMENT_RUN = 3
COMMENT_WINDOW = 5
"""A reader-comment thread starts at a block with strong comment evidence (a comment's
controls "Reply | Report abuse", a "Posted by: name |" header, "name wrote:", a handle with a
timestamp) when at least COMMENT_RUN blocks from there on carry strong evidence, or when
COMMENT_RUN of COMMENT_WINDOW consecutive blocks carry any (a timestamp or handle alone is
weak: a live blog's time stamps are not comments), or at a comment heading from the lexicon;
it runs to the end of the page and goes as one block."""

REPEAT_MIN_ARTICLES = 3
"""A block whose template (digits, month and day names folded) was seen in at least this many
other articles of the same outlet or host is that source's furniture."""
REPEAT_MAX_WORDS = 30
"""...unless it is longer than this: wires repeat whole background paragraphs across a story's
updates, and those are the report."""

VERB_CUES = frozenset(
    "is are was were be been being am has have had do does did will would can could may might "
    "must shall should said says say told tells tell according added adds asked warned announced "
    "reported reports wrote writes claimed died killed".split()
)
"""Words that show a block is a sentence (with words ending -ed/-ing of 5+ letters)."""

URL_TOKEN = re.compile(
    r"(?:^[a-z][a-z0-9+.-]*://|^www\.|[\w-]\.(?:com|org|net|gov|edu|int|info|co|uk|ca|au|in|io|ly|tv|fm|me|us|de|fr|nl|ru|html?|php|aspx?|jsp|stm|cms)(?:[/?#.:]|$)|/\S)",
    re.IGNORECASE,
)
FILE_TOKEN = re.compile(r"\w\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|mp4|mov|mp3|pdf|docx?)\b", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w.])@\w{2,30}\b")
TIMESTAMP = re.compile(
    rf"\b(?:\d{{1,2}}\s*(?:min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago|"
    rf"\d{{1,2}}[:.]\d\d\s*(?:[ap]\.?m\.?)|(?:{MONTHS})\.?\s+\d{{1,2}}\s*,?\s+(?:19|20)\d\d\s+(?:at\s+)?\d{{1,2}}[:.]\d\d|"
    rf"(?:19|20)\d\d-\d\d-\d\d[ T]\d\d:\d\d|yesterday\s+at|today\s+at)\b",
    re.IGNORECASE,
)
COMMENT_CONTROL = re.compile(
    r"(?:^|[|\s\u00b7\u2022])(?i:report\s+(?:abuse|this\s+comment)|flag\s+as\s+inappropriate|reply(?:\s+to\s+this)?|recommend|permalink)"
    r"(?:\s*[|\u00b7\u2022]|\s*$|\s+(?=[A-Z@]))"
)
"""The controls under a reader's comment ("Reply | Report abuse", "Recommend")."""
COMMENT_HEADER = re.compile(r"\bposted\s+by\s*:?\s*\S+\s*(?:\||at\b|on\b)", re.IGNORECASE)
"""A comment's header: "Posted by: reader42 | June 16, 2010 5:17 PM"."""
COMMENT_AUTHOR = re.compile(r"^(?:\S+(?:\s+\S+){0,3})\s+(?:wrote|replied|commented)\s*:\s*", re.IGNORECASE)

# "Headline - Example Mirror" / "Headline | Example Post": a page title that ends with the
# site's name (capitalised words only, so "Talks fail - again" is not a credit).
TITLE_CREDIT = re.compile(
    r"\s+[-\u2013\u2014|]\s+(?P<outlet>(?:The\s+)?[A-Z][\w.&'!-]*(?:\s+[A-Z][\w.&'!-]*){0,3})\s*$"
)
