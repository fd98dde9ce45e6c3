"""The pipeline's steps as Prefect tasks. Each wraps library code; the flows compose them."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from prefect import task
from prefect.cache_policies import NO_CACHE

from tradecurbs.durable import failpoint
from tradecurbs.limits import task_timeout
from tradecurbs.settings import DataPaths
from tradecurbs.warehouse import lineage
from tradecurbs.warehouse.build import (
    STAGED_DOCUMENTS,
    STAGED_MENTIONS,
    build_tables,
    read_parquet,
    write_staged_mentions,
)
from tradecurbs.warehouse.corpus import (
    EXTRACTION_CACHE,
    CorpusUpdate,
    ExtractionCache,
    read_documents,
    update_documents,
)
from tradecurbs.warehouse.merge import assign_events


class _ThreadTimeoutNotice(logging.Filter):
    """Drop Prefect's notice, on every threaded task with a timeout, that the timeout cannot cut a
    blocking call short: every blocking call of these tasks has its own bound (data/limits.yml), so
    the task deadline takes effect when that call returns."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Timeout of %s seconds configured for this task")


logging.getLogger("prefect.task_runs").addFilter(_ThreadTimeoutNotice())


class ValidationFailed(RuntimeError):
    """The built tables failed their expectations; nothing was published."""

    def __init__(self, failures: list[str], report_path: Path) -> None:
        self.failures = failures
        self.report_path = report_path
        lines = "\n".join(f"  - {f}" for f in failures)
        super().__init__(f"validation failed, release not published ({report_path}):\n{lines}")


class SourcesUnreachable(RuntimeError):
    """Every source of a run failed at its entry point; nothing was ingested or published."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        lines = "\n".join(f"  - {source}: {error}" for source, error in errors.items())
        super().__init__(f"no source could be fetched; nothing was ingested:\n{lines}")


def load_sources_file(sources: str | None, live: bool) -> Any:
    """The sources file of a run: the given one, the live list (``live``), else the embedded sample."""
    from tradecurbs.resources import bundled
    from tradecurbs.sources import load_sources

    if sources:
        return load_sources(Path(sources))
    return load_sources(bundled("sources.yml") if live else bundled("sample") / "sources.yml")


def select_sources(sources_file: Any, kinds: list[str] | None) -> list[Any]:
    """The sources of the given kinds (all when ``kinds`` is empty)."""
    return [s for s in sources_file.sources if not kinds or s.kind in kinds]


@contextmanager
def source_site(
    sources_file: Any, live: bool = False, allow_loopback: bool = False
) -> Iterator[tuple[Any, bool]]:
    """For a sources file with recorded responses, serve them locally; yields (rewrite, allow_loopback).

    A live run ignores recordings and fetches the sources' public addresses. Addresses on this
    machine (a mirror, a test server) are refused unless ``allow_loopback`` or the sources file's
    ``allow_loopback: true`` says otherwise.
    """
    from tradecurbs.sources.replay import replay_rewrite, replay_server

    if sources_file.replay is None or live:
        yield None, allow_loopback or sources_file.allow_loopback
        return
    with replay_server(sources_file.replay) as base:
        yield replay_rewrite(base), True


@task(
    name="crawl-source",
    retries=2,
    retry_delay_seconds=2,
    cache_policy=NO_CACHE,
    timeout_seconds=task_timeout("crawl"),
)
def crawl(
    source: Any,
    publishers: dict[str, str],
    paths: DataPaths,
    rewrite: Any,
    allow_loopback: bool,
    workers: int = 1,
) -> dict[str, Any]:
    """Fetch one source, conditionally and skipping documents already ingested; its article pages are
    turned into text in ``workers`` processes (in batches, when there are enough of them).

    Returns ``{"source_id", "records", "unchanged", "stats", "entry_error"}``: every new, changed or
    failed document as a row; how many were unchanged; the fetcher's counts (requests, conditional,
    not_modified, bytes); and ``entry_error`` when the source's own address (feed, API search,
    index) failed so that nothing came from it.
    """
    from tradecurbs.sources import Fetcher, SourceState, run_crawl
    from tradecurbs.sources.pageparse import PageParser

    with (
        SourceState(paths.state) as state,
        Fetcher(
            rewrite=rewrite,
            archive_dir=paths.raw,
            allow_loopback=allow_loopback,
            contact=contact(),
            state=state,
        ) as fetcher,
        PageParser(workers) as pages,
    ):
        outcome = run_crawl(source, fetcher, publishers=publishers, pages=pages)
    return crawl_summary(source, outcome)


@task(name="crawl-source-from-archive", cache_policy=NO_CACHE, timeout_seconds=task_timeout("crawl"))
def crawl_archive(source: Any, publishers: dict[str, str], raw_dir: Path, workers: int = 1) -> dict[str, Any]:
    """Crawl one source from the raw archive alone (no network), as it was fetched."""
    from tradecurbs.sources import Fetcher, run_crawl
    from tradecurbs.sources.pageparse import PageParser

    with Fetcher.from_archive(raw_dir) as fetcher, PageParser(workers) as pages:
        outcome = run_crawl(source, fetcher, publishers=publishers, pages=pages)
    return crawl_summary(source, outcome)


def crawl_summary(source: Any, outcome: Any) -> dict[str, Any]:
    """A crawl outcome as plain data for the flow."""
    rows = [_as_row(r) for r in outcome.records]
    entry = next((r for r in rows if r["url"] == source.url and r["status"] == "failed"), None)
    reached = outcome.n_unchanged > 0 or any(r["status"] == "ok" for r in rows)
    return {
        "source_id": source.id,
        "records": rows,
        "unchanged": outcome.n_unchanged,
        "stats": outcome.fetch_stats.as_dict(),
        "entry_error": entry["error"] if entry is not None and not reached else None,
    }


def _as_row(record: Any) -> dict[str, Any]:
    """A record as a plain dict (a DocumentRecord's ``as_dict``: its fields, without a deep copy)."""
    if hasattr(record, "as_dict"):
        return record.as_dict()
    return asdict(record) if is_dataclass(record) else dict(record)


def contact() -> str | None:
    """Who runs the crawler (``$TRADECURBS_CONTACT``), named in the User-Agent."""
    import os

    return os.environ.get("TRADECURBS_CONTACT") or None


def check_reachable(crawls: list[dict[str, Any]]) -> dict[str, str]:
    """Per-source entry errors; raise SourcesUnreachable when every source failed at its entry point."""
    errors = {c["source_id"]: c["entry_error"] for c in crawls if c["entry_error"]}
    if crawls and len(errors) == len(crawls):
        raise SourcesUnreachable(errors)
    return errors


@task(name="stage-documents", cache_policy=NO_CACHE, timeout_seconds=task_timeout("stage"))
def stage_documents(crawls: list[dict[str, Any]], paths: DataPaths) -> CorpusUpdate:
    """Fold this run's documents into the staged corpus; say what is new."""
    rows = [row for c in crawls for row in c["records"]]
    update = update_documents(paths.staged / STAGED_DOCUMENTS, rows)
    failpoint("stage:documents")
    return update


def _document_input(row: dict[str, Any]) -> dict[str, Any]:
    published = row.get("published_at")
    return {
        "id": row["document_id"],
        "url": row["url"],
        "title": row.get("title") or "",
        "text": row.get("text") or "",
        "published": published.date().isoformat() if published is not None else None,
        "source_kind": row["source_kind"],
        "language": row.get("language"),
        "document_id": row["document_id"],
        "content_sha256": row.get("content_sha256"),
    }


def generic_products() -> set[str]:
    """Names in the product table marked generic (classes of goods such as "dual-use items")."""
    from tradecurbs.extraction import lexicon

    return {p["name"] for p in lexicon.load("products") if p.get("generic")}


def good_documents(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ok documents, one per id, in id order."""
    seen: set[str] = set()
    out = []
    for row in sorted(documents, key=lambda r: r["document_id"]):
        if row["status"] == "ok" and row["document_id"] not in seen:
            seen.add(row["document_id"])
            out.append(row)
    return out


def merge_mentions(
    documents: list[dict[str, Any]],
    per_document: list[list[dict[str, Any]]],
    published: lineage.SlotMap | None = None,
) -> list[dict[str, Any]]:
    """Stamp mentions with their document, merge them into events; rows follow the mentions contract.

    ``published``: the slots of the latest release's mentions, whose event ids are kept.
    """
    from tradecurbs.extraction import EXTRACTOR_VERSION

    mentions = []
    for row, found in zip(documents, per_document, strict=True):
        day = row.get("published_at")
        for mention in found:
            mention.update(
                document_id=row["document_id"],
                url=row["url"],
                published_on=day.date() if day is not None else None,
                source_kind=row.get("source_kind"),
                publisher=row.get("publisher"),
                language=row.get("language"),
                extractor_version=EXTRACTOR_VERSION,
            )
            mentions.append(mention)
    unique = {m["mention_id"]: m for m in assign_events(mentions, generic_products(), published)}
    return [unique[k] for k in sorted(unique)]


def extract_rows(
    documents: list[dict[str, Any]],
    extract_many: Callable[[list[dict[str, Any]]], list[list[dict[str, Any]]]] | None = None,
) -> list[dict[str, Any]]:
    """Extract mentions from documents, merge them into events; rows follow the mentions contract."""
    if extract_many is None:
        from tradecurbs.extraction.parallel import extract_chunk as extract_many
    good = good_documents(documents)
    return merge_mentions(good, extract_many([_document_input(r) for r in good]))


def plan_extraction(paths: DataPaths) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The corpus's ok documents (as extractor inputs) and those not extracted before."""
    from tradecurbs.extraction import EXTRACTOR_VERSION

    good = [_document_input(r) for r in good_documents(read_documents(paths.staged / STAGED_DOCUMENTS))]
    cache = ExtractionCache(paths.staged / EXTRACTION_CACHE, EXTRACTOR_VERSION)
    return good, cache.missing(good)


@task(name="extract-chunk", cache_policy=NO_CACHE, timeout_seconds=task_timeout("extract"))
def extract_chunk(documents: list[dict[str, Any]], workers: int = 1) -> list[list[dict[str, Any]]]:
    """Mentions of each document of a chunk, in order (in ``workers`` processes when above 1)."""
    from tradecurbs.extraction.parallel import extract_many

    return extract_many(documents, workers=workers)


@task(name="merge-events", cache_policy=NO_CACHE, timeout_seconds=task_timeout("merge"))
def merge_events(
    paths: DataPaths,
    good: list[dict[str, Any]],
    extracted: list[dict[str, Any]],
    results: list[list[dict[str, Any]]],
    releases: Path | None = None,
) -> Path:
    """Cache the new extractions, merge every document's mentions into events, stage them.

    Event ids published in the latest release of ``releases`` (default: the data folder's) are kept.
    """
    from tradecurbs.extraction import EXTRACTOR_VERSION
    from tradecurbs.releases import latest_release

    cache = ExtractionCache(paths.staged / EXTRACTION_CACHE, EXTRACTOR_VERSION)
    cache.put(extracted, results)
    cache.save()
    failpoint("extract:cached")
    rows = {r["document_id"]: r for r in read_documents(paths.staged / STAGED_DOCUMENTS)}
    documents = [rows[d["document_id"]] for d in good]
    path = paths.staged / STAGED_MENTIONS
    published = lineage.read_slots(latest_release(releases or paths.releases))
    write_staged_mentions(merge_mentions(documents, [cache.get(d) for d in good], published), path)
    failpoint("extract:merged")
    return path


@task(name="build-tables", cache_policy=NO_CACHE, timeout_seconds=task_timeout("build"))
def build(paths: DataPaths) -> dict[str, pa.Table]:
    """Build the SQL models on DuckDB and export the published tables."""
    tables = build_tables(paths.staged, paths.warehouse)
    failpoint("build:tables")
    return tables


@task(name="validate-tables", cache_policy=NO_CACHE, timeout_seconds=task_timeout("validate"))
def validate(tables: dict[str, pa.Table], paths: DataPaths, run_label: str) -> Path:
    """Validate the tables with Great Expectations; raise ValidationFailed when any expectation fails."""
    from tradecurbs.releases import latest_release, read_index
    from tradecurbs.validation import validate_release

    previous = None
    if latest_release(paths.releases) is not None:
        index = read_index(paths.releases)
        previous = next(r["row_counts"] for r in index["releases"] if r["version"] == index["latest"])
    report_dir = paths.validation / run_label
    if report_dir.exists():
        shutil.rmtree(report_dir)
    frames = {name: table.to_pandas() for name, table in tables.items()}
    outcome = validate_release(frames, previous, report_dir)
    if not outcome.success:
        raise ValidationFailed(outcome.failures, outcome.report_path)
    failpoint("validate:done")
    return report_dir


@task(name="publish-release", cache_policy=NO_CACHE, timeout_seconds=task_timeout("publish"))
def publish(tables: dict[str, pa.Table], paths: DataPaths, report_dir: Path) -> dict[str, Any]:
    """Publish the validated tables as a new release."""
    from tradecurbs.releases import publish_release

    release = publish_release(paths.releases, tables, extra_dirs={"validation": report_dir})
    failpoint("publish:cataloged")
    return {
        "version": release.version,
        "path": str(release.path),
        "row_counts": release.row_counts,
        "delta": release.delta,
    }


# columns that record when we fetched, not what the data says: a refetch of an unchanged failed page
# (a 404 has no validators to make it conditional) moves them without changing the dataset
BOOKKEEPING_COLUMNS = ("fetched_at",)


def same_as_release(tables: dict[str, pa.Table], release_dir: Path) -> bool:
    """Whether every built table equals the one published in ``release_dir``, row for row.

    Fetch times (BOOKKEEPING_COLUMNS) are not compared.
    """

    def comparable(table: pa.Table) -> pa.Table:
        keep = [c for c in table.column_names if c not in BOOKKEEPING_COLUMNS]
        return table.select(keep).replace_schema_metadata(None)

    for name, table in tables.items():
        path = release_dir / f"{name}.parquet"
        if not path.exists():
            return False
        published, built = comparable(read_parquet(path)), comparable(table)
        if published.schema != built.schema or not published.equals(built):
            return False
    return True


@contextmanager
def data_lock(paths: DataPaths, wait_seconds: float = 3600.0) -> Iterator[None]:
    """Hold the data folder for one run: a second run on the same folder waits for the first.

    The staged corpus, the extraction cache and the state are read, changed and rewritten by a run;
    two runs at once (a schedule and a run by hand) would lose each other's documents.
    """
    import fcntl
    import time

    from tradecurbs.progress import note

    paths.root.mkdir(parents=True, exist_ok=True)
    with (paths.root / ".run.lock").open("a+") as handle:
        deadline = time.monotonic() + wait_seconds
        waiting = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"another tradecurbs run holds {paths.root} for over {wait_seconds:.0f}s"
                    ) from None
                if not waiting:
                    note(f"waiting for another run on {paths.root} to finish …")
                    waiting = True
                time.sleep(1.0)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fresh_scratch(paths: DataPaths, name: str) -> DataPaths:
    """An emptied working area ``<data>/work/<name>`` with the layout of a data folder."""
    root = paths.root / "work" / name
    if root.exists():
        shutil.rmtree(root)
    return DataPaths(root).create()


def run_label(now: dt.datetime | None = None) -> str:
    """A label for one run's reports."""
    return (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")


def summary_counts(tables: dict[str, pa.Table]) -> dict[str, Any]:
    """Counts for the run summary: rows per table, documents by status, events by class."""
    docs = tables["documents"].column("status").to_pylist()
    classes = tables["events"].column("event_class").to_pylist()
    return {
        "documents": len(docs),
        "documents_failed": docs.count("failed"),
        "mentions": tables["mentions"].num_rows,
        "events": len(classes),
        "events_by_class": {c: classes.count(c) for c in sorted(set(classes))},
    }


def to_json(value: Any) -> str:
    """JSON for summaries (dates and paths as strings)."""
    return json.dumps(value, default=str, indent=2)
