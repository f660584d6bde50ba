"""The web app and the HTTP API over a store: two renderings of the same briefs.

Pages (server-rendered, Jinja2) and their JSON twins::

    /                     /api/stories             stories, newest first
    /stories/{id}         /api/stories/{id}        a story's brief (rashomon.brief/1)
    /articles/{id}        /api/articles/{id}       an article, its spans by kind
    /search?q=            /api/search?q=           articles, statements, entities (FTS5)
    POST /upload          POST /api/articles       add an article (file, or a JSON record)
    /docs                 /openapi.json            the API, described

Article text is untrusted: templates escape everything, no page holds inline script or
style (the Content-Security-Policy forbids both), uploads are capped and type-checked.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..analyze.article import ANALYSIS_VERSION
from ..ingest.files import HTML_SUFFIXES, RECORD_SUFFIXES, TEXT_SUFFIXES, article_from_record, decode
from ..model import Article, Brief, Rejected
from ..pipeline import brief_for_story, ingest_items
from ..render import jsonout
from ..store import Store
from . import errors, search, views
from .errors import WebError, not_found

HERE = Path(__file__).resolve().parent
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
"""One upload (a file or a JSON record) larger than this is refused with 413."""
UPLOAD_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES
UPLOAD_TYPES = {"", "application/octet-stream", "text/plain", "text/markdown", "text/x-markdown", "text/html",
                "application/xhtml+xml", "application/json", "application/x-ndjson", "application/jsonl",
                "application/x-jsonlines", "application/jsonlines"}
"""Declared content types an uploaded file may have (its name's suffix is checked too)."""
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
CACHED_PAGES = 64
"""Rendered story pages and JSON documents kept in memory (each dropped when its story changes)."""


class ArticleRecord(BaseModel):
    """The JSON input record of DESIGN.md."""

    text: str = Field(description="The article's body text (required).")
    title: str | None = None
    url: str | None = None
    outlet: str | None = Field(None, description="Only if the source names it; never guessed.")
    published: str | None = Field(None, description="ISO date or datetime.")
    id: str | int | None = Field(None, description="Your own id for the record.")


# ----------------------------------------------------------------------------- the store side


class Library:
    """The store as the web app sees it: one connection per thread, one writer at a time,
    briefs and rendered documents memoised per story until the story's articles change."""

    def __init__(self, db_path: str):
        self.path = str(db_path)
        self._local = threading.local()
        self._shared = Store(self.path)  # creates and migrates the database
        self.writing = threading.RLock()
        self._memo_lock = threading.Lock()
        self._briefs: dict[str, tuple[tuple, Brief]] = {}
        self._rendered: dict[tuple, bytes | str] = {}
        with self.writing:
            search.sync_articles(self._shared)

    def store(self) -> Store:
        if self.path == ":memory:":
            return self._shared
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.path)
        return store

    def signature(self, story_id: str) -> tuple:
        """What a story's brief depends on: its articles and their copy marks (storage order)."""
        rows = self.store().db.execute(
            "SELECT a.article_id, coalesce(a.duplicate_of, '') FROM assignments a JOIN articles r "
            "ON r.id = a.article_id WHERE a.story_id = ? ORDER BY r.seq", (story_id,)).fetchall()
        return tuple(rows)

    def brief(self, story_id: str) -> tuple[Brief, tuple]:
        sig = self.signature(story_id)
        if not sig:
            raise not_found("story", story_id)
        with self._memo_lock:
            memo = self._briefs.get(story_id)
        if memo and memo[0] == sig:
            return memo[1], sig
        with self.writing:
            with self._memo_lock:
                memo = self._briefs.get(story_id)
            if memo and memo[0] == sig:  # another request built it while this one waited
                return memo[1], sig
            store = self.store()
            brief = brief_for_story(store, story_id)
            search.index_brief(store.db, brief)
        with self._memo_lock:
            self._briefs[story_id] = (sig, brief)
        return brief, sig

    def rendered(self, key: tuple, make):
        with self._memo_lock:
            if key in self._rendered:
                return self._rendered[key]
        value = make()
        with self._memo_lock:
            if len(self._rendered) >= CACHED_PAGES:
                self._rendered.pop(next(iter(self._rendered)))
            self._rendered[key] = value
        return value

    def story_of(self, article_id: str) -> str | None:
        row = self.store().db.execute("SELECT story_id FROM assignments WHERE article_id = ?",
                                      (article_id,)).fetchone()
        return row[0] if row else None

    def cached_summary(self, story_id: str) -> tuple[str | None, str | None]:
        """(title, first summary sentence) of the story's last built brief, if any."""
        with self._memo_lock:
            memo = self._briefs.get(story_id)
        if memo:
            b = memo[1]
            return b.title, b.summary[0].text if b.summary else None
        row = self.store().db.execute("SELECT data FROM briefs WHERE story_id = ?", (story_id,)).fetchone()
        if not row:
            return None, None
        data = json.loads(row[0])
        summary = data.get("summary") or []
        return data.get("title"), summary[0]["text"] if summary else None

    def add(self, items: list[Article]) -> list[tuple[Article, bool, str | None]]:
        """Store, analyse and group uploaded articles; (article, newly added, story id) each."""
        with self.writing:
            store = self.store()
            result = ingest_items(items, store)
            search.sync_articles(store)
            added = set(result.added)
            out = [(a, a.id in added, self.story_of(a.id)) for a in items]
        for story_id in sorted({s for _, _, s in out if s}):
            self.brief(story_id)  # build now, so the story page is ready and indexed
        return out

    def warm(self) -> None:
        """Build every story's brief (and index it), largest first; for a background thread."""
        stories = self.store().stories()
        for story_id in sorted(stories, key=lambda s: (-len(stories[s]), s)):
            try:
                self.brief(story_id)
            except Exception:  # a failing story must not stop the others; its page shows the error
                errors.log.exception("could not build the brief of story %s", story_id)


# ----------------------------------------------------------------------------- uploads


async def read_capped(request: Request, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The request body, refusing (413) anything over ``limit`` before reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise WebError(413, f"upload is {int(declared):,} bytes; the limit is {limit:,} bytes. "
                            "Split it into smaller files.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit + 64 * 1024:  # room for multipart framing
            raise WebError(413, f"upload is over the limit of {limit:,} bytes; split it into smaller files")
        chunks.append(chunk)
    return b"".join(chunks)


def items_from_file(name: str, content_type: str, data: bytes) -> list[Article]:
    """The articles in an uploaded file; a WebError (nothing stored) when any part is unusable."""
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise WebError(415, f"{name!r}: give a {', '.join(sorted(UPLOAD_SUFFIXES))} file")
    if content_type.split(";")[0].strip().lower() not in UPLOAD_TYPES:
        raise WebError(415, f"{name!r} was sent as {content_type!r}; give a text, HTML or JSON article")
    if len(data) > MAX_UPLOAD_BYTES:
        raise WebError(413, f"{name!r} is {len(data):,} bytes; the limit is {MAX_UPLOAD_BYTES:,}")
    source = f"upload:{Path(name).name}"
    text = decode(data, source)
    if isinstance(text, Rejected):
        raise WebError(422, text.reason)
    if suffix in RECORD_SUFFIXES:
        if suffix == ".json":
            items = _records(text, source)
        else:
            items = [_record(line, f"{source}:{n}") for n, line in enumerate(text.splitlines(), start=1)
                     if line.strip()]
    elif suffix in HTML_SUFFIXES:
        from ..ingest.html import article_from_html

        items = [article_from_html(text, source=source)]
    else:
        from ..ingest.files import article_from_text

        items = [article_from_text(text, source=source)]
    return checked(items)


def _records(text: str, source: str) -> list[Article | Rejected]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [Rejected(source, f"invalid JSON at line {exc.lineno}: {exc.msg}")]
    if isinstance(data, list):
        return [article_from_record(r, source=f"{source}#{i}") for i, r in enumerate(data)]
    return [article_from_record(data, source=source)]


def _record(line: str, source: str) -> Article | Rejected:
    try:
        return article_from_record(json.loads(line), source=source)
    except json.JSONDecodeError as exc:
        return Rejected(source, f"invalid JSON: {exc.msg} (one JSON object per line)")


def checked(items: list[Article | Rejected]) -> list[Article]:
    bad = [i for i in items if isinstance(i, Rejected)]
    if bad:
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise WebError(422, f"{bad[0].source}: {bad[0].reason}{more}; nothing was stored")
    if not items:
        raise WebError(422, "the upload holds no article; nothing was stored")
    return items  # type: ignore[return-value]


async def upload_items(request: Request) -> list[Article]:
    """Articles from a multipart file upload (field ``file``) or a JSON record body."""
    body = await read_capped(request)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        async def replay():
            return {"type": "http.request", "body": body, "more_body": False}

        form = await Request(request.scope, receive=replay).form(max_files=1, max_fields=4)
        upload = form.get("file")
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise WebError(422, "choose a file to upload (form field \"file\")")
        data = await upload.read()
        return await run_in_threadpool(items_from_file, upload.filename, upload.content_type or "", data)
    if content_type.split(";")[0].strip() != "application/json":
        raise WebError(415, f"send a JSON record (Content-Type: application/json), not {content_type or 'nothing'!r}")
    text = decode(body, "api")
    if isinstance(text, Rejected):
        raise WebError(422, text.reason)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WebError(422, f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    item = article_from_record(record, source="api")  # a record's own id is appended: api#ID
    if isinstance(item, Article) and item.source == "api":
        item = replace(item, source=f"api:{item.id}")
    return checked([item])


# ----------------------------------------------------------------------------- the app


def create_app(db_path: str, *, warm: bool = False) -> FastAPI:
    """The web app and API over the store at ``db_path`` (created when missing).

    ``warm`` builds every story's brief in a background thread at start-up (``serve`` does).
    """
    library = Library(db_path)
    app = FastAPI(title="Rashomon", version="1",
                  description="Stories and their reconciled briefs. Every error is "
                              "`{\"error\": {\"status\", \"code\", \"message\"}}`.",
                  docs_url=None, redoc_url=None)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.templates = templates
    app.state.library = library
    errors.install(app)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    if warm:
        threading.Thread(target=library.warm, name="rashomon-warm", daemon=True).start()

    def page(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    # -- stories ---------------------------------------------------------------------------
    def story_list() -> list[dict]:
        return views.story_rows(library.store(), library.cached_summary)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request):
        store = library.store()
        return page(request, "stories.html", {**views.stories_listing(story_list(), request.query_params),
                                              "rejected": store.rejected(), "max_upload": MAX_UPLOAD_BYTES})

    @app.get("/api/stories", summary="Stories, newest first")
    def stories_api():
        return {"stories": story_list()}

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str, added: str | None = None, all: bool = False):
        brief, sig = library.brief(story_id)

        query = views.story_query(request.query_params)

        def make() -> str:
            return templates.get_template("story.html").render(request=request,
                                                               **views.story_view(brief, full=all, query=query))

        if added:
            body = templates.get_template("story.html").render(request=request, added=added,
                                                               **views.story_view(brief, full=all, query=query))
        else:
            body = library.rendered(("page", story_id, sig, all, tuple(sorted(query.items()))), make)
        return HTMLResponse(body)

    @app.get("/api/stories/{story_id}", summary="A story's brief (rashomon.brief/1)",
             responses={404: {"description": "No such story"}})
    def story_api(story_id: str):
        brief, sig = library.brief(story_id)
        body = library.rendered(("json", story_id, sig),
                                lambda: jsonout.dumps(jsonout.brief(brief), indent=None).encode("utf-8"))
        return Response(body, media_type="application/json")

    # -- articles --------------------------------------------------------------------------
    def load_article(article_id: str) -> tuple[Article, object | None, str | None]:
        store = library.store()
        article = store.article(article_id)
        if article is None:
            raise not_found("article", article_id)
        story_id = library.story_of(article_id)
        duplicate = store.assignments().get(article_id, (None, None))[1]
        if duplicate:
            article = replace(article, duplicate_of=duplicate)
        if story_id:  # the story's reading of it (an inferred date, its copy mark), as the story page shows
            article = views.as_in_story(article, library.brief(story_id)[0])
        return article, store.load_analysis(article, ANALYSIS_VERSION), story_id

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str, span: str | None = None):
        article, analysis, story_id = load_article(article_id)
        return page(request, "article.html", views.article_view(article, analysis, story_id, span))

    @app.get("/articles/{article_id}/text", response_class=HTMLResponse, include_in_schema=False)
    def article_fragment(request: Request, article_id: str, span: str | None = None):
        article, analysis, story_id = load_article(article_id)
        return page(request, "article_text.html", views.article_view(article, analysis, story_id, span))

    @app.get("/api/articles/{article_id}", summary="An article with its analysis (rashomon.analysis/1)",
             responses={404: {"description": "No such article"}})
    def article_api(article_id: str):
        article, analysis, story_id = load_article(article_id)
        document = (jsonout.analysis_document(analysis) if analysis is not None
                    else {"format": jsonout.ANALYSIS_FORMAT, "article": jsonout.article(article)})
        document["story"] = story_id
        return document

    @app.post("/api/articles", status_code=201, summary="Add an article (a JSON record, or a file upload)",
              description="Body: the JSON input record (`text` required; `title`, `url`, `outlet`, `published`, "
                          f"`id`), or `multipart/form-data` with a `file`. At most {MAX_UPLOAD_BYTES:,} bytes. "
                          "The article is analysed and grouped before the answer; nothing is stored on an error.",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": ArticleRecord.model_json_schema()},
                  "multipart/form-data": {"schema": {"type": "object", "properties": {
                      "file": {"type": "string", "format": "binary"}}, "required": ["file"]}}}}},
              responses={413: {"description": "Too large"}, 415: {"description": "Not a text, HTML or JSON "
                                                                                  "article"},
                         422: {"description": "Not an article"}})
    async def add_article_api(request: Request):
        items = await upload_items(request)
        done = await run_in_threadpool(library.add, items)
        return JSONResponse({"articles": [views.added_row(a, new, story) for a, new, story in done]},
                            status_code=201)

    @app.post("/upload", include_in_schema=False)
    async def upload_page(request: Request):
        items = await upload_items(request)
        done = await run_in_threadpool(library.add, items)
        article, _, story_id = done[0]
        target = f"/stories/{story_id}?added={article.id}" if story_id else f"/articles/{article.id}"
        return RedirectResponse(target, status_code=303)

    # -- search ----------------------------------------------------------------------------
    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", kind: str | None = None, story: str = "", outlet: str = "",
                    since: str = Query("", alias="from"), until: str = Query("", alias="to")):
        filters = views.search_filters(story, outlet, since, until)
        hits = search.search(library.store().db, q, kind=views.kind_filter(kind), limit=100, filters=filters)
        return page(request, "search.html", {"q": q, "kind": kind or "", "hits": hits, "kinds": search.KINDS,
                                             **views.search_options(library.store(), story_list(), filters)})

    @app.get("/api/search", summary="Search articles, statements and entities")
    def search_api(q: str = Query(..., description="Words; all must occur (the last may be a prefix)."),
                   kind: str | None = Query(None, description="article, statement or entity"),
                   limit: int = Query(50, ge=1, le=500),
                   story: str = Query("", description="Only this story's articles, statements and entities."),
                   outlet: str = Query("", description="Only articles of this outlet."),
                   since: str = Query("", alias="from", description="Only articles published on or after (YYYY-MM-DD)."),
                   until: str = Query("", alias="to", description="Only articles published on or before (YYYY-MM-DD).")):
        filters = views.search_filters(story, outlet, since, until)
        hits = search.search(library.store().db, q, kind=views.kind_filter(kind), limit=limit, filters=filters)
        return {"query": q, "results": [views.hit_row(h) for h in hits]}

    # -- exports ---------------------------------------------------------------------------
    @app.get("/stories/{story_id}/brief.{fmt}", summary="Download a story's brief: md, html (self-contained) or json",
             responses={404: {"description": "No such story or format"}})
    def export_brief(story_id: str, fmt: str):
        brief, sig = library.brief(story_id)
        body, media, name = library.rendered(("export", story_id, sig, fmt), lambda: views.export_brief(brief, fmt))
        return Response(body, media_type=media, headers=views.attachment(name))

    @app.get("/stories/{story_id}/articles.jsonl", summary="Download a story's articles, one JSON record a line",
             responses={404: {"description": "No such story"}})
    def export_articles(story_id: str):
        brief, _sig = library.brief(story_id)
        body, media, name = views.export_articles(brief)
        return Response(body, media_type=media, headers=views.attachment(name))

    # -- docs ------------------------------------------------------------------------------
    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request):
        return page(request, "docs.html", {"api": views.api_docs(app.openapi())})

    return app


__all__ = ["create_app", "Library", "MAX_UPLOAD_BYTES"]
