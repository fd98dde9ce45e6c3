"""``views.sql`` of a release: the names of ``tradecurbs sql`` (views and macros) for plain DuckDB.

The views read the release's files by their names relative to the folder, so the script works
wherever the folder is copied: run it from inside the folder (``duckdb -c ".read views.sql"``), or
set DuckDB's ``file_search_path`` to the folder first, as :func:`open_release` does.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tradecurbs.contracts import PUBLISHED, TABLES
from tradecurbs.releases.delta import CHANGES_PARQUET
from tradecurbs.resources import bundled
from tradecurbs.warehouse.models import discover_macros, render

VIEWS_SQL = "views.sql"


class NotARelease(FileNotFoundError):
    """A folder that is not a tradecurbs release."""


def view_names(folder: Path) -> list[str]:
    """The views a release folder gets: every published table it holds, then ``changes``."""
    names = [t for t in PUBLISHED if (Path(folder) / f"{t}.parquet").is_file()]
    return names + (["changes"] if (Path(folder) / CHANGES_PARQUET).is_file() else [])


def views_sql(names: list[str], version: str | None = None) -> str:
    """The script: a view per file name in ``names`` and every macro of dbt_like_sql/macros."""
    head = f"release {version}" if version else "a release"
    lines = [
        f"-- tradecurbs, {head}: the views and macros of `tradecurbs sql`, for plain DuckDB.",
        "-- Run it from inside the release folder:  duckdb -c '.read views.sql' -c 'FROM events LIMIT 5'",
        "-- or elsewhere: SET file_search_path = 'path/to/release'; then .read path/to/release/views.sql",
        "SET TimeZone = 'UTC';",
    ]
    lines += [f"CREATE OR REPLACE VIEW {n} AS SELECT * FROM read_parquet('{n}.parquet');" for n in names]
    for macro in discover_macros(bundled("dbt_like_sql")).values():
        lines += ["", render(macro, {}).strip().rstrip(";") + ";"]
    return "\n".join(lines) + "\n"


def write_views(folder: Path, version: str) -> Path:
    """Write ``views.sql`` for the files of ``folder``."""
    path = Path(folder) / VIEWS_SQL
    path.write_text(views_sql(view_names(folder), version), encoding="utf-8")
    return path


def _quote(text: str) -> str:
    return text.replace("'", "''")


def connect_release(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the views and macros of the release ``folder``.

    The script is made here, the same as the folder's ``views.sql``: SQL that came with a downloaded
    folder is never run. Raises :class:`NotARelease` when a core table is missing.
    """
    folder = Path(folder).resolve()
    missing = [t for t in TABLES if not (folder / f"{t}.parquet").is_file()]
    if missing:
        raise NotARelease(
            f"{folder} is not a release folder: missing {', '.join(m + '.parquet' for m in missing)}"
        )
    con = duckdb.connect()
    con.execute(f"SET file_search_path = '{_quote(str(folder))}'")
    con.execute(views_sql(view_names(folder)))
    return con
