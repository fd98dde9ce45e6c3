"""Undo gzip, deflate and zip with a cap on the size they may expand to (decompression bombs).

The cap is enforced while decompressing, so memory never holds more than the cap plus one chunk.
"""

from __future__ import annotations

import io
import zipfile
import zlib

CODINGS = ("gzip", "x-gzip", "deflate", "identity")


class TooLarge(Exception):
    """Decompressed data would exceed its cap."""


class CappedDecoder:
    """Incremental decoder of one HTTP content coding (gzip, deflate or identity), capped at ``limit``."""

    def __init__(self, coding: str, limit: int) -> None:
        coding = (coding or "identity").strip().lower()
        if coding not in CODINGS:
            raise ValueError(f"unsupported content coding {coding!r}")
        self.coding = coding
        self.limit = limit
        self.size = 0
        self._zlib: zlib._Decompress | None = None
        self._first = True
        if coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif coding == "deflate":
            self._zlib = zlib.decompressobj()

    def _count(self, out: bytes) -> bytes:
        self.size += len(out)
        if self.size > self.limit:
            raise TooLarge(f"over {self.limit} bytes once decompressed")
        return out

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes of the next chunk; TooLarge past the cap, zlib.error on corrupt data."""
        if self._zlib is None:
            return self._count(data)
        if self._first and self.coding == "deflate":
            self._first = False
            try:  # "deflate" is zlib-wrapped by the spec, raw deflate in practice as often
                return self._inflate(data)
            except zlib.error:
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._inflate(data)

    def _inflate(self, data: bytes) -> bytes:
        assert self._zlib is not None
        out = self._zlib.decompress(data, self.limit - self.size + 1)
        if self._zlib.unconsumed_tail:
            raise TooLarge(f"over {self.limit} bytes once decompressed")
        return self._count(out)

    def flush(self) -> bytes:
        return self._count(self._zlib.flush()) if self._zlib is not None else b""


def read_zip_member(content: bytes, limit: int) -> bytes:
    """The first file of a zip archive, refusing one that expands past ``limit`` bytes."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if not infos:
            raise zipfile.BadZipFile("the archive is empty")
        info = infos[0]
        if info.file_size > limit:
            raise TooLarge(f"{info.filename} is {info.file_size} bytes once decompressed (limit {limit})")
        with archive.open(info) as member:
            data = member.read(limit + 1)  # the declared size may lie: read no further than the cap
        if len(data) > limit:
            raise TooLarge(f"{info.filename} expands past {limit} bytes")
        return data
