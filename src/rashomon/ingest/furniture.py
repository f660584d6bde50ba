"""Page furniture: which blocks of a page are not the report, and why.

The evidence is what a reader would use: known furniture phrases (one lexicon,
``data/furniture.json``), link and file-name density, handles and timestamps (reader
comments), length and sentence shape (a verb, closing punctuation), position (the tail
after the last paragraph of prose), and repetition across a source's articles (block
templates learned from the store, see :func:`block_print`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from . import patterns as P

KINDS = ("promo", "share", "copyright", "credit", "byline", "navigation", "comment", "link", "dateline", "other")


@dataclass(frozen=True, slots=True)
class Lexicon:
    whole: re.Pattern
    """One alternation of every 'whole' phrase; the name of the group that matched is the kind."""
    start: re.Pattern
    inline: tuple[tuple[str, tuple[str, ...], re.Pattern], ...]
    """(kind, gate words, pattern): the pattern runs on lines holding a gate word."""


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The furniture lexicon, compiled (case-insensitive)."""
    data = json.loads((resources.files("rashomon") / "data" / "furniture.json").read_text(encoding="utf-8"))
    scopes: dict[str, list] = {"whole": [], "start": [], "inline": []}
    for kind in KINDS:
        for scope, items in data.get(kind, {}).items():
            for pattern in items:
                gate = ()
                if isinstance(pattern, dict):
                    gate, pattern = tuple(pattern["if"].split("|")), pattern["re"]
                source = pattern.replace("{MONTHS}", P.MONTHS)
                if scope == "whole":
                    source = rf"(?:{source})[\s.:;,!]*"
                elif scope == "start":
                    source = rf"(?:{source})"
                scopes[scope].append((kind, gate, source) if scope == "inline" else (kind, source))

    def alternation(items: list[tuple[str, str]]) -> re.Pattern:
        return re.compile("|".join(f"(?P<{kind}_{i}>{source})" for i, (kind, source) in enumerate(items)),
                          re.IGNORECASE)

    return Lexicon(alternation(scopes["whole"]), alternation(scopes["start"]),
                   tuple((kind, gate, re.compile(source, re.IGNORECASE)) for kind, gate, source in scopes["inline"]))


# ----------------------------------------------------------------------------- blocks

_SENTENCE_END = re.compile(r"[.!?]+(?:\s?[\"'\u201d\u2019)\]])*\s+(?=(?:[\"'\u201c\u2018(\[]\s?)?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|Mr|Mrs|Ms|Dr|St|No|Jr|Sr|Gov|Sen|Rep|Gen|Col|Lt|Sgt|Cpl|Prof|vs|Inc|Co|Corp|Ltd|Ft|Mt|Rev|Adm|Capt|Cmdr|Maj|Det|Insp|Supt|Hon|Pres|Sens|Reps|Gens|"
                           r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$")


def sentences(line: str) -> list[str]:
    """Cheap sentence split of one line (no parser: it runs on every block of every page)."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(line):
        if line[m.start()] == "." and _ABBREVIATION.search(line, max(0, m.start() - 5), m.start() + 1):
            continue
        out.append(line[start:m.end()].strip())
        start = m.end()
    out.append(line[start:].strip())
    return [s for s in out if s]


def split_line(line: str) -> list[str]:
    """A line as blocks: itself, or its sentences when it is a long run of several."""
    if len(line) < P.SPLIT_MIN_CHARS or len(line) > P.SPLIT_MAX_CHARS:
        return [line]
    return sentences(line)


# ----------------------------------------------------------------------------- evidence

_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


def words(block: str) -> list[str]:
    return _WORD.findall(block)


def has_verb(block: str) -> bool:
    for w in words(block):
        lw = w.lower()
        if lw in P.VERB_CUES or (len(lw) >= 5 and lw.endswith(("ed", "ing"))):
            return True
    return False


def is_prose(block: str) -> bool:
    """A paragraph or sentence of the report: long enough, a verb, closing punctuation."""
    if len(block) > P.FURNITURE_MAX_CHARS:
        return True
    return (len(words(block)) >= P.PROSE_MIN_WORDS and has_verb(block)
            and bool(re.search(r"[.!?:\"'\u201d\u2019)]\s*$", block)))


_LINKY_CHAR = re.compile(r"[./:]\w")


def link_share(block: str) -> float:
    """Share of the block's characters in URL- or file-name-like tokens."""
    tokens = block.split()
    total = sum(len(t) for t in tokens)
    if not total:
        return 0.0
    starts_url = bool(re.match(r"(?:https?:|www\.)", block, re.IGNORECASE))
    linky = 0
    for t in tokens:
        if not starts_url and not _LINKY_CHAR.search(t):
            continue
        if P.URL_TOKEN.search(t) or P.FILE_TOKEN.search(t):
            linky += len(t)
        elif starts_url and (len(t) <= 4 or re.search(r"[/_=?&.:]", t)):
            linky += len(t)  # a URL split by spaces ("http://www. example.com/a. html")
    return linky / total


def comment_evidence(block: str, kind: str | None = None) -> int:
    """How surely a block belongs to a reader-comment thread: 2 strong (a comment's controls
    or header, "name wrote:", a handle with a timestamp, the lexicon's comment lines),
    1 weak (a short block with a timestamp or a handle), 0 none. ``kind``: the block's
    lexicon kind, when known."""
    if len(block) > 1500:
        return 0
    short = len(words(block)) <= 12
    handle, stamp = P.HANDLE.search(block), P.TIMESTAMP.search(block)
    if (P.COMMENT_CONTROL.search(block) or P.COMMENT_HEADER.search(block) or P.COMMENT_AUTHOR.match(block)
            or (handle and stamp and short)):
        return 2
    if (kind if kind is not None else lexicon_kind(block)) == "comment":
        return 2
    return 1 if short and (handle or stamp) else 0


def lexicon_kind(block: str) -> str | None:
    """The furniture kind the lexicon gives the whole block, if any."""
    if len(block) > 12 * P.FURNITURE_MAX_WORDS or len(words(block)) > P.FURNITURE_MAX_WORDS:
        return None
    lex = lexicon()
    m = lex.whole.fullmatch(block) or lex.start.match(block)
    return m.lastgroup.rsplit("_", 1)[0] if m else None


def classify(block: str, *, tail: bool, kind: str | None = None) -> str | None:
    """The furniture kind of one block, or None when it is part of the report.

    ``tail``: the block comes after the last paragraph of prose; ``kind``: its lexicon kind
    when already looked up.
    """
    if len(block) > P.FURNITURE_MAX_CHARS:
        return None
    kind = kind or lexicon_kind(block)
    if kind:
        return kind
    share = link_share(block)
    if share >= P.LINK_DENSITY:
        return "caption" if P.FILE_TOKEN.search(block) and not P.URL_TOKEN.search(block.split()[0]) else "link"
    if P.BYLINE.match(block) and len(block) < 120:
        return "byline"
    if P.CAPTION.search(block) and len(words(block)) <= P.FURNITURE_MAX_WORDS and not _reads_as_quote(block):
        return "caption"
    n = len(words(block))
    if tail and n <= P.SHAPE_MAX_WORDS and not has_verb(block) and not re.search(r"\d", block) \
            and (n <= 2 or not re.search(r"[.!?\"\u201d]\s*$", block)):
        return "other"
    return None


def _reads_as_quote(line: str) -> bool:
    return line.count("\u201c") + line.count('"') >= 2


def cut_inline(line: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Furniture inside a line (an embedded post's credit, "Share this: Twitter Facebook",
    a trailing "RELATED: ..." headline): cut it out; return the pieces left (a cut ends a
    sentence, so the text on either side is never run together) and what was cut."""
    cuts: list[tuple[str, str]] = []
    pieces = [line]
    lowered = line.lower()
    for kind, gate, pattern in lexicon().inline:
        if gate and not any(g in lowered for g in gate):
            continue
        out = []
        for piece in pieces:
            while True:
                m = pattern.search(piece)
                if not m or not m.group(0).strip():
                    break
                cuts.append((kind, m.group(0).strip()))
                if piece[:m.start()].strip():
                    out.append(piece[:m.start()].strip())
                piece = piece[m.end():].strip()
            if piece:
                out.append(piece)
        pieces = out
    return pieces, cuts


# ----------------------------------------------------------------------------- repetition

_FOLD = re.compile(
    rf"\d+|\b(?:{P.MONTHS}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b",
    re.IGNORECASE,
)


def block_print(block: str) -> str | None:
    """The template of a block (digits, month and day names folded), hashed; None for a
    block too long to be furniture (long paragraphs repeat across a story's updates)."""
    if len(words(block)) > P.REPEAT_MAX_WORDS:
        return None
    folded = _FOLD.sub("0", block.lower())
    folded = re.sub(r"[\W_]+", " ", folded).strip()
    if not folded:
        return None
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()[:16]
