"""The dbt-like runner: refs resolve, order follows dependencies, errors name the model."""

from __future__ import annotations

import datetime as dt
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


def test_macros_vars_and_csv_seeds(tmp_path):
    pq.write_table(pa.table({"x": [1, 2, 3]}), tmp_path / "in.parquet")
    (tmp_path / "codes.csv").write_text("code,label\n01,first\n02,second\n")
    root = tmp_path / "sql"
    write(root, "staging/stg_numbers.sql", "select x * 10 as x from {{ source('raw', 'numbers') }}")
    write(root, "staging/stg_codes.sql", "select code, label from {{ source('seeds', 'codes') }}")
    write(
        root,
        "macros/above.sql",
        "-- numbers above n\ncreate or replace macro above(n) as table\n"
        "select x from {{ ref('stg_numbers') }} where x > n",
    )
    write(root, "marts/big.sql", "select x from above({{ var('threshold') }}) order by x")
    # tests/ and seeds/ hold no models: an unknown ref there is not a model error
    write(root, "tests/some_check.sql", "select * from {{ ref('not_a_model') }}")
    sources = {("raw", "numbers"): tmp_path / "in.parquet", ("seeds", "codes"): tmp_path / "codes.csv"}
    con = connect()
    order = models.build(con, root, sources, {"threshold": 15})
    assert order.index("stg_numbers") < order.index("big")
    assert set(order) == {"stg_numbers", "stg_codes", "big"}
    assert con.sql("select x from big").fetchall() == [(20,), (30,)]
    assert con.sql("select count(*) from above(0)").fetchall() == [(3,)]
    # CSV seeds are read as text, so codes keep their leading zeros
    assert con.sql("select code from stg_codes order by code").fetchall() == [("01",), ("02",)]


def test_macro_order_and_errors(tmp_path):
    write(tmp_path / "a", "base.sql", "select 1 as x")
    write(tmp_path / "a", "macros/pick.sql", "create macro pick() as table select * from {{ ref('base') }}")
    write(tmp_path / "a", "user.sql", "select * from pick()")
    order = models.build_order(models.discover(tmp_path / "a"), models.discover_macros(tmp_path / "a"))
    assert order.index("base") < order.index("pick()") < order.index("user")
    write(tmp_path / "b", "macros/misnamed.sql", "create macro other() as table select 1")
    with pytest.raises(models.ModelError, match="misnamed"):
        models.discover_macros(tmp_path / "b")
    write(tmp_path / "c", "uses_var.sql", "select {{ var('missing') }} as x")
    with pytest.raises(models.ModelError, match="var 'missing'"):
        models.build(connect(), tmp_path / "c", {})


def test_create_macros_on_views(tmp_path):
    macro = "create macro pick(n) as table select * from {{ ref('base') }} where x = n"
    write(tmp_path, "macros/pick.sql", macro)
    con = connect()
    con.execute("create view base as select range as x from range(5)")
    assert models.create_macros(con, tmp_path) == ["pick"]
    assert con.sql("select * from pick(3)").fetchall() == [(3,)]


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        (dt.date(2024, 1, 31), "DATE '2024-01-31'"),
        ("it's", "'it''s'"),
        (None, "NULL"),
        (True, "TRUE"),
        (7, "7"),
    ],
)
def test_sql_literal(value, literal):
    assert models.sql_literal(value) == literal
