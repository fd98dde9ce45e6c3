"""Crash safety: atomic file writes, and failpoints that kill the process at a named step.

Every file a run rewrites (staged tables, caches, catalogs) goes through ``atomic_path``: it is
written under a temporary name in the same folder, flushed to disk and renamed over the old one, so
a crash leaves the old file or the new one, never half of one.

``failpoint(name)`` does nothing unless ``$TRADECURBS_FAILPOINT`` names that step (or one of a
comma-separated list): then the process kills itself with SIGKILL on the spot, as a power cut or
an OOM killer would. The tests use it to check that a run killed at any step, followed by one normal
run, ends where an uninterrupted run ends. ``FAILPOINTS`` lists every step, in the order a run
passes them.
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FAILPOINT_ENV = "TRADECURBS_FAILPOINT"

# Every named step between the first fetch and the catalog update, in run order.
FAILPOINTS = (
    "fetch:archived",  # a response is in the raw archive, its validators not yet in the state
    "fetch:remembered",  # the state remembers a response's validators
    "crawl:recorded",  # a source's documents are marked ingested in the state, not yet staged
    "write:documents.parquet",  # the staged corpus is written under its temporary name, not renamed
    "stage:documents",  # the staged corpus holds this run's documents
    "write:extractions.parquet",
    "extract:cached",  # the extraction cache is saved, the staged mentions not yet
    "write:mentions.parquet",
    "extract:merged",  # the staged mentions are written
    "build:tables",  # the tables are built, not yet validated
    "validate:done",
    "publish:written",  # the release folder is complete under its temporary name
    "publish:renamed",  # the release folder has its version's name, the catalog does not list it yet
    "write:index.json",
    "publish:cataloged",  # the catalog lists the release; the run has not recorded it as published
)


def failpoint(name: str) -> None:
    """Kill this process with SIGKILL when ``$TRADECURBS_FAILPOINT`` names ``name``."""
    wanted = os.environ.get(FAILPOINT_ENV)
    if wanted and name in {w.strip() for w in wanted.split(",")}:
        os.kill(os.getpid(), signal.SIGKILL)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename inside it) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; on success it is flushed and renamed to ``path``.

    On an exception the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o644)  # mkstemp makes it private; a web server running as another user must read it
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        failpoint(f"write:{path.name}")
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files that writers killed mid-write left in ``folder``."""
    stale = [p for p in Path(folder).glob(".*.tmp") if p.is_file()]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale
