"""Outlets and origins from the words of the text: never guessed from style.

A page names its publisher in a few conventional ways: an agency credit opening the first
paragraph ("WASHINGTON (AP) —", "(Reuters) -"), a credit closing it ("- Reuters"), its own
promo or copyright lines ("Follow Example.com on Twitter", "© 2024 Example Post"), and its
reporters ("The BBC's Jane Doe in Tehran says", "With files from CTV News' Jane Doe").
A wire credit is also the article's *origin*: where another outlet's text credits an
agency, the agency is the origin and the outlet stays the publisher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import UPPER

_TOKEN = rf"[{UPPER}][\w&'!-]*(?:\.[\w&'!-]+)*"
_NAME = rf"(?:The\s+)?{_TOKEN}(?:\s+(?:{_TOKEN}|of|and|&|de|du)){{0,4}}(?<![\s'])"
_POSSESSIVE = r"(?:'s|\u2019s|'|\u2019)"

SELF_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("promo line", re.compile(r"^(?i:subscribe\s+to|follow|join)\s+(?i:us\s+on\s+)?(?P<outlet>[A-Za-z][\w-]*(?:\.[A-Za-z]{2,})+)\b")),
    ("promo line", re.compile(rf"^(?i:visit)\s+(?P<outlet>{_NAME}){_POSSESSIVE}\s+(?i:homepage|home\s+page|website|site)\b")),
    ("credit line", re.compile(rf"(?i:with\s+files\s+from)\s+(?P<outlet>{_NAME}){_POSSESSIVE}\s+[A-Z]")),
    ("copyright line", re.compile(
        rf"^(?i:copyright|\u00a9|\(c\))\s*(?:\u00a9\s*)?(?:(?:19|20)\d\d(?:\s*[-\u2013]\s*(?:19|20)\d\d)?\s*,?\s*)?(?P<outlet>{_NAME})")),
)
"""Lines (furniture the cleaner removed) in which a page names itself."""

WIRE_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("closing credit", re.compile(rf"^[-\u2013\u2014]{{1,2}}\s*(?P<outlet>{_NAME})\.?\s*$")),
    ("source line", re.compile(rf"^(?i:source|sources)\s*:\s*(?P<outlet>{_NAME})\.?\s*$")),
    ("credit line", re.compile(rf"^(?i:with\s+files\s+from)\s+(?P<outlet>{_NAME})\.?\s*$")),
)
"""Credit lines that name where the report came from (an agency, a source outlet)."""

REPORTER = re.compile(
    rf"(?:^|(?<=[.!?\"\u201d]\s))(?P<stated>(?P<outlet>The\s+[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){{0,3}}|[A-Z]{{2,}}[\w&.-]*)"
    rf"{_POSSESSIVE}\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){{1,2}}(?:\s+(?:in|at|from)\s+[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)?,?\s+"
    rf"(?:reports|says))\b",
    re.MULTILINE,
)
"""In-text: "The BBC's Jane Doe in Tehran says", "CNN's Jane Doe reports": an outlet's own
correspondent, in the present tense. A possessor that is an acronym or a "The ..." name
("Smith's lawyer Jane Doe says" names no outlet); past tense ("The Herald's Jane Doe wrote
on Monday") is how a page cites another outlet, so it names none."""

_NOT_A_NAME = re.compile(r"^(?:The\s+)?(?:All|Rights|Reserved|Photo|Image|Picture|Getty|Copyright)\b", re.IGNORECASE)
_PHOTO = re.compile(r"\b(?:photo|image|picture|getty|shutterstock)\w*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Credit:
    name: str
    stated: str
    """The words that state it."""
    how: str
    in_text: bool = False
    """True when ``stated`` is part of the clean text (a span can point at it)."""


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().rstrip(".,;:!").strip()


def self_credit(block: str) -> Credit | None:
    """The outlet a removed furniture line names as the page's own, if any."""
    if _PHOTO.search(block):
        return None  # a photo credit names the photographer's agency, not the publisher
    for how, pattern in SELF_PATTERNS:
        m = pattern.search(block)
        if m and not _NOT_A_NAME.match(m.group("outlet")):
            return Credit(_clean_name(m.group("outlet")), block, how)
    return None


def wire_credit(block: str, *, closing: bool = True) -> Credit | None:
    """The outlet or agency a removed credit line names as the report's source, if any
    (a "- Name" line credits only where it closes the page: ``closing``)."""
    if _PHOTO.search(block):
        return None
    for how, pattern in WIRE_PATTERNS:
        if how == "closing credit" and not closing:
            continue
        m = pattern.search(block)
        if m and not _NOT_A_NAME.match(m.group("outlet")):
            return Credit(_clean_name(m.group("outlet")), block, how)
    return None


def reporter_credit(text: str) -> Credit | None:
    """ "The BBC's Jane Doe in Tehran says": the outlet of the reporter the text quotes as its own."""
    m = REPORTER.search(text)
    if not m:
        return None
    name = re.sub(r"^The\s+(?=[A-Z]{2,})", "", m.group("outlet"))
    return Credit(_clean_name(name), m.group("stated"), "reporter credit", in_text=True)
