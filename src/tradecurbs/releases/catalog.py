"""The release catalog: ``releases/index.json`` lists every version, its files and which is latest."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

INDEX = "index.json"


def read_index(releases_dir: Path) -> dict[str, Any]:
    """The catalog, or an empty one when no release was published yet."""
    path = Path(releases_dir) / INDEX
    if not path.is_file():
        return {"latest": None, "releases": []}
    return json.loads(path.read_text(encoding="utf-8"))


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a reader sees the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a web server running as another user must read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
