"""The SQL models on staged rows: events merge their mentions and match the contracts."""

from __future__ import annotations

import datetime as dt

from tradecurbs.contracts import PUBLISHED
from tradecurbs.warehouse.build import build_tables, write_staged_documents, write_staged_mentions
from tradecurbs.warehouse.merge import assign_events

UTC = dt.UTC
MOFCOM = "Ministry of Commerce of the People's Republic of China"  # in seeds/official_publishers.csv


def doc(doc_id: str, publisher: str, kind: str, published: str, status: str = "ok") -> dict:
    return {
        "document_id": doc_id,
        "url": f"https://{publisher.lower().replace(' ', '')}.test/{doc_id}",
        "source_id": publisher.lower().replace(" ", "_"),
        "publisher": publisher,
        "source_kind": kind,
        "title": f"title of {doc_id}",
        "published_at": dt.datetime.fromisoformat(published).replace(tzinfo=UTC),
        "fetched_at": dt.datetime(2026, 11, 28, tzinfo=UTC),
        "language": "en",
        "content_sha256": "0" * 64 if status == "ok" else None,
        "n_chars": 100 if status == "ok" else 0,
        "status": status,
        "error": None if status == "ok" else "HTTP 404",
        "text": "some text",
    }


def mention(d: dict, **fields) -> dict:
    base = {
        "document_id": d["document_id"],
        "url": d["url"],
        "published_on": d["published_at"].date(),
        "evidence": f"sentence of {d['document_id']}",
        "event_class": "control_tightening",
        "measure_type": "export_control",
        "imposing_jurisdiction": "CN",
        "imposing_body": None,
        "imposing_body_kind": None,
        "target_jurisdictions": [],
        "target_entities": [],
        "products": ["gallium"],
        "hs_codes": [],
        "announced_on": None,
        "announced_precision": None,
        "effective_on": None,
        "effective_precision": None,
        "ended_on": None,
        "status": "announced",
        "certainty": "official" if d["source_kind"] == "official" else "reported",
        "confidence": 0.8,
        "rules": {"measure_type": "test"},
        "extractor_version": "test",
    }
    return base | fields


def test_events_take_fields_from_the_official_notice(tmp_path):
    notice = doc("doc_0000000000000001", MOFCOM, "official", "2023-07-03")
    news_a = doc("doc_0000000000000002", "Wire One", "news", "2023-07-04")
    news_b = doc("doc_0000000000000003", "Wire Two", "news", "2023-07-05")
    broken = doc("doc_0000000000000004", "Wire Two", "news", "2023-07-06", status="failed")
    mentions = assign_events(
        [
            mention(
                news_a, products=["gallium"], effective_on=dt.date(2023, 8, 1), effective_precision="day"
            ),
            mention(
                notice,
                products=["gallium", "germanium"],
                hs_codes=["811292"],
                imposing_body="MOFCOM",
                imposing_body_kind="government",
                announced_on=dt.date(2023, 7, 3),
                announced_precision="day",
                effective_on=dt.date(2023, 8, 1),
                effective_precision="day",
            ),
            mention(news_b, products=[], announced_on=dt.date(2023, 7, 1), announced_precision="month"),
        ]
    )
    write_staged_documents([notice, news_a, news_b, broken], tmp_path / "documents.parquet")
    write_staged_mentions(mentions, tmp_path / "mentions.parquet")
    tables = build_tables(tmp_path, as_of=dt.date(2023, 8, 15))
    assert list(tables) == list(PUBLISHED)
    events = tables["events"].to_pylist()
    assert len(events) == 1
    event = events[0]
    assert event["products"] == ["gallium", "germanium"]
    assert event["announced_on"] == dt.date(2023, 7, 3) and event["announced_precision"] == "day"
    assert event["effective_on"] == dt.date(2023, 8, 1)
    assert (event["n_mentions"], event["n_documents"], event["n_publishers"]) == (3, 3, 3)
    assert event["certainty"] == "official" and event["first_source_url"] == notice["url"]
    assert event["first_reported_on"] == dt.date(2023, 7, 3)
    assert event["mast_chapter"] == "P" and event["event_class"] == "control_tightening"
    assert "gallium, germanium" in event["summary"] and "effective 2023-08-01" in event["summary"]
    assert tables["documents"].num_rows == 4
    assert "text" not in tables["documents"].column_names
    assert tables["mentions"].num_rows == 3
    # the marts are built from the same events
    assert tables["measures_in_force"].column("event_id").to_pylist() == [event["event_id"]]
    assert tables["measures_in_force"].column("days_in_force").to_pylist() == [14]
    assert tables["restricted_products"].column("hs_chapter").to_pylist() == ["81"]
    assert tables["event_timeline"].column("timeline_id").to_pylist() == [f"{event['event_id']}/-"]
    assert tables["monthly_counts"].column("cell_id").to_pylist() == ["2023-07/CN/-/control_tightening"]


def test_an_event_never_takes_an_announcement_after_its_effective_date(tmp_path):
    # an official notice gives the effective date; a later report misdates the announcement
    official = doc("doc_0000000000000001", "Federal Register", "official", "2023-07-04")
    report = doc("doc_0000000000000002", "Wire One", "news", "2023-09-02")
    dates = {"effective_on": dt.date(2023, 8, 1), "effective_precision": "day"}
    notice = mention(official, announced_on=None, announced_precision=None, **dates)
    late = mention(report, announced_on=dt.date(2023, 9, 1), announced_precision="day", **dates)
    write_staged_documents([official, report], tmp_path / "documents.parquet")
    write_staged_mentions(assign_events([notice, late]), tmp_path / "mentions.parquet")
    events = build_tables(tmp_path)["events"].to_pylist()
    assert len(events) == 1
    assert events[0]["effective_on"] == dt.date(2023, 8, 1)
    assert events[0]["announced_on"] is None  # the contradicting date is not taken


def build_one_event(tmp_path, documents: list[dict], mentions: list[dict]) -> dict:
    write_staged_documents(documents, tmp_path / "documents.parquet")
    write_staged_mentions(assign_events(mentions), tmp_path / "mentions.parquet")
    (event,) = build_tables(tmp_path)["events"].to_pylist()
    return event


def test_an_event_is_official_only_through_the_imposers_own_notice_or_a_quotation(tmp_path):
    news = doc("doc_0000000000000002", "Wire One", "news", "2023-07-04")
    said = mention(news, certainty="official", evidence="China's ministry said it would control gallium.")
    assert build_one_event(tmp_path, [news], [said])["certainty"] == "reported"
    quoted = said | {"evidence": 'The ministry said: "exports of gallium shall need a licence" from August.'}
    assert build_one_event(tmp_path, [news], [quoted])["certainty"] == "official"
    # an official document of another jurisdiction's publisher is no notice of China's
    register = doc("doc_0000000000000003", "Federal Register", "official", "2023-07-05")
    assert build_one_event(tmp_path, [register], [mention(register)])["certainty"] == "reported"
    ministry = doc("doc_0000000000000004", MOFCOM, "official", "2023-07-05")
    assert build_one_event(tmp_path, [ministry], [mention(ministry)])["certainty"] == "official"
