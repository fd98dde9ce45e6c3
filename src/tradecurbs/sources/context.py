"""The runtime a connector crawls with: fetching, dates, publishers, and emitting records.

A connector is a module with one function, ``crawl(context)``, that reads like a recipe: fetch,
parse, emit. Everything shared lives here, so a connector holds only what is specific to its
source. Emitting the same canonical URL twice keeps one record (an ok record beats a failed one).

When the fetcher carries a ``SourceState``, the crawl is incremental: an article URL this
source already ingested ok is not fetched again, and an ok record identical to the document it
ingested (same text digest) is not kept; both count as ``unchanged``. Failed documents are not
ingested, so they are tried again on every run.

A record emitted without ``fetched_at`` gets the time of the response it most likely came from:
its own URL's response if this crawl fetched it (the current time if that fetch got no answer),
else the latest response of the crawl (the listing a connector reads records from). Times come
from the responses, so a rebuild from the raw archive reproduces them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from tradecurbs.limits import limit
from tradecurbs.sources.config import SourceConfig
from tradecurbs.sources.encoding import decode_html
from tradecurbs.sources.fetch import Fetcher, FetchError, FetchResult
from tradecurbs.sources.pageparse import PageJob, PageOutcome, PageParser
from tradecurbs.sources.records import DocumentRecord, Origin, failed_record, ok_record

NO_DATE = "no publication date in feed item or page metadata"
NO_TEXT = "no article text found in page"
# responses that are certainly no article page (unknown or generic types are still tried)
NOT_PAGES = ("application/pdf", "application/zip", "image/", "audio/", "video/", "font/")


MAX_ITEM_ERROR_CHARS = 500


class PageTooComplex(Exception):
    """A page the HTML parser is not given (too many tags)."""


def _short_error(exc: Exception) -> str:
    """An item's error as one line: its message for a fetch error, else its type and message."""
    known = isinstance(exc, FetchError | PageTooComplex)
    return _one_line(str(exc) if known else f"{type(exc).__name__}: {exc}")


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_ITEM_ERROR_CHARS else text[: MAX_ITEM_ERROR_CHARS - 1] + "…"


class CrawlContext:
    """One crawl of one source."""

    def __init__(
        self,
        source: SourceConfig,
        fetcher: Fetcher,
        publishers: dict[str, str] | None = None,
        pages: PageParser | None = None,
    ) -> None:
        self.source = source
        self.pages = pages or PageParser()
        self._queued: dict[str, _QueuedPage] = {}  # fetched article pages waiting for their text
        self.fetcher = fetcher
        self.publishers = {k.lower(): v for k, v in (publishers or {}).items()}
        self.origin = Origin(source.id, source.publisher, source.kind, source.language)
        self.log = logging.getLogger(f"tradecurbs.sources.{source.id}")
        self.state = fetcher.state
        self._records: dict[str, DocumentRecord] = {}
        self._unchanged: set[str] = set()
        self._fetched_at: dict[str, datetime | None] = {}  # per URL fetched: its response's time
        self._latest: datetime | None = None

    # -- settings ---------------------------------------------------------------------------------

    def option(self, name: str, default: Any = None) -> Any:
        """A connector option from the source's entry in the sources file."""
        return self.source.options.get(name, default)

    @property
    def timezone(self) -> str | None:
        """IANA zone for dates without one (option ``timezone``; UTC when unset)."""
        return self.option("timezone")

    def publisher_for(self, url: str) -> str:
        """The outlet behind a URL: the publishers map by host (with or without www.), else the host."""
        host = (urlsplit(url).hostname or "").lower()
        bare = host.removeprefix("www.")
        return (
            self.publishers.get(host)
            or self.publishers.get(bare)
            or self.publishers.get(f"www.{bare}")
            or host
        )

    # -- fetching ---------------------------------------------------------------------------------

    def fetch(self, url: str) -> FetchResult:
        """GET a canonical URL; raises FetchError for a transport failure or a non-2xx status."""
        try:
            result = self.fetcher.get(url)
        except FetchError:
            self._fetched_at[url] = None
            raise
        self._fetched_at[url] = self._latest = result.fetched_at
        return result.raise_for_status()

    def page_html(self, result: FetchResult) -> str:
        """A fetched page as text for the HTML parser, within the parser's bounds (data/limits.yml).

        A page with more tags than ``html_max_tags`` raises PageTooComplex (parsing cost grows
        faster than the page); longer pages are cut at ``html_max_chars``.
        """
        html = decode_html(result.content, result.content_type)
        tags = html.count("<")
        if tags > (most := int(limit("html_max_tags"))):
            raise PageTooComplex(f"page too complex to parse: {tags} tags (limit {most})")
        return html[: int(limit("html_max_chars"))]

    @contextmanager
    def item(self, url: str, **known: Any) -> Iterator[None]:
        """Handle one item (an article, a result, a row): any exception in the block becomes a failed
        record for ``url`` with its error, and the crawl goes on with the next item."""
        try:
            yield
        except Exception as exc:  # one bad item must not end its source
            if not isinstance(exc, PageTooComplex | FetchError):
                self.log.exception("item %s of source %s failed", url[:200], self.source.id)
            self.fail(url, _short_error(exc), **known)

    # -- records ----------------------------------------------------------------------------------

    def seen(self, url: str) -> bool:
        """Whether a record for this URL was already emitted (or found unchanged) in this crawl."""
        return url in self._records or url in self._unchanged or url in self._queued

    def emit(self, record: DocumentRecord) -> DocumentRecord:
        """Keep a record; a second record for the same URL replaces the first only if it is better.

        An ok record identical to the document already ingested is counted as unchanged, not kept.
        """
        if record.url in self._unchanged:
            return record
        kept = self._records.get(record.url)
        if kept is not None and (kept.status == "ok" or record.status == "failed"):
            return kept
        if record.status == "ok" and self._ingested_as(record):
            self._records.pop(record.url, None)
            self._unchanged.add(record.url)
            return record
        self._records[record.url] = record
        return record

    def ok(self, url: str, text: str, **fields: Any) -> DocumentRecord:
        """Emit a document whose text was extracted."""
        fields["fetched_at"] = fields.get("fetched_at") or self._response_time(url)
        return self.emit(ok_record(self.origin, url, text, **fields))

    def fail(self, url: str, error: str, **fields: Any) -> DocumentRecord:
        """Emit a failed document with its error, and log it."""
        self.log.warning("%s: %s", url, error)
        fields["fetched_at"] = fields.get("fetched_at") or self._response_time(url)
        return self.emit(failed_record(self.origin, url, error, **fields))

    @property
    def records(self) -> list[DocumentRecord]:
        """The records kept: new or changed documents, and failures."""
        return list(self._records.values())

    @property
    def unchanged(self) -> list[str]:
        """URLs of documents already ingested, skipped or found identical in this crawl."""
        return sorted(self._unchanged)

    def skip_ingested(self, url: str) -> bool:
        """Whether this source already ingested ``url`` ok (it then counts as unchanged, unfetched)."""
        if url in self._unchanged:
            return True
        if url in self._records or self.state is None or not self.state.is_ingested(url, self.source.id):
            return False
        self._unchanged.add(url)
        return True

    def _response_time(self, url: str) -> datetime | None:
        """The fetch time for a record given none (None: the record is stamped now)."""
        return self._fetched_at.get(url, self._latest)

    def _ingested_as(self, record: DocumentRecord) -> bool:
        if self.state is None:
            return False
        return self.state.ingested_sha256(record.url, self.source.id) == record.content_sha256

    # -- shared recipes ---------------------------------------------------------------------------

    def crawl_article(
        self,
        url: str,
        *,
        title: str | None = None,
        published_at: datetime | None = None,
        publisher: str | None = None,
        fallback_published_at: datetime | None = None,
    ) -> DocumentRecord | None:
        """Fetch an article page and emit its record; the given title and date win over the page's,
        and ``fallback_published_at`` (a lead's own date) dates a page that gives none.

        An article already ingested ok is not fetched: it counts as unchanged and None is returned.
        A fetched page is queued for its text (``self.pages``): its record is emitted, and returned, when
        its batch is parsed (at once with one worker; see ``flush_pages``), else None is returned.
        """
        if url in self._records:
            return self._records[url]
        if url in self._queued:
            return None
        if self.skip_ingested(url):
            return None
        known = {"title": title, "published_at": published_at, "publisher": publisher}
        with self.item(url, **known):
            return self._crawl_article(url, known, fallback_published_at)
        return self._records.get(url)

    def _crawl_article(
        self, url: str, known: dict[str, Any], fallback_published_at: datetime | None
    ) -> DocumentRecord | None:
        try:
            result = self.fetch(url)
        except FetchError as exc:
            return self.fail(url, str(exc), **known)
        media_type = result.content_type.split(";", 1)[0].strip().lower()
        if media_type.startswith(NOT_PAGES):
            error = f"not an article page (Content-Type {media_type})"
            return self.fail(url, error, fetched_at=result.fetched_at, **known)
        job = PageJob(url, self.page_html(result), self.timezone, known["title"] or None)
        self._queued[url] = _QueuedPage(job, known, fallback_published_at, result.fetched_at)
        if len(self._queued) >= self.pages.batch_size:
            self.flush_pages()
        return self._records.get(url)

    def flush_pages(self) -> None:
        """Parse the queued pages (in the parser's workers) and emit their records, in queue order."""
        queued, self._queued = list(self._queued.values()), {}
        if not queued:
            return
        try:
            outcomes = self.pages.parse([q.job for q in queued])
        except Exception as exc:  # the parser itself broke (a worker died): each page of the batch fails
            self.log.exception("parsing %d pages of source %s failed", len(queued), self.source.id)
            outcomes = [PageOutcome(None, f"{type(exc).__name__}: {exc}")] * len(queued)
        for page, outcome in zip(queued, outcomes, strict=True):
            with self.item(page.job.url, **page.known):
                self._emit_page(page, outcome)

    def _emit_page(self, page: _QueuedPage, outcome: PageOutcome) -> DocumentRecord:
        url, known, fetched_at = page.job.url, page.known, page.fetched_at
        title, publisher = known["title"], known["publisher"]
        if outcome.error is not None:
            self.log.error("item %s of source %s failed: %s", url[:200], self.source.id, outcome.error)
            return self.fail(url, _one_line(outcome.error), **known)
        article = outcome.text.article if outcome.text is not None else None
        if article is None:
            return self.fail(url, NO_TEXT, fetched_at=fetched_at, **known)
        when = known["published_at"] or article.published_at or page.fallback_published_at
        if when is None:
            return self.fail(
                url, NO_DATE, fetched_at=fetched_at, title=title or article.title, publisher=publisher
            )
        return self.ok(
            url,
            article.text,
            title=title or article.title,
            published_at=when,
            fetched_at=fetched_at,
            publisher=publisher,
        )


@dataclass(frozen=True)
class _QueuedPage:
    """A fetched article page and what the crawl knows of it, waiting for its text."""

    job: PageJob
    known: dict[str, Any]
    fallback_published_at: datetime | None
    fetched_at: datetime | None
