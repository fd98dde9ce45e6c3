"""Publish a release: Parquet files (zstd), a delta, a datapackage.json, views.sql, the licence and
citation files and a page (index.html), written atomically and readable by everyone.

A release is written to a hidden temporary folder and renamed into place once complete, then the
catalog is updated; a crash at any point leaves the previous state intact and no half release.
A lock file keeps two runs from publishing at the same time; the next publisher removes the
temporary folders a killed run left behind.

Each release holds ``changes.parquet`` and ``CHANGES.md``: the events added, modified and removed
since the catalog's latest release (see :mod:`tradecurbs.releases.delta`).
"""

from __future__ import annotations

import datetime as dt
import fcntl
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

from tradecurbs.releases.catalog import add_to_index, read_index
from tradecurbs.releases.datapackage import DATAPACKAGE, build_datapackage, delta_summary
from tradecurbs.releases.delta import compute_delta, read_events, write_delta
from tradecurbs.releases.files import make_world_readable, release_files, sha256_file
from tradecurbs.releases.legal import write_legal_files
from tradecurbs.releases.page import write_page
from tradecurbs.releases.views import write_views

__all__ = ["PublishedRelease", "next_version", "publish_lock", "publish_release", "sha256_file"]

STAGING_PREFIX = ".incoming-"


@dataclass(frozen=True)
class PublishedRelease:
    """What a publish wrote."""

    version: str
    path: Path
    row_counts: dict[str, int]
    delta: dict[str, Any] | None = None


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


# row groups of this many rows let DuckDB scan a large table on every core
ROW_GROUP_ROWS = 131_072


def _write_parquet(table: pa.Table, path: Path, name: str) -> None:
    metadata = {**(table.schema.metadata or {}), b"tradecurbs_table": name.encode()}
    pq.write_table(
        table.replace_schema_metadata(metadata), path, compression="zstd", row_group_size=ROW_GROUP_ROWS
    )


def _fsync_tree(folder: Path) -> None:
    """Flush every file of ``folder`` and the folder itself to disk before it is renamed into place."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
    for path in [*(p for p in folder.rglob("*") if p.is_dir()), folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_stale_staging(releases_dir: Path) -> list[Path]:
    """Delete temporary folders left by killed publishers; call only while holding the publish lock."""
    stale = [p for p in Path(releases_dir).glob(f"{STAGING_PREFIX}*") if p.is_dir()]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def _previous_events(releases_dir: Path) -> tuple[str | None, pa.Table | None, pa.Table | None]:
    """The catalog's latest version, its events and its mentions (all None before the first release)."""
    latest = read_index(releases_dir)["latest"]
    if not latest:
        return None, None, None
    events = read_events(Path(releases_dir) / latest)
    mentions_path = Path(releases_dir) / latest / "mentions.parquet"
    mentions = pq.read_table(mentions_path) if mentions_path.is_file() else None
    return (latest, events, mentions) if events is not None else (None, None, None)


def publish_release(
    releases_dir: Path,
    tables: dict[str, pa.Table],
    extra_dirs: dict[str, Path] | None = None,
    now: dt.datetime | None = None,
) -> PublishedRelease:
    """Write ``tables`` as a new release under ``releases_dir`` and make it the latest.

    ``extra_dirs`` are folders copied into the release (e.g. ``validation`` reports). When ``tables``
    has ``events``, the release also gets ``changes.parquet`` and ``CHANGES.md`` against the latest
    release in the catalog (all ADD for the first one). The catalog lists every file of the release
    (reports included) with its size and sha256.
    """
    releases_dir = Path(releases_dir)
    now = now or dt.datetime.now(dt.UTC)
    with publish_lock(releases_dir):
        remove_stale_staging(releases_dir)
        version = next_version(releases_dir, now.date())
        staging = Path(tempfile.mkdtemp(dir=releases_dir, prefix=f"{STAGING_PREFIX}{version}-"))
        try:
            for name, table in tables.items():
                _write_parquet(table, staging / f"{name}.parquet", name)
            delta = None
            if "events" in tables:
                previous_version, previous, previous_mentions = _previous_events(releases_dir)
                delta = compute_delta(
                    previous,
                    tables["events"],
                    previous_version,
                    previous_mentions=previous_mentions,
                    current_mentions=tables.get("mentions"),
                )
                write_delta(delta, staging, version)
            for name, src in (extra_dirs or {}).items():
                shutil.copytree(src, staging / name)
            created = now.isoformat(timespec="seconds")
            write_legal_files(staging, version, created)
            write_views(staging, version)
            package = build_datapackage(version, created, staging, tables, delta)
            (staging / DATAPACKAGE).write_text(
                json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            write_page(staging, package, tables, delta)
            make_world_readable(staging)
            files = release_files(staging)
            _fsync_tree(staging)
            final = releases_dir / version
            os.rename(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        entry: dict[str, Any] = {
            "version": version,
            "created": created,
            "path": version,
            "row_counts": {name: table.num_rows for name, table in tables.items()},
            "files": files,
        }
        if delta is not None:
            entry["delta"] = delta_summary(delta)
        add_to_index(releases_dir, entry)
    return PublishedRelease(version, final, entry["row_counts"], entry.get("delta"))
