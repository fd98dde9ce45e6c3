"""Publishing: CalVer versions, checksums in datapackage.json, an atomic catalog, one publisher at a time."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pytest

from tradecurbs.releases import list_releases, publish_release, read_index
from tradecurbs.releases.publish import publish_lock, sha256_file

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
SRC = Path(__file__).resolve().parents[1] / "src"


def tables():
    return {"events": pa.table({"event_id": ["ev_1", "ev_2"]}), "documents": pa.table({"document_id": ["d"]})}


def test_versions_checksums_and_catalog(tmp_path):
    first = publish_release(tmp_path, tables(), now=NOW)
    second = publish_release(tmp_path, tables(), now=NOW)
    assert (first.version, second.version) == ("2026.11.28", "2026.11.28.2")
    package = json.loads((second.path / "datapackage.json").read_text())
    for res in package["resources"]:
        assert res["hash"] == "sha256:" + sha256_file(second.path / res["path"])
    assert read_index(tmp_path)["latest"] == "2026.11.28.2"
    assert [r["version"] for r in list_releases(tmp_path)] == ["2026.11.28", "2026.11.28.2"]
    assert not list(tmp_path.glob(".incoming-*"))


def test_failed_publish_leaves_previous_state(tmp_path):
    publish_release(tmp_path, tables(), now=NOW)
    before = (tmp_path / "index.json").read_text()
    with pytest.raises(FileNotFoundError):
        publish_release(tmp_path, tables(), extra_dirs={"validation": tmp_path / "missing"}, now=NOW)
    assert (tmp_path / "index.json").read_text() == before
    assert not list(tmp_path.glob(".incoming-*"))
    assert not (tmp_path / "2026.11.28.2").exists()


def test_second_publisher_is_refused(tmp_path):
    with publish_lock(tmp_path), pytest.raises(RuntimeError, match="another run is publishing"):
        publish_release(tmp_path, tables(), now=NOW)


KILLED_PUBLISH = """
import datetime as dt, sys, time
from pathlib import Path
import pyarrow as pa
from tradecurbs.releases import publish as pub

root, marker, point = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
real = getattr(pub, point)

def stall(*args, **kwargs):
    if point == "_write_parquet":
        real(*args, **kwargs)  # one file written, the others not yet
    marker.write_text("stalled")
    time.sleep(600)

setattr(pub, point, stall)
events = pa.table({"event_id": ["ev_1", "ev_3"]})
pub.publish_release(root, {"events": events, "documents": pa.table({"document_id": ["d"]})},
                    now=dt.datetime(2026, 11, 28, 13, 0, tzinfo=dt.UTC))
"""


def kill_publish_midway(root: Path, point: str) -> None:
    """Run publish_release in a child process, stall it at ``point`` and SIGKILL it there."""
    marker = root.parent / f"stalled-{point}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen([sys.executable, "-c", KILLED_PUBLISH, str(root), str(marker), point], env=env)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the publishing child exited before it stalled"
            assert time.monotonic() < deadline, "the publishing child never stalled"
            time.sleep(0.05)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()


def assert_catalog_lists_complete_releases(root: Path) -> dict:
    index = json.loads((root / "index.json").read_text())
    versions = [r["version"] for r in index["releases"]]
    assert index["latest"] == versions[-1]
    for entry in index["releases"]:
        for f in entry["files"]:
            path = root / entry["path"] / f["path"]
            assert (path.stat().st_size, sha256_file(path)) == (f["bytes"], f["sha256"])
    return index


@pytest.mark.parametrize(
    ("point", "next_version"),
    [("_write_parquet", "2026.11.28.2"), ("add_to_index", "2026.11.28.3")],
    ids=["while-writing-files", "before-the-catalog-update"],
)
def test_killed_publish_leaves_a_valid_catalog(tmp_path, point, next_version):
    root = tmp_path / "releases"
    publish_release(root, tables(), now=NOW)
    kill_publish_midway(root, point)

    index = assert_catalog_lists_complete_releases(root)
    assert [r["version"] for r in index["releases"]] == ["2026.11.28"]
    visible = {p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")}
    if point == "_write_parquet":
        assert visible == {"2026.11.28"}  # the half release stays hidden under .incoming-*
        assert list(root.glob(".incoming-*"))

    later = dt.datetime(2026, 11, 28, 14, 0, tzinfo=dt.UTC)
    release = publish_release(
        root, {**tables(), "events": pa.table({"event_id": ["ev_1", "ev_4"]})}, now=later
    )
    assert release.version == next_version
    index = assert_catalog_lists_complete_releases(root)
    assert index["latest"] == next_version
    counts = {"added": 1, "modified": 0, "removed": 1, "merged": 0, "split": 0}
    assert release.delta == {"previous": "2026.11.28", **counts}
    assert not list(root.glob(".incoming-*"))


def test_tables_without_a_contract_are_described_from_their_schema(tmp_path):
    field = pa.field("n", pa.int64(), metadata={"description": "A count."})
    extra = pa.table({"n": [1, 2]}, schema=pa.schema([field], metadata={"description": "Some counts."}))
    release = publish_release(tmp_path, {**tables(), "no_such_contract": extra}, now=NOW)
    package = json.loads((release.path / "datapackage.json").read_text())
    res = next(r for r in package["resources"] if r["name"] == "no_such_contract")
    assert res["rows"] == 2 and res["description"] == "Some counts."
    assert res["schema"]["fields"] == [{"name": "n", "type": "integer", "description": "A count."}]
