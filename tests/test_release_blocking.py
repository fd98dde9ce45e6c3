"""Broken data never reaches a release: SQL data tests stop the build, GX stops the publish."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tradecurbs import tasks
from tradecurbs.settings import DataPaths
from tradecurbs.warehouse.build import STAGED_MENTIONS, build_tables
from tradecurbs.warehouse.datatests import DataTestFailed


def _set(table: pa.Table, column: str, row: int, value: object) -> pa.Table:
    values = table.column(column).to_pylist()
    values[row] = value
    index = table.schema.get_field_index(column)
    return table.set_column(
        index, table.schema.field(index), pa.array(values, table.schema.field(index).type)
    )


def _dated_row(table: pa.Table) -> int:
    rows = table.select(["announced_on", "effective_on"]).to_pylist()
    return next(i for i, r in enumerate(rows) if r["announced_on"] and r["effective_on"])


def _effective_row(table: pa.Table) -> int:
    rows = table.column("effective_on").to_pylist()
    return next(i for i, r in enumerate(rows) if r)


@pytest.fixture
def copied(sample_run, tmp_path) -> DataPaths:
    data_dir, _ = sample_run
    shutil.copytree(data_dir, tmp_path / "data")
    return DataPaths(tmp_path / "data")


def test_sql_data_tests_stop_the_build_with_offending_rows(copied: DataPaths) -> None:
    path = copied.staged / STAGED_MENTIONS
    mentions = pq.read_table(path)
    row = _effective_row(mentions)
    effective = mentions.column("effective_on")[row].as_py()
    mentions = _set(mentions, "ended_on", row, effective - dt.timedelta(days=30))
    pq.write_table(mentions, path)
    with pytest.raises(DataTestFailed) as failed:
        build_tables(copied.staged)
    message = str(failed.value)
    assert "events_ended_before_effective" in message
    assert mentions.column("event_id")[row].as_py() in message


def test_failed_validation_publishes_nothing_and_keeps_the_report(copied: DataPaths) -> None:
    index_before = (copied.releases / "index.json").read_text()
    latest = json.loads(index_before)["latest"]
    tables = {
        p.stem: pq.read_table(p) for p in (copied.releases / latest).glob("*.parquet") if p.stem != "changes"
    }
    events = tables["events"]
    row = _dated_row(events)
    announced = events.column("announced_on")[row].as_py()
    events = _set(events, "effective_on", row, announced - dt.timedelta(days=30))
    tables["events"] = _set(events, "imposing_jurisdiction", (row + 1) % events.num_rows, "XX")

    with pytest.raises(tasks.ValidationFailed) as failed:
        tasks.validate.fn(tables, copied, "broken")
    failures = "\n".join(failed.value.failures)
    assert "effective_on" in failures and "imposing_jurisdiction" in failures
    assert failed.value.report_path.is_file()
    assert (copied.releases / "index.json").read_text() == index_before
    assert sorted(p.name for p in copied.releases.iterdir() if p.is_dir()) == sorted(
        r["version"] for r in json.loads(index_before)["releases"]
    )
