"""HTML pages → Articles, through trafilatura and its metadata."""

from __future__ import annotations

from ..model import Article, Rejected
from .clean import clean_text
from .files import article_id, parse_published


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
    outlet = (meta.get("sitename") or "").strip() or cleaned.outlet
    day = parse_published(meta.get("date")) or cleaned.published
    return Article(
        id=article_id(title, cleaned.text),
        source=source,
        text=cleaned.text,
        title=title,
        url=url or meta.get("url"),
        outlet=outlet,
        outlet_basis="stated" if outlet else None,
        published=day,
        published_basis="stated" if day else "unknown",
        published_note="page metadata" if parse_published(meta.get("date")) else cleaned.published_note,
        language=meta.get("language") or "en",
        removed=tuple(cleaned.removed),
    )
