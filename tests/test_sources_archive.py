"""The raw archive keeps each body once, gzipped, under the digest of the body itself; archives written
before compression (plain objects) stay readable."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from pathlib import Path

import pytest

from tradecurbs.sources.archive import RawArchive

WHEN = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
PAGE = b"<html><body><p>The ministry set licences for gallium exports.</p></body></html>" * 40


def _add(archive: RawArchive, url: str, body: bytes) -> str:
    headers = {"content-type": "text/html"}
    return archive.add(url=url, fetched_url=url, status=200, headers=headers, fetched_at=WHEN, body=body)


def test_a_body_is_stored_gzipped_under_its_own_digest(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    digest = _add(archive, "https://news.example.test/a", PAGE)
    assert digest == hashlib.sha256(PAGE).hexdigest()
    stored = tmp_path / "objects" / digest[:2] / f"{digest}.gz"
    assert gzip.decompress(stored.read_bytes()) == PAGE  # zcat reads it
    assert stored.stat().st_size < len(PAGE) / 4
    assert archive.body(digest) == PAGE and archive.has(digest)
    [entry] = archive.entries()
    assert entry["size"] == len(PAGE) and entry["sha256"] == digest


def test_the_same_body_is_stored_once(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    _add(archive, "https://news.example.test/a", PAGE)
    _add(archive, "https://news.example.test/b", PAGE)
    assert len([p for p in (tmp_path / "objects").rglob("*") if p.is_file()]) == 1
    assert len(list(archive.entries())) == 2


def test_an_archive_written_before_compression_is_read(tmp_path: Path) -> None:
    digest = hashlib.sha256(PAGE).hexdigest()
    plain = tmp_path / "objects" / digest[:2] / digest
    plain.parent.mkdir(parents=True)
    plain.write_bytes(PAGE)
    archive = RawArchive(tmp_path)
    assert archive.has(digest) and archive.body(digest) == PAGE
    _add(archive, "https://news.example.test/a", PAGE)  # already held: not written again
    assert [p.name for p in plain.parent.iterdir()] == [digest]


def test_a_missing_body_is_an_error(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    assert not archive.has("0" * 64)
    with pytest.raises(FileNotFoundError):
        archive.body("0" * 64)
