"""Shared fixtures: a quiet, offline Prefect test server for the whole session, and the sample run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Set before Prefect is imported anywhere: quiet, offline, patient with a cold start on 2 cores.
# A Prefect home of its own for each process that runs tests: under pytest-xdist every worker (whose
# environment is copied from the controller, which loaded this file first) gets a new one rather than
# sharing the controller's, so that two workers never write the same profiles, storage or UI files. A
# PREFECT_HOME set by whoever started pytest is kept, as before.
_OWN_HOME = "TRADECURBS_TESTS_PREFECT_HOME"  # the PREFECT_HOME this file made (not the user's)
if "PREFECT_HOME" not in os.environ or os.environ.get(_OWN_HOME) == os.environ["PREFECT_HOME"]:
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    _home = tempfile.mkdtemp(prefix=f"tradecurbs-prefect-{_worker}-")
    os.environ["PREFECT_HOME"] = os.environ[_OWN_HOME] = _home
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

# pytest imports readline, and GNU readline puts the terminal's size (COLUMNS, LINES; 80x24 without a
# terminal) in the C environment, where os.environ does not see it but every child process inherits it:
# a pytest-xdist worker then started with COLUMNS=80, and the command line's Rich consoles, made at
# import, kept 80 columns whatever width a test asked for. Children get the environment this process
# was started with.
for _name in ("COLUMNS", "LINES"):
    if _name not in os.environ:
        os.unsetenv(_name)

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
