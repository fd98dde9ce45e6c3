"""The tradecurbs pipeline: ingest sources, extract events, build tables, validate, publish.

Run it with ``tradecurbs run`` (the embedded sample by default) or ``python flows/pipeline.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow

from tradecurbs import tasks
from tradecurbs.progress import stage
from tradecurbs.resources import bundled
from tradecurbs.settings import DataPaths, default_data_dir
from tradecurbs.sources import load_sources


@flow(name="tradecurbs-pipeline", log_prints=False)
def pipeline(sources: str | None = None, data_dir: str | None = None) -> dict[str, Any]:
    """Scrape the sources, extract and merge events, build, validate and publish a release."""
    paths = DataPaths(Path(data_dir) if data_dir else default_data_dir()).create()
    sources_file = load_sources(Path(sources) if sources else bundled("sample") / "sources.yml")

    with (
        stage(f"ingest {len(sources_file.sources)} sources"),
        tasks.source_site(sources_file) as (rewrite, loop),
    ):
        futures = [
            tasks.crawl.submit(s, sources_file.publishers, paths.raw, rewrite, loop)
            for s in sources_file.sources
        ]
        batches = [f.result() for f in futures]
    with stage("stage documents"):
        staged = tasks.stage_documents(batches, paths)
    with stage("extract and merge events"):
        tasks.extract(staged, paths)
    with stage("build tables (dbt_like_sql on DuckDB)"):
        tables = tasks.build(paths)
    with stage("validate (Great Expectations)"):
        report = tasks.validate(tables, paths, tasks.run_label())
    with stage("publish release"):
        release = tasks.publish(tables, paths, report)
    return {**release, **tasks.summary_counts(tables)}


if __name__ == "__main__":
    print(tasks.to_json(pipeline()))
