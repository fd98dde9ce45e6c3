"""An httpx transport that answers from the raw archive, so a release can be rebuilt with no network.

Each GET of a canonical URL gets the newest archived response for that URL (its status, headers
and body); a 304 entry only confirms the response before it, so it is passed over. A URL that was
never archived gets a 404 whose reason phrase and body say so. Responses carry their archived fetch
time in the extension ``ARCHIVED_AT`` and a miss carries ``NOT_ARCHIVED``, for the Fetcher to read.

``replay`` gives the response a GET of a URL gets, without a request: a fetcher answering from the
archive calls it directly, since building and sending an httpx request (its URL parsed twice, the
client's hooks and redirect bookkeeping) cost more than the replay itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from tradecurbs.sources.archive import RawArchive

ARCHIVED_AT = "tradecurbs.archived_at"
NOT_ARCHIVED = "tradecurbs.not_archived"
# The archive keeps bodies as httpx decoded them, so headers about the transfer no longer apply.
_TRANSFER_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


# URLs httpx spells as they are written: lowercase scheme and host (no IDNA), no port, no "." or ".."
# path segment, and only characters it never quotes (tests/test_sources_archive_transport.py checks it)
_PLAIN = re.compile(
    r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?(?:\?[A-Za-z0-9._~=&-]*)?"
)


def _key(url: str | httpx.URL) -> str:
    """A URL in the one spelling httpx gives it, so an archived URL and a request URL compare equal
    (parsed by httpx only when it may spell it otherwise: a parse costs about 0.1 ms)."""
    url = str(url)
    if _PLAIN.fullmatch(url) and "xn--" not in url:
        return url
    return str(httpx.URL(url))


class ArchiveTransport(httpx.BaseTransport):
    """Replays the newest archived response of each canonical URL (read once, when created)."""

    def __init__(self, archive_dir: str | Path) -> None:
        self.archive = RawArchive(archive_dir)
        self._newest: dict[str, dict[str, Any]] = {}
        self._keys: dict[str, str] = {}  # archived URL as written -> its key (the same string, the same key)
        for entry in self.archive.entries():  # oldest first: later entries win
            if entry["status"] != 304:
                key = self._keys[entry["url"]] = _key(entry["url"])
                self._newest[key] = entry

    def __contains__(self, url: str) -> bool:
        return _key(url) in self._newest

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "GET":
            message = f"the raw archive only answers GET, not {request.method}"
            answer = self._refusal(405, b"Method Not Allowed", message)
        else:  # the request's URL is the archived URL as httpx spells it (both were parsed by httpx)
            answer = self._answer(str(request.url))
        return httpx.Response(
            answer.status, headers=answer.headers, content=answer.content, extensions=answer.extensions
        )

    def replay(self, url: str) -> Replayed:
        """What a GET of ``url`` gets, without building a request (httpx.InvalidURL for a URL httpx
        cannot parse, as a request for it would raise)."""
        return self._answer(self._keys.get(url) or _key(url))

    def _answer(self, key: str) -> Replayed:
        entry = self._newest.get(key)
        if entry is None:
            message = f"no archived response for {key}"
            return self._refusal(404, b"Not In Raw Archive", message, {NOT_ARCHIVED: True})
        headers = [(k, v) for k, v in entry["headers"].items() if k.lower() not in _TRANSFER_HEADERS]
        return _replayed(
            entry["status"],
            headers,
            self.archive.body(entry["sha256"]),
            {ARCHIVED_AT: datetime.fromisoformat(entry["fetched_at"])},
        )

    @staticmethod
    def _refusal(
        status: int, reason: bytes, message: str, extensions: dict[str, Any] | None = None
    ) -> Replayed:
        headers = [("Content-Type", "text/plain; charset=utf-8")]
        return _replayed(
            status, headers, message.encode("utf-8"), {"reason_phrase": reason, **(extensions or {})}
        )


@dataclass(frozen=True)
class Replayed:
    """An archived answer: what the transport's httpx.Response holds (its headers as httpx would give
    them, with the Content-Length it adds), without the cost of making one."""

    status: int
    headers: httpx.Headers
    content: bytes
    extensions: dict[str, Any]


def _replayed(
    status: int, headers: list[tuple[str, str]], body: bytes, extensions: dict[str, Any]
) -> Replayed:
    return Replayed(status, httpx.Headers([*headers, ("Content-Length", str(len(body)))]), body, extensions)
