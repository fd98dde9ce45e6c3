"""validate_release on small hand-built tables: a valid release passes, each broken variant fails
with a line naming the expectation that caught it, and growth against the previous release warns."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tradecurbs.contracts import TABLES, contract
from tradecurbs.validation import ValidationOutcome, build_plan, validate_release

UTC = dt.UTC


def _hex(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


DOC = [f"doc_{_hex(f'd{i}')}" for i in range(3)]
EV = [f"ev_{_hex(f'e{i}')}" for i in range(3)]
MEN = [f"men_{_hex(f'm{i}')}" for i in range(4)]


def _documents() -> pd.DataFrame:
    fetched = pd.Timestamp("2025-03-02 08:00", tz="UTC")
    return pd.DataFrame(
        {
            "document_id": DOC,
            "url": [
                "https://news.example.org/a",
                "https://gov.example.cn/notice/7",
                "https://x.example.com/b",
            ],
            "source_id": ["example_news", "mofcom", "example_news"],
            "publisher": ["Example News", "MOFCOM", "Example News"],
            "source_kind": ["news", "official", "news"],
            "title": ["Export curbs on gallium", "Announcement No. 7", None],
            "published_at": [pd.Timestamp("2025-03-01 10:00", tz="UTC"), pd.NaT, pd.NaT],
            "fetched_at": [fetched, fetched, fetched],
            "language": ["en", "zh-Hans", None],
            "content_sha256": [hashlib.sha256(b"a").hexdigest(), hashlib.sha256(b"b").hexdigest(), None],
            "n_chars": [1200, 800, 0],
            "status": ["ok", "ok", "failed"],
            "error": [None, None, "HTTP 404"],
        }
    )


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": EV,
            "event_class": ["control_tightening", "restriction", "easing"],
            "measure_type": ["export_control", "import_restriction", "easing"],
            "mast_chapter": ["P", "E", None],
            "gta_intervention_type": ["Export licensing requirement", "Import ban", None],
            "imposing_jurisdiction": ["CN", "EU", "US"],
            "imposing_body": ["MOFCOM", "European Commission", "BIS"],
            "imposing_body_kind": ["government", "multilateral", "regulator"],
            # list columns as Parquet gives them (numpy arrays) and as python lists, both accepted
            "target_jurisdictions": [
                np.array([], dtype=object),
                np.array(["RU", "BY"], dtype=object),
                ["XK"],
            ],
            "target_entities": [[], [], ["Acme Ltd"]],
            "products": [["gallium", "germanium"], ["steel"], ["drones"]],
            "hs_codes": [["811292", "8112"], ["72"], []],
            # dates as datetime.date objects here; the mentions use pandas datetimes
            "announced_on": [dt.date(2025, 3, 1), dt.date(2025, 2, 1), None],
            "announced_precision": ["day", "month", None],
            "effective_on": [dt.date(2025, 3, 1), dt.date(2025, 4, 15), dt.date(2025, 5, 1)],
            "effective_precision": ["day", "day", "day"],
            "ended_on": [None, dt.date(2026, 4, 15), None],
            "first_reported_on": [dt.date(2025, 3, 1), dt.date(2025, 2, 3), dt.date(2025, 4, 20)],
            "status": ["in_force", "announced", "reported"],
            "certainty": ["official", "official", "reported"],
            "confidence": [0.95, 1.0, 0.4],
            "n_mentions": [2, 1, 1],
            "n_documents": [2, 1, 1],
            "n_publishers": [2, 1, 1],
            "first_source_url": [
                "https://gov.example.cn/notice/7",
                "https://news.example.org/a",
                "https://x.example.com/c",
            ],
            "summary": ["CN controls exports of gallium.", "EU bans steel from RU, BY.", "US eases curbs."],
        }
    )


def _mentions() -> pd.DataFrame:
    ev = _events()
    rows = [0, 0, 1, 2]  # which event each mention reports
    return pd.DataFrame(
        {
            "mention_id": MEN,
            "event_id": [EV[i] for i in rows],
            "document_id": [DOC[1], DOC[0], DOC[0], DOC[1]],
            "evidence": ["MOFCOM announced ...", "China said ...", "The EU banned ...", "The US lifted ..."],
            "event_class": [ev["event_class"][i] for i in rows],
            "measure_type": [ev["measure_type"][i] for i in rows],
            "imposing_jurisdiction": [ev["imposing_jurisdiction"][i] for i in rows],
            "imposing_body": [ev["imposing_body"][i] for i in rows],
            "imposing_body_kind": [ev["imposing_body_kind"][i] for i in rows],
            "target_jurisdictions": [list(ev["target_jurisdictions"][i]) for i in rows],
            "target_entities": [ev["target_entities"][i] for i in rows],
            "products": [ev["products"][i] for i in rows],
            "hs_codes": [ev["hs_codes"][i] for i in rows],
            "announced_on": pd.to_datetime([ev["announced_on"][i] for i in rows]),
            "announced_precision": [ev["announced_precision"][i] for i in rows],
            "effective_on": pd.to_datetime([ev["effective_on"][i] for i in rows]),
            "effective_precision": [ev["effective_precision"][i] for i in rows],
            "ended_on": pd.to_datetime([ev["ended_on"][i] for i in rows]),
            "status": [ev["status"][i] for i in rows],
            "certainty": ["official", "reported", "official", "reported"],
            "confidence": [0.9, 0.6, 0.95, 0.4],
            "rules": ['{"measure_type": "kw:export_control"}'] * 4,
            "extractor_version": ["0.1.0"] * 4,
        }
    )


def _release() -> dict[str, pd.DataFrame]:
    return {"documents": _documents(), "mentions": _mentions(), "events": _events()}


def _run(
    tmp_path: Path,
    tables: dict[str, pd.DataFrame],
    previous: dict[str, int] | None = None,
    *,
    docs: bool = False,
) -> ValidationOutcome:
    return validate_release(tables, previous, tmp_path / "report", data_docs=docs)


def _only_failure(outcome: ValidationOutcome) -> str:
    assert not outcome.success
    assert len(outcome.failures) == 1, outcome.failures
    return outcome.failures[0]


def test_hand_built_tables_match_the_contracts() -> None:
    for table, df in _release().items():
        assert list(df.columns) == contract(table).names


@pytest.fixture(scope="module")
def valid_outcome(tmp_path_factory: pytest.TempPathFactory) -> ValidationOutcome:
    """The valid release validated once (with Data Docs) for the tests that read its reports."""
    return validate_release(
        _release(), {"documents": 3, "mentions": 4, "events": 3}, tmp_path_factory.mktemp("valid")
    )


def test_valid_release_passes(valid_outcome: ValidationOutcome) -> None:
    assert valid_outcome.failures == []
    assert valid_outcome.warnings == []
    assert valid_outcome.success


def test_json_report_is_written(valid_outcome: ValidationOutcome) -> None:
    assert valid_outcome.report_path.name == "validation.json"
    report = json.loads(valid_outcome.report_path.read_text())
    assert report["success"] is True
    assert report["row_counts"] == {"documents": 3, "mentions": 4, "events": 3}
    assert set(TABLES) <= set(report["batches"])
    events = report["batches"]["events"]["expectations"]
    kinds = {e["expectation"] for e in events}
    assert {
        "expect_table_columns_to_match_set",
        "expect_column_values_to_be_unique",
        "expect_column_pair_values_a_to_be_greater_than_b",
    } <= kinds
    assert all(e["success"] for e in events)
    rows = [e for e in events if e["expectation"] == "expect_table_row_count_to_be_between"]
    assert {e["observed"]["observed_value"] for e in rows} == {3}
    # the exploded hs_codes items of the events (3 codes in total) are their own batch
    assert report["batches"]["events.hs_codes.items"]["rows"] == 3


def test_data_docs_are_built(valid_outcome: ValidationOutcome) -> None:
    index = valid_outcome.data_docs_path
    assert index is not None and index.is_file()
    assert index.parent == valid_outcome.report_path.parent / "data_docs"
    html = index.read_text()
    assert "events" in html and "documents" in html
    assert list((index.parent / "validations").rglob("*.html"))


# --------------------------------------------------------------------------- broken variants
# Each fault breaks one rule on its own rows, so the faults are independent: they are applied
# together to one release, validated once (GX costs seconds per run), and each test checks that its
# fault produced a failure line naming the right expectation; test_no_collateral_failures checks
# that nothing else failed.

NOWHERE = f"ev_{_hex('nowhere')}"


def _effective_before_announced(t: dict[str, pd.DataFrame]) -> None:
    t["events"].loc[1, "effective_on"] = dt.date(2025, 1, 1)  # announced 2025-02-01


def _unknown_target_country(t: dict[str, pd.DataFrame]) -> None:
    t["mentions"].at[2, "target_jurisdictions"] = ["RU", "XX"]


def _unknown_imposing_country(t: dict[str, pd.DataFrame]) -> None:
    t["mentions"].loc[0, "imposing_jurisdiction"] = "XX"


def _duplicate_event_id(t: dict[str, pd.DataFrame]) -> None:
    t["events"] = pd.concat([t["events"], t["events"].iloc[[0]]], ignore_index=True)


def _mention_of_missing_event(t: dict[str, pd.DataFrame]) -> None:
    t["mentions"].loc[3, "event_id"] = NOWHERE


def _measure_type_outside_taxonomy(t: dict[str, pd.DataFrame]) -> None:
    t["events"].loc[2, "measure_type"] = "price_cap"


def _failed_document_without_error(t: dict[str, pd.DataFrame]) -> None:
    t["documents"].loc[2, "error"] = None


def _bad_hs_code(t: dict[str, pd.DataFrame]) -> None:
    t["events"].at[0, "hs_codes"] = ["8112", "8112x"]


def _missing_column(t: dict[str, pd.DataFrame]) -> None:
    t["documents"] = t["documents"].drop(columns=["language"])


def _confidence_above_one(t: dict[str, pd.DataFrame]) -> None:
    t["mentions"].loc[1, "confidence"] = 1.5


# fault -> (start of its failure line, texts the line must quote)
FAULTS: dict[Callable[[dict[str, pd.DataFrame]], None], tuple[str, list[str]]] = {
    _effective_before_announced: (
        "events: expect_column_pair_values_a_to_be_greater_than_b(effective_on, announced_on) [date_order",
        ["(2025-01-01, 2025-02-01)", EV[1]],
    ),
    _unknown_target_country: (
        "mentions.target_jurisdictions.items: expect_column_values_to_be_in_set(target_jurisdictions) "
        "[jurisdiction",
        ["'XX'", MEN[2]],
    ),
    _unknown_imposing_country: (
        "mentions: expect_column_values_to_be_in_set(imposing_jurisdiction) [jurisdiction",
        ["'XX'", MEN[0]],
    ),
    _duplicate_event_id: (
        "events: expect_column_values_to_be_unique(event_id) [primary_key",
        [f"'{EV[0]}'", "2 of 4"],
    ),
    _mention_of_missing_event: (
        "mentions: expect_column_values_to_be_in_set(event_id) [references of event_id: events.event_id]",
        [NOWHERE, MEN[3]],
    ),
    _measure_type_outside_taxonomy: (
        "events: expect_column_values_to_be_in_set(measure_type) [accepted_values",
        ["'price_cap'", EV[2]],
    ),
    _failed_document_without_error: (
        "documents: expect_column_values_to_not_be_null(error) [required_when",
        ["1 of 1 unexpected", DOC[2]],  # only the failed document is checked
    ),
    _bad_hs_code: (
        "events.hs_codes.items: expect_column_values_to_match_regex(hs_codes) [pattern",
        ["1 of 5 unexpected", "'8112x'", EV[0]],
    ),
    _missing_column: (
        "documents: expect_table_columns_to_match_set() [columns",
        ["missing ['language']"],
    ),
    _confidence_above_one: (
        "mentions: expect_column_values_to_be_between(confidence) [min/max",
        ["1.5", MEN[1]],
    ),
}


@pytest.fixture(scope="module")
def broken_outcome(tmp_path_factory: pytest.TempPathFactory) -> ValidationOutcome:
    tables = _release()
    for fault in FAULTS:
        fault(tables)
    return validate_release(tables, None, tmp_path_factory.mktemp("broken"), data_docs=False)


@pytest.mark.parametrize("fault", list(FAULTS), ids=[f.__name__.strip("_") for f in FAULTS])
def test_fault_fails_with_its_expectation(broken_outcome: ValidationOutcome, fault: Callable) -> None:
    start, quoted = FAULTS[fault]
    assert not broken_outcome.success
    lines = [f for f in broken_outcome.failures if f.startswith(start)]
    assert len(lines) == 1, broken_outcome.failures
    for text in quoted:
        assert text in lines[0]


def test_no_collateral_failures(broken_outcome: ValidationOutcome) -> None:
    assert len(broken_outcome.failures) == len(FAULTS), broken_outcome.failures
    assert broken_outcome.warnings == []
    report = json.loads(broken_outcome.report_path.read_text())
    assert report["success"] is False and report["failures"] == broken_outcome.failures
    failed = [
        (name, e["expectation"])
        for name, batch in report["batches"].items()
        for e in batch["expectations"]
        if not e["success"]
    ]
    assert len(failed) == len(FAULTS)


def test_events_dropping_too_much_fail(tmp_path: Path) -> None:
    # 3 events against 4 previously is a 25% drop; the contract allows 20%
    out = _run(tmp_path, _release(), {"documents": 3, "mentions": 4, "events": 4})
    assert not out.success and len(out.failures) == 1, out.failures
    assert out.failures[0].startswith("events: expect_table_row_count_to_be_between() [max_drop_share 0.2")
    assert "observed 3" in out.failures[0]
    assert out.warnings == []


@pytest.mark.parametrize(("previous", "floor"), [(4, 4), (5, 4), (100, 80), (101, 81), (3, 3)])
def test_drop_floor_is_the_allowed_share(previous: int, floor: int) -> None:
    # (1 - 0.2) * 5 = 4 rows are allowed; 0.8 * 100 is 80.00000000000001 in floats, still 80
    plan = build_plan(_release(), {"events": previous})
    events = next(b for b in plan.batches if b.name == "events")
    floors = [c.kwargs["min_value"] for c in events.checks if c.rule.startswith("max_drop_share")]
    assert floors == [floor]


def test_counts_more_than_doubling_only_warn(tmp_path: Path) -> None:
    # documents 3 > 2 * 1 and mentions 4 > 2 * 1 warn; events 3 = 3 is fine
    out = _run(tmp_path, _release(), {"documents": 1, "mentions": 1, "events": 3})
    assert out.success and out.failures == []
    assert len(out.warnings) == 2, out.warnings
    assert out.warnings[0].startswith("documents: expect_table_row_count_to_be_between() [growth")
    assert out.warnings[1].startswith("mentions: expect_table_row_count_to_be_between() [growth")
    report = json.loads(out.report_path.read_text())
    assert report["success"] is True and report["warnings"] == out.warnings


def test_release_without_a_table_is_rejected(tmp_path: Path) -> None:
    tables = _release()
    del tables["mentions"]
    with pytest.raises(ValueError, match="mentions"):
        _run(tmp_path, tables)


def test_malformed_input_fails(tmp_path: Path) -> None:
    tables = _release()
    tables["events"]["ended_on"] = tables["events"]["ended_on"].astype(object)
    tables["events"].at[0, "ended_on"] = "sometime"
    tables["events"].at[0, "products"] = "gallium"
    tables["documents"] = tables["documents"].drop(columns=["publisher"])  # a required column
    out = _run(tmp_path, tables)
    assert out.failures == [
        "events: column products (list<string>) has 1 values that are not lists, e.g. 'gallium'",
        "events: column ended_on (date) has 1 unparseable values, e.g. 'sometime'",
        "documents: expect_table_columns_to_match_set() [columns: exactly the contract's columns]: "
        "missing ['publisher'], unexpected []",
        "documents: expect_column_values_to_not_be_null(publisher) [required: publisher]: "
        'error: Error: The column "publisher" in BatchData does not exist.',
    ]
