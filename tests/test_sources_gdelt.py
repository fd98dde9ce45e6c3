"""gdelt_events connector: lastupdate.txt, zipped export, CAMEO filter, malformed rows, leads."""

from __future__ import annotations

import pytest

from tests.test_sources_support import Web, by_url, fixture_bytes, source, zipped
from tradecurbs.sources import crawl_source

LASTUPDATE = "http://data.gdeltproject.org/gdeltv2/lastupdate.txt"
EXPORT = "http://data.gdeltproject.org/gdeltv2/20240305120000.export.CSV.zip"
COPPER = "https://www.harbourledger.example/trade/copper-ban.html"
FERTILISER = "https://quay.example/2024/06/fertiliser.html"
THREAT = "https://quay.example/2024/06/threat.html"
GONE = "https://news.dongluwire.example/gone.html"
PUBLISHERS = {"www.harbourledger.example": "Harbour Ledger"}


@pytest.fixture
def web(httpserver) -> Web:  # noqa: ANN001
    web = Web(httpserver)
    web.serve_file(LASTUPDATE, "gdelt/lastupdate.txt", "text/plain")
    csv = fixture_bytes("gdelt/20240305120000.export.CSV")
    web.serve(EXPORT, zipped("20240305120000.export.CSV", csv), "application/zip")
    web.serve_file(COPPER, "pages/copper-ban.html")
    web.serve_file(FERTILISER, "pages/steel-tariff.html")  # a page that dates itself (JSON-LD)
    web.serve_file(THREAT, "pages/steel-tariff.html")
    return web


def test_selected_rows_become_articles(web: Web) -> None:
    with web.fetcher() as fetcher:
        records = by_url(crawl_source(source("gdelt_events", LASTUPDATE), fetcher, publishers=PUBLISHERS))

    assert set(records) == {COPPER, FERTILISER, GONE, f"{EXPORT}#row-4"}
    malformed = records[f"{EXPORT}#row-4"]
    assert malformed.status == "failed"
    assert malformed.error == "malformed GDELT row 4: 3 tab-separated fields, expected 61"

    # copper-ban.html dates itself nowhere, and a GDELT row is no feed item: no date
    assert records[COPPER].error == "no publication date in feed item or page metadata"
    assert records[COPPER].publisher == "Harbour Ledger"  # from the publishers map
    assert records[FERTILISER].status == "ok" and records[FERTILISER].publisher == "quay.example"
    assert records[GONE].error == f"HTTP 404 for {GONE}"
    assert web.requests_to(COPPER) == 1  # two rows share this SOURCEURL


def test_threats_only_when_configured(web: Web) -> None:
    options = {"include_threats": True, "cameo_codes": ["1312"]}
    with web.fetcher() as fetcher:
        records = by_url(crawl_source(source("gdelt_events", LASTUPDATE, **options), fetcher))
    assert set(records) == {THREAT, f"{EXPORT}#row-4"}
    assert records[THREAT].status == "ok"


def test_lastupdate_without_export_is_recorded(web: Web) -> None:
    other = "http://data.gdeltproject.org/gdeltv2/other-lastupdate.txt"
    web.serve(other, "12 abc http://data.gdeltproject.org/gdeltv2/x.gkg.csv.zip\n", "text/plain")
    with web.fetcher() as fetcher:
        (record,) = crawl_source(source("gdelt_events", other), fetcher)
    assert record.url == other and "no events export" in record.error


def test_corrupt_zip_is_recorded(web: Web) -> None:
    other = "http://data.gdeltproject.org/gdeltv2/lastupdate-corrupt.txt"
    bad_zip = "http://data.gdeltproject.org/gdeltv2/20240101000000.export.CSV.zip"
    web.serve(other, f"10 abc {bad_zip}\n", "text/plain")
    web.serve(bad_zip, b"PK\x03\x04 not really a zip", "application/zip")
    with web.fetcher() as fetcher:
        (record,) = crawl_source(source("gdelt_events", other), fetcher)
    assert record.url == bad_zip and record.error.startswith("invalid zip archive:")
