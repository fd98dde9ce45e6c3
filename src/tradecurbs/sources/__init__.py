"""Ingestion: read the sources file, fetch politely, and turn responses into document records.

sf = load_sources(path)
with Fetcher(archive_dir=data_dir / "raw") as fetcher:
    records = crawl_source(sf.sources[0], fetcher, publishers=sf.publishers)
"""

from tradecurbs.sources.config import SourceConfig, SourcesFile, SourcesFileError, load_sources
from tradecurbs.sources.crawl import crawl_source
from tradecurbs.sources.fetch import Fetcher, FetchError, FetchResult
from tradecurbs.sources.records import DocumentRecord, document_id
from tradecurbs.sources.replay import replay_rewrite, replay_server

__all__ = [
    "DocumentRecord",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "SourceConfig",
    "SourcesFile",
    "SourcesFileError",
    "crawl_source",
    "document_id",
    "load_sources",
    "replay_rewrite",
    "replay_server",
]
