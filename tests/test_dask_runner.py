"""The pipeline on a Dask LocalCluster of two workers gives the same events as the serial run."""

from __future__ import annotations

import pyarrow.parquet as pq

from tradecurbs.flows_loader import pipeline_flow


def events_of(result: dict) -> list[dict]:
    table = pq.read_table(f"{result['path']}/events.parquet")
    return sorted(table.to_pylist(), key=lambda r: r["event_id"])


def test_dask_local_cluster_matches_serial(sample_run, tmp_path):
    from prefect_dask import DaskTaskRunner

    _, serial = sample_run
    runner = DaskTaskRunner(
        cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
    )
    distributed = pipeline_flow().with_options(task_runner=runner)(
        data_dir=str(tmp_path / "dask"), chunk_size=8
    )
    assert distributed["published"]
    assert distributed["extracted_documents"] == serial["extracted_documents"] > 8  # several chunks
    assert events_of(distributed) == events_of(serial)
