"""Word lists for matching names across articles: nicknames, transliteration variants,
honorifics, abbreviations and headline words.

Data only; the rules that use it are in :mod:`rashomon.reconcile.names`. Every list is
hand-written from general knowledge of English names and news style (none of it is taken
from the seeds or the evaluation sets). Keep entries lowercase and accent-free.
"""

from __future__ import annotations

# Given names that are the same name in English use: a nickname and its formal form, or
# spellings of one name in different transliterations. Each group is one name. A given
# name may sit in several groups (e.g. "chris" → Christopher / Christian); two names
# match when some group holds both. Only the first given name is looked up.
GIVEN_NAME_GROUPS: tuple[tuple[str, ...], ...] = (
    ("steve", "steven", "stephen", "stevie"),
    ("bill", "william", "will", "billy", "willy", "liam"),
    ("bob", "robert", "rob", "bobby", "robbie", "bert"),
    ("dick", "richard", "rick", "rich", "ricky", "richie"),
    ("jim", "james", "jimmy", "jamie"),
    ("joe", "joseph", "joey", "jo"),
    ("mike", "michael", "mick", "mickey", "mikey"),
    ("tom", "thomas", "tommy"),
    ("tony", "anthony", "antony"),
    ("dave", "david", "davy"),
    ("dan", "daniel", "danny"),
    ("ed", "edward", "eddie", "ted", "teddy", "ned"),
    ("ted", "theodore", "theo"),
    ("chris", "christopher", "kit"),
    ("chris", "christian"),
    ("chris", "christine", "christina", "christie", "kristine", "kristina"),
    ("nick", "nicholas", "nicolas", "nicky"),
    ("matt", "matthew", "matty"),
    ("pat", "patrick", "paddy"),
    ("pat", "patricia", "patty", "trish"),
    ("sam", "samuel", "sammy"),
    ("sam", "samantha"),
    ("alex", "alexander", "aleksandr", "alexandr", "aleksander", "alexandre", "sasha"),
    ("alex", "alexandra", "aleksandra"),
    ("andy", "andrew", "drew"),
    ("andrei", "andrey", "andriy", "andrii"),
    ("ben", "benjamin", "benny"),
    ("charlie", "charles", "chuck", "chas"),
    ("fred", "frederick", "freddie", "freddy"),
    ("greg", "gregory"),
    ("jeff", "jeffrey", "geoffrey", "geoff"),
    ("jerry", "gerald", "gerry"),
    ("jon", "jonathan", "johnny"),
    ("john", "johnny", "jack"),
    ("ken", "kenneth", "kenny"),
    ("larry", "lawrence", "laurence"),
    ("len", "leonard", "lenny"),
    ("liz", "elizabeth", "beth", "betty", "eliza", "lizzie", "libby"),
    ("kate", "katherine", "catherine", "kathryn", "katie", "kathy", "cathy"),
    ("meg", "margaret", "maggie", "peggy"),
    ("jenny", "jennifer", "jen"),
    ("sue", "susan", "suzanne", "susie"),
    ("deb", "deborah", "debbie", "debra"),
    ("becky", "rebecca"),
    ("ron", "ronald", "ronnie"),
    ("don", "donald", "donnie"),
    ("doug", "douglas"),
    ("phil", "philip", "phillip"),
    ("pete", "peter"),
    ("ray", "raymond"),
    ("rudy", "rudolph", "rudolf"),
    ("stan", "stanley"),
    ("tim", "timothy", "timmy"),
    ("vince", "vincent"),
    ("walt", "walter"),
    ("zach", "zachary", "zack"),
    ("hank", "henry", "harry"),
    ("al", "albert", "alan", "allan", "allen", "alfred"),
    ("abe", "abraham"),
    ("gene", "eugene"),
    ("gus", "augustus", "august"),
    ("jake", "jacob"),
    ("josh", "joshua"),
    ("nate", "nathan", "nathaniel"),
    ("manny", "manuel", "emmanuel", "emanuel"),
    ("mohammed", "muhammad", "mohammad", "mohamed", "muhammed", "mohamad", "mehmet"),
    ("ahmed", "ahmad"),
    ("hussein", "husayn", "hussain", "husain"),
    ("yusuf", "yousef", "yousuf", "youssef"),
    ("omar", "umar"),
    ("osama", "usama"),
    ("vladimir", "volodymyr", "wladimir"),
    ("sergei", "sergey", "serhiy", "serhii", "sergiy"),
    ("yuri", "yury", "yuriy", "yurii", "iouri", "jurij"),
    ("dmitry", "dmitri", "dmitrii", "dmytro"),
    ("mikhail", "mykhailo"),
    ("alexei", "alexey", "aleksei", "aleksey", "oleksiy", "oleksii"),
    ("nikolai", "nikolay", "mykola"),
    ("oleg", "oleh"),
    ("pyotr", "petr", "petro"),
    ("yevgeny", "evgeny", "yevgeniy", "evgeniy", "yevhen"),
    ("maria", "mariya", "marie"),
    ("olena", "yelena", "elena", "helena"),
    ("kirill", "kyrylo"),
)

# Titles and honorifics that may lead a person's name and are not part of it.
HONORIFICS: frozenset[str] = frozenset(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father sister
    president vice prime minister chancellor premier senator sen rep representative
    congressman congresswoman gov governor mayor judge justice gen general col colonel
    lt lieutenant capt captain sgt sergeant adm admiral cmdr commander sheikh sheik king
    queen prince princess emir ayatollah pope cardinal bishop rabbi imam secretary
    ambassador envoy aide spokesman spokeswoman spokesperson minister chief officer
    detective inspector constable agent coach
    """.split()
)

# Courtesy titles and abbreviated ranks taken off the front of a person's canonical name
# ("Sen. Murray Sinclair" → "Murray Sinclair"); full titles ("President") are roles and
# are usually kept out of the name by the mention extractor already.
COURTESY_TITLES: frozenset[str] = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sen", "rep", "gov", "rev", "hon", "sir", "dame",
     "lt", "gen", "col", "capt", "sgt", "adm", "cmdr", "insp", "det", "supt", "cpl", "pte", "st"}
)

# Honorifics that can trail a role when the name follows them ("UK Prime Minister Sir").
HONORIFICS_AFTER_ROLE: frozenset[str] = frozenset({"sir", "dame", "lord", "lady", "mr", "mrs", "ms", "dr", "prof"})

# Name suffixes dropped before matching.
NAME_SUFFIXES: frozenset[str] = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq"})

# Lowercase particles that belong to a surname ("van der Leyen", "bin Salman", "de Gaulle").
SURNAME_PARTICLES: frozenset[str] = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le",
     "bin", "ibn", "al", "el", "abu", "ben", "ter", "ten", "st", "mac", "o"}
)

# Words that cannot be part of a person's name: verbs and nouns of headlines and
# sub-headings that spaCy's small model sometimes tags as PERSON ("Dmitriev Sees Historic
# Importance", "Zelensky Joining Talks"). A PERSON name holding one is cut before it.
HEADLINE_WORDS: frozenset[str] = frozenset(
    """
    says said say sees see meets meet met visits visit raises raise leads lead joins joining
    join signal signals talks talk summit summits meeting meetings turning point
    breakthrough preparations preparation deal deals warns warn urges urge calls call backs
    back slams slam hits hit faces face vows vow plans plan agrees agree rejects reject
    confirms confirm denies deny wins win loses lose announces announce claims claim
    importance historic history ties relations crisis war peace proposal focuses focus
    first dialogue bilateral hopes constructive satisfied both sides after before
    over under amid against with without from into onto about news report reports update
    live video photo watch read more latest breaking exclusive analysis opinion editorial
    checks check dies died dead aged enters enter fires fired sacks sacked signs signed
    hires hired arrested charged killed wins won loses lost quits resigns returns rehab out
    off up down sequel negotiations rules named
    """.split()
)

# Country and bloc names with their usual short forms and official long forms, mapped to
# one key. Abbreviations that spell initials ("UAE", "EU") are matched by rule instead;
# these are the ones no rule can derive.
PLACE_ALIASES: dict[str, str] = {
    "us": "united states",
    "usa": "united states",
    "u s": "united states",
    "u s a": "united states",
    "united states": "united states",
    "united states of america": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "u k": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "united kingdom": "united kingdom",
    "russian federation": "russia",
    "russia": "russia",
    "prc": "china",
    "people's republic of china": "china",
    "peoples republic of china": "china",
    "dprk": "north korea",
    "democratic people's republic of korea": "north korea",
    "rok": "south korea",
    "republic of korea": "south korea",
    "uae": "united arab emirates",
    "emirates": "united arab emirates",
    "ksa": "saudi arabia",
    "kingdom of saudi arabia": "saudi arabia",
    "holland": "netherlands",
    "the netherlands": "netherlands",
    "drc": "democratic republic of the congo",
    "dr congo": "democratic republic of the congo",
    "ivory coast": "cote d'ivoire",
    "burma": "myanmar",
    "czechia": "czech republic",
    "turkiye": "turkey",
    "eu": "european union",
    "un": "united nations",
    "u n": "united nations",
}

# Words skipped when spelling an acronym from a long form ("United Arab Emirates" → UAE,
# "Organization of the Petroleum Exporting Countries" → OPEC).
ACRONYM_STOPWORDS: frozenset[str] = frozenset({"of", "the", "and", "for", "&", "in", "on", "at", "de", "du", "des", "la", "le"})

# Role words ignored when two roles are compared for shared-role evidence.
ROLE_STOPWORDS: frozenset[str] = frozenset(
    """
    the a an of for and to in on at with his her their its s former then current
    new senior top key close chief deputy acting special
    """.split()
)
