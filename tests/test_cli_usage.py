"""The command line as a data user meets it: one-line errors, readable SQL output, README examples."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradecurbs.cli import app
from tradecurbs.releases.query import open_release

README = Path(__file__).resolve().parents[1] / "README.md"
SRC = Path(__file__).resolve().parents[1] / "src"
SAMPLE_PAGE = Path(__file__).resolve().parents[1] / "data/sample/web/www.tradewire.example/rss/trade.xml"


@pytest.fixture(scope="module")
def release(sample_run) -> Path:
    return Path(sample_run[1]["path"])


def invoke(*args: str, columns: int = 80):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns)})


def assert_one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], lines[0]


def test_user_mistakes_are_one_line_and_exit_2(release, tmp_path):
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")
    typo = tmp_path / "sources.yml"
    typo.write_text("sources:\n  - id: feed\n    conector: news_feed\n    kind: news\n")
    cases = [
        (["sql", "--release", str(tmp_path), "SELECT 1"], ["not a release folder"]),
        (["sql", "--release", str(release), "--format", "xlsx", "SELECT 1"], ["--format", "xlsx"]),
        (["sql", "--release", str(release), "SELECT * FROM no_such_table"], ["SQL error", "no_such_table"]),
        (["sql", "--data-dir", str(tmp_path), "SELECT 1"], ["no release under"]),
        (["explain", str(SAMPLE_PAGE)], ["is not JSON"]),
        (["explain", str(tmp_path / "missing.json")], ["no such file"]),
        (["explain", str(listed)], ["JSON list"]),
        (["run", "--sources", str(typo), "--data-dir", str(tmp_path)], ["missing required key", "connector"]),
        (["sources", "--sources", str(typo)], ["missing required key"]),
        (["serve", "--sources", str(typo), "--data-dir", str(tmp_path)], ["missing required key"]),
    ]
    for args, words in cases:
        assert_one_line_error(invoke(*args), *words)


def test_release_option_takes_a_version_of_the_data_folder(sample_run, release):
    data = str(sample_run[0])
    out = invoke("sql", "--data-dir", data, "--release", release.name, "--format", "csv", "SELECT 7")
    assert out.exit_code == 0 and out.output.strip().splitlines()[-1] == "7", out.output
    missing = invoke("sql", "--data-dir", data, "--release", "1999.01.01", "SELECT 1")
    assert_one_line_error(missing, "no release '1999.01.01'")


def test_wide_rows_print_in_line_mode_and_narrow_ones_as_a_table(release):
    wide = invoke("sql", "--release", str(release), "SELECT * FROM events ORDER BY event_id LIMIT 2")
    assert wide.exit_code == 0, wide.output
    assert re.search(r"^\s+event_id = ev_[0-9a-f]{16}$", wide.output, re.M)
    assert "┃" not in wide.output  # no squeezed grid
    query = "SELECT event_class, count(*) AS n FROM events GROUP BY ALL"
    narrow = invoke("sql", "--release", str(release), query)
    assert narrow.exit_code == 0 and "┃ event_class" in narrow.output and " = " not in narrow.output
    assert all(len(line) <= 80 for line in narrow.output.splitlines())
    forced = invoke("sql", "--release", str(release), "--format", "line", "SELECT 1 AS one")
    assert forced.output.strip() == "one = 1"


def test_csv_and_json_write_lists_and_dates_as_values(release):
    query = (
        "SELECT event_id, target_jurisdictions, announced_on FROM events "
        "WHERE len(target_jurisdictions) > 1 ORDER BY event_id"
    )
    out = invoke("sql", "--release", str(release), "--format", "csv", query)
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert rows
    expected = {r[0]: r[1] for r in open_release(release).sql(query).fetchall()}
    for row in rows:
        assert json.loads(row["target_jurisdictions"]) == expected[row["event_id"]]
        assert row["announced_on"] == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["announced_on"])
    as_json = json.loads(invoke("sql", "--release", str(release), "--format", "json", query).output)
    assert {r["event_id"]: r["target_jurisdictions"] for r in as_json} == expected


def readme_sql() -> dict[str, list[str]]:
    """README's SQL: the queries of `tradecurbs sql "..."` lines, and the statements of ```sql blocks
    (```sql remote marks the one that needs the internet)."""
    text = README.read_text(encoding="utf-8")
    lines = [line.split("  #")[0] for line in text.splitlines() if line.startswith("tradecurbs sql ")]
    cli = [shlex.split(line)[-1] for line in lines]
    blocks = []
    for info, body in re.findall(r"^```(sql[^\n]*)\n(.*?)^```", text, re.M | re.S):
        if info.strip() == "sql":
            blocks += [q.strip() for q in body.split(";") if q.strip()]
    return {"cli": cli, "blocks": blocks}


def test_every_readme_sql_example_runs_on_the_sample_release(release):
    sql = readme_sql()
    assert len(sql["cli"]) >= 6 and len(sql["blocks"]) >= 4
    remote = re.findall(r"^```sql remote$", README.read_text(encoding="utf-8"), re.M)
    assert len(remote) == 1  # httpfs over the internet: the one block that cannot run offline
    con = open_release(release)
    for query in sql["cli"] + sql["blocks"]:
        con.sql(query).fetchall()  # raises on any error
    chapters = next(q for q in sql["cli"] if "chapter_description" in q)
    assert con.sql(chapters).fetchall()


def test_plain_duckdb_runs_the_readme_blocks_after_views_sql(release):
    """As README says: in Python, set file_search_path and read views.sql, from any directory."""
    script = (
        "import duckdb, sys\n"
        "con = duckdb.connect()\n"
        "con.execute(f\"SET file_search_path = '{sys.argv[1]}'\")\n"
        "con.execute(open(sys.argv[1] + '/views.sql').read())\n"
        "for q in sys.argv[2:]:\n"
        "    con.sql(q).fetchall()\n"
        "print(con.sql('SELECT count(*) FROM changes').fetchall()[0][0])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(release), *readme_sql()["blocks"]],
        capture_output=True,
        text=True,
        cwd="/",
    )
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 0


def test_a_failed_run_prints_its_reason_without_prefect_traceback(prefect_server, tmp_path):
    """Every source unreachable (a replay folder with nothing recorded): exit 2, no traceback."""
    from prefect.settings import PREFECT_API_URL

    sources = tmp_path / "sources.yml"
    (tmp_path / "web").mkdir()
    sources.write_text(
        "replay: web\nsources:\n  - {id: feed, connector: news_feed, publisher: P, kind: news, "
        "url: 'https://news.invalid.example/feed.rss?conditions[agencies][]=bis'}\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC), "PREFECT_API_URL": PREFECT_API_URL.value(), "COLUMNS": "200"}
    out = subprocess.run(
        [sys.executable, "-m", "tradecurbs.cli", "run", "--sources", str(sources)]
        + ["--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 2, out.stderr
    assert "No source could be fetched" in out.stderr
    reason = next(line for line in out.stderr.splitlines() if line.startswith("  ✗ feed: "))
    assert "conditions[agencies][]=bis" in reason  # printed as it is (no markup eaten)
    assert "Traceback" not in out.stderr and "Encountered exception" not in out.stderr, out.stderr
    # the run's artifact in Prefect says why it failed
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from tradecurbs.runreport import ARTIFACT_KEY

    with get_client(sync_client=True) as client:
        ours = ArtifactFilter(key=ArtifactFilterKey(any_=[ARTIFACT_KEY]))
        artifacts = client.read_artifacts(artifact_filter=ours)
    assert any("**Failed**: no source could be fetched" in a.data and "- feed: " in a.data for a in artifacts)
