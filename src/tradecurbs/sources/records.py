"""DocumentRecord: one row of the documents table (schemas/documents.yml) plus its extracted text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any


def document_id(url: str) -> str:
    """Stable id of a document: ``doc_`` + the first 16 hex digits of sha256 of its canonical URL."""
    return "doc_" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def utcnow() -> datetime:
    """The current time, tz-aware UTC."""
    return datetime.now(UTC)


@dataclass
class DocumentRecord:
    """A fetched (or failed) document: the documents contract columns, and ``text``."""

    document_id: str
    url: str
    source_id: str
    publisher: str
    source_kind: str
    title: str | None
    published_at: datetime | None
    fetched_at: datetime
    language: str | None
    content_sha256: str | None
    n_chars: int
    status: str
    error: str | None
    text: str = field(default="", repr=False)

    def as_dict(self) -> dict[str, Any]:
        """Every field, text included, as a dict: ``dataclasses.asdict``'s answer without its deep copy
        of each value (every value is a string, a number, a datetime or None, none of them mutable)."""
        return {name: getattr(self, name) for name in _FIELDS}

    def row(self) -> dict[str, Any]:
        """The contract columns only (no text), as a dict."""
        out = self.as_dict()
        out.pop("text")
        return out


_FIELDS = tuple(f.name for f in fields(DocumentRecord))


@dataclass(frozen=True)
class Origin:
    """Who yielded a document: the source entry's id, kind and default publisher and language."""

    source_id: str
    publisher: str
    source_kind: str
    language: str | None


def _record(
    origin: Origin,
    url: str,
    *,
    text: str,
    error: str | None,
    title: str | None,
    published_at: datetime | None,
    fetched_at: datetime | None,
    publisher: str | None,
    language: str | None,
) -> DocumentRecord:
    """The one constructor behind ok_record and failed_record: an error makes the record failed."""
    ok = error is None
    return DocumentRecord(
        document_id=document_id(url),
        url=url,
        source_id=origin.source_id,
        publisher=publisher or origin.publisher,
        source_kind=origin.source_kind,
        title=title or None,
        published_at=published_at,
        fetched_at=fetched_at or utcnow(),
        language=language or origin.language,
        content_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest() if ok else None,
        n_chars=len(text),
        status="ok" if ok else "failed",
        error=error,
        text=text,
    )


def ok_record(
    origin: Origin,
    url: str,
    text: str,
    *,
    title: str | None,
    published_at: datetime | None,
    fetched_at: datetime | None = None,
    publisher: str | None = None,
    language: str | None = None,
) -> DocumentRecord:
    """A document whose text was extracted."""
    return _record(
        origin,
        url,
        text=text,
        error=None,
        title=title,
        published_at=published_at,
        fetched_at=fetched_at,
        publisher=publisher,
        language=language,
    )


def failed_record(
    origin: Origin,
    url: str,
    error: str,
    *,
    title: str | None = None,
    published_at: datetime | None = None,
    fetched_at: datetime | None = None,
    publisher: str | None = None,
    language: str | None = None,
) -> DocumentRecord:
    """A document that could not be fetched or extracted; ``error`` says why."""
    return _record(
        origin,
        url,
        text="",
        error=error,
        title=title,
        published_at=published_at,
        fetched_at=fetched_at,
        publisher=publisher,
        language=language,
    )
