"""The fetch runtime: retries, Retry-After, timeouts, redirects, limits, robots.txt, archive."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable

import pytest
from werkzeug import Request, Response

from tests.test_sources_support import Web
from tradecurbs.sources import Fetcher, FetchError, SourceState
from tradecurbs.sources.archive import RawArchive

SITE = "https://www.harbourledger.example"


@pytest.fixture
def web(httpserver) -> Web:  # noqa: ANN001
    return Web(httpserver)


def test_retries_a_500_then_succeeds(web: Web) -> None:
    web.serve(SITE + "/a", "busy", status=500, once=True)
    web.serve(SITE + "/a", "fine")
    with web.fetcher() as fetcher:
        result = fetcher.get(SITE + "/a")
    assert result.status == 200 and result.content == b"fine"
    assert web.requests_to(SITE + "/a") == 2


def test_gives_up_after_retries_and_returns_the_error_status(web: Web) -> None:
    web.serve(SITE + "/down", "down", status=502)
    with web.fetcher(retries=2) as fetcher:
        result = fetcher.get(SITE + "/down")
    assert result.status == 502 and web.requests_to(SITE + "/down") == 3
    with pytest.raises(FetchError, match=r"^HTTP 502 for https://www\.harbourledger\.example/down$"):
        result.raise_for_status()


def test_429_honours_retry_after(web: Web) -> None:
    web.serve(SITE + "/limited", "slow down", status=429, headers={"Retry-After": "1"}, once=True)
    web.serve(SITE + "/limited", "ok now")
    with web.fetcher(backoff_base=0.0) as fetcher:
        started = time.monotonic()
        result = fetcher.get(SITE + "/limited")
        waited = time.monotonic() - started
    assert result.content == b"ok now"
    assert waited >= 0.95  # the server's Retry-After, not the (zero) backoff


def test_a_retry_after_over_the_cap_fails_the_url_at_once(web: Web) -> None:
    web.serve(SITE + "/long", "later", status=503, headers={"Retry-After": "1000000000"}, once=True)
    web.serve(SITE + "/long", "done")
    with web.fetcher(retry_after_max=5) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError, match="asks to retry after 1000000000s, over the limit of 5s"):
            fetcher.get(SITE + "/long")
    assert time.monotonic() - started < 2
    assert web.requests_to(SITE + "/long") == 1


def test_timeout_is_a_fetch_error(web: Web) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response("late")

    web.server.expect_request(web.path(SITE + "/slow")).respond_with_handler(slow)
    with web.fetcher(timeout=0.2, retries=0) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(SITE + "/slow")
    assert str(caught.value).startswith(
        "timeout (ReadTimeout, limit 0.2s) fetching https://www.harbourledger"
    )
    assert "127.0.0.1" not in str(caught.value) and "localhost" not in str(caught.value)


def test_redirect_followed_with_canonical_urls(web: Web) -> None:
    web.serve(SITE + "/old", "", status=301, headers={"Location": "/new"})
    web.serve(SITE + "/new", "moved here")
    with web.fetcher() as fetcher:
        result = fetcher.get(SITE + "/old")
    assert (result.url, result.final_url, result.content) == (SITE + "/old", SITE + "/new", b"moved here")


def test_redirects_are_capped_and_schemes_checked(web: Web) -> None:
    web.serve(SITE + "/loop", "", status=302, headers={"Location": "/loop"})
    web.serve(SITE + "/ftp", "", status=302, headers={"Location": "ftp://files.example/x"})
    with web.fetcher(max_redirects=3) as fetcher:
        with pytest.raises(FetchError, match="too many redirects"):
            fetcher.get(SITE + "/loop")
        with pytest.raises(FetchError, match="refusing URL scheme 'ftp'"):
            fetcher.get(SITE + "/ftp")
        with pytest.raises(FetchError, match="refusing URL scheme 'file'"):
            fetcher.get("file:///etc/passwd")
    assert web.requests_to(SITE + "/loop") == 4


def test_loopback_refused_unless_allowed(web: Web) -> None:
    web.serve(SITE + "/a", "hello")
    with web.fetcher(allow_loopback=False) as fetcher, pytest.raises(FetchError, match="refusing loopback"):
        fetcher.get(SITE + "/a")
    with Fetcher(allow_loopback=False, respect_robots=False) as fetcher:
        for url in ("http://127.0.0.1:9/x", "http://localhost:9/x", "http://[::1]:9/x"):
            with pytest.raises(FetchError, match="refusing loopback"):
                fetcher.get(url)
        with pytest.raises(FetchError, match="refusing non-public address 10.1.2.3"):
            fetcher.get("http://10.1.2.3/x")
        with pytest.raises(FetchError, match="refusing non-public address 169.254.169.254"):
            fetcher.get("http://169.254.169.254/latest/meta-data/")
    assert web.requests_to(SITE + "/a") == 0


def test_robots_txt_disallow_is_honoured(web: Web) -> None:
    web.serve(SITE + "/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    web.serve(SITE + "/private/page", "secret")
    web.serve(SITE + "/public/page", "open")
    with web.fetcher() as fetcher:
        assert fetcher.get(SITE + "/public/page").content == b"open"
        with pytest.raises(
            FetchError, match=r"robots\.txt disallows https://www\.harbourledger\.example/private"
        ):
            fetcher.get(SITE + "/private/page")
    assert web.requests_to(SITE + "/private/page") == 0
    assert web.requests_to(SITE + "/robots.txt") == 1  # cached per origin


def test_robots_txt_server_error_disallows_everything(web: Web) -> None:
    web.serve(SITE + "/robots.txt", "oops", status=500)
    web.serve(SITE + "/page", "content")
    with web.fetcher(retries=0) as fetcher, pytest.raises(FetchError, match="robots.txt answered HTTP 500"):
        fetcher.get(SITE + "/page")


def test_body_size_is_capped(web: Web) -> None:
    web.serve(SITE + "/big", b"x" * 5000, "application/octet-stream")
    with web.fetcher(max_bytes=1000) as fetcher, pytest.raises(FetchError, match="response too large"):
        fetcher.get(SITE + "/big")


def test_minimum_interval_per_host(web: Web) -> None:
    web.serve(SITE + "/one", "1")
    web.serve(SITE + "/two", "2")
    web.serve("https://other.example/three", "3")
    with web.fetcher(min_interval=0.3) as fetcher:
        fetcher.get(SITE + "/one")  # the first requests of each host also read its robots.txt
        fetcher.get("https://other.example/three")
        time.sleep(0.35)
        fetcher.get(SITE + "/one")
        started = time.monotonic()
        fetcher.get("https://other.example/three")  # another host: no wait
        other_host = time.monotonic() - started
        fetcher.get(SITE + "/two")  # same host as the request just before: waits
        same_host = time.monotonic() - started
    assert other_host < 0.25 <= same_host


def test_user_agent_names_project_and_contact(web: Web) -> None:
    web.serve(SITE + "/ua", "ok")
    with web.fetcher(contact="mailto:data@tradecurbs.example") as fetcher:
        fetcher.get(SITE + "/ua")
    (request, _) = [entry for entry in web.server.log if entry[0].path.endswith("/ua")][0]
    assert request.headers["User-Agent"].startswith("tradecurbs/")
    assert "mailto:data@tradecurbs.example" in request.headers["User-Agent"]


def test_every_response_is_archived(web: Web, tmp_path) -> None:  # noqa: ANN001
    web.serve(SITE + "/page", "body one", headers={"X-Test": "yes"})
    web.serve(SITE + "/gone", "not here", status=404)
    with web.fetcher(tmp_path) as fetcher:
        fetcher.get(SITE + "/page")
        fetcher.get(SITE + "/gone")
        fetcher.get(SITE + "/page")
    archive = RawArchive(tmp_path / "raw")
    entries = list(archive.entries())
    by_url = {(e["url"], e["status"]) for e in entries}
    assert {(SITE + "/robots.txt", 404), (SITE + "/page", 200), (SITE + "/gone", 404)} <= by_url
    page = next(e for e in entries if e["url"] == SITE + "/page")
    assert archive.body(page["sha256"]) == b"body one"
    assert page["headers"]["x-test"] == "yes" and page["fetched_url"].startswith(web.base)
    assert page["fetched_at"].endswith("+00:00")
    objects = [p for p in (tmp_path / "raw" / "objects").rglob("*") if p.is_file()]
    assert len(objects) == len({e["sha256"] for e in entries})  # content-addressed: stored once
    assert all(json.loads(line) for line in (tmp_path / "raw" / "index.jsonl").read_text().splitlines())


def test_robots_crawl_delay_spaces_requests(web: Web) -> None:
    web.serve(SITE + "/robots.txt", "User-agent: *\nCrawl-delay: 0.4\n", "text/plain")
    web.serve(SITE + "/p1", "1")
    web.serve(SITE + "/p2", "2")
    with web.fetcher(min_interval=0.0) as fetcher:
        fetcher.get(SITE + "/p1")
        started = time.monotonic()
        fetcher.get(SITE + "/p2")
    assert time.monotonic() - started >= 0.35


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/page"
    fetcher = Fetcher(allow_loopback=True, backoff_base=0.01, retries=2, respect_robots=False, min_interval=0)
    with fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert str(caught.value) == f"connection error (ConnectError) fetching {url} (after 3 attempts)"


def _validating(body: bytes, tag: str) -> Callable[[Request], Response]:
    """A handler that answers like a server with validators: 304 when the ETag matches."""

    def handle(request: Request) -> Response:
        headers = {"ETag": tag, "Last-Modified": "Wed, 01 May 2024 12:00:00 GMT"}
        if request.headers.get("If-None-Match") == tag:
            return Response(status=304, headers=headers)
        return Response(body, headers=headers, content_type="text/html; charset=utf-8")

    return handle


def test_conditional_get_turns_a_304_into_the_archived_response(web: Web, tmp_path) -> None:  # noqa: ANN001
    web.server.expect_request(web.path(SITE + "/page")).respond_with_handler(_validating(b"stored", '"v1"'))
    with SourceState(tmp_path / "state.sqlite") as state, web.fetcher(tmp_path, state=state) as fetcher:
        first = fetcher.get(SITE + "/page")
        second = fetcher.get(SITE + "/page")
    sent = [r.headers for r, _ in web.server.log if r.path == web.path(SITE + "/page")]
    assert "If-None-Match" not in sent[0]
    assert (
        sent[1]["If-None-Match"] == '"v1"' and sent[1]["If-Modified-Since"] == "Wed, 01 May 2024 12:00:00 GMT"
    )
    assert not first.not_modified and second.not_modified
    assert (second.status, second.content, second.fetched_at) == (200, b"stored", first.fetched_at)
    assert second.content_type == "text/html; charset=utf-8" and second.final_url == SITE + "/page"
    stats = fetcher.stats
    assert (stats.requests, stats.conditional, stats.not_modified) == (3, 1, 1)  # robots.txt, page, page
    statuses = [e["status"] for e in RawArchive(tmp_path / "raw").entries() if e["url"] == SITE + "/page"]
    assert statuses == [200, 304]  # the 304 is archived as it came


def test_missing_archived_body_means_an_unconditional_get(web: Web, tmp_path) -> None:  # noqa: ANN001
    web.server.expect_request(web.path(SITE + "/page")).respond_with_handler(_validating(b"stored", '"v1"'))
    with SourceState(tmp_path / "state.sqlite") as state:
        with web.fetcher(tmp_path, state=state) as fetcher:
            fetcher.get(SITE + "/page")
        for body in (tmp_path / "raw" / "objects").rglob("*"):
            if body.is_file():
                body.unlink()
        with web.fetcher(tmp_path, state=state) as fetcher:
            again = fetcher.get(SITE + "/page")
        with web.fetcher(None, state=state) as fetcher:  # no archive to give a body back: no validators sent
            fetcher.get(SITE + "/page")
    assert again.content == b"stored" and not again.not_modified
    sent = [r.headers for r, _ in web.server.log if r.path == web.path(SITE + "/page")]
    assert ["If-None-Match" in h for h in sent] == [False, False, False]


def test_changed_resource_is_fetched_in_full_and_its_validators_replaced(web: Web, tmp_path) -> None:  # noqa: ANN001
    handler = web.server.expect_request(web.path(SITE + "/page"))
    handler.respond_with_handler(_validating(b"old", '"v1"'))
    with SourceState(tmp_path / "state.sqlite") as state:
        with web.fetcher(tmp_path, state=state) as fetcher:
            fetcher.get(SITE + "/page")
        handler.respond_with_handler(_validating(b"new", '"v2"'))
        with web.fetcher(tmp_path, state=state) as fetcher:
            changed = fetcher.get(SITE + "/page")
        assert (changed.content, changed.not_modified) == (b"new", False)
        assert state.validators(SITE + "/page").etag == '"v2"'
