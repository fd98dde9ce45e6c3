"""news_feed connector: RSS and Atom feeds, article pages, dates, encodings and failures."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.source_faults import hold, record_waits
from tests.test_sources_support import Web, by_url, source
from tradecurbs.sources import crawl_source, document_id
from tradecurbs.sources.ads import is_advertisement

FEED = "https://www.harbourledger.example/rss/trade.xml"
ARTICLES = "https://www.harbourledger.example/trade/"
EDGE = Path(__file__).parent / "fixtures" / "edge_cases" / "news"
BULLETIN = "https://www.tradebulletin.example/"


@pytest.fixture
def web(httpserver) -> Web:  # noqa: ANN001
    return Web(httpserver)


def test_rss_good_items_survive_bad_neighbours(web: Web, tmp_path) -> None:  # noqa: ANN001
    web.serve_file(FEED, "feeds/harbour.rss", "application/rss+xml")
    web.serve_file(ARTICLES + "copper-ban.html", "pages/copper-ban.html")
    web.serve_file(ARTICLES + "broken.html", "pages/broken.html")
    web.serve_file(ARTICLES + "undated.html", "pages/undated.html")
    web.serve_file(ARTICLES + "steel-tariff.html", "pages/steel-tariff.html")
    # removed.html is not served: the server answers 404

    with web.fetcher(tmp_path) as fetcher:
        records = by_url(crawl_source(source("news_feed", FEED), fetcher))

    assert set(records) == {
        ARTICLES + name
        for name in ("copper-ban.html", "removed.html", "broken.html", "undated.html", "steel-tariff.html")
    }
    good = records[ARTICLES + "copper-ban.html"]
    assert good.status == "ok" and good.error is None
    assert good.document_id == document_id(ARTICLES + "copper-ban.html")
    assert good.title == "Freedonia bans copper concentrate exports to Sylvania"
    assert good.published_at == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)  # +0100 in the feed
    assert "tariff heading 2603" in good.text and "Copyright" not in good.text
    assert good.n_chars == len(good.text) and len(good.content_sha256) == 64
    assert good.publisher == "Test Publisher" and good.source_kind == "news" and good.language == "en"
    assert good.fetched_at.tzinfo is not None

    dated_by_page = records[ARTICLES + "steel-tariff.html"]
    assert dated_by_page.status == "ok"
    assert dated_by_page.published_at == datetime(2024, 3, 7, 13, 20, tzinfo=UTC)  # JSON-LD datePublished

    assert records[ARTICLES + "removed.html"].error == f"HTTP 404 for {ARTICLES}removed.html"
    assert records[ARTICLES + "broken.html"].error == "no article text found in page"
    undated = records[ARTICLES + "undated.html"]
    assert undated.error == "no publication date in feed item or page metadata"
    for record in records.values():
        if record.status == "failed":
            assert record.n_chars == 0 and record.content_sha256 is None and record.text == ""
    assert web.requests_to(ARTICLES + "copper-ban.html") == 1  # the repeated item is fetched once


def test_atom_relative_link_and_item_date(web: Web) -> None:
    feed = "https://quay.example/feed.atom"
    web.serve_file(feed, "feeds/quay.atom", "application/atom+xml")
    web.serve_file("https://quay.example/2024/06/fertiliser.html", "pages/fertiliser.html")

    with web.fetcher() as fetcher:
        (record,) = crawl_source(source("news_feed", feed), fetcher)

    assert record.url == "https://quay.example/2024/06/fertiliser.html"
    assert record.status == "ok"
    assert record.published_at == datetime(2024, 6, 1, 16, 15, tzinfo=UTC)
    assert "potash" in record.text


def test_gb2312_feed_and_page_decode(web: Web) -> None:
    feed = "https://news.dongluwire.example/rss.xml"
    page = "https://news.dongluwire.example/2024/05/rare-earth.html"
    web.serve_file(feed, "feeds/donglu-gb2312.rss", "application/rss+xml")  # charset only in the XML
    web.serve_file(page, "pages/rare-earth-gb2312.html", "text/html")  # charset only in <meta>

    with web.fetcher() as fetcher:
        (record,) = crawl_source(source("news_feed", feed, language="zh-Hans"), fetcher)

    assert record.status == "ok", record.error
    assert record.title == "某国宣布暂停稀土原料出口"
    assert "暂停稀土原料出口" in record.text and "下游制造商" in record.text
    assert record.published_at == datetime(2024, 5, 20, 1, 30, tzinfo=UTC)
    assert record.language == "zh-Hans"


def test_windows_1251_page_decoded_from_http_charset(web: Web) -> None:
    feed = "https://ostland.example/feed.rss"
    page = "https://ostland.example/grain.html"
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Ostland</title>'
        f"<item><title>Grain</title><link>{page}</link></item></channel></rss>"
    )
    web.serve(feed, rss, "application/rss+xml")
    web.serve_file(page, "pages/grain-cp1251.html", "text/html; charset=windows-1251")

    with web.fetcher() as fetcher:
        (record,) = crawl_source(source("news_feed", feed, language="ru"), fetcher)

    assert record.status == "ok", record.error
    assert "запрет на вывоз пшеницы" in record.text
    assert record.published_at == datetime(2024, 4, 10, 5, 0, tzinfo=UTC)  # article:published_time


def test_failed_and_malformed_feeds_are_recorded_under_the_feed_url(web: Web) -> None:
    broken = "https://www.harbourledger.example/rss/broken.xml"
    missing = "https://www.harbourledger.example/rss/missing.xml"
    web.serve_file(broken, "feeds/broken.rss", "application/rss+xml")

    with web.fetcher() as fetcher:
        (bad,) = crawl_source(source("news_feed", broken), fetcher)
        (gone,) = crawl_source(source("news_feed", missing), fetcher)

    assert bad.url == broken and bad.status == "failed" and bad.error.startswith("malformed feed:")
    assert gone.url == missing and gone.error == f"HTTP 404 for {missing}"


def test_item_linking_a_pdf_fails_clearly(web: Web) -> None:
    feed = "https://quay.example/pdfs.rss"
    pdf = "https://quay.example/notice.pdf"
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Q</title>'
        f"<item><title>Notice</title><link>{pdf}</link><pubDate>Mon, 03 Jun 2024 10:00:00 GMT</pubDate>"
        "</item></channel></rss>"
    )
    web.serve(feed, rss, "application/rss+xml")
    web.serve(pdf, b"%PDF-1.7 binary", "application/pdf")
    with web.fetcher() as fetcher:
        (record,) = crawl_source(source("news_feed", feed), fetcher)
    assert record.error == "not an article page (Content-Type application/pdf)"
    assert record.title == "Notice" and record.published_at is not None


def test_items_survive_retries_a_redirect_and_a_timeout(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    waits = record_waits(monkeypatch)
    feed = BULLETIN + "rss/policy.xml"
    rice, fuel, graphite, turkey = (
        BULLETIN + path
        for path in (
            "2023/07/india-rice.html",
            "2023/09/russia-fuel.html",
            "2023/10/china-graphite.html",
            "2024/05/turkey-israel.html",
        )
    )
    web.serve(feed, (EDGE / "feed.rss").read_bytes(), "application/rss+xml")
    web.serve(rice, "busy", status=500, once=True)
    web.serve(rice, (EDGE / "india-rice.html").read_bytes())
    web.serve(fuel, "slow down", status=429, headers={"Retry-After": "2"}, once=True)
    web.serve(fuel, (EDGE / "russia-fuel.html").read_bytes())
    web.serve(graphite, "", status=301, headers={"Location": "/articles/china-graphite.html"})
    web.serve(BULLETIN + "articles/china-graphite.html", (EDGE / "china-graphite.html").read_bytes())
    release = hold(web, turkey)  # the last item: its page never comes in time

    with web.fetcher(timeout=0.5, retries=1) as fetcher:
        records = by_url(crawl_source(source("news_feed", feed), fetcher))
    release.set()

    assert set(records) == {rice, fuel, graphite, turkey, f"{feed}#item-4"}
    assert records[rice].status == "ok" and "non-basmati white rice" in records[rice].text
    assert records[rice].published_at == datetime(2023, 7, 21, 6, 0, tzinfo=UTC)  # the first item's date
    assert records[fuel].status == "ok" and "gasoline and diesel" in records[fuel].text
    assert records[graphite].status == "ok" and "flake graphite" in records[graphite].text  # canonical URL
    assert records[f"{feed}#item-4"].error == "feed item 4 has no link"
    late = records[turkey]
    assert late.status == "failed" and late.title == "Turkey halts all trade with Israel"
    assert late.error == f"timeout (ReadTimeout, limit 0.5s) fetching {turkey} (after 2 attempts)"
    assert waits == [0.01, 2.0, 0.01]  # backoff after the 500, the 429's Retry-After, backoff after timeout
    assert web.requests_to(rice) == 2  # the 500, its retry; the repeated item is not fetched again


def test_feed_behind_a_redirect_and_a_503(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    record_waits(monkeypatch)
    old, feed = BULLETIN + "policy.rss", BULLETIN + "rss/policy.xml"
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Trade Bulletin</title><item>'
        f"<title>Russia halts fuel exports</title><link>{BULLETIN}2023/09/russia-fuel.html</link>"
        "</item></channel></rss>"
    )
    web.serve(old, "", status=308, headers={"Location": feed})
    web.serve(feed, "maintenance", "text/plain", status=503, once=True)
    web.serve(feed, rss, "application/rss+xml")
    web.serve(BULLETIN + "2023/09/russia-fuel.html", (EDGE / "russia-fuel.html").read_bytes())

    with web.fetcher() as fetcher:
        (record,) = crawl_source(source("news_feed", old), fetcher)

    assert record.status == "ok" and record.title == "Russia halts fuel exports"
    assert record.published_at == datetime(2023, 9, 22, 8, 15, tzinfo=UTC)  # the page's own date


@pytest.mark.parametrize(
    ("labels", "url", "is_ad"),
    [
        (["Anzeige", "Depot-Vergleich 2024"], "https://www.handelsblick.example/anzeige/depot", True),
        (["Mercado", "Publicidade: invista com taxa zero"], "https://www.folha.example/x", True),
        (["Economy", "Sponsored: the best trade finance apps"], "https://news.example/a", True),
        (["経済", "広告：新しい口座"], "https://news.example/b", True),
        (["Trade"], "https://ad.doubleclick.net/ddm/trackclk/N1234", True),
        (["Trade", "PRC bans gallium exports"], "https://news.example/c", False),
        (["Trade", "Sponsors pull out of the expo as tariffs bite"], "https://news.example/d", False),
        (["Trade", "EU sanctions advertising agency"], "https://doubleclick.net.example.org/e", False),
    ],
)
def test_advertisements_are_told_apart(labels: list[str], url: str, is_ad: bool) -> None:
    assert is_advertisement(labels, url) is is_ad
