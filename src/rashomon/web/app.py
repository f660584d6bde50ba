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

import gzip
import hashlib
import threading
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..analyze.article import ANALYSIS_VERSION
from ..ingest.files import HTML_SUFFIXES, RECORD_SUFFIXES, TEXT_SUFFIXES, article_from_record, decode
from ..model import Article, Brief, Rejected
from ..render import jsonout
from ..store import Store
from . import errors, search, views
from .errors import WebError, not_found
from .security import DEFAULT_ALLOWED_HOSTS, Guard, link_url, parse_json
from .worker import Worker

try:
    import zstandard
except ImportError:  # pragma: no cover - a dependency; without it bodies go plain or gzip
    zstandard = None

HERE = Path(__file__).resolve().parent
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
"""One upload (a file or a JSON record) larger than this is refused with 413."""
UPLOAD_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES
UPLOAD_TYPES = {"", "application/octet-stream", "text/plain", "text/markdown", "text/x-markdown", "text/html",
                "application/xhtml+xml", "application/json", "application/x-ndjson", "application/jsonl",
                "application/x-jsonlines", "application/jsonlines"}
"""Declared content types an uploaded file may have (its name's suffix is checked too)."""
CACHED_PAGES = 64
"""Rendered story pages and JSON documents kept in memory (each dropped when its story changes)."""
CACHED_BRIEFS = 16
"""Briefs kept decoded in memory (least recently read dropped first; the store keeps them all)."""
REFRESH_SECONDS = 1
"""How often a "building" page reloads itself."""
ZSTD_LEVEL = 9
"""zstd level of kept bodies (made once per story version, mostly by the worker). Measured on the
200-article story of docs/bench/web.md (7.1 MB document with coverage lists, 2.2 MB page), one
core: level 3 1.17 MB in 0.03 s, level 9 0.85 MB in 0.15 s, level 12 0.80 MB in 0.44 s, level 19
0.68 MB in 5.6 s; the page 315 / 269 / 263 / 241 KB; every level inflates in 6-9 ms (document).
9: most of the gain at a cost a request that renders a new view can still pay."""
STREAM_CHUNK = 256 * 1024
"""Plain bodies over this are sent in chunks of it, so the server never buffers (and shifts)
a whole 15 MB body in its socket buffer."""
DEFAULT_COVERAGE = "lists"
"""The coverage form of the API's brief document unless ``?coverage=full`` asks for the matrix:
the matrix was 8.2 of the 15 MB of a 200-article story's document (docs/bench/web.md)."""
SPAN_PATTERN = r"^\d{1,12}-\d{1,12}$"
"""A ``span=`` query: START-END, each at most 12 digits (a 5,000-digit number is a 422, not a 500)."""


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
    """The store as the web app sees it: one connection per thread, briefs memoised per story
    until the story's articles change. Requests only read; the :class:`Worker` builds."""

    def __init__(self, db_path: str):
        self.path = str(db_path)
        self._local = threading.local()
        self._shared = Store(self.path)  # creates and migrates the database
        self._memo_lock = threading.Lock()
        self._briefs: OrderedDict[str, tuple[tuple, Brief]] = OrderedDict()
        self._rendered: OrderedDict[tuple, bytes | str] = OrderedDict()
        self._superseded: tuple[object, frozenset[str]] = (None, frozenset())
        self._summaries: dict[str, tuple[tuple, tuple[str | None, str | None]]] = {}
        self.counts_memo: dict[str, tuple] = {}  # views.brief_counts: each stored brief's counts, per version
        self.prerender = None  # set by create_app: renders a story's page and document
        self.worker = Worker(self)
        search.sync_articles(self._shared)

    def store(self) -> Store:
        if self.path == ":memory:":
            return self._shared
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.path)
        return store

    def superseded(self) -> frozenset[str]:
        """Store.superseded(), recomputed only when a page revision was added."""
        store = self.store()
        mark = store.db.execute("SELECT count(*), max(rowid) FROM page_revisions").fetchone()
        with self._memo_lock:
            if self._superseded[0] == mark:
                return self._superseded[1]
        value = frozenset(store.superseded())
        with self._memo_lock:
            self._superseded = (mark, value)
        return value

    def signature(self, story_id: str) -> tuple:
        """What a story's brief depends on: its articles and their copy marks (storage order),
        superseded revisions left out, as ``Store.stories()`` does."""
        rows = self.store().db.execute(
            "SELECT a.article_id, coalesce(a.duplicate_of, '') FROM assignments a JOIN articles r "
            "ON r.id = a.article_id WHERE a.story_id = ? ORDER BY r.seq", (story_id,)).fetchall()
        skip = self.superseded() if rows else frozenset()
        return tuple(r for r in rows if r[0] not in skip)

    def ready(self, story_id: str, *, holding: str | None = None) -> tuple[Brief, tuple, bool] | None:
        """(brief, its signature, whether it is current) from memory, or None while the worker
        builds it (asked here); 404 when there is no such story. Never builds or decodes in the
        caller. While a changed story is rebuilt its previous brief is served (not current),
        unless it lacks the article ``holding`` (an upload the reader waits to see)."""
        sig = self.signature(story_id)
        if not sig:
            raise not_found("story", story_id)
        with self._memo_lock:
            memo = self._briefs.get(story_id)
            if memo:
                self._briefs.move_to_end(story_id)
        if memo and memo[0] == sig:
            return memo[1], memo[0], True
        failure = self.worker.failure(story_id, sig)
        if failure:  # tried for these very articles: say why instead of building again
            raise WebError(500, f"the brief of story {story_id} could not be built: {failure}. It is built "
                                "again when the story's articles change; the server log has the details.",
                           code="brief_failed")
        self.worker.want(story_id)
        if memo and (holding is None or any(a == holding for a, _ in memo[0])):
            return memo[1], memo[0], False
        return None

    def current(self, story_id: str) -> bool:
        """Whether the memo holds the brief of the story's current articles."""
        sig = self.signature(story_id)
        with self._memo_lock:
            memo = self._briefs.get(story_id)
        return bool(sig) and memo is not None and memo[0] == sig

    def remember(self, story_id: str, sig: tuple, brief: Brief) -> None:
        with self._memo_lock:
            self._briefs[story_id] = (sig, brief)
            self._briefs.move_to_end(story_id)
            while len(self._briefs) > CACHED_BRIEFS:
                self._briefs.popitem(last=False)

    def rendered(self, key: tuple, make):
        with self._memo_lock:
            if key in self._rendered:
                self._rendered.move_to_end(key)
                return self._rendered[key]
        value = make()
        with self._memo_lock:
            self._rendered[key] = value
            while len(self._rendered) > CACHED_PAGES:
                self._rendered.popitem(last=False)
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
        db = self.store().db
        stamp = db.execute("SELECT key, rowid FROM briefs WHERE story_id = ?", (story_id,)).fetchone()  # not the data
        if not stamp:
            return None, None
        with self._memo_lock:
            known = self._summaries.get(story_id)
        if known and known[0] == tuple(stamp):
            return known[1]
        row = db.execute(  # parses the stored brief once per version, not once per story list
            "SELECT json_extract(data, '$.title'), json_extract(data, '$.summary[0].text') FROM briefs "
            "WHERE story_id = ?", (story_id,)).fetchone()
        value = (row[0], row[1]) if row else (None, None)
        with self._memo_lock:
            self._summaries[story_id] = (tuple(stamp), value)
        return value

    def add(self, items: list[Article]) -> list[tuple[Article, bool, str | None, str]]:
        """Store uploaded articles and queue them for the worker; returns at once with
        (article, newly added, story id if already grouped, status) for each."""
        from ..analyze.article import ANALYSIS_VERSION

        store = self.store()
        out, queue = [], []
        for item in items:
            store.forget_rejected(item.source)
            new = store.add_article(item)
            story_id = None if new else self.story_of(item.id)
            if story_id and store.analysis_version(item.id) == ANALYSIS_VERSION:
                out.append((item, new, story_id, "ready"))
            else:
                out.append((item, new, None, "queued"))
                queue.append(item.id)
        if queue:
            self.worker.submit(list(dict.fromkeys(queue)))
        return out

    def article_status(self, article_id: str) -> dict:
        """Where an article is on its way to a story: queued, analysing, grouping, ready, failed."""
        from ..analyze.article import ANALYSIS_VERSION

        progress = self.worker.article_progress(article_id)
        if progress is not None and progress.stage != "ready":
            return progress.as_dict()
        store = self.store()
        if self.story_of(article_id) and store.analysis_version(article_id) == ANALYSIS_VERSION:
            return {"stage": "ready"}
        article = store.article(article_id)
        reason = store.db.execute("SELECT reason FROM rejected WHERE source = ?",
                                  (article.source if article else "",)).fetchone()
        if reason:
            return {"stage": "failed", "message": reason[0]}
        return {"stage": "not analysed", "message": "the article is stored but not analysed; "
                                                      "upload it again or run `rashomon ingest`"}

    def warm(self) -> None:
        """Queue every story's brief for the worker, largest first."""
        stories = self.store().stories()
        self.worker.warm(sorted(stories, key=lambda s: (-len(stories[s]), s)))


# ----------------------------------------------------------------------------- uploads


async def read_capped(request: Request, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The request body, refusing (413) anything over ``limit`` before reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and len(declared) < 20 and int(declared) > limit + 64 * 1024:
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
    data = parse_json(text, source)
    if isinstance(data, list):
        return [article_from_record(r, source=f"{source}#{i}") for i, r in enumerate(data)]
    return [article_from_record(data, source=source)]


def _record(line: str, source: str) -> Article | Rejected:
    return article_from_record(parse_json(line, f"{source} (one JSON object per line)"), source=source)


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
    record = parse_json(text, "the JSON body")
    item = article_from_record(record, source="api")  # a record's own id is appended: api#ID
    if isinstance(item, Article) and item.source == "api":
        item = replace(item, source=f"api:{item.id}")
    return checked([item])


# ----------------------------------------------------------------------------- the app


class Encoded:
    """A rendered page or document, made once per story version and kept in the memo: the
    plain bytes, their zstd (made at once: cheap to make and to inflate) and gzip (made when
    first asked for), and an ETag."""

    __slots__ = ("raw", "zst", "_gz", "etag")

    def __init__(self, body: bytes | str):
        self.raw = body.encode("utf-8") if isinstance(body, str) else body
        self.zst = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(self.raw) if zstandard else None
        self._gz: bytes | None = None
        self.etag = '"' + hashlib.sha256(self.raw).hexdigest()[:20] + '"'

    @property
    def gz(self) -> bytes:
        if self._gz is None:
            self._gz = gzip.compress(self.raw, compresslevel=5, mtime=0)
        return self._gz


def negotiated(request: Request, body: Encoded, media_type: str, current: bool = True) -> Response:
    """``body`` with its ETag (304 on a match), in the cheapest encoding for the client:
    across a network zstd (the 7 MB brief document of docs/bench/web.md is 0.85 MB), else gzip;
    on loopback plain bytes, in chunks, whatever the client takes: there moving bytes costs
    nothing and inflating costs the client's CPU (measured, 8 clients, that 200-article story's
    document: zstd p50 150 / p95 339 ms, 13 ms of client CPU a request; plain 96 / 179 ms,
    7 ms; with gzip the gap was wider, 72 vs 361 ms for one client). A brief served while its
    story's new version is built says so: ``Rashomon-Brief: updating``."""
    headers = {"ETag": body.etag, "Vary": "Accept-Encoding", "Cache-Control": "no-cache",
               "Rashomon-Brief": "current" if current else "updating"}
    if body.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    accepted = {part.split(";")[0].strip().lower() for part in request.headers.get("accept-encoding", "").split(",")}
    peer = request.client.host if request.client else ""
    if "zstd" in accepted and body.zst is not None and not is_loopback(peer):
        return Response(body.zst, media_type=media_type, headers={**headers, "Content-Encoding": "zstd"})
    if "gzip" in accepted and not is_loopback(peer):
        return Response(body.gz, media_type=media_type, headers={**headers, "Content-Encoding": "gzip"})
    if len(body.raw) <= STREAM_CHUNK:
        return Response(body.raw, media_type=media_type, headers=headers)
    view = memoryview(body.raw)
    chunks = (view[i:i + STREAM_CHUNK] for i in range(0, len(view), STREAM_CHUNK))
    return StreamingResponse(chunks, media_type=media_type,
                             headers={**headers, "Content-Length": str(len(body.raw))})


def is_loopback(host: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_app(db_path: str, *, warm: bool = False, allowed_hosts=DEFAULT_ALLOWED_HOSTS) -> FastAPI:
    """The web app and API over the store at ``db_path`` (created when missing).

    ``warm`` queues every story's brief for the background worker at start-up (``serve`` does).
    ``allowed_hosts``: the ``Host`` names served (loopback by default; ``*.example.org``, ``*``).
    """
    library = Library(db_path)
    app = FastAPI(title="Rashomon", version="1",
                  description="Stories and their reconciled briefs. Every error is "
                              "`{\"error\": {\"status\", \"code\", \"message\"}}`. A story whose brief is "
                              "still being built answers 202 with its progress; ask again after `Retry-After`.",
                  docs_url=None, redoc_url=None)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["link_url"] = link_url
    app.state.templates = templates
    app.state.library = library
    errors.install(app)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(Guard, allowed_hosts=tuple(allowed_hosts))
    library.worker.start()
    if warm:
        library.warm()

    def page(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def building_page(request: Request, story_id: str | None, progress: dict, what: str) -> Response:
        """202: the brief (or the upload) is on its way; the page reloads itself."""
        headers = {"Retry-After": str(REFRESH_SECONDS), "Cache-Control": "no-store"}
        if errors.wants_json(request):
            return JSONResponse({"id": story_id, "status": "building", "progress": progress}, status_code=202,
                                headers=headers)
        response = page(request, "building.html", {"story_id": story_id, "progress": progress, "what": what,
                                                   "refresh": REFRESH_SECONDS}, status=202)
        response.headers.update(headers)
        return response

    def render_page(brief: Brief, full: bool = False, query: dict | None = None) -> Encoded:
        view = views.story_view(brief, full=full, query=query or {})
        return Encoded(templates.get_template("story.html").render(request=None, **view))

    def render_json(brief: Brief, coverage: str = DEFAULT_COVERAGE) -> Encoded:
        return Encoded(jsonout.dumps(jsonout.brief(brief, coverage=coverage), indent=None))

    def prerender(story_id: str, sig: tuple, brief: Brief) -> None:
        """Run by the worker once a brief is in memory: its page and document are ready before
        the first reader asks."""
        library.rendered(("page", story_id, sig, False, ()), lambda: render_page(brief))
        for form in jsonout.COVERAGE_FORMS:
            library.rendered(("json", story_id, sig, form), lambda form=form: render_json(brief, form))

    library.prerender = prerender

    # -- stories ---------------------------------------------------------------------------
    def story_list() -> list[dict]:
        return views.story_rows(library.store(), library.cached_summary, library.counts_memo)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request):
        store = library.store()
        return page(request, "stories.html", {**views.stories_listing(story_list(), request.query_params),
                                              "rejected": store.rejected(), "max_upload": MAX_UPLOAD_BYTES})

    @app.get("/api/stories", summary="Stories, newest first")
    def stories_api():
        return {"stories": story_list()}

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str, added: str | None = None, already: bool = False,
                   all: bool = False):
        ready = library.ready(story_id, holding=added)
        if ready is None:
            return building_page(request, story_id, library.worker.story_progress(story_id), "brief")
        brief, sig, current = ready
        query = views.story_query(request.query_params)
        if added:
            body = templates.get_template("story.html").render(request=request, added=added, already=already,
                                                               **views.story_view(brief, full=all, query=query))
            return HTMLResponse(body)

        body = library.rendered(("page", story_id, sig, all, tuple(sorted(query.items()))),
                                lambda: render_page(brief, all, query))
        return negotiated(request, body, "text/html; charset=utf-8", current)

    @app.get("/api/stories/{story_id}", summary="A story's brief (rashomon.brief/1)",
             description="The brief document. Its claim x article coverage comes as `coverage_lists` (per claim "
                         "the positions in `articles` of the articles that report / contradict it; the others are "
                         "silent) unless `?coverage=full` asks for `coverage`, the matrix; all else is the same. "
                         "Send `If-None-Match` with the ETag to get 304 when nothing changed.",
             responses={202: {"description": "The brief is being built: `{id, status: building, progress}`; "
                                             "ask again after Retry-After"},
                        304: {"description": "Not modified (If-None-Match)"},
                        404: {"description": "No such story"}})
    def story_api(request: Request, story_id: str,
                  coverage: str = Query(DEFAULT_COVERAGE, pattern="^(lists|full)$",
                                        description="`lists` (default): `coverage_lists`, per claim the articles "
                                                    "that report / contradict it (the others are silent); `full`: "
                                                    "`coverage`, the claim x article matrix")):
        ready = library.ready(story_id)
        if ready is None:
            return building_page(request, story_id, library.worker.story_progress(story_id), "brief")
        brief, sig, current = ready
        body = library.rendered(("json", story_id, sig, coverage), lambda: render_json(brief, coverage))
        return negotiated(request, body, "application/json", current)

    # -- articles --------------------------------------------------------------------------
    def load_article(article_id: str) -> tuple[Article, object | None, str | None]:
        store = library.store()
        article = store.article(article_id)
        if article is None:
            raise not_found("article", article_id)
        story_id = library.story_of(article_id)
        duplicate = store.db.execute("SELECT duplicate_of FROM assignments WHERE article_id = ?",
                                     (article_id,)).fetchone()
        if duplicate and duplicate[0]:
            article = replace(article, duplicate_of=duplicate[0])
        ready = library.ready(story_id) if story_id else None
        if ready is not None:  # the story's reading of it (an inferred date, its copy mark), as the story page shows
            article = views.as_in_story(article, ready[0])
        return article, store.load_analysis(article, ANALYSIS_VERSION), story_id

    span_query = Query(None, pattern=SPAN_PATTERN, max_length=25,
                       description="START-END character offsets to highlight")

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str, span: str | None = span_query):
        article, analysis, story_id = load_article(article_id)
        return page(request, "article.html", views.article_view(article, analysis, story_id, span))

    @app.get("/articles/{article_id}/text", response_class=HTMLResponse, include_in_schema=False)
    def article_fragment(request: Request, article_id: str, span: str | None = span_query):
        article, analysis, story_id = load_article(article_id)
        return page(request, "article_text.html", views.article_view(article, analysis, story_id, span))

    @app.get("/api/articles/{article_id}", summary="An article with its analysis (rashomon.analysis/1)",
             description="`status.stage` says where an uploaded article is: queued, analysing, grouping, "
                         "ready or failed (with `status.message`).",
             responses={404: {"description": "No such article"}})
    def article_api(article_id: str):
        article, analysis, story_id = load_article(article_id)
        document = (jsonout.analysis_document(analysis) if analysis is not None
                    else {"format": jsonout.ANALYSIS_FORMAT, "article": jsonout.article(article)})
        document["story"] = story_id
        document["status"] = library.article_status(article_id)
        return document

    @app.post("/api/articles", status_code=202, summary="Add an article (a JSON record, or a file upload)",
              description="Body: the JSON input record (`text` required; `title`, `url`, `outlet`, `published`, "
                          f"`id`), or `multipart/form-data` with a `file`. At most {MAX_UPLOAD_BYTES:,} bytes. "
                          "The article is stored at once and answered 202; it is analysed and grouped in the "
                          "background: follow `links.api` until `status.stage` is `ready` (then `story` is set). "
                          "`added` is false when the same text was stored already. Nothing is stored on an error.",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": ArticleRecord.model_json_schema()},
                  "multipart/form-data": {"schema": {"type": "object", "properties": {
                      "file": {"type": "string", "format": "binary"}}, "required": ["file"]}}}}},
              responses={403: {"description": "Sent from another site"}, 413: {"description": "Too large"},
                         415: {"description": "Not a text, HTML or JSON article"},
                         422: {"description": "Not an article"}})
    async def add_article_api(request: Request):
        items = await upload_items(request)
        done = await run_in_threadpool(library.add, items)
        rows = []
        for a, new, story, status in done:
            row = views.added_row(a, new, story)
            row["status"] = status
            rows.append(row)
        return JSONResponse({"articles": rows}, status_code=202)

    @app.post("/upload", include_in_schema=False)
    async def upload_page(request: Request):
        items = await upload_items(request)
        done = await run_in_threadpool(library.add, items)
        article, new, _story, _status = done[0]
        return RedirectResponse(f"/added/{article.id}" + ("" if new else "?already=true"), status_code=303)

    @app.get("/added/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def added_page(request: Request, article_id: str, already: bool = False):
        """Where an upload lands: its progress until the article is in a story, then the story."""
        if library.store().article(article_id) is None:
            raise not_found("article", article_id)
        status = library.article_status(article_id)
        if status["stage"] == "ready":
            story_id = library.story_of(article_id)
            return RedirectResponse(f"/stories/{story_id}?added={article_id}" + ("&already=true" if already else ""),
                                    status_code=303)
        if status["stage"] in ("failed", "not analysed"):
            raise WebError(422, f"article {article_id} could not be analysed: {status.get('message', '')}",
                           code="analysis_failed")
        return building_page(request, None, status, "article")

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
    def export_brief(request: Request, story_id: str, fmt: str):
        ready = library.ready(story_id)
        if ready is None:
            return building_page(request, story_id, library.worker.story_progress(story_id), "brief")
        brief, sig, _current = ready
        body, media, name = library.rendered(("export", story_id, sig, fmt), lambda: views.export_brief(brief, fmt))
        return Response(body, media_type=media, headers=views.attachment(name))

    @app.get("/stories/{story_id}/articles.jsonl", summary="Download a story's articles, one JSON record a line",
             responses={404: {"description": "No such story"}})
    def export_articles(request: Request, story_id: str):
        ready = library.ready(story_id)
        if ready is None:
            return building_page(request, story_id, library.worker.story_progress(story_id), "brief")
        brief = ready[0]
        body, media, name = views.export_articles(brief)
        return Response(body, media_type=media, headers=views.attachment(name))

    # -- docs ------------------------------------------------------------------------------
    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request):
        return page(request, "docs.html", {"api": views.api_docs(app.openapi())})

    return app


__all__ = ["create_app", "Library", "MAX_UPLOAD_BYTES"]
