"""Versioned, checksummed releases of the published tables, their deltas, and downloading them."""

from tradecurbs.releases.catalog import latest_release, list_releases, read_index
from tradecurbs.releases.delta import Delta, compute_delta
from tradecurbs.releases.download import DownloadError, FetchedFile, download_release
from tradecurbs.releases.publish import PublishedRelease, publish_release

__all__ = [
    "Delta",
    "DownloadError",
    "FetchedFile",
    "PublishedRelease",
    "compute_delta",
    "download_release",
    "latest_release",
    "list_releases",
    "publish_release",
    "read_index",
]
