"""Word lists and patterns for quotes, speakers, relays and titles (data only).

Everything the quote and speaker rules look up lives here, so a rule change is a data
change. Thresholds carry a note on how they were tuned (GGT dev = the Gender Gap Tracker
development set in ../shared/eval/ggt/dev.jsonl; seeds = ../shared/seeds).
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- cue verbs

CUE_VERBS: frozenset[str] = frozenset(
    """
    say tell state stress write add post note warn confirm announce describe explain
    claim argue insist suggest admit acknowledge concede allege assert declare maintain
    emphasize emphasise reiterate recall recount remark comment reply respond answer
    urge predict promise pledge vow caution complain lament tweet joke quip shout chant
    conclude report reveal disclose indicate point testify contend counter observe
    mention clarify highlight underline underscore estimate
    agree deny dispute reject accuse charge criticize criticise praise call brief inform
    advise propose demand announce signal hint forecast boast concur exclaim muse
    """.split()
)
"""Lemmas of verbs that introduce speech (tuned on GGT dev cue verbs and the seeds).
Belief verbs (believe, think, feel, hope, fear) are left out: on GGT dev they added 20
contents the annotators do not count as quotes and found almost none they do."""

EVIDENTIAL_VERBS: frozenset[str] = frozenset("suggest estimate conclude indicate signal hint forecast".split())
"""Verbs of inference and evidence ("the data suggests", "the PBO estimates that"): a cue for
a direct quote, but no indirect quote of their own. On GGT dev their indirect contents
matched 2 gold quotes and 18 did not (annotators count speech, not findings)."""

# Verbs that only count as a cue when they govern a clause or a quotation (not "call a
# meeting", "think tank"); they never make a bare "X <verb>." next to a quote a cue.
WEAK_CUE_VERBS: frozenset[str] = frozenset(
    "believe think feel hope fear agree call point charge signal forecast estimate indicate "
    "ask brief inform advise propose demand praise criticize criticise accuse dispute reject".split()
)

# "describe X as Y", "characterize X as Y", "call X Y": content is the object + complement.
DESCRIBE_VERBS: frozenset[str] = frozenset("describe characterize characterise call label dub".split())

# Nouns that stand for speech in "in a statement", "the statement said" (speaker = poss).
SPEECH_NOUNS: frozenset[str] = frozenset(
    "statement post tweet address speech interview letter message remarks comments".split()
)

# ----------------------------------------------------------------------------- relays

NEWS_AGENCIES: tuple[str, ...] = (
    "RIA Novosti", "Interfax", "TASS", "Reuters", "Associated Press", "AP", "AFP",
    "Agence France-Presse", "Xinhua", "Bloomberg", "Al Jazeera", "ANI", "PTI", "Sputnik",
    "RT", "CNN", "BBC", "The New York Times", "New York Times", "The Washington Post",
    "Ukrinform", "Kyodo", "Yonhap", "dpa", "Anadolu", "IRNA", "WAFA", "Canadian Press",
    "The Canadian Press",
)
"""Names that are outlets or agencies when they appear as the channel of a statement."""

PLATFORMS: tuple[str, ...] = ("X", "Twitter", "Truth Social", "Telegram", "Facebook",
                              "Instagram", "social media", "YouTube", "TikTok", "Threads",
                              "Bluesky", "LinkedIn", "Weibo", "VKontakte")
"""Social platforms named as the channel ("Writing on Truth Social", "posted on X")."""

MEDIA_WORDS: frozenset[str] = frozenset(
    "News Times Post Press Agency Journal Telegraph Herald Guardian Radio TV Television "
    "Broadcasting Tribune Gazette Daily Wire Novosti Mail Star Globe Chronicle".split()
)
"""An ORG mention holding one of these words is an outlet when it stands as a channel."""

RELAY_NAME = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in sorted(NEWS_AGENCIES, key=len, reverse=True)) + r")(?![\w-])"
)
PLATFORM_NAME = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in sorted(PLATFORMS, key=len, reverse=True)) + r")(?![\w-])"
)

# A relay name counts as the channel of a statement only in one of these contexts: the
# text just before it ("as quoted by", "according to", "agency", "Taking to ... platform")
# or just after it ("quoted", "has reported", "news agency quoted").
RELAY_BEFORE = re.compile(
    r"(?:as quoted by|quoted by|according to|reported by|cited by|told|in an interview with|"
    r"interview with|speaking to|in comments to|writing on|posting on|posted on|wrote on|said on|"
    r"on|via|to|platform|network|agency|broadcaster|newspaper|outlet|channel)\s+(?:the\s+)?"
    r"(?:(?:state|state-run|news|agency|social|media|platform|[A-Z][\w.-]*)\s+){0,3}$",
    re.I,
)
RELAY_AFTER = re.compile(
    r"^(?:'s|’s)?\s*(?:news agency\s+|agency\s+|newspaper\s+|broadcaster\s+)?"
    r"(?:has\s+|had\s+|also\s+)?(?:reported|reports|quoted|quotes|cited|cites|said|says|wrote|writes)\b"
)
STRONG_RELAY_BEFORE = re.compile(r"(?:quoted by|reported by|cited by|carried by)\s+(?:the\s+)?$", re.I)
STRONG_RELAY_AFTER = re.compile(r"^\s+(?:news\s+|press\s+|wire\s+)?(?:agency|service|wire)\b", re.I)
"""Any organisation name is a relay in these contexts ("as quoted by the Norpress agency"),
whether or not its name looks like an outlet's."""
PLATFORM_BEFORE = re.compile(r"(?:\bon|\bvia|\bto|\bplatform|\bnetwork)\s+(?:the\s+|his\s+|her\s+|their\s+|its\s+)?(?:social media platform\s+|platform\s+)?$", re.I)

# ---------------------------------------------------------------------------- titles

TITLE_WORDS: frozenset[str] = frozenset(
    """
    aide adviser advisor envoy president minister secretary spokesman spokeswoman
    spokesperson representative ambassador chancellor premier leader chief head director
    governor mayor senator congressman congresswoman lawmaker official officer diplomat
    negotiator commander general admiral king queen prince princess chairman chairwoman
    chair ceo founder executive manager editor professor dean judge justice attorney
    lawyer prosecutor commissioner councillor councilor coach captain sheriff mp mep
    premier pope bishop rabbi imam analyst economist expert researcher scientist doctor
    dr physician nurse teacher student member deputy assistant counsellor counselor
    billionaire businessman businesswoman activist candidate nominee host anchor reporter
    journalist correspondent author writer owner partner president-elect prime
    speaker whip strategist consultant coordinator superintendent inspector constable
    sergeant lieutenant colonel major marshal principal organizer organiser founder
    co-founder president-elect secretary-general spokesperson vice-president
    """.split()
)
"""Head nouns of a title or role ("Kremlin aide", "special envoy", "the US president")."""

# Title words that name a head of state or government: "the Russian leader" may stand for
# a person titled "President" in the same article. Only GENERIC_LEADER heads do that.
LEADER_CLASS: frozenset[str] = frozenset("leader president premier chancellor king queen prime".split())
GENERIC_LEADER: frozenset[str] = frozenset({"leader"})

TITLE_ABBREVIATIONS: frozenset[str] = frozenset(
    "sen. rep. gov. gen. lt. sgt. insp. const. supt. cpl. col. capt. cmdr. adm. maj. pres. "
    "rev. fr. hon. atty. det. amb. sec. premier mayor minister senator president".split()
)
"""Titles written before a name that are never part of it ("Sen. Murray Sinclair")."""

PROXY_NOUNS: frozenset[str] = frozenset(
    "spokesman spokeswoman spokesperson aide adviser advisor representative envoy assistant deputy secretary".split()
)
"""People who speak for someone else: "the spokesman said" is the spokesman (a person whose
role has that noun, or the description), never the leader he speaks for; only "on behalf of X"
makes X the speaker."""

PLACE_NOUNS: frozenset[str] = frozenset(
    "town city village island region area district province county neighbourhood neighborhood "
    "street capital port coast valley suburb municipality".split()
)
"""Nouns of places: a place is never a speaker, except a named place as its government
("Beijing said") when it is the cue verb's own subject."""

PERSON_NOUNS: frozenset[str] = frozenset(
    """
    man woman boy girl father mother son daughter wife husband brother sister player
    winger forward defenceman defenseman goalie goaltender veteran resident labourer
    laborer worker farmer driver owner victim survivor witness neighbour neighbor
    parent grandmother grandfather teenager student pilot officer professor coach
    fan friend mom dad singer actor actress artist musician athlete golfer skater
    """.split()
)
"""Nouns that describe a person: "the 26-year-old right winger said" is a known person."""

ORG_NOUNS: dict[str, str] = {
    "company": "ORG", "firm": "ORG", "agency": "ORG", "union": "ORG", "group": "ORG",
    "organization": "ORG", "organisation": "ORG", "department": "ORG", "ministry": "ORG",
    "bank": "ORG", "party": "ORG", "board": "ORG", "association": "ORG", "council": "ORG",
    "committee": "ORG", "commission": "ORG", "diocese": "ORG", "network": "ORG",
    "corporation": "ORG", "government": "ORG", "airline": "ORG", "retailer": "ORG",
    "club": "ORG", "team": "ORG", "league": "ORG", "foundation": "ORG", "charity": "ORG",
    "university": "ORG", "school": "ORG", "hospital": "ORG", "police": "ORG", "office": "ORG",
    "city": "GPE", "province": "GPE", "country": "GPE", "state": "GPE", "town": "GPE",
    "municipality": "GPE",
}
"""A definite "the company" / "the city" stands for the last organisation / place named."""

DOCUMENT_NOUNS: frozenset[str] = frozenset(
    """
    statement post tweet report study survey poll memo letter email e-mail release
    database data numbers figures findings documents document filing records analysis
    review audit notice website blog message press book article paper column
    """.split()
)
"""Speech and document nouns: "the Civic Action study said" speaks for Civic Action."""

HONORIFICS: dict[str, str | None] = {
    "mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f",
    "sir": "m", "dame": "f", "lady": "f", "lord": "m", "dr": None, "dr.": None,
    "prof": None, "prof.": None,
}
"""Honorifics stripped from names; value = the grammatical gender they imply."""

ROLE_GENDER: dict[str, str] = {
    w: "f" for w in """spokeswoman chairwoman congresswoman businesswoman councilwoman
    alderwoman sportswoman policewoman anchorwoman mother daughter wife sister grandmother
    aunt niece girl woman actress queen princess duchess countess widow mom girlfriend
    stepmother granddaughter""".split()
} | {
    w: "m" for w in """spokesman chairman congressman businessman councilman alderman
    sportsman policeman anchorman father son husband brother grandfather uncle nephew boy
    man actor king prince duke count widower dad boyfriend stepfather grandson""".split()
}
"""Role and kinship nouns that state a person's gender ("spokeswoman Jane Roe", "X, the
victim's mother"): in-article evidence for he/she."""

NAME_PARTICLES: frozenset[str] = frozenset(
    "al el bin ben ibn abu van von de da di du del della der den le la y e dos das".split()
)
"""Lower-case or leading particles of surnames ("Al Hashish", "Ludwig van Beethoven"): never a
given name, and the only lower-case words a PERSON name may hold ("Birth of Modern Canada" is none)."""

STATEMENT_NOUNS: frozenset[str] = frozenset("statement release notice message letter email e-mail".split())
"""Nouns of a statement whose author may be named only in the sentence before ("A statement said")."""

GENERIC_ORG_NOUNS: frozenset[str] = frozenset(
    "company firm group organization organisation corporation airline retailer city province country state town".split()
)
"""Org nouns that stand for the last organisation (or place) named even when its name lacks the noun."""

PRONOUNS: dict[str, str] = {
    "he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f",
    "they": "p", "them": "p", "their": "p", "it": "n", "its": "n",
}
"""Personal pronouns and their gender/number class (m, f, plural p, neuter n)."""

# Nationality and country adjectives treated as equal when matching a lone title to a
# role ("the US president" ~ "U.S. President", "the Russian leader" ~ "Russia's").
COUNTRY_FORMS: tuple[frozenset[str], ...] = (
    frozenset({"us", "u.s.", "american", "america", "united states", "washington"}),
    frozenset({"russian", "russia", "russia's", "moscow", "kremlin"}),
    frozenset({"ukrainian", "ukraine", "ukraine's", "kyiv", "kiev"}),
    frozenset({"chinese", "china", "china's", "beijing"}),
    frozenset({"british", "uk", "u.k.", "britain", "britain's"}),
    frozenset({"canadian", "canada", "canada's", "ottawa"}),
    frozenset({"german", "germany", "germany's", "berlin"}),
    frozenset({"french", "france", "france's", "paris"}),
)

# -------------------------------------------------------------------------- thresholds

MIN_DIRECT_WORDS = 4
"""A quoted span with fewer words is a quote only when a cue or speaker is attached (GGT dev)."""

MAX_CUE_DISTANCE_SENTENCES = 1
"""A direct quote without a cue in its own sentence may take the cue of the next sentence
("'...' Then he said: ...") only that far; beyond it, it continues the previous speaker."""

SPEAKER_CARRY_PARAGRAPHS = 2
"""A cue-less quote continues the previous quote's speaker when that quote is at most this
many paragraphs back (GGT dev)."""
