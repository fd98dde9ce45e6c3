"""Versioned, checksummed releases of the published tables."""

from tradecurbs.releases.catalog import latest_release, list_releases, read_index
from tradecurbs.releases.publish import PublishedRelease, publish_release

__all__ = ["PublishedRelease", "latest_release", "list_releases", "publish_release", "read_index"]
