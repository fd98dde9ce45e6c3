"""A hostile release mirror: `download` bounds what it reads and writes and stays on the catalog's host."""

from __future__ import annotations

import json
import time

import pytest
from typer.testing import CliRunner

from tests.hostile_server import HostileServer, endless, send, trickle
from tradecurbs.cli import app
from tradecurbs.releases import DownloadError, download_release

VERSION = "2026.11.28"


def catalog(files: list[dict]) -> bytes:
    entry = {"version": VERSION, "path": VERSION, "files": files}
    return json.dumps({"latest": VERSION, "releases": [entry]}).encode()


def one_file(size: int) -> list[dict]:
    """A release of one table (datapackage.json listed too, so the catalog alone describes it)."""
    return [
        {"path": "events.parquet", "bytes": size, "sha256": "0" * 64},
        {"path": "datapackage.json", "bytes": 10, "sha256": "0" * 64},
    ]


@pytest.fixture
def mirror():
    with HostileServer().running() as server:
        yield server


def test_an_oversized_catalog_is_refused(mirror: HostileServer, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("TRADECURBS_LIMIT_DOWNLOAD_CATALOG_MAX_BYTES", str(1 << 20))
    mirror.routes["/releases/index.json"] = endless(b" " * 65536, total_seconds=20)
    started = time.monotonic()
    with pytest.raises(DownloadError, match="larger than 1048576 bytes"):
        download_release("latest", mirror.base + "/releases", tmp_path / "out")
    assert time.monotonic() - started < 10


def test_a_catalog_promising_a_huge_file_is_refused_before_any_transfer(
    mirror: HostileServer, tmp_path
) -> None:  # noqa: ANN001
    mirror.routes["/releases/index.json"] = lambda req: send(req, catalog(one_file(10**15)))
    mirror.routes[f"/releases/{VERSION}/events.parquet"] = endless()
    with pytest.raises(DownloadError, match="lists 1000000000000000 bytes for events.parquet"):
        download_release("latest", mirror.base + "/releases", tmp_path / "out")
    assert f"/releases/{VERSION}/events.parquet" not in mirror.requests


def test_an_endless_body_stops_at_the_catalog_size(mirror: HostileServer, tmp_path) -> None:  # noqa: ANN001
    mirror.routes["/releases/index.json"] = lambda req: send(req, catalog(one_file(3 << 20)))
    mirror.routes[f"/releases/{VERSION}/events.parquet"] = endless(total_seconds=10)
    with pytest.raises(DownloadError, match="corrupted"):
        download_release("latest", mirror.base + "/releases", tmp_path / "out")
    written = sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written < 4 << 20


def test_a_trickling_file_is_given_up(mirror: HostileServer, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("TRADECURBS_LIMIT_DOWNLOAD_STALL_SECONDS", "1")
    mirror.routes["/releases/index.json"] = lambda req: send(req, catalog(one_file(1 << 20)))
    mirror.routes[f"/releases/{VERSION}/events.parquet"] = trickle(every=0.1, total_seconds=60)
    started = time.monotonic()
    with pytest.raises(DownloadError, match="slower than"):
        download_release("latest", mirror.base + "/releases", tmp_path / "out")
    assert time.monotonic() - started < 15  # 4 attempts of about a second, plus backoff


def test_redirects_away_from_the_catalog_host_are_refused(mirror: HostileServer, tmp_path) -> None:  # noqa: ANN001
    with HostileServer(host="127.0.0.2").running() as elsewhere:
        elsewhere.routes["/index.json"] = lambda req: send(req, catalog(one_file(10)))
        mirror.routes["/releases/index.json"] = lambda req: send(
            req, b"", 302, Location=elsewhere.base + "/index.json"
        )
        with pytest.raises(DownloadError, match="refusing a redirect away from 127.0.0.1"):
            download_release("latest", mirror.base + "/releases", tmp_path / "out")
        assert elsewhere.requests == []


def test_a_malformed_catalog_is_one_line_on_the_cli(mirror: HostileServer, tmp_path) -> None:  # noqa: ANN001
    mirror.routes["/releases/index.json"] = lambda req: send(
        req, b'{"latest": "v", "releases": [{"version": "v"}]}'
    )
    result = CliRunner().invoke(app, ["download", "--from", mirror.base + "/releases", "--to", str(tmp_path)])
    assert result.exit_code == 1
    assert "malformed" in result.output and "Traceback" not in result.output
