"""Downloading releases: verified checksums, resumed transfers, refused corrupt files, local sources."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from tradecurbs.cli import app
from tradecurbs.contracts import contract
from tradecurbs.releases import DownloadError, FetchedFile, download_release, publish_release, read_index
from tradecurbs.releases.query import open_release

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
VERSION = "2026.11.28.2"


def contract_table(name: str, rows: list[dict]) -> pa.Table:
    """A table with the contract's columns (all nullable here), so open_release's macros bind."""
    schema = contract(name).arrow_schema()
    return pa.Table.from_pylist(rows, schema=pa.schema([f.with_nullable(True) for f in schema]))


def tables(n: int) -> dict[str, pa.Table]:
    ids = [f"ev_{i:016x}" for i in range(n)]
    events = [
        {"event_id": e, "event_class": "restriction", "status": "in_force", "summary": f"event {i} " * 20}
        for i, e in enumerate(ids)
    ]
    mentions = [{"mention_id": f"m{i}", "event_id": e, "document_id": "d1"} for i, e in enumerate(ids)]
    return {
        "events": contract_table("events", events),
        "mentions": contract_table("mentions", mentions),
        "documents": contract_table("documents", [{"document_id": "d1"}, {"document_id": "d2"}]),
    }


class ReleaseServer:
    """A static file server for a releases folder that records requests and can misbehave on demand."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[tuple[str, str | None]] = []  # (path, Range header)
        self.drop_once: set[str] = set()  # paths whose next response stops after half the body
        self.ignore_range = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/releases"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        rng = req.headers.get("Range")
        self.requests.append((req.path, rng))
        path = self.root / req.path.removeprefix("/releases/")
        if not req.path.startswith("/releases/") or not path.is_file():
            req.send_error(404)
            return
        data, status, start = path.read_bytes(), 200, 0
        if rng and not self.ignore_range:
            start = int(rng.removeprefix("bytes=").split("-")[0])
            status = 206
        body = data[start:]
        req.send_response(status)
        req.send_header("Content-Length", str(len(body)))
        if status == 206:
            req.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        req.end_headers()
        if req.path in self.drop_once:
            self.drop_once.discard(req.path)
            req.wfile.write(body[: len(body) // 2])
            req.wfile.flush()
            req.close_connection = True
            return
        req.wfile.write(body)

    def ranges_for(self, name: str) -> list[str | None]:
        return [rng for path, rng in self.requests if path.endswith("/" + name)]


@pytest.fixture
def releases(tmp_path: Path) -> Path:
    root = tmp_path / "releases"
    publish_release(root, tables(50), now=NOW)
    publish_release(root, tables(400), now=NOW)
    return root


@pytest.fixture
def server(releases: Path) -> Iterator[ReleaseServer]:
    srv = ReleaseServer(releases)
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def catalog_files(releases: Path, version: str) -> dict[str, dict]:
    entry = next(r for r in read_index(releases)["releases"] if r["version"] == version)
    return {f["path"]: f for f in entry["files"]}


def assert_verified(folder: Path, releases: Path, version: str) -> None:
    files = catalog_files(releases, version)
    assert sorted(p.name for p in folder.iterdir()) == sorted(files)
    for name, f in files.items():
        data = (folder / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (f["bytes"], f["sha256"])


def test_download_latest_verifies_every_file(server, releases, tmp_path):
    seen: list[FetchedFile] = []
    folder = download_release("latest", server.url, tmp_path / "dl", on_file=seen.append)
    assert folder == tmp_path / "dl" / VERSION
    assert_verified(folder, releases, VERSION)
    assert {f.path for f in seen} == set(catalog_files(releases, VERSION))
    assert {f.how for f in seen} == {"downloaded"}
    assert [p.name for p in (tmp_path / "dl").iterdir() if p.name.startswith(".") and p.is_dir()] == []


def test_download_named_version_and_query_it(server, releases, tmp_path):
    folder = download_release("2026.11.28", server.url, tmp_path / "dl")
    assert_verified(folder, releases, "2026.11.28")
    con = open_release(folder)
    assert con.sql("SELECT count(*) FROM events").fetchall() == [(50,)]
    assert con.sql("SELECT count(*) FROM events JOIN mentions USING (event_id)").fetchall() == [(50,)]


def test_dropped_connection_resumes_with_range(server, releases, tmp_path):
    server.drop_once.add(f"/releases/{VERSION}/events.parquet")
    seen: list[FetchedFile] = []
    folder = download_release("latest", server.url, tmp_path / "dl", on_file=seen.append)
    assert_verified(folder, releases, VERSION)
    ranges = server.ranges_for("events.parquet")
    assert ranges[0] is None and ranges[1] is not None and ranges[1].startswith("bytes=")
    assert int(ranges[1].removeprefix("bytes=").rstrip("-")) > 0
    assert next(f.how for f in seen if f.path == "events.parquet") == "resumed"


def test_part_file_left_behind_resumes_with_range(server, releases, tmp_path):
    data = (releases / VERSION / "events.parquet").read_bytes()
    staging = tmp_path / "dl" / f".{VERSION}.partial"
    staging.mkdir(parents=True)
    (staging / "events.parquet.part").write_bytes(data[: len(data) // 2])
    folder = download_release(VERSION, server.url, tmp_path / "dl")
    assert_verified(folder, releases, VERSION)
    assert server.ranges_for("events.parquet") == [f"bytes={len(data) // 2}-"]


def test_server_ignoring_range_gets_a_full_refetch(server, releases, tmp_path):
    server.ignore_range = True
    data = (releases / VERSION / "events.parquet").read_bytes()
    staging = tmp_path / "dl" / f".{VERSION}.partial"
    staging.mkdir(parents=True)
    (staging / "events.parquet.part").write_bytes(data[: len(data) // 3])
    folder = download_release(VERSION, server.url, tmp_path / "dl")
    assert_verified(folder, releases, VERSION)
    assert server.ranges_for("events.parquet") == [f"bytes={len(data) // 3}-"]


def test_corrupted_file_is_refused(server, releases, tmp_path):
    path = releases / VERSION / "events.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    expected = catalog_files(releases, VERSION)["events.parquet"]["sha256"]
    with pytest.raises(DownloadError) as info:
        download_release("latest", server.url, tmp_path / "dl")
    message = str(info.value)
    assert "events.parquet" in message and "corrupted" in message
    assert expected in message and hashlib.sha256(bytes(data)).hexdigest() in message
    assert not (tmp_path / "dl" / VERSION).exists()
    assert not list((tmp_path / "dl").rglob("events.parquet*"))


def test_truncated_file_is_refused(server, releases, tmp_path):
    path = releases / VERSION / "mentions.parquet"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(DownloadError, match=r"mentions\.parquet is truncated: expected sha256 [0-9a-f]{64}"):
        download_release("latest", server.url, tmp_path / "dl")
    assert not (tmp_path / "dl" / VERSION).exists()
    assert not list((tmp_path / "dl").rglob("mentions.parquet*"))


def test_download_from_a_local_folder(releases, tmp_path):
    seen: list[FetchedFile] = []
    folder = download_release("latest", str(releases), tmp_path / "dl", on_file=seen.append)
    assert_verified(folder, releases, VERSION)
    assert {f.how for f in seen} == {"copied"}
    assert open_release(folder).sql("SELECT count(*) FROM events").fetchall() == [(400,)]


def test_local_corrupted_file_is_refused(releases, tmp_path):
    path = releases / "2026.11.28" / "documents.parquet"
    path.write_bytes(path.read_bytes()[::-1])
    with pytest.raises(DownloadError, match="documents.parquet is corrupted"):
        download_release("2026.11.28", str(releases), tmp_path / "dl")
    assert not (tmp_path / "dl" / "2026.11.28").exists()


def test_second_download_finds_the_release_present(releases, tmp_path):
    download_release("latest", str(releases), tmp_path / "dl")
    seen: list[FetchedFile] = []
    download_release("latest", str(releases), tmp_path / "dl", on_file=seen.append)
    assert {f.how for f in seen} == {"already present"}
    (tmp_path / "dl" / VERSION / "events.parquet").write_bytes(b"tampered")
    with pytest.raises(DownloadError, match="exists but does not match the catalog"):
        download_release("latest", str(releases), tmp_path / "dl")


def test_bad_sources_and_versions_are_clear_errors(server, releases, tmp_path):
    with pytest.raises(DownloadError, match="unsupported source"):
        download_release("latest", "ftp://example.test/releases", tmp_path)
    with pytest.raises(DownloadError, match="no release '1999.01.01'"):
        download_release("1999.01.01", server.url, tmp_path)
    with pytest.raises(DownloadError, match="not a releases folder"):
        download_release("latest", str(tmp_path / "nowhere"), tmp_path)
    with pytest.raises(DownloadError, match="HTTP 404"):
        download_release("latest", server.url + "/missing", tmp_path)


def test_unsafe_paths_in_the_catalog_are_refused(releases, tmp_path):
    index = json.loads((releases / "index.json").read_text())
    index["releases"][-1]["files"][0]["path"] = "../../escape.parquet"
    (releases / "index.json").write_text(json.dumps(index))
    with pytest.raises(DownloadError, match="unsafe file path"):
        download_release("latest", str(releases), tmp_path / "dl")
    assert not (tmp_path / "escape.parquet").exists()


def test_cli_download(server, tmp_path):
    result = CliRunner().invoke(
        app, ["download", "latest", "--from", server.url, "--to", str(tmp_path / "dl")]
    )
    assert result.exit_code == 0, result.output
    assert "events.parquet" in result.output and VERSION in result.output
    assert (tmp_path / "dl" / VERSION / "events.parquet").is_file()


def test_cli_download_failure_is_one_clear_line(server, releases, tmp_path):
    (releases / VERSION / "events.parquet").write_bytes(b"not parquet")
    result = CliRunner().invoke(app, ["download", "--from", server.url, "--to", str(tmp_path / "dl")])
    assert result.exit_code == 1
    assert "events.parquet" in result.output and "expected sha256" in result.output
    assert "Traceback" not in result.output
