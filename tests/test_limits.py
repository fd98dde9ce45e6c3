"""Every bound lives in data/limits.yml, can be overridden from the environment, and is applied."""

from __future__ import annotations

import pytest

from tradecurbs import tasks
from tradecurbs.flows_loader import load_flows_module
from tradecurbs.limits import limit, load_limits, task_timeout
from tradecurbs.sources import Fetcher


def test_every_limit_is_a_positive_number() -> None:
    for name, value in load_limits().items():
        values = value.values() if isinstance(value, dict) else [value]
        assert all(isinstance(v, int | float) and v > 0 for v in values), name


def test_the_environment_overrides_a_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADECURBS_LIMIT_FETCH_DEADLINE_SECONDS", "7.5")
    assert limit("fetch_deadline_seconds") == 7.5
    with Fetcher() as fetcher:
        assert fetcher.deadline == 7.5
        assert fetcher.retry_after_max == limit("retry_after_max_seconds")
        assert fetcher.max_bytes == limit("fetch_max_bytes")


def test_every_pipeline_task_and_flow_has_a_deadline() -> None:
    steps = {
        tasks.crawl: "crawl",
        tasks.crawl_archive: "crawl",
        tasks.stage_documents: "stage",
        tasks.extract_chunk: "extract",
        tasks.merge_events: "merge",
        tasks.build: "build",
        tasks.validate: "validate",
        tasks.publish: "publish",
    }
    for task, step in steps.items():
        assert task.timeout_seconds == task_timeout(step), task.name
    flows = load_flows_module("pipeline")
    for flow in (flows.pipeline, flows.rebuild):
        assert flow.timeout_seconds == limit("flow_timeout_seconds")
