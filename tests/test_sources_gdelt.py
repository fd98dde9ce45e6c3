"""gdelt_events connector: lastupdate.txt, zipped export, CAMEO filter, malformed rows, leads, HTTP faults."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.source_faults import hold, record_waits
from tests.test_sources_support import Web, by_url, fixture_bytes, source, zipped
from tradecurbs.sources import crawl_source

LASTUPDATE = "http://data.gdeltproject.org/gdeltv2/lastupdate.txt"
EXPORT = "http://data.gdeltproject.org/gdeltv2/20240305120000.export.CSV.zip"
COPPER = "https://www.harbourledger.example/trade/copper-ban.html"
FERTILISER = "https://quay.example/2024/06/fertiliser.html"
THREAT = "https://quay.example/2024/06/threat.html"
GONE = "https://news.dongluwire.example/gone.html"
PUBLISHERS = {"www.harbourledger.example": "Harbour Ledger"}
EDGE = Path(__file__).parent / "fixtures" / "edge_cases"
OCTOBER = "http://data.gdeltproject.org/gdeltv2/20231020121500.export.CSV.zip"
STEPPE = "https://www.steppewire.example/"
GRAPHITE = STEPPE + "asia/china-graphite-permits.html"
CHIPS = STEPPE + "americas/us-chip-rules.html"
BIREN = STEPPE + "americas/us-entity-list-biren.html"
GRAFIT = "https://www.vostokwire.example/ekonomika/grafit.html"


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

    # copper-ban.html dates itself nowhere: the row's DATEADDED dates it
    assert records[COPPER].status == "ok"
    assert records[COPPER].published_at == datetime(2024, 3, 5, 12, tzinfo=UTC)
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


def test_leads_survive_retries_a_redirect_a_timeout_and_windows_1251(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits = record_waits(monkeypatch)
    lastupdate = "http://data.gdeltproject.org/gdeltv2/lastupdate-october.txt"
    web.serve(lastupdate, "busy", "text/plain", status=500, once=True)
    web.serve(lastupdate, (EDGE / "gdelt/lastupdate.txt").read_bytes(), "text/plain")
    export = zipped("20231020121500.export.CSV", (EDGE / "gdelt/20231020121500.export.CSV").read_bytes())
    web.serve(OCTOBER, "slow down", "text/plain", status=429, headers={"Retry-After": "5"}, once=True)
    web.serve(OCTOBER, export, "application/zip")
    web.serve(GRAPHITE, "busy", status=500, once=True)
    web.serve(GRAPHITE, (EDGE / "news/china-graphite.html").read_bytes())
    web.serve(CHIPS, "", status=302, headers={"Location": "/americas/2023/10/us-chip-rules.html"})
    web.serve(
        STEPPE + "americas/2023/10/us-chip-rules.html", (EDGE / "gdelt/us-chip-rules.html").read_bytes()
    )
    web.serve(GRAFIT, (EDGE / "gdelt/grafit-cp1251.html").read_bytes(), "text/html")  # charset only in <meta>
    release = hold(web, BIREN)  # the last selected row's article never comes in time

    with web.fetcher(timeout=0.5, retries=1) as fetcher:
        records = by_url(crawl_source(source("gdelt_events", lastupdate), fetcher))
    release.set()

    assert set(records) == {GRAPHITE, CHIPS, GRAFIT, BIREN, f"{OCTOBER}#row-4"}  # not the visit (042)
    assert records[GRAPHITE].status == "ok" and "flake graphite" in records[GRAPHITE].text
    assert records[CHIPS].status == "ok" and "total processing performance" in records[CHIPS].text
    assert records[CHIPS].publisher == "www.steppewire.example"
    grafit = records[GRAFIT]
    assert grafit.status == "ok" and "чешуйчатый графит" in grafit.text
    assert grafit.published_at == datetime(2023, 10, 20, 11, 5, tzinfo=UTC)
    assert records[f"{OCTOBER}#row-4"].error == "malformed GDELT row 4: 3 tab-separated fields, expected 61"
    assert records[BIREN].error == f"timeout (ReadTimeout, limit 0.5s) fetching {BIREN} (after 2 attempts)"
    assert waits == [0.01, 5.0, 0.01, 0.01]  # lastupdate 500, export 429 (Retry-After), article 500, timeout
    assert web.requests_to(GRAPHITE) == 2  # the 500 and its retry; the repeated row is not fetched again


def test_missing_lastupdate_is_recorded(web: Web) -> None:
    gone = "http://data.gdeltproject.org/gdeltv2/lastupdate-gone.txt"
    with web.fetcher() as fetcher:
        (record,) = crawl_source(source("gdelt_events", gone), fetcher)
    assert record.url == gone and record.error == f"HTTP 404 for {gone}"


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "web" / "data.gdeltproject.org" / "gdeltv2"
SAMPLE_EXPORT = "http://data.gdeltproject.org/gdeltv2/20250205121500.export.CSV.zip"
SAMPLE_GKG = "http://data.gdeltproject.org/gdeltv2/20250205121500.gkg.csv.zip"
BOYCOTT = "https://www.nairobidaily.example/news/2025/02/05/shoppers-boycott-supermarket-chain"
CRASH = "https://www.nairobidaily.example/news/2025/02/05/tanker-crash-closes-mombasa-highway"
AD = "https://adclick.g.doubleclick.net/pcs/click"


def _serve_sample_update(web: Web, lastupdate: str) -> None:
    web.serve(lastupdate, (SAMPLE / "lastupdate.txt").read_bytes(), "text/plain")
    for url, name in ((SAMPLE_EXPORT, "20250205121500.export.CSV"), (SAMPLE_GKG, "20250205121500.gkg.csv")):
        web.serve(url, zipped(name, (SAMPLE / name).read_bytes()), "application/zip")


@pytest.mark.parametrize("themes", [True, False])
def test_gkg_themes_keep_protests_and_accidents_out(web: Web, themes: bool) -> None:
    lastupdate = "http://data.gdeltproject.org/gdeltv2/lastupdate-sample.txt"
    _serve_sample_update(web, lastupdate)

    with web.fetcher() as fetcher:
        records = by_url(crawl_source(source("gdelt_events", lastupdate, themes=themes), fetcher))

    # a consumer boycott (CAMEO 163) and a road closed after a crash (191) carry no trade theme
    off_topic = {BOYCOTT, CRASH}
    if themes:
        assert not off_topic & set(records)
        assert web.requests_to(BOYCOTT) == web.requests_to(CRASH) == 0
        assert web.requests_to(SAMPLE_GKG) == 1
    else:
        assert off_topic <= set(records)  # fetched by codes alone (and not served here: 404)
        assert web.requests_to(SAMPLE_GKG) == 0
    trade = "https://www.portsandcargo.example/tankers/2023/09/22/russia-bans-gasoline-diesel-exports/"
    assert trade in records  # selected either way (not served here)
    assert not any(url.startswith(AD) for url in records)  # an ad server's link (with trade themes) never
    assert web.requests_to(AD) == 0
