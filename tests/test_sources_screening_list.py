"""screening_list connector: consolidated.csv rows grouped into one document per Federal Register notice.

The fixtures state real listings (Huawei, May 2019; SMIC and DJI, December 2020; COMAC on the
Military End User List, December 2020; Admiralty Shipyard, February 2022) next to a row of another
list, a row without a notice, a repeated row and three malformed rows.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.source_faults import hold, record_waits
from tests.test_sources_support import Web, by_url, source
from tradecurbs.extraction import extract_document
from tradecurbs.sources import crawl_source
from tradecurbs.sources.connectors.screening_list import decode_csv, parse_notice, parse_start

CSV = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
MIRROR = "https://api.trade.gov/static/consolidated_screening_list/consolidated.csv"
FIXTURES = Path(__file__).parent / "fixtures" / "screening_list"
HUAWEI = "https://www.federalregister.gov/citation/84-FR-22961"
SMIC = "https://www.federalregister.gov/citation/85-FR-83416"
COMAC = "https://www.federalregister.gov/citation/85-FR-83793"
ADMIRALTY = "https://www.federalregister.gov/citation/87-FR-12226"
GOOD = {HUAWEI, SMIC, COMAC, ADMIRALTY}
MALFORMED = {f"{CSV}#line-{n}" for n in (13, 14, 16)}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def web(httpserver) -> Web:  # noqa: ANN001
    return Web(httpserver)


def crawl(web: Web, url: str = CSV, **options: object) -> dict:
    with web.fetcher() as fetcher:
        return by_url(crawl_source(source("screening_list", url, kind="official", **options), fetcher))


def assert_good_documents(records: dict) -> None:
    """The four notices of consolidated.csv, whatever failed beside them."""
    assert set(records) >= GOOD
    for url in GOOD:
        assert records[url].status == "ok" and records[url].source_kind == "official"


def test_rows_become_one_document_per_notice(web: Web, caplog: pytest.LogCaptureFixture) -> None:
    web.serve(CSV, fixture("consolidated.csv"), "text/csv")

    with caplog.at_level(logging.INFO, logger="tradecurbs.sources"):
        records = crawl(web)

    assert set(records) == GOOD | MALFORMED
    huawei = records[HUAWEI]
    assert huawei.title == "Entity List additions in Federal Register notice 84 FR 22961"
    assert huawei.published_at == datetime(2019, 5, 16, tzinfo=UTC)
    assert huawei.text.splitlines() == [
        "The Bureau of Industry and Security added 2 parties in China to the Entity List, effective "
        "16 May 2019, in Federal Register notice 84 FR 22961: Beijing Huawei Digital Technologies Co., Ltd.; "
        "Huawei Technologies Co., Ltd.",
        "The Bureau of Industry and Security added 1 party in Japan to the Entity List, effective "
        "16 May 2019, in Federal Register notice 84 FR 22961: Huawei Technologies Japan K.K.",
    ]
    assert "Semiconductor Manufacturing International Corporation; SZ DJI Technology" in records[SMIC].text
    assert records[COMAC].title == "Military End User List additions in Federal Register notice 85 FR 83793"
    assert records[ADMIRALTY].text == (
        "The Bureau of Industry and Security added 1 party in Russia to the Entity List, effective "
        "24 February 2022, in Federal Register notice 87 FR 12226: Admiralty Shipyard JSC."
    )

    assert records[f"{CSV}#line-13"].error == f"malformed CSV row at line 13 of {CSV}: 8 fields, expected 28"
    assert records[f"{CSV}#line-14"].error == (
        f"row at line 14 of {CSV} (Entity List (EL) - Bureau of Industry and Security, notice 87 FR 12226) "
        "has no name"
    )
    assert records[f"{CSV}#line-16"].error == (
        f"row at line 16 of {CSV} ('Aviastar JSC') has an unreadable start_date '24 Feb 2022'"
    )
    for url in MALFORMED:
        assert records[url].status == "failed" and records[url].n_chars == 0
    assert (
        "13 rows read, 4 notices; skipped by rule: 1 without a notice or start_date, 1 of other lists, "
        "1 duplicates; 3 malformed" in caplog.text
    )


def test_rendered_document_yields_entity_listing_events(web: Web) -> None:
    web.serve(CSV, fixture("consolidated.csv"), "text/csv")
    huawei = crawl(web)[HUAWEI]

    doc = {
        "id": huawei.document_id,
        "url": huawei.url,
        "title": huawei.title,
        "text": huawei.text,
        "published": huawei.published_at.date().isoformat(),
        "source_kind": huawei.source_kind,
        "language": "en",
    }
    events = {tuple(e["target_jurisdictions"]): e for e in extract_document(doc)}

    assert set(events) == {("CN",), ("JP",)}
    for event in events.values():
        assert event["measure_type"] == "entity_listing"
        assert event["imposing_jurisdiction"] == "US"
        assert event["imposing_body"] == "Bureau of Industry and Security"
        assert any("Huawei" in name for name in event["target_entities"])
        assert str(event["effective_on"]) == "2019-05-16"


def test_windows_1252_file_with_id_column(web: Web) -> None:
    web.serve(CSV, fixture("consolidated-cp1252.csv"), "text/csv")  # no charset: not UTF-8, so cp1252

    (record,) = crawl(web).values()

    assert record.url == HUAWEI and record.status == "ok"
    assert record.text.splitlines() == [
        "The Bureau of Industry and Security added 1 party in China to the Entity List, effective "
        "16 May 2019, in Federal Register notice 84 FR 22961: Huawei Technologies Co., Ltd.",
        "The Bureau of Industry and Security added 1 party in Germany to the Entity List, effective "
        "16 May 2019, in Federal Register notice 84 FR 22961: Huawei Technologies Düsseldorf GmbH.",
    ]


def test_server_error_then_success(web: Web) -> None:
    web.serve(CSV, "busy", "text/plain", status=500, once=True)
    web.serve(CSV, fixture("consolidated.csv"), "text/csv")

    records = crawl(web)

    assert_good_documents(records)
    assert web.requests_to(CSV) == 2


def test_429_waits_as_long_as_retry_after_says(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    waits = record_waits(monkeypatch)
    web.serve(CSV, "slow down", "text/plain", status=429, headers={"Retry-After": "7"}, once=True)
    web.serve(CSV, fixture("consolidated.csv"), "text/csv")

    records = crawl(web)

    assert_good_documents(records)
    assert waits == [7.0]  # the server's Retry-After, not the backoff


def test_redirect_is_followed(web: Web) -> None:
    web.serve(CSV, "", status=301, headers={"Location": MIRROR})
    web.serve(MIRROR, fixture("consolidated.csv"), "text/csv")

    records = crawl(web)

    assert_good_documents(records)
    assert web.requests_to(MIRROR) == 1


def test_timeout_and_404_are_recorded_under_the_csv_url(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    record_waits(monkeypatch)
    release = hold(web, CSV)
    with web.fetcher(timeout=0.2, retries=1) as fetcher:
        (gone,) = crawl_source(source("screening_list", MIRROR, kind="official"), fetcher)
        (late,) = crawl_source(source("screening_list", CSV, kind="official"), fetcher)
    release.set()

    assert late.url == CSV and late.status == "failed"
    assert late.error == f"timeout (ReadTimeout, limit 0.2s) fetching {CSV} (after 2 attempts)"
    assert gone.url == MIRROR and gone.error == f"HTTP 404 for {MIRROR}"


def test_lists_option_narrows_and_header_is_checked(web: Web) -> None:
    web.serve(CSV, fixture("consolidated.csv"), "text/csv")
    headless = "https://data.trade.gov/headless.csv"
    web.serve(headless, "source,name\nEntity List,Someone\n", "text/csv")

    only_meu = crawl(web, lists=["military-end-user-list"])
    (bad,) = crawl(web, headless).values()

    assert {u for u, r in only_meu.items() if r.status == "ok"} == {COMAC}
    assert bad.url == headless
    assert bad.error == (
        f"CSV header of {headless} lacks column(s): addresses, federal_register_notice, start_date"
    )


def test_notice_shared_by_two_groups_gets_fragments(web: Web) -> None:
    header = fixture("consolidated.csv").decode("utf-8-sig").splitlines()[0]
    rest = "," * 19  # 9 fields given, 28 in all
    party = 'Admiralty Shipyard JSC,,"St. Petersburg, RU",87 FR 12226,2022-02-24'
    rows = [f"Entity List,,,,{party}{rest}", f"Military End User List,,,,{party}{rest}"]
    web.serve(CSV, "\n".join([header, *rows]), "text/csv; charset=utf-8")

    records = crawl(web)

    assert set(records) == {
        f"{ADMIRALTY}#entity-list-2022-02-24",
        f"{ADMIRALTY}#military-end-user-list-2022-02-24",
    }


@pytest.mark.parametrize(
    ("value", "start", "citation"),
    [
        ("84 FR 22961", "2019-05-16", (84, 22961)),
        ("85 FR 83416, 88 FR 71991 (no. 201)", "2020-12-18", (85, 83416)),  # the first listing
        ("85 F.R. 83416 12/22/2020,  88F.R. 71991 10/19/2023", "2023-10-17", (88, 71991)),  # a renewal
        ("85 FR 83416", "2020-12-31", (85, 83416)),
        ("84 FR 22961, 86 FR 35389", "2020-12-31", (86, 35389)),  # equally near: the later volume
        ("Vol. 84, No. 100, 5/23/2019", "2019-05-16", None),
    ],
)
def test_parse_notice_picks_the_citation_of_the_start_year(
    value: str, start: str, citation: tuple[int, int] | None
) -> None:
    assert parse_notice(value, parse_start(start)) == citation


def test_decode_csv() -> None:
    assert decode_csv("\ufeffsource,name\n".encode()) == "source,name\n"
    assert decode_csv("Düsseldorf".encode("cp1252")) == "Düsseldorf"
    assert decode_csv("Düsseldorf".encode("latin-1"), "text/csv; charset=iso-8859-1") == "Düsseldorf"
    assert parse_start("05/16/2019") == parse_start("2019-05-16") and parse_start("2019-13-01") is None
