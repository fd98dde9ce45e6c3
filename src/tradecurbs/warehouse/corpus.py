"""The staged corpus: every document ever ingested, kept across runs and updated incrementally.

A run's crawl yields only what it fetched; the corpus keeps the rest. A document is *new* when its
id is unknown, *changed* when its status, text or error differs from the stored row, and
*unchanged* otherwise (an unchanged row keeps its first fetch time). Extraction results are
cached per document, keyed by the text's sha256 and the extractor version, so a rerun extracts
only new or changed texts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from tradecurbs.warehouse.build import (
    read_parquet,
    table_rows,
    write_parquet_atomically,
    write_staged_documents,
)

EXTRACTION_CACHE = "extractions.parquet"
# what makes a stored document differ from a refetched one (fetch times do not)
_COMPARED = ("status", "content_sha256", "error", "title", "published_at", "publisher")

_CACHE_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        ("input_sha256", pa.string()),
        ("extractor_version", pa.string()),
        ("mentions", pa.string()),
    ]
)


@dataclass
class CorpusUpdate:
    """What one run's documents did to the corpus."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    total: int = 0

    @property
    def n_new(self) -> int:
        return len(self.new)

    @property
    def n_changed(self) -> int:
        return len(self.changed)

    @property
    def any(self) -> bool:
        """Whether the corpus differs from before the run."""
        return bool(self.new or self.changed)


def read_documents(path: Path) -> list[dict[str, Any]]:
    """The stored corpus rows (contract columns and ``text``), or none."""
    return table_rows(read_parquet(path)) if path.exists() else []


def update_documents(path: Path, incoming: Iterable[dict[str, Any]]) -> CorpusUpdate:
    """Fold a run's document rows into the corpus at ``path``; rewrite it only when it changed.

    Within one run, an ok row for a document beats a failed one (two sources may lead to one URL).
    """
    stored = {row["document_id"]: row for row in read_documents(path)}
    arrived: dict[str, dict[str, Any]] = {}
    for row in incoming:
        kept = arrived.get(row["document_id"])
        if kept is None or (kept["status"] != "ok" and row["status"] == "ok"):
            arrived[row["document_id"]] = row
    update = CorpusUpdate()
    for doc_id in sorted(arrived):
        row, old = arrived[doc_id], stored.get(doc_id)
        if old is None:
            update.new.append(doc_id)
        elif old["status"] == "ok" and row["status"] != "ok":
            update.unchanged += 1  # a good copy is not replaced by a failed refetch
            continue
        elif any(old.get(k) != row.get(k) for k in _COMPARED):
            update.changed.append(doc_id)
        else:
            update.unchanged += 1
            continue
        stored[doc_id] = row
    update.total = len(stored)
    if update.any or not path.exists():
        rows = [stored[k] for k in sorted(stored, key=lambda k: (k, stored[k]["source_id"]))]
        write_staged_documents(rows, path)
    return update


# What the extractor reads of a document: a change to any of them (a corrected date, a new title) is a
# new extraction, not a cached one.
_EXTRACTION_INPUTS = ("url", "title", "text", "published", "source_kind", "language")


def extraction_input_digest(document: dict[str, Any]) -> str:
    """SHA-256 of the fields of a document that decide what the extractor finds in it."""
    payload = json.dumps([document.get(k) for k in _EXTRACTION_INPUTS], default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ExtractionCache:
    """Mentions per document, keyed by what the extractor reads of it, for one extractor version, stored
    as Parquet at ``path`` (a cache of another layout is read as empty)."""

    def __init__(self, path: Path, version: str) -> None:
        self.path = path
        self.version = version
        self._entries: dict[tuple[str, str], str] = {}
        self._dirty = not path.exists()
        table = read_parquet(path) if path.exists() else None
        if table is not None and table.schema.names == _CACHE_SCHEMA.names:
            for row in table.to_pylist():
                if row["extractor_version"] == version:
                    self._entries[(row["document_id"], row["input_sha256"])] = row["mentions"]
        elif table is not None:
            self._dirty = True  # an older layout: rewritten at the next save

    @staticmethod
    def key(document: dict[str, Any]) -> tuple[str, str]:
        return document["document_id"], extraction_input_digest(document)

    def missing(self, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The documents with no cached extraction of what the extractor reads of them."""
        return [d for d in documents if self.key(d) not in self._entries]

    def put(self, documents: list[dict[str, Any]], results: list[list[dict[str, Any]]]) -> None:
        """Remember the mentions extracted from each document."""
        for document, mentions in zip(documents, results, strict=True):
            self._entries[self.key(document)] = json.dumps(
                mentions, default=str, ensure_ascii=False, sort_keys=True
            )
            self._dirty = True

    def get(self, document: dict[str, Any]) -> list[dict[str, Any]]:
        """The cached mentions of a document (fresh dicts)."""
        return _load(self._entries[self.key(document)])

    def save(self) -> None:
        """Write the cache if it changed."""
        if not self._dirty:
            return
        rows = [
            {"document_id": d, "input_sha256": s, "extractor_version": self.version, "mentions": m}
            for (d, s), m in sorted(self._entries.items())
        ]
        write_parquet_atomically(pa.Table.from_pylist(rows, schema=_CACHE_SCHEMA), self.path)
        self._dirty = False


def _load(text: str) -> list[dict[str, Any]]:
    """Cached mentions back as the extractor returns them (``*_on`` fields as dates)."""
    mentions = json.loads(text)
    for mention in mentions:
        for name, value in mention.items():
            if name.endswith("_on") and isinstance(value, str):
                mention[name] = dt.date.fromisoformat(value)
    return mentions
