"""Publishing: CalVer versions, checksums in datapackage.json, an atomic catalog, one publisher at a time."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pytest

from tradecurbs.releases import list_releases, publish_release, read_index
from tradecurbs.releases.publish import publish_lock, sha256_file

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


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
