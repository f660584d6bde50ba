"""Plain text → clean body, title, date, outlet and the blocks removed from it.

One function, :func:`clean_text`, runs numbered steps over the article's lines; each
step is a small function. What a step takes out of the body is kept in ``removed`` with
its kind, so nothing the article said is lost.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from ..model import Removed
from . import credits as C
from . import furniture as F
from . import patterns as P

_MONTH_NUMBER = {
    name.lower(): i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}


@dataclass(slots=True)
class Cleaned:
    """What :func:`clean_text` found."""

    text: str
    title: str | None = None
    published: str | None = None
    published_note: str | None = None
    outlet: str | None = None
    outlet_note: str | None = None
    removed: list[Removed] = field(default_factory=list)
    outlet_stated: str | None = None
    """The words that state the outlet (in ``text`` when ``outlet_in_text``, else a removed block)."""
    outlet_in_text: bool = False
    origin: str | None = None
    """The wire or source the text credits ("(Reuters) -", "- AP", "Source: X")."""
    origin_stated: str | None = None
    closing: str | None = None
    """The credit block that closed the page ("- Reuters"), if one did."""


def normalize(text: str) -> str:
    """NFC, one kind of line break, no trailing spaces, no zero-width characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u200b", "").replace("\ufeff", "")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def clean_text(raw: str, *, find_title: bool = True, known: frozenset[str] = frozenset()) -> Cleaned:
    """Clean a plain-text article, block by block.

    1. normalise characters and split into non-empty lines;
    2. take the title from the first line when it reads as one (a trailing " - Outlet"
       on it is a credit);
    3. take a date-only line near the top as the publication date;
    4. cut furniture found inside lines (an embedded post's credit, a share bar, a trailing
       "RELATED: ..." headline), then split long multi-sentence lines into sentences;
    5. strip a dateline or agency tag opening the first paragraph (it may give the date
       and the outlet);
    6. decide block by block (:func:`furniture.classify`; a reader-comment thread goes as
       one block; ``known`` holds the block templates learned as this source's furniture);
    7. read the outlet and origin from the credits removed and the text kept.
    """
    lines = [line.strip() for line in normalize(raw).split("\n")]
    lines = [line for line in lines if line]
    out = Cleaned(text="")
    if find_title:
        lines = _take_title(lines, out)
    lines = _take_date_lines(lines, out)
    lines = _take_title_credit(lines, out)
    blocks = _inline_blocks(lines, out)
    blocks = _take_dateline(blocks, out)
    blocks = _take_furniture(blocks, out, known)
    blocks = _take_tail_credit(blocks, out)
    out.text = _join(blocks)
    _read_credits(out)
    return out


Block = tuple[int, str]
"""(line number, text): a line, or a sentence of a long line."""


def _join(blocks: list[Block]) -> str:
    lines: dict[int, list[str]] = {}
    for line, text in blocks:
        if text:
            lines.setdefault(line, []).append(text)
    return "\n".join(" ".join(parts) for _, parts in sorted(lines.items()))


def text_blocks(text: str) -> list[Block]:
    """The blocks of a clean text (as :func:`clean_text` split it)."""
    return [(i, seg) for i, line in enumerate(text.split("\n")) for seg in F.split_line(line) if seg]


def _take_title_credit(lines: list[str], out: Cleaned) -> list[str]:
    """Step 2b: "Headline - Example Mirror" as the first line: the suffix credits the outlet."""
    target = out.title if out.title is not None else (lines[0] if lines else None)
    if target is None or is_prose_line(target):
        return lines
    m = P.TITLE_CREDIT.search(target)
    if not m or len(target[:m.start()].split()) < 3:
        return lines
    stated = m.group(0).strip()
    out.removed.append(Removed("credit", stated))
    out.outlet, out.outlet_note, out.outlet_stated = m.group("outlet"), f"title credit {stated!r}", stated
    head = target[:m.start()].rstrip()
    if out.title is not None:
        out.title = head
        return lines
    return [head] + lines[1:]


def is_prose_line(line: str) -> bool:
    return bool(re.search(r"[.!?]\s*$", line)) and len(line.split()) > P.TITLE_MAX_WORDS // 2


def _inline_blocks(lines: list[str], out: Cleaned) -> list[Block]:
    """Step 4."""
    blocks: list[Block] = []
    for i, line in enumerate(lines):
        if len(line) < P.SPLIT_MIN_CHARS and F.classify(line, tail=False):
            blocks.append((i, line))  # furniture as a whole: step 6 takes all of it
            continue
        pieces, cuts = F.cut_inline(line)
        out.removed.extend(Removed(kind, text) for kind, text in cuts)
        for kind, text in cuts:
            if kind == "dateline" and out.published is None and i < 4:
                _date_of_publication_line(text, out)
        blocks.extend((i, seg) for piece in pieces for seg in F.split_line(piece) if seg)
    return blocks


def _take_furniture(blocks: list[Block], out: Cleaned, known: frozenset[str]) -> list[Block]:
    """Step 6."""
    prose = [k for k, (_, b) in enumerate(blocks) if F.is_prose(b)]
    last_prose = prose[-1] if prose else -1
    lexical = [F.lexicon_kind(b) for _, b in blocks]
    thread = _comment_thread(blocks, lexical, first=prose[0] if prose else 0)
    kept: list[Block] = []
    for k, (line, block) in enumerate(blocks):
        if thread is not None and k >= thread:
            continue
        kind = F.classify(block, tail=k > last_prose, kind=lexical[k])
        if kind is None and known and F.block_print(block) in known:
            kind = F.lexicon_kind(block) or "other"
        if kind is None:
            kept.append((line, block))
            continue
        if kind == "credit" and k == len(blocks) - 1:
            out.closing = block
        out.removed.append(Removed(kind, block))
    if thread is not None:
        out.removed.append(Removed("comment", "\n".join(b for _, b in blocks[thread:])))
    return kept


def _comment_thread(blocks: list[Block], lexical: list[str | None], *, first: int) -> int | None:
    """Where a reader-comment thread starts (it runs to the end), or None."""
    evidence = [F.comment_evidence(b, kind or "") for (_, b), kind in zip(blocks, lexical)]
    strong_after = [0] * (len(blocks) + 1)
    for k in range(len(blocks) - 1, -1, -1):
        strong_after[k] = strong_after[k + 1] + (evidence[k] == 2)
    for k in range(max(first + 1, 1), len(blocks)):
        if evidence[k] != 2:
            continue
        heading = lexical[k] == "comment" and bool(re.search(r"\bcomment", blocks[k][1], re.I))
        window = evidence[k:k + P.COMMENT_WINDOW]
        if (heading and len(blocks) - k >= 2) or strong_after[k] >= P.COMMENT_RUN \
                or sum(e > 0 for e in window) >= P.COMMENT_RUN:
            return k
    return None


def _read_credits(out: Cleaned) -> None:
    """Step 7: the outlet the page names as its own (its promo, copyright or title credit,
    its reporter); the wire or source it credits (an agency dateline, a closing credit) is
    the origin, and the outlet too where the page names no other."""
    own = None
    wire = C.Credit(out.origin, out.origin_stated, "agency credit") if out.origin else None
    for r in out.removed:
        mine = C.self_credit(r.text)
        own = own or mine
        if r.kind in ("credit", "copyright", "other") and wire is None and mine is None \
                and r.text != out.outlet_stated:  # a title credit names the site, not a source
            wire = C.wire_credit(r.text, closing=r.text == out.closing)
    own = own or C.reporter_credit(out.text)
    if out.outlet is None and own is not None:
        out.outlet, out.outlet_note = own.name, f"{own.how} {own.stated!r}"
        out.outlet_stated, out.outlet_in_text = own.stated, own.in_text
    if wire is not None:
        out.origin, out.origin_stated = wire.name, wire.stated
        if out.outlet is None:
            out.outlet, out.outlet_note, out.outlet_stated = wire.name, f"{wire.how} {wire.stated!r}", wire.stated


def _looks_like_title(line: str) -> bool:
    words = line.split()
    if len(line) > P.TITLE_MAX_CHARS or len(words) > P.TITLE_MAX_WORDS:
        return False
    if P.DATE_LINE.match(line) or P.BARE_URL.match(line) or P.CAPTION.search(line):
        return False
    if line.endswith((".", ";", ",")) and not line.endswith(("..", "Jr.", "U.S.")):
        return False
    return True


def _take_title(lines: list[str], out: Cleaned) -> list[str]:
    """Step 2."""
    i = 0
    while i < len(lines) and (P.CAPTION.search(lines[i]) and len(lines[i]) < 400):
        i += 1  # a caption above the headline is not the headline
    if i < len(lines) and _looks_like_title(lines[i]) and len(lines) > i + 1:
        out.title = lines[i]
        return lines[:i] + lines[i + 1 :]
    return lines


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _date_of_line(line: str) -> str | None:
    m = P.DATE_LINE.match(line)
    if not m:
        return None
    if m.group("y3"):
        return _iso(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
    month = _MONTH_NUMBER.get((m.group("m1") or m.group("m2")).lower().rstrip("."))
    day = int(m.group("d1") or m.group("d2"))
    year = int(m.group("y1") or m.group("y2"))
    return _iso(year, month, day) if month else None


def _date_of_publication_line(text: str, out: Cleaned) -> None:
    """A publication line near the top ("Last updated: 28 November 2005, 02:24 GMT") states the date."""
    m = P.DATE_IN.search(text)
    if not m:
        return
    month = _MONTH_NUMBER.get((m.group("m1") or m.group("m2")).lower().rstrip("."))
    value = _iso(int(m.group("y1") or m.group("y2")), month, int(m.group("d1") or m.group("d2"))) if month else None
    if value:
        out.published, out.published_note = value, f"publication line {text!r}"


def _take_date_lines(lines: list[str], out: Cleaned) -> list[str]:
    """Step 3: only the first few lines can carry the article's own date."""
    kept = []
    for i, line in enumerate(lines):
        value = _date_of_line(line) if i < 4 else None
        if value is not None:
            if out.published is None:
                out.published = value
                out.published_note = f"date line {line!r}"
            out.removed.append(Removed("dateline", line))
            continue
        kept.append(line)
    return kept


def _take_dateline(blocks: list[Block], out: Cleaned) -> list[Block]:
    """Step 5: a dateline or agency tag at the start of the first body paragraph."""
    for i, (line_no, line) in enumerate(blocks[:3]):
        tag = P.AGENCY_TAG.match(line)
        if tag:
            stated = tag.group(0).strip()
            out.origin, out.origin_stated = tag.group("outlet"), stated
            out.removed.append(Removed("dateline", stated))
            blocks[i] = (line_no, line[tag.end():])
            return blocks
        slash = P.SLASH_DATELINE.match(line)
        if slash:  # "МОСКВА, 6 декабря. /ТАСС/. ..."
            stated = slash.group("dateline").strip()
            out.origin, out.origin_stated = slash.group("outlet").strip(), stated
            out.removed.append(Removed("dateline", stated))
            blocks[i] = (line_no, line[slash.end():])
            return blocks
        m = P.DATELINE.match(line)
        if m and (m.group("country") or m.group("month") or m.group("outlet") or m.group("place").isupper()):
            if len(m.group("place").split()) > 4:
                continue
            stated = m.group("dateline").strip()
            if m.group("outlet"):
                out.origin, out.origin_stated = m.group("outlet"), stated
            if m.group("month") and out.published is None and m.group("year"):
                month = _MONTH_NUMBER.get(m.group("month").lower())
                value = _iso(int(m.group("year")), month, int(m.group("day"))) if month else None
                if value:
                    out.published, out.published_note = value, f"dateline {stated!r}"
            out.removed.append(Removed("dateline", stated))
            blocks[i] = (line_no, line[m.end():])
            return blocks
    for i, (line_no, line) in enumerate(blocks[:2]):
        m = P.INNER_DATELINE.search(line)
        if m:
            stated = m.group("dateline").strip()
            out.origin, out.origin_stated = m.group("outlet").strip(), stated
            out.removed.append(Removed("dateline", stated))
            blocks[i] = (line_no, (line[:m.start()].rstrip() + " " + line[m.end():]).strip())
            return blocks
    return blocks


def _take_tail_credit(blocks: list[Block], out: Cleaned) -> list[Block]:
    """Step 6b: an agency credit closing the last paragraph ("... — РИА Новости.")."""
    if not blocks:
        return blocks
    line_no, last = blocks[-1]
    m = P.TAIL_CREDIT.search(last)
    if not m or not last[:m.start()].strip():
        return blocks
    stated = m.group(0).strip()
    out.removed.append(Removed("credit", stated))
    out.closing = stated
    return blocks[:-1] + [(line_no, last[:m.start()].rstrip())]


_WS = re.compile(r"\s+")


def fingerprint_text(title: str | None, text: str) -> str:
    """The text that an article's id hashes: title and body with white space folded."""
    return _WS.sub(" ", f"{title or ''}\n{text}").strip().lower()
