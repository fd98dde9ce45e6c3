"""What a killed or failed run leaves behind is finished (or refused, loudly) by the next one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tests.test_download import NOW, tables
from tests.test_failpoints import FIRST, SECOND, sources_file
from tradecurbs.cli import app
from tradecurbs.durable import FAILPOINT_ENV
from tradecurbs.escaping import markdown_text, spreadsheet_cell
from tradecurbs.flows_loader import pipeline_flow
from tradecurbs.recovery import mark_published, recover, unpublished
from tradecurbs.releases import publish_release, read_index
from tradecurbs.releases.catalog import write_atomically
from tradecurbs.settings import DataPaths
from tradecurbs.sources import SourceState
from tradecurbs.sources.records import DocumentRecord
from tradecurbs.tasks import ValidationFailed
from tradecurbs.warehouse.build import STAGED_DOCUMENTS

# -- releases -----------------------------------------------------------------------------------------


def drop_from_catalog(releases: Path, version: str) -> None:
    """The catalog as a publisher killed between renaming ``version``'s folder and cataloging it left it."""
    index = read_index(releases)
    index["releases"] = [r for r in index["releases"] if r["version"] != version]
    index["latest"] = index["releases"][-1]["version"]
    write_atomically(releases / "index.json", json.dumps(index))


def test_a_complete_release_missing_from_the_catalog_is_cataloged(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    publish_release(releases, tables(5), now=NOW)
    second = publish_release(releases, tables(8), now=NOW)
    expected = read_index(releases)
    drop_from_catalog(releases, second.version)
    (releases / ".incoming-2026.11.28.3-x").mkdir()  # and a half-written one
    (releases / ".index.json.abc.tmp").write_text('{"latest": ')  # and a catalog killed mid-write

    notes = recover(DataPaths(tmp_path))

    assert read_index(releases) == expected  # the same entry the publisher would have written
    assert any(second.version in line and "cataloged" in line for line in notes)
    assert not (releases / ".incoming-2026.11.28.3-x").exists()
    assert not (releases / ".index.json.abc.tmp").exists()


def test_an_incomplete_release_folder_is_removed(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    publish_release(releases, tables(5), now=NOW)
    second = publish_release(releases, tables(8), now=NOW)
    drop_from_catalog(releases, second.version)
    (second.path / "events.parquet").write_bytes(b"half a file")

    notes = recover(DataPaths(tmp_path))

    assert not second.path.exists()
    assert [r["version"] for r in read_index(releases)["releases"]] == ["2026.11.28"]
    assert any("incomplete" in line and "events.parquet" in line for line in notes)


# -- state and staged corpus ----------------------------------------------------------------------------


def record(url: str, sha: str) -> DocumentRecord:
    from datetime import UTC, datetime

    now = datetime(2024, 3, 5, tzinfo=UTC)
    return DocumentRecord(
        f"doc_{url[-1] * 16}", url, "src", "P", "news", "t", now, now, "en", sha, 10, "ok", None, "text"
    )


def test_documents_the_state_calls_ingested_but_the_corpus_lacks_are_fetched_again(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path).create()
    staged, lost = record("https://a.example/1", "s1"), record("https://a.example/2", "s2")
    with SourceState(paths.state) as state:
        state.mark_documents([staged, lost])
    from tradecurbs.warehouse.build import write_staged_documents

    write_staged_documents([staged.row() | {"text": "text"}], paths.staged / STAGED_DOCUMENTS)

    notes = recover(paths)

    with SourceState(paths.state) as state:
        assert state.is_ingested(staged.url, "src") and not state.is_ingested(lost.url, "src")
    assert any("1 documents" in line for line in notes)


def test_an_unreadable_staged_corpus_is_moved_aside_and_refetched(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path).create()
    with SourceState(paths.state) as state:
        state.mark_documents([record("https://a.example/1", "s1")])
    (paths.staged / STAGED_DOCUMENTS).write_bytes(b"PAR1 torn in the middle")

    notes = recover(paths)

    assert not (paths.staged / STAGED_DOCUMENTS).exists()
    assert list(paths.staged.glob(f"{STAGED_DOCUMENTS}.corrupt-*"))
    with SourceState(paths.state) as state:
        assert not state.is_ingested("https://a.example/1", "src")
    assert any("could not be read" in line for line in notes)


def test_staged_data_is_unpublished_until_marked(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path).create()
    pq.write_table(pa.table({"x": [1]}), paths.staged / STAGED_DOCUMENTS)
    assert unpublished(paths)
    mark_published(paths, "2026.11.28")
    assert not unpublished(paths)
    pq.write_table(pa.table({"x": [2]}), paths.staged / STAGED_DOCUMENTS)
    assert unpublished(paths)


# -- runs -------------------------------------------------------------------------------------------------


def test_absurd_dates_fail_validation_on_every_run_until_fixed(sample_run, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(sample_run[0], data_dir)
    path = data_dir / "staged" / STAGED_DOCUMENTS
    original = path.read_bytes()
    rows = pq.read_table(path)
    published = rows.column("published_at").to_pylist()
    from datetime import UTC, datetime

    published[0] = datetime(2999, 1, 1, tzinfo=UTC)  # a hostile page dated the year 2999
    index = rows.schema.get_field_index("published_at")
    pq.write_table(
        rows.set_column(index, rows.schema.field(index), pa.array(published, rows.schema.field(index).type)),
        path,
    )

    with pytest.raises(ValidationFailed) as failed:
        pipeline_flow()(data_dir=str(data_dir))
    assert any("plausible dates of published_at" in line for line in failed.value.failures)
    again = CliRunner().invoke(app, ["run", "--data-dir", str(data_dir)])  # nothing new was fetched
    assert again.exit_code == 1 and "Validation failed" in again.output

    path.write_bytes(original)  # fixed: the staged data is the published data again
    result = pipeline_flow()(data_dir=str(data_dir))
    assert result["published"] is False and result["version"] == read_index(data_dir / "releases")["latest"]


def test_a_deleted_staged_corpus_is_fetched_again_whole(sample_run, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(sample_run[0], data_dir)
    corpus = data_dir / "staged" / STAGED_DOCUMENTS
    before = pq.read_table(corpus).select(["document_id", "status", "content_sha256"])
    corpus.unlink()

    result = pipeline_flow()(data_dir=str(data_dir))

    after = pq.read_table(corpus).select(["document_id", "status", "content_sha256"])
    assert after.sort_by("document_id").equals(before.sort_by("document_id"))
    assert result["identical_to"] == read_index(data_dir / "releases")["latest"]  # the same release


def test_documents_ingested_without_publishing_are_published_by_the_next_release_run(
    prefect_server, tmp_path: Path
) -> None:
    """The schedule's pattern: hourly ingest runs (--no-publish), then a daily release run that itself
    finds nothing new must still publish what the ingest runs staged."""
    first, second = sources_file(tmp_path, FIRST), sources_file(tmp_path, SECOND)
    data_dir = str(tmp_path / "data")
    pipeline_flow()(sources=str(first), data_dir=data_dir)
    ingest = pipeline_flow()(sources=str(second), data_dir=data_dir, publish=False)
    assert ingest["new_documents"] > 0 and not ingest["published"]

    release = pipeline_flow()(sources=str(second), data_dir=data_dir)

    assert release["new_documents"] == 0 and release["published"] is True
    latest = tmp_path / "data" / "releases" / read_index(tmp_path / "data" / "releases")["latest"]
    assert set(pq.read_table(latest / "documents.parquet")["source_id"].to_pylist()) == set(SECOND)


def test_csv_and_markdown_output_neutralise_formulas_and_markup(sample_run) -> None:
    data_dir = sample_run[0]
    query = "SELECT '=HYPERLINK(\"http://evil.example\",\"x\")' AS evidence, '[red]x[/]' AS note"
    csv_out = CliRunner().invoke(app, ["sql", "--data-dir", str(data_dir), "--format", "csv", query])
    assert csv_out.exit_code == 0
    assert csv_out.output.splitlines()[1].startswith("\"'=HYPERLINK(")
    table_out = CliRunner().invoke(app, ["sql", "--data-dir", str(data_dir), query])
    assert "[red]x[/]" in table_out.output  # shown as written, not taken as terminal markup
    assert spreadsheet_cell("@SUM(A1)") == "'@SUM(A1)" and spreadsheet_cell("China bans") == "China bans"
    assert markdown_text("<img src=x onerror=alert(1)> [a](javascript:x)") == (
        "&lt;img src=x onerror=alert(1)&gt; \\[a\\](javascript:x)"
    )


# -- no orphaned Prefect server -----------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_prefect_server_of_a_killed_run_dies_with_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect"), FAILPOINT_ENV: "stage:documents"}
    command = [sys.executable, "-m", "tradecurbs.cli", "run", "--data-dir", str(tmp_path / "data")]
    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen: set[int] = set()
    while run.poll() is None:
        seen |= _children(run.pid)
        time.sleep(0.2)
    assert run.returncode == -9, run.stderr.read().decode()[-2000:] if run.stderr else ""
    assert seen, "the run started no server"
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in seen) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in seen if _alive(pid)]
