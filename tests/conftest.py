"""Shared fixtures: a quiet, offline Prefect test server for the whole session, and the sample run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Set before Prefect is imported anywhere: quiet, offline, patient with a cold start on 2 cores.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="tradecurbs-prefect-"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

SHARED = Path(__file__).resolve().parents[2] / "shared"
TRUTH_DIR = Path(__file__).resolve().parent / "sample_truth"


@pytest.fixture(scope="session")
def prefect_server():
    """One Prefect test server for every test that runs a flow."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def sample_run(prefect_server, tmp_path_factory):
    """The pipeline run once on the embedded sample; yields (data_dir, result)."""
    from tradecurbs.flows_loader import pipeline_flow

    data_dir = tmp_path_factory.mktemp("sample-run")
    result = pipeline_flow()(data_dir=str(data_dir))
    return data_dir, result
