"""Incremental runs: conditional requests, 304s, unchanged documents, retries of failures, the state file."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.test_sources_support import Site, source
from tradecurbs.resources import bundled
from tradecurbs.sources import (
    CrawlOutcome,
    CrawlRun,
    SourceConfig,
    SourceState,
    load_sources,
    replay_server,
    run_crawl,
)
from tradecurbs.sources.archive import RawArchive
from tradecurbs.sources.records import Origin, failed_record, ok_record
from tradecurbs.sources.replay import etag

FEED = "https://www.harbourledger.example/rss/trade.xml"
ARTICLES = "https://www.harbourledger.example/trade/"
PAGES = ("copper-ban.html", "broken.html", "undated.html", "steel-tariff.html")  # removed.html: a 404
GOOD = [ARTICLES + "copper-ban.html", ARTICLES + "steel-tariff.html"]
FAILED = {ARTICLES + name for name in ("removed.html", "broken.html", "undated.html")}


@pytest.fixture
def site(tmp_path: Path) -> Site:
    site = Site(tmp_path / "web")
    site.put_fixture(FEED, "feeds/harbour.rss")
    for name in PAGES:
        site.put_fixture(ARTICLES + name, f"pages/{name}")
    return site


def crawl(site: Site, tmp_path: Path, entry: SourceConfig | None = None) -> CrawlOutcome:
    """One run, as the pipeline makes it: a fresh state object and fetcher on the same files."""
    with (
        SourceState(tmp_path / "state.sqlite") as state,
        replay_server(site.root) as base,
        site.fetcher(base, tmp_path / "raw", state) as fetcher,
    ):
        return run_crawl(entry or source("news_feed", FEED), fetcher)


def archived(tmp_path: Path, url: str) -> list[int]:
    """The statuses archived for a URL, oldest first: one per request sent."""
    return [e["status"] for e in RawArchive(tmp_path / "raw").entries() if e["url"] == url]


def test_unchanged_feed_is_revalidated_and_yields_nothing_new(site: Site, tmp_path: Path) -> None:
    first = crawl(site, tmp_path)
    assert (first.n_new, first.n_failed, first.n_unchanged) == (2, 3, 0)
    assert first.fetch_stats.conditional == 0 and first.fetch_stats.not_modified == 0

    second = crawl(site, tmp_path)

    assert second.n_new == 0 and second.unchanged == GOOD
    # failures are not ingested, so they are tried again (and fail again the same way)
    assert {r.url for r in second.records} == FAILED
    # robots.txt (a 404 has no validators), feed, and the three failed pages: the good ones are not asked for
    stats = second.fetch_stats
    assert (stats.requests, stats.conditional, stats.not_modified) == (5, 3, 3)
    assert archived(tmp_path, FEED) == [200, 304]
    assert archived(tmp_path, ARTICLES + "broken.html") == [200, 304]
    assert archived(tmp_path, ARTICLES + "copper-ban.html") == [200]
    assert archived(tmp_path, ARTICLES + "removed.html") == [404, 404]
    # a 304 gives back the earlier response as it was, so a failure of that page is the same record
    before = {r.url: r for r in first.records}
    assert all(r == before[r.url] for r in second.records if not r.url.endswith("removed.html"))

    with SourceState(tmp_path / "state.sqlite") as state:
        last = state.runs("test_news_feed")[-1]
        (summary,) = state.source_summaries()
    assert (last.n_documents, last.n_new, last.n_unchanged, last.n_failed) == (3, 0, 2, 3)
    assert (last.n_requests, last.n_not_modified) == (5, 3)
    assert f"{ARTICLES}removed.html: HTTP 404 for {ARTICLES}removed.html" in last.errors
    assert summary["source_id"] == "test_news_feed" and summary["runs"] == 2
    assert (summary["documents"], summary["failed_documents"], summary["last_n_new"]) == (2, 3, 0)
    assert summary["last_finished_at"] >= summary["last_started_at"]


def test_changed_feed_is_fetched_again_and_its_new_item_ingested(site: Site, tmp_path: Path) -> None:
    crawl(site, tmp_path)
    rss = (site.root / "www.harbourledger.example/rss/trade.xml").read_text(encoding="utf-8")
    item = (
        "<item><title>Ostland lifts its ban on fertiliser imports</title>"
        f"<link>{ARTICLES}fertiliser.html</link><pubDate>Sat, 01 Jun 2024 16:15:00 GMT</pubDate></item>"
    )
    changed = rss.replace("<item>", item + "<item>", 1)
    site.put(FEED, changed)
    site.put_fixture(ARTICLES + "fertiliser.html", "pages/fertiliser.html")

    second = crawl(site, tmp_path)

    assert second.n_new == 1 and second.unchanged == GOOD
    (new,) = [r for r in second.records if r.status == "ok"]
    assert new.url == ARTICLES + "fertiliser.html" and "potash" in new.text
    assert archived(tmp_path, FEED) == [200, 200]  # asked conditionally, answered in full
    assert second.fetch_stats.not_modified == 2  # only the failed pages were unchanged
    with SourceState(tmp_path / "state.sqlite") as state:
        assert state.validators(FEED).etag == etag(changed.encode("utf-8"))
        assert state.is_ingested(ARTICLES + "fertiliser.html", "test_news_feed")


def test_failed_document_is_retried_and_ingested_once_it_works(site: Site, tmp_path: Path) -> None:
    first = crawl(site, tmp_path)
    assert {r.url: r.error for r in first.records}[ARTICLES + "removed.html"].startswith("HTTP 404")
    site.put_fixture(ARTICLES + "removed.html", "pages/copper-ban.html")  # back online

    second = crawl(site, tmp_path)
    third = crawl(site, tmp_path)

    assert [r.url for r in second.records if r.status == "ok"] == [ARTICLES + "removed.html"]
    assert ARTICLES + "removed.html" in third.unchanged and third.n_new == 0
    assert archived(tmp_path, ARTICLES + "removed.html") == [404, 200]


FR_API = "https://www.federalregister.gov/api/v1/documents.json?conditions[agencies][]=test-bureau"
FR_DOCS = "https://www.federalregister.gov/documents/2024/"


def _fr_page(abstract: str) -> str:
    results = [
        {
            "html_url": FR_DOCS + "a",
            "title": "Rule A",
            "publication_date": "2024-02-27",
            "abstract": abstract,
        },
        {"html_url": FR_DOCS + "b", "title": "Rule B", "publication_date": "2024-02-26", "abstract": "Same."},
    ]
    return json.dumps({"count": 2, "results": results})


def test_listing_connector_unchanged_and_changed_documents(tmp_path: Path) -> None:
    site = Site(tmp_path / "web")
    site.put(FR_API, _fr_page("A licence is required."))
    entry = source("federal_register", FR_API, kind="official")

    first = crawl(site, tmp_path, entry)
    second = crawl(site, tmp_path, entry)
    site.put(FR_API, _fr_page("A licence is required, with exceptions."))
    third = crawl(site, tmp_path, entry)

    assert first.n_new == 2 and first.unchanged == []
    assert second.records == [] and second.unchanged == [FR_DOCS + "a", FR_DOCS + "b"]
    assert second.fetch_stats.not_modified == 1
    (changed,) = third.records
    assert changed.url == FR_DOCS + "a" and "with exceptions" in changed.text
    assert third.unchanged == [FR_DOCS + "b"]


def test_documents_are_tracked_per_source(site: Site, tmp_path: Path) -> None:
    crawl(site, tmp_path)
    other = SourceConfig(
        id="other_feed", connector="news_feed", publisher="Other", kind="news", url=FEED, language="en"
    )
    second = crawl(site, tmp_path, other)  # another source yields the same URLs: its own first time
    assert second.n_new == 2 and second.unchanged == []


# -- the store itself ------------------------------------------------------------------------------

ORIGIN = Origin("src_a", "Publisher A", "news", "en")
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_state_persists_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "state.sqlite"
    good = ok_record(ORIGIN, "https://a.example/1", "text one", title="One", published_at=T0)
    with SourceState(path) as state:
        state.remember_response(
            "https://a.example/1", '"v1"', "Wed, 01 May 2024 12:00:00 GMT", "ab" * 32, 200, T0,
            {"content-type": "text/html"},
        )  # fmt: skip
        state.mark_documents([good, failed_record(ORIGIN, "https://a.example/2", "HTTP 500")], seen_at=T0)

    with SourceState(path) as state:
        kept = state.validators("https://a.example/1")
        assert kept.etag == '"v1"' and kept.fetched_at == T0 and kept.headers == {"content-type": "text/html"}
        assert kept.request_headers() == {
            "If-None-Match": '"v1"',
            "If-Modified-Since": "Wed, 01 May 2024 12:00:00 GMT",
        }
        assert state.validators("https://a.example/other") is None
        assert state.is_ingested("https://a.example/1") and state.is_ingested("https://a.example/1", "src_a")
        assert not state.is_ingested("https://a.example/1", "src_b")
        assert not state.is_ingested("https://a.example/2")  # failed: not ingested
        assert state.ingested_sha256("https://a.example/1") == good.content_sha256
        # a later failure of an ingested document does not undo it
        state.mark_documents([failed_record(ORIGIN, "https://a.example/1", "HTTP 503")])
        assert state.is_ingested("https://a.example/1")


def test_state_is_safe_from_threads(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    shared = SourceState(path)

    def work(i: int) -> None:
        own = SourceState(path) if i % 2 else None  # half share one object, half open their own
        state = own or shared
        origin = Origin(f"src_{i % 4}", "P", "news", "en")
        for j in range(10):
            url = f"https://t.example/{i}/{j}"
            state.remember_response(url, f'"{i}-{j}"', None, "cd" * 32, 200, T0)
            state.mark_documents([ok_record(origin, url, f"text {i} {j}", title=None, published_at=T0)])
            assert state.is_ingested(url, origin.source_id)
        state.record_run(CrawlRun(origin.source_id, T0, T0 + timedelta(seconds=i), 10, 10, 0, 0, ("x",)))
        if own:
            own.close()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(16)))
    summaries = {s["source_id"]: s for s in shared.source_summaries()}
    shared.close()
    assert sorted(summaries) == ["src_0", "src_1", "src_2", "src_3"]
    assert all(
        s["runs"] == 4 and s["documents"] == 40 and s["last_errors"] == ["x"] for s in summaries.values()
    )


SAMPLE = bundled("sample") / "sources.yml"


@pytest.mark.skipif(not (SAMPLE.parent / "web").is_dir(), reason="the sample corpus is not in this checkout")
def test_sample_corpus_second_run_in_threads_finds_nothing_new(tmp_path: Path) -> None:
    sf = load_sources(SAMPLE)

    def run(state: SourceState, base: str, entry: SourceConfig) -> CrawlOutcome:
        with Site.fetcher(base, tmp_path / "raw", state) as fetcher:  # one fetcher per task, as in the flow
            return run_crawl(entry, fetcher, publishers=sf.publishers)

    def all_sources() -> list[CrawlOutcome]:
        with (
            SourceState(tmp_path / "state.sqlite") as state,
            replay_server(sf.replay) as base,
            ThreadPoolExecutor(4) as pool,
        ):
            return list(pool.map(lambda entry: run(state, base, entry), sf.sources))

    first, second = all_sources(), all_sources()

    assert all(o.n_new > 0 for o in first)
    assert [o.n_new for o in second] == [0] * len(sf.sources)
    assert [o.n_unchanged for o in second] == [o.n_new for o in first]
    assert sum(o.fetch_stats.not_modified for o in second) > 0
    with SourceState(tmp_path / "state.sqlite") as state:
        summaries = state.source_summaries()
    assert sorted(s["source_id"] for s in summaries) == sorted(e.id for e in sf.sources)
    assert all(s["runs"] == 2 and s["last_n_new"] == 0 for s in summaries)
