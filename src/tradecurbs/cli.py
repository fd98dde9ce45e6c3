"""The tradecurbs command line: run the pipeline, query releases, extract, explain."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tradecurbs.settings import DATA_DIR_ENV, DataPaths, default_data_dir

app = typer.Typer(add_completion=False, no_args_is_help=True, help="tradecurbs: trade-restriction events.")
console = Console()
err = Console(stderr=True)

DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help=f"Data folder (default: ${DATA_DIR_ENV} or ./data).")
]


def _quiet_prefect() -> None:
    """Keep Prefect's own logging and telemetry out of the way unless asked for."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


@app.command()
def run(
    sources: Annotated[
        Path | None, typer.Option(help="Sources file (default: the embedded sample).", exists=True)
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Run the pipeline: ingest, extract, build, validate, publish a release."""
    _quiet_prefect()
    from tradecurbs.flows_loader import pipeline_flow
    from tradecurbs.tasks import ValidationFailed

    root = data_dir or default_data_dir()
    try:
        result = pipeline_flow()(sources=str(sources) if sources else None, data_dir=str(root))
    except ValidationFailed as exc:
        err.print(f"[bold red]Validation failed; no release was published.[/] Report: {exc.report_path}")
        for line in exc.failures:
            err.print(f"  [red]✗[/] {line}")
        raise typer.Exit(1) from None
    _print_summary(result)


def _print_summary(result: dict) -> None:
    table = Table(title=f"tradecurbs release {result['version']}", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(result["documents"]))
    table.add_row("  of which failed", str(result["documents_failed"]))
    table.add_row("mentions", str(result["mentions"]))
    table.add_row("events", str(result["events"]))
    for cls, n in result["events_by_class"].items():
        table.add_row(f"  {cls}", str(n))
    console.print(table)
    console.print(f"Published to {result['path']}")


def _release_dir(data_dir: Path | None, release: Path | None) -> Path:
    from tradecurbs.releases import latest_release

    if release is not None:
        return release
    paths = DataPaths(data_dir or default_data_dir())
    latest = latest_release(paths.releases)
    if latest is None:
        err.print(
            f"[red]No release under {paths.releases}.[/] Run `tradecurbs run` first, or pass --release DIR."
        )
        raise typer.Exit(1)
    return latest


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL over the views events, mentions, documents.")],
    data_dir: DataDir = None,
    release: Annotated[Path | None, typer.Option(help="A release folder (default: the latest).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """Run SQL on the latest release (or --release DIR)."""
    import duckdb

    from tradecurbs.releases.query import open_release

    folder = _release_dir(data_dir, release)
    con = open_release(folder)
    try:
        result = con.sql(query)
    except duckdb.Error as exc:
        err.print(f"[red]SQL error:[/] {exc}")
        raise typer.Exit(1) from None
    if result is None:
        return
    columns, rows = result.columns, result.fetchall()
    if fmt == "json":
        console.print_json(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], default=str))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        table = Table(*columns)
        for r in rows:
            table.add_row(*("" if v is None else str(v) for v in r))
        console.print(table)


@app.command()
def extract(
    input: Annotated[Path, typer.Option("--input", exists=True, help="JSONL of documents.")],
    output: Annotated[Path, typer.Option("--output", help="JSONL of events, one per line.")],
) -> None:
    """Run the extractor alone on a JSONL of documents."""
    from tradecurbs.extraction import extract_jsonl

    n = extract_jsonl(input, output)
    err.print(f"wrote {n} events to {output}")


@app.command()
def explain(
    doc: Annotated[Path, typer.Argument(help="A document as JSON (id, url, title, text, published, ...).")],
) -> None:
    """Show, for one document, each sentence considered, the events found and the rules that fired."""
    from tradecurbs.extraction import explain_document

    document = json.loads(doc.read_text(encoding="utf-8"))
    console.print_json(json.dumps(explain_document(document), default=str, ensure_ascii=False))


@app.command()
def releases(data_dir: DataDir = None) -> None:
    """List published releases."""
    from tradecurbs.releases import list_releases, read_index

    paths = DataPaths(data_dir or default_data_dir())
    latest = read_index(paths.releases)["latest"]
    table = Table("version", "created", "documents", "mentions", "events", "latest")
    for r in list_releases(paths.releases):
        counts = r["row_counts"]
        table.add_row(
            r["version"],
            r["created"],
            *(str(counts.get(t, "")) for t in ("documents", "mentions", "events")),
            "*" if r["version"] == latest else "",
        )
    console.print(table)


if __name__ == "__main__":
    app()
