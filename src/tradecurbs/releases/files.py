"""The files of a release folder: checksums, the catalog's file list, permissions a web server can read."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

#: Permissions of published files and folders: readable by everyone, writable by the publisher.
FILE_MODE, DIR_MODE = 0o644, 0o755


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def release_files(folder: Path) -> list[dict[str, Any]]:
    """Every file under ``folder`` (hidden ones left out) with its size and sha256, by path."""
    folder = Path(folder)
    out = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            out.append({"path": rel.as_posix(), "bytes": path.stat().st_size, "sha256": sha256_file(path)})
    return out


def make_world_readable(folder: Path) -> None:
    """Give ``folder``, its subfolders and files the modes a web server running as another user needs."""
    folder = Path(folder)
    for path in folder.rglob("*"):
        os.chmod(path, DIR_MODE if path.is_dir() else FILE_MODE)
    os.chmod(folder, DIR_MODE)
