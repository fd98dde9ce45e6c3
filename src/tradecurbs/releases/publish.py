"""Publish a release: Parquet files (zstd) and a datapackage.json, written atomically.

A release is written to a hidden temporary folder and renamed into place once complete, then the
catalog is updated; a crash at any point leaves the previous state intact and no half release.
A lock file keeps two runs from publishing at the same time.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tradecurbs import __version__
from tradecurbs.contracts import contract
from tradecurbs.releases.catalog import add_to_index, read_index


@dataclass(frozen=True)
class PublishedRelease:
    """What a publish wrote."""

    version: str
    path: Path
    row_counts: dict[str, int]


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def next_version(releases_dir: Path, today: dt.date) -> str:
    """CalVer for today (``2026.11.28``), with ``.2``, ``.3``... for further releases that day."""
    base = f"{today.year}.{today.month:02d}.{today.day:02d}"
    taken = {r["version"] for r in read_index(releases_dir)["releases"]}
    taken |= {p.name for p in Path(releases_dir).glob(f"{base}*")}
    if base not in taken:
        return base
    n = 2
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"


@contextmanager
def publish_lock(releases_dir: Path) -> Iterator[None]:
    """An exclusive lock on the releases folder; a second publisher fails at once."""
    releases_dir.mkdir(parents=True, exist_ok=True)
    with open(releases_dir / ".publish.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise RuntimeError(
                f"another run is publishing to {releases_dir}; try again when it ends"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _write_parquet(table: pa.Table, path: Path, name: str) -> None:
    metadata = {**(table.schema.metadata or {}), b"tradecurbs_table": name.encode()}
    pq.write_table(table.replace_schema_metadata(metadata), path, compression="zstd")


def _datapackage(version: str, created: str, folder: Path, tables: dict[str, pa.Table]) -> dict[str, Any]:
    resources = []
    for name, table in tables.items():
        file = folder / f"{name}.parquet"
        resources.append(
            {
                "name": name,
                "path": file.name,
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "rows": table.num_rows,
                "bytes": file.stat().st_size,
                "hash": f"sha256:{sha256_file(file)}",
                "description": contract(name).description.strip(),
                "schema": {
                    "primaryKey": [contract(name).primary_key],
                    "fields": [
                        {"name": c.name, "type": c.type, "description": c.description}
                        for c in contract(name).columns
                    ],
                },
            }
        )
    return {
        "name": "tradecurbs",
        "title": "tradecurbs: trade-restriction events",
        "version": version,
        "created": created,
        "generator": f"tradecurbs {__version__}",
        "resources": resources,
    }


def publish_release(
    releases_dir: Path,
    tables: dict[str, pa.Table],
    extra_dirs: dict[str, Path] | None = None,
    now: dt.datetime | None = None,
) -> PublishedRelease:
    """Write ``tables`` as a new release under ``releases_dir`` and make it the latest.

    ``extra_dirs`` are folders copied into the release (e.g. ``validation`` reports).
    """
    releases_dir = Path(releases_dir)
    now = now or dt.datetime.now(dt.UTC)
    with publish_lock(releases_dir):
        version = next_version(releases_dir, now.date())
        staging = Path(tempfile.mkdtemp(dir=releases_dir, prefix=f".incoming-{version}-"))
        try:
            for name, table in tables.items():
                _write_parquet(table, staging / f"{name}.parquet", name)
            for name, src in (extra_dirs or {}).items():
                shutil.copytree(src, staging / name)
            created = now.isoformat(timespec="seconds")
            package = _datapackage(version, created, staging, tables)
            (staging / "datapackage.json").write_text(
                json.dumps(package, indent=2, ensure_ascii=False) + "\n"
            )
            final = releases_dir / version
            os.rename(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        entry = {
            "version": version,
            "created": created,
            "path": version,
            "row_counts": {r["name"]: r["rows"] for r in package["resources"]},
            "files": [
                {"path": r["path"], "bytes": r["bytes"], "sha256": r["hash"].removeprefix("sha256:")}
                for r in package["resources"]
            ],
        }
        add_to_index(releases_dir, entry)
    return PublishedRelease(version, final, entry["row_counts"])
