"""Open a release folder in DuckDB with one view per published table and the SQL macros of the models."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tradecurbs.contracts import PUBLISHED, TABLES
from tradecurbs.resources import bundled
from tradecurbs.warehouse.models import create_macros


def open_release(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with views over the Parquet files of a release ``folder``.

    Views: ``events``, ``mentions``, ``documents`` (required) and every mart the release holds
    (``event_timeline``, ``monthly_counts``, ...). Macros: the table macros of dbt_like_sql/macros,
    e.g. ``SELECT * FROM measures_in_force(DATE '2024-01-01')``.
    """
    folder = Path(folder)
    missing = [t for t in TABLES if not (folder / f"{t}.parquet").is_file()]
    if missing:
        raise FileNotFoundError(
            f"{folder} is not a release folder: missing {', '.join(m + '.parquet' for m in missing)}"
        )
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for table in PUBLISHED:
        file = folder / f"{table}.parquet"
        if file.is_file():
            path = str(file).replace("'", "''")
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
    create_macros(con, bundled("dbt_like_sql"))
    return con


def events_by_source(folder: Path) -> dict[str, int]:
    """Per source id, how many events of a release its documents state."""
    con = open_release(folder)
    rows = con.sql(
        "SELECT d.source_id, count(DISTINCT m.event_id) FROM mentions m JOIN documents d USING (document_id) "
        "GROUP BY ALL"
    ).fetchall()
    return dict(rows)
