"""Parsing long texts in pieces, so one article's analysis costs time and memory linear in its length.

spaCy refuses a text over ``nlp.max_length`` and holds a whole text's arrays at once. A
text longer than :data:`PIECE_CHARS` is cut at paragraph boundaries (else sentence ends,
else white space, else anywhere), each piece is parsed alone, and the pieces' Docs are
joined with ``Doc.from_docs``. Every cut keeps its white space on the left piece, so the
joined Doc's text is the article's text character for character and every span offset
stays valid.

A text that cannot be parsed gives back its exception, so one article never stops the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

PIECE_CHARS = 20_000
"""Longest piece parsed at once (about 3,500 words). Not a quality knob: pieces end at a
paragraph break wherever one exists, and spaCy's models look a few tokens around each word.
Chosen so a piece's arrays stay small; benchmarks/hostile.py measures the cost per article."""

_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")
_SPACE = re.compile(r"\s+")


def cut_points(text: str, limit: int | None = None) -> list[int]:
    """Offsets where ``text`` is cut into pieces of at most ``limit`` (default :data:`PIECE_CHARS`)
    characters; 0 and ``len(text)`` included."""
    limit = limit or PIECE_CHARS
    points = [0]
    start = 0
    while len(text) - start > limit:
        points.append(_cut(text, start, start + limit))
        start = points[-1]
    points.append(len(text))
    return points


def _cut(text: str, start: int, end: int) -> int:
    """The best place to cut ``text[start:end]``: after its last line break, sentence end or
    space in the window's second half, else at ``end``."""
    half = start + (end - start) // 2
    newline = text.rfind("\n", half, end)
    if newline != -1:
        return _after_space(text, newline, end)
    for pattern in (_SENTENCE_END, _SPACE):
        last = None
        for last in pattern.finditer(text, half, end):
            pass
        if last is not None and last.end() < end:
            return last.end()
    return end


def _after_space(text: str, at: int, end: int) -> int:
    while at < end and text[at].isspace():
        at += 1
    return at


def parse_texts(nlp, texts: Sequence[str], batch_size: int = 16) -> Iterator:
    """One spaCy Doc per text (long ones parsed in pieces), or the exception that text raised."""
    from spacy.tokens import Doc

    pieces: list[str] = []
    owners: list[int] = []
    for i, text in enumerate(texts):
        points = cut_points(text)
        for a, b in zip(points, points[1:]):
            pieces.append(text[a:b])
            owners.append(i)
    try:
        docs = list(nlp.pipe(pieces, batch_size=batch_size))
    except Exception:  # find which text fails, and parse the others
        yield from (_parse_one(nlp, text) for text in texts)
        return
    grouped: list[list] = [[] for _ in texts]
    for owner, doc in zip(owners, docs):
        grouped[owner].append(doc)
    for text, parts in zip(texts, grouped):
        try:
            yield parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
        except Exception as exc:
            yield exc


def _parse_one(nlp, text: str):
    from spacy.tokens import Doc

    try:
        points = cut_points(text)
        parts = list(nlp.pipe([text[a:b] for a, b in zip(points, points[1:])]))
        return parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
    except Exception as exc:
        return exc
