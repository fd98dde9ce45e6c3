"""sanctions_list connector: XML and CSV lists grouped into one document per listing action, and faults.

The UN list states real listings (four DPRK designations of 5 August 2017, Muammar Qadhafi under
the Libya regime on 26 February 2011) next to a repeated record, a record without a name and one
with an unreadable date; the Canadian list states Belarus (September 2020) and Russia (March 2014,
February 2022) listings and a record without a date. A list is one file: there is no pagination.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.source_faults import hold, record_waits
from tests.test_sources_support import Web, by_url, sample_bytes, source
from tradecurbs.sources import crawl_source

UN = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
UN_DOCS = "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"
DPRK = f"{UN_DOCS}#dprk-2017-08-05"
LIBYA = f"{UN_DOCS}#libya-2011-02-26"
CANADA = (
    "https://www.international.gc.ca/world-monde/assets/office_docs/"
    "international_relations-relations_internationales/sanctions/sema-lmes.xml"
)
CANADA_DOCS = (
    "https://www.international.gc.ca/world-monde/international_relations-relations_internationales/"
    "sanctions/consolidated-consolide.aspx?lang=eng"
)
MIRROR = "https://scsanctions.un.org/resources/xml/en/consolidated-mirror.xml"


@pytest.fixture
def web(httpserver) -> Web:  # noqa: ANN001
    return Web(httpserver)


def crawl(web: Web, url: str = UN, profile: str = "un_security_council", **settings: object) -> dict:
    options = settings.pop("options", {})
    with web.fetcher(**settings) as fetcher:
        entry = source("sanctions_list", url, kind="official", profile=profile, **options)
        return by_url(crawl_source(entry, fetcher))


def test_un_list_one_document_per_regime_and_date(web: Web) -> None:
    web.serve(UN, sample_bytes(UN), "application/xml")

    records = crawl(web)

    assert set(records) == {DPRK, LIBYA, f"{UN}#record-6", f"{UN}#record-7"}
    dprk = records[DPRK]
    assert dprk.status == "ok" and dprk.source_kind == "official"
    assert dprk.published_at == datetime(2017, 8, 5, tzinfo=UTC)
    assert dprk.title == (
        "UN Security Council DPRK (resolution 1718) sanctions list additions of 5 August 2017"
    )
    assert dprk.text == (  # the repeated record counts once
        "The United Nations Security Council added 3 parties in Democratic People's Republic of Korea to the "
        "DPRK (resolution 1718) sanctions list, effective 5 August 2017: CHOE CHUN YONG; FOREIGN TRADE BANK "
        "(FTB); KOREAN NATIONAL INSURANCE COMPANY (KNIC)."
    )
    assert "MUAMMAR MOHAMMED ABU MINYAR QADHAFI" in records[LIBYA].text
    assert records[f"{UN}#record-6"].error == f"record 6 of {UN} has no name"
    assert records[f"{UN}#record-7"].error == (
        f"record 7 of {UN} ('MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES') has an unreadable listing date "
        "'05 Aug 2017'"
    )


def test_canadian_list_names_entities_and_persons(web: Web) -> None:
    web.serve(CANADA, sample_bytes(CANADA), "text/xml")

    records = crawl(web, CANADA, "canada_sema")

    assert set(records) == {
        f"{CANADA_DOCS}#belarus-2020-09-29",
        f"{CANADA_DOCS}#russia-2014-03-17",
        f"{CANADA_DOCS}#russia-2022-02-24",
    }  # the record without a listing date is skipped by rule
    assert records[f"{CANADA_DOCS}#russia-2022-02-24"].text.endswith(
        "Regulations, effective 24 February 2022: VTB Bank Public Joint Stock Company."
    )
    assert "Aleksandr Grigoryevich Lukashenko; Viktor Aleksandrovich Lukashenko" in (
        records[f"{CANADA_DOCS}#belarus-2020-09-29"].text
    )


def test_latin1_xml_and_a_csv_list(web: Web) -> None:
    xml = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><data-set><record><Country>Russia</Country>'
        "<DateOfListing>2022-03-15</DateOfListing><EntityOrShip>Société Générale Vostok</EntityOrShip>"
        "</record></data-set>"
    ).encode("iso-8859-1")
    web.serve(CANADA, xml, "application/xml")
    csv_url = "https://scsanctions.un.org/list.csv"
    web.serve(csv_url, "Name,Regime,Listed,Country\nAcme Trading,DPRK,2017-08-05,China\n", "text/csv")

    (latin,) = crawl(web, CANADA, "canada_sema").values()
    (row,) = crawl(web, csv_url, options=_csv_profile()).values()

    assert latin.status == "ok" and "Société Générale Vostok" in latin.text
    assert row.text.startswith("The United Nations Security Council added 1 party in China to the DPRK")


def _csv_profile() -> dict:
    fields = {"name": [["Name"]], "regime": [["Regime"]], "listed_on": [["Listed"]], "country": [["Country"]]}
    return {"format": "csv", "fields": fields}


def test_server_error_then_success_and_429(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    waits = record_waits(monkeypatch)
    web.serve(UN, "busy", "text/plain", status=503, once=True)
    web.serve(UN, "slow down", "text/plain", status=429, headers={"Retry-After": "4"}, once=True)
    web.serve(UN, sample_bytes(UN), "application/xml")

    records = crawl(web)

    assert records[DPRK].status == "ok" and web.requests_to(UN) == 3
    assert waits == [0.01, 4.0]  # backoff after the 503, the 429's Retry-After


def test_redirect_404_timeout_and_malformed_xml(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    record_waits(monkeypatch)
    web.serve(UN, "", status=301, headers={"Location": MIRROR})
    web.serve(MIRROR, sample_bytes(UN), "application/xml")
    broken = "https://scsanctions.un.org/broken.xml"
    web.serve(broken, "<CONSOLIDATED_LIST><INDIVIDUALS>", "application/xml")
    late = "https://scsanctions.un.org/late.xml"
    release = hold(web, late)

    redirected = crawl(web)
    (gone,) = crawl(web, "https://scsanctions.un.org/gone.xml").values()
    (bad,) = crawl(web, broken).values()
    (slow,) = crawl(web, late, timeout=0.2, retries=0).values()
    release.set()

    assert redirected[DPRK].status == "ok"
    assert gone.error == "HTTP 404 for https://scsanctions.un.org/gone.xml"
    assert bad.url == broken and bad.error.startswith("malformed XML list: ")
    assert slow.error == f"timeout (ReadTimeout, limit 0.2s) fetching {late} (after 1 attempts)"


def test_unknown_profile_is_a_clear_failure(web: Web) -> None:
    (record,) = crawl(web, UN, "no_such_list").values()
    assert record.status == "failed" and "option profile must be one of" in record.error


def test_a_list_without_records_is_a_failure(web: Web) -> None:
    web.serve(UN, "<?xml version='1.0'?><CONSOLIDATED_LIST><OTHER/></CONSOLIDATED_LIST>", "application/xml")

    (record,) = crawl(web).values()

    assert record.url == UN and record.error.startswith("no records in the list: the profile's records ")
