"""HTML pages → Articles, through trafilatura (comments off) and then the block cleaner.

The id is the hash of the extracted title and text before block cleaning, so a better
cleaner keeps the id."""

from __future__ import annotations

from ..model import Article, Rejected
from .clean import clean_text
from .files import article_id, build_article, parse_published


def article_from_html(html: str | bytes, *, source: str, url: str | None = None) -> Article | Rejected:
    """Extract the article of a page: text, title, date and site name (outlet, stated)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        return Rejected(source, f"HTML could not be parsed: {exc}")
    if doc is None:
        return Rejected(source, "no article text found in the HTML page (is it an article page?)")
    meta = doc if isinstance(doc, dict) else doc.as_dict()
    body = meta.get("text") or ""
    title = (meta.get("title") or "").strip() or None
    if title and body.lstrip().startswith(title):
        body = body.lstrip()[len(title):]  # trafilatura repeats the <h1> as the first line
    cleaned = clean_text(body, find_title=False)
    if not cleaned.text.strip():
        return Rejected(source, "no article text found in the HTML page (is it an article page?)")
    sitename = (meta.get("sitename") or "").strip() or None
    day = parse_published(meta.get("date")) or cleaned.published
    return build_article(
        cleaned, input_id=article_id(title, body), source=source,
        title=title,
        url=url or meta.get("url"),
        outlet=sitename,
        published=day,
        published_basis="stated" if day else "unknown",
        published_note="page metadata" if parse_published(meta.get("date")) else cleaned.published_note,
        language=meta.get("language"),
    )
