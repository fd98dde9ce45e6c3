"""What earlier crawls left behind, kept in one SQLite file so that the next run can be incremental.

Three tables:

- ``validators``: per canonical URL, the HTTP validators (ETag, Last-Modified), the headers and the
  sha256 of the body of its last 200 response, so the next GET can be conditional;
- ``documents``: per source and document URL, the last status and text digest; a URL the source
  ingested with status ok is not fetched again by it, a failed one is retried (each source keeps
  its own record, so which sources yield a document never depends on the order they ran in);
- ``runs``: one row per crawl of a source (times, counts, a few errors) for the CLI.

A ``SourceState`` may be shared by the threads of one process, and several instances (in threads or
processes) may open the same file: every use of the connection goes through one lock per process,
and SQLite's WAL journal with a busy timeout arbitrates between processes.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from tradecurbs.sources.records import DocumentRecord, utcnow

# One lock for every SourceState of the process: its operations are tiny next to an HTTP request.
_LOCK = threading.RLock()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    sha256 TEXT NOT NULL,
    status INTEGER NOT NULL,
    fetched_at TEXT NOT NULL,
    headers TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    url TEXT NOT NULL,
    source_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    status TEXT NOT NULL,
    content_sha256 TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (url, source_id)
);
CREATE INDEX IF NOT EXISTS documents_by_source ON documents (source_id, status);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    n_documents INTEGER NOT NULL,
    n_new INTEGER NOT NULL,
    n_unchanged INTEGER NOT NULL,
    n_failed INTEGER NOT NULL,
    n_requests INTEGER NOT NULL DEFAULT 0,
    n_not_modified INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_source ON runs (source_id, id);
"""

# A failed record never demotes a document already ingested ok.
_UPSERT_DOCUMENT = """
INSERT INTO documents (url, source_id, document_id, status, content_sha256, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (url, source_id) DO UPDATE SET
    document_id = excluded.document_id,
    status = excluded.status,
    content_sha256 = excluded.content_sha256,
    last_seen = excluded.last_seen
WHERE excluded.status = 'ok' OR documents.status != 'ok'
"""

_SUMMARIES = """
SELECT s.source_id,
       (SELECT COUNT(*) FROM runs r WHERE r.source_id = s.source_id) AS runs,
       (SELECT COUNT(*) FROM documents d WHERE d.source_id = s.source_id AND d.status = 'ok') AS documents,
       (SELECT COUNT(*) FROM documents d WHERE d.source_id = s.source_id AND d.status != 'ok')
           AS failed_documents,
       l.started_at, l.finished_at, l.n_documents, l.n_new, l.n_unchanged, l.n_failed,
       l.n_requests, l.n_not_modified, l.errors
FROM (SELECT source_id FROM runs UNION SELECT source_id FROM documents) AS s
LEFT JOIN runs l ON l.id = (SELECT MAX(id) FROM runs r WHERE r.source_id = s.source_id)
ORDER BY s.source_id
"""
_LAST_COUNTS = (
    "last_n_documents",
    "last_n_new",
    "last_n_unchanged",
    "last_n_failed",
    "last_n_requests",
    "last_n_not_modified",
)


@dataclass(frozen=True)
class Validators:
    """What is remembered of a URL's last 200 response."""

    url: str
    etag: str | None
    last_modified: str | None
    sha256: str
    status: int
    fetched_at: datetime
    headers: dict[str, str]

    def request_headers(self) -> dict[str, str]:
        """The conditional request headers these validators allow (empty when there are none)."""
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class CrawlRun:
    """The outcome of one crawl of one source, as kept in the ``runs`` table."""

    source_id: str
    started_at: datetime
    finished_at: datetime
    n_documents: int
    n_new: int
    n_unchanged: int
    n_failed: int
    errors: tuple[str, ...] = ()
    n_requests: int = 0
    n_not_modified: int = 0


class SourceState:
    """The incremental-run state in one SQLite file (created on first use)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _LOCK:
            self._db = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)

    def __enter__(self) -> SourceState:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        with _LOCK:
            self._db.close()

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with _LOCK:
            return self._db.execute(sql, tuple(params)).fetchall()

    def _write(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        with _LOCK:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(sql, (tuple(row) for row in rows))
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- HTTP validators --------------------------------------------------------------------------

    def validators(self, url: str) -> Validators | None:
        """The remembered 200 response of a canonical URL, if any."""
        rows = self._query(
            "SELECT url, etag, last_modified, sha256, status, fetched_at, headers FROM validators"
            " WHERE url = ?",
            (url,),
        )
        if not rows:
            return None
        url, etag, last_modified, sha256, status, fetched_at, headers = rows[0]
        return Validators(
            url, etag, last_modified, sha256, status, datetime.fromisoformat(fetched_at), json.loads(headers)
        )

    def remember_response(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        sha256: str,
        status: int,
        fetched_at: datetime,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Keep a URL's latest response validators, replacing what was kept before."""
        self._write(
            "INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    url,
                    etag,
                    last_modified,
                    sha256,
                    status,
                    fetched_at.isoformat(),
                    json.dumps(dict(headers or {})),
                )
            ],
        )

    # -- documents --------------------------------------------------------------------------------

    def ingested_sha256(self, url: str, source_id: str | None = None) -> str | None:
        """The text digest of the document at ``url`` if it was ingested ok (by ``source_id``, or by any
        source when None), else None."""
        sql = "SELECT content_sha256 FROM documents WHERE url = ? AND status = 'ok'"
        params: tuple[str, ...] = (url,)
        if source_id is not None:
            sql, params = sql + " AND source_id = ?", (url, source_id)
        rows = self._query(sql + " ORDER BY last_seen DESC LIMIT 1", params)
        return rows[0][0] if rows else None

    def is_ingested(self, url: str, source_id: str | None = None) -> bool:
        """Whether a document for ``url`` was ingested with status ok (failed ones are not), by
        ``source_id`` or by any source when None."""
        return self.ingested_sha256(url, source_id) is not None

    def mark_documents(self, records: Iterable[DocumentRecord], seen_at: datetime | None = None) -> None:
        """Record documents under their sources as ingested (ok) or failed; a failure never demotes a
        document ingested ok."""
        when = (seen_at or utcnow()).isoformat()
        self._write(
            _UPSERT_DOCUMENT,
            [(r.url, r.source_id, r.document_id, r.status, r.content_sha256, when, when) for r in records],
        )

    def forget_unstaged(self, staged: Mapping[str, str | None]) -> int:
        """Forget ok documents that the staged corpus (document id -> text digest) does not hold as they
        were ingested, so the next crawl fetches them again; returns how many rows were forgotten.

        A run killed after marking documents but before staging them, or a lost corpus file, would
        otherwise leave documents the state calls ingested and no release will ever hold.
        """
        rows = self._query(
            "SELECT url, source_id, document_id, content_sha256 FROM documents WHERE status = 'ok'"
        )
        gone = [(url, source) for url, source, doc, sha in rows if doc not in staged or staged[doc] != sha]
        if gone:
            self._write("DELETE FROM documents WHERE url = ? AND source_id = ?", gone)
        return len(gone)

    def touch_documents(self, source_id: str, urls: Iterable[str], seen_at: datetime | None = None) -> None:
        """Note that a source saw documents again, unchanged."""
        when = (seen_at or utcnow()).isoformat()
        self._write(
            "UPDATE documents SET last_seen = ? WHERE url = ? AND source_id = ?",
            [(when, url, source_id) for url in urls],
        )

    # -- crawl runs -------------------------------------------------------------------------------

    def record_run(self, run: CrawlRun) -> None:
        """Append one crawl of a source."""
        self._write(
            "INSERT INTO runs (source_id, started_at, finished_at, n_documents, n_new, n_unchanged, n_failed,"
            " n_requests, n_not_modified, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    run.source_id,
                    run.started_at.isoformat(),
                    run.finished_at.isoformat(),
                    run.n_documents,
                    run.n_new,
                    run.n_unchanged,
                    run.n_failed,
                    run.n_requests,
                    run.n_not_modified,
                    json.dumps(list(run.errors), ensure_ascii=False),
                )
            ],
        )

    def runs(self, source_id: str | None = None) -> list[CrawlRun]:
        """Recorded crawls, oldest first (of one source, or of all)."""
        where, params = ("WHERE source_id = ?", (source_id,)) if source_id else ("", ())
        rows = self._query(
            "SELECT source_id, started_at, finished_at, n_documents, n_new, n_unchanged, n_failed, errors,"
            f" n_requests, n_not_modified FROM runs {where} ORDER BY id",
            params,
        )
        return [
            CrawlRun(
                source_id=row[0],
                started_at=datetime.fromisoformat(row[1]),
                finished_at=datetime.fromisoformat(row[2]),
                n_documents=row[3],
                n_new=row[4],
                n_unchanged=row[5],
                n_failed=row[6],
                errors=tuple(json.loads(row[7])),
                n_requests=row[8],
                n_not_modified=row[9],
            )
            for row in rows
        ]

    def source_summaries(self) -> list[dict[str, Any]]:
        """Per source: runs, documents ingested ok and failed, and the last run's times, counts, errors."""
        out = []
        for source_id, runs, documents, failed, started, finished, *counts, errors in self._query(_SUMMARIES):
            summary = {
                "source_id": source_id,
                "runs": runs,
                "documents": documents,
                "failed_documents": failed,
                "last_started_at": datetime.fromisoformat(started) if started else None,
                "last_finished_at": datetime.fromisoformat(finished) if finished else None,
            }
            summary.update(zip(_LAST_COUNTS, counts, strict=True))
            summary["last_errors"] = json.loads(errors) if errors else []
            out.append(summary)
        return out
