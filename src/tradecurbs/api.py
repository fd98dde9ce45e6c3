"""The Python API for data users: open a release in DuckDB, or load one table as pandas or Arrow.

A release is named by a folder (a release folder, or a releases folder whose latest is meant), a
version of the local data folder (``"2026.11.28"``, ``"latest"``), or an ``http(s)://`` URL of a
published releases folder (``https://HOST/releases`` for its latest, ``.../releases/2026.11.28``
for one version). A URL's release is downloaded once into a cache folder and checked against the
catalog's sha256 before it is opened.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

import duckdb

from tradecurbs.releases.views import NotARelease, connect_release, view_names
from tradecurbs.settings import DataPaths, default_data_dir

CACHE_ENV = "TRADECURBS_CACHE_DIR"
_VERSION = re.compile(r"^\d{4}\.\d{2}\.\d{2}(\.\d+)?$")


class ReleaseNotFound(FileNotFoundError):
    """No release answers to the name given."""


def cache_dir() -> Path:
    """Where releases fetched by URL are kept: ``$TRADECURBS_CACHE_DIR`` or ``~/.cache/tradecurbs``."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "tradecurbs") / "releases"


def _latest_in(releases: Path) -> Path:
    from tradecurbs.releases.catalog import latest_release

    latest = latest_release(releases)
    if latest is None:
        raise ReleaseNotFound(f"no release published under {releases}; run `tradecurbs run` first")
    return latest


def _download(url: str, cache: Path | None) -> Path:
    from tradecurbs.releases.download import download_release

    base, _, last = url.rstrip("/").rpartition("/")
    source, version = (base, last) if _VERSION.match(last) else (url.rstrip("/"), "latest")
    return download_release(version, source, cache or cache_dir())


def resolve_release(
    release: str | Path | None = None, *, data_dir: Path | None = None, cache: Path | None = None
) -> Path:
    """The local folder of the release named by ``release`` (see the module's docstring)."""
    name = "latest" if release is None else str(release)
    if name.startswith(("http://", "https://")):
        return _download(name, cache)
    path = Path(name)
    if (path / "events.parquet").is_file():
        return path
    if (path / "index.json").is_file():
        return _latest_in(path)
    releases = DataPaths(Path(data_dir) if data_dir else default_data_dir()).releases
    if name == "latest":
        return _latest_in(releases)
    if (releases / name).is_dir():
        return releases / name
    raise ReleaseNotFound(
        f"no release {name!r}: not a release folder, a releases folder, a URL, or a version under {releases}"
    )


def open_release(
    release: str | Path | None = None, *, data_dir: Path | None = None, cache: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the release's views (events, mentions, documents, the marts, changes)
    and macros (``measures_in_force(DATE '2024-01-01')``): the names of ``tradecurbs sql``."""
    return connect_release(resolve_release(release, data_dir=data_dir, cache=cache))


def load(
    table: str,
    version: str | Path | None = "latest",
    *,
    kind: Literal["pandas", "arrow"] = "pandas",
    data_dir: Path | None = None,
    cache: Path | None = None,
) -> Any:
    """One table of a release (``version``: any name :func:`open_release` takes) as a pandas DataFrame,
    or as a pyarrow Table with ``kind="arrow"``."""
    if kind not in ("pandas", "arrow"):
        raise ValueError(f"kind must be 'pandas' or 'arrow', not {kind!r}")
    folder = resolve_release(version, data_dir=data_dir, cache=cache)
    names = view_names(folder)
    if table not in names:
        raise KeyError(f"release {folder.name} has no table {table!r}; it has {', '.join(names)}")
    con = connect_release(folder)
    try:
        result = con.sql(f'SELECT * FROM "{table}"')
        return result.df() if kind == "pandas" else result.to_arrow_table()
    finally:
        con.close()


__all__ = ["NotARelease", "ReleaseNotFound", "load", "open_release", "resolve_release"]
