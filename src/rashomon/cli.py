"""The ``rashomon`` command: a thin layer over the library functions."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import RashomonError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Rashomon: many outlets, one story. Reads news articles, groups them into stories and "
         "writes one reconciled, source-attributed brief per story.",
)


class Format(str, Enum):
    json = "json"
    md = "md"
    html = "html"


class AnalysisFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"


Paths = Annotated[Optional[list[str]], typer.Argument(help="Files, folders (searched recursively) or http(s) URLs.")]
DbOption = Annotated[Optional[str], typer.Option(
    "--db", envvar="RASHOMON_DB",
    help="The store: a SQLite file (':memory:' allowed) or a postgresql://user@host/dbname URL "
         "(default from RASHOMON_DB).")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or warnings on stderr.")]
class Engine(str, Enum):
    local = "local"
    ray = "ray"


EngineOption = Annotated[Engine, typer.Option(
    "--engine", help="local: this machine's processes; ray: Ray tasks (pip install 'rashomon[scale]').")]
AddressOption = Annotated[Optional[str], typer.Option(
    "--address", help="With --engine ray: the cluster to join (e.g. ray://head:10001); default: start a local one.")]
AllowPrivate = Annotated[bool, typer.Option("--allow-private", help="Allow URLs on loopback/private networks.")]


def _warn(quiet: bool):
    def warn(message: str) -> None:
        if not quiet:
            typer.echo(f"warning: {message}", err=True)
    return warn


def _progress(quiet: bool):
    from .progress import Progress

    return Progress(enabled=False if quiet else None)


@app.callback()
def _options(debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error (also: RASHOMON_DEBUG=1).")] = False) -> None:
    """Options for every command. Example: rashomon --debug brief article.txt"""
    if debug:
        os.environ["RASHOMON_DEBUG"] = "1"


def _debugging() -> bool:
    return os.environ.get("RASHOMON_DEBUG", "").strip() not in ("", "0")


def _fail(exc: Exception | str) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)


def explain(exc: BaseException, db: str | None = None) -> str | None:
    """One line for a user or environment error (what went wrong, what to do); None for a bug."""
    import sqlite3

    from .store.sqlite import storage_problem

    if isinstance(exc, RashomonError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):
        return storage_problem(exc, db or "the store")
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc} (check the path, its permissions and the free disk space)"
    if isinstance(exc, MemoryError):
        return "out of memory: give fewer or smaller articles at once, or set RASHOMON_WORKERS=1"
    return None


@contextmanager
def _reported(db: str | None = None):
    """User and environment errors end the command with one line (exit 2), never a traceback
    (``--debug`` shows it); a bug still shows its traceback."""
    try:
        yield
    except (typer.Exit, typer.Abort):
        raise
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise typer.Exit(130)
    except Exception as exc:
        message = explain(exc, db)
        if message is None or _debugging():
            raise
        _fail(message)



def _engine(engine: "Engine", address: str | None):
    """The engine object for the pipeline (None: local), or a clear error before any work."""
    if engine is Engine.local:
        if address:
            raise RashomonError("--address goes with --engine ray")
        return None
    from .scale.ray_engine import RayEngine

    return RayEngine(address)


def _store(db: str | None, default: str, *, create: bool = True):
    from .store import Store

    return Store(db or default, create=create)


@contextmanager
def _scratch_store(db: str | None, *, create: bool):
    """The store ``--db`` names; without it, a SQLite file in a temporary folder removed at the
    end (not ``:memory:``: the articles, analyses and parses of a large run would all sit in
    this process's memory; in a file they stay on disk and memory holds one story's work)."""
    if db:
        store = _store(db, db, create=create)
        try:
            yield store
        finally:
            store.close()
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rashomon-brief-") as folder:
        store = _store(None, str(Path(folder) / "brief.db"))
        try:
            yield store
        finally:
            store.close()


def _check_inputs(paths: list[str] | None) -> None:
    """Before any work: every path given that is neither a URL nor another scheme exists."""
    from .errors import PathNotFound
    from .ingest.files import display_path
    from .ingest.safety import is_url, scheme_problem

    for path in paths or []:
        if not is_url(path) and not scheme_problem(path) and not os.path.lexists(path):
            _fail(PathNotFound(display_path(path)))


def _check_out(out: Path | None) -> None:
    """Before any work: ``--out`` must be a folder or a path a folder can be made at."""
    if out is None:
        return
    for path in (out, *out.parents):
        if path.exists() and not path.is_dir():
            what = f"--out {path}" if path == out else f"--out's parent {path}"
            _fail(f"{what} is a file, not a folder: give a folder for one file per story and format")
        if path.exists():
            break


def write_briefs(briefs, rejected, out: Path, formats: list[Format]) -> list[Path]:
    """Write one file per story and format under ``out`` (each brief as it comes: ``briefs``
    may be an iterator); returns what was written. Only the HTML index, a page holding every
    brief, keeps them all."""
    from .render.html import render_html, render_index
    from .render.jsonout import briefs_document, dumps
    from .render.markdown import render_markdown

    out.mkdir(parents=True, exist_ok=True)
    written = []
    kept = []
    for brief in briefs:
        for fmt in formats:
            path = out / f"{brief.id}.{fmt.value}"
            if fmt is Format.json:
                path.write_text(dumps(briefs_document([brief], rejected)) + "\n", encoding="utf-8")
            elif fmt is Format.md:
                path.write_text(render_markdown(brief), encoding="utf-8")
            else:
                path.write_text(render_html([brief], title=brief.title), encoding="utf-8")
            written.append(path)
        if Format.html in formats:
            kept.append(brief)
    if Format.html in formats:
        index = out / "index.html"
        index.write_text(render_index(kept, lambda b: f"{b.id}.html"), encoding="utf-8")
        written.append(index)
    return written


@app.command()
def brief(
    paths: Paths = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Folder for one file per story and format.")] = None,
    fmt: Annotated[Optional[Format], typer.Option("--format", "-f", help="json, md or html (default: json on stdout; all three with --out).")] = None,
    db: DbOption = None,
    quiet: Quiet = False,
    allow_private: AllowPrivate = False,
    engine: EngineOption = Engine.local,
    address: AddressOption = None,
) -> None:
    """Group articles into stories and write one brief per story.

    Example: rashomon brief ../shared/seeds --format md
    """
    from .pipeline import iter_briefs, plan_briefs, quiet_libraries
    from .render.html import render_html
    from .render.jsonout import write_briefs_document
    from .render.markdown import render_markdown

    quiet_libraries()
    if not paths and not db:
        _fail(RashomonError("give files, folders or URLs to read, or --db FILE to brief what a store holds"))
    _check_inputs(paths)
    _check_out(out)
    with _reported(db), _scratch_store(db, create=bool(paths)) as store:  # briefing a store alone needs it to exist
        progress = _progress(quiet)
        with progress.session():
            runner = _engine(engine, address)
            story_ids, rejected = plan_briefs(paths or None, store, progress=progress, allow_private=allow_private,
                                              warn=_warn(quiet), engine=runner)
            if paths and not story_ids and rejected:
                typer.echo("error: no article could be read (see the warnings above)", err=True)
                raise typer.Exit(1)
            # Each brief is written as soon as it is built: memory holds one story's analyses at a time.
            # A story that fails to reconcile is warned about on stderr and left out; the others go on.
            briefs = iter_briefs(store, story_ids, progress=progress, engine=runner)
            if out is not None:
                written = write_briefs(briefs, rejected, out, [fmt] if fmt else list(Format))
                if not quiet:
                    typer.echo(f"wrote {len(written)} files for {len(story_ids)} stories to {out}", err=True)
                return
            fmt = fmt or Format.json
            if fmt is Format.json:
                write_briefs_document(sys.stdout.write, briefs, rejected)
                sys.stdout.write("\n")
            elif fmt is Format.md:
                for i, b in enumerate(briefs):
                    sys.stdout.write(("\n---\n\n" if i else "") + render_markdown(b))
            else:
                sys.stdout.write(render_html(list(briefs)))


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files or folders of articles.")],
    fmt: Annotated[AnalysisFormat, typer.Option("--format", "-f", help="jsonl: one object per line; json: a list.")] = AnalysisFormat.jsonl,
    quiet: Quiet = False,
) -> None:
    """Analyse each article alone: entities, quotes, times and claims with their spans.

    Example: rashomon analyze article.txt --format jsonl
    """
    from .analyze.article import analyze_articles
    from .model import Rejected
    from .pipeline import quiet_libraries, read_inputs
    from .render.jsonout import analysis_document, dumps

    quiet_libraries()
    warn = _warn(quiet)
    read = 0

    def articles():
        nonlocal read
        for item in read_inputs(paths):
            if isinstance(item, Rejected):
                warn(f"skipped {item.source}: {item.reason}")
                continue
            read += 1
            yield item

    _check_inputs(paths)
    documents = []
    with _reported():
        progress = _progress(quiet)
        with progress.session():
            for analysis in progress.track(analyze_articles(articles(), keep_going=True), description="analysing"):
                if isinstance(analysis, Rejected):
                    warn(f"skipped {analysis.source}: {analysis.reason}")
                    continue
                doc = analysis_document(analysis)
                if fmt is AnalysisFormat.jsonl:
                    sys.stdout.write(dumps(doc, indent=None) + "\n")
                else:
                    documents.append(doc)
    if fmt is AnalysisFormat.json:
        sys.stdout.write(dumps(documents) + "\n")
    if read == 0:
        typer.echo("error: no article could be read", err=True)
        raise typer.Exit(1)


@app.command()
def ingest(
    paths: Paths = None,
    db: DbOption = None,
    quiet: Quiet = False,
    allow_private: AllowPrivate = False,
    engine: EngineOption = Engine.local,
    address: AddressOption = None,
) -> None:
    """Add articles to the store (analysed and grouped) without writing briefs.

    Example: rashomon ingest ./articles --db news.db
    """
    from .pipeline import ingest as run_ingest, quiet_libraries

    quiet_libraries()
    if not paths:
        _fail(RashomonError("give files, folders or URLs to ingest"))
    _check_inputs(paths)
    with _reported(db or "rashomon.db"):
        store = _store(db, "rashomon.db")
        progress = _progress(quiet)
        with progress.session():
            result = run_ingest(paths, store, progress=progress, allow_private=allow_private, warn=_warn(quiet),
                                engine=_engine(engine, address))
        stories = store.stories()
        count = store.article_count()
    typer.echo(f"{len(result.article_ids)} articles read, {len(result.added)} new, {len(result.rejected)} rejected; "
               f"the store {store.path} holds {count} articles in {len(stories)} stories", err=True)
    if not result.article_ids and result.rejected:
        raise typer.Exit(1)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the demo briefs.")] = Path("rashomon-demo"),
    quiet: Quiet = False,
) -> None:
    """Brief the bundled demo corpus (fictional outlets, one fictional event) and write HTML, Markdown and JSON.

    Example: rashomon demo --out /tmp/demo
    """
    from .demo import demo_paths
    from .pipeline import build_briefs, quiet_libraries
    from .store import Store

    quiet_libraries()
    _check_out(out)
    with _reported():
        progress = _progress(quiet)
        with progress.session():
            result = build_briefs(demo_paths(), Store(":memory:"), progress=progress, warn=_warn(quiet))
        write_briefs(result.briefs, result.rejected, out, list(Format))
    index = (out / "index.html").resolve()
    typer.echo(f"{len(result.briefs)} stories from {sum(len(b.articles) for b in result.briefs)} demo articles.")
    for b in result.briefs:
        typer.echo(f"  {b.id}  {len(b.articles)} articles  {b.title}")
    typer.echo(f"Open {index}")


@app.command()
def watch(
    feeds_file: Annotated[Path, typer.Argument(help="A text file: one http(s) feed URL a line; # starts a comment.")],
    db: DbOption = None,
    interval: Annotated[int, typer.Option("--interval", help="Seconds between polls of each feed (at least 60).", min=60)] = 900,
    allow_private: AllowPrivate = False,
    quiet: Quiet = False,
) -> None:
    """Poll RSS/Atom feeds, fetch their new items' pages and add them to the store, where they
    join their stories. Ctrl-C stops cleanly after the current fetch; a restart goes on
    without fetching anything twice.

    Example: rashomon watch feeds.txt --db news.db
    """
    from .ingest.watch import watch as run_watch
    from .pipeline import analyze_missing, group_new, quiet_libraries

    quiet_libraries()
    with _reported(db or "rashomon.db"):
        store = _store(db, "rashomon.db")
        report = run_watch(str(feeds_file), store, interval=interval, allow_private=allow_private,
                           on_cycle=lambda: (analyze_missing(store), group_new(store)),
                           on_event=None if quiet else (lambda message: typer.echo(message, err=True)))
    for item in getattr(report, "rejected", []):
        typer.echo(f"rejected {item.source}: {item.reason}", err=True)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to bind (loopback unless you mean otherwise).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    allow_host: Annotated[list[str] | None, typer.Option(
        "--allow-host", help="Also answer requests for this Host name (repeatable; loopback is always allowed).")] = None,
) -> None:
    """Open the store as a web app and an HTTP API (OpenAPI at /docs).

    Example: rashomon serve --db news.db --port 8000
    """
    from .pipeline import quiet_libraries
    from .web.serve import serve as run_server

    quiet_libraries()
    from .store.postgres import is_postgres_url

    if db and db != ":memory:" and not is_postgres_url(db) and not Path(db).exists():
        # serving a typo must not create an empty store
        _fail(f"{db}: no such store. Check the --db path; a store is created by `rashomon ingest FILES --db {db}`.")
    with _reported(db or "rashomon.db"):
        run_server(db or "rashomon.db", host, port, allow_host or ())


def main() -> None:
    try:
        app()
    except Exception as exc:  # an error raised outside a command's own reporting
        message = explain(exc)
        if message is None or _debugging():
            raise
        typer.echo(f"error: {message}", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
