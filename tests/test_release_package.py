"""What a data user gets in a release: a valid Data Package, licences, views.sql, a page, an API."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
import yaml
from werkzeug import Request, Response

import tradecurbs
from tradecurbs.contracts import PUBLISHED, contract
from tradecurbs.releases import read_index
from tradecurbs.releases.files import sha256_file

TABLE_SCHEMA_TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "array", "object", "any"}
# Limits of frictionless's Parquet reader, not of the data (see shared/STACK.md): it cannot count a
# Parquet file's bytes, and it reads the cells of list columns as Python lists that it then reports
# as type errors of `array` fields. Every other error fails the test.
READER_LIMITS = {"byte-count"}
VIEWS = "SELECT view_name FROM duckdb_views() WHERE NOT internal"


@pytest.fixture(scope="module")
def release(sample_run) -> Path:
    return Path(sample_run[1]["path"])


@pytest.fixture(scope="module")
def package(release) -> dict:
    return json.loads((release / "datapackage.json").read_text())


@pytest.mark.parametrize("standards", ["v2", "v1"])
def test_frictionless_validate_passes(release, package, standards):
    out = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", "--standards", standards]
        + ["datapackage.json"],
        cwd=release,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(out.stdout)
    assert report["errors"] == [], report["errors"]
    array_fields = {
        r["name"]: {f["name"] for f in r["schema"]["fields"] if f["type"] == "array"}
        for r in package["resources"]
        if "schema" in r
    }
    checked = Counter()
    for task in report["tasks"]:
        for error in task["errors"]:
            if error["type"] == "type-error":
                assert error["fieldName"] in array_fields[task["name"]], error["message"]
            else:
                assert error["type"] in READER_LIMITS, error["message"]
        checked[task["name"]] += 1
    assert set(checked) >= set(PUBLISHED) | {"changes"}


def test_descriptor_is_strictly_valid_and_fails_on_arrow_types(package):
    from frictionless import FrictionlessException, Package, system

    for standards in ("v1", "v2"):
        with system.use_context(standards=standards):
            assert list(Package.metadata_validate(package)) == []
    broken = json.loads(json.dumps(package))
    broken["resources"][0]["schema"]["fields"][0]["type"] = "timestamp"
    with pytest.raises(FrictionlessException, match="timestamp"):
        list(Package.metadata_validate(broken))


def test_datapackage_carries_metadata_keys_and_constraints(package):
    for key in ("licenses", "sources", "contributors", "description", "keywords", "homepage", "version"):
        assert package[key], key
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    resources = {r["name"]: r for r in package["resources"]}
    for name in PUBLISHED:
        schema = resources[name]["schema"]
        assert {f["type"] for f in schema["fields"]} <= TABLE_SCHEMA_TYPES
        assert schema["primaryKey"] == [contract(name).primary_key]
    mentions = resources["mentions"]["schema"]
    assert {fk["reference"]["resource"] for fk in mentions["foreignKeys"]} == {"events", "documents"}
    fields = {f["name"]: f for f in resources["events"]["schema"]["fields"]}
    assert fields["event_id"]["constraints"] == {
        "required": True,
        "unique": True,
        "pattern": "ev_[0-9a-f]{16}",
    }
    assert "in_force" in fields["status"]["constraints"]["enum"]
    assert fields["first_source_url"]["constraints"]["pattern"] == "https?://.*"


def test_release_carries_licences_and_citation(release, package):
    for name in ("LICENSE", "LICENSE-DATA.md", "CITATION.cff", "views.sql", "index.html"):
        assert (release / name).is_file(), name
    assert "MIT License" in (release / "LICENSE").read_text()
    assert "CC BY 4.0" in (release / "LICENSE-DATA.md").read_text()
    cff = yaml.safe_load((release / "CITATION.cff").read_text())
    assert (cff["version"], cff["cff-version"], cff["type"]) == (package["version"], "1.2.0", "dataset")
    assert cff["date-released"] == package["created"][:10]


def test_catalog_and_files_are_world_readable_and_complete(release):
    releases = release.parent
    assert os.stat(releases / "index.json").st_mode & stat.S_IROTH
    for path in [release, *release.rglob("*")]:
        mode = os.stat(path).st_mode
        assert mode & stat.S_IROTH, path
        if path.is_dir():
            assert mode & stat.S_IXOTH, path
    entry = next(r for r in read_index(releases)["releases"] if r["version"] == release.name)
    files = {f["path"]: f for f in entry["files"]}
    on_disk = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()}
    assert set(files) == on_disk
    report = files["validation/validation.json"]
    assert report["sha256"] == sha256_file(release / "validation" / "validation.json")


def test_views_sql_gives_plain_duckdb_the_names_of_tradecurbs_sql(release):
    from tradecurbs.releases.query import open_release

    plain = duckdb.connect()
    cwd = os.getcwd()
    os.chdir(release)  # as `duckdb -c ".read views.sql"` run inside the folder
    try:
        plain.execute((release / "views.sql").read_text())
        views = {r[0] for r in plain.sql(VIEWS).fetchall()}
    finally:
        os.chdir(cwd)
    tool = open_release(release)
    tool_views = {r[0] for r in tool.sql(VIEWS).fetchall()}
    assert views == tool_views == set(PUBLISHED) | {"changes"}
    query = "SELECT count(*) FROM measures_in_force(DATE '2024-01-01')"
    os.chdir(release)
    try:
        assert plain.sql(query).fetchall() == tool.sql(query).fetchall()
    finally:
        os.chdir(cwd)
    n_changes = tool.sql("SELECT count(*) FROM changes").fetchall()[0][0]
    assert n_changes == tool.sql("SELECT count(*) FROM events").fetchall()[0][0]  # first release: all ADD


class PageParser(HTMLParser):
    """Collects what a browser would fetch by itself, the JSON-LD, ids, and the events table rows."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.ids: set[str] = set()
        self.json_ld: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None
        self.event_rows = 0
        self._table: str | None = None
        self.svgs = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.fetched.append(a["src"])
        if tag == "link" and a.get("href"):
            self.fetched.append(a["href"])
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in = "ld"
            self.json_ld.append("")
        if tag == "style":
            self._in = "style"
            self.styles.append("")
        if tag == "table":
            self._table = a.get("id")
        if tag == "tr" and self._table == "events-table":
            self.event_rows += 1
        if tag == "svg":
            self.svgs += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._in = None
        if tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._in == "ld":
            self.json_ld[-1] += data
        elif self._in == "style":
            self.styles[-1] += data


def test_release_page_is_self_contained_and_complete(release, package, sample_run):
    page = PageParser()
    page.feed((release / "index.html").read_text(encoding="utf-8"))
    assert page.fetched == []  # nothing loads from anywhere: inline CSS, script and SVG only
    assert not any(re.search(r"url\(|@import", css) for css in page.styles)
    assert {"charts", "events", "changes", "validation", "dictionary", "files", "events-table"} <= page.ids
    assert page.svgs == 3  # class, imposer, month
    assert page.event_rows == 1 + sample_run[1]["events"]  # header row + one per event
    record = json.loads(page.json_ld[0])
    assert (record["@type"], record["version"]) == ("Dataset", package["version"])
    assert record["license"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert {d["name"] for d in record["distribution"]} >= set(PUBLISHED)
    html = (release / "index.html").read_text(encoding="utf-8")
    assert sha256_file(release / "events.parquet") in html
    assert "passed" in html and "table-events" in page.ids


def test_api_opens_a_folder_a_version_and_loads_tables(sample_run, release):
    data_dir = sample_run[0]
    con = tradecurbs.open_release(release)
    n = con.sql("SELECT count(*) FROM events").fetchall()[0][0]
    assert n == sample_run[1]["events"]
    frame = tradecurbs.load("events", version=release.name, data_dir=data_dir)
    assert len(frame) == n and "event_id" in frame.columns
    arrow = tradecurbs.load("monthly_counts", version="latest", data_dir=data_dir, kind="arrow")
    assert arrow.num_rows > 0
    with pytest.raises(KeyError, match="no table 'nope'"):
        tradecurbs.load("nope", version=release.parent)
    with pytest.raises(FileNotFoundError, match="no release '1999.01.01'"):
        tradecurbs.open_release("1999.01.01", data_dir=data_dir)


def test_api_opens_a_release_by_http_url(httpserver, release, tmp_path):
    root = release.parent

    def serve(request: Request) -> Response:
        path = root / request.path.removeprefix("/releases/")
        if not path.is_file():
            return Response(status=404)
        return Response(path.read_bytes(), status=200)

    httpserver.expect_request(re.compile(r"^/releases/.*")).respond_with_handler(serve)
    base = httpserver.url_for("/releases")
    con = tradecurbs.open_release(base, cache=tmp_path / "cache")
    local = tradecurbs.open_release(release)
    query = "SELECT event_id, summary FROM events ORDER BY event_id"
    assert con.sql(query).fetchall() == local.sql(query).fetchall()
    assert (tmp_path / "cache" / release.name / "validation" / "validation.json").is_file()
    by_version = tradecurbs.load("events", version=f"{base}/{release.name}", cache=tmp_path / "cache")
    assert len(by_version) == local.sql("SELECT count(*) FROM events").fetchall()[0][0]


def test_frictionless_catches_broken_constraints_and_foreign_keys(release, tmp_path):
    """The constraints and keys of the descriptor are live: a corrupted events table is reported."""
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq
    from frictionless import Checklist, Package

    broken = tmp_path / "broken"
    shutil.copytree(release, broken)
    events = pq.read_table(broken / "events.parquet")
    ids, status = events.column("event_id").to_pylist(), events.column("status").to_pylist()
    ids[0], status[1] = "not-an-event-id", "rumoured"
    for name, values in (("event_id", ids), ("status", status)):
        i = events.schema.get_field_index(name)
        events = events.set_column(i, events.schema.field(name), pa.array(values))
    pq.write_table(events, broken / "events.parquet")
    report = Package(str(broken / "datapackage.json")).validate(
        checklist=Checklist(skip_errors=sorted(READER_LIMITS | {"type-error"}))
    )
    errors = [(task.name, error) for task in report.tasks for error in task.errors]
    found = {(name, error.type, getattr(error, "field_name", None)) for name, error in errors}
    assert ("events", "constraint-error", "event_id") in found  # pattern
    assert ("events", "constraint-error", "status") in found  # enum
    assert ("mentions", "foreign-key", None) in found


def test_opening_a_release_never_runs_the_sql_that_came_with_it(release, tmp_path):
    """views.sql is for plain DuckDB users; open_release makes its own, so a tampered copy is harmless."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(release, copy)
    marker = tmp_path / "ran.csv"
    (copy / "views.sql").write_text(f"COPY (SELECT 1) TO '{marker}';\n")
    con = tradecurbs.open_release(copy)
    assert con.sql("SELECT count(*) FROM events").fetchall()[0][0] > 0
    assert not marker.exists()
