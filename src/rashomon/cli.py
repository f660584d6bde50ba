"""The ``rashomon`` command: a thin layer over the library functions."""

from __future__ import annotations

import sys
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
DbOption = Annotated[Optional[str], typer.Option("--db", help="SQLite database file (':memory:' allowed).")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or warnings on stderr.")]
AllowPrivate = Annotated[bool, typer.Option("--allow-private", help="Allow URLs on loopback/private networks.")]


def _warn(quiet: bool):
    def warn(message: str) -> None:
        if not quiet:
            typer.echo(f"warning: {message}", err=True)
    return warn


def _progress(quiet: bool):
    from .progress import Progress

    return Progress(enabled=False if quiet else None)


def _fail(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)


def _store(db: str | None, default: str):
    from .store import Store

    return Store(db or default)


def write_briefs(briefs, rejected, out: Path, formats: list[Format]) -> list[Path]:
    """Write one file per story and format under ``out`` (each brief as it comes: ``briefs``
    may be an iterator); returns what was written. Only the HTML index, a page holding every
    brief, keeps them all."""
    from .render.html import render_html
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
        index.write_text(render_html(kept), encoding="utf-8")
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
    try:
        store = _store(db, ":memory:")
        progress = _progress(quiet)
        with progress.session():
            story_ids, rejected = plan_briefs(paths or None, store, progress=progress, allow_private=allow_private,
                                              warn=_warn(quiet))
            if paths and not story_ids and rejected:
                typer.echo("error: no article could be read (see the warnings above)", err=True)
                raise typer.Exit(1)
            # Each brief is written as soon as it is built: memory holds one story's analyses at a time.
            briefs = iter_briefs(store, story_ids, progress=progress)
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
    except RashomonError as exc:
        _fail(exc)


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

    documents = []
    try:
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
    except RashomonError as exc:
        _fail(exc)
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
) -> None:
    """Add articles to the store (analysed and grouped) without writing briefs.

    Example: rashomon ingest ./articles --db news.db
    """
    from .pipeline import ingest as run_ingest, quiet_libraries

    quiet_libraries()
    if not paths:
        _fail(RashomonError("give files, folders or URLs to ingest"))
    try:
        store = _store(db, "rashomon.db")
        progress = _progress(quiet)
        with progress.session():
            result = run_ingest(paths, store, progress=progress, allow_private=allow_private, warn=_warn(quiet))
        stories = store.stories()
    except RashomonError as exc:
        _fail(exc)
    typer.echo(f"{len(result.article_ids)} articles read, {len(result.added)} new, {len(result.rejected)} rejected; "
               f"the store {store.path} holds {store.article_count()} articles in {len(stories)} stories", err=True)
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
    try:
        progress = _progress(quiet)
        with progress.session():
            result = build_briefs(demo_paths(), Store(":memory:"), progress=progress, warn=_warn(quiet))
    except RashomonError as exc:
        _fail(exc)
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
    try:
        store = _store(db, "rashomon.db")
        report = run_watch(str(feeds_file), store, interval=interval, allow_private=allow_private,
                           on_cycle=lambda: (analyze_missing(store), group_new(store)),
                           on_event=None if quiet else (lambda message: typer.echo(message, err=True)))
    except RashomonError as exc:
        _fail(exc)
    for item in getattr(report, "rejected", []):
        typer.echo(f"rejected {item.source}: {item.reason}", err=True)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to bind (loopback unless you mean otherwise).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
) -> None:
    """Open the store as a web app and an HTTP API (OpenAPI at /docs).

    Example: rashomon serve --db news.db --port 8000
    """
    from .pipeline import quiet_libraries
    from .web.serve import serve as run_server

    quiet_libraries()
    try:
        run_server(db or "rashomon.db", host, port)
    except RashomonError as exc:
        _fail(exc)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
