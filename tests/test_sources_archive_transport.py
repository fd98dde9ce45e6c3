"""Rebuilding from the raw archive: the same records as the live crawl, with no network at all."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.test_sources_support import Site, Web, source
from tradecurbs.resources import bundled
from tradecurbs.sources import (
    ArchiveTransport,
    Fetcher,
    FetchError,
    SourceState,
    crawl_source,
    load_sources,
    replay_rewrite,
    replay_server,
)
from tradecurbs.sources.archive import RawArchive
from tradecurbs.sources.archive_transport import ARCHIVED_AT, _key

FEED = "https://www.harbourledger.example/rss/trade.xml"
ARTICLES = "https://www.harbourledger.example/trade/"
PAGES = ("copper-ban.html", "broken.html", "undated.html", "steel-tariff.html")  # removed.html: a 404


@pytest.fixture
def site(tmp_path: Path) -> Site:
    site = Site(tmp_path / "web")
    site.put_fixture(FEED, "feeds/harbour.rss")
    for name in PAGES:
        site.put_fixture(ARTICLES + name, f"pages/{name}")
    return site


def index_lines(raw: Path) -> int:
    return len((raw / "index.jsonl").read_text(encoding="utf-8").splitlines())


def test_rebuild_reproduces_the_live_records_exactly(site: Site, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    entry = source("news_feed", FEED)
    with replay_server(site.root) as base, site.fetcher(base, raw) as fetcher:
        live = crawl_source(entry, fetcher)
    archived = index_lines(raw)

    # the server is gone, and the canonical hosts do not even resolve: only the archive can answer
    with Fetcher.from_archive(raw) as fetcher:
        rebuilt = crawl_source(entry, fetcher)

    assert {r.status for r in live} == {"ok", "failed"} and len(live) == 5
    assert rebuilt == live  # every field: text, digests, errors, and the archived fetch times
    assert index_lines(raw) == archived  # nothing archived again
    assert fetcher.stats.requests == 7  # robots.txt, the feed, five pages; no retries of the 404


def test_unarchived_url_becomes_a_clear_failure(site: Site, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    with replay_server(site.root) as base, site.fetcher(base, raw) as fetcher:
        crawl_source(source("news_feed", FEED, max_items=1), fetcher)  # archives copper-ban.html only

    with Fetcher.from_archive(raw) as fetcher:
        records = {r.url: r for r in crawl_source(source("news_feed", FEED), fetcher)}

    assert records[ARTICLES + "copper-ban.html"].status == "ok"
    missing = records[ARTICLES + "steel-tariff.html"]
    assert missing.status == "failed"
    assert missing.error == f"not in the raw archive: {ARTICLES}steel-tariff.html"


def test_redirects_and_robots_are_answered_from_the_archive(httpserver, tmp_path: Path) -> None:  # noqa: ANN001
    web = Web(httpserver)
    site = "https://www.harbourledger.example"
    web.serve(site + "/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    web.serve(site + "/old", "", status=301, headers={"Location": "/new"})
    web.serve(site + "/new", "moved here")
    with web.fetcher(tmp_path) as fetcher:
        live = fetcher.get(site + "/old")
    httpserver.clear()  # the live server answers nothing any more

    with Fetcher.from_archive(tmp_path / "raw") as fetcher:
        again = fetcher.get(site + "/old")
        with pytest.raises(FetchError, match="robots.txt disallows"):
            fetcher.get(site + "/private/page")

    assert (again.final_url, again.content, again.fetched_at) == (
        live.final_url,
        live.content,
        live.fetched_at,
    )
    assert again.final_url == site + "/new" and not again.not_modified


T1 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
T2 = datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
T3 = datetime(2024, 5, 3, 8, 0, tzinfo=UTC)


def test_transport_answers_the_newest_response_and_404s_the_rest(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    page, packed = "https://a.example/page", "https://a.example/packed"

    def add(url: str, status: int, at: datetime, body: bytes, **headers: str) -> None:
        archive.add(url=url, fetched_url=url, status=status, headers=headers, fetched_at=at, body=body)

    add(page, 200, T1, b"old", etag='"1"')
    add(page, 200, T2, b"new", etag='"2"')
    add(page, 304, T3, b"")  # only confirms the response before it
    add(packed, 200, T1, b"plain text", **{"content-encoding": "gzip", "content-length": "99"})

    with httpx.Client(transport=ArchiveTransport(tmp_path)) as client:
        newest = client.get(page)
        unpacked = client.get(packed)  # kept decoded: no content-encoding is replayed
        missing = client.get("https://a.example/never")
        posted = client.post(page)

    assert (newest.status_code, newest.content, newest.headers["etag"]) == (200, b"new", '"2"')
    assert newest.extensions[ARCHIVED_AT] == T2
    assert unpacked.content == b"plain text" and "content-encoding" not in unpacked.headers
    assert (missing.status_code, missing.reason_phrase) == (404, "Not In Raw Archive")
    assert missing.text == "no archived response for https://a.example/never"
    assert posted.status_code == 405


def test_archive_fetcher_takes_no_archive_state_or_rewrite(tmp_path: Path) -> None:
    RawArchive(tmp_path / "raw")
    for settings in (
        {"archive_dir": tmp_path / "again"},
        {"state": SourceState(tmp_path / "state.sqlite")},
        {"rewrite": replay_rewrite("http://127.0.0.1:9")},
    ):
        with pytest.raises(ValueError, match="raw archive takes no"):
            Fetcher.from_archive(tmp_path / "raw", **settings)


SAMPLE = bundled("sample") / "sources.yml"


@pytest.mark.skipif(not (SAMPLE.parent / "web").is_dir(), reason="the sample corpus is not in this checkout")
def test_sample_corpus_rebuilds_identically(tmp_path: Path) -> None:
    sf = load_sources(SAMPLE)
    raw = tmp_path / "raw"
    with (
        replay_server(sf.replay) as base,
        Fetcher(rewrite=replay_rewrite(base), allow_loopback=True, archive_dir=raw) as fetcher,
    ):
        live = [crawl_source(entry, fetcher, publishers=sf.publishers) for entry in sf.sources]
    with Fetcher.from_archive(raw) as fetcher:
        rebuilt = [crawl_source(entry, fetcher, publishers=sf.publishers) for entry in sf.sources]
    assert rebuilt == live


def test_direct_replay_answers_what_a_client_of_the_transport_gets(tmp_path: Path) -> None:
    """A fetcher answering from the archive asks the transport directly (no httpx request per page):
    status, headers (in order, with the Content-Length httpx adds), body and extensions must be what
    an httpx client sending the same GET gets, for URLs spelled as httpx spells them or not."""
    archive = RawArchive(tmp_path)
    urls = {
        "https://a.example/page": b"old",
        "https://a.example/page?x=1&y=2": b"query",
        "HTTPS://B.example/a/./b/../Caf\u00e9 page": b"respelled",
        "https://a.example/packed": b"plain text",
    }
    for n, (url, body) in enumerate(urls.items()):
        headers = {"content-type": "text/html", "content-encoding": "gzip", "x-order": str(n)}
        archive.add(url=url, fetched_url=url, status=200, headers=headers, fetched_at=T1, body=body)
    archive.add(
        url="https://a.example/gone",
        fetched_url="https://a.example/gone",
        status=410,
        headers={},
        fetched_at=T2,
        body=b"",
    )
    asked = [
        *urls,
        "https://b.example/a/Caf%C3%A9%20page",
        "https://a.example/gone",
        "https://a.example/never",
    ]
    transport = ArchiveTransport(tmp_path)
    with httpx.Client(transport=transport) as client:
        for url in asked:
            sent, direct = client.get(url), transport.replay(url)
            assert direct.status == sent.status_code, url
            assert direct.headers.raw == sent.headers.raw, url
            assert (direct.content, direct.extensions) == (sent.content, sent.extensions), url
    with Fetcher.from_archive(tmp_path, respect_robots=False) as fetcher:
        assert fetcher.get("https://b.example/a/Caf%C3%A9%20page").content == b"respelled"
        assert fetcher.get("https://a.example/gone").status == 410
        with pytest.raises(FetchError, match="not in the raw archive"):
            fetcher.get("https://a.example/never")
    with (
        Fetcher.from_archive(tmp_path, respect_robots=False, max_bytes=5) as fetcher,
        pytest.raises(FetchError, match=r"response too large \(10 bytes, limit 5\)"),
    ):
        fetcher.get("https://a.example/packed")


def test_archive_keys_skip_httpx_only_for_urls_it_spells_as_written() -> None:
    """``_key`` returns a plain URL as it is, without parsing it: for thousands of random URLs made of
    the characters httpx treats specially, it gives exactly httpx's spelling (or httpx's error)."""
    rng = random.Random(15)
    hosts, tails = "ab-.0X", "aZ09.-_~/?=&%:#@ xX.-/\u00e9"
    for _ in range(20_000):
        url = (
            rng.choice(["http://", "https://", "HTTP://"])
            + "".join(rng.choice(hosts) for _ in range(rng.randint(0, 6)))
            + "".join(rng.choice(tails) for _ in range(rng.randint(0, 12)))
        )
        try:
            spelled = str(httpx.URL(url))
        except httpx.InvalidURL:
            with pytest.raises(httpx.InvalidURL):
                _key(url)
            continue
        assert _key(url) == spelled, url
