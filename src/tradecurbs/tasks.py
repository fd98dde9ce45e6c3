"""The pipeline's steps as Prefect tasks. Each wraps library code; the flows compose them."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from prefect import task
from prefect.cache_policies import NO_CACHE

from tradecurbs.settings import DataPaths
from tradecurbs.warehouse.build import (
    STAGED_DOCUMENTS,
    STAGED_MENTIONS,
    build_tables,
    write_staged_documents,
    write_staged_mentions,
)
from tradecurbs.warehouse.merge import assign_events


class ValidationFailed(RuntimeError):
    """The built tables failed their expectations; nothing was published."""

    def __init__(self, failures: list[str], report_path: Path) -> None:
        self.failures = failures
        self.report_path = report_path
        lines = "\n".join(f"  - {f}" for f in failures)
        super().__init__(f"validation failed, release not published ({report_path}):\n{lines}")


@contextmanager
def source_site(sources_file: Any) -> Iterator[tuple[Any, bool]]:
    """For a sources file with recorded responses, serve them locally; yields (rewrite, allow_loopback)."""
    from tradecurbs.sources.replay import replay_rewrite, replay_server

    if sources_file.replay is None:
        yield None, False
        return
    with replay_server(sources_file.replay) as base:
        yield replay_rewrite(base), True


@task(name="crawl-source", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def crawl(
    source: Any, publishers: dict[str, str], raw_dir: Path, rewrite: Any, allow_loopback: bool
) -> list[dict]:
    """Fetch one source; every document (good or failed) becomes a row."""
    from tradecurbs.sources import Fetcher, crawl_source

    with Fetcher(rewrite=rewrite, archive_dir=raw_dir, allow_loopback=allow_loopback) as fetcher:
        records = crawl_source(source, fetcher, publishers=publishers)
    return [asdict(r) if is_dataclass(r) else dict(r) for r in records]


@task(name="stage-documents", cache_policy=NO_CACHE)
def stage_documents(batches: list[list[dict]], paths: DataPaths) -> Path:
    """Write every fetched document (with its text) to the staging area."""
    rows = [row for batch in batches for row in batch]
    rows.sort(key=lambda r: (r["document_id"], r["source_id"]))
    path = paths.staged / STAGED_DOCUMENTS
    write_staged_documents(rows, path)
    return path


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
    }


def generic_products() -> set[str]:
    """Names in the product table marked generic (classes of goods such as "dual-use items")."""
    from tradecurbs.extraction import lexicon

    return {p["name"] for p in lexicon.load("products") if p.get("generic")}


def extract_rows(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Extract mentions from documents, merge them into events; rows follow the mentions contract."""
    from tradecurbs.extraction import EXTRACTOR_VERSION, extract_document

    mentions = []
    seen_docs: set[str] = set()
    for row in sorted(documents, key=lambda r: r["document_id"]):
        if row["status"] != "ok" or row["document_id"] in seen_docs:
            continue
        seen_docs.add(row["document_id"])
        published = row.get("published_at")
        for mention in extract_document(_document_input(row)):
            mention.update(
                document_id=row["document_id"],
                url=row["url"],
                published_on=published.date() if published is not None else None,
                extractor_version=EXTRACTOR_VERSION,
            )
            mentions.append(mention)
    unique = {m["mention_id"]: m for m in assign_events(mentions, generic_products())}
    return [unique[k] for k in sorted(unique)]


@task(name="extract-events", cache_policy=NO_CACHE)
def extract(staged_documents: Path, paths: DataPaths) -> Path:
    """Run the extractor on every good document and merge mentions into events."""
    documents = pq.read_table(staged_documents).to_pylist()
    path = paths.staged / STAGED_MENTIONS
    write_staged_mentions(extract_rows(documents), path)
    return path


@task(name="build-tables", cache_policy=NO_CACHE)
def build(paths: DataPaths) -> dict[str, pa.Table]:
    """Build the SQL models on DuckDB and export the published tables."""
    return build_tables(paths.staged, paths.warehouse)


@task(name="validate-tables", cache_policy=NO_CACHE)
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
    return report_dir


@task(name="publish-release", cache_policy=NO_CACHE)
def publish(tables: dict[str, pa.Table], paths: DataPaths, report_dir: Path) -> dict[str, Any]:
    """Publish the validated tables as a new release."""
    from tradecurbs.releases import publish_release

    release = publish_release(paths.releases, tables, extra_dirs={"validation": report_dir})
    return {"version": release.version, "path": str(release.path), "row_counts": release.row_counts}


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
