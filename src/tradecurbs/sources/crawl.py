"""Run one source's connector and collect its records, never raising for bad input.

``run_crawl`` gives the whole outcome (records, unchanged count, this crawl's requests); when the
fetcher carries a ``SourceState`` it also records the documents and the run there.
``crawl_source`` is the short form that returns the records only.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from tradecurbs.durable import failpoint
from tradecurbs.sources.config import SourceConfig
from tradecurbs.sources.connectors import get_connector
from tradecurbs.sources.context import CrawlContext
from tradecurbs.sources.fetch import Fetcher, FetchStats
from tradecurbs.sources.pageparse import PageParser
from tradecurbs.sources.records import DocumentRecord, utcnow
from tradecurbs.sources.state import CrawlRun

log = logging.getLogger(__name__)

MAX_RUN_ERRORS = 20  # errors kept per run in the state (the count of failures is always exact)
MAX_ERROR_CHARS = 200


@dataclass(frozen=True)
class CrawlOutcome:
    """One crawl of one source: the records kept (new or changed documents, and failures) and counts."""

    source_id: str
    records: list[DocumentRecord]
    unchanged: list[str]
    started_at: datetime
    finished_at: datetime
    fetch_stats: FetchStats = field(default_factory=FetchStats)  # this crawl's share of the fetcher's

    @property
    def n_new(self) -> int:
        """Documents ingested ok in this crawl: new ones, or changed since they were last ingested."""
        return sum(1 for r in self.records if r.status == "ok")

    @property
    def n_failed(self) -> int:
        return sum(1 for r in self.records if r.status != "ok")

    @property
    def n_unchanged(self) -> int:
        return len(self.unchanged)

    @property
    def errors(self) -> tuple[str, ...]:
        """The first failures, each as a short ``url: error`` line."""
        lines = (f"{r.url}: {r.error}" for r in self.records if r.status != "ok")
        return tuple(_shorten(line) for line in islice(lines, MAX_RUN_ERRORS))

    def run(self) -> CrawlRun:
        """The row kept for this crawl in the state's runs table."""
        return CrawlRun(
            source_id=self.source_id,
            started_at=self.started_at,
            finished_at=self.finished_at,
            n_documents=len(self.records),
            n_new=self.n_new,
            n_unchanged=self.n_unchanged,
            n_failed=self.n_failed,
            errors=self.errors,
            n_requests=self.fetch_stats.requests,
            n_not_modified=self.fetch_stats.not_modified,
        )


def _shorten(line: str) -> str:
    return line if len(line) <= MAX_ERROR_CHARS else line[: MAX_ERROR_CHARS - 1] + "…"


def run_crawl(
    source: SourceConfig,
    fetcher: Fetcher,
    publishers: dict[str, str] | None = None,
    pages: PageParser | None = None,
) -> CrawlOutcome:
    """Crawl a source (a failed listing is recorded under its URL), and keep the outcome in the state.

    ``pages`` turns article pages into text (default: in this process, two-pass).
    """
    started_at = utcnow()
    before = fetcher.stats.as_dict()
    context = CrawlContext(source, fetcher, publishers, pages)
    try:
        get_connector(source.connector)(context)
    except Exception as exc:  # a connector bug must not lose the records already emitted
        log.exception("connector %s failed on source %s", source.connector, source.id)
        context.fail(source.url, f"connector {source.connector} crashed: {type(exc).__name__}: {exc}")
    context.flush_pages()  # the pages still queued (each page's failure is its own record)
    spent = FetchStats(**{k: v - before[k] for k, v in fetcher.stats.as_dict().items()})
    outcome = CrawlOutcome(source.id, context.records, context.unchanged, started_at, utcnow(), spent)
    if fetcher.state is not None:
        try:
            fetcher.state.mark_documents(outcome.records, seen_at=outcome.finished_at)
            fetcher.state.touch_documents(source.id, outcome.unchanged, seen_at=outcome.finished_at)
            fetcher.state.record_run(outcome.run())
            failpoint("crawl:recorded")
        except sqlite3.Error:  # the records still count; the next run merely repeats some fetches
            log.exception("could not record the crawl of source %s in %s", source.id, fetcher.state.path)
    return outcome


def crawl_source(
    source: SourceConfig,
    fetcher: Fetcher,
    publishers: dict[str, str] | None = None,
    pages: PageParser | None = None,
) -> list[DocumentRecord]:
    """Every document the source yields, ok or failed (with a state: only new, changed and failed ones)."""
    return run_crawl(source, fetcher, publishers, pages).records
