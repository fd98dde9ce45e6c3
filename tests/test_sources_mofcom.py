"""mofcom connector: index pagination, announcement text, number, date, a chrome-only page, HTTP faults."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.source_faults import hold, record_waits
from tests.test_sources_support import Web, by_url, source
from tradecurbs.sources import crawl_source
from tradecurbs.sources.connectors.mofcom import announcement_number, defaults

SITE = "https://www.mofcom.gov.cn/zwgk/zcfb/"
EDGE = Path(__file__).parent / "fixtures" / "edge_cases" / "mofcom"
CONTROLS = "https://www.mofcom.gov.cn/zwgk/ckgz/"


@pytest.fixture
def web(httpserver) -> Web:  # noqa: ANN001
    return Web(httpserver)


def test_index_pages_and_announcements(web: Web) -> None:
    web.serve_file(SITE + "index.html", "mofcom/index.html")
    web.serve_file(SITE + "index_1.html", "mofcom/index_1.html")
    for name in ("a1", "a2", "a3"):
        web.serve_file(f"{SITE}art/2024/art_{name}.html", f"mofcom/art_{name}.html")
    web.serve_file(SITE + "art/2023/art_b1.html", "mofcom/art_b1.html")

    with web.fetcher() as fetcher:
        records = by_url(crawl_source(source("mofcom", SITE + "index.html", kind="official"), fetcher))

    assert set(records) == {f"{SITE}art/2024/art_{n}.html" for n in ("a1", "a2", "a3")} | {
        SITE + "art/2023/art_b1.html"
    }
    a1 = records[SITE + "art/2024/art_a1.html"]
    assert a1.status == "ok"
    assert a1.title == "商务部公告2024年第7号 关于对测试物项实施出口管制的公告"  # number added to the title
    assert a1.published_at == datetime(2024, 3, 5, 10, 30, tzinfo=UTC)  # PubDate, Beijing time
    assert a1.text.splitlines()[1] == "为维护国家安全和利益，经国务院批准，决定对以下测试物项实施出口管制。"
    assert "首页" not in a1.text

    a2 = records[SITE + "art/2024/art_a2.html"]
    assert a2.title == "商务部 海关总署公告2024年第3号 关于暂停测试商品进口的公告"
    assert a2.published_at == datetime(2024, 2, 20, 1, 15, tzinfo=UTC)  # 发布日期 line

    b1 = records[SITE + "art/2023/art_b1.html"]  # found on index_1.html; dated by its signature
    assert b1.status == "ok" and b1.published_at == datetime(2023, 8, 1, tzinfo=UTC)
    assert b1.title == "商务部 海关总署公告2023年第12号 关于调整测试物项出口许可的公告"

    chrome = records[SITE + "art/2024/art_a3.html"]
    assert chrome.status == "failed" and chrome.error == "no announcement text"
    assert web.requests_to(SITE + "art/2024/art_a1.html") == 1  # linked from both index pages


def test_failed_index_page_is_recorded(web: Web) -> None:
    with web.fetcher() as fetcher:
        (record,) = crawl_source(source("mofcom", SITE + "index.html", kind="official"), fetcher)
    assert record.url == SITE + "index.html" and record.error == f"HTTP 404 for {SITE}index.html"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("关于发布商务部公告2024年第46号的通知", "商务部公告2024年第46号"),
        ("商务部 海关总署公告2025年第18号 公布", "商务部 海关总署公告2025年第18号"),
        ("海关总署公告〔2024〕第 7 号", "海关总署公告2024年第7号"),
        ("商务部 科技部公告2023年第057号", "商务部 科技部公告2023年第57号"),
        ("一则新闻稿，没有编号", None),
    ],
)
def test_announcement_number(text: str, number: str | None) -> None:
    assert announcement_number(text, defaults()["announcement_issuers"]) == number


def test_announcements_survive_faults_and_gb2312(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    waits = record_waits(monkeypatch)
    gallium, graphite, antimony, removed, dual_use = (
        f"{CONTROLS}art/{name}.html"
        for name in (
            "2023/art_gallium",
            "2023/art_graphite",
            "2024/art_antimony",
            "2024/art_removed",
            "2024/art_dual_use_us",
        )
    )
    web.serve(CONTROLS + "index.html", (EDGE / "index.html").read_bytes())
    web.serve(CONTROLS + "index_1.html", "busy", status=500, once=True)  # page 2 of the index, by script
    web.serve(CONTROLS + "index_1.html", (EDGE / "index_1.html").read_bytes())
    web.serve(gallium, (EDGE / "art_gallium-gb2312.html").read_bytes(), "text/html")  # charset in <meta>
    web.serve(graphite, "", status=301, headers={"Location": "/zwgk/ckgz/art/2023/art_graphite_v2.html"})
    web.serve(CONTROLS + "art/2023/art_graphite_v2.html", (EDGE / "art_graphite.html").read_bytes())
    web.serve(antimony, "slow down", status=429, headers={"Retry-After": "4"}, once=True)
    web.serve(antimony, (EDGE / "art_antimony.html").read_bytes())
    release = hold(web, dual_use)  # listed last (on index_1.html): never comes in time

    with web.fetcher(timeout=0.5, retries=1) as fetcher:
        entry = source("mofcom", CONTROLS + "index.html", kind="official", language="zh-Hans")
        records = by_url(crawl_source(entry, fetcher))
    release.set()

    assert set(records) == {gallium, graphite, antimony, removed, dual_use}
    ga = records[gallium]
    assert (
        ga.status == "ok"
        and ga.title == "商务部 海关总署公告2023年第23号 关于对镓、锗相关物项实施出口管制的公告"
    )
    assert "金属镓、氮化镓" in ga.text and ga.published_at == datetime(2023, 7, 3, 7, 0, tzinfo=UTC)
    gr = records[graphite]
    assert gr.status == "ok" and gr.title.startswith("商务部 海关总署公告2023年第39号")
    assert gr.published_at == datetime(2023, 10, 20, 8, 30, tzinfo=UTC)  # 发布日期 line, Beijing time
    assert records[antimony].status == "ok" and "金属锑" in records[antimony].text
    assert records[removed].error == f"HTTP 404 for {removed}"
    assert records[removed].title == "已撤下的页面"  # the link text
    assert (
        records[dual_use].error == f"timeout (ReadTimeout, limit 0.5s) fetching {dual_use} (after 2 attempts)"
    )
    assert waits == [0.01, 4.0, 0.01]  # index_1 500, the 429's Retry-After, backoff after the timeout
    assert web.requests_to(gallium) == 1  # linked from both index pages
