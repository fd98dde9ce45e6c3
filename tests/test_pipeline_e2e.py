"""End to end: the real Prefect flow on the embedded sample, checked through DuckDB on the Parquet."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import TRUTH_DIR
from tradecurbs.scoring import load_truth


def release_sql(data_dir: Path, query: str) -> list[tuple]:
    """Run SQL with views over the latest release's Parquet files, as a user would in plain DuckDB."""
    index = json.loads((data_dir / "releases" / "index.json").read_text())
    folder = data_dir / "releases" / index["latest"]
    con = duckdb.connect()
    for table in ("events", "mentions", "documents"):
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM '{folder / (table + '.parquet')}'")
    return con.sql(query).fetchall()


def truth_documents() -> dict[str, dict]:
    return load_truth(TRUTH_DIR)


def test_release_is_published_with_datapackage(sample_run):
    data_dir, result = sample_run
    folder = Path(result["path"])
    package = json.loads((folder / "datapackage.json").read_text())
    names = {r["name"] for r in package["resources"]}
    assert {"documents", "mentions", "events", "changes", "changes_summary"} <= names
    for resource in package["resources"]:
        file = folder / resource["path"]
        assert resource["bytes"] == file.stat().st_size
        if resource["format"] == "parquet":
            assert resource["rows"] == duckdb.sql(f"SELECT count(*) FROM '{file}'").fetchall()[0][0]
    assert (folder / "validation" / "validation.json").is_file()
    assert result["documents"] >= 60


def test_sinosure_refusal_targets_russia(sample_run):
    rows = release_sql(
        sample_run[0],
        """SELECT imposing_jurisdiction, measure_type, target_jurisdictions, imposing_body FROM events
           WHERE measure_type = 'service_refusal' AND imposing_body ILIKE '%sinosure%'""",
    )
    assert rows, "no Sinosure refusal event"
    assert all(r[0] == "CN" and "RU" in r[2] for r in rows)


def test_gallium_germanium_control(sample_run):
    rows = release_sql(
        sample_run[0],
        """SELECT effective_on, hs_codes, n_publishers, certainty FROM events
           WHERE imposing_jurisdiction = 'CN' AND measure_type = 'export_control'
             AND list_contains(products, 'gallium') AND list_contains(products, 'germanium')""",
    )
    assert len(rows) == 1, rows
    effective_on, hs_codes, n_publishers, certainty = rows[0]
    assert str(effective_on) == "2023-08-01"
    assert hs_codes, "gallium/germanium event has no HS codes"
    assert n_publishers >= 2
    assert certainty == "official"


def test_multi_outlet_events_are_merged(sample_run):
    rows = release_sql(sample_run[0], "SELECT count(*) FROM events WHERE n_publishers >= 2")
    assert rows[0][0] >= 3


def test_negative_documents_yield_no_event(sample_run):
    negatives = [url for url, spec in truth_documents().items() if spec.get("negative")]
    assert len(negatives) >= 10
    listed = ", ".join("'" + u.replace("'", "''") + "'" for u in negatives)
    rows = release_sql(
        sample_run[0],
        f"""SELECT d.url, m.evidence FROM mentions m JOIN documents d USING (document_id)
            WHERE d.url IN ({listed})""",
    )
    assert rows == []


def test_malformed_documents_are_kept_as_failed(sample_run):
    rows = release_sql(sample_run[0], "SELECT url, error FROM documents WHERE status = 'failed'")
    assert len(rows) >= 3
    assert all(error for _, error in rows)
    malformed = [url for url, spec in truth_documents().items() if spec.get("malformed")]
    failed_urls = {url for url, _ in rows}
    missing = [u for u in malformed if u not in failed_urls]
    assert not missing, f"malformed documents not recorded as failed: {missing}"


@pytest.mark.parametrize("table", ["events", "mentions", "documents"])
def test_parquet_opens_in_plain_duckdb(sample_run, table):
    folder = Path(sample_run[1]["path"])
    (count,) = duckdb.sql(f"SELECT count(*) FROM '{folder / (table + '.parquet')}'").fetchall()[0]
    assert count > 0


def test_two_runs_publish_identical_events(sample_run, prefect_server, tmp_path):
    from tradecurbs.flows_loader import pipeline_flow

    second = pipeline_flow()(data_dir=str(tmp_path))

    def events(release: dict) -> list[tuple]:
        path = Path(release["path"]) / "events.parquet"
        return duckdb.sql(f"SELECT * FROM '{path}' ORDER BY event_id").fetchall()

    assert events(sample_run[1]) == events(second)


def test_cli_sql_queries_the_latest_release(sample_run):
    from typer.testing import CliRunner

    from tradecurbs.cli import app

    result = CliRunner().invoke(
        app,
        [
            "sql",
            "--data-dir",
            str(sample_run[0]),
            "--format",
            "csv",
            "SELECT count(*) AS n FROM events WHERE event_class = 'refusal'",
        ],
    )
    assert result.exit_code == 0, result.output
    assert int(result.output.strip().splitlines()[-1]) >= 1


def test_cli_extract_writes_one_line_per_event(tmp_path):
    from typer.testing import CliRunner

    from tradecurbs.cli import app

    docs = tmp_path / "docs.jsonl"
    doc = {
        "id": "t1",
        "url": "https://example.test/a",
        "title": "Rice exports halted",
        "text": "India banned exports of non-basmati white rice with immediate effect on July 20, 2023.",
        "published": "2023-07-21",
        "source_kind": "news",
        "language": "en",
    }
    docs.write_text(json.dumps(doc) + "\n")
    out = tmp_path / "events.jsonl"
    result = CliRunner().invoke(app, ["extract", "--input", str(docs), "--output", str(out)])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(e["imposing_jurisdiction"], e["measure_type"]) for e in events] == [("IN", "export_restriction")]
