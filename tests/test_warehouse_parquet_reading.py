"""Reading staged Parquet without pyarrow's dataset layer, its compute module or pandas (a run with
nothing new pays no import for them), with the same rows as pyarrow's own readers."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tradecurbs.warehouse.build import read_parquet, table_rows


def _table() -> pa.Table:
    utc = dt.UTC
    return pa.table(
        {
            "id": ["a", "b", "c"],
            "published_at": pa.array(
                [dt.datetime(2024, 2, 29, 23, 30, tzinfo=utc), None, dt.datetime(1999, 12, 31, tzinfo=utc)],
                pa.timestamp("us", tz="UTC"),
            ),
            "seen_at": pa.array(
                [dt.datetime(2024, 7, 1, 1, 2, 3, 456789, tzinfo=utc)] * 3,
                pa.timestamp("us", tz="Asia/Tokyo"),
            ),
            "naive": pa.array([dt.datetime(2020, 1, 1)] * 3, pa.timestamp("ms")),
            "n": [1, None, 3],
        }
    )


def test_rows_equal_pyarrows_own(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(_table(), path)
    ours, theirs = table_rows(read_parquet(path)), pq.read_table(path).to_pylist()
    assert ours == theirs
    assert [list(row) for row in ours] == [list(row) for row in theirs]  # column order kept
    assert [repr(row) for row in ours] == [repr(row) for row in theirs]  # same time zone objects
    assert read_parquet(path, columns=["n"]).column_names == ["n"]


def test_rows_of_a_table_in_several_chunks() -> None:
    table = pa.concat_tables([_table(), _table().slice(1)])
    assert table.column("published_at").num_chunks == 2
    assert table_rows(table) == table.to_pylist()


def test_no_pandas_or_dataset_import(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(_table(), path)
    code = (
        "import sys\n"
        "from tradecurbs.warehouse.build import read_parquet, table_rows\n"
        f"table_rows(read_parquet({str(path)!r}))\n"
        "print(sorted(m for m in ('pandas', 'pyarrow.dataset', 'pyarrow.compute') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
