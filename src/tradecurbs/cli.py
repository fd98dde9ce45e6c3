"""The tradecurbs command line: run the pipeline, query releases, extract, explain."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from tradecurbs.ephemeral import command_api, early_api
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


def _fail(message: str, code: int = 2) -> NoReturn:
    """Print one line on stderr and exit (2: the user's mistake)."""
    from rich.markup import escape

    err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    raise typer.Exit(code)


def _check_workers(workers: int) -> None:
    """``--workers`` below 1 is the user's mistake."""
    if workers < 1:
        _fail(f"--workers must be at least 1, got {workers}")


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn a user's mistake (a wrong argument, folder or input file) into one line and exit code 2."""
    from tradecurbs.usererrors import one_line, user_mistakes

    try:
        yield
    except user_mistakes() as exc:
        _fail(one_line(exc))


def _check_sources_file(sources: Path | None, live: bool) -> None:
    """Read the sources file before any run starts, so that a typo is one line, not a failed flow."""
    from tradecurbs.tasks import load_sources_file

    with _user_errors():
        load_sources_file(str(sources) if sources else None, live)


@app.command()
def run(
    sources: Annotated[
        Path | None,
        typer.Option(help="Sources file (default: the sample; with --live, the live list).", exists=True),
    ] = None,
    data_dir: DataDir = None,
    live: Annotated[
        bool, typer.Option("--live", help="Fetch the sources' real public URLs (ignore recorded responses).")
    ] = False,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="Only sources of this kind (news, official).")
    ] = None,
    no_publish: Annotated[
        bool, typer.Option("--no-publish", help="Ingest and extract only; build no release.")
    ] = False,
    workers: Annotated[int, typer.Option(help="Processes for parsing pages and for extraction.")] = 1,
    allow_loopback: Annotated[
        bool,
        typer.Option("--allow-loopback", help="Let sources be on this machine (a mirror, a test server)."),
    ] = False,
) -> None:
    """Run the pipeline: ingest, extract, build, validate, publish a release (only if something changed)."""
    _check_workers(workers)
    _quiet_prefect()
    with early_api() as early:  # the temporary Prefect server starts while this process imports
        _check_sources_file(sources, live)
        from tradecurbs.flows_loader import pipeline_flow
        from tradecurbs.prefetch import prefetch_extractor, prefetch_validation

        root = data_dir or default_data_dir()
        if early.process is not None:  # while the temporary Prefect server starts
            prefetch_extractor()
        if not no_publish:
            prefetch_validation(root)
        with (
            _run_errors("No source could be fetched; nothing was ingested or published."),
            command_api(early=early),
        ):
            result = pipeline_flow()(
                sources=str(sources) if sources else None,
                data_dir=str(root),
                kinds=kind or None,
                publish=not no_publish,
                live=live,
                workers=workers,
                allow_loopback=allow_loopback,
            )
    _print_summary(result)


@contextmanager
def _run_errors(unreachable: str) -> Iterator[None]:
    """Turn a run's expected failures into clear messages and exit codes, without a traceback (Prefect's
    included, and its server's shutdown noise): failed SQL data tests or expectations exit 1, sources
    that could not be read and the user's mistakes exit 2."""
    from rich.markup import escape

    from tradecurbs.logfilters import quiet_expected
    from tradecurbs.tasks import SourcesUnreachable, ValidationFailed
    from tradecurbs.usererrors import one_line, user_mistakes
    from tradecurbs.warehouse.datatests import DataTestFailed

    expected = (ValidationFailed, DataTestFailed, SourcesUnreachable, *user_mistakes())
    try:
        with quiet_expected(*expected):
            yield
    except user_mistakes() as exc:
        _fail(one_line(exc))
    except ValidationFailed as exc:
        report = escape(str(exc.report_path))
        err.print(f"[bold red]Validation failed; no release was published.[/] Report: {report}")
        for line in exc.failures:
            err.print(f"  [red]✗[/] {escape(line)}")
        raise typer.Exit(1) from None
    except DataTestFailed as exc:
        err.print("[bold red]SQL data tests failed; the build stopped and no release was published.[/]")
        err.print(escape(str(exc)))
        raise typer.Exit(1) from None
    except SourcesUnreachable as exc:
        err.print(f"[bold red]{unreachable}[/]")
        for source_id, error in exc.errors.items():
            err.print(f"  [red]✗[/] {source_id}: {escape(error)}", soft_wrap=True)
        raise typer.Exit(2) from None
    except TimeoutError as exc:  # a task or the flow passed its deadline (data/limits.yml)
        err.print(f"[bold red]The run passed its deadline and was stopped; the next run resumes it:[/] {exc}")
        raise typer.Exit(1) from None
    except OSError as exc:  # a disk or permission problem: the next run resumes once it is fixed
        err.print(f"[bold red]The run stopped; it resumes from here once this is fixed:[/] {exc}")
        raise typer.Exit(1) from None


def _print_summary(result: dict) -> None:
    from rich.markup import escape

    table = Table(title=f"tradecurbs run ({result.get('version') or 'no release'})", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("new documents", str(result["new_documents"]))
    table.add_row("changed documents", str(result["changed_documents"]))
    table.add_row("unchanged documents", str(result["unchanged_documents"]))
    table.add_row("documents extracted", str(result["extracted_documents"]))
    if "documents" in result:
        table.add_row("documents in release", str(result["documents"]))
        table.add_row("  of which failed", str(result["documents_failed"]))
        table.add_row("mentions", str(result["mentions"]))
        table.add_row("events", str(result["events"]))
        for cls, n in result["events_by_class"].items():
            table.add_row(f"  {cls}", str(n))
    console.print(table)
    for source_id, error in result.get("failed_sources", {}).items():
        err.print(f"[yellow]source {source_id} failed:[/] {escape(error)}", soft_wrap=True)
    if result["published"]:
        console.print(f"Published release {result['version']} to {result['path']}")
    elif result.get("version"):
        console.print(f"Nothing changed: no new release; the latest is still {result['version']}.")
    else:
        console.print("No release published (--no-publish).")


@app.command()
def rebuild(
    sources: Annotated[
        Path | None,
        typer.Option(help="Sources file (default: the sample; with --live, the live list).", exists=True),
    ] = None,
    data_dir: DataDir = None,
    live: Annotated[bool, typer.Option("--live", help="Rebuild the live sources' documents.")] = False,
    workers: Annotated[int, typer.Option(help="Processes for parsing pages and for extraction.")] = 1,
) -> None:
    """Re-extract and republish from the raw archive alone (no network), e.g. after a code change."""
    _check_workers(workers)
    _quiet_prefect()
    with early_api() as early:  # the temporary Prefect server starts while this process imports
        _check_sources_file(sources, live)
        from tradecurbs.flows_loader import load_flows_module
        from tradecurbs.prefetch import prefetch_extractor

        root = data_dir or default_data_dir()
        if early.process is not None:  # while the temporary Prefect server starts
            prefetch_extractor()
        with _run_errors("The raw archive holds nothing for these sources."), command_api(early=early):
            result = load_flows_module("pipeline").rebuild(
                sources=str(sources) if sources else None, data_dir=str(root), live=live, workers=workers
            )
    console.print(
        f"Rebuilt {result['documents_rebuilt']} documents from {root / 'raw'} "
        f"({result['extracted_documents']} extracted)."
    )
    if result["published"]:
        console.print(f"Published release {result['version']} to {result['path']}")
    else:
        console.print(f"Identical to release {result['identical_to']}: nothing to publish.")


def _error_text(line: str) -> str:
    """An error line without its leading URL (the table names the source already)."""
    head, sep, rest = line.partition(": ")
    return rest if sep and head.startswith(("http://", "https://")) else line


@app.command("sources")
def sources_cmd(
    sources: Annotated[
        Path | None,
        typer.Option(help="Sources file (default: the sample; with --live, the live list).", exists=True),
    ] = None,
    data_dir: DataDir = None,
    live: Annotated[bool, typer.Option("--live", help="List the live sources.")] = False,
) -> None:
    """List the sources with their last fetch time, documents and errors."""
    from tradecurbs.sources import SourceState
    from tradecurbs.tasks import load_sources_file

    with _user_errors():
        sources_file = load_sources_file(str(sources) if sources else None, live)
    paths = DataPaths(data_dir or default_data_dir())
    summaries: dict[str, dict] = {}
    if paths.state.exists():
        with SourceState(paths.state) as state:
            summaries = {s["source_id"]: s for s in state.source_summaries()}
    events = _events_by_source(paths)
    table = Table(
        "source",
        "kind",
        "where, lang.",
        "last fetch (UTC)",
        "docs ok/failed",
        "events",
        "last run",
        "last errors",
    )
    for source in sources_file.sources:
        s = summaries.get(source.id)
        where = f"{source.jurisdiction or '-'}, {source.language or '-'}"
        if s is None:
            table.add_row(source.id, source.kind, where, "never", "", "", "", "")
            continue
        errors = s["last_errors"]
        table.add_row(
            source.id,
            source.kind,
            where,
            str(s["last_finished_at"] or s["last_started_at"])[:16].replace("T", " "),
            f"{s['documents']}/{s['failed_documents']}",
            str(events.get(source.id, 0)) if events is not None else "",
            f"{s['last_n_new']} new, {s['last_n_unchanged']} unchanged, {s['last_n_failed']} failed; "
            f"{s['last_n_requests']} requests, {s['last_n_not_modified']} not modified",
            (f"{len(errors)}, e.g. {_error_text(errors[0])[:90]}" if errors else ""),
        )
    console.print(table)
    console.print(f"Sources file: {sources_file.path}; state: {paths.state}")


def _events_by_source(paths: DataPaths) -> dict[str, int] | None:
    """Events per source in the latest release of the data folder (None without a release)."""
    from tradecurbs.releases import latest_release
    from tradecurbs.releases.query import events_by_source

    latest = latest_release(paths.releases) if paths.releases.exists() else None
    return events_by_source(latest) if latest is not None else None


def _release_dir(data_dir: Path | None, release: str | None) -> Path:
    """The folder of the release to query: ``--release`` (a folder, a version, a URL) or the latest."""
    from tradecurbs.api import resolve_release
    from tradecurbs.releases.download import DownloadError

    if release is None:
        from tradecurbs.releases import latest_release

        paths = DataPaths(data_dir or default_data_dir())
        latest = latest_release(paths.releases)
        if latest is None:
            _fail(f"no release under {paths.releases}; run `tradecurbs run` first, or pass --release DIR")
        return latest
    try:
        with _user_errors():
            return resolve_release(release, data_dir=data_dir)
    except DownloadError as exc:
        _fail(f"download failed: {exc}", code=1)


@app.command()
def sql(
    query: Annotated[
        str,
        typer.Argument(
            help="SQL over the views events, mentions, documents, event_timeline, monthly_counts, "
            "restricted_products, measures_in_force, changes, and the macro measures_in_force(DATE ...)."
        ),
    ],
    data_dir: DataDir = None,
    release: Annotated[
        str | None,
        typer.Option(
            help="A release folder, a version of the data folder, or the URL of a published releases "
            "folder (https://HOST/releases, downloaded and verified once). Default: the latest."
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="table (line mode when rows are too wide for the terminal), line, csv or json.",
        ),
    ] = "table",
) -> None:
    """Run SQL on the latest release (or --release DIR)."""
    import duckdb

    from tradecurbs import sqlout
    from tradecurbs.releases.query import open_release

    if fmt not in sqlout.FORMATS:
        _fail(f"--format must be one of {', '.join(sqlout.FORMATS)}, not {fmt!r}")
    folder = _release_dir(data_dir, release)
    with _user_errors():
        con = open_release(folder)
    try:
        result = con.sql(query)
    except duckdb.Error as exc:
        _fail(f"SQL error: {sqlout.error_line(exc)}")
    if result is None:
        return
    try:
        columns, rows = result.columns, result.fetchall()
    except duckdb.Error as exc:
        _fail(f"SQL error: {sqlout.error_line(exc)}")
    sqlout.write(columns, rows, fmt, console)


@app.command()
def extract(
    input: Annotated[Path, typer.Option("--input", exists=True, help="JSONL of documents.")],
    output: Annotated[Path, typer.Option("--output", help="JSONL of events, one per line.")],
    workers: Annotated[int, typer.Option(help="Processes for extraction (same output for any number).")] = 1,
) -> None:
    """Run the extractor alone on a JSONL of documents."""
    from tradecurbs.extract_file import extract_file

    _check_workers(workers)
    try:
        n = extract_file(input, output, workers)
    except json.JSONDecodeError as exc:
        _fail(f"{input} is not JSON lines (one JSON document per line): {exc}")
    err.print(f"wrote {n} events to {output}")


@app.command()
def explain(
    doc: Annotated[Path, typer.Argument(help="A document as JSON (id, url, title, text, published, ...).")],
) -> None:
    """Show, for one document, each sentence considered, the events found and the rules that fired."""
    from tradecurbs.document_file import read_document
    from tradecurbs.extraction import explain_document

    with _user_errors():
        document = read_document(doc)
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


@app.command()
def download(
    source: Annotated[
        str,
        typer.Option("--from", help="Base URL of a releases folder (https://HOST/releases) or a local one."),
    ],
    dest: Annotated[
        Path, typer.Option("--to", help="Folder to download into; the release goes to DIR/VERSION.")
    ],
    version: Annotated[str, typer.Argument(help="A release version, or latest.")] = "latest",
) -> None:
    """Download a release and verify the size and sha256 of every file against the catalog."""
    from rich.markup import escape

    from tradecurbs.releases.download import DownloadError, FetchedFile, download_release

    def show(item: FetchedFile) -> None:
        line = f"{escape(item.path)}  {item.bytes:,} bytes  sha256 {item.sha256[:16]}…  ({item.how})"
        console.print(f"[green]✓[/] {line}", soft_wrap=True)

    try:
        folder = download_release(version, source, dest, on_file=show)
    except (DownloadError, OSError) as exc:
        err.print(f"[bold red]Download failed:[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(1) from None
    where = escape(str(folder))
    console.print(f"Release {escape(folder.name)} verified in {where}", soft_wrap=True)
    query = "'SELECT count(*) FROM events'"
    console.print(f"Query it with: tradecurbs sql --release {where} {query}", soft_wrap=True)


_SERVE_HELP = (
    "Serve the scheduled deployments (news-hourly, official-daily, release-daily) until Ctrl-C."
    "\n\nIt needs a Prefect API. With PREFECT_API_URL set (or a Prefect profile that sets it), that"
    " server is used. Otherwise a Prefect server already running on 127.0.0.1:PORT is used, else one is"
    " started for as long as this command runs (UI at http://127.0.0.1:PORT) and stopped on exit; its"
    " database stays in PREFECT_HOME, so deployments and run history are kept."
    "\n\nTo keep a server and its UI up between serves: `prefect server start` in another terminal,"
    " then `prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api`."
    "\n\nCtrl-C (or SIGTERM) stops serving and pauses the schedules."
)


@app.command(help=_SERVE_HELP)
def serve(
    sources: Annotated[
        Path | None,
        typer.Option(exists=True, help="Sources file (default: the embedded sample; --live: the live list)."),
    ] = None,
    data_dir: DataDir = None,
    live: Annotated[
        bool, typer.Option("--live", help="Fetch the sources' real public URLs (ignore recorded responses).")
    ] = False,
    no_schedules: Annotated[
        bool,
        typer.Option("--no-schedules", help="Register the schedules paused: runs start only when triggered."),
    ] = False,
    port: Annotated[
        int, typer.Option(help="Port of the local Prefect server used when PREFECT_API_URL is not set.")
    ] = 4200,
    limit: Annotated[
        int, typer.Option(min=1, help="Flow runs at a time. They share the data folder: keep 1.")
    ] = 1,
) -> None:
    """Serve the pipeline's scheduled deployments until interrupted (help: _SERVE_HELP)."""
    import signal
    from contextlib import ExitStack

    # Ctrl-C must stop it even when started from a shell that ignores SIGINT in background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # A long-running service: show the runner's and the runs' INFO logs unless told otherwise.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    _quiet_prefect()
    _check_sources_file(sources, live)
    from tradecurbs import serving

    deployments = serving.build_deployments(sources, data_dir, live=live, schedules=not no_schedules)
    try:
        with ExitStack() as stack:
            api_url = serving.configured_api_url()
            if api_url is None:
                from prefect.settings import get_current_settings

                log = Path(get_current_settings().home) / "tradecurbs-server.log"
                log.parent.mkdir(parents=True, exist_ok=True)
                err.print(f"No PREFECT_API_URL: using a Prefect server on 127.0.0.1:{port} (log: {log})")
                api_url = stack.enter_context(serving.local_server(port, log_path=log))
                stack.enter_context(serving.using_api(api_url))
            elif not serving.server_is_up(api_url):
                err.print(
                    f"[red]No Prefect API answers at {api_url}[/] (PREFECT_API_URL). Start one with "
                    "`prefect server start`, or unset PREFECT_API_URL to let `tradecurbs serve` start one."
                )
                raise typer.Exit(1)
            _print_deployments(serving.describe(deployments), api_url)
            serving.serve_deployments(deployments, limit=limit)
    except KeyboardInterrupt:
        pass
    err.print("Stopped serving; the schedules are paused until the next `tradecurbs serve`.")


def _print_deployments(rows: list[dict], api_url: str) -> None:
    table = Table("deployment", "schedule", "parameters", title=f"Deployments of flow {rows[0]['flow']}")
    for row in rows:
        schedule = ", ".join(row["schedules"]) + ("" if row["active"] else " (paused)")
        fixed = {k: v for k, v in row["parameters"].items() if k not in ("sources", "data_dir")}
        table.add_row(row["name"], schedule, ", ".join(f"{k}={v}" for k, v in fixed.items()))
    console.print(table)
    first = rows[0]["parameters"]
    console.print(f"sources: {first['sources'] or 'the embedded sample'}", soft_wrap=True)
    console.print(f"data folder: {first['data_dir']}", soft_wrap=True)
    console.print(f"Prefect API: {api_url}   UI: {api_url.removesuffix('/api')}", soft_wrap=True)
    example = f"{rows[0]['flow']}/{rows[-1]['name']}"
    console.print(f"Run one now: prefect deployment run '{example}'", soft_wrap=True)
    console.print("Serving; Ctrl-C to stop.")


if __name__ == "__main__":
    app()
