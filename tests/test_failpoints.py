"""Crash convergence: a run killed with SIGKILL at any named step, then one normal run, publishes the
events an uninterrupted run publishes.

The starting point is a data folder with one release (built from one source). A second source
then brings new documents: the run that should publish them is killed at each failpoint in a
separate process (``TRADECURBS_FAILPOINT``), against the session's Prefect server; the next run
(in this process) must end with the same events, a catalog that verifies, a state that agrees
with the staged corpus, and nothing left unpublished.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from tradecurbs.durable import FAILPOINT_ENV, FAILPOINTS
from tradecurbs.flows_loader import pipeline_flow
from tradecurbs.recovery import unpublished
from tradecurbs.releases.publish import sha256_file
from tradecurbs.resources import bundled
from tradecurbs.settings import DataPaths
from tradecurbs.sources import SourceState

FIRST = ("federal_register_bis",)
pytestmark = pytest.mark.crash

SECOND = ("federal_register_bis", "federal_register_ofac")


def sources_file(folder: Path, ids: tuple[str, ...]) -> Path:
    """A sources file with some of the sample's sources, served from the sample's recordings."""
    sample = bundled("sample")
    loaded = yaml.safe_load((sample / "sources.yml").read_text(encoding="utf-8"))
    loaded["replay"] = str(sample / loaded["replay"])
    loaded["sources"] = [s for s in loaded["sources"] if s["id"] in ids]
    path = folder / f"sources-{len(ids)}.yml"
    path.write_text(yaml.safe_dump(loaded), encoding="utf-8")
    return path


def event_ids(data_dir: Path) -> set[str]:
    index = json.loads((data_dir / "releases" / "index.json").read_text())
    return set(
        pq.read_table(data_dir / "releases" / index["latest"] / "events.parquet")["event_id"].to_pylist()
    )


def assert_consistent(data_dir: Path) -> None:
    """Every cataloged file verifies, every release folder is cataloged, state and corpus agree."""
    paths = DataPaths(data_dir)
    index = json.loads((paths.releases / "index.json").read_text())
    for release in index["releases"]:
        for file in release["files"]:
            assert sha256_file(paths.releases / release["path"] / file["path"]) == file["sha256"]
    folders = {p.name for p in paths.releases.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert folders == {r["version"] for r in index["releases"]}
    staged = {
        r["document_id"]: r["content_sha256"]
        for r in pq.read_table(paths.staged / "documents.parquet").to_pylist()
        if r["status"] == "ok"
    }
    with SourceState(paths.state) as state:
        assert state.forget_unstaged(staged) == 0
    assert not unpublished(paths)


@pytest.fixture(scope="module")
def scenario(prefect_server, tmp_path_factory):
    """(sources of the second run, data folder after the first run, events of an uninterrupted second run)."""
    folder = tmp_path_factory.mktemp("failpoints")
    first, second = sources_file(folder, FIRST), sources_file(folder, SECOND)
    template = folder / "template"
    pipeline_flow()(sources=str(first), data_dir=str(template))
    baseline = folder / "baseline"
    shutil.copytree(template, baseline)
    result = pipeline_flow()(sources=str(second), data_dir=str(baseline))
    assert result["published"] and result["new_documents"] > 0
    assert_consistent(baseline)
    return second, template, event_ids(baseline)


def killed_run(sources: Path, data_dir: Path, failpoint: str) -> subprocess.CompletedProcess[str]:
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, FAILPOINT_ENV: failpoint, "PREFECT_API_URL": PREFECT_API_URL.value()}
    command = [
        sys.executable,
        "-m",
        "tradecurbs.cli",
        "run",
        "--sources",
        str(sources),
        "--data-dir",
        str(data_dir),
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("failpoint", FAILPOINTS)
def test_a_run_killed_at_a_failpoint_converges_on_the_next_run(scenario, tmp_path, failpoint):
    sources, template, expected = scenario
    data_dir = tmp_path / "data"
    shutil.copytree(template, data_dir)
    killed = killed_run(sources, data_dir, failpoint)
    assert killed.returncode == -signal.SIGKILL, f"{failpoint} was never reached:\n{killed.stderr[-2000:]}"
    pipeline_flow()(sources=str(sources), data_dir=str(data_dir))
    assert event_ids(data_dir) == expected
    assert_consistent(data_dir)
