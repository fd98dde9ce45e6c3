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

from tradecurbs.durable import failpoint, fsync_dir, remove_stale_temporaries
from tradecurbs.releases.catalog import add_to_index, read_index
from tradecurbs.releases.datapackage import DATAPACKAGE, build_datapackage
from tradecurbs.releases.delta import compute_delta, read_events, write_delta
from tradecurbs.releases.files import make_world_readable, release_files, sha256_file
from tradecurbs.releases.legal import write_legal_files
from tradecurbs.releases.page import write_page
from tradecurbs.releases.views import write_views
from tradecurbs.warehouse.build import read_parquet

__all__ = ["PublishedRelease", "next_version", "publish_lock", "publish_release", "sha256_file"]

STAGING_PREFIX = ".incoming-"
# resources of a release folder that describe the delta, not a published table
DELTA_RESOURCES = ("changes", "changes_summary")


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
        fsync_dir(path)


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
    mentions = read_parquet(mentions_path) if mentions_path.is_file() else None
    return (latest, events, mentions) if events is not None else (None, None, None)


def catalog_entry(version: str, folder: Path, package: dict[str, Any]) -> dict[str, Any]:
    """The catalog entry of a release folder, from its datapackage.json (and the file's own checksum)."""
    entry: dict[str, Any] = {
        "version": version,
        "created": package["created"],
        "path": version,
        "row_counts": {
            r["name"]: r["rows"]
            for r in package["resources"]
            if r.get("type") == "table" and r["name"] not in DELTA_RESOURCES
        },
        "files": release_files(folder),
    }
    if "delta" in package:
        entry["delta"] = package["delta"]
    return entry


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
            entry = catalog_entry(version, staging, package)
            _fsync_tree(staging)
            failpoint("publish:written")
            final = releases_dir / version
            os.rename(staging, final)
            fsync_dir(releases_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        failpoint("publish:renamed")
        add_to_index(releases_dir, entry)
    return PublishedRelease(version, final, entry["row_counts"], entry.get("delta"))


def _problem(folder: Path) -> str | None:
    """None when every file a release folder's datapackage.json lists has its size and sha256."""
    try:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        resources = package["resources"]
        package["created"]  # noqa: B018  (a package without it cannot be cataloged)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"no readable datapackage.json ({type(exc).__name__}: {exc})"
    for resource in resources:
        file = folder / str(resource.get("path", ""))
        if not file.is_file() or file.parent != folder:
            return f"{resource.get('path')} is missing"
        want = str(resource.get("hash", "")).removeprefix("sha256:")
        if file.stat().st_size != resource.get("bytes") or sha256_file(file) != want:
            return f"{resource['path']} does not match its size or sha256"
    return None


@dataclass(frozen=True)
class Recovery:
    """What ``recover_releases`` did: versions added to the catalog, folders removed (with why)."""

    registered: list[str]
    removed: dict[str, str]


def recover_releases(releases_dir: Path) -> Recovery:
    """Finish what a publisher killed after renaming its release folder left undone.

    A version folder the catalog does not list is added to it when every file matches its
    datapackage.json, oldest first, so the last one added becomes the latest (a publisher renames
    its folder only after every earlier release is cataloged); an incomplete one is deleted.
    Temporary folders of killed publishers are removed too.
    """
    releases_dir = Path(releases_dir)
    recovery = Recovery([], {})
    if not releases_dir.is_dir():
        return recovery
    with publish_lock(releases_dir):
        remove_stale_staging(releases_dir)
        remove_stale_temporaries(releases_dir)  # a catalog killed mid-write
        known = {r["version"] for r in read_index(releases_dir)["releases"]}
        orphans = [
            p
            for p in sorted(releases_dir.iterdir())
            if p.is_dir() and not p.name.startswith(".") and p.name not in known
        ]
        found = []
        for folder in orphans:
            problem = _problem(folder)
            if problem is not None:
                shutil.rmtree(folder, ignore_errors=True)
                recovery.removed[folder.name] = problem
                continue
            package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
            found.append(catalog_entry(folder.name, folder, package))
        for entry in sorted(found, key=lambda e: (e["created"], e["version"])):
            add_to_index(releases_dir, entry)
            recovery.registered.append(entry["version"])
    return recovery
