"""Helpers shared by the test_sources_* modules (no tests here).

Fixture files keep canonical public URLs; the fetcher reaches the local pytest-httpserver through
``replay_rewrite``, exactly as a sample run reaches the replay server. ``Site`` lays recordings out
for the replay server itself, which answers with ETags and 304s like a real server.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pytest_httpserver import HTTPServer

from tradecurbs.sources import DocumentRecord, Fetcher, SourceConfig, SourceState, replay_rewrite
from tradecurbs.sources.replay import recording_path

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
SAMPLE_WEB = Path(__file__).resolve().parents[1] / "data" / "sample" / "web"


def fixture_bytes(name: str) -> bytes:
    """A fixture file's raw bytes."""
    return (FIXTURES / name).read_bytes()


def sample_bytes(url: str) -> bytes:
    """The embedded sample's recorded response for a canonical URL."""
    return (SAMPLE_WEB / recording_path(url)).read_bytes()


def zipped(name: str, data: bytes) -> bytes:
    """A zip archive holding one member."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


class Web:
    """Serves canonical URLs from a pytest-httpserver (through the replay URL map)."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.server.no_handler_status_code = 404  # unknown paths (and robots.txt) are 404s
        self.base = server.url_for("/").rstrip("/")

    def path(self, url: str) -> str:
        """The server path a canonical URL is rewritten to."""
        parts = urlsplit(url)
        return f"/{parts.hostname}{parts.path or '/'}"

    def serve(
        self,
        url: str,
        body: bytes | str,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
        once: bool = False,
    ) -> None:
        """Answer GETs of a canonical URL."""
        expect = self.server.expect_oneshot_request if once else self.server.expect_request
        expect(self.path(url), method="GET", query_string=query).respond_with_data(
            body, status=status, headers=headers, content_type=content_type
        )

    def serve_sample(self, url: str, content_type: str = "text/html; charset=utf-8", **kwargs: Any) -> None:
        """Answer GETs of a canonical URL (query included) with the sample's recording of it."""
        query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True)) or None
        self.serve(url, sample_bytes(url), content_type=content_type, query=query, **kwargs)

    def serve_file(self, url: str, name: str, content_type: str = "text/html", **kwargs: Any) -> None:
        """Answer GETs of a canonical URL with a fixture file."""
        self.serve(url, fixture_bytes(name), content_type=content_type, **kwargs)

    def requests_to(self, url: str) -> int:
        """How many requests reached the path of a canonical URL."""
        path = self.path(url)
        return sum(1 for request, _ in self.server.log if request.path == path)

    def fetcher(self, tmp_path: Path | None = None, **settings: Any) -> Fetcher:
        """A fast Fetcher that rewrites canonical URLs to this server."""
        options: dict[str, Any] = {
            "rewrite": replay_rewrite(self.base),
            "allow_loopback": True,
            "backoff_base": 0.01,
            "retries": 2,
            "timeout": 5.0,
            "archive_dir": (tmp_path / "raw") if tmp_path else None,
        }
        options.update(settings)
        return Fetcher(**options)


class Site:
    """Recordings under ``root``, written by canonical URL, for the replay server to serve."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, url: str, body: bytes | str) -> None:
        """Record (or change) the response of a canonical URL."""
        path = self.root / recording_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)

    def put_fixture(self, url: str, name: str) -> None:
        """Record a fixture file as the response of a canonical URL."""
        self.put(url, fixture_bytes(name))

    @staticmethod
    def fetcher(
        base: str, archive_dir: Path | None, state: SourceState | None = None, **settings: Any
    ) -> Fetcher:
        """A fast Fetcher that reaches the replay server at ``base``."""
        options: dict[str, Any] = {"backoff_base": 0.01, "retries": 1, "timeout": 5.0}
        options.update(settings)
        return Fetcher(
            rewrite=replay_rewrite(base), allow_loopback=True, archive_dir=archive_dir, state=state, **options
        )


def source(connector: str, url: str, kind: str = "news", **options: Any) -> SourceConfig:
    """A sources-file entry for tests."""
    return SourceConfig(
        id=f"test_{connector}",
        connector=connector,
        publisher="Test Publisher",
        kind=kind,
        url=url,
        language=options.pop("language", "en"),
        options=options,
    )


def by_url(records: list[DocumentRecord]) -> dict[str, DocumentRecord]:
    """Records keyed by URL (and checked to be unique by URL)."""
    keyed = {r.url: r for r in records}
    assert len(keyed) == len(records), "duplicate URLs in one crawl"
    return keyed
