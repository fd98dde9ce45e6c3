"""An httpx transport that answers from the raw archive, so a release can be rebuilt with no network.

Each GET of a canonical URL gets the newest archived response for that URL (its status, headers
and body); a 304 entry only confirms the response before it, so it is passed over. A URL that was
never archived gets a 404 whose reason phrase and body say so. Responses carry their archived fetch
time in the extension ``ARCHIVED_AT`` and a miss carries ``NOT_ARCHIVED``, for the Fetcher to read.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from tradecurbs.sources.archive import RawArchive

ARCHIVED_AT = "tradecurbs.archived_at"
NOT_ARCHIVED = "tradecurbs.not_archived"
# The archive keeps bodies as httpx decoded them, so headers about the transfer no longer apply.
_TRANSFER_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _key(url: str | httpx.URL) -> str:
    """A URL in the one spelling httpx gives it, so an archived URL and a request URL compare equal."""
    return str(httpx.URL(str(url)))


class ArchiveTransport(httpx.BaseTransport):
    """Replays the newest archived response of each canonical URL (read once, when created)."""

    def __init__(self, archive_dir: str | Path) -> None:
        self.archive = RawArchive(archive_dir)
        self._newest: dict[str, dict[str, Any]] = {}
        for entry in self.archive.entries():  # oldest first: later entries win
            if entry["status"] != 304:
                self._newest[_key(entry["url"])] = entry

    def __contains__(self, url: str) -> bool:
        return _key(url) in self._newest

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "GET":
            message = f"the raw archive only answers GET, not {request.method}"
            return self._refusal(405, b"Method Not Allowed", message)
        # the request's URL is the archived URL as httpx spells it (both were parsed once by httpx)
        entry = self._newest.get(str(request.url))
        if entry is None:
            message = f"no archived response for {request.url}"
            return self._refusal(404, b"Not In Raw Archive", message, {NOT_ARCHIVED: True})
        headers = [(k, v) for k, v in entry["headers"].items() if k.lower() not in _TRANSFER_HEADERS]
        return httpx.Response(
            entry["status"],
            headers=headers,
            content=self.archive.body(entry["sha256"]),
            extensions={ARCHIVED_AT: datetime.fromisoformat(entry["fetched_at"])},
        )

    @staticmethod
    def _refusal(
        status: int, reason: bytes, message: str, extensions: dict[str, Any] | None = None
    ) -> httpx.Response:
        return httpx.Response(
            status,
            headers={"Content-Type": "text/plain; charset=utf-8"},
            content=message.encode("utf-8"),
            extensions={"reason_phrase": reason, **(extensions or {})},
        )
