"""Open a release folder in DuckDB with one view per published table."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tradecurbs.contracts import TABLES


def open_release(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with views ``events``, ``mentions``, ``documents`` on ``folder``."""
    folder = Path(folder)
    missing = [t for t in TABLES if not (folder / f"{t}.parquet").is_file()]
    if missing:
        raise FileNotFoundError(
            f"{folder} is not a release folder: missing {', '.join(m + '.parquet' for m in missing)}"
        )
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for table in TABLES:
        path = str(folder / f"{table}.parquet").replace("'", "''")
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
    return con
