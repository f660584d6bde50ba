"""PDF files → Articles, through pypdf's text layer.

Pages are read in order; a line that recurs at the top or bottom of most pages (a running
header or footer, page numbers folded) is furniture; each page's lines are joined back into
paragraphs; the result goes through the same block cleaner as plain text. A PDF with no
text layer (a scan) is rejected with that reason: Rashomon does not run OCR.
"""

from __future__ import annotations

import io
import re
from collections import Counter

from ..model import Article, Rejected, Removed
from .clean import clean_text, normalize
from .furniture import block_print

EDGE_LINES = 2
"""Lines at the top and at the bottom of a page that can be a running header or footer."""
RUNNING_SHARE = 0.5
"""A top/bottom line whose template is on at least this share of the pages (and on 2+) runs."""
MIN_TEXT_CHARS = 20
"""Fewer letters than this on every page: the PDF has no text layer."""


def article_from_pdf(data: bytes, *, source: str) -> Article | Rejected:
    """The article in a text-layer PDF, or why it cannot be read."""
    pages = pdf_pages(data, source)
    if isinstance(pages, Rejected):
        return pages
    body, running = join_pages(pages)
    from .files import article_from_cleaned

    cleaned = clean_text(body)
    cleaned.removed[:0] = [Removed("other", line) for line in running]
    return article_from_cleaned(cleaned, body, source=source,
                                empty="no article text left in the PDF after removing its furniture")


def pdf_pages(data: bytes, source: str) -> list[list[str]] | Rejected:
    """Each page's text lines; a rejection for an unreadable, locked or text-less PDF."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001  (pypdf raises several kinds for a locked file)
                return Rejected(source, "PDF is encrypted: give an unlocked copy")
        texts = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        return Rejected(source, f"PDF could not be read: {exc}")
    if not any(len(re.findall(r"[^\W\d_]", t)) >= MIN_TEXT_CHARS for t in texts):
        return Rejected(source, "PDF has no text layer (a scanned image?): run OCR on it first, "
                                "or give the article as text")
    return [[line.strip() for line in normalize(t).split("\n") if line.strip()] for t in texts]


def join_pages(pages: list[list[str]]) -> tuple[str, list[str]]:
    """The pages as one text of paragraphs, and the running header/footer lines removed."""
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = set(lines[:EDGE_LINES] + lines[-EDGE_LINES:])
        counts.update({p for p in (block_print(line) for line in edge) if p})
    running_prints = {p for p, n in counts.items() if n >= 2 and n >= RUNNING_SHARE * len(pages)}
    removed: list[str] = []
    paragraphs: list[str] = []
    for lines in pages:
        body = []
        for k, line in enumerate(lines):
            at_edge = k < EDGE_LINES or k >= len(lines) - EDGE_LINES
            if at_edge and block_print(line) in running_prints:
                removed.append(line)
            else:
                body.append(line)
        paragraphs.extend(_paragraphs(body))
    return "\n".join(paragraphs), removed


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines of one page joined into paragraphs: a line that ends a sentence well short of
    the page's usual line length ends its paragraph; a hyphen at a line end joins the word."""
    if not lines:
        return []
    width = sorted(len(line) for line in lines)[int(0.8 * (len(lines) - 1))]
    out: list[str] = []
    current = ""
    for line in lines:
        if current.endswith("-") and not current.endswith(" -") and line[:1].islower():
            current = current[:-1] + line
        else:
            current = f"{current} {line}".strip()
        if re.search(r"[.!?:\"\u201d]$", line) and len(line) < 0.85 * width or len(line) < 0.5 * width:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out
