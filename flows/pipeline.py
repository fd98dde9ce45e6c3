"""The tradecurbs pipeline: ingest sources, extract events, build tables, validate, publish.

Run it with ``tradecurbs run`` (the embedded sample by default) or ``python flows/pipeline.py``.
Runs are incremental: only new or changed documents are extracted, and a run that finds nothing
new publishes no release. Each run logs its stages to Prefect and leaves a markdown artifact
(key ``tradecurbs-run``) saying what it did or why it failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow
from rich.markup import escape

from tradecurbs import tasks
from tradecurbs.extraction.parallel import chunked
from tradecurbs.limits import limit
from tradecurbs.progress import note, stage
from tradecurbs.recovery import mark_published, recover, unpublished
from tradecurbs.releases import latest_release
from tradecurbs.runreport import reported
from tradecurbs.settings import DataPaths, default_data_dir


def flow_timeout() -> float:
    """The deadline of one run of a flow (data/limits.yml)."""
    return limit("flow_timeout_seconds")


@flow(name="tradecurbs-pipeline", log_prints=False, timeout_seconds=flow_timeout())
def pipeline(
    sources: str | None = None,
    data_dir: str | None = None,
    kinds: list[str] | None = None,
    publish: bool = True,
    live: bool = False,
    workers: int = 1,
    chunk_size: int = 2000,
    allow_loopback: bool = False,
) -> dict[str, Any]:
    """Scrape the sources, extract and merge events, build, validate and publish a release.

    ``sources``: a sources file (default: the embedded sample, or the live list with ``live``);
    ``kinds``: only sources of these kinds ("news", "official"); ``publish``: build and publish a
    release (else ingest and extract only); ``workers``: processes per crawl task (for its article
    pages) and per extraction chunk task;
    ``chunk_size``: documents per extraction task (the flow's task runner spreads the chunks, e.g.
    over a Dask cluster); ``allow_loopback``: let the fetcher reach a mirror or test server on this
    machine (also ``allow_loopback: true`` in the sources file; off by default).
    """
    paths = DataPaths(Path(data_dir) if data_dir else default_data_dir()).create()
    with tasks.data_lock(paths):
        _recover(paths)
        options = (sources, kinds, publish, live, workers, chunk_size, allow_loopback)
        return reported("run", lambda: _pipeline(paths, *options))


def _recover(paths: DataPaths) -> None:
    """Finish or undo what an interrupted run left behind (see tradecurbs.recovery), saying what."""
    for line in recover(paths):
        note(f"[yellow]recovered:[/] {line}")


def _pipeline(
    paths: DataPaths,
    sources: str | None,
    kinds: list[str] | None,
    publish: bool,
    live: bool,
    workers: int,
    chunk_size: int,
    allow_loopback: bool = False,
) -> dict[str, Any]:
    sources_file = tasks.load_sources_file(sources, live)
    chosen = tasks.select_sources(sources_file, kinds)

    with (
        stage(f"ingest {len(chosen)} sources"),
        tasks.source_site(sources_file, live, allow_loopback) as (rewrite, loop),
    ):
        futures = [
            tasks.crawl.submit(s, sources_file.publishers, paths, rewrite, loop, workers) for s in chosen
        ]
        crawls = [f.result() for f in futures]
    fetched = {k: sum(c["stats"][k] for c in crawls) for k in ("requests", "conditional", "not_modified")}
    note(
        f"{fetched['requests']} requests, {fetched['conditional']} conditional, "
        f"{fetched['not_modified']} answered 304 Not Modified; "
        f"{sum(c['unchanged'] for c in crawls)} documents already ingested were skipped"
    )
    unreachable = tasks.check_reachable(crawls)
    for source_id, error in unreachable.items():
        note(f"[yellow]source {source_id} failed:[/] {escape(error)}")
    with stage("stage documents"):
        update = tasks.stage_documents(crawls, paths)
    note(
        f"{update.n_new} new documents, {update.n_changed} changed, {update.unchanged} unchanged "
        f"({update.total} in the corpus)"
    )
    with stage("extract and merge events"):
        good, todo = tasks.plan_extraction(paths)
        if _inputs_changed(paths, update.any, todo):
            tasks.merge_events(paths, good, todo, _extract_in_chunks(todo, chunk_size, workers))
    note(f"extracted {len(todo)} of {len(good)} documents (the rest were cached)")
    summary: dict[str, Any] = {
        "new_documents": update.n_new,
        "changed_documents": update.n_changed,
        "unchanged_documents": update.unchanged,
        "extracted_documents": len(todo),
        "failed_sources": unreachable,
        "requests": fetched,
        "published": False,
    }
    previous = latest_release(paths.releases)
    if not publish:
        return summary
    if previous is not None and not unpublished(paths):
        note(f"nothing new since release {previous.name}; no release published")
        return {**summary, "version": previous.name, "path": str(previous)}
    if not update.any and not todo:
        note("documents staged by an earlier run were never published: publishing them now")
    outcome = _build_and_release(paths, paths)
    mark_published(paths, outcome["version"])
    return {**summary, **outcome}


def _inputs_changed(paths: DataPaths, corpus_changed: bool, todo: list[dict[str, Any]]) -> bool:
    """Whether the events must be merged again: the corpus changed, a document needs extracting, or
    the staged mentions are missing or were never published. Otherwise merging would rewrite the
    mentions a release was already built from."""
    staged_mentions = paths.staged / tasks.STAGED_MENTIONS
    return corpus_changed or bool(todo) or not staged_mentions.is_file() or unpublished(paths)


def _extract_in_chunks(
    todo: list[dict[str, Any]], chunk_size: int, workers: int
) -> list[list[dict[str, Any]]]:
    """The mentions of each document of ``todo``, in order, extracted in chunk tasks of ``chunk_size``
    documents (the flow's task runner spreads them, e.g. over a Dask cluster), each in ``workers``
    processes."""
    futures = [tasks.extract_chunk.submit(chunk, workers) for chunk in chunked(todo, chunk_size)]
    return [mentions for f in futures for mentions in f.result()]


def _build_and_release(paths: DataPaths, built_from: DataPaths) -> dict[str, Any]:
    """Build the tables from ``built_from``'s staging; validate and publish them into ``paths``
    unless they equal the latest release (then say which: ``identical_to``)."""
    with stage("build tables (dbt_like_sql on DuckDB)"):
        tables = tasks.build(built_from)
    counts = tasks.summary_counts(tables)
    previous = latest_release(paths.releases)
    if previous is not None and tasks.same_as_release(tables, previous):
        note(f"the tables equal release {previous.name}; no release published")
        return {"identical_to": previous.name, "version": previous.name, "path": str(previous), **counts}
    with stage("validate (Great Expectations)"):
        report = tasks.validate(tables, paths, tasks.run_label())
    with stage("publish release"):
        release = tasks.publish(tables, paths, report)
    return {**release, "published": True, "validation_report": str(report / "validation.json"), **counts}


@flow(name="tradecurbs-rebuild", log_prints=False, timeout_seconds=flow_timeout())
def rebuild(
    sources: str | None = None,
    data_dir: str | None = None,
    live: bool = False,
    workers: int = 1,
    chunk_size: int = 2000,
) -> dict[str, Any]:
    """Re-extract and republish from the raw archive alone: no request leaves the machine.

    Every source of the sources file is crawled again from the archived responses into a fresh
    staging area, then extracted (nothing cached) in chunk tasks as ``pipeline`` does, built,
    validated and published. A rebuild whose tables equal the latest release says so and publishes
    nothing. ``workers``: processes for pages and for extraction per task.
    """
    paths = DataPaths(Path(data_dir) if data_dir else default_data_dir()).create()
    with tasks.data_lock(paths):
        _recover(paths)
        return reported("rebuild", lambda: _rebuild(paths, sources, live, workers, chunk_size))


def _rebuild(
    paths: DataPaths, sources: str | None, live: bool, workers: int, chunk_size: int
) -> dict[str, Any]:
    scratch = tasks.fresh_scratch(paths, "rebuild")
    sources_file = tasks.load_sources_file(sources, live)
    with stage(f"re-crawl {len(sources_file.sources)} sources from the raw archive"):
        futures = [
            tasks.crawl_archive.submit(s, sources_file.publishers, paths.raw, workers)
            for s in sources_file.sources
        ]
        crawls = [f.result() for f in futures]
    tasks.check_reachable(crawls)
    with stage("stage documents"):
        update = tasks.stage_documents(crawls, scratch)
    with stage("extract and merge events"):
        good, todo = tasks.plan_extraction(scratch)
        results = _extract_in_chunks(todo, chunk_size, workers)
        tasks.merge_events(scratch, good, todo, results, paths.releases)  # keeps published ids
    summary = {"documents_rebuilt": update.total, "extracted_documents": len(todo), "published": False}
    return {**summary, **_build_and_release(paths, scratch)}


if __name__ == "__main__":
    print(tasks.to_json(pipeline()))
