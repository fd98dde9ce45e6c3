"""json_api connector (GOV.UK search and content APIs): offset pages, per-item detail, and faults.

The embedded sample's search has two pages (count=2, total 5): the gold import ban and the tariff
rise on page 1; on page 2 the gold ban again, a result without a link and a negative news story.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.source_faults import hold, record_waits
from tests.test_sources_support import Web, by_url, sample_bytes, source
from tradecurbs.sources import crawl_source
from tradecurbs.sources.connectors.json_api import next_page

SEARCH = (
    "https://www.gov.uk/api/search.json?q=sanctions&filter_content_purpose_supergroup=news_and_communications"
    "&order=-public_timestamp&count=2"
)
SECOND = f"{SEARCH}&start=2"
NEWS = "https://www.gov.uk/government/news/"
CONTENT = "https://www.gov.uk/api/content/government/news/"
GOLD, TARIFFS, REVIEW = (
    "uk-bans-imports-of-russian-gold",
    "uk-raises-tariffs-on-russian-imports-and-bans-luxury-goods-exports",
    "ofsi-publishes-annual-review",
)
JSON = "application/json"


@pytest.fixture
def web(httpserver) -> Web:  # noqa: ANN001
    return Web(httpserver)


def serve(web: Web, *skip: str, second: bool = True) -> None:
    if second:
        web.serve_sample(SECOND, JSON)  # before page 1, whose handler would take page 2's query too
    web.serve_sample(SEARCH, JSON)
    for slug in (GOLD, TARIFFS, REVIEW):
        if slug not in skip:
            web.serve_sample(CONTENT + slug, JSON)


def crawl(web: Web, url: str = SEARCH, **settings: object) -> dict:
    with web.fetcher(**settings) as fetcher:
        return by_url(crawl_source(source("json_api", url, kind="official", profile="govuk_search"), fetcher))


def test_pages_items_and_details(web: Web) -> None:
    serve(web)

    records = crawl(web)

    assert set(records) == {NEWS + GOLD, NEWS + TARIFFS, NEWS + REVIEW, f"{SECOND}#item-2"}
    gold = records[NEWS + GOLD]
    assert gold.status == "ok" and gold.title == "UK bans imports of Russian gold"
    assert gold.published_at == datetime(2022, 7, 21, 9, tzinfo=UTC)
    assert gold.text.splitlines()[:2] == [
        "UK bans imports of Russian gold",
        "New sanctions legislation bans the import of gold from Russia into the UK.",
    ]
    assert "came into force on 21 July 2022" in gold.text and "<p>" not in gold.text
    assert records[f"{SECOND}#item-2"].error == f"item 2 of {SECOND} has no URL fields"
    assert web.requests_to(CONTENT + GOLD) == 1  # listed on both pages, read once


def test_retries_after_500_and_429(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    waits = record_waits(monkeypatch)
    web.serve(CONTENT + TARIFFS, "busy", "text/plain", status=502, once=True)
    web.serve(
        CONTENT + REVIEW, "slow down", "text/plain", status=429, headers={"Retry-After": "2"}, once=True
    )
    serve(web)

    records = crawl(web)

    assert all(records[NEWS + slug].status == "ok" for slug in (GOLD, TARIFFS, REVIEW))
    assert waits == [0.01, 2.0]


def test_redirect_404_and_timeout_of_details(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    record_waits(monkeypatch)
    web.serve(CONTENT + GOLD, "", status=301, headers={"Location": f"{CONTENT}{GOLD}-moved"})
    web.serve(f"{CONTENT}{GOLD}-moved", sample_bytes(CONTENT + GOLD), JSON)
    release = hold(web, CONTENT + REVIEW)
    serve(web, GOLD, TARIFFS, REVIEW)

    records = crawl(web, timeout=0.3, retries=0)
    release.set()

    assert records[NEWS + GOLD].status == "ok" and "came into force" in records[NEWS + GOLD].text
    assert records[NEWS + TARIFFS].error == f"detail {CONTENT}{TARIFFS}: HTTP 404 for {CONTENT}{TARIFFS}"
    assert records[NEWS + TARIFFS].title.startswith("UK raises tariffs")
    assert "timeout (ReadTimeout, limit 0.3s)" in records[NEWS + REVIEW].error


def test_invalid_and_non_utf8_pages(web: Web) -> None:
    page = json.dumps({"results": [], "total": 0, "note": "Société"}, ensure_ascii=False).encode("cp1252")
    declared = "https://www.gov.uk/api/search.json?q=declared"
    web.serve(
        "https://www.gov.uk/api/search.json",
        page,
        "application/json; charset=windows-1252",
        query={"q": "declared"},
    )
    web.serve("https://www.gov.uk/api/search.json", page, JSON, query={"q": "undeclared"})
    web.serve("https://www.gov.uk/api/search.json", b'{"results": [', JSON, query={"q": "broken"})
    web.serve("https://www.gov.uk/api/search.json", b'{"items": []}', JSON, query={"q": "shape"})

    assert crawl(web, declared) == {}  # read as windows-1252: a valid, empty page
    (undeclared,) = crawl(web, "https://www.gov.uk/api/search.json?q=undeclared").values()
    (broken,) = crawl(web, "https://www.gov.uk/api/search.json?q=broken").values()
    (shape,) = crawl(web, "https://www.gov.uk/api/search.json?q=shape").values()

    assert undeclared.error.startswith("invalid JSON: not utf-8 (invalid continuation byte at byte ")
    assert broken.error.startswith("invalid JSON: Expecting value")
    assert shape.error == "unexpected JSON: no 'results' list"


def test_failed_later_page_keeps_the_first(web: Web) -> None:
    serve(web, second=False)  # page 2 is not served: a 404

    records = crawl(web)

    assert records[NEWS + GOLD].status == "ok" and records[NEWS + TARIFFS].status == "ok"
    assert records[SECOND].error == f"HTTP 404 for {SECOND}"


def test_next_page_by_offset_or_field() -> None:
    offset = {"pagination": {"offset": "start", "total": "total"}}
    assert next_page(offset, SEARCH, {"total": 5}, 2) == SECOND
    assert next_page(offset, SECOND, {"total": 5}, 3) is None
    assert next_page(offset, SEARCH, {"total": 5}, 0) is None
    assert next_page(
        {"pagination": {"next": "links.next"}}, SEARCH, {"links": {"next": "https://x/2"}}, 2
    ) == ("https://x/2")
