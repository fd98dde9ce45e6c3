"""Ingestion: read the sources file, fetch politely, and turn responses into document records.

sf = load_sources(path)
state = SourceState(data_dir / "state.sqlite")  # optional: incremental runs
with Fetcher(archive_dir=data_dir / "raw", state=state) as fetcher:
    outcome = run_crawl(sf.sources[0], fetcher, publishers=sf.publishers)  # crawl_source(...): records

To rebuild from the raw archive alone, crawl with ``Fetcher.from_archive(data_dir / "raw")``.
"""

from tradecurbs.sources.archive_transport import ArchiveTransport
from tradecurbs.sources.config import SourceConfig, SourcesFile, SourcesFileError, load_sources
from tradecurbs.sources.crawl import CrawlOutcome, crawl_source, run_crawl
from tradecurbs.sources.fetch import Fetcher, FetchError, FetchResult, FetchStats
from tradecurbs.sources.records import DocumentRecord, document_id
from tradecurbs.sources.replay import replay_rewrite, replay_server
from tradecurbs.sources.state import CrawlRun, SourceState

__all__ = [
    "ArchiveTransport",
    "CrawlOutcome",
    "CrawlRun",
    "DocumentRecord",
    "FetchError",
    "FetchResult",
    "FetchStats",
    "Fetcher",
    "SourceConfig",
    "SourceState",
    "SourcesFile",
    "SourcesFileError",
    "crawl_source",
    "document_id",
    "load_sources",
    "replay_rewrite",
    "replay_server",
    "run_crawl",
]
