"""Sources that attack or misbehave: every resource they control is bounded, every bad item stays one
failed row, and the address guard checks the address it connects to. All servers are on this machine."""

from __future__ import annotations

import ipaddress
import json
import socket
import time
import tracemalloc

import pytest

from tests.hostile_server import HostileServer, bomb, send, trickle
from tests.test_sources_support import Web, by_url, source, zipped
from tradecurbs.sources import Fetcher, FetchError, crawl_source
from tradecurbs.sources.archive import RawArchive
from tradecurbs.sources.netguard import AddressRefused, check_host
from tradecurbs.sources.records import utcnow

FEED = "https://www.harbourledger.example/rss/trade.xml"
PAGES = "https://www.harbourledger.example/trade/"
LASTUPDATE = "http://data.gdeltproject.org/gdeltv2/lastupdate.txt"
EXPORT = "http://data.gdeltproject.org/gdeltv2/20240305120000.export.CSV.zip"


@pytest.fixture
def hostile():
    with HostileServer().running() as server:
        yield server


@pytest.fixture
def web(httpserver) -> Web:  # noqa: ANN001
    return Web(httpserver)


def direct_fetcher(**settings) -> Fetcher:  # noqa: ANN003
    """A fetcher that talks to 127.0.0.1 directly (no replay map), with quick retries."""
    options = {"allow_loopback": True, "respect_robots": False, "backoff_base": 0.01, "retries": 2}
    return Fetcher(**{**options, **settings})


# -- bounded time -----------------------------------------------------------------------------------


def test_a_trickling_response_is_given_up_at_the_response_deadline(hostile: HostileServer) -> None:
    hostile.routes["/slow"] = trickle(every=0.2)  # never idle long enough for a stall timeout
    with direct_fetcher(deadline=1.5, timeout=1.0) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"no complete response within 1\.5s \(response deadline\)"):
            fetcher.get(hostile.base + "/slow")
    assert time.monotonic() - started < 4  # one attempt: a deadline is not retried
    assert hostile.requests.count("/slow") == 1


def test_a_silent_server_is_a_stall_timeout(hostile: HostileServer) -> None:
    hostile.routes["/silent"] = lambda req: time.sleep(3)
    with direct_fetcher(timeout=0.3, retries=0) as fetcher, pytest.raises(FetchError, match="ReadTimeout"):
        fetcher.get(hostile.base + "/silent")


# -- bounded memory ---------------------------------------------------------------------------------


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_compression_bombs_stop_at_the_size_cap(hostile: HostileServer, coding: str) -> None:
    payload = bomb(coding, 256 << 20)  # 256 MiB of zeros in well under 1 MiB
    hostile.routes["/bomb"] = lambda req: send(req, payload, Content_Encoding=coding)
    tracemalloc.start()
    try:
        with direct_fetcher(max_bytes=2_000_000) as fetcher, pytest.raises(FetchError, match="too large"):
            fetcher.get(hostile.base + "/bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(payload) < 1 << 20
    assert peak < 30 << 20  # never the 256 MiB the body expands to


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_compressed_bodies_within_the_cap_are_decoded(hostile: HostileServer, coding: str) -> None:
    hostile.routes["/small"] = lambda req: send(req, bomb(coding, 3 << 20), Content_Encoding=coding)
    with direct_fetcher(max_bytes=4 << 20) as fetcher:
        assert fetcher.get(hostile.base + "/small").content == b"\0" * (3 << 20)


def test_a_zip_bomb_export_is_one_failed_row(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADECURBS_LIMIT_ZIP_MAX_BYTES", str(1 << 20))
    web.serve(LASTUPDATE, f"1 abc {EXPORT}\n", "text/plain")
    web.serve(EXPORT, zipped("20240305120000.export.CSV", b"\t" * (64 << 20)), "application/zip")
    with web.fetcher() as fetcher:
        records = by_url(crawl_source(source("gdelt_events", LASTUPDATE), fetcher))
    assert records[EXPORT].status == "failed"
    assert "invalid zip archive" in records[EXPORT].error and "decompressed" in records[EXPORT].error


# -- one bad item is one failed row -----------------------------------------------------------------

ARTICLE = """<html><head><title>{title}</title>{head}
<meta property="article:published_time" content="2024-03-05T09:00:00Z"></head>
<body><article><h1>{title}</h1><p>{body}</p><p>The ministry said the measure takes effect at once and
covers all shipments leaving the country's ports from next month onwards.</p></article></body></html>"""


def _feed(links: list[str]) -> str:
    items = "".join(
        f"<item><title>Item {n}</title><link>{link}</link>"
        "<pubDate>Tue, 05 Mar 2024 09:30:00 GMT</pubDate></item>"
        for n, link in enumerate(links, start=1)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


def test_hostile_pages_fail_alone_and_the_source_goes_on(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADECURBS_LIMIT_HTML_MAX_TAGS", "5000")
    first, zlib_page, crowded, last = (
        PAGES + n for n in ("first.html", "zlib.html", "crowded.html", "last.html")
    )
    long_link = PAGES + "x" * 70_000
    web.serve(FEED, _feed([first, zlib_page, long_link, crowded, last]), "application/rss+xml")
    page = ARTICLE.format(
        title="Freedonia bans copper exports", head="", body="Freedonia banned copper exports."
    )
    web.serve(first, page)
    zlib_head = '<meta charset="zlib">'
    web.serve(
        zlib_page, ARTICLE.format(title="Zlib", head=zlib_head, body="Sylvania halts grain sales.").encode()
    )
    web.serve(crowded, "<html><body>" + "<p>x</p>" * 6000 + "</body></html>")
    web.serve(
        last, ARTICLE.format(title="Sylvania limits steel", head="", body="Sylvania limits steel imports.")
    )
    with web.fetcher() as fetcher:
        records = by_url(crawl_source(source("news_feed", FEED), fetcher))
    assert records[first].status == "ok" and records[last].status == "ok"  # the items after the bad ones
    assert records[zlib_page].status == "ok"  # a bytes-to-bytes "charset" is ignored, not a crash
    assert records[long_link].status == "failed" and records[long_link].error
    assert records[crowded].status == "failed" and "too complex" in records[crowded].error


def test_a_connector_crash_on_one_result_is_one_failed_row(web: Web) -> None:
    api = "https://www.federalregister.gov/api/v1/documents.json"
    results = [
        {"html_url": "https://www.federalregister.gov/d/1", "title": "A", "publication_date": "2024-03-01"},
        {
            "html_url": "https://www.federalregister.gov/d/2",
            "publication_date": "2024-03-01",
            "agencies": ["x"],
        },
        {"html_url": "https://www.federalregister.gov/d/3", "title": "C", "publication_date": "2024-03-02"},
    ]
    web.serve(api, json.dumps({"results": results}), "application/json")
    with web.fetcher() as fetcher:
        records = crawl_source(source("federal_register", api, kind="official"), fetcher)
    by = {r.url: r for r in records}
    assert by["https://www.federalregister.gov/d/1"].status == "ok"
    assert by["https://www.federalregister.gov/d/3"].status == "ok"  # after the crash
    crashed = by[f"{api}#result-2"]
    assert crashed.status == "failed" and crashed.error.startswith("AttributeError: ")


def test_a_torn_archive_index_line_loses_nothing_else(tmp_path) -> None:  # noqa: ANN001
    archive = RawArchive(tmp_path)
    kept = {"url": "https://a.example/1", "fetched_url": "https://a.example/1", "status": 200, "headers": {}}
    archive.add(**kept, fetched_at=utcnow(), body=b"one")
    with archive.index_path.open("a", encoding="utf-8") as index:
        index.write('{"url": "https://a.example/2", "sta')  # a crash in the middle of a line
    archive.add(
        **{**kept, "url": "https://a.example/3", "fetched_url": "https://a.example/3"},
        fetched_at=utcnow(),
        body=b"three",
    )
    assert [e["url"] for e in archive.entries()] == ["https://a.example/1", "https://a.example/3"]


# -- the address guard --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "100.64.0.1",  # shared address space (carrier-grade NAT)
        "198.18.0.1",  # benchmarking
        "2002:7f00:1::1",  # 6to4 carrying 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 carrying 169.254.169.254
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:10.0.0.1",
        "::127.0.0.1",  # IPv4-compatible
        "fd00::1",  # unique local
        "0.0.0.0",
    ],
)
def test_non_public_addresses_in_every_form_are_refused(address: str) -> None:
    with pytest.raises(AddressRefused, match="refusing"):
        check_host(address)


def test_teredo_fixture_really_carries_loopback() -> None:
    assert ipaddress.ip_address("2001:0:4136:e378:8000:63bf:80ff:fffe").teredo[1] == ipaddress.ip_address(
        "127.0.0.1"
    )


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700:4700::1111", "2002:5db8:d70e::1"])
def test_public_addresses_pass(address: str) -> None:
    assert check_host(address) == address


def test_dns_rebinding_reaches_only_the_address_checked(hostile: HostileServer, monkeypatch) -> None:  # noqa: ANN001
    """A resolver that answers 127.0.0.1 first and a metadata address after: the connection goes to the
    address the guard checked, and the host is resolved once."""
    hostile.routes["/x"] = lambda req: send(req, b"checked address")
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1"] + ["169.254.169.254"] * 10)
    calls: list[str] = []

    def rebinding(host, port, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        calls.append(host)
        return real(next(answers), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with direct_fetcher(retries=0) as fetcher:
        result = fetcher.get(f"http://rebind.example:{hostile.port}/x")
    assert result.content == b"checked address"
    assert calls == ["rebind.example"]


def test_redirect_to_a_private_address_is_refused(hostile: HostileServer) -> None:
    hostile.routes["/go"] = lambda req: send(
        req, b"", 302, Location="http://169.254.169.254/latest/meta-data/"
    )
    with direct_fetcher(retries=0) as fetcher, pytest.raises(FetchError, match="refusing non-public address"):
        fetcher.get(hostile.base + "/go")
