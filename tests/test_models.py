"""The dbt-like runner: refs resolve, order follows dependencies, errors name the model."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tradecurbs.warehouse import models
from tradecurbs.warehouse.build import connect


def write(root: Path, rel: str, sql: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sql)


def test_models_build_in_dependency_order(tmp_path):
    pq.write_table(pa.table({"x": [1, 2, 3]}), tmp_path / "in.parquet")
    root = tmp_path / "sql"
    write(root, "marts/total.sql", "select sum(x) as total from {{ ref('stg_numbers') }}")
    write(root, "staging/stg_numbers.sql", "select x * 10 as x from {{ source('raw', 'numbers') }}")
    con = connect()
    order = models.build(con, root, {("raw", "numbers"): tmp_path / "in.parquet"})
    assert order == ["stg_numbers", "total"]
    assert con.sql("select total from total").fetchall() == [(60,)]


def test_unknown_ref_and_cycles_are_reported(tmp_path):
    write(tmp_path / "a", "one.sql", "select * from {{ ref('missing') }}")
    with pytest.raises(models.ModelError, match="unknown model"):
        models.build_order(models.discover(tmp_path / "a"))
    write(tmp_path / "b", "one.sql", "select * from {{ ref('two') }}")
    write(tmp_path / "b", "two.sql", "select * from {{ ref('one') }}")
    with pytest.raises(models.ModelError, match="cycle"):
        models.build_order(models.discover(tmp_path / "b"))


def test_sql_error_names_the_model(tmp_path):
    write(tmp_path, "broken.sql", "select no_such_column from range(3)")
    with pytest.raises(models.ModelError, match="broken"):
        models.build(connect(), tmp_path, {})
