"""The release catalog: ``releases/index.json`` lists every version, its files and which is latest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tradecurbs.durable import atomic_write_text

INDEX = "index.json"


def read_index(releases_dir: Path) -> dict[str, Any]:
    """The catalog, or an empty one when no release was published yet."""
    path = Path(releases_dir) / INDEX
    if not path.is_file():
        return {"latest": None, "releases": []}
    return json.loads(path.read_text(encoding="utf-8"))


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a reader sees the old or the new file, never half."""
    atomic_write_text(path, text)


def add_to_index(releases_dir: Path, entry: dict[str, Any]) -> dict[str, Any]:
    """Add a release entry to the catalog and make it the latest."""
    index = read_index(releases_dir)
    index["releases"] = [r for r in index["releases"] if r["version"] != entry["version"]] + [entry]
    index["latest"] = entry["version"]
    write_atomically(Path(releases_dir) / INDEX, json.dumps(index, indent=2, ensure_ascii=False) + "\n")
    return index


def list_releases(releases_dir: Path) -> list[dict[str, Any]]:
    """Catalog entries, oldest first."""
    return read_index(releases_dir)["releases"]


def latest_release(releases_dir: Path) -> Path | None:
    """Folder of the latest release, or None."""
    latest = read_index(releases_dir)["latest"]
    return Path(releases_dir) / latest if latest else None
