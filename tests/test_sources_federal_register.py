"""federal_register connector: pagination, structured text, and an invalid JSON page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.test_sources_support import Web, by_url, fixture_bytes, source
from tradecurbs.sources import crawl_source

API = "https://www.federalregister.gov/api/v1/documents.json"
FIRST = f"{API}?conditions[agencies][]=test-bureau"
DOCS = "https://www.federalregister.gov/documents/"


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
