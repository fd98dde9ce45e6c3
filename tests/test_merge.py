"""Merging mentions into events: same measure across reports merges, different measures stay apart."""

from __future__ import annotations

import datetime as dt
import random

from tradecurbs.warehouse.merge import assign_events


def mention(
    doc: str,
    products: list[str],
    announced: str | None = None,
    *,
    target=(),
    official=False,
    measure="export_control",
    imposer="CN",
    published="2023-07-04",
) -> dict:
    return {
        "document_id": doc,
        "url": f"https://example.test/{doc}",
        "measure_type": measure,
        "imposing_jurisdiction": imposer,
        "target_jurisdictions": list(target),
        "products": products,
        "announced_on": dt.date.fromisoformat(announced) if announced else None,
        "effective_on": None,
        "certainty": "official" if official else "reported",
        "evidence": f"evidence in {doc}",
        "published_on": dt.date.fromisoformat(published),
    }


def test_reports_of_one_control_merge_and_keep_the_official_anchor():
    rows = assign_events(
        [
            mention("news1", ["gallium"], "2023-07-03"),
            mention("notice", ["gallium", "germanium"], "2023-07-03", official=True),
            mention("news2", [], None, published="2023-07-05"),
        ]
    )
    assert len({r["event_id"] for r in rows}) == 1
    alone = assign_events([mention("notice", ["gallium", "germanium"], "2023-07-03", official=True)])
    assert alone[0]["event_id"] == rows[0]["event_id"]


def test_different_products_or_dates_stay_apart():
    rows = assign_events(
        [
            mention("a", ["gallium", "germanium"], "2023-07-03"),
            mention("b", ["graphite"], "2023-10-20"),
            mention("c", ["gallium"], "2024-12-03"),
        ]
    )
    assert len({r["event_id"] for r in rows}) == 3


def test_different_targets_or_measures_stay_apart():
    rows = assign_events(
        [
            mention("a", ["gallium"], "2024-12-03", target=["US"]),
            mention("b", ["gallium"], "2024-12-03", target=["JP"]),
            mention("c", ["gallium"], "2024-12-03", measure="export_restriction", target=["US"]),
        ]
    )
    assert len({r["event_id"] for r in rows}) == 3


def test_a_report_naming_fewer_targets_joins_the_measure():
    rows = assign_events(
        [
            mention("a", [], "2024-02-01", target=["RU", "BY"], measure="service_refusal"),
            mention("b", [], "2024-02-20", target=["RU"], measure="service_refusal"),
            mention("c", [], "2024-02-03", measure="service_refusal"),
        ]
    )
    assert len({r["event_id"] for r in rows}) == 1


def test_ids_do_not_depend_on_input_order():
    ms = [
        mention("a", ["rice"], "2023-07-20", measure="export_restriction", imposer="IN"),
        mention("b", ["rice"], "2023-07-21", measure="export_restriction", imposer="IN"),
        mention("c", ["nickel ore"], "2019-08-30", measure="export_restriction", imposer="ID"),
    ]
    first = {r["mention_id"]: r["event_id"] for r in assign_events([dict(m) for m in ms])}
    shuffled = [dict(m) for m in ms]
    random.Random(7).shuffle(shuffled)
    assert {r["mention_id"]: r["event_id"] for r in assign_events(shuffled)} == first


def test_generic_products_are_no_evidence_of_one_event():
    ms = [
        mention("a", ["dual-use items", "gallium"], "2023-07-03"),
        mention("b", ["dual-use items", "graphite"], "2023-08-10"),
    ]
    assert len({r["event_id"] for r in assign_events([dict(m) for m in ms])}) == 1
    assert len({r["event_id"] for r in assign_events(ms, generic_products={"dual-use items"})}) == 2
