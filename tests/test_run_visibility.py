"""Runs are visible in Prefect: a markdown artifact per run and the stages in the run's logs."""

from __future__ import annotations

from uuid import UUID

from tradecurbs.runreport import ARTIFACT_KEY, markdown


def flow_run_records(flow_run_id: str):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        LogFilter,
        LogFilterFlowRunId,
    )
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()  # send the queued log rows before reading them back
    run_id = UUID(flow_run_id)
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
        )
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
    return artifacts, logs


def test_a_run_leaves_an_artifact_and_log_rows(sample_run):
    result = sample_run[1]
    artifacts, logs = flow_run_records(result["flow_run_id"])
    ours = [a for a in artifacts if a.key == ARTIFACT_KEY]
    assert len(ours) == 1 and ours[0].type == "markdown"
    text = ours[0].data
    assert f"published release **{result['version']}**" in text
    assert f"| events | {result['events']} |" in text
    assert "Validation: passed" in text and f"{result['events']} added" in text
    messages = [log.message for log in logs]
    for stage in ("ingest", "stage documents", "extract and merge events", "validate", "publish release"):
        assert any(m.startswith(stage) for m in messages), (stage, messages)


def test_a_failed_run_says_why_in_its_artifact():
    from tradecurbs.tasks import ValidationFailed

    error = ValidationFailed(["events: row_count: 1..: observed 0"], "report/validation.json")
    text = markdown("run", None, error)
    assert "**Failed**: validation failed" in text
    assert "- events: row_count: 1..: observed 0" in text and "report/validation.json" in text
