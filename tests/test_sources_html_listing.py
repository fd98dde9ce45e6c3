"""html_listing connector: index pages, notice pages or table rows, pagination, encodings and faults.

The pages are the embedded sample's (real notices written for tradecurbs in each site's layout):
METI (Japanese, with a notice linked twice), MOTIE (Korean, one page in EUC-KR), the Russian
government (two index pages), the Australian foreign minister (two index pages) and DGFT (a table
of notifications whose rows link to PDFs, with a repeated row and a row without a link).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.source_faults import hold, record_waits
from tests.test_sources_support import Web, by_url, source
from tradecurbs.sources import SourceState, crawl_source, run_crawl

METI = "https://www.meti.go.jp/press/index.html"
SEMI = "https://www.meti.go.jp/press/2023/05/20230523002/20230523002.html"
KOREA = "https://www.meti.go.jp/press/2019/07/20190701006/20190701006.html"
MOTIE = "https://www.motie.go.kr/kor/article/ATCL3f49a5a8c"
MOTIE_INDEX = f"{MOTIE}?pageIndex=1"
GOV_RU = "https://government.ru/docs/"
AU = "https://www.foreignminister.gov.au/minister/marise-payne/media-releases"
AU_PAGES = "https://www.foreignminister.gov.au/minister/marise-payne/media-release/"
DGFT = "https://www.dgft.gov.in/CP/?opt=notification"
PDF = "https://content.dgft.gov.in/Website/dgftprod/"


@pytest.fixture
def web(httpserver) -> Web:  # noqa: ANN001
    return Web(httpserver)


def crawl(web: Web, url: str, profile: str, **settings: object) -> dict:
    with web.fetcher(**settings) as fetcher:
        return by_url(crawl_source(source("html_listing", url, kind="official", profile=profile), fetcher))


def serve_meti(web: Web, *skip: str) -> None:
    for url in (METI, SEMI, KOREA):
        if url not in skip:
            web.serve_sample(url)


def test_notice_pages_with_their_dates_and_a_link_listed_twice(web: Web) -> None:
    serve_meti(web)

    records = crawl(web, METI, "meti")

    assert set(records) == {SEMI, KOREA}
    semi = records[SEMI]
    assert semi.status == "ok" and semi.source_kind == "official"
    assert semi.title == "外国為替及び外国貿易法に基づく輸出貿易管理令の一部を改正する政令等を公布しました"
    assert semi.published_at == datetime(2023, 5, 23, tzinfo=UTC)
    assert "23品目を輸出管理の対象に追加" in semi.text and "担当" not in semi.text
    assert web.requests_to(KOREA) == 1  # listed twice, fetched once


def test_euc_kr_page_and_pagination(web: Web) -> None:
    web.serve_sample(MOTIE_INDEX)
    web.serve_sample(f"{MOTIE}/167012/view")
    web.serve_sample(f"{MOTIE}/161880/view", "text/html")  # EUC-KR, declared only in <meta>
    for url in (f"{GOV_RU}?page=2", GOV_RU, f"{GOV_RU}50939/", f"{GOV_RU}50612/"):
        web.serve_sample(url)

    korean = crawl(web, MOTIE_INDEX, "motie")
    russian = crawl(web, GOV_RU, "government_ru")

    japan = korean[f"{MOTIE}/161880/view"]
    assert japan.status == "ok" and "가의2 지역" in japan.text
    assert japan.published_at == datetime(2019, 9, 18, tzinfo=UTC)
    assert set(russian) == {f"{GOV_RU}50939/", f"{GOV_RU}50612/"}
    assert web.requests_to(GOV_RU) == 2  # both index pages
    assert russian[f"{GOV_RU}50939/"].published_at == datetime(2024, 2, 29, 12, 20, tzinfo=UTC)
    assert web.requests_to(f"{GOV_RU}50612/") == 1  # listed on both index pages


def test_next_page_link_is_followed(web: Web) -> None:
    web.serve_sample(f"{AU}?page=1")  # before the first page, whose handler takes any query
    web.serve_sample(AU)
    bauxite = f"{AU_PAGES}australia-bans-alumina-and-bauxite-exports-russia"
    tariffs = f"{AU_PAGES}additional-tariffs-imports-russia-and-belarus"
    web.serve_sample(bauxite)
    web.serve_sample(tariffs)

    records = crawl(web, AU, "foreignminister_au")

    assert set(records) == {bauxite, tariffs}
    assert records[tariffs].published_at == datetime(2022, 4, 25, tzinfo=UTC)
    assert "35 per cent tariff" in records[tariffs].text


def test_rows_are_notices(web: Web) -> None:
    web.serve_sample(DGFT)

    records = crawl(web, DGFT, "dgft")

    rice = f"{PDF}d39e27a1-rice/Noti%2020%20dated%2020.07.2023%20Eng.pdf"
    assert set(records) == {
        rice,
        f"{PDF}6b2a1c40-onion/Noti%2050%20dated%2008.12.2023%20Eng.pdf",
        f"{PDF}8c5f0e22-wheat/Noti%2006%20dated%2013.05.2022%20Eng.pdf",
        f"{DGFT}#row-5",
    }  # the repeated rice row is one document
    assert records[rice].published_at == datetime(2023, 7, 20, tzinfo=UTC)
    assert records[rice].text.splitlines()[0] == "Notification No. 20/2023"
    assert (
        "non-basmati white rice (HS code 1006 30 90) is amended from Free to Prohibited" in records[rice].text
    )
    assert records[f"{DGFT}#row-5"].error == f"row 5 of {DGFT} has no link"


def test_index_retried_after_500_notice_after_429(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    waits = record_waits(monkeypatch)
    web.serve(METI, "busy", "text/plain", status=500, once=True)
    web.serve(SEMI, "slow down", "text/plain", status=429, headers={"Retry-After": "6"}, once=True)
    serve_meti(web)

    records = crawl(web, METI, "meti")

    assert records[SEMI].status == "ok" and records[KOREA].status == "ok"
    assert waits == [0.01, 6.0]


def test_redirect_404_timeout_and_a_page_without_text_or_date(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_waits(monkeypatch)
    index = "https://www.meti.go.jp/press/faults.html"
    links = [
        "2024/01/moved.html",
        "2024/01/gone.html",
        "2024/01/empty.html",
        "2024/01/undated.html",
        "2024/01/late.html",
    ]
    items = "".join(f'<li><a href="/press/{link}">{link}</a></li>' for link in links)
    web.serve(
        index, f'<html><body><div id="__main_contents"><ul class="news_list">{items}</ul></div></body></html>'
    )
    web.serve("https://www.meti.go.jp/press/2024/01/moved.html", "", status=302, headers={"Location": SEMI})
    web.serve_sample(SEMI)
    release = hold(web, "https://www.meti.go.jp/press/2024/01/late.html")
    web.serve("https://www.meti.go.jp/press/2024/01/empty.html", "<html><body><p>目次</p></body></html>")
    undated = (
        '<html><body><div id="__main_contents"><h1>お知らせ</h1><div class="txt_box"><p>{}</p></div></div>'
    )
    web.serve("https://www.meti.go.jp/press/2024/01/undated.html", undated.format("本文" * 40))

    records = crawl(web, index, "meti", timeout=0.3, retries=0)
    release.set()

    press = "https://www.meti.go.jp/press/2024/01/"
    assert records[f"{press}moved.html"].status == "ok" and "23品目" in records[f"{press}moved.html"].text
    assert records[f"{press}gone.html"].error == f"HTTP 404 for {press}gone.html"
    assert records[f"{press}late.html"].error.startswith("timeout (ReadTimeout, limit 0.3s)")
    assert records[f"{press}empty.html"].error == "no article text found in page"
    assert records[f"{press}undated.html"].error == "no publication date in feed item or page metadata"
    assert records[f"{press}undated.html"].title == "お知らせ"


def test_failed_index_is_recorded(web: Web) -> None:
    (record,) = crawl(web, "https://www.meti.go.jp/press/missing.html", "meti").values()
    assert record.error == "HTTP 404 for https://www.meti.go.jp/press/missing.html"


def test_a_notice_already_ingested_is_not_fetched_again(web: Web, tmp_path) -> None:  # noqa: ANN001
    serve_meti(web)
    entry = source("html_listing", METI, kind="official", profile="meti")

    with SourceState(tmp_path / "state.sqlite") as state:
        with web.fetcher(tmp_path, state=state) as fetcher:
            first = run_crawl(entry, fetcher)
        with web.fetcher(tmp_path, state=state) as fetcher:
            second = run_crawl(entry, fetcher)

    assert first.n_new == 2 and second.n_new == 0
    assert second.unchanged == sorted([SEMI, KOREA])
    assert web.requests_to(SEMI) == 1 and web.requests_to(METI) == 2  # the index is asked again


def test_an_index_that_lists_nothing_is_a_failure_of_the_source(web: Web) -> None:
    web.serve(
        METI,
        '<html><body><div id="main"><ul><li><a href="/other.html">Other</a></li></ul></div></body></html>',
    )
    web.serve(DGFT, "<html><body><table id='otherTable'><tr><td>1</td></tr></table></body></html>")

    (meti,) = crawl(web, METI, "meti").values()
    (dgft,) = crawl(web, DGFT, "dgft").values()

    assert meti.url == METI and meti.error.startswith("no notice on 1 index page(s): the profile's links ")
    assert dgft.url == DGFT and dgft.error.startswith("no notice on 1 index page(s): the profile's rows ")
