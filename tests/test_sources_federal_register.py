"""federal_register connector: pagination, structured text, invalid pages and items, and HTTP faults."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.source_faults import hold, record_waits
from tests.test_sources_support import Web, by_url, fixture_bytes, source
from tradecurbs.sources import crawl_source

API = "https://www.federalregister.gov/api/v1/documents.json"
FIRST = f"{API}?conditions[agencies][]=test-bureau"
DOCS = "https://www.federalregister.gov/documents/"
EDGE = Path(__file__).parent / "fixtures" / "edge_cases" / "federal_register"
BIS = {"conditions[agencies][]": "industry-and-security-bureau"}
BIS_FIRST = f"{API}?conditions[agencies][]=industry-and-security-bureau"
BIS_SECOND = f"{BIS_FIRST}&page=2&per_page=4"
HUAWEI = f"{DOCS}2019/05/21/2019-10616/addition-of-entities-to-the-entity-list"
SMIC = (
    f"{DOCS}2020/12/22/2020-28031/"
    "addition-of-entities-to-the-entity-list-revision-of-entry-on-the-entity-list-and-removal-of"
)
BIREN = f"{DOCS}2023/10/19/2023-23048/entity-list-additions"
RUSSIA = (
    f"{DOCS}2022/03/03/2022-04300/"
    "implementation-of-sanctions-against-russia-under-the-export-administration-regulations-ear"
)
PAGE_ONE = {HUAWEI, BIREN}  # the good results of page 1


@pytest.fixture
def web(httpserver) -> Web:  # noqa: ANN001
    return Web(httpserver)


def _serve_pages(web: Web, third: bytes) -> None:
    agency = {"conditions[agencies][]": "test-bureau"}
    web.serve(API, fixture_bytes("federal_register/page1.json"), "application/json", query=agency)
    for page, body in (("2", fixture_bytes("federal_register/page2.json")), ("3", third)):
        web.serve(API, body, "application/json", query=agency | {"page": page})


def test_pages_followed_and_invalid_page_recorded(web: Web) -> None:
    _serve_pages(web, fixture_bytes("federal_register/page3_invalid.json"))

    with web.fetcher() as fetcher:
        records = by_url(crawl_source(source("federal_register", FIRST, kind="official"), fetcher))

    widget = records[f"{DOCS}2024/02/27/2024-00101/export-restrictions-on-widget-presses"]
    assert widget.status == "ok" and widget.source_kind == "official"
    assert widget.title == "Export Restrictions on Widget Presses"
    assert widget.published_at == datetime(2024, 2, 27, tzinfo=UTC)
    assert widget.text.splitlines() == [
        "Export Restrictions on Widget Presses",
        "Rule | Commerce Department; Test Bureau | FR Doc. 2024-00101 | 89 FR 1001",
        "Action: Final rule.",
        "Summary: The Test Bureau requires a license to export widget presses to Freedonia.",
        "Dates: This rule is effective March 1, 2024.",
        "Effective on: 2024-03-01",
    ]
    sparse = records[f"{DOCS}2024/02/26/2024-00102/removal-of-a-party-from-the-watch-list"]
    assert sparse.status == "ok" and "Test Bureau" in sparse.text and "Summary" not in sparse.text
    assert records[f"{DOCS}2024/01/15/2024-00050/advisory-committee-meeting"].status == "ok"  # page 2

    third = records[f"{FIRST}&page=3"]
    assert third.status == "failed"
    assert third.error == "invalid JSON: Expecting ',' delimiter: line 4 column 27 (char 57)"
    assert len(records) == 4


def test_failed_first_page_is_recorded(web: Web) -> None:
    web.serve(
        API, "upstream trouble", "text/plain", status=503, query={"conditions[agencies][]": "test-bureau"}
    )

    with web.fetcher(retries=1) as fetcher:
        (record,) = crawl_source(source("federal_register", FIRST, kind="official"), fetcher)

    assert record.url == FIRST and record.error == f"HTTP 503 for {FIRST}"


def _edge(name: str) -> bytes:
    return (EDGE / name).read_bytes()


def _serve_bis(web: Web, second: bytes | None = None, content_type: str = "application/json") -> None:
    web.serve(API, _edge("page1.json"), "application/json", query=BIS)
    if second is not None:
        web.serve(API, second, content_type, query=BIS | {"page": "2", "per_page": "4"})


def _crawl_bis(web: Web, url: str = BIS_FIRST, **settings: object) -> dict:
    with web.fetcher(**settings) as fetcher:
        return by_url(crawl_source(source("federal_register", url, kind="official"), fetcher))


def test_malformed_and_repeated_results_among_good_ones(web: Web) -> None:
    _serve_bis(web, _edge("page2.json"))

    records = _crawl_bis(web)

    assert set(records) == PAGE_ONE | {RUSSIA, SMIC, f"{BIS_FIRST}#result-2"}
    assert all(records[url].status == "ok" for url in PAGE_ONE | {RUSSIA})
    assert records[f"{BIS_FIRST}#result-2"].error == f"result 2 of {BIS_FIRST} has no html_url"
    smic = records[SMIC]
    assert smic.status == "failed" and smic.error == "no publication_date in Federal Register result 3"
    assert smic.title.startswith("Addition of Entities to the Entity List, Revision of Entry")
    assert records[HUAWEI].published_at == datetime(2019, 5, 21, tzinfo=UTC)  # page 1's copy is kept
    assert "Action: Final rule." in records[HUAWEI].text  # page 2 repeats it with fewer fields
    assert "Russia’s invasion of Ukraine" in records[RUSSIA].text


def test_pages_retried_after_500_and_429(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    waits = record_waits(monkeypatch)
    web.serve(API, "busy", "text/plain", status=500, query=BIS, once=True)
    second = BIS | {"page": "2", "per_page": "4"}
    web.serve(
        API, "slow down", "text/plain", status=429, headers={"Retry-After": "3"}, query=second, once=True
    )
    _serve_bis(web, _edge("page2.json"))

    records = _crawl_bis(web)

    assert all(records[url].status == "ok" for url in PAGE_ONE | {RUSSIA})
    assert waits == [0.01, 3.0]  # backoff after the 500, the 429's Retry-After


def test_redirected_search_is_followed(web: Web) -> None:
    old = f"{API}?agency=bis"
    web.serve(API, "", status=301, headers={"Location": BIS_FIRST}, query={"agency": "bis"})
    _serve_bis(web, _edge("page2.json"))

    records = _crawl_bis(web, old)

    assert all(records[url].status == "ok" for url in PAGE_ONE | {RUSSIA})


@pytest.mark.parametrize("fault", ["404", "timeout"])
def test_failed_later_page_keeps_earlier_pages(web: Web, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    record_waits(monkeypatch)
    _serve_bis(web)  # page 2 unserved: a 404
    release = hold(web, BIS_SECOND) if fault == "timeout" else None

    records = _crawl_bis(web, timeout=0.5, retries=1)
    if release is not None:
        release.set()

    assert all(records[url].status == "ok" for url in PAGE_ONE)
    expected = {
        "404": f"HTTP 404 for {BIS_SECOND}",
        "timeout": f"timeout (ReadTimeout, limit 0.5s) fetching {BIS_SECOND} (after 2 attempts)",
    }
    assert records[BIS_SECOND].status == "failed" and records[BIS_SECOND].error == expected[fault]


def test_windows_1252_page_read_by_its_declared_charset(web: Web) -> None:
    _serve_bis(web, _edge("page2-cp1252.json"), "application/json; charset=windows-1252")

    records = _crawl_bis(web)

    assert "Russia’s invasion of Ukraine" in records[RUSSIA].text


def test_undeclared_non_utf8_page_is_recorded(web: Web) -> None:
    _serve_bis(web, _edge("page2-cp1252.json"))

    records = _crawl_bis(web)

    assert all(records[url].status == "ok" for url in PAGE_ONE)
    assert records[BIS_SECOND].error.startswith("invalid JSON: not utf-8 (invalid start byte at byte ")
