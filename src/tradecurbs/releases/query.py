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


def events_by_source(folder: Path) -> dict[str, int]:
    """Per source id, how many events of a release its documents state."""
    con = open_release(folder)
    rows = con.sql(
        "SELECT d.source_id, count(DISTINCT m.event_id) FROM mentions m JOIN documents d USING (document_id) "
        "GROUP BY ALL"
    ).fetchall()
    return dict(rows)
