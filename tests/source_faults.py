"""Faults for the connector tests (no tests here): a server that answers too late, recorded pauses.

``hold`` keeps a URL's answer back until the test releases it, so a fetcher with a short timeout
gives up without the test sleeping; ``record_waits`` makes the fetcher note the pauses it would take
between attempts (backoff, Retry-After) instead of sleeping, so tests assert them without timing.
"""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from werkzeug import Request, Response

from tests.test_sources_support import Web
from tradecurbs.sources import fetch


def hold(web: Web, url: str) -> threading.Event:
    """Serve ``url`` only after the returned event is set (or after 10 s)."""
    release = threading.Event()

    def late(request: Request) -> Response:
        release.wait(10)
        return Response("too late", content_type="text/html")

    web.server.expect_request(web.path(url)).respond_with_handler(late)
    return release


def record_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses the fetcher asks for between attempts, recorded instead of slept."""
    waits: list[float] = []
    monkeypatch.setattr(fetch, "time", SimpleNamespace(sleep=waits.append, monotonic=time.monotonic))
    return waits
