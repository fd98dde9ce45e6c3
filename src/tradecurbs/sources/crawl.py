"""crawl_source: run one source's connector and collect its records, never raising for bad input."""

from __future__ import annotations

import logging

from tradecurbs.sources.config import SourceConfig
from tradecurbs.sources.connectors import get_connector
from tradecurbs.sources.context import CrawlContext
from tradecurbs.sources.fetch import Fetcher
from tradecurbs.sources.records import DocumentRecord

log = logging.getLogger(__name__)


def crawl_source(
    source: SourceConfig, fetcher: Fetcher, publishers: dict[str, str] | None = None
) -> list[DocumentRecord]:
    """Every document the source yields, ok or failed (a failed listing is recorded under its URL)."""
    context = CrawlContext(source, fetcher, publishers)
    try:
        get_connector(source.connector)(context)
    except Exception as exc:  # a connector bug must not lose the records already emitted
        log.exception("connector %s failed on source %s", source.connector, source.id)
        context.fail(source.url, f"connector {source.connector} crashed: {type(exc).__name__}: {exc}")
    return context.records
