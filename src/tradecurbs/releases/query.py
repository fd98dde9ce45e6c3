"""Open a release folder in DuckDB with one view per published table and the SQL macros of the models."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tradecurbs.releases.views import NotARelease, connect_release

__all__ = ["NotARelease", "open_release"]


def open_release(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with views over the Parquet files of a release ``folder``.

    Views: ``events``, ``mentions``, ``documents`` (required), every mart the release holds
    (``event_timeline``, ``monthly_counts``, ...) and ``changes``. Macros: the table macros of
    dbt_like_sql/macros, e.g. ``SELECT * FROM measures_in_force(DATE '2024-01-01')``. The same
    names as the release's ``views.sql`` gives plain DuckDB.
    """
    return connect_release(folder)
