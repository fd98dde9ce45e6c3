"""The raw archive: every response body kept content-addressed, with an index.jsonl of fetches.

Layout under ``archive_dir``: ``objects/<aa>/<sha256>.gz`` holds each distinct body once, gzipped
(``zcat`` reads it; the digest and ``size`` are the body's own, before compression); ``index.jsonl``
has one line per response (canonical URL, the address actually fetched when it differs, status,
headers, fetch time, sha256, size), enough to rebuild a release from raw later. Archives written before
bodies were compressed hold ``objects/<aa>/<sha256>`` uncompressed: both are read.

Compression is for the rebuild more than for the disk: news pages shrink about fivefold, so a crawl of
100,000 pages (6.4 GB raw) stays in the page cache, where read back uncompressed it came from disk at
the disk's pace.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

# One lock for every archive object in the process: the crawl tasks of one run each hold their own
# RawArchive on the same folder, and fetch some bodies (robots.txt of a shared host) alike.
_WRITE_LOCK = threading.Lock()
# gzip's level 6 (its default): within a tenth of the best ratio on HTML, at under a millisecond a page
_LEVEL = 6


def _end_torn_line(index: BinaryIO) -> None:
    """End a last line a crash left without its newline, so the next entry gets a line of its own."""
    if index.seek(0, os.SEEK_END) == 0:
        return
    index.seek(-1, os.SEEK_END)
    if index.read(1) != b"\n":
        index.write(b"\n")


class RawArchive:
    """Append-only store of raw responses."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.index_path = self.root / "index.jsonl"
        self.objects.mkdir(parents=True, exist_ok=True)

    def object_path(self, sha256: str) -> Path:
        """Where the body with this digest is stored (gzipped)."""
        return self.objects / sha256[:2] / f"{sha256}.gz"

    def _plain_path(self, sha256: str) -> Path:
        """Where an archive written before compression keeps the body."""
        return self.objects / sha256[:2] / sha256

    def add(
        self,
        *,
        url: str,
        fetched_url: str,
        status: int,
        headers: Mapping[str, str],
        fetched_at: datetime,
        body: bytes,
    ) -> str:
        """Store one response; return the body's sha256."""
        digest = hashlib.sha256(body).hexdigest()
        path = self.object_path(digest)
        entry: dict[str, Any] = {
            "url": url,
            "status": status,
            "fetched_at": fetched_at.isoformat(),
            "sha256": digest,
            "size": len(body),
            "headers": dict(headers),
        }
        if fetched_url != url:
            entry["fetched_url"] = fetched_url
        with _WRITE_LOCK:
            if not self.has(digest):
                path.parent.mkdir(parents=True, exist_ok=True)
                # a unique temporary name, so that other processes writing the same body never collide
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{digest[:8]}.")
                with os.fdopen(fd, "wb") as fh:
                    fh.write(gzip.compress(body, compresslevel=_LEVEL, mtime=0))
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
            # one write per line: a crash leaves at most a torn last line, which ``entries`` skips
            with self.index_path.open("ab+") as index:
                _end_torn_line(index)
                index.write((json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
        return digest

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every index entry, oldest first."""
        if not self.index_path.exists():
            return
        with self.index_path.open(encoding="utf-8") as index:
            for line in index:
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except ValueError:  # a line torn by a crash mid-write: that response is fetched again
                    continue

    def has(self, sha256: str) -> bool:
        """Whether a body with this digest is stored."""
        return self.object_path(sha256).is_file() or self._plain_path(sha256).is_file()

    def body(self, sha256: str) -> bytes:
        """The stored body with this digest (``FileNotFoundError`` when there is none)."""
        try:
            packed = self.object_path(sha256).read_bytes()
        except FileNotFoundError:
            return self._plain_path(sha256).read_bytes()
        return gzip.decompress(packed)
